import { lowerBound } from "./lower-bound.js";

/**
 * Rank agreement between two orderings of the same units. Statistics, not official
 * values: doubles are fine here. Ties are handled throughout (mid-ranks for Spearman,
 * tau-b for Kendall), since published rankings tie whenever totals round equal.
 */

/** Mid-ranks of values, highest value = rank 1; tied values share the mean of their places. */
export function midRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  // A native typed-array sort and two binary searches per value beat an index sort with a comparator.
  const sorted = Float64Array.from(values).sort();
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const lo = lowerBound(sorted, v);
    let hi = lo;
    while (hi < n && sorted[hi] === v) hi++;
    out[i] = n + 1 - (lo + 1 + hi) / 2;
  }
  return out;
}

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? (sxx === syy ? 1 : Number.NaN) : sxy / Math.sqrt(sxx * syy);
}

/**
 * Spearman's rank correlation of two score (or standing) vectors, higher = better, with
 * ties at mid-ranks. 1 when neither vector varies (nothing to disagree on); NaN when only one does.
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length < 2) return 1;
  return pearson(midRanks(x), midRanks(y));
}

/**
 * Kendall's tau-b in O(n log n) (Knight's algorithm): concordant minus discordant pairs,
 * normalised for ties in either vector. 1 when neither varies; NaN when only one does.
 */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length < 2) return 1;
  return tauBOfMidRanks(midRanks(x), midRanks(y));
}

/** Spearman and Kendall together, ranking each vector once. */
export function rankCorrelations(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { spearman: number; kendallTauB: number } {
  if (x.length < 2) return { spearman: 1, kendallTauB: 1 };
  const rx = midRanks(x);
  const ry = midRanks(y);
  return { spearman: pearson(rx, ry), kendallTauB: tauBOfMidRanks(rx, ry) };
}

function tauBOfMidRanks(rx: Float64Array, ry: Float64Array): number {
  const n = rx.length;
  // Doubled mid-ranks are whole numbers: sort the pairs by one number key.
  const M = 2 * n + 2;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = 2 * rx[i]! * M + 2 * ry[i]!;
  keys.sort();
  const total = (n * (n - 1)) / 2;
  let tiesX = 0;
  let tiesXY = 0;
  for (let i = 0; i < n; ) {
    const xi = Math.floor(keys[i]! / M);
    let j = i + 1;
    while (j < n && Math.floor(keys[j]! / M) === xi) j++;
    tiesX += ((j - i) * (j - i - 1)) / 2;
    for (let k = i; k < j; ) {
      let m = k + 1;
      while (m < j && keys[m] === keys[k]) m++;
      tiesXY += ((m - k) * (m - k - 1)) / 2;
      k = m;
    }
    i = j;
  }
  // Sorted by x, count the swaps a merge sort by y needs: each is a discordant pair.
  let ys = Float64Array.from(keys, (k) => k % M);
  let buf = new Float64Array(n);
  let swaps = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let a = lo;
      let b = mid;
      let k = lo;
      while (a < mid && b < hi) {
        if (ys[b]! < ys[a]!) {
          swaps += mid - a;
          buf[k++] = ys[b++]!;
        } else buf[k++] = ys[a++]!;
      }
      while (a < mid) buf[k++] = ys[a++]!;
      while (b < hi) buf[k++] = ys[b++]!;
    }
    [ys, buf] = [buf, ys];
  }
  let tiesY = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && ys[j] === ys[i]) j++;
    tiesY += ((j - i) * (j - i - 1)) / 2;
    i = j;
  }
  const denom = Math.sqrt((total - tiesX) * (total - tiesY));
  if (denom === 0) return tiesX === tiesY ? 1 : Number.NaN;
  return (total - tiesX - tiesY + tiesXY - 2 * swaps) / denom;
}

/** Mean of |a − b| over paired ranks; 0 for no pairs. */
export function meanAbsoluteRankShift(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}
