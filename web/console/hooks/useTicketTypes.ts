import { useMemo } from 'react';
import { ticketsApi } from '../../shared/endpoints.ts';
import type { TicketTypeView } from '../../shared/types.ts';
import { useRemote } from './useRemote.ts';

/** The company's ticket types (every staff member may read them). */
export function useTicketTypes(): { all: TicketTypeView[]; active: TicketTypeView[]; reload(): Promise<void> } {
  const remote = useRemote(() => ticketsApi.types(), []);
  return useMemo(() => {
    const all = [...(remote.data?.items ?? [])].sort((a, b) => a.sortOrder - b.sortOrder);
    return { all, active: all.filter((x) => x.active), reload: remote.reload };
  }, [remote.data, remote.reload]);
}
