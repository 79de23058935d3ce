import type { QueueView, TicketFilters, TicketStatus } from '../../../shared/types.ts';

/** The statuses a ticket is still worked in (the built-in views' "unresolved"). */
export const ACTIVE_STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on_hold'];

/**
 * What a built-in view means, written as filters: a view saved while looking at "My tickets" keeps
 * meaning "mine, unresolved". ("My departments" becomes the departments I am in today.)
 */
export function filtersOfView(view: QueueView, myDepartmentIds: string[]): TicketFilters {
  switch (view) {
    case 'mine': return { assignee: 'me', statuses: ACTIVE_STATUSES };
    case 'unassigned': return { assignee: 'none', statuses: ACTIVE_STATUSES };
    case 'department': return { departmentIds: myDepartmentIds, statuses: ACTIVE_STATUSES };
    case 'escalated': return { escalated: true, statuses: ACTIVE_STATUSES };
    case 'overdue': return { overdue: true };
    case 'open': return { statuses: ACTIVE_STATUSES };
    case 'all': return {};
  }
}

/** The filters without empty values: what the API and a saved view get. */
export function compactFilters(f: TicketFilters): TicketFilters {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) continue;
    out[k] = typeof v === 'string' ? v.trim() || undefined : v;
    if (out[k] === undefined) delete out[k];
  }
  return out as TicketFilters;
}

/** `over` wins key by key. */
export function mergeFilters(base: TicketFilters, over: TicketFilters): TicketFilters {
  return compactFilters({ ...base, ...compactFilters(over) });
}

/** Whether two sets of filters select the same tickets (list order aside). */
export function sameFilters(a: TicketFilters, b: TicketFilters): boolean {
  const norm = (f: TicketFilters) => JSON.stringify(Object.entries(compactFilters(f))
    .map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : v]).sort(([x], [y]) => String(x).localeCompare(String(y))));
  return norm(a) === norm(b);
}

export const hasFilters = (f: TicketFilters) => Object.keys(compactFilters(f)).length > 0;
