import nodemailer from 'nodemailer';
import type { Subscriber } from '../../events/subscriber.ts';
import { getMail, markMail } from './mail.service.ts';

/**
 * Delivers queued outbox mail over SMTP. Without SMTP configured the mail stays readable in the
 * outbox (status "stored"), which is how a fresh install shows invitation links.
 * A thrown error makes the job retry with backoff.
 */
export const mailSubscriber: Subscriber = {
  name: 'mail',
  handles: ['mail.queued'],
  async handle(stored, rt) {
    if (stored.event.type !== 'mail.queued') return;
    const { db } = rt.database;
    const mail = await getMail(db, stored.event.mailId);
    if (!mail || mail.status === 'sent') return; // idempotent: a redelivered event sends nothing twice
    if (!rt.config.smtpUrl) {
      await markMail(db, mail.id, { status: 'stored' });
      return;
    }
    try {
      const transport = rt.mailTransport();
      const info = await transport.sendMail({ from: rt.config.mailFrom, to: mail.toAddress, subject: mail.subject, text: mail.text, html: mail.html ?? undefined });
      await markMail(db, mail.id, { status: 'sent', sentAt: new Date(), messageId: info.messageId, attempts: mail.attempts + 1, lastError: null });
    } catch (err) {
      await markMail(db, mail.id, { status: 'queued', attempts: mail.attempts + 1, lastError: String((err as Error).message) });
      throw err;
    }
  },
};

export function createTransport(smtpUrl: string) {
  return nodemailer.createTransport(smtpUrl);
}
