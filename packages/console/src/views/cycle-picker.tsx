import { errorText, useI18n } from "../i18n";
import { type Cycle, loadCycles } from "../queries";
import { updateParams, useUrlCorrection } from "../router";
import { useQuery } from "../use-query";

/**
 * The cycle chosen in the URL (`?cycle=`), defaulting to the newest year. `known` false: what
 * names the cycle is still being read (a saved scenario is of its own cycle), so none is chosen
 * yet, nor the newest written to the URL in its place.
 */
export function useCycle(
  param: string | null,
  known = true,
): {
  cycles: Cycle[];
  cycle: Cycle | null;
  error: Error | null;
} {
  const { data, error } = useQuery("cycles", (s) => loadCycles(s));
  const cycles = data ?? [];
  const cycle = known ? (cycles.find((c) => c.id === param) ?? cycles[0] ?? null) : null;
  // The default cycle, written to the URL unless the user picked one meanwhile.
  useUrlCorrection(cycle && cycle.id !== param ? () => updateParams({ cycle: cycle.id }) : null, [
    cycle,
    param,
  ]);
  return { cycles, cycle, error };
}

export function CyclePicker({ cycles, value }: { cycles: Cycle[]; value: string | undefined }) {
  const { t } = useI18n();
  return (
    <label>
      {t("cycle")}{" "}
      <select
        data-testid="cycle"
        value={value ?? ""}
        onChange={(e) => updateParams({ cycle: e.target.value, group: null, unit: null, compare: null })}
      >
        {cycles.map((c) => (
          <option key={c.id} value={c.id}>
            {c.year} · {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ErrorNote({ error }: { error: Error | null }) {
  const { t } = useI18n();
  if (!error) return null;
  const { text, detail } = errorText(error, t);
  // A refusal put in the console's words keeps the gateway's message as the title, for support;
  // its issues are that message again, path by path, in the gateway's English. Of a message shown
  // as it is, only the issues it does not already say are listed under it.
  const issues = detail
    ? []
    : ((error as { issues?: { path: string; message: string }[] }).issues ?? []).filter(
        (i) => !text.includes(i.message),
      );
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
    </div>
  );
}
