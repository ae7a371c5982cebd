import { useEffect, useState } from "react";
import { errorText, useI18n } from "../i18n";
import { type Cycle, loadCycles } from "../queries";
import { retryAdvice } from "../retry-advice";
import { updateParams, useUrlCorrection } from "../router";
import { useQuery } from "../use-query";

/**
 * The cycle chosen in the URL (`?cycle=`), defaulting to `fallback` (a saved scenario's own
 * cycle), else to the newest year. `known` false: what names the cycle is still being read, so
 * none is chosen yet, nor the newest written to the URL in its place.
 */
export function useCycle(
  param: string | null,
  known = true,
  fallback: string | null = null,
): {
  cycles: Cycle[];
  cycle: Cycle | null;
  error: Error | null;
  /** Reads the cycles again (after `error`). */
  reload: () => void;
} {
  const { data, error, reload } = useQuery("cycles", (s) => loadCycles(s));
  const cycles = data ?? [];
  const cycle = known ? (cycles.find((c) => c.id === (param ?? fallback)) ?? cycles[0] ?? null) : null;
  // The default cycle, written to the URL unless the user picked one meanwhile: the URL names the
  // cycle on screen, which the menu's links carry to the next page.
  useUrlCorrection(cycle && cycle.id !== param ? () => updateParams({ cycle: cycle.id }) : null, [
    cycle,
    param,
  ]);
  return { cycles, cycle, error, reload };
}

/**
 * Picks the cycle the URL's `?cycle=` names; or, given `param`, another of the page's cycles (the
 * Year-on-year page's earlier one, `?before=`), labelled `label`, its select's test id the param.
 */
export function CyclePicker({
  cycles,
  value,
  param = "cycle",
  label,
}: {
  cycles: Cycle[];
  value: string | undefined;
  param?: string;
  label?: string;
}) {
  const { t } = useI18n();
  return (
    <label>
      {label ?? t("cycle")}{" "}
      <select
        data-testid={param}
        value={value ?? ""}
        onChange={(e) => updateParams({ [param]: e.target.value, group: null, unit: null, compare: null })}
      >
        {/* Without it the browser would show the first cycle as picked (the Year-on-year page's base when none fits). */}
        {value === undefined && <option value="">—</option>}
        {cycles.map((c) => (
          <option key={c.id} value={c.id}>
            {c.year} · {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A read of a page, as failedRead takes it: a useQuery's state, or useCycle's. */
export interface Read {
  error: Error | null;
  reload: () => void;
}

/**
 * What ErrorNote takes for a page's reads: the first failure among them, and trying again every
 * one that failed. A read given as null is not this note's to show.
 */
export function failedRead(...reads: (Read | null)[]): { error: Error | null; onRetry: () => void } {
  const failed = reads.filter((r): r is Read => r !== null && r.error !== null);
  return {
    error: failed[0]?.error ?? null,
    onRetry: () => {
      for (const r of failed) r.reload();
    },
  };
}

/**
 * An error as a view shows it. `onRetry`, for a read that failed (never a write's refusal, which
 * the form sends again), adds Try again where trying again can help (retryAdvice): at once for a
 * gateway out of reach or failing, once its wait is over for a rate limit. A refusal that would
 * answer the same says what to change instead: `change`, the view's words for it, else the
 * console's for a refusal of what was sent or of how much was asked.
 */
export function ErrorNote({
  error,
  onRetry,
  change,
}: {
  error: Error | null;
  onRetry?: () => void;
  change?: string;
}) {
  const { t } = useI18n();
  const advice = error ? retryAdvice(error) : null;
  const wait = advice?.kind === "wait" ? advice.seconds : 0;
  // The error whose wait is over: another error (the next try's) waits its own.
  const [waited, setWaited] = useState<Error | null>(null);
  useEffect(() => {
    if (!error || wait === 0) return;
    const timer = setTimeout(() => setWaited(error), wait * 1000);
    return () => clearTimeout(timer);
  }, [error, wait]);
  if (!error || !advice) return null;
  const { text, detail } = errorText(error, t);
  // A refusal put in the console's words keeps the gateway's message as the title, for support;
  // its issues are that message again, path by path, in the gateway's English. Of a message shown
  // as it is, only the issues it does not already say are listed under it.
  const issues = detail
    ? []
    : ((error as { issues?: { path: string; message: string }[] }).issues ?? []).filter(
        (i) => !text.includes(i.message),
      );
  const remedy =
    onRetry && advice.kind === "repeats" && advice.change
      ? advice.change === "input"
        ? (change ?? t("error.repeats.input"))
        : t("error.repeats.limit")
      : null;
  return (
    <div className="error" role="alert" title={detail ?? undefined}>
      {t("error")}: {text}
      {issues.length > 0 && (
        <ul>
          {issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              <code>{i.path}</code> {i.message}
            </li>
          ))}
        </ul>
      )}
      {remedy && <p data-testid="error-remedy">{remedy}</p>}
      {onRetry && advice.kind !== "repeats" && (
        <>
          {" "}
          <button
            type="button"
            data-testid="retry"
            // Until the wait the gateway asked for is over (the sentence says how long), a try is refused.
            disabled={advice.kind === "wait" && waited !== error}
            onClick={(e) => {
              // The note goes while the read runs again: the focus waits at the page's main
              // region, rather than on the document, for what the read brings (or a new note).
              e.currentTarget.closest("main")?.focus();
              onRetry();
            }}
          >
            {t("crash.retry")}
          </button>
        </>
      )}
    </div>
  );
}
