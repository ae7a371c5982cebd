import type { Unit } from "../dataset/dataset.js";
import { quoted } from "../input-error.js";
import { exact } from "../methods/exact-text.js";
import { joinLimited, plural } from "../methods/trace-list.js";
import {
  add,
  div,
  median,
  mul,
  ONE,
  parseDecimal,
  type Rational,
  sub,
  toExactString,
  ZERO,
} from "../rational.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import type { Rollup } from "../scheme/scheme-schema.js";
import { type TraceStep, traceStep } from "../trace.js";

/** One sub-unit's result for a roll-up's source. */
export interface ChildResult {
  unit: string;
  /** Its source value (category points or total); null when it has none. */
  value: Rational | null;
}

/** How many sub-units a roll-up read, and how many of them had no result: visible without traces. */
export interface RollupCount {
  rollup: string;
  subUnits: number;
  withoutResult: number;
}

export type RollupResult = RollupCount & { trace: TraceStep | null } & (
    | { status: "blended"; value: Rational }
    /** `missingSubUnit: "insufficient"` and a sub-unit without a result: the target has none either. */
    | { status: "insufficient"; reason: string }
  );

/**
 * Sub-unit roll-up (下属单位评议结果按比例计入): the parent keeps (1 − share) of its own
 * value and takes `share` from its sub-units' mean (or median) share of maximum, applied
 * to the target's maximum. Blending shares of maximum, not raw points, keeps every value
 * within its maximum and lets sub-units be scored on another scale than the parent.
 *
 * A sub-unit without a result is left out, counted as 0 or makes the target insufficient,
 * as `missingSubUnit` says; that is decided before anything else, so a parent is
 * insufficient for a missing sub-unit whatever the source is worth. A source worth 0 points
 * has no share to read: the roll-up is skipped and the parent keeps its own value.
 */
export function applyRollup(
  rollup: Rollup,
  own: Rational,
  targetMax: Rational,
  sourceMax: Rational,
  children: readonly ChildResult[],
  targetLabel: string,
  traces = true,
): RollupResult {
  const step = `roll-up ${rollup.id}`;
  let withoutResult = 0;
  for (const c of children) if (c.value === null) withoutResult++;
  const count = { rollup: rollup.id, subUnits: children.length, withoutResult };
  const kept = (why: string): RollupResult => ({
    ...count,
    status: "blended",
    value: own,
    trace: traces ? traceStep(step, `${why}; ${targetLabel} kept at ${toExactString(own)}`) : null,
  });
  if (withoutResult > 0 && rollup.missingSubUnit === "insufficient") {
    const ids = children.filter((c) => c.value === null).map((c) => quoted(c.unit));
    const reason =
      `roll-up ${quoted(rollup.id)}: ${withoutResult} of ${plural(children.length, "sub-unit")} ` +
      `${withoutResult === 1 ? "has" : "have"} no result (${joinLimited(ids, ", ")})`;
    return {
      ...count,
      status: "insufficient",
      reason,
      trace: traces
        ? traceStep(step, `${reason}; ${targetLabel} has no result (missingSubUnit "insufficient")`)
        : null,
    };
  }
  if (sourceMax.n === 0n) return kept("its source is worth 0 points, so there is no share to read");
  const zero = rollup.missingSubUnit === "zero";
  const shares: Rational[] = [];
  for (const c of children) {
    if (c.value !== null) shares.push(div(c.value, sourceMax));
    else if (zero) shares.push(ZERO);
  }
  if (shares.length === 0) return kept("no sub-unit has a result for it");
  const share = parseDecimal(rollup.share);
  const agg = rollup.aggregation === "median" ? median(shares) : mean(shares);
  const value = add(mul(sub(ONE, share), own), mul(share, mul(agg, targetMax)));
  if (!traces) return { ...count, status: "blended", value, trace: null };
  const skipped =
    withoutResult === 0 ? "" : ` (${withoutResult} without a result ${zero ? "counted as 0" : "left out"})`;
  return {
    ...count,
    status: "blended",
    value,
    trace: traceStep(
      step,
      `${rollup.aggregation} share of ${plural(shares.length, "sub-unit")}${skipped} = ${exact(agg)}; ` +
        `${targetLabel} = (1 − ${toExactString(share)}) × ${toExactString(own)} + ${toExactString(share)} × ` +
        `${toExactString(agg)} × ${toExactString(targetMax)} = ${exact(value)}`,
    ),
  };
}

/** What a sub-unit's source value is a share of: the source category's points, or the scheme's maximum. */
export function sourceMax(rollup: Rollup, compiled: CompiledScheme): Rational {
  return "category" in rollup.source ? compiled.points.get(rollup.source.category)! : compiled.maxTotal;
}

/**
 * What a roll-up's aggregate share is applied to: the target category's points; for the
 * total, the scheme's maximum (bonus cap included) where sub-units' totals are read, so that
 * sub-units scoring what their parent scores leave it where it was, else the categories' sum
 * (a category's share applied to the composite's points). Made once per scheme: the sum is
 * not summed again for every unit.
 */
export function targetMaxOf(compiled: CompiledScheme): (rollup: Rollup) => Rational {
  const categorySum = [...compiled.points.values()].reduce(add, ZERO);
  return (rollup) =>
    "category" in rollup.into
      ? compiled.points.get(rollup.into.category)!
      : "total" in rollup.source
        ? compiled.maxTotal
        : categorySum;
}

/** Each parent's sub-units by its id, in dataset order: the units a roll-up into it reads. */
export function subUnitsByParent(units: readonly Unit[]): Map<string, Unit[]> {
  const children = new Map<string, Unit[]>();
  for (const u of units) {
    if (!u.parent) continue;
    const list = children.get(u.parent);
    if (list) list.push(u);
    else children.set(u.parent, [u]);
  }
  return children;
}

function mean(values: readonly Rational[]): Rational {
  let s = ZERO;
  for (const v of values) s = add(s, v);
  return div(s, parseDecimal(values.length));
}
