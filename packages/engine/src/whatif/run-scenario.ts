import { compose } from "../evaluation/compose.js";
import { type MethodOutcomes, scoreRecords } from "../evaluation/score-records.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import { type AppliedScenario, applyScenario } from "./apply-scenario.js";
import type { Baseline } from "./baseline.js";
import { compareWithSnapshots, type StandingComparison } from "./compare-standings.js";
import { computeAdjustments, fastPathApplies, fastStageTwo } from "./fast-stage-two.js";
import type { Scenario, ScenarioInput } from "./scenario.js";
import { type Standing, standingsFromExact } from "./standing.js";

/** A scenario's effect on every unit, with what was recomputed to get it. */
export interface ScenarioResult extends StandingComparison {
  scenario: { name: string; description: string | null };
  /** Categories whose records were re-read (stage 1); empty for a weight-only scenario. */
  recomputedCategories: string[];
  /**
   * How stage two ran: "fast" (points × share − deductions, no roll-ups or formulas over
   * categories; same values as the pipeline) or "compose" (the pipeline itself).
   */
  stageTwo: "fast" | "compose";
  /** The stage-1 outcomes used: the baseline's own map when nothing was re-read. */
  outcomes: MethodOutcomes;
  /** Every unit's scenario standing, in dataset order (exact values), for further analysis. */
  standings: Standing[];
}

/** Evaluates the scenario's standings only (no comparison); the building block of sweeps and samplers. */
export function scenarioStandings(
  baseline: Baseline,
  applied: AppliedScenario,
): { standings: Standing[]; outcomes: MethodOutcomes; stageTwo: "fast" | "compose" } {
  let outcomes = baseline.outcomes;
  if (applied.restage.size > 0) {
    outcomes = new Map(baseline.outcomes);
    for (const [id, results] of scoreRecords(applied.compiled, applied.dataset, applied.restage))
      outcomes.set(id, results);
  }
  if (fastPathApplies(applied.compiled)) {
    const adj = applied.adjustmentsChanged
      ? computeAdjustments(applied.compiled, applied.dataset)
      : baseline.adjustments;
    return {
      standings: fastStageTwo(applied.compiled, {
        dataset: applied.dataset,
        outcomes,
        adjustments: adj,
        memo: baseline.memo,
      }),
      outcomes,
      stageTwo: "fast",
    };
  }
  const exact = compose(applied.compiled, applied.dataset, outcomes);
  return { standings: standingsFromExact(exact), outcomes, stageTwo: "compose" };
}

/** Compares scenario standings with the baseline's, using its snapshots made once. */
export function compareWithBaseline(
  baseline: Baseline,
  scheme: Scheme,
  standings: readonly Standing[],
): StandingComparison {
  return compareWithSnapshots(scheme, standings, {
    scheme: baseline.compiled.scheme,
    standings: baseline.standings,
    snapshots: baseline.memo.snapshots,
  });
}

/**
 * Runs a what-if scenario against a baseline: re-reads records (stage 1) only for
 * categories whose method parameters or records the scenario changes, re-composes, and
 * compares every unit's total, rank, grade and eligibility with the baseline. Throws
 * InputError (subject "scenario") for a patch that names unknown ids or breaks the scheme.
 */
export function runScenario(
  baseline: Baseline,
  scenario: ScenarioInput | Scenario | unknown,
): ScenarioResult {
  const applied = applyScenario(baseline.compiled.scheme, baseline.dataset, scenario);
  const { standings, outcomes, stageTwo } = scenarioStandings(baseline, applied);
  return {
    scenario: { name: applied.scenario.name, description: applied.scenario.description ?? null },
    recomputedCategories: [...applied.restage].sort(),
    stageTwo,
    outcomes,
    standings,
    ...compareWithBaseline(baseline, applied.compiled.scheme, standings),
  };
}
