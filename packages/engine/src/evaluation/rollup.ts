import { add, div, mul, ONE, parseDecimal, type Rational, sub, toExactString, ZERO } from "../rational.js";
import type { Rollup } from "../scheme/scheme-schema.js";
import { type TraceStep, traceStep } from "../trace.js";

/** One sub-unit's contribution: its source value as a share of the source's maximum. */
export interface ChildShare {
  unit: string;
  /** null when the sub-unit has no result for the source (it is left out, and the trace says so). */
  share: Rational | null;
}

export interface RollupResult {
  value: Rational;
  trace: TraceStep;
}

/**
 * Sub-unit roll-up (下属单位评议结果按比例计入): the parent keeps (1 − share) of its own
 * value and takes `share` from its sub-units' mean (or median) share of maximum, applied
 * to the target's maximum. Blending shares of maximum, not raw points, keeps every value
 * within its maximum and lets sub-units be scored on another scale than the parent.
 */
export function applyRollup(
  rollup: Rollup,
  own: Rational,
  targetMax: Rational,
  children: readonly ChildShare[],
  targetLabel: string,
): RollupResult {
  const present = children.filter((c): c is { unit: string; share: Rational } => c.share !== null);
  const missing = children.length - present.length;
  if (present.length === 0) {
    return {
      value: own,
      trace: traceStep(
        `roll-up ${rollup.id}`,
        `no sub-unit has a result for it; ${targetLabel} kept at ${toExactString(own)}`,
      ),
    };
  }
  const share = parseDecimal(rollup.share);
  const agg =
    rollup.aggregation === "median" ? median(present.map((c) => c.share)) : mean(present.map((c) => c.share));
  const fromChildren = mul(agg, targetMax);
  const value = add(mul(sub(ONE, share), own), mul(share, fromChildren));
  const skipped = missing > 0 ? ` (${missing} without a result left out)` : "";
  return {
    value,
    trace: traceStep(
      `roll-up ${rollup.id}`,
      `${rollup.aggregation} share of ${present.length} sub-units${skipped} = ${toExactString(agg)}; ` +
        `${targetLabel} = (1 − ${toExactString(share)}) × ${toExactString(own)} + ${toExactString(share)} × ` +
        `${toExactString(agg)} × ${toExactString(targetMax)} = ${toExactString(value)}`,
    ),
  };
}

function mean(values: readonly Rational[]): Rational {
  let s = ZERO;
  for (const v of values) s = add(s, v);
  return div(s, parseDecimal(values.length));
}

function median(values: readonly Rational[]): Rational {
  const sorted = [...values].sort((a, b) => {
    const l = a.n * b.d;
    const r = b.n * a.d;
    return l < r ? -1 : l > r ? 1 : 0;
  });
  const mid = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[mid]!;
  return div(add(sorted[mid - 1]!, sorted[mid]!), parseDecimal(2));
}
