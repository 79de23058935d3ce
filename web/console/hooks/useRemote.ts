import { useCallback, useEffect, useRef, useState } from 'react';
import { useFeedback } from './useFeedback.ts';

export interface Remote<T> {
  data: T | undefined;
  loading: boolean;
  error: Error | null;
  /** Loads again (keeps showing the old data meanwhile). */
  reload(): Promise<void>;
}

/** Loads data from the API when `deps` change; a failure shows a toast and is kept in `error`. */
export function useRemote<T>(load: () => Promise<T>, deps: readonly unknown[]): Remote<T> {
  const [data, setData] = useState<T>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);
  const feedback = useFeedback();
  const loader = useRef(load);
  loader.current = load;
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await loader.current();
      if (mine !== generation.current) return; // a newer request answers instead
      setData(value);
      setError(null);
    } catch (err) {
      if (mine !== generation.current) return;
      setError(err as Error);
      feedback.fail(err);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [feedback]);

  useEffect(() => { void reload(); }, deps);

  return { data, loading, error, reload };
}
