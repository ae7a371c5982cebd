import { InputError, type InputIssue } from "../input-error.js";
import { knownOptions } from "../known-options.js";
import type { Baseline } from "./baseline.js";
import { checkBaselineArgument } from "./baseline-argument.js";
import {
  compareStandings,
  type StandingComparison,
  snapshotsOf,
  type UnitSnapshot,
} from "./compare-standings.js";
import { baselineSide, type MoveReasons, moveReasonsOf } from "./move-reasons.js";
import { baselineRollupSide, type RollupParts, rollupPartsOf } from "./rollup-parts.js";
import { eligibilityReader, type ScenarioEligibility } from "./scenario-eligibility.js";
import { type ScenarioRules, scenarioRules } from "./scenario-rules.js";
import type { Standing } from "./standing.js";

/** Options of `compareBaselines`. */
export interface CompareBaselinesOptions {
  /**
   * Which units are compared. "same" (the default): both sides must hold the same units, and
   * each unit only one side has is refused by name. "common": the units both sides hold, each
   * with its result as its side published it (a unit that joined above it counts in its rank
   * there, as it did in that year's table); the others are listed in `onlyBefore` and
   * `onlyAfter` — two cycles a year apart, where a bureau merged or a department was set up.
   * The statistics are over the shared units: `spearman` and `kendallTauB` read their order
   * among themselves, `unitsMoved` and `meanAbsoluteRankShift` their published places (a unit
   * that rose only because one above it left counts as moved). Two sides without a unit in
   * common are refused: their ids were most likely renumbered.
   */
  units?: "same" | "common" | undefined;
}

/** A unit only one side of a comparison holds, with its result on that side. */
export interface OneSidedUnit {
  unit: string;
  name: string;
  standing: UnitSnapshot;
}

/**
 * Compares two evaluations of the same units — e.g. a cycle under its published scheme and
 * under a candidate version an administrator is about to publish — with the same rank
 * movements, swaps, per-category splits and statistics a scenario gives. Categories the
 * candidate drops have parts of their own (scenario side null), so parts still sum exactly.
 * Throws an InputError naming the units only one side has: a comparison that dropped them
 * silently would read as if they had not moved; with `units: "common"` it compares the units
 * both hold and lists the others (`onlyBefore`, `onlyAfter`, in each side's dataset order).
 * `eligibility` reads each unit's reasons on either side,
 * `moveReasons` why a row's grade or rank moved and `rollupParts` what its sub-units put into
 * its parts, as a scenario's do; `maximum` and `changes` compare the two schemes, as a
 * scenario's do.
 */
export function compareBaselines(
  before: Baseline,
  after: Baseline,
  options: CompareBaselinesOptions = {},
): StandingComparison &
  ScenarioRules & {
    eligibility: ScenarioEligibility;
    moveReasons: MoveReasons;
    rollupParts: RollupParts;
    onlyBefore: OneSidedUnit[];
    onlyAfter: OneSidedUnit[];
  } {
  checkBaselineArgument(before, "before");
  checkBaselineArgument(after, "after");
  knownOptions(options, ["units"], ["options"], "argument");
  const mode = options.units ?? "same";
  if (mode !== "same" && mode !== "common")
    throw new InputError("argument", [{ path: ["options", "units"], message: 'must be "same" or "common"' }]);
  const inBefore = new Set(before.standings.map((s) => s.unit));
  const inAfter = new Set(after.standings.map((s) => s.unit));
  const beforeOnly = before.standings.filter((s) => !inAfter.has(s.unit));
  const afterOnly = after.standings.filter((s) => !inBefore.has(s.unit));
  if (mode === "same") {
    const issues: InputIssue[] = [
      ...beforeOnly.map((s) => ({ path: ["after", "units"], message: `unit "${s.unit}" is missing` })),
      ...afterOnly.map((s) => ({
        path: ["after", "units"],
        message: `unit "${s.unit}" is not in the baseline`,
      })),
    ];
    if (issues.length > 0) throw new InputError("dataset", issues);
  }
  if (mode === "common" && beforeOnly.length === before.standings.length && before.standings.length > 0)
    throw new InputError("dataset", [
      {
        path: ["after", "units"],
        message: `no unit in common with the baseline (its ${before.standings.length} units, ${after.standings.length} here): were the units renumbered?`,
      },
    ]);
  const shared = (standings: readonly Standing[], others: ReadonlySet<string>) =>
    beforeOnly.length + afterOnly.length === 0 ? standings : standings.filter((s) => others.has(s.unit));
  return {
    ...compareStandings(
      before.compiled.scheme,
      after.compiled.scheme,
      shared(before.standings, inAfter),
      shared(after.standings, inBefore),
    ),
    onlyBefore: oneSided(before, beforeOnly),
    onlyAfter: oneSided(after, afterOnly),
    ...scenarioRules(before.compiled, after.compiled),
    eligibility: eligibilityReader(
      () => before.exact,
      () => after.exact,
    ),
    moveReasons: moveReasonsOf(baselineSide(before), baselineSide(after)),
    rollupParts: rollupPartsOf(baselineRollupSide(before), baselineRollupSide(after)),
  };
}

function oneSided(side: Baseline, standings: readonly Standing[]): OneSidedUnit[] {
  const snapshots = snapshotsOf(side.compiled.scheme, standings);
  return standings.map((s, i) => ({ unit: s.unit, name: s.name, standing: snapshots[i]! }));
}
