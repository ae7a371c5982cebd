import { lowerBound } from "./lower-bound.js";

/**
 * Rank agreement between two orderings of the same units. Statistics, not official
 * values: doubles are fine here. Ties are handled throughout (mid-ranks for Spearman,
 * tau-b for Kendall), since published rankings tie whenever totals round equal.
 */

/** Mid-ranks of values, highest value = rank 1; tied values share the mean of their places. */
export function midRanks(values: ArrayLike<number>): Float64Array {
  return midRanksByCounting(values) ?? midRanksBySorting(values);
}

/**
 * Mid-ranks of whole numbers within a span not much wider than their count (ranks, totals
 * in whole hundredths) by counting them: linear, and the common case in what-if work.
 * Null for other values.
 */
function midRanksByCounting(values: ArrayLike<number>): Float64Array | null {
  const n = values.length;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v)) return null;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo + 1;
  if (!(span <= 8 * n + 1024)) return null;
  // below[v − lo] = how many values are smaller than v; below[v − lo + 1] = how many are not larger.
  const below = new Int32Array(span + 1);
  for (let i = 0; i < n; i++) below[values[i]! - lo + 1]!++;
  for (let v = 1; v <= span; v++) below[v]! += below[v - 1]!;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]! - lo;
    out[i] = n + 1 - (below[v]! + 1 + below[v + 1]!) / 2;
  }
  return out;
}

function midRanksBySorting(values: ArrayLike<number>): Float64Array {
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
  // Doubled mid-ranks are whole numbers in 2 … 2n: order the pairs by (x, y) with two
  // stable counting sorts instead of a comparison sort.
  const xs = new Int32Array(n);
  const ys0 = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = 2 * rx[i]!;
    ys0[i] = 2 * ry[i]!;
  }
  const byY = countingOrder(ys0, 2 * n + 1, null);
  const order = countingOrder(xs, 2 * n + 1, byY);
  const total = (n * (n - 1)) / 2;
  let tiesX = 0;
  let tiesXY = 0;
  for (let i = 0; i < n; ) {
    const xi = xs[order[i]!]!;
    let j = i + 1;
    while (j < n && xs[order[j]!] === xi) j++;
    tiesX += ((j - i) * (j - i - 1)) / 2;
    for (let k = i; k < j; ) {
      let m = k + 1;
      while (m < j && ys0[order[m]!] === ys0[order[k]!]) m++;
      tiesXY += ((m - k) * (m - k - 1)) / 2;
      k = m;
    }
    i = j;
  }
  // Sorted by x, count the swaps a merge sort by y needs: each is a discordant pair.
  let ys = new Int32Array(n);
  for (let p = 0; p < n; p++) ys[p] = ys0[order[p]!]!;
  let buf = new Int32Array(n);
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

/** Indices ordered by key (0 ≤ key < span), stably, starting from `from` (or 0 … n−1). */
function countingOrder(keys: Int32Array, span: number, from: Int32Array | null): Int32Array {
  const n = keys.length;
  const start = new Int32Array(span + 1);
  for (let i = 0; i < n; i++) start[keys[i]! + 1]!++;
  for (let v = 1; v <= span; v++) start[v]! += start[v - 1]!;
  const out = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const i = from ? from[p]! : p;
    out[start[keys[i]!]!++] = i;
  }
  return out;
}

/** Mean of |a − b| over paired ranks; 0 for no pairs. */
export function meanAbsoluteRankShift(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}
