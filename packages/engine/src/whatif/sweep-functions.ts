import { toExactString } from "../rational.js";
import type { Baseline } from "./baseline.js";
import type { SweepRange } from "./sweep-options.js";
import { type UnitFunctions, unitFunctions } from "./unit-functions.js";

/**
 * Every unit's total and tie-breakers as functions of the swept points, as a sweep of `range`
 * makes them: of the units `selected` (the groups asked for and those below them), or of every
 * unit under a quota over all ranked units, which reads them all.
 *
 * A host prices a sweep (`sweepWork`) and then runs it, with the same options: the estimate
 * keeps its functions on the baseline (`keep`) and the sweep takes them back, rather than make
 * them twice (~130 ms of a province's ~160 ms estimate). Only the last are kept, and taken
 * once, so that they are not held past the sweep they were made for.
 */
export function sweepFunctions(
  baseline: Baseline,
  range: SweepRange,
  selected: readonly number[],
  keep: boolean,
): UnitFunctions {
  const { category, others, donor, from, to, groups, pooledGrades } = range;
  const slot = baseline.memo.priced;
  const key = JSON.stringify([
    category,
    others,
    donor ?? null,
    toExactString(from),
    toExactString(to),
    groups,
    pooledGrades,
  ]);
  if (slot && slot.key === key) {
    const kept = slot.functions as UnitFunctions;
    if (!keep) {
      slot.key = null;
      slot.functions = null;
    }
    return kept;
  }
  const functions = unitFunctions(
    baseline,
    category,
    others,
    from,
    to,
    groups && !pooledGrades ? selected : undefined,
    donor,
  );
  if (keep && slot) {
    slot.key = key;
    slot.functions = functions;
  }
  return functions;
}
