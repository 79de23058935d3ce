import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkFrame, externalIdFor, Inbox, isClientId, MAX_CHAT_MESSAGE_LENGTH, newClientId, Outbox, ServerLedger, type Ack, type DeliveredMessage, type SendFrame } from './delivery.ts';

const CONV = 'conv-1';
let counter = 0;
const seqIds = () => { let n = 0; return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`; };
const serverIds = () => `srv-${++counter}`;

describe('client ids', () => {
  it('are v4 UUIDs, unique, with or without crypto.randomUUID (plain-http pages lack it)', () => {
    const viaRandomUUID = Array.from({ length: 200 }, () => newClientId());
    const viaBytes = Array.from({ length: 200 }, () => newClientId({ getRandomValues: (a) => crypto.getRandomValues(a) }));
    for (const id of [...viaRandomUUID, ...viaBytes]) assert.ok(isClientId(id), id);
    assert.equal(new Set([...viaRandomUUID, ...viaBytes]).size, 400);
    assert.match(viaBytes[0], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  const cases: Array<[unknown, boolean]> = [
    ['3b241101-e2bb-4255-8caf-4136c566a962', true], ['3B241101-E2BB-4255-8CAF-4136C566A962', true],
    ['3b241101-e2bb-4255-8caf-4136c566a96', false], ['3b241101e2bb42558caf4136c566a962', false], ['not-a-uuid', false],
    ['', false], [null, false], [42, false], ['3b241101-e2bb-4255-8caf-4136c566a962; drop', false],
  ];
  for (const [v, ok] of cases) it(`isClientId(${JSON.stringify(v)}) = ${ok}`, () => assert.equal(isClientId(v), ok));
  it('the stored dedupe key is scoped by conversation and case-insensitive', () => {
    assert.equal(externalIdFor('c1', '3B241101-E2BB-4255-8CAF-4136C566A962'), 'c1:3b241101-e2bb-4255-8caf-4136c566a962');
    assert.notEqual(externalIdFor('c1', 'x'), externalIdFor('c2', 'x'));
  });
});

describe('checkFrame', () => {
  const id = '3b241101-e2bb-4255-8caf-4136c566a962';
  const cases: Array<[string, Partial<SendFrame>, ReturnType<typeof checkFrame>]> = [
    ['valid', { conversationId: CONV, clientId: id, body: '你好' }, null],
    ['the longest allowed body', { conversationId: CONV, clientId: id, body: 'x'.repeat(MAX_CHAT_MESSAGE_LENGTH) }, null],
    ['too long', { conversationId: CONV, clientId: id, body: 'x'.repeat(MAX_CHAT_MESSAGE_LENGTH + 1) }, 'too_long'],
    ['blank', { conversationId: CONV, clientId: id, body: ' \n\t' }, 'empty'],
    ['no body', { conversationId: CONV, clientId: id }, 'empty'],
    ['no client id', { conversationId: CONV, body: 'hi' }, 'bad_client_id'],
    ['client id not a uuid', { conversationId: CONV, clientId: '1', body: 'hi' }, 'bad_client_id'],
    ['no conversation', { clientId: id, body: 'hi' }, 'bad_conversation'],
  ];
  for (const [name, frame, code] of cases) it(name, () => assert.equal(checkFrame(frame), code));
});

describe('ServerLedger', () => {
  it('stores once per (conversation, client id), numbering each conversation from 1', () => {
    const s = new ServerLedger(serverIds);
    const id = newClientId();
    const first = s.accept({ conversationId: CONV, clientId: id, body: 'a' });
    const again = s.accept({ conversationId: CONV, clientId: id, body: 'a' });
    assert.ok(first.ok && !first.duplicate && first.message.seq === 1);
    assert.ok(again.ok && again.duplicate);
    assert.deepEqual(again.message, first.message); // the same ack: same server id and seq
    const other = s.accept({ conversationId: 'conv-2', clientId: id, body: 'b' }); // same id elsewhere: its own message
    assert.ok(other.ok && !other.duplicate && other.message.seq === 1);
    assert.equal(s.post(CONV, '客服回复').seq, 2);
    assert.deepEqual(s.after(CONV, 1).map((m) => m.body), ['客服回复']);
  });
  it('refuses bad frames for good (retry: false) and stores nothing', () => {
    const s = new ServerLedger(serverIds);
    assert.deepEqual(s.accept({ conversationId: CONV, clientId: 'x', body: 'hi' }), { ok: false, clientId: 'x', code: 'bad_client_id', retry: false });
    assert.equal(s.all(CONV).length, 0);
  });
  it('a restarted server rebuilt from stored rows still recognizes earlier client ids and continues the numbering', () => {
    const s = new ServerLedger(serverIds);
    const id = newClientId();
    s.accept({ conversationId: CONV, clientId: id, body: 'a' });
    s.post(CONV, 'b');
    const restarted = ServerLedger.restore([...s.all(CONV)].reverse(), serverIds);
    const again = restarted.accept({ conversationId: CONV, clientId: id, body: 'a' });
    assert.ok(again.ok && again.duplicate && again.message.seq === 1);
    assert.equal(restarted.post(CONV, 'c').seq, 3);
  });
});

describe('Outbox', () => {
  it('happy path: sent in writing order, removed on ack', () => {
    const box = new Outbox({ newId: seqIds() });
    const s = new ServerLedger(serverIds);
    box.add(CONV, 'one'); box.add(CONV, 'two'); box.add(CONV, 'three');
    const frames = box.takeSendable(0);
    assert.deepEqual(frames.map((f) => f.body), ['one', 'two', 'three']);
    assert.deepEqual(box.takeSendable(1), []); // in flight: not sent twice
    for (const f of frames) box.acknowledge(s.accept(f));
    assert.equal(box.size, 0);
    assert.deepEqual(s.all(CONV).map((m) => [m.seq, m.body]), [[1, 'one'], [2, 'two'], [3, 'three']]);
  });

  it('the ack is lost: after the reconnect the resend is recognized, nothing doubles', () => {
    const box = new Outbox();
    const s = new ServerLedger(serverIds);
    box.add(CONV, '订单号 123');
    const [f] = box.takeSendable(0);
    s.accept(f); // stored, but the ack never arrives
    box.connectionLost();
    const [resent] = box.takeSendable(5);
    assert.equal(resent.clientId, f.clientId);
    const ack = s.accept(resent);
    assert.ok(ack.ok && ack.duplicate);
    assert.deepEqual(box.acknowledge(ack)?.body, '订单号 123');
    assert.equal(box.size, 0);
    assert.equal(s.all(CONV).length, 1);
  });

  it('the frame is lost before the server: sent again after the reconnect and stored once', () => {
    const box = new Outbox();
    const s = new ServerLedger(serverIds);
    box.add(CONV, 'lost on the way');
    box.takeSendable(0); // dropped with the connection
    box.connectionLost();
    for (const f of box.takeSendable(1)) box.acknowledge(s.accept(f));
    assert.deepEqual(s.all(CONV).map((m) => m.body), ['lost on the way']);
    assert.equal(box.size, 0);
  });

  it('acks in any order; an unknown or repeated ack is ignored', () => {
    const box = new Outbox({ newId: seqIds() });
    const s = new ServerLedger(serverIds);
    ['a', 'b', 'c'].forEach((b) => box.add(CONV, b));
    const acks = box.takeSendable(0).map((f) => s.accept(f));
    assert.equal(box.acknowledge(acks[2])?.body, 'c');
    assert.deepEqual(box.pending().map((m) => m.body), ['a', 'b']);
    assert.equal(box.acknowledge(acks[2]), null);
    assert.equal(box.acknowledge({ ok: true, clientId: newClientId(), duplicate: false, message: acks[0].ok ? acks[0].message : (null as never) }), null);
    box.acknowledge(acks[0]);
    box.acknowledge(acks[1]);
    assert.equal(box.size, 0);
  });

  it('an overdue ack on a live connection: resent, and the duplicate ack clears it', () => {
    const box = new Outbox({ ackTimeoutMs: 1000 });
    const s = new ServerLedger(serverIds);
    box.add(CONV, 'slow');
    const [f] = box.takeSendable(0);
    s.accept(f);
    assert.deepEqual(box.takeSendable(999), []);
    const [again] = box.takeSendable(1000);
    assert.equal(again.clientId, f.clientId);
    assert.equal(box.pending()[0].attempts, 2);
    box.acknowledge(s.accept(again));
    assert.equal(box.size, 0);
    assert.equal(s.all(CONV).length, 1);
  });

  it('a refusal for good marks the message failed (kept for the visitor, not resent); a transient one is resent', () => {
    const box = new Outbox({ newId: seqIds() });
    box.add(CONV, 'x'.repeat(MAX_CHAT_MESSAGE_LENGTH + 1));
    box.add(CONV, 'fine');
    const [tooLong, fine] = box.takeSendable(0);
    const s = new ServerLedger(serverIds);
    box.acknowledge(s.accept(tooLong));
    box.acknowledge({ ok: false, clientId: fine.clientId, code: 'unavailable', retry: true }); // database busy
    assert.deepEqual(box.pending().map((m) => [m.state, m.code]), [['failed', 'too_long'], ['queued', undefined]]);
    box.connectionLost();
    assert.deepEqual(box.takeSendable(1).map((f) => f.body), ['fine']);
    assert.equal(box.retry(tooLong.clientId), true);
    assert.equal(box.takeSendable(2).length, 1);
    assert.equal(box.discard(tooLong.clientId), true);
    assert.equal(box.retry(tooLong.clientId), false);
  });

  it('survives a page change: in-flight messages come back queued, failed stay failed, bad entries are dropped', () => {
    const box = new Outbox({ newId: seqIds() });
    box.add(CONV, 'sent, no ack yet'); box.takeSendable(0);
    box.add(CONV, 'not sent yet');
    const saved = JSON.parse(JSON.stringify([...box.snapshot(), { clientId: 'junk', conversationId: CONV, body: 'x', state: 'queued', attempts: 0, sentAt: null }]));
    const restored = Outbox.restore(saved);
    assert.deepEqual(restored.pending().map((m) => [m.body, m.state]), [['sent, no ack yet', 'queued'], ['not sent yet', 'queued']]);
    const s = new ServerLedger(serverIds);
    for (const f of restored.takeSendable(10)) restored.acknowledge(s.accept(f));
    assert.equal(restored.size, 0);
  });
});

describe('Inbox', () => {
  const m = (seq: number, body = `m${seq}`): DeliveredMessage => ({ conversationId: CONV, clientId: null, messageId: `id-${seq}`, seq, body });
  const bodies = (xs: DeliveredMessage[]) => xs.map((x) => x.body);

  it('delivers in order, each once', () => {
    const inbox = new Inbox();
    assert.deepEqual(bodies(inbox.receive(m(1))), ['m1']);
    assert.deepEqual(inbox.receive(m(1)), []);
    assert.equal(inbox.hasGap, false); // a repeat is not mistaken for an early arrival
    assert.deepEqual(bodies(inbox.receive(m(2))), ['m2']);
    assert.equal(inbox.lastSeq, 2);
  });
  it('holds back early arrivals until the gap fills', () => {
    const inbox = new Inbox();
    assert.deepEqual(inbox.receive(m(2)), []);
    assert.deepEqual(inbox.receive(m(3)), []);
    assert.equal(inbox.hasGap, true);
    assert.equal(inbox.lastSeq, 0);
    assert.deepEqual(bodies(inbox.receive(m(1))), ['m1', 'm2', 'm3']);
    assert.equal(inbox.hasGap, false);
  });
  it('catch-up after a reconnect: overlap and disorder are fine', () => {
    const inbox = new Inbox();
    inbox.receiveAll([m(1), m(2)]);
    assert.deepEqual(bodies(inbox.receiveAll([m(4), m(2), m(3), m(5), m(4)])), ['m3', 'm4', 'm5']);
    assert.equal(inbox.lastSeq, 5);
  });
  it('resumes from a stored position (a reloaded page)', () => {
    const inbox = new Inbox(7);
    assert.deepEqual(inbox.receive(m(7)), []);
    assert.deepEqual(bodies(inbox.receive(m(8))), ['m8']);
  });
  it('bounds what it holds behind a gap', () => {
    const inbox = new Inbox();
    for (let i = 2; i < 2 + Inbox.MAX_HELD + 100; i++) inbox.receive(m(i));
    const got = inbox.receive(m(1));
    assert.equal(got.length, 1 + Inbox.MAX_HELD);
    assert.equal(inbox.lastSeq, 1 + Inbox.MAX_HELD); // the rest comes with the catch-up
  });
});

/** Deterministic PRNG so that a failing schedule can be replayed. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('a visitor and an agent over a connection that keeps dropping, with server restarts', () => {
  // TCP keeps order, so a drop loses a suffix: whatever was in transit when the connection died, in
  // both directions. A restart also loses the server's memory; only what it stored survives.
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: every message arrives exactly once, in writing order, on both sides`, () => {
      const rnd = mulberry32(seed);
      let server = new ServerLedger(serverIds);
      const visitor = new Outbox({ ackTimeoutMs: 50 });
      const visitorInbox = new Inbox();
      let up: SendFrame[] = []; // visitor → server, in transit
      let down: Array<{ ack?: Ack; push?: DeliveredMessage }> = []; // server → visitor, in transit
      let connected = true;
      const written: string[] = [];
      const agentWritten: string[] = [];
      const shown: string[] = []; // what the visitor's transcript shows, in order
      let now = 0;

      const deliverDown = (x: { ack?: Ack; push?: DeliveredMessage }) => {
        if (x.ack) {
          const stored = visitor.acknowledge(x.ack);
          if (stored) shown.push(...visitorInbox.receive(stored).map((d) => d.body));
        }
        if (x.push) shown.push(...visitorInbox.receive(x.push).map((d) => d.body));
      };

      for (let step = 0; step < 3000; step++) {
        now += 10;
        const r = rnd();
        if (r < 0.15 && written.length < 150) { const b = `visitor ${written.length}`; written.push(b); visitor.add(CONV, b); }
        else if (r < 0.22 && agentWritten.length < 60) {
          const b = `agent ${agentWritten.length}`; agentWritten.push(b);
          const stored = server.post(CONV, b);
          if (connected) down.push({ push: stored });
        } else if (r < 0.25 && connected) {
          connected = false; up = []; down = []; visitor.connectionLost(); // the network drops
        } else if (r < 0.26) {
          server = ServerLedger.restore(server.all(CONV), serverIds); connected = false; up = []; down = []; visitor.connectionLost(); // server restart
        } else if (!connected && r < 0.5) {
          connected = true; // reconnect: resume from the last seq held
          for (const missed of server.after(CONV, visitorInbox.lastSeq)) down.push({ push: missed });
        }
        if (!connected) continue;
        up.push(...visitor.takeSendable(now));
        // The network moves a random part of what is in transit, in order.
        for (let n = Math.floor(rnd() * 4); n > 0 && up.length; n--) down.push({ ack: server.accept(up.shift()!) });
        for (let n = Math.floor(rnd() * 4); n > 0 && down.length; n--) deliverDown(down.shift()!);
        if (visitorInbox.hasGap && rnd() < 0.3) for (const missed of server.after(CONV, visitorInbox.lastSeq)) down.push({ push: missed });
      }
      // Settle on a good connection.
      connected = true;
      for (const missed of server.after(CONV, visitorInbox.lastSeq)) deliverDown({ push: missed });
      for (let i = 0; i < 5 && visitor.size; i++) for (const f of visitor.takeSendable(now += 1000)) deliverDown({ ack: server.accept(f) });

      const stored = server.all(CONV);
      assert.equal(visitor.size, 0, 'the outbox is empty');
      assert.deepEqual(stored.filter((m) => m.clientId).map((m) => m.body), written, 'the server stored each visitor message once, in writing order');
      assert.deepEqual(stored.filter((m) => !m.clientId).map((m) => m.body), agentWritten);
      assert.deepEqual(stored.map((m) => m.seq), stored.map((_m, i) => i + 1), 'seq has no holes and no repeats');
      assert.deepEqual(shown, stored.map((m) => m.body), 'the visitor sees the whole conversation once, in server order');
      assert.ok(written.length > 50 && agentWritten.length > 20, `too little traffic: ${written.length}/${agentWritten.length}`);
    });
  }
});
