/**
 * Chat messages are never lost and never doubled, whatever the network does. Isomorphic and pure (the
 * widget runs the client half in the browser, the gateway the server half):
 *
 * - Sending: every message gets a client id (a UUID) when it is written. The client keeps it in its
 *   outbox until the server acknowledges it, and the server acknowledges only after it is stored. After a
 *   reconnect (or an ack timeout) the client sends the unacknowledged ones again, in order; the server
 *   recognizes a client id it already stored and answers with the same ack instead of storing it twice.
 * - Receiving: the server numbers each conversation's messages (seq 1, 2, 3 …). The client keeps the
 *   highest seq it holds without gaps, drops what it already has, holds back what arrives early, and
 *   after a reconnect asks for everything after that seq.
 */

export const MAX_CHAT_MESSAGE_LENGTH = 5000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isClientId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id a uuid column takes (of a conversation, style, invitation, article): anything else is refused before the database sees it. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && ANY_UUID.test(value);
}

/** A v4 UUID. `crypto.randomUUID` exists only on https pages; `getRandomValues` everywhere. */
export function newClientId(cryptoImpl: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = globalThis.crypto): string {
  if (typeof cryptoImpl.randomUUID === 'function') return cryptoImpl.randomUUID();
  const b = cryptoImpl.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The dedupe key stored with the message (messages.external_id, unique per tenant and channel).
 * Scoped by conversation, so a visitor who reuses someone else's client id cannot make that
 * conversation's message look like theirs, nor have their own silently dropped elsewhere.
 */
export function externalIdFor(conversationId: string, clientId: string): string {
  return `${conversationId}:${clientId.toLowerCase()}`;
}

// ------------------------------------------------------------------------------------------ wire

/** What the widget emits for one message. */
export interface SendFrame { conversationId: string; clientId: string; body: string }

/** A stored message as both sides see it. */
export interface DeliveredMessage { conversationId: string; clientId: string | null; messageId: string; seq: number; body: string }

export type RejectCode = 'bad_client_id' | 'empty' | 'too_long' | 'bad_conversation' | 'unavailable';

/** The server's answer to one SendFrame. `retry: false` means sending the same frame again cannot succeed. */
export type Ack =
  | { ok: true; clientId: string; duplicate: boolean; message: DeliveredMessage }
  | { ok: false; clientId: string; code: RejectCode; retry: boolean };

/** Checks a frame before anything is stored; the widget runs the same check before sending. */
export function checkFrame(frame: Partial<SendFrame>): RejectCode | null {
  if (!isClientId(frame.clientId)) return 'bad_client_id';
  if (typeof frame.conversationId !== 'string' || !frame.conversationId) return 'bad_conversation';
  if (typeof frame.body !== 'string' || !frame.body.trim()) return 'empty';
  if (frame.body.length > MAX_CHAT_MESSAGE_LENGTH) return 'too_long';
  return null;
}

// ------------------------------------------------------------------------------------ server side

/**
 * The server's half as an in-memory model of the store: (conversation, client id) is unique, and seq
 * grows by one per conversation. The gateway does the same against the database (a unique key on
 * messages.external_id and a per-conversation counter); this class is what the tests and the bench
 * drive, and `restore` models a restarted server that knows only what was stored.
 */
export class ServerLedger {
  private byKey = new Map<string, DeliveredMessage>();
  private byConversation = new Map<string, DeliveredMessage[]>();

  constructor(private readonly newMessageId: () => string = () => newClientId()) {}

  static restore(stored: readonly DeliveredMessage[], newMessageId?: () => string): ServerLedger {
    const ledger = new ServerLedger(newMessageId);
    for (const m of [...stored].sort((a, b) => a.seq - b.seq)) ledger.keep(m);
    return ledger;
  }

  /** Store once; a client id seen before in this conversation gets the first ack again. */
  accept(frame: Partial<SendFrame>): Ack {
    const clientId = typeof frame.clientId === 'string' ? frame.clientId : '';
    const bad = checkFrame(frame);
    if (bad) return { ok: false, clientId, code: bad, retry: false };
    const f = frame as SendFrame;
    const seen = this.byKey.get(externalIdFor(f.conversationId, f.clientId));
    if (seen) return { ok: true, clientId, duplicate: true, message: seen };
    const message: DeliveredMessage = { conversationId: f.conversationId, clientId: f.clientId, messageId: this.newMessageId(), seq: this.lastSeq(f.conversationId) + 1, body: f.body };
    this.keep(message);
    return { ok: true, clientId, duplicate: false, message };
  }

  /** A message with no client id (an agent's reply, a robot answer): it still gets the next seq. */
  post(conversationId: string, body: string): DeliveredMessage {
    const message: DeliveredMessage = { conversationId, clientId: null, messageId: this.newMessageId(), seq: this.lastSeq(conversationId) + 1, body };
    this.keep(message);
    return message;
  }

  /** Catch-up after a reconnect: everything after the client's seq, in order. */
  after(conversationId: string, seq: number): DeliveredMessage[] {
    return (this.byConversation.get(conversationId) ?? []).filter((m) => m.seq > seq);
  }

  all(conversationId: string): DeliveredMessage[] {
    return [...(this.byConversation.get(conversationId) ?? [])];
  }

  lastSeq(conversationId: string): number {
    return this.byConversation.get(conversationId)?.at(-1)?.seq ?? 0;
  }

  private keep(m: DeliveredMessage) {
    if (m.clientId) this.byKey.set(externalIdFor(m.conversationId, m.clientId), m);
    const list = this.byConversation.get(m.conversationId) ?? [];
    list.push(m);
    this.byConversation.set(m.conversationId, list);
  }
}

// ------------------------------------------------------------------------------------ client side

export type PendingState = 'queued' | 'in_flight' | 'failed';

export interface PendingMessage {
  clientId: string;
  conversationId: string;
  body: string;
  state: PendingState;
  /** Times sent so far. */
  attempts: number;
  /** When it was last sent (epoch ms); null while never sent. */
  sentAt: number | null;
  /** Why the server refused it for good (failed only). */
  code?: RejectCode;
}

export interface OutboxOptions {
  /** Resend a message whose ack has not come after this long, even on a live connection. */
  ackTimeoutMs?: number;
  newId?: () => string;
}

/**
 * The widget's outbox: what the visitor wrote and the server has not yet confirmed, in writing order.
 * `snapshot`/`restore` let the widget keep it in localStorage, so a page change mid-send loses nothing.
 */
export class Outbox {
  private items: PendingMessage[] = [];
  private readonly ackTimeoutMs: number;
  private readonly newId: () => string;

  constructor(opts: OutboxOptions = {}) {
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
    this.newId = opts.newId ?? (() => newClientId());
  }

  static restore(saved: readonly PendingMessage[], opts?: OutboxOptions): Outbox {
    const box = new Outbox(opts);
    // Whatever was in flight when the page went away may or may not have arrived: send it again.
    box.items = saved.filter((m) => isClientId(m.clientId)).map((m) => ({ ...m, state: m.state === 'failed' ? 'failed' : 'queued' }));
    return box;
  }

  snapshot(): PendingMessage[] {
    return this.items.map((m) => ({ ...m }));
  }

  /** The visitor wrote a message: it gets its client id now, before any network. */
  add(conversationId: string, body: string): PendingMessage {
    const m: PendingMessage = { clientId: this.newId(), conversationId, body, state: 'queued', attempts: 0, sentAt: null };
    this.items.push(m);
    return { ...m };
  }

  /** Frames to send now (connected): never-sent ones and ones whose ack is overdue, in writing order. */
  takeSendable(now: number): SendFrame[] {
    const out: SendFrame[] = [];
    for (const m of this.items) {
      const overdue = m.state === 'in_flight' && m.sentAt !== null && now - m.sentAt >= this.ackTimeoutMs;
      if (m.state !== 'queued' && !overdue) continue;
      m.state = 'in_flight';
      m.sentAt = now;
      m.attempts++;
      out.push({ conversationId: m.conversationId, clientId: m.clientId, body: m.body });
    }
    return out;
  }

  /**
   * The server answered. A stored (or duplicate) message leaves the outbox and is returned for the
   * transcript; a refusal that cannot succeed marks it failed; a transient one queues it again.
   * Acks may come in any order, and an ack for something no longer pending is ignored.
   */
  acknowledge(ack: Ack): DeliveredMessage | null {
    const i = this.items.findIndex((m) => m.clientId === ack.clientId);
    if (i < 0) return null;
    if (ack.ok) {
      this.items.splice(i, 1);
      return ack.message;
    }
    const m = this.items[i];
    if (ack.retry) m.state = 'queued';
    else { m.state = 'failed'; m.code = ack.code; }
    return null;
  }

  /** The connection dropped: nothing in flight can be trusted to arrive, so it is all sent again. */
  connectionLost(): void {
    for (const m of this.items) if (m.state === 'in_flight') m.state = 'queued';
  }

  /** The visitor pressed "resend" on a failed message. */
  retry(clientId: string): boolean {
    const m = this.items.find((x) => x.clientId === clientId && x.state === 'failed');
    if (!m) return false;
    m.state = 'queued';
    delete m.code;
    return true;
  }

  discard(clientId: string): boolean {
    const i = this.items.findIndex((m) => m.clientId === clientId);
    if (i < 0) return false;
    this.items.splice(i, 1);
    return true;
  }

  /** Unconfirmed messages for the UI (shown with a sending or failed mark), in writing order. */
  pending(): PendingMessage[] {
    return this.snapshot();
  }

  get size(): number { return this.items.length; }
}

/**
 * The receiving side of one conversation: hands messages to the UI exactly once and in seq order,
 * and knows where to resume after a reconnect.
 */
export class Inbox {
  /** Early arrivals kept at most; past that they are dropped and come again with the catch-up. */
  static readonly MAX_HELD = 500;
  private held = new Map<number, DeliveredMessage>();

  constructor(private last = 0) {}

  /** The seq to resume from: every message up to it has been delivered. */
  get lastSeq(): number { return this.last; }

  /** True while messages are held back behind a gap: ask the server for `after(lastSeq)`. */
  get hasGap(): boolean { return this.held.size > 0; }

  /** Returns the messages now deliverable, in order (none for a duplicate or an early arrival). */
  receive(message: DeliveredMessage): DeliveredMessage[] {
    if (message.seq <= this.last || this.held.has(message.seq)) return [];
    if (message.seq !== this.last + 1 && this.held.size >= Inbox.MAX_HELD) return [];
    this.held.set(message.seq, message);
    const out: DeliveredMessage[] = [];
    for (let next = this.held.get(this.last + 1); next; next = this.held.get(this.last + 1)) {
      this.held.delete(next.seq);
      this.last = next.seq;
      out.push(next);
    }
    return out;
  }

  /** A batch (catch-up after reconnect), in any order, with repeats. */
  receiveAll(messages: readonly DeliveredMessage[]): DeliveredMessage[] {
    return [...messages].sort((a, b) => a.seq - b.seq).flatMap((m) => this.receive(m));
  }
}
