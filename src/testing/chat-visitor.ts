import crypto from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { Inbox, Outbox, type Ack, type DeliveredMessage } from '../channels/webchat/delivery.ts';

/** What the server says about the chat (queued with a position, active with an agent, ended, offline). */
export interface ChatStatus { status: 'queued' | 'active' | 'ended' | 'offline'; position?: number; agentName?: string | null }

/**
 * A website visitor as the widget behaves, for tests and the bench: the delivery outbox (resend after a
 * reconnect) and inbox (exactly once, in order, resume from the last seq) over the /visitor namespace.
 */
export class TestVisitor {
  readonly socket: Socket;
  readonly outbox = new Outbox({ ackTimeoutMs: 5_000 });
  inbox = new Inbox();
  conversationId: string | null = null;
  newConversationId: string | null = null;
  readonly transcript: DeliveredMessage[] = [];
  readonly statuses: ChatStatus[] = [];
  hello: Record<string, unknown> | null = null;
  private waiters: Array<() => void> = [];

  constructor(url: string, opts: { host: string; styleId?: string; visitorKey?: string; ip?: string; pageUrl?: string; referrer?: string; reconnection?: boolean }) {
    this.socket = connect(`${url}/visitor`, {
      transports: ['websocket'], reconnection: opts.reconnection ?? true, reconnectionDelay: 100, reconnectionDelayMax: 500,
      extraHeaders: { host: opts.host, ...(opts.ip ? { 'x-forwarded-for': opts.ip } : {}) },
      auth: { styleId: opts.styleId, visitorKey: opts.visitorKey ?? crypto.randomUUID(), pageUrl: opts.pageUrl, referrer: opts.referrer },
    });
    this.socket.on('message', (m: DeliveredMessage) => this.receive([m]));
    this.socket.on('status', (s: ChatStatus) => { this.statuses.push(s); this.wake(); });
    this.socket.on('connect', () => { void this.onConnect(); });
    this.socket.on('disconnect', () => this.outbox.connectionLost());
  }

  private async onConnect() {
    const hello = await this.socket.emitWithAck('hello', {}) as Record<string, unknown>;
    this.hello = hello;
    const conv = hello.conversation as { id: string } | null;
    this.newConversationId = hello.newConversationId as string;
    if (conv) this.conversationId = conv.id;
    if (this.conversationId) {
      const r = await this.socket.emitWithAck('resume', { conversationId: this.conversationId, afterSeq: this.inbox.lastSeq });
      if (r.ok) this.receive(r.lines);
    }
    this.flush();
    this.wake();
  }

  /** Lines into the transcript through the inbox (pushed, resumed, or acknowledged: the sending socket gets its own lines only in acks). */
  receive(lines: DeliveredMessage[]) {
    for (const m of this.inbox.receiveAll(lines)) this.transcript.push(m);
    this.wake();
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves when `check` holds (re-checked on every arrival), or fails after `ms`. */
  async until<T>(check: () => T | undefined | null | false, what: string, ms = 10_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = check();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; statuses ${JSON.stringify(this.statuses)} transcript ${JSON.stringify(this.transcript.map((m) => m.body))}`);
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 100); });
    }
  }

  async ready() {
    await this.until(() => this.hello, 'hello');
    return this;
  }

  /** Writes a message: into the outbox first, sent now if connected; the ack settles it. */
  write(body: string) {
    this.conversationId ??= this.newConversationId;
    const m = this.outbox.add(this.conversationId!, body);
    this.flush();
    return m.clientId;
  }

  flush() {
    if (!this.socket.connected) return;
    for (const frame of this.outbox.takeSendable(Date.now())) {
      this.socket.timeout(5_000).emit('message', frame, (err: Error | null, ack: Ack) => {
        if (err) return; // no ack in time: takeSendable sends it again after the ack timeout
        const stored = this.outbox.acknowledge(ack);
        if (stored) this.receive([stored]);
        this.wake();
      });
    }
  }

  typing(text: string) {
    this.socket.emit('typing', { conversationId: this.conversationId, text });
  }

  page(url: string, title: string) {
    this.socket.emit('page', { type: 'enter', url, title });
  }

  lastStatus(): ChatStatus | undefined { return this.statuses.at(-1); }

  close() { this.socket.close(); }
}
