import { and, inArray, isNull } from 'drizzle-orm';
import type { AttachmentView } from '../../contracts/attachments.ts';
import { AppError } from '../../contracts/errors.ts';
import { presentAttachment } from '../attachments/attachments.presenter.ts';
import { attachments, type Attachment } from '../attachments/attachments.schema.ts';
import type { IncomingFile } from '../attachments/attachments.service.ts';
import type { FileStore } from '../attachments/file-store.ts';
import { normalizeContentType, sanitizeFilename } from '../attachments/sanitize.ts';
import type { Ctx } from '../context.ts';
import { inTenant } from '../tenant-scope.ts';

/**
 * Files a customer adds to a help-center request. They are uploaded before the request is sent (the
 * form shows them as they go up) and belong to nothing until the request names them: no ticket, no
 * message, no article, no uploader. Nobody can read them before that (staff see a ticket's files only);
 * those never named are removed by the attachments sweep after a day, like any unsent upload.
 */
export const MAX_REQUEST_FILES = 5;
export const MAX_REQUEST_FILE_BYTES = 10 * 1024 * 1024;

export async function storeRequestUploads(ctx: Ctx, store: FileStore, files: AsyncIterable<IncomingFile>): Promise<AttachmentView[]> {
  const rows: Array<typeof attachments.$inferInsert> = [];
  for await (const f of files) {
    const filename = sanitizeFilename(f.filename);
    const { sha256, size } = await store.put(f.stream);
    if (!size) throw new AppError('validation', { zh: `文件“${filename}”是空的`, en: `The file "${filename}" is empty` });
    rows.push({ tenantId: ctx.tenantId, filename, contentType: normalizeContentType(f.contentType), size, sha256, uploadedBy: null });
  }
  if (!rows.length) throw new AppError('validation', { zh: '没有收到文件', en: 'No files were sent' });
  return (await ctx.db.insert(attachments).values(rows).returning()).map(presentAttachment);
}

const unclaimed = () => [isNull(attachments.ticketId), isNull(attachments.messageId), isNull(attachments.articleId), isNull(attachments.uploadedBy)];

/** The request's uploads, locked for the request's transaction: each must be an unclaimed portal upload of this company (else 404). */
export async function lockRequestUploads(ctx: Ctx, ids: readonly string[]): Promise<Attachment[]> {
  const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
  if (!unique.length) return [];
  if (unique.length > MAX_REQUEST_FILES) throw new AppError('validation', { zh: `最多 ${MAX_REQUEST_FILES} 个附件`, en: `At most ${MAX_REQUEST_FILES} files` });
  const rows = await ctx.db.select().from(attachments).where(inTenant(ctx, attachments, inArray(attachments.id, unique), ...unclaimed())).for('update');
  if (rows.length !== unique.length) throw new AppError('not_found', { zh: '附件不存在或已过期，请重新上传', en: 'An attachment was not found or has expired: upload it again' });
  return rows;
}

/** Gives the uploads to the request's ticket and first message. */
export async function claimRequestUploads(ctx: Ctx, rows: readonly Attachment[], ticketId: string, messageId: string): Promise<void> {
  if (!rows.length) return;
  await ctx.db.update(attachments).set({ ticketId, messageId })
    .where(and(inTenant(ctx, attachments, inArray(attachments.id, rows.map((r) => r.id)), ...unclaimed())));
}
