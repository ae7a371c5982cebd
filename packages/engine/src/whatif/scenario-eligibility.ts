import type { ExactEvaluation } from "../evaluation/compose.js";
import { type EligibilityResult, publishedEligibility } from "../evaluation/evaluate.js";

/**
 * Each unit's eligibility with its reasons (a veto, last place, not scored and why) on both
 * sides of a comparison, as `evaluate` publishes a unit's `eligibility`. A reader, not a
 * list: a side's reasons are worded the first time one of its units is asked for, so a
 * what-if read only for its ranks pays nothing for them (a fast scenario composes its side
 * once then, without traces).
 *
 * @example
 * const r = runScenario(baseline, { name: "lifted", data: { vetoEvents: { remove: ["V1"] } } });
 * r.eligibility.baseline("U07")?.reasons[0]?.kind; // "veto"
 * r.eligibility.scenario("U07")?.excellence; // true
 */
export interface ScenarioEligibility {
  /**
   * The unit's eligibility in the baseline; undefined for a unit the baseline does not hold (a
   * unit only the baseline holds, listed in compareBaselines' `onlyBefore`, is answered).
   */
  baseline(unit: string): EligibilityResult | undefined;
  /** The unit's eligibility under the scenario; undefined for a unit the scenario does not hold. */
  scenario(unit: string): EligibilityResult | undefined;
}

/** A reader over two exact evaluations, each made (and published) once, when first read. */
export function eligibilityReader(
  baseline: () => ExactEvaluation,
  scenario: () => ExactEvaluation,
): ScenarioEligibility {
  return { baseline: side(baseline), scenario: side(scenario) };
}

function side(exact: () => ExactEvaluation): (unit: string) => EligibilityResult | undefined {
  let byUnit: Map<string, EligibilityResult> | undefined;
  return (unit) => {
    byUnit ??= new Map(exact().units.map((u) => [u.unit.id, publishedEligibility(u)]));
    return byUnit.get(unit);
  };
}
