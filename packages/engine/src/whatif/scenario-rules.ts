import type { DecimalString } from "../evaluation/evaluate.js";
import { toExactString } from "../rational.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import { type SchemeChange, schemeChanges } from "../scheme/scheme-changes.js";

/** How a scenario's rules differ from the baseline's: what to check before reading its effects. */
export interface ScenarioRules {
  /**
   * The most a total can be on each side (categories' points plus the bonus cap), exact. Points
   * that no longer add up (a 110-point scheme, or 90 from a typo) make changes of grades by
   * absolute lines artefacts of the new scale.
   */
  maximum: { baseline: DecimalString; scenario: DecimalString };
  /**
   * The scheme changes, as `schemeChanges` lists them between two versions; empty when the patch
   * changes no rule. Changed records (a scenario's `data`) are not scheme changes.
   */
  changes: SchemeChange[];
}

/** The maxima and rule changes of a scheme against the baseline's. */
export function scenarioRules(baseline: CompiledScheme, scenario: CompiledScheme): ScenarioRules {
  return {
    maximum: { baseline: toExactString(baseline.maxTotal), scenario: toExactString(scenario.maxTotal) },
    changes: schemeChanges(baseline.scheme, scenario.scheme),
  };
}
