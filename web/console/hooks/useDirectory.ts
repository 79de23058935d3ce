import { useMemo } from 'react';
import { departmentsApi, rolesApi, staffApi, teamsApi } from '../../shared/endpoints.ts';
import type { DepartmentView, RoleView, StaffView, TeamView } from '../../shared/types.ts';
import { useLiveEvents } from '../../shared/useLiveEvents.ts';
import { useRemote } from './useRemote.ts';

export interface Directory {
  roles: RoleView[];
  departments: DepartmentView[];
  teams: TeamView[];
  staff: StaffView[];
  loading: boolean;
  reload(): Promise<void>;
  departmentName(id: string): string;
  teamName(id: string): string;
  staffName(id: string): string;
  /** The name behind any role, department, team or staff id, if known. */
  nameOf(id: string): string | undefined;
}

/**
 * Roles, departments, teams and people, for pickers and for turning ids into names. Every signed-in
 * staff member may read them; live events keep them fresh.
 */
export function useDirectory(): Directory {
  const remote = useRemote(async () => {
    const [roles, departments, teams, staff] = await Promise.all([
      rolesApi.list(), departmentsApi.list(), teamsApi.list(), staffApi.list({ limit: 200 }),
    ]);
    return { roles: roles.items, departments: departments.items, teams: teams.items, staff: staff.items };
  }, []);
  useLiveEvents(['role.changed', 'department.changed', 'team.changed', 'staff.invited', 'staff.activated', 'staff.updated'], () => { void remote.reload(); });

  return useMemo(() => {
    const d = remote.data ?? { roles: [], departments: [], teams: [], staff: [] };
    const depts = new Map(d.departments.map((x) => [x.id, x.name]));
    const teams = new Map(d.teams.map((x) => [x.id, x.name]));
    const people = new Map(d.staff.map((x) => [x.id, x.name]));
    const roles = new Map(d.roles.map((x) => [x.id, x.name]));
    return {
      ...d, loading: remote.loading, reload: remote.reload,
      departmentName: (id) => depts.get(id) ?? '—',
      teamName: (id) => teams.get(id) ?? '—',
      staffName: (id) => people.get(id) ?? '—',
      nameOf: (id) => people.get(id) ?? depts.get(id) ?? teams.get(id) ?? roles.get(id),
    };
  }, [remote.data, remote.loading, remote.reload]);
}
