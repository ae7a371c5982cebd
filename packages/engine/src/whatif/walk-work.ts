import { OrderChanges } from "./order-changes.js";
import { approxValueAt, type PiecewiseLinear } from "./piecewise-linear.js";

/** The members of one walk of a weight sweep, as its work is estimated from them. */
export interface WalkMembers {
  totals: readonly PiecewiseLinear[];
  /** Each member's tie-breaker functions in order, null where it has none. */
  keys: readonly (readonly (PiecewiseLinear | null)[])[];
  /** Members a veto places last: they stand behind every other member (and cross only each other). */
  forced: ArrayLike<boolean>;
}

/** What one walk of a weight sweep does, estimated before it runs (see `walkWork`). */
export interface WalkWork {
  /** Members the walk orders. */
  units: number;
  /** Pairs of members, n(n − 1)/2: the crossing search screens every one. */
  pairs: number;
  /**
   * Pairs of members that change order in the range, counted between the range's ends and
   * every kink of a member's total or tie-breaker, where all are linear: at least every
   * crossing the walk steps through (a pair meeting exactly at a kink is counted on each side
   * of it; one meeting at an end of the range, where the walk has no event, is not). Where
   * kinks are too many to visit (`points` short of them), an upper bound: each kink left out
   * counts two crossings with every other member.
   */
  crossings: number;
  /** Times a member's total meets a grade threshold or line in the range, counted likewise. */
  levels: number;
  /**
   * Those of them at a level whose meeting makes the walk grade every member again (a rule at
   * or before the last quota rule, whose places may move): each takes time with the members.
   */
  regrades: number;
  /** Points where the members' standings were compared, the range's ends included. */
  points: number;
}

/** A grade threshold or line, as a double, and whether a total meeting it regrades every member. */
export interface WalkLevel {
  at: number;
  regrades: boolean;
}

/**
 * Estimates a walk's work from its members' functions over [from, to] (doubles, as the
 * estimate is), visiting at most `maxPoints` points (at least the two ends). A standing is
 * (not forced last, total, tie-breakers…), as the walk orders members; a tie-breaker a member
 * lacks stands below every value. Between two points where every standing is linear, two
 * members cross at most once and do iff their standings compare differently at the two
 * points, so the count is an inversion count per stretch, in O(n log n) or less, instead of
 * finding every crossing (~n² pairs, and a tie-heavy group meets in hundreds of thousands).
 */
export function walkWork(
  members: WalkMembers,
  from: number,
  to: number,
  levels: readonly WalkLevel[],
  maxPoints: number,
): WalkWork {
  const { totals, keys, forced } = members;
  const n = totals.length;
  const width = 2 + keys.reduce((w, k) => Math.max(w, k.length), 0);
  const kinks: number[] = [];
  const kinksOf = (f: PiecewiseLinear) => {
    for (let k = 1; k < f.pieces.length; k++) {
      const x = f.pieces[k]!.ff;
      if (x > from && x < to) kinks.push(x);
    }
  };
  for (let l = 0; l < n; l++) {
    kinksOf(totals[l]!);
    for (const key of keys[l]!) if (key) kinksOf(key);
  }
  kinks.sort((a, b) => a - b);
  const distinct = kinks.filter((x, k) => k === 0 || x !== kinks[k - 1]);
  const room = Math.max(0, Math.floor(maxPoints) - 2);
  // Too many kinks: every (distinct.length / room)-th is visited, the others bounded.
  const inner =
    distinct.length <= room
      ? distinct
      : Array.from({ length: room }, (_, j) => distinct[Math.floor((j * distinct.length) / room)]!);
  const points = [from, ...inner, to];
  const visited = new Set(inner);
  const leftOut = kinks.reduce((c, x) => (visited.has(x) ? c : c + 1), 0);
  let crossings = 2 * Math.max(0, n - 1) * leftOut;
  if (n > 1) {
    const buffers = [new Float64Array(n * width), new Float64Array(n * width)];
    const standingsAt = (x: number, out: Float64Array) => {
      out.fill(Number.NEGATIVE_INFINITY);
      for (let l = 0; l < n; l++) {
        const at = l * width;
        out[at] = forced[l] ? 0 : 1;
        out[at + 1] = approxValueAt(totals[l]!, x);
        const ks = keys[l]!;
        for (let t = 0; t < ks.length; t++) {
          const key = ks[t];
          if (key) out[at + 2 + t] = approxValueAt(key, x);
        }
      }
      return out;
    };
    const changes = new OrderChanges(n, width, standingsAt(from, buffers[0]!));
    const last = points.length - 1;
    // Pairs meeting at the range's ends are no events of the walk, which works each end out
    // whole: sweeping from 0 the one category with points, every pair ties there.
    for (let t = 1; t <= last; t++) {
      const { swapped, parted, met } = changes.next(standingsAt(points[t]!, buffers[t & 1]!));
      crossings += swapped + (t > 1 ? parted : 0) + (t < last ? met : 0);
    }
  }
  const all = levelMeetings(
    totals,
    from,
    to,
    levels.map((m) => m.at),
  );
  const regrading = levelMeetings(
    totals,
    from,
    to,
    levels.filter((m) => m.regrades).map((m) => m.at),
  );
  return {
    units: n,
    pairs: (n * (n - 1)) / 2,
    crossings,
    levels: all,
    regrades: regrading,
    points: points.length,
  };
}

/** Times each total's sign against each level changes along its pieces' ends in [from, to]. */
function levelMeetings(
  totals: readonly PiecewiseLinear[],
  from: number,
  to: number,
  levels: readonly number[],
): number {
  let count = 0;
  const sign = (v: number) => (v > 0 ? 1 : v < 0 ? -1 : 0);
  for (const f of totals) {
    const xs = [from];
    for (let k = 1; k < f.pieces.length; k++) {
      const x = f.pieces[k]!.ff;
      if (x > from && x < to) xs.push(x);
    }
    xs.push(to);
    const values = xs.map((x) => approxValueAt(f, x));
    for (const m of levels)
      for (let k = 1; k < values.length; k++) if (sign(values[k - 1]! - m) !== sign(values[k]! - m)) count++;
  }
  return count;
}
