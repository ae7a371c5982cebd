import { useState } from "react";
import { fieldProblems } from "../field-problems";

/** A write's refusal, by box where the gateway named one, while nothing else is sent. */
export function useWrite<F extends string>(fields: readonly F[]) {
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (write: () => Promise<void>) => {
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
