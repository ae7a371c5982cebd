import { InputError, received } from "../input-error.js";
import { lowerBound } from "./lower-bound.js";

/**
 * Rank agreement between two orderings of the same units. Statistics, not official
 * values: doubles are fine here. Ties are handled throughout (mid-ranks for Spearman,
 * tau-b for Kendall), since published rankings tie whenever totals round equal.
 */

/**
 * Buffers for many rank computations in a row (a comparison's fifty groups and its pooled
 * standing): allocating a dozen typed arrays per group cost more than the arithmetic.
 * Grown on demand; one object literal, so its shape stays the same for V8.
 */
export interface RankWork {
  rx: Float64Array;
  ry: Float64Array;
  xs: Int32Array;
  ys: Int32Array;
  byY: Int32Array;
  order: Int32Array;
  counts: Int32Array;
  /** Discordant pairs of the last Kendall computation. */
  discordant: number;
}

export function rankWork(): RankWork {
  const none = new Int32Array(0);
  return {
    rx: new Float64Array(0),
    ry: new Float64Array(0),
    xs: none,
    ys: none,
    byY: none,
    order: none,
    counts: none,
    discordant: 0,
  };
}

/** Grows the buffers to hold n entries at least. */
export function ensureWork(w: RankWork, n: number): void {
  if (w.rx.length >= n) return;
  const size = Math.max(n, 2 * w.rx.length);
  w.rx = new Float64Array(size);
  w.ry = new Float64Array(size);
  w.xs = new Int32Array(size);
  w.ys = new Int32Array(size);
  w.byY = new Int32Array(size);
  w.order = new Int32Array(size);
}

/** A zeroed counting array of at least `span` entries. */
export function zeroedCounts(w: RankWork, span: number): Int32Array {
  if (w.counts.length < span) w.counts = new Int32Array(Math.max(span, 2 * w.counts.length));
  else w.counts.fill(0, 0, span);
  return w.counts;
}

/**
 * Mid-ranks of values, highest value = rank 1; tied values share the mean of their places.
 *
 * @throws InputError of subject "argument" naming `values` for other than a list of numbers.
 * @throws RangeError for an entry that is NaN or infinite.
 */
export function midRanks(values: ArrayLike<number>): Float64Array {
  if (!isList(values)) throw notLists(["values", values]);
  finiteEntries("values", values);
  const out = new Float64Array(values.length);
  midRanksInto(values, out, rankWork());
  return out;
}

function midRanksInto(values: ArrayLike<number>, out: Float64Array, w: RankWork): void {
  if (!midRanksByCounting(values, out, w)) midRanksBySorting(values, out);
}

/**
 * Mid-ranks of whole numbers within a span not much wider than their count (ranks, totals
 * in whole hundredths) by counting them: linear, and the common case in what-if work.
 * False (nothing written) for other values.
 */
function midRanksByCounting(values: ArrayLike<number>, out: Float64Array, w: RankWork): boolean {
  const n = values.length;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v)) return false;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo + 1;
  if (!(span <= 8 * n + 1024)) return false;
  // below[v − lo] = how many values are smaller than v; below[v − lo + 1] = how many are not larger.
  const below = zeroedCounts(w, span + 1);
  for (let i = 0; i < n; i++) below[values[i]! - lo + 1]!++;
  for (let v = 1; v <= span; v++) below[v]! += below[v - 1]!;
  for (let i = 0; i < n; i++) {
    const v = values[i]! - lo;
    out[i] = n + 1 - (below[v]! + 1 + below[v + 1]!) / 2;
  }
  return true;
}

function midRanksBySorting(values: ArrayLike<number>, out: Float64Array): void {
  const n = values.length;
  // A native typed-array sort and two binary searches per value beat an index sort with a comparator.
  const sorted = Float64Array.from(values).sort();
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) {
      out[i] = Number.NaN;
      continue;
    }
    const lo = lowerBound(sorted, v);
    let hi = lo;
    while (hi < n && sorted[hi] === v) hi++;
    out[i] = n + 1 - (lo + 1 + hi) / 2;
  }
}

/** Pearson correlation of the first n entries (of mid-ranks: Spearman's coefficient); 1 when neither varies, NaN when only one does. */
export function pearson(x: Float64Array, y: Float64Array, n: number): number {
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
 *
 * @throws InputError of subject "argument" naming `x` or `y`, each that is not a list of numbers.
 * @throws RangeError for vectors of different lengths, or an entry that is NaN or infinite.
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return rankCorrelations(x, y).spearman;
}

/**
 * Kendall's tau-b in O(n log n) (Knight's algorithm): concordant minus discordant pairs,
 * normalised for ties in either vector. 1 when neither varies; NaN when only one does.
 *
 * @throws InputError of subject "argument" naming `x` or `y`, each that is not a list of numbers.
 * @throws RangeError for vectors of different lengths, or an entry that is NaN or infinite.
 */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return rankCorrelations(x, y).kendallTauB;
}

/**
 * Spearman and Kendall together, ranking each vector once; with the number of discordant
 * pairs (ordered one way by x and strictly the other way by y), which is Kendall's
 * by-product and, between two rankings, the number of places swapped. Entry i of x and y is
 * one unit's.
 *
 * @throws InputError of subject "argument" naming `x` or `y`, each that is not a list of numbers.
 * @throws RangeError for vectors of different lengths, or an entry that is NaN or infinite.
 */
export function rankCorrelations(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { spearman: number; kendallTauB: number; discordantPairs: number } {
  samePairs("x", x, "y", y);
  finiteEntries("x", x);
  finiteEntries("y", y);
  const n = x.length;
  if (n < 2) return { spearman: 1, kendallTauB: 1, discordantPairs: 0 };
  // Scratch of this call's own: an argument for it took a type the package does not export.
  const work = rankWork();
  ensureWork(work, n);
  const { rx, ry } = work;
  midRanksInto(x, rx, work);
  midRanksInto(y, ry, work);
  const spearman = pearson(rx, ry, n);
  const kendallTauB = tauBOfMidRanks(n, work);
  return { spearman, kendallTauB, discordantPairs: work.discordant };
}

/** Kendall's tau-b of the mid-ranks in work.rx and work.ry (first n entries); sets work.discordant. */
function tauBOfMidRanks(n: number, w: RankWork): number {
  w.discordant = Number.NaN;
  const { rx, ry, xs, ys: ys0 } = w;
  // Doubled mid-ranks are whole numbers in 2 … 2n: order the pairs by (x, y) with two
  // stable counting sorts instead of a comparison sort.
  for (let i = 0; i < n; i++) {
    // NaN among the values leaves no rank to count with.
    if (!(rx[i]! >= 1 && ry[i]! >= 1)) return Number.NaN;
    xs[i] = 2 * rx[i]!;
    ys0[i] = 2 * ry[i]!;
  }
  countingOrder(ys0, n, 2 * n + 1, null, w.byY, w);
  countingOrder(xs, n, 2 * n + 1, w.byY, w.order, w);
  const order = w.order;
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
  // In x order, each earlier pair with a strictly larger y is a discordant pair: counted
  // with a Fenwick tree over the doubled y ranks (a third of a merge sort's time).
  const span = 2 * n + 2;
  const tree = zeroedCounts(w, span);
  let swaps = 0;
  for (let p = 0; p < n; p++) {
    const y = ys0[order[p]!]!;
    let notLarger = 0;
    for (let j = y; j > 0; j -= j & -j) notLarger += tree[j]!;
    swaps += p - notLarger;
    for (let j = y; j < span; j += j & -j) tree[j]!++;
  }
  w.discordant = swaps;
  const perY = zeroedCounts(w, span);
  for (let i = 0; i < n; i++) perY[ys0[i]!]!++;
  let tiesY = 0;
  for (let v = 0; v < span; v++) tiesY += (perY[v]! * (perY[v]! - 1)) / 2;
  return tauB(n, tiesX, tiesY, tiesXY, swaps);
}

/**
 * Kendall's tau-b of n pairs from its counts: pairs tied in x, in y, in both, and
 * discordant. 1 when neither vector varies; NaN when only one does.
 */
export function tauB(n: number, tiesX: number, tiesY: number, tiesXY: number, discordant: number): number {
  const total = (n * (n - 1)) / 2;
  const denom = Math.sqrt((total - tiesX) * (total - tiesY));
  if (denom === 0) return tiesX === tiesY ? 1 : Number.NaN;
  return (total - tiesX - tiesY + tiesXY - 2 * discordant) / denom;
}

/** Writes to `out` the indices 0 … n−1 ordered by key (0 ≤ key < span), stably, starting from `from`. */
function countingOrder(
  keys: Int32Array,
  n: number,
  span: number,
  from: Int32Array | null,
  out: Int32Array,
  w: RankWork,
): void {
  const start = zeroedCounts(w, span + 1);
  for (let i = 0; i < n; i++) start[keys[i]! + 1]!++;
  for (let v = 1; v <= span; v++) start[v]! += start[v - 1]!;
  for (let p = 0; p < n; p++) {
    const i = from ? from[p]! : p;
    out[start[keys[i]!]!++] = i;
  }
}

/**
 * Pairs out of order (i < j, a[i] > a[j] strictly) in a[0 … n), whose values are whole
 * numbers in 1 … span; a is left partly sorted. Counted by insertion while that has cost
 * at most `budget` moves (linear for a ranking a scenario barely changed), then with a
 * Fenwick tree over the values (n log span), which on ten thousand totals takes half a
 * merge sort's time (whose branches the CPU mispredicts).
 */
export function inversions(a: Int32Array, n: number, span: number, w: RankWork, budget = 0): number {
  let count = 0;
  let p = 1;
  for (; p < n && count <= budget; p++) {
    const v = a[p]!;
    let s = p;
    while (s > 0 && a[s - 1]! > v) {
      a[s] = a[s - 1]!;
      s--;
    }
    a[s] = v;
    count += p - s;
  }
  if (p >= n) return count;
  // The sorted prefix a[0 … p) goes into the tree as it is: only its values matter now.
  const tree = zeroedCounts(w, span + 1);
  for (let q = 0; q < p; q++) for (let j = a[q]!; j <= span; j += j & -j) tree[j]!++;
  for (; p < n; p++) {
    const v = a[p]!;
    let notAbove = 0;
    for (let j = v; j > 0; j -= j & -j) notAbove += tree[j]!;
    count += p - notAbove;
    for (let j = v; j <= span; j += j & -j) tree[j]!++;
  }
  return count;
}

/**
 * Mean of |a − b| over paired ranks; 0 for no pairs.
 *
 * @throws InputError of subject "argument" naming `a` or `b`, each that is not a list of numbers.
 * @throws RangeError for vectors of different lengths, or an entry that is NaN or infinite.
 */
export function meanAbsoluteRankShift(a: ArrayLike<number>, b: ArrayLike<number>): number {
  samePairs("a", a, "b", b);
  finiteEntries("a", a);
  finiteEntries("b", b);
  if (a.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

/**
 * Entry i of each vector is one unit's: vectors of different lengths pair nothing meaningful,
 * and would give a plausible number (or NaN) for a caller's slip, not an error.
 */
function samePairs(xName: string, x: ArrayLike<number>, yName: string, y: ArrayLike<number>): void {
  if (!isList(x) || !isList(y)) throw notLists([xName, x], [yName, y]);
  if (x.length !== y.length)
    throw new RangeError(
      `${xName} and ${yName} must be the same length (entry i of each is one unit's): ${xName} has ${x.length} ${x.length === 1 ? "entry" : "entries"}, ${yName} has ${y.length}`,
    );
}

/**
 * NaN compares false with everything: it took a place among the ranks ([NaN, 1] ranked 1 second
 * of one), and a correlation or mean over it read NaN or Infinity with no word of the entry.
 */
function finiteEntries(name: string, v: ArrayLike<number>): void {
  for (let i = 0; i < v.length; i++)
    if (!Number.isFinite(v[i]))
      throw new RangeError(`${name}[${i}] must be a finite number, not ${String(v[i])}`);
}

/** Whether a value is a list (an array, a typed array) as the statistics read one: by `length` and index. */
function isList(value: unknown): boolean {
  const length = (value as { length?: unknown } | null)?.length;
  return (
    typeof value === "object" && value !== null && Number.isSafeInteger(length) && (length as number) >= 0
  );
}

/**
 * The engine's InputError, naming each of the arguments that is no list: a number or null,
 * passed as plain JavaScript can, was read as no entries (NaN, a correlation of 1) or failed as
 * "reading 'length'". Checked with `isList` first, a comparison or two per call beside the
 * entries' own check.
 */
function notLists(...lists: [name: string, value: unknown][]): InputError {
  return new InputError(
    "argument",
    lists
      .filter(([, value]) => !isList(value))
      .map(([name, value]) => ({
        path: [name],
        message: `expected a list of numbers (an array or a typed array), entry i one unit's; got ${received(value)}`,
      })),
  );
}
