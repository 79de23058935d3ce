import type { Readable } from 'node:stream';
import Pop3Command from 'node-pop3';
import type { CheckOutcome, FetchSession, MailServer, MailSink } from './mail-server.ts';
import { TIMEOUTS } from './mail-server.ts';
import type { FetchedMail } from './inbound-store.ts';
import { MailServerError } from './connect-errors.ts';

/**
 * POP3 intake (node-pop3): POP3 has no cursor, so the UIDLs already stored (inbound_mails) are the
 * "seen" set and a seen UIDL is never fetched again. Mail stays on the server unless the mailbox says
 * to delete it, and then only once it is stored. POP3 cannot push: the scheduler polls.
 *
 * node-pop3's RETR decodes the message as UTF-8 and leaves the dot-stuffing in; we read the raw
 * stream ourselves so 8-bit mail (GB2312 bodies sent without encoding) keeps its bytes.
 */

const BATCH = 50;
const CRLF = Buffer.from('\r\n');

type Pop3 = Pop3Command & { command(...args: Array<string | number>): Promise<[string, Readable | null]>; _connect(): Promise<string> };

function client(s: MailServer): Pop3 {
  if (s.tls === 'starttls') throw new MailServerError('tls', 'POP3 with STARTTLS is not supported: use TLS (port 995) or a plain connection');
  const c = new Pop3Command({ host: s.host, port: s.port, user: s.username, password: s.password, tls: s.tls === 'tls', timeout: TIMEOUTS.socketMs }) as Pop3;
  // errors surface through the command that hit them; a late socket error must not crash the process
  c.on('error', () => {});
  return c;
}

async function connect(c: Pop3): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'CONNECT_TIMEOUT' })), TIMEOUTS.connectMs);
  });
  try {
    await Promise.race([c._connect(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** RFC 1939: a line starting with "." was sent with one more "."; the terminator is already cut off. */
export function unstuffDots(buf: Buffer): Buffer {
  if (!buf.includes('\n..') && !(buf[0] === 0x2e && buf[1] === 0x2e)) return buf;
  const out = Buffer.allocUnsafe(buf.length);
  let o = 0;
  for (let i = 0; i < buf.length; i++) {
    const atLineStart = i === 0 || buf[i - 1] === 0x0a;
    if (atLineStart && buf[i] === 0x2e && buf[i + 1] === 0x2e) continue;
    out[o++] = buf[i];
  }
  return out.subarray(0, o);
}

async function retrieve(c: Pop3, n: number): Promise<Buffer> {
  const [, stream] = await c.command('RETR', n);
  if (!stream) throw new MailServerError('protocol', `RETR ${n} answered without a message`);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const raw = unstuffDots(Buffer.concat(chunks));
  // node-pop3 cuts the terminator together with the CRLF that ends the message's last line
  return raw.length && !raw.subarray(-2).equals(CRLF) ? Buffer.concat([raw, CRLF]) : raw;
}

async function uidl(c: Pop3): Promise<Array<{ n: number; id: string }>> {
  const list = await c.UIDL().catch((err: Error) => { throw new MailServerError('protocol', `the server does not list message ids (UIDL): ${err.message}`); });
  return (list as string[][]).filter((l) => l.length >= 2).map(([n, id]) => ({ n: Number(n), id }));
}

async function quit(c: Pop3): Promise<void> {
  await c.QUIT().catch(() => {});
}

export async function checkPop3(s: MailServer): Promise<CheckOutcome> {
  const c = client(s);
  try {
    await connect(c);
    const stat = await c.STAT();
    return { messages: Number(stat.split(' ')[0]) || 0 };
  } finally {
    await quit(c);
  }
}

export async function openPop3Session(s: MailServer, sink: MailSink): Promise<FetchSession> {
  let c: Pop3 | null = null;
  return {
    async fetch() {
      // POP3 shows a snapshot of the maildrop per session (and commits deletes at QUIT): one session per fetch
      c = client(s);
      try {
        await connect(c);
        const listed = await uidl(c);
        const known = await sink.known(listed.map((l) => l.id));
        const fresh = listed.filter((l) => !known.has(l.id));
        let stored = 0;
        for (let i = 0; i < fresh.length; i += BATCH) {
          const batch: FetchedMail[] = [];
          for (const l of fresh.slice(i, i + BATCH)) batch.push({ remoteId: l.id, raw: await retrieve(c, l.n) });
          stored += await sink.store(batch);
        }
        // Deleted only once stored; QUIT makes it happen (a dropped session deletes nothing).
        if (s.deleteAfterFetch) for (const l of listed) await c.DELE(l.n);
        const done = c;
        c = null;
        await done.QUIT();
        return stored;
      } finally {
        if (c) await quit(c);
        c = null;
      }
    },
    async close() {
      if (c) await quit(c);
    },
  };
}
