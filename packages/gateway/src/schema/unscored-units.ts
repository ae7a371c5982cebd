import type { Evaluation, UnitResult } from "@pingyi/engine";

/**
 * The units of a year without a total: a category without its result (no score recorded, a vote
 * without its quorum, too few valid forms, a respondent group missing), or sub-units without
 * theirs. Published as they are, with no rank or grade, so finalising a year with some is a
 * decision the administrator confirms by their number (`expectedUnscoredUnits`).
 */

/** Units named in a refusal, at most. */
const LISTED_UNITS = 10;

/** The units of an evaluation with no total, in its order (by group, then unit id). */
export function unitsWithoutTotal(evaluation: Evaluation): UnitResult[] {
  return evaluation.units.filter((u) => u.total === null);
}

/** Why a unit has no total, in the engine's words: each category without a result, and why. */
export function whatItLacks(unit: UnitResult): string {
  const lacking = unit.categories.filter((c) => c.points === null);
  if (lacking.length > 0) return lacking.map((c) => `${c.category}: ${c.reason ?? "no result"}`).join("; ");
  // Every category has its points: the total is rolled up from sub-units, and the engine said
  // why that failed as the unit's eligibility reason ("not scored (…)").
  const text = unit.eligibility.reasons.find((r) => r.kind === "insufficient")?.text;
  return text?.replace(/^not scored \((.*)\)$/s, "$1") ?? "no total";
}

const unitsCounted = (n: number) => `${n.toLocaleString("en")} unit${n === 1 ? "" : "s"}`;

/** The first units without a total, each with what it lacks, and how many more. */
function listed(units: readonly UnitResult[]): string {
  const shown = units.slice(0, LISTED_UNITS).map((u) => `${u.unit} (${whatItLacks(u)})`);
  const more = units.length - shown.length;
  return (
    shown.join(", ") +
    (more > 0
      ? `, and ${more.toLocaleString("en")} more (ranking's entries(flag: INSUFFICIENT) lists them)`
      : "")
  );
}

/**
 * Why finalising is refused while some units have no total and `expected` (the caller's
 * `expectedUnscoredUnits`) is not their number, or undefined. A number that no longer matches
 * is refused as one left out is: units scored or left without a total since it was read change
 * what is published. So is any other number than 0 when every unit has a total.
 */
export function unscoredRefusal(
  cycleId: string,
  evaluation: Evaluation,
  expected: number | null | undefined,
): string | undefined {
  const without = unitsWithoutTotal(evaluation);
  const n = without.length;
  const of = evaluation.units.length;
  if (n === (expected ?? 0)) return undefined;
  if (n === 0)
    return (
      `every one of the ${unitsCounted(of)} of cycle '${cycleId}' has a total now, not ${expected} without one ` +
      "(records were loaded since the number was read): check its ranking again, then finalise without " +
      "expectedUnscoredUnits (Cycle.unscoredUnits is 0)"
    );
  const have = n === 1 ? "has" : "have";
  const stated =
    expected == null
      ? `${n.toLocaleString("en")} of the ${unitsCounted(of)} of cycle '${cycleId}' ${have} no total, so ` +
        `finalising it would publish ${n === 1 ? "it" : "them"} without one, for good`
      : `${n.toLocaleString("en")} of the ${unitsCounted(of)} of cycle '${cycleId}' ${have} no total now, not ` +
        `${expected} (a unit was scored, or lost its total, since the number was read), so nothing was finalised`;
  return (
    `${stated}: ${listed(without)}. Load ${n === 1 ? "its" : "their"} missing records (importFile, setScore, recordBallot, …) and check ` +
    `the ranking; or, if ${n === 1 ? "this unit is" : "these units are"} to be published without a total (a unit ` +
    `whose sample fell short is published as such), finalise with expectedUnscoredUnits: ${n} (Cycle.unscoredUnits says how many)`
  );
}
