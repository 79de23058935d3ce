import { useMemo } from 'react';
import { ticketFieldsApi } from '../../shared/endpoints.ts';
import type { TicketFieldView } from '../../shared/types.ts';
import { useRemote } from './useRemote.ts';

/** The company's custom ticket fields in display order; `active` are the ones editors offer. */
export function useTicketFields(): { all: TicketFieldView[]; active: TicketFieldView[]; loading: boolean; reload(): Promise<void> } {
  const remote = useRemote(() => ticketFieldsApi.list(), []);
  return useMemo(() => {
    const all = [...(remote.data?.items ?? [])].sort((a, b) => a.sortOrder - b.sortOrder || a.key.localeCompare(b.key));
    return { all, active: all.filter((f) => f.active), loading: remote.loading, reload: remote.reload };
  }, [remote.data, remote.loading, remote.reload]);
}
