import { add, cmp, div, type Rational, toExactString, toNumber } from "../rational.js";
import type { LinearPiece } from "./piecewise-linear.js";
import { type Crossings, crossingText } from "./sweep-crossings.js";

const TWO: Rational = { n: 2n, d: 1n };

/**
 * A group's sweep bounds in order: bound 0 is the sweep's start, bounds 1..count are the
 * distinct crossing points (events), bound count + 1 its end. Event k's members are
 * members[start[k]] up to members[start[k + 1]]. Exact values and texts are made on demand:
 * values while the crossings are the group's (the walk), texts at any time after (a sweep's
 * result prints a bound when it is read).
 */
export class SweepBounds {
  readonly count: number;
  readonly xf: Float64Array;
  readonly start: Int32Array;
  readonly members: Int32Array;
  /** 1 where an event's two members are two whose totals meet there (so tie on totals). */
  readonly tie: Uint8Array;
  /**
   * Where an event is one member's total meeting a grade level: that level (so the total
   * equals it there exactly); −1 elsewhere.
   */
  readonly level: Int16Array;
  /**
   * 1 where a member's total meets a grade level at the event. Elsewhere no member's side of
   * any level changes there: every point where a total meets a level is a crossing (see
   * Crossings.addCrossings; a total equal to a level over a stretch is on one side throughout).
   */
  readonly meetsLevel: Uint8Array;
  /** The crossing that stands for each bound (−1 for the two ends). */
  private readonly source: Int32Array;
  /** Made at the first text read: a walk reads none, and a caller reads a page of units. */
  private texts: (string | undefined)[] | null = null;
  /** The two pieces whose lines cross at each bound, for its text (unset at the two ends). */
  private readonly p: LinearPiece[];
  private readonly q: LinearPiece[];

  constructor(
    private readonly crossings: Crossings,
    private readonly from: Rational,
    private readonly to: Rational,
    n: number,
  ) {
    const c = crossings;
    const order = sortedCrossings(c, toNumber(from), toNumber(to));
    // Sized for the most events and members there can be, then cut: growing plain arrays
    // and copying them was a sixth of a group's allocation.
    const m = order.length;
    const source = new Int32Array(m + 2);
    const xf = new Float64Array(m + 2);
    const start = new Int32Array(m + 1);
    const members = new Int32Array(2 * m);
    const tie = new Uint8Array(m + 2);
    const level = new Int16Array(m + 2).fill(-1);
    const meetsLevel = new Uint8Array(m + 2);
    // Sized too: grown from empty literals, their copies were most of what a group's bounds kept.
    const p: LinearPiece[] = new Array(m + 2).fill(null);
    const q: LinearPiece[] = new Array(m + 2).fill(null);
    source[0] = -1;
    xf[0] = toNumber(from);
    let e = 0;
    let size = 0;
    // Members seen in the current event, to list each once when several pairs meet there.
    const seen = new Int32Array(n).fill(-1);
    for (let k = 0; k < m; k++) {
      const i = order[k]!;
      if (k === 0 || c.compare(order[k - 1]!, i) !== 0) {
        start[e] = size;
        e++;
        source[e] = i;
        xf[e] = c.xf[i]!;
        p[e] = c.pieceP(i);
        q[e] = c.pieceQ(i);
      }
      const u = c.u[i]!;
      const v = c.v[i]!;
      if (c.totals[i] === 1) tie[e] = 1;
      if (v < 0) {
        level[e] = -1 - v;
        meetsLevel[e] = 1;
      }
      if (seen[u] !== e) members[size++] = u;
      seen[u] = e;
      if (v >= 0 && seen[v] !== e) members[size++] = v;
      if (v >= 0) seen[v] = e;
    }
    start[e] = size;
    // Only a lone pair is known to tie: with more members, not every two of them meet.
    for (let k = 1; k <= e; k++) {
      if (start[k]! - start[k - 1]! !== 2) tie[k] = 0;
      if (start[k]! - start[k - 1]! !== 1) level[k] = -1;
    }
    source[e + 1] = -1;
    xf[e + 1] = toNumber(to);
    this.count = e;
    this.xf = xf.subarray(0, e + 2);
    this.start = start.subarray(0, e + 1);
    this.members = members.subarray(0, size);
    this.tie = tie.subarray(0, e + 2);
    this.level = level.subarray(0, e + 2);
    this.meetsLevel = meetsLevel.subarray(0, e + 2);
    this.source = source.subarray(0, e + 2);
    this.p = p;
    this.q = q;
  }

  x(b: number): Rational {
    const s = this.source[b]!;
    if (s >= 0) return this.crossings.root(s);
    return b === 0 ? this.from : this.to;
  }

  text(b: number): string {
    this.texts ??= new Array(this.count + 2);
    const texts = this.texts;
    let t = texts[b];
    if (t === undefined) {
      const s = this.source[b]!;
      t = s >= 0 ? crossingText(this.p[b]!, this.q[b]!) : toExactString(b === 0 ? this.from : this.to);
      texts[b] = t;
    }
    return t;
  }

  /** The exact midpoint of bound b and the next. */
  mid(b: number): Rational {
    return div(add(this.x(b), this.x(b + 1)), TWO);
  }

  /** The interval index holding x (bound index < x < index + 1), or the bound equal to it. */
  locate(x: Rational): { index: number; onBound: boolean } {
    const xf = toNumber(x);
    const c = (b: number) => {
      const d = this.xf[b]! - xf;
      return Math.abs(d) > 1e-9 * (1 + Math.abs(xf)) ? d : cmp(this.x(b), x);
    };
    let lo = 0;
    let hi = this.xf.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (c(mid) <= 0) lo = mid;
      else hi = mid;
    }
    if (c(lo) === 0) return { index: lo, onBound: true };
    if (c(hi) === 0) return { index: hi, onBound: true };
    return { index: lo, onBound: false };
  }
}

/**
 * Crossings in exact order. Roots spread over the range, so a counting sort on the double
 * into as many buckets as roots leaves a root or two per bucket, ordered exactly there: a
 * province group's ~2,500 roots sort in linear time instead of through ~30,000 comparator calls.
 */
function sortedCrossings(c: Crossings, lo: number, hi: number): Int32Array {
  const n = c.size;
  const scale = n / (hi - lo);
  const bucket = new Int32Array(n);
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const k = Math.min(n - 1, Math.max(0, Math.floor((c.xf[i]! - lo) * scale)));
    bucket[i] = k;
    start[k + 1]!++;
  }
  for (let k = 0; k < n; k++) start[k + 1]! += start[k]!;
  const order = new Int32Array(n);
  const next = start.slice(0, n);
  for (let i = 0; i < n; i++) order[next[bucket[i]!]!++] = i;
  // Clustered roots (many lines through one point, or many pairs meeting at one x) would make
  // one bucket large: sorted by their doubles, which are within their errors of the exact
  // order. Sorted exactly, a tie-heavy group's ~280 equal roots at each of its points took
  // ~2,200 exact comparisons a point; the insertion below takes one per root for equal ones.
  const xf = c.xf;
  const byDouble = (i: number, j: number) => xf[i]! - xf[j]!;
  for (let k = 0; k < n; k++)
    if (start[k + 1]! - start[k]! > 32) order.subarray(start[k]!, start[k + 1]!).sort(byDouble);
  // Buckets follow the doubles, which may misorder roots within their error: an insertion sort
  // over the whole array orders within buckets and repairs those few.
  insertionSort(order, (i, j) => c.compare(i, j));
  return order;
}

function insertionSort(a: Int32Array, compare: (i: number, j: number) => number): void {
  for (let k = 1; k < a.length; k++) {
    const i = a[k]!;
    let j = k - 1;
    while (j >= 0 && compare(a[j]!, i) > 0) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = i;
  }
}
