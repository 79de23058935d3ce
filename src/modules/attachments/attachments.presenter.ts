import { asc, inArray } from 'drizzle-orm';
import type { AttachmentView } from '../../contracts/attachments.ts';
import type { Ctx } from '../context.ts';
import { inTenant } from '../tenant-scope.ts';
import { attachments, type Attachment } from './attachments.schema.ts';

export function presentAttachment(a: Pick<Attachment, 'id' | 'filename' | 'contentType' | 'size'>): AttachmentView {
  return { id: a.id, filename: a.filename, contentType: a.contentType, size: a.size };
}

/** The files of each message (in upload order, then by name): one query for all the messages given. */
export async function attachmentsOfMessages(ctx: Ctx, messageIds: readonly string[]): Promise<Map<string, AttachmentView[]>> {
  const out = new Map<string, AttachmentView[]>();
  if (!messageIds.length) return out;
  const rows = await ctx.db.select().from(attachments)
    .where(inTenant(ctx, attachments, inArray(attachments.messageId, [...new Set(messageIds)])))
    .orderBy(asc(attachments.createdAt), asc(attachments.filename), asc(attachments.id));
  for (const r of rows) {
    const list = out.get(r.messageId!) ?? [];
    list.push(presentAttachment(r));
    out.set(r.messageId!, list);
  }
  return out;
}
