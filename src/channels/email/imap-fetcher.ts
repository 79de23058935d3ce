import { ImapFlow } from 'imapflow';
import type { CheckOutcome, FetchSession, MailServer, MailSink } from './mail-server.ts';
import { TIMEOUTS } from './mail-server.ts';
import type { FetchedMail } from './inbound-store.ts';
import { MailServerError } from './connect-errors.ts';

/**
 * IMAP intake (imapflow): the cursor is the folder's UIDVALIDITY and the last UID stored. UIDs past it
 * are fetched in batches, each stored (with the cursor after it) before the next, so a crash loses at
 * most a batch in flight and never stores one twice. When UIDVALIDITY changes (the folder was
 * recreated), everything is fetched again under the new validity and Message-ID dedupe drops what
 * was already turned into tickets. Between fetches the session IDLEs: the server says when mail arrives.
 */

const BATCH = 100;

function client(s: MailServer): ImapFlow {
  const c = new ImapFlow({
    host: s.host, port: s.port, secure: s.tls === 'tls', doSTARTTLS: s.tls === 'starttls' ? true : s.tls === 'none' ? false : undefined,
    auth: { user: s.username, pass: s.password }, logger: false,
    connectionTimeout: TIMEOUTS.connectMs, greetingTimeout: TIMEOUTS.connectMs, socketTimeout: TIMEOUTS.socketMs,
    // IDLE as soon as we are done (the default waits 15 s), and never while a mailbox lock is held
    autoIdleDelay: 200,
    // servers without IDLE are polled with NOOP in the meantime
    missingIdleCommand: 'NOOP',
    disableCompression: true,
  });
  // An idle connection the server drops must not crash the process: the session notices on its next command.
  c.on('error', () => {});
  return c;
}

export async function checkImap(s: MailServer): Promise<CheckOutcome> {
  const c = client(s);
  try {
    await c.connect();
    const status = await c.status(s.folder, { messages: true }).catch((err: { mailboxMissing?: boolean; responseText?: string; message: string }) => {
      if (err.mailboxMissing || /NONEXISTENT|doesn't exist|not exist/i.test(`${err.responseText ?? ''} ${err.message}`)) {
        throw new MailServerError('folder_missing', `${s.folder}: ${err.responseText ?? err.message}`);
      }
      throw err;
    });
    return { messages: status ? status.messages ?? 0 : 0 };
  } finally {
    await c.logout().catch(() => c.close());
  }
}

export async function openImapSession(s: MailServer, sink: MailSink): Promise<FetchSession> {
  const c = client(s);
  await c.connect();
  let cursor = { ...s.cursor };
  let arrived = false;
  let onExists: (() => void) | null = null;
  c.on('exists', () => { arrived = true; onExists?.(); });

  return {
    async fetch() {
      let stored = 0;
      const lock = await c.getMailboxLock(s.folder).catch((err: { mailboxMissing?: boolean; responseText?: string; message: string }) => {
        if (err.mailboxMissing) throw new MailServerError('folder_missing', `${s.folder}: ${err.responseText ?? err.message}`);
        throw err;
      });
      try {
        arrived = false;
        const box = c.mailbox;
        if (!box) throw new MailServerError('protocol', `could not open ${s.folder}`);
        const validity = String(box.uidValidity);
        const lastUid = cursor.uidValidity === validity ? cursor.lastUid ?? 0 : 0;
        // (uidNext is not a shortcut: while the folder stays selected, EXISTS updates the count but not uidNext)
        if (!box.exists) {
          if (cursor.uidValidity !== validity) {
            cursor = { uidValidity: validity, lastUid };
            await sink.store([], cursor);
          }
          return 0;
        }
        // "n:*" always names the newest message, even below n: keep only UIDs past the cursor
        const found = await c.search({ uid: `${lastUid + 1}:*` }, { uid: true });
        const uids = (found || []).filter((u) => u > lastUid).sort((a, b) => a - b);
        for (let i = 0; i < uids.length; i += BATCH) {
          const chunk = uids.slice(i, i + BATCH);
          const mails: Array<FetchedMail & { uid: number }> = [];
          for await (const m of c.fetch(chunk.join(','), { uid: true, source: true }, { uid: true })) {
            if (m.source) mails.push({ uid: m.uid, remoteId: `${validity}:${m.uid}`, raw: m.source });
          }
          mails.sort((a, b) => a.uid - b.uid);
          cursor = { uidValidity: validity, lastUid: chunk[chunk.length - 1] };
          stored += await sink.store(mails.map(({ remoteId, raw }) => ({ remoteId, raw })), cursor);
        }
        if (!uids.length && cursor.uidValidity !== validity) {
          cursor = { uidValidity: validity, lastUid };
          await sink.store([], cursor);
        }
      } finally {
        lock.release();
      }
      return stored;
    },
    async waitForMail(ms, wake) {
      if (arrived) return true;
      return new Promise<boolean>((resolve) => {
        const done = (v: boolean) => {
          clearTimeout(timer);
          onExists = null;
          wake.removeEventListener('abort', onAbort);
          c.off('close', onClose);
          resolve(v);
        };
        const onAbort = () => done(false);
        // a dropped connection ends the wait: the next fetch fails and the scheduler records why
        const onClose = () => done(true);
        const timer = setTimeout(() => done(false), ms);
        onExists = () => done(true);
        wake.addEventListener('abort', onAbort);
        c.once('close', onClose);
        if (wake.aborted) done(false);
      });
    },
    async close() {
      await c.logout().catch(() => c.close());
    },
  };
}
