import type { TlsMode } from '../../contracts/email.ts';
import { defaultPort } from '../../contracts/email.ts';
import type { Mailbox, MailboxCursor } from './email.schema.ts';
import type { FetchedMail } from './inbound-store.ts';
import { checkImap, openImapSession } from './imap-fetcher.ts';
import { checkPop3, openPop3Session } from './pop3-fetcher.ts';
import { MailServerError } from './connect-errors.ts';

/**
 * One interface over the ways mail is fetched (IMAP, POP3): the scheduler, the "sync now" route and the
 * "test connection" route talk to this, and the switch on the protocol lives here only.
 */

/** What a fetcher needs of a mailbox row. */
export interface MailServer {
  host: string;
  port: number;
  tls: TlsMode;
  username: string;
  password: string;
  folder: string;
  deleteAfterFetch: boolean;
  cursor: MailboxCursor;
}

/** Where fetched mail goes: stored raw (with the cursor after it), or told apart from what is already stored. */
export interface MailSink {
  store(mails: readonly FetchedMail[], cursor?: MailboxCursor): Promise<number>;
  known(remoteIds: readonly string[]): Promise<Set<string>>;
}

export interface FetchSession {
  /** Fetches everything new, in batches, each stored before the next is fetched; resolves to how many were new. */
  fetch(): Promise<number>;
  /**
   * Waits for the server to say that mail arrived (IMAP IDLE), at most `ms`; true when it did.
   * Absent when the protocol cannot push (POP3): the scheduler polls instead.
   */
  waitForMail?(ms: number, wake: AbortSignal): Promise<boolean>;
  close(): Promise<void>;
}

export interface CheckOutcome { messages: number }

/** Connection timeouts: a dead server costs a fetcher slot for at most this long. */
export const TIMEOUTS = { connectMs: 15_000, socketMs: 120_000 } as const;

export function serverOf(m: Mailbox): MailServer {
  if (!m.host) throw new MailServerError('unreachable', 'no host is set for this mailbox');
  return {
    host: m.host, port: m.port ?? defaultPort(m.protocol as 'imap' | 'pop3', m.tls as TlsMode)!, tls: m.tls as TlsMode,
    username: m.username ?? m.address, password: m.password ?? '', folder: m.folder || 'INBOX', deleteAfterFetch: m.deleteAfterFetch, cursor: m.cursor ?? {},
  };
}

export function openSession(m: Mailbox, sink: MailSink): Promise<FetchSession> {
  switch (m.protocol) {
    case 'imap': return openImapSession(serverOf(m), sink);
    case 'pop3': return openPop3Session(serverOf(m), sink);
    default: throw new Error(`mailbox protocol ${m.protocol} is not fetched`);
  }
}

export function checkServer(m: Mailbox): Promise<CheckOutcome> {
  switch (m.protocol) {
    case 'imap': return checkImap(serverOf(m));
    case 'pop3': return checkPop3(serverOf(m));
    default: throw new Error(`mailbox protocol ${m.protocol} has no server to check`);
  }
}
