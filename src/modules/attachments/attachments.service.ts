import type { Readable } from 'node:stream';
import { and, inArray, isNull, lt } from 'drizzle-orm';
import type { AttachmentView } from '../../contracts/attachments.ts';
import { AppError } from '../../contracts/errors.ts';
import type { Conn } from '../../db/client.ts';
import { actorUserId } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import { inTenant } from '../tenant-scope.ts';
import type { Ticket } from '../tickets/tickets.schema.ts';
import { presentAttachment } from './attachments.presenter.ts';
import { attachments } from './attachments.schema.ts';
import type { FileStore, StoredFile } from './file-store.ts';
import { normalizeContentType, sanitizeFilename } from './sanitize.ts';

/** Uploads a reply never sent are deleted after this long. */
export const UNSENT_TTL_MS = 24 * 3600_000;
/**
 * A file no row references is kept this long after it was last written: an upload stores its bytes
 * before it writes its row, and a sweep must not fall between the two.
 */
export const ORPHAN_GRACE_MS = 3600_000;

/** One uploaded file as the HTTP layer hands it over: a stream, read once. */
export interface IncomingFile { filename: string; contentType: string; stream: Readable }

/** A file a channel received with a message (an email attachment, an inline image). */
export interface InboundFile { filename: string; contentType: string; content: Buffer; contentId?: string }

/**
 * Stores an agent's uploads on a ticket. They wait, unsent (messageId null), until a reply or note
 * names them; nobody but the uploader sees them before that.
 */
export async function uploadAttachments(ctx: Ctx, store: FileStore, ticket: Ticket, files: AsyncIterable<IncomingFile>): Promise<AttachmentView[]> {
  const rows: Array<typeof attachments.$inferInsert> = [];
  for await (const f of files) {
    const filename = sanitizeFilename(f.filename);
    const { sha256, size } = await store.put(f.stream);
    if (!size) throw new AppError('validation', { zh: `文件“${filename}”是空的`, en: `The file "${filename}" is empty` });
    rows.push({ tenantId: ctx.tenantId, ticketId: ticket.id, filename, contentType: normalizeContentType(f.contentType), size, sha256, uploadedBy: actorUserId(ctx.actor) });
  }
  if (!rows.length) throw new AppError('validation', { zh: '没有收到文件', en: 'No files were sent' });
  const saved = await ctx.db.insert(attachments).values(rows).returning();
  return saved.map(presentAttachment);
}

/**
 * Sends the actor's unsent uploads of this ticket with a message, inside the message's transaction.
 * An id that is unknown, of another company or someone else's draft is a 404; one of another ticket,
 * or already sent, a 400.
 */
export async function attachToMessage(ctx: Ctx, ticketId: string, messageId: string, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  const rows = await ctx.db.select().from(attachments).where(inTenant(ctx, attachments, inArray(attachments.id, unique))).for('update');
  const me = actorUserId(ctx.actor);
  if (rows.length !== unique.length || rows.some((a) => a.uploadedBy !== me)) {
    throw new AppError('not_found', { zh: '要发送的附件不存在，请重新上传', en: 'An attachment to send was not found: upload it again' });
  }
  const elsewhere = rows.find((a) => a.ticketId !== ticketId);
  if (elsewhere) throw new AppError('validation', { zh: `文件“${elsewhere.filename}”是上传到另一个工单的`, en: `The file "${elsewhere.filename}" was uploaded to another ticket` });
  const sent = rows.find((a) => a.messageId);
  if (sent) throw new AppError('validation', { zh: `文件“${sent.filename}”已经发送过了`, en: `The file "${sent.filename}" was already sent` });
  await ctx.db.update(attachments).set({ messageId }).where(inTenant(ctx, attachments, inArray(attachments.id, unique)));
}

export interface StoredInbound extends StoredFile { filename: string; contentType: string; contentId: string | null }

/**
 * Writes a received message's files before its ingest transaction starts. Content-addressed, so a
 * transaction that rolls back leaves at most an orphan file, which the sweep removes. Files above the
 * install's limit are left out and reported to the channel, which decides what to tell the customer.
 */
export async function storeInboundFiles(store: FileStore, files: readonly InboundFile[]): Promise<{ stored: StoredInbound[]; tooLarge: Array<{ filename: string; size: number }> }> {
  const stored: StoredInbound[] = [];
  const tooLarge: Array<{ filename: string; size: number }> = [];
  for (const f of files) {
    const filename = sanitizeFilename(f.filename);
    if (f.content.length > store.maxBytes) { tooLarge.push({ filename, size: f.content.length }); continue; }
    const file = await store.put(f.content);
    stored.push({ ...file, filename, contentType: normalizeContentType(f.contentType), contentId: f.contentId?.trim().replace(/^<|>$/g, '') || null });
  }
  return { stored, tooLarge };
}

/** The rows of a received message's files, written in the ingest transaction. */
export async function insertInboundAttachments(ctx: Ctx, ticketId: string, messageId: string, files: readonly StoredInbound[]): Promise<void> {
  if (!files.length) return;
  await ctx.db.insert(attachments).values(files.map((f) => ({
    tenantId: ctx.tenantId, ticketId, messageId, filename: f.filename, contentType: f.contentType, size: f.size, sha256: f.sha256, contentId: f.contentId, uploadedBy: null,
  })));
}

/**
 * Housekeeping, across every company (the bytes are per install): deletes uploads never sent within
 * UNSENT_TTL_MS, then removes files no row references any more (older than ORPHAN_GRACE_MS), and
 * temporary files an interrupted upload left behind.
 */
export async function sweepAttachments(db: Conn, store: FileStore, now: Date): Promise<{ uploads: number; files: number }> {
  const stale = await db.delete(attachments)
    .where(and(isNull(attachments.messageId), isNull(attachments.articleId), lt(attachments.createdAt, new Date(now.getTime() - UNSENT_TTL_MS))))
    .returning({ id: attachments.id });
  const cutoff = new Date(now.getTime() - ORPHAN_GRACE_MS);
  let files = 0;
  let batch: Array<{ sha256: string | null; path: string }> = [];
  const flush = async () => {
    const shas = batch.flatMap((f) => (f.sha256 ? [f.sha256] : []));
    const referenced = new Set(shas.length
      ? (await db.selectDistinct({ sha256: attachments.sha256 }).from(attachments).where(inArray(attachments.sha256, shas))).map((r) => r.sha256)
      : []);
    for (const f of batch) {
      if (f.sha256 && referenced.has(f.sha256)) continue;
      if (await store.removeIfOlder(f.path, cutoff)) files++;
    }
    batch = [];
  };
  for await (const f of store.list()) {
    if (f.mtime > cutoff) continue;
    batch.push(f);
    if (batch.length >= 500) await flush();
  }
  await flush();
  return { uploads: stale.length, files };
}

