import { SMTPServer } from 'smtp-server';
import type { DovecotServer } from './dovecot-server.ts';

/**
 * A local SMTP relay for the outbound mail tests: it accepts every message (no TLS; AUTH accepted when
 * offered, so a mailbox's custom SMTP login is exercised), keeps the raw bytes, and hands each one to
 * Dovecot for every recipient that has a Dovecot user, the way an MTA delivers. It can be stopped and
 * started again on the same port ("the SMTP server is down").
 */
export interface SmtpRelay {
  host: string;
  port: number;
  /** Every accepted message: envelope and raw bytes. */
  received: Array<{ from: string; to: string[]; raw: Buffer }>;
  /** Logins seen (user names). */
  logins: string[];
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpRelay(opts: { dovecot?: DovecotServer | null; deliverTo?: (address: string) => boolean; port?: number } = {}): Promise<SmtpRelay> {
  const received: SmtpRelay['received'] = [];
  const logins: string[] = [];
  let server: SMTPServer | null = null;
  let port = opts.port ?? 0;
  const make = () => new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 500,
    onAuth(auth, _session, callback) {
      logins.push(auth.username ?? '');
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to, raw });
        try {
          for (const address of to) if (opts.dovecot && (opts.deliverTo?.(address) ?? true)) opts.dovecot.deliver(address, raw);
          callback();
        } catch (err) {
          callback(Object.assign(new Error(`4.3.0 delivery failed: ${(err as Error).message}`), { responseCode: 451 }));
        }
      });
    },
  });
  const start = async () => {
    server = make();
    server.on('error', () => {});
    port = await new Promise<number>((resolve, reject) => {
      server!.server.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve((server!.server.address() as { port: number }).port));
    });
  };
  const stop = () => new Promise<void>((resolve) => {
    const s = server;
    server = null;
    if (!s) return resolve();
    s.close(() => resolve());
  });
  await start();
  return {
    host: '127.0.0.1',
    get port() { return port; },
    received,
    logins,
    start,
    stop,
    close: stop,
  };
}
