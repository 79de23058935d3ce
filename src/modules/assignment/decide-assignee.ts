/**
 * Who gets this ticket? A pure decision over the department's settings and its agents' state.
 * The service around it loads the inputs and writes the outcome.
 */
export type AssignmentMode = 'manual' | 'round_robin' | 'least_loaded' | 'skills';

export interface Candidate {
  userId: string;
  presence: 'online' | 'away' | 'offline';
  /** Active tickets the agent holds now. */
  openTickets: number;
  /** Most tickets the agent may hold; 0 = no limit. */
  capacity: number;
  skills: readonly string[];
  /** When the agent last received a ticket by assignment (round-robin order). */
  lastAssignedAt: Date | null;
}

export interface AssignmentInput {
  mode: AssignmentMode;
  /** Give a returning customer's ticket to the agent who served them last, when that agent can take it. */
  sticky: boolean;
  previousAgentId: string | null;
  /** Hold tickets while the department is closed, and assign them when it opens (存单). */
  deferOutsideHours: boolean;
  departmentOpen: boolean;
  ticketTags: readonly string[];
  candidates: readonly Candidate[];
  /** Agents not to pick (the one a timeout takes the ticket from). */
  exclude?: readonly string[];
}

export type AssignmentDecision =
  | { kind: 'assign'; userId: string; rule: 'sticky' | AssignmentMode }
  | { kind: 'defer' }
  | { kind: 'none'; reason: 'manual' | 'no_agent_available' | 'no_skilled_agent' };

export function isAvailable(c: Candidate): boolean {
  return c.presence === 'online' && (c.capacity === 0 || c.openTickets < c.capacity);
}

/** Oldest last assignment first; never-assigned agents first of all; ties by id for a stable order. */
function byRoundRobin(a: Candidate, b: Candidate): number {
  const ta = a.lastAssignedAt?.getTime() ?? -Infinity;
  const tb = b.lastAssignedAt?.getTime() ?? -Infinity;
  return ta - tb || a.userId.localeCompare(b.userId);
}

/** Lowest load first, where load is the share of capacity in use (open tickets when unlimited). */
function byLoad(a: Candidate, b: Candidate): number {
  const la = a.capacity ? a.openTickets / a.capacity : a.openTickets;
  const lb = b.capacity ? b.openTickets / b.capacity : b.openTickets;
  return la - lb || a.openTickets - b.openTickets || byRoundRobin(a, b);
}

export function decideAssignee(input: AssignmentInput): AssignmentDecision {
  if (input.mode === 'manual') return { kind: 'none', reason: 'manual' };
  if (!input.departmentOpen && input.deferOutsideHours) return { kind: 'defer' };
  const excluded = new Set(input.exclude ?? []);
  const available = input.candidates.filter((c) => isAvailable(c) && !excluded.has(c.userId));

  if (input.sticky && input.previousAgentId) {
    const previous = available.find((c) => c.userId === input.previousAgentId);
    if (previous) return { kind: 'assign', userId: previous.userId, rule: 'sticky' };
  }
  if (!available.length) return { kind: 'none', reason: 'no_agent_available' };

  if (input.mode === 'skills') {
    // A ticket tag that is some agent's skill is a required skill; the agent must hold all of them.
    const known = new Set(input.candidates.flatMap((c) => c.skills));
    const required = input.ticketTags.filter((t) => known.has(t));
    const skilled = available.filter((c) => required.every((s) => c.skills.includes(s)));
    if (!skilled.length) return { kind: 'none', reason: 'no_skilled_agent' };
    return { kind: 'assign', userId: [...skilled].sort(byLoad)[0].userId, rule: 'skills' };
  }
  const order = input.mode === 'round_robin' ? byRoundRobin : byLoad;
  return { kind: 'assign', userId: [...available].sort(order)[0].userId, rule: input.mode };
}

/**
 * Reassign when untouched: the assignee has not acted (no public reply, note or status change by them)
 * since the ticket was assigned to them, and the timeout has passed.
 */
export function shouldReassign(input: { assignedAt: Date; lastActionByAssigneeAt: Date | null; timeoutMinutes: number | null; now: Date; status: string }): boolean {
  if (!input.timeoutMinutes || ['resolved', 'closed'].includes(input.status)) return false;
  if (input.lastActionByAssigneeAt && input.lastActionByAssigneeAt >= input.assignedAt) return false;
  return input.now.getTime() - input.assignedAt.getTime() >= input.timeoutMinutes * 60_000;
}
