import { Type } from 'typebox';
import { AttachmentBytes, AttachmentList, AttachmentQuery } from '../../contracts/attachments.ts';
import { IdParams, Ok, Uuid } from '../../contracts/common.ts';
import { AppError } from '../../contracts/errors.ts';
import type { Config } from '../../server/config.ts';
import { defineRoute } from '../../server/define-route.ts';
import { downloadHeaders } from '../attachments/download.ts';
import { fileStoreFor } from '../attachments/file-store.ts';
import { listArticleAttachments, MAX_FILES_PER_ARTICLE, publicArticleAttachment, publicArticleAttachments, removeArticleAttachment, uploadArticleAttachments } from './kb-attachments.service.ts';

const tags = ['kb'];
const MANAGE = { permission: 'kb.manage' } as const;
const PUBLIC_LIMIT = { max: (config: Config) => config.helpCenterRateLimit, timeWindow: '1 minute' };
const ArticleFileParams = Type.Object({ id: Uuid, attachmentId: Uuid });

export const kbAttachmentRoutes = [
  defineRoute({
    method: 'POST', url: '/api/v1/kb/articles/:id/attachments',
    summary: `Attach files to an article (multipart/form-data; at most ${MAX_FILES_PER_ARTICLE} per article); public readers get them while the article is published and public`,
    tags, access: MANAGE, params: IdParams, response: AttachmentList, status: 201,
    files: { maxFiles: MAX_FILES_PER_ARTICLE, maxFileBytes: (config) => config.attachmentMaxBytes },
    handler: async ({ params, files, ctx }) => ({ items: await uploadArticleAttachments(ctx, fileStoreFor(ctx.config), params.id, files) }),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/kb/articles/:id/attachments', summary: 'The files of an article (staff: any article; download with GET /api/v1/attachments/:id)', tags,
    access: 'staff', params: IdParams, response: AttachmentList,
    handler: async ({ params, ctx }) => ({ items: await listArticleAttachments(ctx, params.id) }),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/kb/articles/:id/attachments/:attachmentId', summary: 'Remove a file from an article (audited)', tags,
    access: MANAGE, params: ArticleFileParams, response: Ok,
    handler: async ({ params, ctx }) => { await removeArticleAttachment(ctx, params.id, params.attachmentId); return { ok: true }; },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/kb/public/articles/:id/attachments', summary: 'The files of a published public article', tags,
    access: { public: 'help-center readers download an article\'s files' }, rateLimit: PUBLIC_LIMIT, params: IdParams, response: AttachmentList,
    handler: async ({ params, ctx }) => ({ items: await publicArticleAttachments(ctx, params.id) }),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/kb/public/attachments/:id',
    summary: 'Download a file of a published public article (always as a download; ?inline=1 shows PNG, JPEG, GIF and WebP images in place)', tags,
    access: { public: 'help-center readers download an article\'s files' }, rateLimit: PUBLIC_LIMIT, params: IdParams, query: AttachmentQuery, response: AttachmentBytes,
    handler: async ({ params, query, ctx, req, reply }) => {
      const a = await publicArticleAttachment(ctx, params.id);
      const stream = await fileStoreFor(ctx.config).open(a.sha256);
      if (!stream) {
        req.log.error({ attachment: a.id, sha256: a.sha256 }, 'attachment bytes missing from the file store');
        throw new AppError('not_found', { zh: '文件已不在存储中', en: 'The file is missing from storage' });
      }
      // public, but it can stop being public (unpublished): caches may keep it only briefly
      reply.headers({ ...downloadHeaders(a, query.inline === 1), 'cache-control': 'public, max-age=60' });
      return stream;
    },
  }),
];
