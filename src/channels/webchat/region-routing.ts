/**
 * Which people may take a new chat (区域分流 and 指定客服): a pure decision over the tenant's region
 * strategies, the widget style's designated agents and departments, and the visitor's region.
 * The ACD (acd.ts) then picks one person inside the scope decided here.
 */
import { normalizeCity, normalizeProvince } from './region-names.ts';

export interface RegionStrategy {
  id: string;
  name: string;
  /** A visitor matches a region when the province matches and, if a city is given, the city too. */
  regions: ReadonlyArray<{ province: string; city?: string | null }>;
  departmentIds: readonly string[];
  /** Order among matching strategies: 1 comes before 2 (like automation rules' position). */
  priority: number;
  enabled?: boolean;
}

export interface RoutingInput {
  /** The visitor's region (region.ts); null fields when unknown. */
  region: { province: string | null; city: string | null };
  strategies: readonly RegionStrategy[];
  /** The widget style's 指定客服: designated agents and departments; both empty = the whole company. */
  designated: { agentIds: readonly string[]; departmentIds: readonly string[] };
  /** Departments that still exist: ids a deleted department left in a strategy are ignored. Omitted = all. */
  existingDepartmentIds?: ReadonlySet<string>;
}

/**
 * Who may serve the chat. `departmentIds` keeps priority order (the order a pre-chat department choice
 * lists them in); an agent is in scope when listed in `agentIds` or a member of one of `departmentIds`.
 */
export type RoutingScope =
  | { source: 'region'; strategies: Array<{ id: string; name: string }>; departmentIds: string[]; agentIds: string[] }
  | { source: 'designated'; strategies: []; departmentIds: string[]; agentIds: string[] }
  | { source: 'company'; strategies: []; departmentIds: string[]; agentIds: string[] };

export function regionMatches(strategy: RegionStrategy, region: RoutingInput['region']): boolean {
  if (!region.province) return false;
  const province = normalizeProvince(region.province);
  const city = normalizeCity(region.city);
  return strategy.regions.some((r) => {
    if (normalizeProvince(r.province) !== province) return false;
    const wanted = normalizeCity(r.city);
    return !wanted || wanted === city;
  });
}

/**
 * Region strategies win over designated agents: every matching strategy (enabled, with at least one
 * live department) contributes its departments, merged in priority order without repeats. No match →
 * the widget's designated agents and departments; none designated → everyone in the company.
 */
export function decideRoutingScope(input: RoutingInput): RoutingScope {
  const live = (ids: readonly string[]) => (input.existingDepartmentIds ? ids.filter((id) => input.existingDepartmentIds!.has(id)) : [...ids]);
  const matching = input.strategies
    .filter((s) => s.enabled !== false && live(s.departmentIds).length > 0 && regionMatches(s, input.region))
    .sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id));
  if (matching.length) {
    return {
      source: 'region',
      strategies: matching.map((s) => ({ id: s.id, name: s.name })),
      departmentIds: dedupe(matching.flatMap((s) => live(s.departmentIds))),
      agentIds: [],
    };
  }
  const departmentIds = dedupe(live(input.designated.departmentIds));
  const agentIds = dedupe(input.designated.agentIds);
  if (departmentIds.length || agentIds.length) return { source: 'designated', strategies: [], departmentIds, agentIds };
  return { source: 'company', strategies: [], departmentIds: [], agentIds: [] };
}

/** Is this agent inside the scope? `memberOf` = the agent's department ids. */
export function inScope(scope: Pick<RoutingScope, 'source' | 'departmentIds' | 'agentIds'>, agentId: string, memberOf: readonly string[]): boolean {
  if (scope.source === 'company') return true;
  return scope.agentIds.includes(agentId) || memberOf.some((d) => scope.departmentIds.includes(d));
}

function dedupe(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
