import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatLineView, ChatView } from '../../../../src/contracts/chat.ts';
import { keepPushed, RecentLines, withLines } from './keep-pushed.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const line = (conversationId: string, seq: number): ChatLineView => ({
  conversationId, seq, clientId: null, messageId: `m-${conversationId}-${seq}`, body: `line ${seq}`, author: 'visitor', authorName: null, at: '2026-12-06T00:00:00.000Z',
});
const chat = (id: string, seqs: number[]) => ({ id, lines: seqs.map((s) => line(id, s)) }) as unknown as ChatView;
const seqsOf = (chats: ChatView[] | null, id: string) => chats?.find((c) => c.id === id)?.lines.map((l) => l.seq);

test('withLines adds each line to its own chat once, in seq order', () => {
  const out = withLines([chat(A, [1, 3]), chat(B, [1])], [line(A, 2), line(A, 3), line(A, 2), line(B, 2)]);
  assert.deepEqual(seqsOf(out, A), [1, 2, 3]);
  assert.deepEqual(seqsOf(out, B), [1, 2]);
});

test('a line pushed while the chat list is being fetched survives the older answer, even for a chat the console did not have', () => {
  const recent = new RecentLines();
  recent.remember(line(A, 1)); // came before the fetch was asked for: the answer holds it
  const n = recent.fetching();
  recent.remember(line(A, 3)); // pushed while the answer is on its way
  recent.remember(line(B, 2)); // first push of a chat the console does not list yet
  const out = recent.apply(n, [chat(A, [1, 2]), chat(B, [1])]);
  assert.deepEqual(seqsOf(out, A), [1, 2, 3]);
  assert.deepEqual(seqsOf(out, B), [1, 2]);
});

test('an answer older than a later fetch is dropped; what was kept is forgotten once the latest answer is applied', () => {
  const recent = new RecentLines();
  recent.remember(line(A, 5)); // no fetch out: nothing to keep
  const first = recent.fetching();
  recent.remember(line(A, 6));
  const second = recent.fetching();
  assert.equal(recent.apply(first, [chat(A, [])]), null);
  assert.deepEqual(seqsOf(recent.apply(second, [chat(A, [1])]), A), [1, 6]);
  // the next answer holds whatever it holds: line 6 is not added to it again
  assert.deepEqual(seqsOf(recent.apply(recent.fetching(), [chat(A, [1])]), A), [1]);
});

test('a refetched colleague thread keeps messages pushed meanwhile, in time order', () => {
  const m = (id: string, createdAt: string) => ({ id, createdAt });
  const out = keepPushed([m('x', '2026-12-06T10:00:02Z'), m('y', '2026-12-06T10:00:00Z')], [m('y', '2026-12-06T10:00:00Z'), m('z', '2026-12-06T10:00:01Z')]);
  assert.deepEqual(out.map((x) => x.id), ['y', 'z', 'x']);
});
