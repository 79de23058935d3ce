import { useEffect, useState } from 'react';
import { PortalError } from './portal-api.ts';

/** Loads data for a page; reloads when the deps change; a stale answer never overwrites a newer one. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: PortalError | null; loading: boolean } {
  const [state, setState] = useState<{ data: T | null; error: PortalError | null; loading: boolean }>({ data: null, error: null, loading: true });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => { if (live) setState({ data, error: null, loading: false }); },
      (err: unknown) => { if (live) setState({ data: null, error: err instanceof PortalError ? err : new PortalError(0, String(err)), loading: false }); },
    );
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}
