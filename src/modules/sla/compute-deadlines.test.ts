import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeDeadlines, earliest, matchPolicy, type PolicyLike, type SlaTicket } from './compute-deadlines.ts';
import type { Calendar } from '../assignment/business-hours.ts';

const T0 = new Date('2026-11-23T02:00:00Z'); // Monday 10:00 Shanghai
const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const ticket = (o: Partial<SlaTicket> = {}): SlaTicket => ({ priority: 'normal', typeId: null, channel: 'email', status: 'new', createdAt: T0, firstResponseAt: null, lastCustomerAt: T0, lastAgentAt: null, ...o });
const p = (id: string, position: number, conditions: PolicyLike['conditions'], active = true): PolicyLike => ({ id, position, active, conditions, targets: {} });

describe('matchPolicy', () => {
  const policies = [p('catch-all', 9, {}), p('urgent', 1, { priorities: ['urgent'] }), p('vip-email', 2, { channels: ['email'], typeIds: ['complaint'] }), p('off', 0, {}, false)];
  const table: Array<[string, Partial<SlaTicket>, string | null]> = [
    ['urgent wins by position', { priority: 'urgent' }, 'urgent'],
    ['all conditions must hold', { channel: 'email', typeId: 'complaint' }, 'vip-email'],
    ['one condition failing skips the policy', { channel: 'webchat', typeId: 'complaint' }, 'catch-all'],
    ['inactive policies never match', {}, 'catch-all'],
  ];
  for (const [name, t, expected] of table) it(name, () => assert.equal(matchPolicy(policies, ticket(t))?.id ?? null, expected));
  it('no policy at all', () => assert.equal(matchPolicy([], ticket()), null));
});

describe('computeDeadlines', () => {
  const targets = { firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 480 };
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  it('a new ticket: first response and resolution run, next response does not', () => {
    const d = computeDeadlines(targets, null, ticket());
    assert.deepEqual([iso(d.first_response), iso(d.next_response), iso(d.resolution)], [iso(at(60)), null, iso(at(480))]);
    assert.equal(iso(earliest(d)), iso(at(60)));
  });
  it('answered, customer wrote again: next response runs from their message', () => {
    const d = computeDeadlines(targets, null, ticket({ firstResponseAt: at(10), lastAgentAt: at(10), lastCustomerAt: at(100), status: 'open' }));
    assert.deepEqual([d.first_response, iso(d.next_response)], [null, iso(at(130))]);
  });
  it('answered and the customer has not written since: no next-response clock', () => {
    const d = computeDeadlines(targets, null, ticket({ firstResponseAt: at(10), lastAgentAt: at(10), lastCustomerAt: T0, status: 'pending' }));
    assert.equal(d.next_response, null);
  });
  it('resolved and closed tickets have no clocks', () => {
    for (const status of ['resolved', 'closed']) assert.equal(earliest(computeDeadlines(targets, null, ticket({ status }))), null);
  });
  it('targets left empty have no deadline', () => {
    assert.equal(computeDeadlines({ resolutionMinutes: 60 }, null, ticket()).first_response, null);
  });
  it('business time: a ticket at 17:30 Shanghai with a 60-minute target is due 09:30 next morning', () => {
    const cal: Calendar = { timezone: 'Asia/Shanghai', slots: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' })), holidays: [] };
    const d = computeDeadlines(targets, cal, ticket({ createdAt: new Date('2026-11-23T09:30:00Z') }));
    assert.equal(iso(d.first_response), '2026-11-24T01:30:00.000Z');
  });
});
