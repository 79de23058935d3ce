import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { Db } from '../../db/client.ts';
import { mailboxes, type Mailbox } from './email.schema.ts';
import { storeFetched } from './inbound-store.ts';
import { processPending, type PipelineDeps } from './ingest-mail.ts';
import { DEFAULT_MAIL_LIMITS } from './parse-mail.ts';

/**
 * Kefu's own SMTP receiver, for mail forwarded to Kefu or sent to it as a domain's MX: it accepts mail
 * only for the addresses of active smtp_receiver mailboxes (anything else is refused at RCPT with 550,
 * so it never becomes an open relay or a sink for spam), stores the raw bytes for each mailbox named,
 * and answers 250 only once they are committed. The pipeline then runs here at once; what a crash
 * interrupts, the scheduler's next turn for that mailbox finishes.
 */

export interface SmtpReceiver { port: number; close(): Promise<void> }

type Target = Pick<Mailbox, 'id' | 'tenantId' | 'departmentId'>;

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

async function mailboxFor(db: Db, address: string): Promise<Target | null> {
  const [m] = await db.select({ id: mailboxes.id, tenantId: mailboxes.tenantId, departmentId: mailboxes.departmentId }).from(mailboxes)
    .where(and(eq(mailboxes.protocol, 'smtp_receiver'), eq(mailboxes.active, true), sql`lower(${mailboxes.address}) = ${address.toLowerCase()}`)).limit(1);
  return m ?? null;
}

export async function startSmtpReceiver(opts: { deps: PipelineDeps; host: string; port: number; maxBytes?: number }): Promise<SmtpReceiver> {
  const { deps } = opts;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAIL_LIMITS.maxBytes;
  const targets = new Map<string, Map<string, Target>>();
  const server = new SMTPServer({
    banner: 'Kefu mail receiver',
    size: maxBytes,
    authOptional: true,
    // no certificates are configured for it: put a TLS-terminating MTA in front where that matters
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    maxClients: 200,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    onConnect(session, callback) {
      targets.set(session.id, new Map());
      callback();
    },
    onClose(session) {
      targets.delete(session.id);
    },
    onMailFrom(_address, session, callback) {
      targets.set(session.id, new Map());
      callback();
    },
    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback) {
      mailboxFor(deps.db, address.address).then((m) => {
        if (!m) return callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
        targets.get(session.id)?.set(m.id, m);
        callback();
      }, (err) => {
        deps.log?.('smtp receiver: mailbox lookup failed', { err: String(err) });
        callback(smtpError(451, '4.3.0 temporary failure, try again later'));
      });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => { chunks.push(c); });
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(smtpError(552, `5.3.4 message larger than ${maxBytes} bytes`));
          return;
        }
        const raw = Buffer.concat(chunks);
        const boxes = [...(targets.get(session.id)?.values() ?? [])];
        // a resent message (our 250 lost on the way) has the same bytes: the remote id makes it one mail
        const remoteId = `smtp:${crypto.createHash('sha256').update(raw).digest('hex')}`;
        Promise.all(boxes.map((m) => storeFetched(deps.db, m, [{ remoteId, raw }]))).then(() => {
          callback(null, 'Message accepted');
          for (const m of boxes) {
            processPending(deps, m).catch((err) => deps.log?.('smtp receiver: processing failed', { mailbox: m.id, err: String(err) }));
          }
        }, (err) => {
          deps.log?.('smtp receiver: storing a message failed', { err: String(err) });
          callback(smtpError(451, '4.3.0 could not store the message, try again later'));
        });
      });
    },
  });
  server.on('error', (err) => deps.log?.('smtp receiver error', { err: String(err) }));
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve((server.server.address() as { port: number }).port));
  });
  return {
    port,
    close: () => Promise.race([
      new Promise<void>((resolve) => server.close(() => resolve())),
      new Promise<void>((resolve) => setTimeout(resolve, 6000).unref()),
    ]),
  };
}
