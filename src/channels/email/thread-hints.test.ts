import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { threadHints, ticketNumberIn } from './thread-hints.ts';

describe('ticketNumberIn', () => {
  const cases: Array<[string, number | undefined]> = [
    ['[#123] 您的工单已更新：退货', 123],
    ['Re: [#123] Ticket updated: refund', 123],
    ['回复：[工单 #88] 发票', 88],
    ['RE: [Ticket#10010] test', 10010],
    ['Fwd: [#T-4521] order', 4521],
    ['Re: [#12] Fwd: [#34] two tags', 12],
    ['订单 #123 没有发货', undefined],
    ['Issue (#123) on GitHub', undefined],
    ['[#0] nothing', undefined],
    ['[#abc]', undefined],
    ['[#12345678901234567890] too long', undefined],
    ['', undefined],
  ];
  for (const [subject, n] of cases) it(`${JSON.stringify(subject)} → ${n}`, () => assert.equal(ticketNumberIn(subject), n));
});

describe('threadHints', () => {
  it('lists In-Reply-To first, then References newest first, without duplicates', () => {
    assert.deepEqual(threadHints({ subject: 'Re: [#7] x', inReplyTo: '<c@kefu.test>', references: ['<a@kefu.test>', '<b@kefu.test>', '<c@kefu.test>'] }),
      { ticketNumber: 7, messageIds: ['<c@kefu.test>', '<b@kefu.test>', '<a@kefu.test>'] });
  });
  it('is empty for a new conversation, and bounded for a very long thread', () => {
    assert.deepEqual(threadHints({ subject: 'hello', references: [] }), {});
    const refs = Array.from({ length: 500 }, (_v, i) => `<m${i}@x>`);
    const hints = threadHints({ subject: 'Re: hi', references: refs });
    assert.equal(hints.messageIds?.length, 20);
    assert.equal(hints.messageIds?.[0], '<m499@x>');
  });
});
