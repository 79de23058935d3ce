import { AttachmentBytes, AttachmentList, AttachmentQuery, MAX_ATTACHMENTS_PER_MESSAGE } from '../../contracts/attachments.ts';
import { IdParams } from '../../contracts/common.ts';
import { AppError } from '../../contracts/errors.ts';
import { defineRoute } from '../../server/define-route.ts';
import { loadVisibleTicket } from '../tickets/tickets.queries.ts';
import { loadVisibleAttachment } from './attachments.queries.ts';
import { uploadAttachments } from './attachments.service.ts';
import { downloadHeaders } from './download.ts';
import { fileStoreFor } from './file-store.ts';

export const attachmentRoutes = [
  defineRoute({
    method: 'POST', url: '/api/v1/tickets/:id/attachments',
    summary: 'Upload files to a ticket (multipart/form-data, one or more file parts); they are sent with the next reply or note that names them',
    tags: ['tickets'], access: 'staff', params: IdParams, response: AttachmentList, status: 201,
    files: { maxFiles: MAX_ATTACHMENTS_PER_MESSAGE, maxFileBytes: (config) => config.attachmentMaxBytes },
    handler: async ({ params, files, ctx }) => {
      const ticket = await loadVisibleTicket(ctx, params.id);
      return { items: await uploadAttachments(ctx, fileStoreFor(ctx.config), ticket, files) };
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/attachments/:id',
    summary: 'Download a file of a ticket you can see (always as a download; ?inline=1 shows PNG, JPEG, GIF and WebP images in place)',
    tags: ['tickets'], access: 'staff', params: IdParams, query: AttachmentQuery, response: AttachmentBytes,
    handler: async ({ params, query, ctx, req, reply }) => {
      const a = await loadVisibleAttachment(ctx, params.id);
      const stream = await fileStoreFor(ctx.config).open(a.sha256);
      if (!stream) {
        req.log.error({ attachment: a.id, sha256: a.sha256 }, 'attachment bytes missing from the file store');
        throw new AppError('not_found', { zh: '文件已不在存储中', en: 'The file is missing from storage' });
      }
      reply.headers(downloadHeaders(a, query.inline === 1));
      return stream;
    },
  }),
];
