import { useEffect, useState } from "react";

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
}

/** Runs `load` when `key` changes; the result of a superseded run is dropped. */
export function useQuery<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): QueryState<T> {
  const [state, setState] = useState<Loaded<T>>({
    data: null,
    error: null,
    loading: key !== null,
    key: null,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names everything `load` reads
  useEffect(() => {
    if (key === null) {
      setState({ data: null, error: null, loading: false, key: null });
      return;
    }
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    load(ctrl.signal).then(
      (data) => !ctrl.signal.aborted && setState({ data, error: null, loading: false, key }),
      (error: Error) => !ctrl.signal.aborted && setState({ data: null, error, loading: false, key }),
    );
    return () => ctrl.abort();
  }, [key]);
  return { ...state, current: key !== null && state.key === key ? state.data : null };
}
