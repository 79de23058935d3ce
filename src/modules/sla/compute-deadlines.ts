import { addBusinessMinutes, type Calendar } from '../assignment/business-hours.ts';
import type { SlaConditions, SlaTargets } from './sla.schema.ts';

export interface SlaTicket {
  priority: string; typeId: string | null; channel: string; status: string;
  createdAt: Date; firstResponseAt: Date | null; lastCustomerAt: Date | null; lastAgentAt: Date | null;
}
export interface PolicyLike { id: string; active: boolean; position: number; conditions: SlaConditions; targets: SlaTargets }
export type Metric = 'first_response' | 'next_response' | 'resolution';
export interface Deadlines { first_response: Date | null; next_response: Date | null; resolution: Date | null }

const matches = (allowed: string[] | undefined, value: string | null) => !allowed?.length || (value !== null && allowed.includes(value));

/** The first active policy, by position, whose every condition holds for the ticket. */
export function matchPolicy<P extends PolicyLike>(policies: readonly P[], t: SlaTicket): P | null {
  return [...policies].sort((a, b) => a.position - b.position).find((p) =>
    p.active && matches(p.conditions.priorities, t.priority) && matches(p.conditions.typeIds, t.typeId) && matches(p.conditions.channels, t.channel)) ?? null;
}

/**
 * When each target falls due, in business time. A met or irrelevant target has no deadline:
 * first response once answered; next response only while the customer waits for an answer;
 * resolution until resolved or closed.
 */
export function computeDeadlines(targets: SlaTargets, calendar: Calendar | null, t: SlaTicket): Deadlines {
  const done = t.status === 'resolved' || t.status === 'closed';
  const add = (from: Date, minutes: number | null | undefined) => (minutes == null ? null : addBusinessMinutes(calendar, from, minutes));
  const customerWaiting = !!t.firstResponseAt && !!t.lastCustomerAt && (!t.lastAgentAt || t.lastCustomerAt > t.lastAgentAt);
  return {
    first_response: done || t.firstResponseAt ? null : add(t.createdAt, targets.firstResponseMinutes),
    next_response: done || !customerWaiting ? null : add(t.lastCustomerAt!, targets.nextResponseMinutes),
    resolution: done ? null : add(t.createdAt, targets.resolutionMinutes),
  };
}

export function earliest(d: Deadlines): Date | null {
  const all = [d.first_response, d.next_response, d.resolution].filter((x): x is Date => !!x);
  return all.length ? new Date(Math.min(...all.map((x) => x.getTime()))) : null;
}
