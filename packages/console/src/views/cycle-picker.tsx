import { useEffect } from "react";
import { errorText, useI18n } from "../i18n";
import { type Cycle, loadCycles } from "../queries";
import { updateParams } from "../router";
import { useQuery } from "../use-query";

/** The cycle chosen in the URL (`?cycle=`), defaulting to the newest year. */
export function useCycle(param: string | null): {
  cycles: Cycle[];
  cycle: Cycle | null;
  error: Error | null;
} {
  const { data, error } = useQuery("cycles", (s) => loadCycles(s));
  const cycles = data ?? [];
  const cycle = cycles.find((c) => c.id === param) ?? cycles[0] ?? null;
  // React runs this effect a moment after the render, and a user can pick a cycle in between:
  // written then, the default would replace their choice. A URL changed since the render is left
  // alone; its own render (the hash is a dependency) decides again.
  const renderedHash = location.hash;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the hash is what the check compares against; a new one must run it again
  useEffect(() => {
    if (cycle && cycle.id !== param && location.hash === renderedHash) updateParams({ cycle: cycle.id });
  }, [cycle, param, renderedHash]);
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
