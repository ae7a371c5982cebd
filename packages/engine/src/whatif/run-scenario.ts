import { composeValidated, type ExactEvaluation } from "../evaluation/compose.js";
import { type MethodOutcomes, scoreRecordsRead } from "../evaluation/score-records.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import { type AppliedScenario, applyScenario } from "./apply-scenario.js";
import type { Baseline } from "./baseline.js";
import { checkBaselineArgument } from "./baseline-argument.js";
import { columnStageTwo } from "./column-stage-two.js";
import { compareColumns } from "./compare-columns.js";
import { compareWithSnapshots, type StandingComparison } from "./compare-standings.js";
import { computeAdjustments, fastPathApplies, fastStageTwo } from "./fast-stage-two.js";
import { baselineSide, type MoveReasons, moveReasonsOf, notScoredIn } from "./move-reasons.js";
import { baselineRollupSide, type RollupParts, rollupPartsOf } from "./rollup-parts.js";
import type { Scenario, ScenarioInput } from "./scenario.js";
import { eligibilityReader, type ScenarioEligibility } from "./scenario-eligibility.js";
import { checkScenarioResultArgument } from "./scenario-result-argument.js";
import { type ScenarioRules, scenarioRules } from "./scenario-rules.js";
import { type Standing, standingsFromExact } from "./standing.js";
import { standingsOfColumns } from "./standing-columns.js";

/** A scenario's effect on every unit, with what was recomputed to get it. */
export interface ScenarioResult extends StandingComparison, ScenarioRules {
  scenario: { name: string; description: string | null };
  /**
   * The scheme the scenario side was scored under (the baseline's as patched): what it names its
   * categories and grades.
   */
  scheme: Scheme;
  /** Categories whose records were re-read (stage 1); empty for a weight-only scenario. */
  recomputedCategories: string[];
  /**
   * How stage two ran: "fast" (points × share − deductions and roll-ups, no formulas over
   * categories; same values as the pipeline; in typed columns for weight-only scenarios)
   * or "compose" (the pipeline itself).
   */
  stageTwo: "fast" | "compose";
  /** The stage-1 outcomes used: the baseline's own map when nothing was re-read. */
  outcomes: MethodOutcomes;
  /** Every unit's scenario standing, in dataset order (exact values), for further analysis; may be built on first read. */
  standings: Standing[];
  /**
   * Each unit's eligibility with its reasons on both sides, as `evaluate` publishes them;
   * worded when first read (a fast scenario composes its side once then).
   */
  eligibility: ScenarioEligibility;
  /**
   * Why a row's grade or rank moved beyond its parts and swaps: the scenario's grade note and
   * the quotas whose places changed, for a grade that differs; the units of its group ranked on
   * one side only, for a rank or ranked count that differs. Worked out per row when first asked.
   */
  moveReasons: MoveReasons;
  /**
   * What a row's sub-units put into each part their roll-ups blend into, on both sides, and the
   * rest, its own: a parent's category part split in two. Worked out per row when first asked.
   */
  rollupParts: RollupParts;
}

/** Evaluates the scenario's standings only (no comparison); the building block of sweeps and samplers. */
export function scenarioStandings(
  baseline: Baseline,
  applied: AppliedScenario,
): {
  standings: Standing[];
  outcomes: MethodOutcomes;
  stageTwo: "fast" | "compose";
  /** The pipeline's evaluation, when stage two was the pipeline. */
  exact?: ExactEvaluation;
} {
  let outcomes = baseline.outcomes;
  if (applied.restage.size > 0) {
    outcomes = new Map(baseline.outcomes);
    // A formula patched to read other categories is scored in stage two, and only when it
    // has no outcome: its baseline outcome must not stand in for the new expression.
    for (const id of applied.restage) outcomes.delete(id);
    // applyScenario checked the records as applied (and against the patched methods).
    for (const [id, results] of scoreRecordsRead(
      applied.compiled,
      applied.dataset,
      undefined,
      applied.restage,
    ))
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
  // Without traces: standings read none, and a result keeps this evaluation for its reasons.
  const exact = composeValidated(applied.compiled, applied.dataset, outcomes, { traces: false });
  return { standings: standingsFromExact(exact), outcomes, stageTwo: "compose", exact };
}

/**
 * A weight-only scenario (only points, roll-ups into the total, grades, groups or ranking
 * changed: no record re-read, no adjustment or rounding changed) in columns against the
 * baseline's columns, whose kernel reads roll-ups from the patched scheme;
 * null when the columns do not apply and the standings path runs instead.
 */
export function weightOnlyInColumns(
  baseline: Baseline,
  applied: AppliedScenario,
): (StandingComparison & { standings: Standing[] }) | null {
  const cols = baseline.memo.columns;
  if (!cols || applied.restage.size > 0 || applied.adjustmentsChanged || applied.dataChanged) return null;
  // The baseline's order per group: a scenario's ranking starts from it.
  const after = columnStageTwo(cols.model, applied.compiled, cols.standings.ranking);
  if (!after) return null;
  const comparison = compareColumns(applied.compiled.scheme, cols, baseline.memo.snapshots, after);
  let standings: Standing[] | undefined;
  return Object.defineProperty(comparison, "standings", {
    enumerable: true,
    get: () => (standings ??= standingsOfColumns(after)),
  }) as StandingComparison & { standings: Standing[] };
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
 * The scenario is typed so that a misspelt field is a compile error; JSON of unknown shape
 * goes through `parseScenario` first. It is checked here at run time all the same.
 */
export function runScenario(baseline: Baseline, scenario: ScenarioInput | Scenario): ScenarioResult {
  checkBaselineArgument(baseline);
  const applied = applyScenario(baseline.compiled, baseline.dataset, scenario);
  const head = {
    scenario: { name: applied.scenario.name, description: applied.scenario.description ?? null },
    scheme: applied.compiled.scheme,
    recomputedCategories: [...applied.restage].sort(),
    stageTwo: "fast" as const,
    outcomes: baseline.outcomes,
    ...scenarioRules(baseline.compiled, applied.compiled),
  };
  const inColumns = weightOnlyInColumns(baseline, applied);
  // Assigned onto the comparison, not spread: its rows are built when first read.
  if (inColumns) {
    return withReport(
      Object.assign(inColumns, head, {
        eligibility: scenarioEligibility(baseline, applied, baseline.outcomes),
        moveReasons: moveReasonsOf(baselineSide(baseline), {
          scheme: applied.compiled.scheme,
          standings: () => inColumns.standings,
        }),
        rollupParts: rollupPartsOf(baselineRollupSide(baseline), {
          compiled: applied.compiled,
          units: applied.dataset.units,
          standings: () => inColumns.standings,
        }),
      }),
    );
  }
  const { standings, outcomes, stageTwo, exact } = scenarioStandings(baseline, applied);
  return withReport({
    scenario: head.scenario,
    scheme: head.scheme,
    recomputedCategories: head.recomputedCategories,
    maximum: head.maximum,
    changes: head.changes,
    stageTwo,
    outcomes,
    standings,
    eligibility: scenarioEligibility(baseline, applied, outcomes, exact),
    moveReasons: moveReasonsOf(baselineSide(baseline), {
      scheme: applied.compiled.scheme,
      standings: () => standings,
      // Composed already on this path: its reasons are quoted, at no cost. Not through the
      // eligibility reader elsewhere: a row read would then compose the scenario (a province's
      // compose takes seconds) for words that reader gives whoever asks it.
      ...(exact ? { notScored: notScoredIn(() => exact) } : {}),
    }),
    rollupParts: rollupPartsOf(baselineRollupSide(baseline), {
      compiled: applied.compiled,
      units: applied.dataset.units,
      standings: () => standings,
    }),
    ...compareWithBaseline(baseline, applied.compiled.scheme, standings),
  });
}

/**
 * Both sides' reasons: the baseline's from its evaluation; the scenario's from the pipeline's
 * when stage two ran it, else from composing the scenario (without traces) when first read.
 * Standings carry only yes or no: the reasons' wording lives in compose alone.
 */
function scenarioEligibility(
  baseline: Baseline,
  applied: AppliedScenario,
  outcomes: MethodOutcomes,
  exact?: ExactEvaluation,
): ScenarioEligibility {
  return eligibilityReader(
    () => baseline.exact,
    () => exact ?? composeValidated(applied.compiled, applied.dataset, outcomes, { traces: false }),
  );
}

/**
 * What a scenario result says as JSON: everything but the exact standings and stage-1
 * outcomes (bigint fractions and a Map, for further analysis in the process), the row
 * readers `unitChanges`, `eligibility`, `moveReasons` and `rollupParts` (functions) and the
 * patched `scheme` (the scenario's document says what it changed; the parts carry the names).
 * Every value in it is plain data.
 */
export type ScenarioReport = Omit<
  ScenarioResult,
  "standings" | "outcomes" | "unitChanges" | "eligibility" | "moveReasons" | "rollupParts" | "scheme"
>;

/**
 * The plain part of a scenario result, as sent to a client or stored.
 *
 * @throws InputError of subject "argument" (path `result`) for anything but a result of
 * `runScenario`.
 */
export function scenarioReport(result: ScenarioResult): ScenarioReport {
  checkScenarioResultArgument(result);
  return {
    scenario: result.scenario,
    recomputedCategories: result.recomputedCategories,
    maximum: result.maximum,
    changes: result.changes,
    stageTwo: result.stageTwo,
    units: result.units,
    swaps: result.swaps,
    swapCount: result.swapCount,
    gradeChanges: result.gradeChanges,
    eligibilityChanges: result.eligibilityChanges,
    groups: result.groups,
    overall: result.overall,
  };
}

/**
 * `JSON.stringify(result)` (and so `res.json(result)` in a web framework) gives the report:
 * without it, the bigints of `standings` throw and `outcomes`, a Map, comes out as {}.
 * Not enumerable, so spreading or comparing results does not see it.
 */
function withReport<T extends ScenarioResult>(result: T): T {
  return Object.defineProperty(result, "toJSON", { value: () => scenarioReport(result) });
}
