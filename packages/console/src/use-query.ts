import { useEffect, useRef, useState } from "react";

interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  /**
   * The key `data` and `error` were loaded for. While the next key loads, the previous data stays
   * on screen; what must match the current key (a cycle's scheme) checks this.
   */
  key: string | null;
}

export interface QueryState<T> extends Loaded<T> {
  /**
   * `data` if it was loaded for the key asked for now, else null: what is shown or exported as
   * the current choice's (a ranking, a unit's breakdown, a sweep) must not be the previous one's.
   */
  current: T | null;
  /** Runs `load` again for the current key: a read that failed, tried again on the user's word. */
  reload: () => void;
}

/**
 * Runs `load` when `key` changes; the result of a superseded run is dropped. When `revision`
 * changes (the data behind the key changed), `load` runs again for the same key: what was loaded
 * stays `current` until the new result replaces it. Asked again while it runs, it runs once more
 * when that run ends, rather than cancelling it: under a burst of changes each result still shows.
 */
export function useQuery<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
  revision = 0,
): QueryState<T> {
  const [state, setState] = useState<Loaded<T>>({
    data: null,
    error: null,
    loading: key !== null,
    key: null,
  });
  const loadAgain = useRef<(() => void) | null>(null);
  const seenRevision = useRef(revision);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names everything `load` reads; a new key's first run is of the current revision
  useEffect(() => {
    seenRevision.current = revision;
    if (key === null) {
      loadAgain.current = null;
      setState({ data: null, error: null, loading: false, key: null });
      return;
    }
    const ctrl = new AbortController();
    let running = false;
    let queued = false;
    const run = () => {
      running = true;
      queued = false;
      setState((s) => ({ ...s, loading: true, error: null }));
      const settle = (result: { data: T | null; error: Error | null }) => {
        if (ctrl.signal.aborted) return;
        running = false;
        setState({ ...result, loading: queued, key });
        if (queued) run();
      };
      load(ctrl.signal).then(
        (data) => settle({ data, error: null }),
        (error: Error) => settle({ data: null, error }),
      );
    };
    run();
    loadAgain.current = () => {
      if (running) queued = true;
      else run();
    };
    return () => {
      loadAgain.current = null;
      ctrl.abort();
    };
  }, [key]);
  useEffect(() => {
    if (revision === seenRevision.current) return;
    seenRevision.current = revision;
    loadAgain.current?.();
  }, [revision]);
  return {
    ...state,
    current: key !== null && state.key === key ? state.data : null,
    reload: () => loadAgain.current?.(),
  };
}
