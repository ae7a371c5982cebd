import { InputError, type InputIssue } from "../input-error.js";
import type { Baseline } from "./baseline.js";
import { checkBaselineArgument } from "./baseline-argument.js";
import { compareStandings, type StandingComparison } from "./compare-standings.js";
import { baselineSide, type MoveReasons, moveReasonsOf } from "./move-reasons.js";
import { baselineRollupSide, type RollupParts, rollupPartsOf } from "./rollup-parts.js";
import { eligibilityReader, type ScenarioEligibility } from "./scenario-eligibility.js";
import { type ScenarioRules, scenarioRules } from "./scenario-rules.js";

/**
 * Compares two evaluations of the same units — e.g. a cycle under its published scheme and
 * under a candidate version an administrator is about to publish — with the same rank
 * movements, swaps, per-category splits and statistics a scenario gives. Categories the
 * candidate drops have parts of their own (scenario side null), so parts still sum exactly.
 * Throws an InputError naming the units only one side has: a comparison that dropped them
 * would read as if they had not moved. `eligibility` reads each unit's reasons on either side,
 * `moveReasons` why a row's grade or rank moved and `rollupParts` what its sub-units put into
 * its parts, as a scenario's do; `maximum` and `changes` compare the two schemes, as a
 * scenario's do.
 */
export function compareBaselines(
  before: Baseline,
  after: Baseline,
): StandingComparison &
  ScenarioRules & { eligibility: ScenarioEligibility; moveReasons: MoveReasons; rollupParts: RollupParts } {
  checkBaselineArgument(before, "before");
  checkBaselineArgument(after, "after");
  const inBefore = new Set(before.standings.map((s) => s.unit));
  const inAfter = new Set(after.standings.map((s) => s.unit));
  const issues: InputIssue[] = [];
  for (const unit of inBefore)
    if (!inAfter.has(unit)) issues.push({ path: ["after", "units"], message: `unit "${unit}" is missing` });
  for (const unit of inAfter)
    if (!inBefore.has(unit))
      issues.push({ path: ["after", "units"], message: `unit "${unit}" is not in the baseline` });
  if (issues.length > 0) throw new InputError("dataset", issues);
  return {
    ...compareStandings(before.compiled.scheme, after.compiled.scheme, before.standings, after.standings),
    ...scenarioRules(before.compiled, after.compiled),
    eligibility: eligibilityReader(
      () => before.exact,
      () => after.exact,
    ),
    moveReasons: moveReasonsOf(baselineSide(before), baselineSide(after)),
    rollupParts: rollupPartsOf(baselineRollupSide(before), baselineRollupSide(after)),
  };
}
