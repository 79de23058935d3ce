import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { containsKeyword, evaluateConditions, type ConditionSet, type TicketFacts } from './evaluate.ts';

describe('keyword matching (Chinese and English)', () => {
  const table: Array<[string, string, boolean]> = [
    ['我的宽带无法上网', '宽带', true],
    ['我的寬帶無法上網', '宽带', false], // traditional characters are other characters
    ['退款什么时候到账？', '退款', true],
    ['ＲＥＦＵＮＤ please', 'refund', true], // full-width folds to half-width
    ['I want a Refund now', 'refund', true],
    ['refunded already', 'refund', false], // English matches whole words
    ['non-refundable fee', 'refund', false],
    ['please refund.', 'refund', true],
    ['账单 invoice#42', 'invoice', true],
    ['宽带', '', false],
    ['VPN不能连接', 'vpn', true],
  ];
  for (const [text, kw, expected] of table) it(`"${text}" ∋ "${kw}" → ${expected}`, () => assert.equal(containsKeyword(text, kw), expected));
});

describe('rule conditions', () => {
  const facts: TicketFacts = { subject: '投诉：宽带断网', body: 'The internet has been down since yesterday', channel: 'email', priority: 'normal', status: 'pending', type: 'complaint', department: null, tags: ['vip'], customer_email: 'a@bigcorp.com', hours_since_update: 80,
    custom: { plan: 'gold', amount: 120, due: '2026-03-15', note: '客户要求上门维修 onsite' } };
  const table: Array<[string, ConditionSet, boolean]> = [
    ['empty set matches', {}, true],
    ['any Chinese keyword in the text', { all: [{ field: 'text', op: 'contains_any', value: ['退款', '断网'] }] }, true],
    ['English keyword in the body', { all: [{ field: 'body', op: 'contains_any', value: ['internet'] }] }, true],
    ['contains_all needs every keyword', { all: [{ field: 'text', op: 'contains_all', value: ['宽带', 'refund'] }] }, false],
    ['not_contains', { all: [{ field: 'subject', op: 'not_contains', value: ['退款'] }] }, true],
    ['equals on channel', { all: [{ field: 'channel', op: 'equals', value: 'email' }] }, true],
    ['in on priority', { all: [{ field: 'priority', op: 'in', value: ['high', 'urgent'] }] }, false],
    ['tags contain', { all: [{ field: 'tags', op: 'contains_any', value: ['vip'] }] }, true],
    ['pending for 3 days (time rule)', { all: [{ field: 'status', op: 'equals', value: 'pending' }, { field: 'hours_since_update', op: 'gte', value: 72 }] }, true],
    ['not yet 4 days', { all: [{ field: 'hours_since_update', op: 'gte', value: 96 }] }, false],
    ['any: one of several', { any: [{ field: 'channel', op: 'equals', value: 'webchat' }, { field: 'type', op: 'equals', value: 'complaint' }] }, true],
    ['all and any together', { all: [{ field: 'channel', op: 'equals', value: 'webchat' }], any: [{ field: 'type', op: 'equals', value: 'complaint' }] }, false],
    ['customer email domain', { all: [{ field: 'customer_email', op: 'contains_any', value: ['bigcorp.com'] }] }, true],
    ['custom select equals', { all: [{ field: 'cf.plan', op: 'equals', value: 'gold' }] }, true],
    ['custom select not_equals', { all: [{ field: 'cf.plan', op: 'not_equals', value: 'gold' }] }, false],
    ['custom select in', { all: [{ field: 'cf.plan', op: 'in', value: ['silver', 'gold'] }] }, true],
    ['custom select in, not listed', { all: [{ field: 'cf.plan', op: 'in', value: ['silver', 'bronze'] }] }, false],
    ['custom number gte', { all: [{ field: 'cf.amount', op: 'gte', value: 100 }] }, true],
    ['custom number gte, below', { all: [{ field: 'cf.amount', op: 'gte', value: 121 }] }, false],
    ['custom number lte, at the bound', { all: [{ field: 'cf.amount', op: 'lte', value: 120 }] }, true],
    ['custom number equals across types', { all: [{ field: 'cf.amount', op: 'equals', value: '120' }] }, true],
    ['custom date on or after', { all: [{ field: 'cf.due', op: 'gte', value: '2026-03-01' }] }, true],
    ['custom date on or before', { all: [{ field: 'cf.due', op: 'lte', value: '2026-03-14' }] }, false],
    ['custom text contains a Chinese keyword', { all: [{ field: 'cf.note', op: 'contains_any', value: ['上门'] }] }, true],
    ['custom text contains an English word', { all: [{ field: 'cf.note', op: 'contains_any', value: ['site'] }] }, false],
    ['custom field without a value: gte does not match', { all: [{ field: 'cf.missing', op: 'gte', value: 0 }] }, false],
    ['custom field without a value: lte does not match', { all: [{ field: 'cf.missing', op: 'lte', value: 10 }] }, false],
    ['custom field without a value: not_equals matches', { all: [{ field: 'cf.missing', op: 'not_equals', value: 'gold' }] }, true],
    ['custom field without a value: equals does not match', { all: [{ field: 'cf.missing', op: 'equals', value: 'gold' }] }, false],
    ['a key that is an Object.prototype name is just a missing field', { all: [{ field: 'cf.constructor', op: 'equals', value: '' }, { field: 'cf.tostring', op: 'in', value: [''] }] }, true],
    ['custom and built-in together', { all: [{ field: 'cf.plan', op: 'equals', value: 'gold' }, { field: 'priority', op: 'equals', value: 'urgent' }] }, false],
  ];
  for (const [name, set, expected] of table) it(name, () => assert.equal(evaluateConditions(set, facts), expected));
});
