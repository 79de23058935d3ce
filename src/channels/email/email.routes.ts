import { IdParams } from '../../contracts/common.ts';
import { DeliveryList, DeliveryView, MailboxCheck, MailboxInput, MailboxList, MailboxPatch, MailboxSync, MailboxView, MailPage, MessageParams, RawParams, RawSource } from '../../contracts/email.ts';
import { loadVisibleTicket } from '../../modules/tickets/tickets.queries.ts';
import { listDeliveries, retryDelivery } from './deliveries.service.ts';
import { fileStoreFor } from '../../modules/attachments/file-store.ts';
import { defineRoute, type RouteCtx } from '../../server/define-route.ts';
import { requestLocale } from '../../server/errors.ts';
import { lanesFor, type PipelineDeps } from './ingest-mail.ts';
import { createMailbox, getMailbox, listMailboxes, syncMailbox, testMailbox, updateMailbox } from './mailboxes.service.ts';
import { rawMessage } from './raw-source.ts';
import { messageHtml } from './mail-html.ts';

const pipelineDeps = (ctx: RouteCtx, log: (msg: string, extra: Record<string, unknown>) => void): PipelineDeps => ({
  db: ctx.db as PipelineDeps['db'], files: fileStoreFor(ctx.config), log, lanes: lanesFor(ctx.config.databaseUrl ? 'postgres' : 'pglite'),
});

export const emailRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/mailboxes', summary: 'Mailboxes mail comes in through, with their last sync state and what became of their mail', tags: ['email'],
    access: { permission: 'settings.manage' }, response: MailboxList,
    handler: ({ ctx }) => listMailboxes(ctx),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/mailboxes', summary: 'Add a mailbox (IMAP, POP3, or an address for the built-in SMTP receiver)', tags: ['email'],
    access: { permission: 'settings.manage' }, body: MailboxInput, response: MailboxView, status: 201,
    handler: ({ body, ctx }) => createMailbox(ctx, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/mailboxes/:id', summary: 'One mailbox (the password is never returned: see hasPassword)', tags: ['email'],
    access: { permission: 'settings.manage' }, params: IdParams, response: MailboxView,
    handler: ({ params, ctx }) => getMailbox(ctx, params.id),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/mailboxes/:id', summary: 'Change a mailbox\'s settings, deactivate it (password null removes the stored one)', tags: ['email'],
    access: { permission: 'settings.manage' }, params: IdParams, body: MailboxPatch, response: MailboxView,
    handler: ({ params, body, ctx }) => updateMailbox(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/mailboxes/:id/test', summary: 'Test the connection: signs in to the server and opens the folder; answers ok or what failed (auth, host, TLS, folder); smtp: the outgoing server answered and accepted the sign-in', tags: ['email'],
    access: { permission: 'settings.manage' }, params: IdParams, response: MailboxCheck,
    handler: ({ params, ctx, req }) => testMailbox(ctx, params.id, requestLocale(req), ctx.config.smtpReceiverPort, ctx.config.smtpUrl),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/mailboxes/:id/sync', summary: 'Fetch now: new mail is stored and turned into tickets before the answer (or the node holding the mailbox is woken)', tags: ['email'],
    access: { permission: 'settings.manage' }, params: IdParams, response: MailboxSync,
    handler: ({ params, ctx, req }) => syncMailbox(ctx, pipelineDeps(ctx, (msg, extra) => req.log.warn(extra, msg)), req.server.kefu.nodeId, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/tickets/:id/messages/:messageId/raw',
    summary: 'The original source of an email message, exactly as received (a text/plain download); needs customers.view_contact, as it shows the sender\'s address',
    tags: ['tickets'], access: 'staff', params: RawParams, response: RawSource,
    handler: async ({ params, ctx, reply }) => {
      const raw = await rawMessage(ctx, params.id, params.messageId);
      reply.headers({
        // the bytes as they came: 8-bit mail in GB2312 or Big5 must not be relabelled as UTF-8
        'content-type': 'text/plain',
        'content-disposition': `attachment; filename="message-${params.messageId}.eml"`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': 'sandbox',
        'cache-control': 'private, no-store',
      });
      return raw;
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/tickets/:id/deliveries', summary: 'What became of the ticket\'s outgoing emails: queued, sending, sent, failed (with the error and the next attempt) or bounced', tags: ['tickets', 'email'],
    access: 'staff', params: IdParams, response: DeliveryList,
    handler: async ({ params, ctx }) => listDeliveries(ctx, await loadVisibleTicket(ctx, params.id)),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/tickets/:id/messages/:messageId/retry-send', summary: 'Send a failed outgoing email again now', tags: ['tickets', 'email'],
    access: 'staff', params: MessageParams, response: DeliveryView,
    handler: async ({ params, ctx }) => retryDelivery(ctx, await loadVisibleTicket(ctx, params.id), params.messageId),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/tickets/:id/messages/:messageId/html',
    summary: 'A customer\'s email as it was formatted: sanitized HTML (no scripts, no remote images; inline images embedded), quoted history folded; for a sandboxed frame',
    tags: ['tickets', 'email'], access: 'staff', params: RawParams, response: MailPage,
    handler: async ({ params, ctx, reply, req }) => {
      const page = await messageHtml(ctx, params.id, params.messageId, requestLocale(req));
      reply.headers({
        'content-type': 'text/html; charset=utf-8',
        // a page of its own origin-less sandbox: nothing runs, nothing is fetched but the embedded images
        'content-security-policy': "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      });
      return page;
    },
  }),
];
