import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideAssignee, shouldReassign, type AssignmentDecision, type AssignmentInput, type Candidate } from './decide-assignee.ts';

const t = (min: number) => new Date(Date.UTC(2026, 10, 23, 9, min));
const agent = (userId: string, o: Partial<Candidate> = {}): Candidate => ({ userId, presence: 'online', openTickets: 0, capacity: 0, skills: [], lastAssignedAt: null, ...o });
const base: AssignmentInput = { mode: 'round_robin', sticky: false, previousAgentId: null, deferOutsideHours: false, departmentOpen: true, ticketTags: [], candidates: [] };
const assign = (userId: string, rule: string): AssignmentDecision => ({ kind: 'assign', userId, rule } as AssignmentDecision);

const cases: Array<[string, Partial<AssignmentInput>, AssignmentDecision]> = [
  // modes
  ['manual never assigns', { mode: 'manual', candidates: [agent('a')] }, { kind: 'none', reason: 'manual' }],
  ['round-robin: never-assigned agent first', { candidates: [agent('a', { lastAssignedAt: t(1) }), agent('b')] }, assign('b', 'round_robin')],
  ['round-robin: the longest-waiting agent', { candidates: [agent('a', { lastAssignedAt: t(5) }), agent('b', { lastAssignedAt: t(2) }), agent('c', { lastAssignedAt: t(9) })] }, assign('b', 'round_robin')],
  ['round-robin ignores load', { candidates: [agent('a', { lastAssignedAt: t(1), openTickets: 9 }), agent('b', { lastAssignedAt: t(2) })] }, assign('a', 'round_robin')],
  ['round-robin: ties broken by id', { candidates: [agent('b'), agent('a')] }, assign('a', 'round_robin')],
  ['least-loaded: fewest open tickets', { mode: 'least_loaded', candidates: [agent('a', { openTickets: 3 }), agent('b', { openTickets: 1 }), agent('c', { openTickets: 2 })] }, assign('b', 'least_loaded')],
  ['least-loaded: load relative to capacity', { mode: 'least_loaded', candidates: [agent('a', { openTickets: 2, capacity: 4 }), agent('b', { openTickets: 3, capacity: 10 })] }, assign('b', 'least_loaded')],
  ['least-loaded: equal load → round-robin order', { mode: 'least_loaded', candidates: [agent('a', { openTickets: 1, lastAssignedAt: t(8) }), agent('b', { openTickets: 1, lastAssignedAt: t(3) })] }, assign('b', 'least_loaded')],
  // skills
  ['skills: only agents holding every required skill', { mode: 'skills', ticketTags: ['billing', 'vip'], candidates: [agent('a', { skills: ['billing'] }), agent('b', { skills: ['billing', 'vip'], openTickets: 5 })] }, assign('b', 'skills')],
  ['skills: tags nobody holds are not requirements', { mode: 'skills', ticketTags: ['urgent-ish'], candidates: [agent('a', { openTickets: 2 }), agent('b', { openTickets: 1 })] }, assign('b', 'skills')],
  ['skills: least loaded among the skilled', { mode: 'skills', ticketTags: ['宽带'], candidates: [agent('a', { skills: ['宽带'], openTickets: 4 }), agent('b', { skills: ['宽带'], openTickets: 2 }), agent('c', { openTickets: 0 })] }, assign('b', 'skills')],
  ['skills: the skilled agent is offline → nobody', { mode: 'skills', ticketTags: ['宽带'], candidates: [agent('a', { skills: ['宽带'], presence: 'offline' }), agent('b')] }, { kind: 'none', reason: 'no_skilled_agent' }],
  // presence and capacity
  ['away and offline agents are skipped', { candidates: [agent('a', { presence: 'away' }), agent('b', { presence: 'offline' }), agent('c', { lastAssignedAt: t(50) })] }, assign('c', 'round_robin')],
  ['an agent at capacity is skipped', { candidates: [agent('a', { openTickets: 5, capacity: 5 }), agent('b', { lastAssignedAt: t(1) })] }, assign('b', 'round_robin')],
  ['capacity 0 means unlimited', { mode: 'least_loaded', candidates: [agent('a', { openTickets: 500, capacity: 0 })] }, assign('a', 'least_loaded')],
  ['everyone full or away → nobody', { candidates: [agent('a', { openTickets: 1, capacity: 1 }), agent('b', { presence: 'away' })] }, { kind: 'none', reason: 'no_agent_available' }],
  ['no agents at all → nobody', { candidates: [] }, { kind: 'none', reason: 'no_agent_available' }],
  // stickiness
  ['sticky: the previous agent first', { sticky: true, previousAgentId: 'b', candidates: [agent('a'), agent('b', { lastAssignedAt: t(59), openTickets: 8 })] }, assign('b', 'sticky')],
  ['sticky: previous agent away → normal rule', { sticky: true, previousAgentId: 'b', candidates: [agent('a', { lastAssignedAt: t(1) }), agent('b', { presence: 'away' })] }, assign('a', 'round_robin')],
  ['sticky: previous agent full → normal rule', { sticky: true, previousAgentId: 'b', mode: 'least_loaded', candidates: [agent('a', { openTickets: 3 }), agent('b', { openTickets: 2, capacity: 2 })] }, assign('a', 'least_loaded')],
  ['sticky off: the previous agent gets no preference', { sticky: false, previousAgentId: 'b', candidates: [agent('a'), agent('b', { lastAssignedAt: t(1) })] }, assign('a', 'round_robin')],
  ['sticky works in manual mode? no: manual stays manual', { mode: 'manual', sticky: true, previousAgentId: 'a', candidates: [agent('a')] }, { kind: 'none', reason: 'manual' }],
  // business hours
  ['closed department with deferral → held', { departmentOpen: false, deferOutsideHours: true, candidates: [agent('a')] }, { kind: 'defer' }],
  ['closed department without deferral → assigned now', { departmentOpen: false, deferOutsideHours: false, candidates: [agent('a')] }, assign('a', 'round_robin')],
  // timeout reassignment excludes the agent who sat on it
  ['reassign: the previous assignee is excluded', { exclude: ['a'], candidates: [agent('a'), agent('b', { lastAssignedAt: t(30) })] }, assign('b', 'round_robin')],
  ['reassign: sticky does not hand it back to the excluded agent', { exclude: ['a'], sticky: true, previousAgentId: 'a', candidates: [agent('a'), agent('b', { lastAssignedAt: t(30) })] }, assign('b', 'round_robin')],
  ['reassign: only the excluded agent is available → nobody', { exclude: ['a'], candidates: [agent('a')] }, { kind: 'none', reason: 'no_agent_available' }],
];

describe('decideAssignee', () => {
  for (const [name, input, expected] of cases) {
    it(name, () => assert.deepEqual(decideAssignee({ ...base, ...input }), expected));
  }
});

describe('shouldReassign (reassign when untouched)', () => {
  const table: Array<[string, Parameters<typeof shouldReassign>[0], boolean]> = [
    ['timeout passed, untouched', { assignedAt: t(0), lastActionByAssigneeAt: null, timeoutMinutes: 15, now: t(15), status: 'open' }, true],
    ['timeout not yet passed', { assignedAt: t(0), lastActionByAssigneeAt: null, timeoutMinutes: 15, now: t(14), status: 'open' }, false],
    ['the assignee acted after assignment', { assignedAt: t(0), lastActionByAssigneeAt: t(3), timeoutMinutes: 15, now: t(30), status: 'open' }, false],
    ['an action before this assignment does not count', { assignedAt: t(10), lastActionByAssigneeAt: t(3), timeoutMinutes: 15, now: t(30), status: 'open' }, true],
    ['no timeout configured', { assignedAt: t(0), lastActionByAssigneeAt: null, timeoutMinutes: null, now: t(59), status: 'open' }, false],
    ['resolved tickets stay', { assignedAt: t(0), lastActionByAssigneeAt: null, timeoutMinutes: 5, now: t(59), status: 'resolved' }, false],
  ];
  for (const [name, input, expected] of table) it(name, () => assert.equal(shouldReassign(input), expected));
});
