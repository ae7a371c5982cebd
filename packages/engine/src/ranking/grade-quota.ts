import { div, mul, parseDecimal, type Rational, ratio } from "../rational.js";
import type { GradeQuota } from "../scheme/scheme-schema.js";

/**
 * How a grade quota (名额) is filled, shared by every place that grades — the evaluation, the
 * scenario columns, the sweep and Monte-Carlo — so that a quota cannot mean one thing in an
 * evaluation and another in a what-if.
 */

/**
 * Places a quota gives out of a population of units: a count as written, a percent rounded as
 * its `rounding` says, down by default ("30% of 29 units" admits 8, never 9). Worked out in
 * whole numbers: 30% of 5 is exactly 1.5, which half-up makes 2 where a double could make it
 * 1.4999…. The percent is read once, and each population's limit worked out once: Monte-Carlo
 * asks for every group of every sample, a sweep at every regrade, and the groups' sizes repeat.
 */
export function quotaLimiter(quota: GradeQuota): (population: number) => number {
  const count = quota.count;
  if (count !== undefined) return () => count;
  const p = parseDecimal(quota.percent ?? 0);
  const round = roundPlaces[quota.rounding ?? "down"];
  const known = new Map<number, number>();
  return (population) => {
    let limit = known.get(population);
    if (limit === undefined) {
      limit = Number(round(p.n * BigInt(population), p.d * 100n));
      known.set(population, limit);
    }
    return limit;
  };
}

/** The exact share of a population a percent quota gives, before rounding: 30% of 29 is 8.7. */
export function quotaShare(quota: GradeQuota, population: number): Rational {
  return div(mul(parseDecimal(quota.percent ?? 0), ratio(population)), HUNDRED);
}

const HUNDRED = ratio(100);

/** A non-negative n / d made whole places, each way a quota's `rounding` names. */
const roundPlaces: Record<NonNullable<GradeQuota["rounding"]>, (n: bigint, d: bigint) => bigint> = {
  down: (n, d) => n / d,
  "half-up": (n, d) => (2n * n + d) / (2n * d),
  up: (n, d) => (n + d - 1n) / d,
};

/**
 * The units a percent is taken of: every ranked unit of the scope, or, for `of: "admitted"`,
 * those of them the rule admits ("the last 10% of the units below 60").
 */
export function quotaPopulation(
  quota: GradeQuota,
  order: ArrayLike<number>,
  admits: (unit: number) => boolean,
): number {
  if (quota.of !== "admitted") return order.length;
  let count = 0;
  for (let p = 0; p < order.length; p++) if (admits(order[p]!)) count++;
  return count;
}

/**
 * Gives a quota's places along a scope's ranked units (`order`, best first): from the top, or
 * from the bottom for `from: "bottom"`, skipping units the rule does not admit. Units tied at
 * the boundary share a place as they share a rank: with `ties: "share"` (the default) the whole
 * tied group takes the grade even past the limit; with `ties: "exclude"` ("at most N", 不超过),
 * where the group would pass the limit none of it does and the places it would have taken stay
 * empty: the units after it are no nearer the grade than the tied ones. `take(unit, place)` is
 * called for each unit given the grade, place counting from 1; `leave(unit, places)` for each of
 * a group left out, with the places that were left to it. Returns the position in `order` of
 * the last unit the quota decided: the last taken, or the end of a group left out (where a move
 * can change who is in); −1 when none was.
 */
export function fillQuota(
  quota: GradeQuota,
  order: ArrayLike<number>,
  limit: number,
  admits: (unit: number) => boolean,
  sameStanding: (a: number, b: number) => boolean,
  take: (unit: number, place: number) => void,
  leave?: (unit: number, places: number) => void,
): number {
  const n = order.length;
  const bottom = quota.from === "bottom";
  const exclude = quota.ties === "exclude";
  let taken = 0;
  let prev = -1;
  let last = -1;
  for (let k = 0; k < n; k++) {
    const p = bottom ? n - 1 - k : k;
    const unit = order[p]!;
    if (!admits(unit)) continue;
    // Standings are compared only where they decide: past the limit, and under "exclude" to
    // find where a group starts (a sweep fills a group's places thousands of times).
    if (taken >= limit) {
      if (!(prev >= 0 && sameStanding(prev, unit))) break;
    } else if (exclude && !(prev >= 0 && sameStanding(prev, unit))) {
      // A group's first unit: it goes in whole or not at all. Tied units stand next to each
      // other in `order`, so the group ends at the first unit not tied.
      let size = 0;
      let end = k;
      for (let j = k; j < n; j++) {
        const v = order[bottom ? n - 1 - j : j]!;
        if (j > k && !sameStanding(unit, v)) break;
        end = j;
        if (admits(v)) size++;
      }
      if (taken + size > limit) {
        if (leave)
          for (let j = k; j <= end; j++) {
            const v = order[bottom ? n - 1 - j : j]!;
            if (admits(v)) leave(v, limit - taken);
          }
        return bottom ? n - 1 - end : end;
      }
    }
    taken++;
    take(unit, taken);
    prev = unit;
    last = p;
  }
  return last;
}
