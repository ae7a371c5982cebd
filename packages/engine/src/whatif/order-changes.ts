/**
 * Pairs of members that compare differently at one point of a walk than at the one before:
 * one ahead of the other at the first point and behind it at the next (swapped), tied at the
 * first only (parted) or at the next only (met). Between two points where every member's
 * standing is linear, a swapped pair meets once in between, a parted one at the first point,
 * a met one at the next.
 */
export interface PairChanges {
  swapped: number;
  parted: number;
  met: number;
}

/**
 * Members' standings at a walk's points in turn, and the pairs that compare differently at
 * each point than at the one before (PairChanges).
 *
 * A standing is a row of `width` doubles compared column by column, greater first; rows equal
 * in every column tie. Members are kept in standing order, re-sorted from one point to the
 * next by insertion (in time linear in the members and the pairs that swap), natively when
 * too many swap; so a walk of n members over P points takes O(P·n + swaps), at most
 * O(P·n log n).
 */
export class OrderChanges {
  private readonly order: Int32Array;
  private readonly place: Int32Array;
  private readonly tree: Int32Array;
  private values: Float64Array;
  /** Pairs of members tied at the current point. */
  private ties = 0;

  constructor(
    private readonly n: number,
    private readonly width: number,
    first: Float64Array,
  ) {
    if (first.length !== n * width)
      throw new RangeError(
        `OrderChanges: ${n} members of width ${width} need ${n * width} values, not ${first.length}`,
      );
    this.values = first;
    this.order = Int32Array.from({ length: n }, (_, l) => l);
    this.place = new Int32Array(n);
    this.tree = new Int32Array(n + 1);
    const v = first;
    this.order.sort((a, b) => compareRows(v, width, a, b));
    this.ties = tiedPairs(this.order, v, width);
  }

  /**
   * Moves to the next point, whose standings are `next` (the array is kept until the point
   * after), and returns the pairs whose comparison differs from the current point's.
   */
  next(next: Float64Array): PairChanges {
    const { order, width } = this;
    const now = this.values;
    if (next.length !== this.n * width)
      throw new RangeError(`OrderChanges: expected ${this.n * width} values, not ${next.length}`);
    // Members tied now are put in their next order first, so that the sort below moves only
    // pairs in one order now and in the other next; pairs tied at both points are counted here.
    let tiedBoth = 0;
    for (let p = 0; p < this.n; ) {
      let e = p + 1;
      while (e < this.n && compareRows(now, width, order[p]!, order[e]!) === 0) e++;
      if (e - p > 1) {
        sortRun(order, p, e, next, width);
        tiedBoth += tiedPairs(order.subarray(p, e), next, width);
      }
      p = e;
    }
    const swapped = this.resort(next);
    const tiedNext = tiedPairs(order, next, width);
    const changes = { swapped, parted: this.ties - tiedBoth, met: tiedNext - tiedBoth };
    this.values = next;
    this.ties = tiedNext;
    return changes;
  }

  /** Sorts the order by `next`, keeping the order of rows equal there; returns the pairs it swapped. */
  private resort(next: Float64Array): number {
    const { order, n, width } = this;
    let moves = 0;
    const budget = 8 * n + 64;
    let k = 1;
    for (; k < n && moves <= budget; k++) {
      const l = order[k]!;
      let j = k - 1;
      while (j >= 0 && compareRows(next, width, order[j]!, l) > 0) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = l;
      moves += k - 1 - j;
    }
    if (k >= n) return moves;
    // Too many swap for insertion: sorted natively, equal rows kept in their current order,
    // and the swaps counted as the inversions of the current places in the new order.
    const place = this.place;
    for (let p = 0; p < n; p++) place[order[p]!] = p;
    order.sort((a, b) => compareRows(next, width, a, b) || place[a]! - place[b]!);
    // Each pair the insertion swapped stays swapped: those are counted in `moves` already.
    const tree = this.tree.fill(0);
    let swapped = moves;
    for (let p = 0; p < n; p++) {
      const at = place[order[p]!]! + 1;
      let notAfter = 0;
      for (let j = at; j > 0; j -= j & -j) notAfter += tree[j]!;
      swapped += p - notAfter;
      for (let j = at; j <= n; j += j & -j) tree[j]!++;
    }
    return swapped;
  }
}

/** Sign of row b minus row a, column by column: negative when a stands ahead (is greater). */
export function compareRows(values: Float64Array, width: number, a: number, b: number): number {
  const ra = a * width;
  const rb = b * width;
  for (let c = 0; c < width; c++) {
    const x = values[ra + c]!;
    const y = values[rb + c]!;
    if (x > y) return -1;
    if (x < y) return 1;
  }
  return 0;
}

/** Pairs of equal rows in `order`, which holds equal rows next to each other. */
function tiedPairs(order: Int32Array, values: Float64Array, width: number): number {
  let pairs = 0;
  for (let p = 0; p < order.length; ) {
    let e = p + 1;
    while (e < order.length && compareRows(values, width, order[p]!, order[e]!) === 0) e++;
    pairs += ((e - p) * (e - p - 1)) / 2;
    p = e;
  }
  return pairs;
}

/** Sorts order[p … e) by `values`. */
function sortRun(order: Int32Array, p: number, e: number, values: Float64Array, width: number): void {
  if (e - p > 32) {
    order.subarray(p, e).sort((a, b) => compareRows(values, width, a, b));
    return;
  }
  for (let k = p + 1; k < e; k++) {
    const l = order[k]!;
    let j = k - 1;
    while (j >= p && compareRows(values, width, order[j]!, l) > 0) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = l;
  }
}
