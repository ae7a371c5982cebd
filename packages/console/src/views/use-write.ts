import { useState } from "react";
import { fieldProblems } from "../field-problems";
import { useWriteFocus } from "./use-write-focus";

/**
 * A write's refusal, by box where the gateway named one, while nothing else is sent. Once it
 * settles, the focus goes to the first box refused, else back where it was (useWriteFocus).
 */
export function useWrite<F extends string>(fields: readonly F[]) {
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const asked = useWriteFocus(busy);
  const run = async (write: () => Promise<void>) => {
    asked();
    setBusy(true);
    setError(null);
    try {
      await write();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run, edited: () => setError(null), problems: fieldProblems(error, fields) };
}
