import { valueAt } from "./knobs";
import type { ScenarioDocument, SchemeDocument } from "./whatif-api";

/**
 * The scheme's categories with the points a saved scenario gives them: under a scenario the
 * gateway's analyses take its points as the nominal, so a sweep's range starts around them and its
 * nominal line is drawn at them. A point value is kept as written ("37.5" stays exact text); one
 * that is neither a number nor text leaves the scheme's, as the engine would refuse it anyway.
 */
export function schemeUnder(scheme: SchemeDocument, scenario: ScenarioDocument | null): SchemeDocument {
  if (!scenario) return scheme;
  return {
    ...scheme,
    categories: scheme.categories.map((c) => {
      const points = valueAt(scenario.patch, ["categories", c.id, "points"]);
      return typeof points === "number" || (typeof points === "string" && points.trim() !== "")
        ? { ...c, points }
        : c;
    }),
  };
}
