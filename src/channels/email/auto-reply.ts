import { and, count, eq, gt, sql } from 'drizzle-orm';
import type { Ctx } from '../../modules/context.ts';
import { addSystemMessage } from '../../modules/tickets/tickets.service.ts';
import { messages, tickets } from '../../modules/tickets/tickets.schema.ts';
import { customers } from '../../modules/customers/customers.schema.ts';
import { mailboxes, outboundMails, type Mailbox } from './email.schema.ts';
import { fillTemplate, languageOf, replySubject } from './outbound-compose.ts';
import type { ParsedMail } from './parse-mail.ts';
import { queueOutbound } from './send-queue.ts';

/**
 * The acknowledgement a mailbox sends when a mail opens a NEW ticket ("we received your request #n").
 * Never to machines: bounces, auto-replies and list mail never get this far (the pipeline ignores them),
 * our own addresses neither; no-reply senders are skipped here; and one sender gets at most the
 * mailbox's hourly limit, so two autoresponders cannot keep each other busy. It goes through the same
 * send queue, as a system message on the ticket.
 */

/** Senders that announce nobody reads their mail. */
const NO_REPLY_SENDER = /^(?:no-?reply|do-?not-?reply|noreply|mailer-daemon|postmaster|bounces?)(?:[+._-].*)?$/i;

export type AutoReplySkip = 'disabled' | 'no_template' | 'no_reply_sender' | 'rate_limited';

/** Which template text applies, in the mail's language, falling back to the other language. */
export function pickTemplate(m: Pick<Mailbox, 'autoReplySubjectZh' | 'autoReplySubjectEn' | 'autoReplyBodyZh' | 'autoReplyBodyEn'>, text: string) {
  const zh = languageOf(text) === 'zh-CN';
  const body = zh ? m.autoReplyBodyZh || m.autoReplyBodyEn : m.autoReplyBodyEn || m.autoReplyBodyZh;
  const useZh = zh ? !!m.autoReplyBodyZh : !m.autoReplyBodyEn;
  const subject = useZh ? m.autoReplySubjectZh || m.autoReplySubjectEn : m.autoReplySubjectEn || m.autoReplySubjectZh;
  return body?.trim() ? { body, subject: subject?.trim() || null } : null;
}

/** Sends the mailbox's auto-reply for a ticket this mail just opened, in the pipeline's transaction; why not, when it does not. */
export async function autoReply(ctx: Ctx, input: { mailboxId: string | null; ticketId: string; mail: ParsedMail }): Promise<{ sent: true } | { sent: false; skip: AutoReplySkip }> {
  if (!input.mailboxId) return { sent: false, skip: 'disabled' };
  const [mailbox] = await ctx.db.select().from(mailboxes).where(eq(mailboxes.id, input.mailboxId));
  if (!mailbox?.autoReplyEnabled) return { sent: false, skip: 'disabled' };
  const to = input.mail.from!.address.toLowerCase();
  if (NO_REPLY_SENDER.test(to.split('@')[0] ?? '')) return { sent: false, skip: 'no_reply_sender' };
  const template = pickTemplate(mailbox, `${input.mail.subject}\n${input.mail.text.slice(0, 2000)}`);
  if (!template) return { sent: false, skip: 'no_template' };
  const [{ n }] = await ctx.db.select({ n: count() }).from(outboundMails)
    .where(and(eq(outboundMails.tenantId, ctx.tenantId), eq(outboundMails.kind, 'auto_reply'), sql`lower(${outboundMails.toAddress}) = ${to}`, gt(outboundMails.createdAt, new Date(Date.now() - 3600_000))));
  if (Number(n) >= mailbox.autoReplyHourlyLimit) return { sent: false, skip: 'rate_limited' };

  const [ticket] = await ctx.db.select().from(tickets).where(eq(tickets.id, input.ticketId));
  const [customer] = ticket.customerId ? await ctx.db.select({ name: customers.name }).from(customers).where(eq(customers.id, ticket.customerId)) : [];
  const values = { number: ticket.number, subject: ticket.subject, customerName: customer?.name ?? input.mail.from!.name ?? '' };
  const body = fillTemplate(template.body, values).slice(0, 20_000);
  const subject = template.subject ? fillTemplate(template.subject, values).replace(/[\r\n]+/g, ' ').slice(0, 300) : replySubject(ticket.subject, ticket.number);
  const message = await addSystemMessage(ctx, ticket.id, body, 'public');
  // written in the customer's mail's transaction, whose now() both messages would share: the reply comes after
  await ctx.db.update(messages).set({ createdAt: sql`clock_timestamp()` }).where(eq(messages.id, message.id));
  const messageId = input.mail.messageId ?? null;
  await queueOutbound(ctx.db, {
    ticket, message, kind: 'auto_reply', subject, text: `${body.trimEnd()}\n`,
    route: { mailbox, toAddress: input.mail.from!.address, customerName: values.customerName, inReplyTo: messageId, threadIds: messageId ? [messageId] : [] },
  }, '');
  return { sent: true };
}
