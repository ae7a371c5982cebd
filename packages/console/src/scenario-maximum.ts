import type { Knobs } from "./knobs";
import { sumDecimals } from "./number-field";
import type { ScenarioDocument, SchemeDocument } from "./whatif-api";

/**
 * The most a total can be — the categories' points and the bonus cap, as the engine's maximum
 * and the Rules page's — under the scheme and under the scenario, added exactly ("100", "110").
 * Null when either side's points are not plain decimals (nothing exact to say).
 */
export function scenarioMaximum(
  scheme: SchemeDocument,
  knobs: Knobs,
  doc: ScenarioDocument,
): { before: string; after: string } | null {
  const cap = scheme.bonusCap ?? 0;
  const scenarioCap = (doc.patch?.bonusCap as number | string | undefined) ?? cap;
  const before = sumDecimals([...scheme.categories.map((c) => c.points), cap]);
  const after = sumDecimals([...scheme.categories.map((c) => knobs.points[c.id] ?? c.points), scenarioCap]);
  return before === undefined || after === undefined ? null : { before, after };
}
