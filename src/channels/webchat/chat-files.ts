import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { and, eq, inArray } from 'drizzle-orm';
import type { AttachmentView } from '../../contracts/attachments.ts';
import { AppError } from '../../contracts/errors.ts';
import type { Conn } from '../../db/client.ts';
import { presentAttachment } from '../../modules/attachments/attachments.presenter.ts';
import { attachments, type Attachment } from '../../modules/attachments/attachments.schema.ts';
import { insertInboundAttachments, type StoredInbound } from '../../modules/attachments/attachments.service.ts';
import type { FileStore } from '../../modules/attachments/file-store.ts';
import { normalizeContentType, sanitizeFilename } from '../../modules/attachments/sanitize.ts';
import { systemCtx } from '../../modules/context.ts';
import { messages } from '../../modules/tickets/tickets.schema.ts';
import { acceptVisitorMessage, type ChatLine, type VisitorSend } from './chat.service.ts';
import { sniffImage } from './widget-logo.ts';
import { chatConversations, chatVisitors, type ChatVisitor, type WidgetStyle } from './webchat.schema.ts';

/**
 * Files in a chat. A visitor sends one through an HTTP route authorized by the file token the widget got
 * in its hello (a capability for this visitor's chat files only, so the visitor key never travels in a
 * URL); it becomes a visitor message whose attachment the ticket keeps. Agents attach through the ticket's
 * upload route and send the ids with their message. Both sides see images as thumbnails, other files as
 * download links.
 */

/** The visitor's file token, made on first use and kept. */
export async function fileTokenFor(db: Conn, visitor: Pick<ChatVisitor, 'id' | 'fileToken'>): Promise<string> {
  if (visitor.fileToken) return visitor.fileToken;
  const token = crypto.randomBytes(24).toString('base64url');
  await db.update(chatVisitors).set({ fileToken: token }).where(and(eq(chatVisitors.id, visitor.id)));
  const [row] = await db.select({ fileToken: chatVisitors.fileToken }).from(chatVisitors).where(eq(chatVisitors.id, visitor.id));
  return row.fileToken ?? token;
}

/** The visitor a file token belongs to, in this company, or a 404. */
export async function visitorByFileToken(db: Conn, tenantId: string, token: string): Promise<ChatVisitor> {
  const [v] = await db.select().from(chatVisitors).where(and(eq(chatVisitors.tenantId, tenantId), eq(chatVisitors.fileToken, token)));
  if (!v) throw new AppError('not_found');
  return v;
}

/**
 * The type to keep for a chat file: an image type only when the bytes are that image (a script named
 * photo.png stays a download of opaque bytes), anything else as declared (downloads are opaque anyway).
 */
async function trustedType(store: FileStore, sha256: string, declared: string): Promise<string> {
  const handle = await fsp.open(store.pathOf(sha256), 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    const sniffed = sniffImage(head.subarray(0, bytesRead));
    if (sniffed) return sniffed;
    const type = normalizeContentType(declared);
    return type.startsWith('image/') ? 'application/octet-stream' : type;
  } finally {
    await handle.close();
  }
}

export interface VisitorFileSend extends VisitorSend { files: AttachmentView[] }

/**
 * A visitor's file (one per message): stored, then sent as the visitor's message (its body names the
 * file) with the attachment row written in the message's transaction. The client id makes a resend
 * harmless, as for text. A new conversation id opens the chat like a first text message would.
 */
export async function sendVisitorFile(
  db: Conn, store: FileStore, tenantId: string, visitor: ChatVisitor, style: WidgetStyle | null,
  frame: { conversationId: string; clientId: string }, files: AsyncIterable<{ filename: string; contentType: string; stream: Readable }>,
): Promise<VisitorFileSend> {
  const stored: StoredInbound[] = [];
  for await (const f of files) {
    if (stored.length) { f.stream.resume(); continue; }
    const filename = sanitizeFilename(f.filename);
    const file = await store.put(f.stream);
    if (!file.size) throw new AppError('validation', { zh: `文件“${filename}”是空的`, en: `The file "${filename}" is empty` });
    stored.push({ ...file, filename, contentType: await trustedType(store, file.sha256, f.contentType), contentId: null });
  }
  if (!stored.length) throw new AppError('validation', { zh: '没有收到文件', en: 'No file was sent' });
  const body = `📎 ${stored[0].filename}`;
  const sent = await acceptVisitorMessage(db, tenantId, visitor, style, { ...frame, body }, async (tx, r) => {
    await insertInboundAttachments(systemCtx(tx, tenantId, 'visitor'), r.ticketId, r.messageId, stored);
  });
  if (!sent.ack.ok) {
    throw new AppError('validation', sent.ack.code === 'bad_conversation'
      ? { zh: '这次会话已结束，请重新发起咨询', en: 'This chat has ended: start a new one' }
      : { zh: '文件消息无效', en: `The file message was refused (${sent.ack.code})` });
  }
  const lines = await withAttachments(db, tenantId, [sent.line!]);
  return { ...sent, line: lines[0], files: lines[0].attachments ?? [] };
}

/** The lines with their files (one query for all of them); lines without files are returned as they are. */
export async function withAttachments(db: Conn, tenantId: string, lines: ChatLine[]): Promise<Array<ChatLine & { attachments?: AttachmentView[] }>> {
  if (!lines.length) return lines;
  const rows = await db.select().from(attachments)
    .where(and(eq(attachments.tenantId, tenantId), inArray(attachments.messageId, lines.map((l) => l.messageId))));
  if (!rows.length) return lines;
  const by = new Map<string, AttachmentView[]>();
  for (const r of rows) by.set(r.messageId!, [...(by.get(r.messageId!) ?? []), presentAttachment(r)]);
  return lines.map((l) => (by.has(l.messageId) ? { ...l, attachments: by.get(l.messageId) } : l));
}

/**
 * A file of one of the visitor's chats, on a public message of it (an internal note's files stay with
 * staff), or a 404.
 */
export async function visitorAttachment(db: Conn, tenantId: string, visitor: ChatVisitor, attachmentId: string): Promise<Attachment> {
  const [row] = await db.select({ a: attachments }).from(attachments)
    .innerJoin(messages, eq(messages.id, attachments.messageId))
    .innerJoin(chatConversations, eq(chatConversations.ticketId, attachments.ticketId))
    .where(and(
      eq(attachments.tenantId, tenantId), eq(attachments.id, attachmentId), eq(messages.visibility, 'public'),
      eq(chatConversations.tenantId, tenantId), eq(chatConversations.visitorId, visitor.id),
    )).limit(1);
  if (!row) throw new AppError('not_found');
  return row.a;
}
