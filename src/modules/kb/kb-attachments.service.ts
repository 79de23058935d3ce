import { asc, count, eq, isNotNull } from 'drizzle-orm';
import type { AttachmentView } from '../../contracts/attachments.ts';
import { AppError } from '../../contracts/errors.ts';
import { presentAttachment } from '../attachments/attachments.presenter.ts';
import { attachments, type Attachment } from '../attachments/attachments.schema.ts';
import type { FileStore } from '../attachments/file-store.ts';
import { normalizeContentType, sanitizeFilename } from '../attachments/sanitize.ts';
import type { IncomingFile } from '../attachments/attachments.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorUserId } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { PUBLIC_ARTICLE } from './kb-articles.service.ts';
import { kbArticles } from './kb.schema.ts';

/**
 * Files of knowledge-base articles (manuals, forms, screenshots): the attachments module's
 * content-addressed store, rows carrying the article instead of a ticket. Staff see them on every
 * article; the public sees them only while the article is published and public, decided in
 * publicArticleAttachment/publicArticleAttachments below and nowhere else.
 */

export const MAX_FILES_PER_ARTICLE = 20;

export async function uploadArticleAttachments(ctx: Ctx, store: FileStore, articleId: string, files: AsyncIterable<IncomingFile>): Promise<AttachmentView[]> {
  const article = await findOwned(ctx, kbArticles, articleId);
  const [{ n }] = await ctx.db.select({ n: count() }).from(attachments).where(inTenant(ctx, attachments, eq(attachments.articleId, article.id)));
  const rows: Array<typeof attachments.$inferInsert> = [];
  for await (const f of files) {
    const filename = sanitizeFilename(f.filename);
    const { sha256, size } = await store.put(f.stream);
    if (!size) throw new AppError('validation', { zh: `文件“${filename}”是空的`, en: `The file "${filename}" is empty` });
    rows.push({ tenantId: ctx.tenantId, articleId: article.id, filename, contentType: normalizeContentType(f.contentType), size, sha256, uploadedBy: actorUserId(ctx.actor) });
  }
  if (!rows.length) throw new AppError('validation', { zh: '没有收到文件', en: 'No files were sent' });
  if (n + rows.length > MAX_FILES_PER_ARTICLE) {
    throw new AppError('validation', { zh: `每篇文章最多 ${MAX_FILES_PER_ARTICLE} 个附件`, en: `An article may have at most ${MAX_FILES_PER_ARTICLE} files` });
  }
  const saved = await ctx.db.insert(attachments).values(rows).returning();
  await recordAudit(ctx, { action: 'kb_article.attach', targetType: 'kb_article', targetId: article.id, after: { files: saved.map((s) => s.filename) } });
  return saved.map(presentAttachment);
}

async function filesOf(ctx: Ctx, articleId: string): Promise<AttachmentView[]> {
  const rows = await ctx.db.select().from(attachments).where(inTenant(ctx, attachments, eq(attachments.articleId, articleId)))
    .orderBy(asc(attachments.createdAt), asc(attachments.filename), asc(attachments.id));
  return rows.map(presentAttachment);
}

/** Staff: the files of any article of their company (they read the whole knowledge base). */
export async function listArticleAttachments(ctx: Ctx, articleId: string): Promise<AttachmentView[]> {
  await findOwned(ctx, kbArticles, articleId);
  return filesOf(ctx, articleId);
}

export async function removeArticleAttachment(ctx: Ctx, articleId: string, attachmentId: string): Promise<void> {
  await findOwned(ctx, kbArticles, articleId);
  const [gone] = await ctx.db.delete(attachments).where(inTenant(ctx, attachments, eq(attachments.id, attachmentId), eq(attachments.articleId, articleId)))
    .returning({ filename: attachments.filename });
  if (!gone) throw new AppError('not_found');
  await recordAudit(ctx, { action: 'kb_article.detach', targetType: 'kb_article', targetId: articleId, before: { file: gone.filename } });
}

/** The public's list: only of a published public article (anything else is a 404, like the article). */
export async function publicArticleAttachments(ctx: Ctx, articleId: string): Promise<AttachmentView[]> {
  const [article] = await ctx.db.select({ id: kbArticles.id }).from(kbArticles).where(inTenant(ctx, kbArticles, eq(kbArticles.id, articleId), PUBLIC_ARTICLE));
  if (!article) throw new AppError('not_found');
  return filesOf(ctx, article.id);
}

/** The public's download: a file of an article of this company that is published and public right now. */
export async function publicArticleAttachment(ctx: Ctx, attachmentId: string): Promise<Attachment> {
  const [row] = await ctx.db.select({ a: attachments }).from(attachments)
    .innerJoin(kbArticles, eq(kbArticles.id, attachments.articleId))
    .where(inTenant(ctx, attachments, eq(attachments.id, attachmentId), isNotNull(attachments.articleId), eq(kbArticles.tenantId, ctx.tenantId), PUBLIC_ARTICLE));
  if (!row) throw new AppError('not_found');
  return row.a;
}
