import { FRAC_ZERO, type Frac, fracAdd, fracCmp, fracMul } from "./frac.js";

/**
 * How a roll-up aggregates its sub-units' shares: the mean, or the median (the mean of the
 * middle two for an even count). In doubles for the paths that decide in doubles and confirm
 * exactly (sorts `values` in place; NaN for none), and in exact fractions (null for none).
 */
export function meanOrMedian(values: number[], median: boolean): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  if (!median) {
    let sum = 0;
    for (const v of values) sum += v;
    return sum / n;
  }
  values.sort((a, b) => a - b);
  const mid = n >> 1;
  return n % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/**
 * `meanOrMedian` of values[0 … n−1] of a scratch array the caller reuses: a Monte-Carlo
 * run aggregates sub-units hundreds of times per sample, and a list each time was most of
 * its garbage. Sorts that part in place.
 */
export function meanOrMedianOf(values: Float64Array, n: number, median: boolean): number {
  if (n === 0) return Number.NaN;
  if (!median) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[i]!;
    return sum / n;
  }
  // A typed-array sort puts −0 before +0 where the comparator sort keeps input order; shares
  // and points are never −0 here, and the two give the same median value anyway.
  const sorted = values.subarray(0, n).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function fracMeanOrMedian(values: Frac[], median: boolean): Frac | null {
  const n = values.length;
  if (n === 0) return null;
  if (!median) {
    let sum = FRAC_ZERO;
    for (const v of values) sum = fracAdd(sum, v);
    return fracMul(sum, { n: 1n, d: BigInt(n), f: 1 / n });
  }
  values.sort(fracCmp);
  const mid = n >> 1;
  return n % 2 === 1
    ? values[mid]!
    : fracMul(fracAdd(values[mid - 1]!, values[mid]!), { n: 1n, d: 2n, f: 0.5 });
}
