import type { Unit } from "../dataset/dataset.js";
import type { Frac } from "./frac.js";
import type { IndexedRanking } from "./rank-indexed.js";
import type { Standing } from "./standing.js";

/**
 * Every unit's standing as columns of whole 10^−decimals units (exact integers held in
 * doubles), for schemes that round category points and totals. A province scenario is ten
 * thousand units; columns keep it to a few typed arrays instead of ten thousand objects
 * with their fractions, and `standingAt` builds the object form of one unit on demand.
 */
export interface StandingColumns {
  readonly units: readonly Unit[];
  readonly categories: number;
  readonly decimals: number;
  /** Final category points, points[k × units + i]; NaN when insufficient. */
  readonly points: Float64Array;
  readonly bonus: Float64Array;
  readonly totalDeducted: Float64Array;
  /** NaN when the unit has no total. */
  readonly total: Float64Array;
  readonly ranking: IndexedRanking;
  /** Each unit's group as an index into the scheme's groups (−1 when not listed). */
  readonly groupOf: Int32Array;
  readonly excellence: Uint8Array;
  /** Award eligibility after the last place lost it. */
  readonly award: Uint8Array;
  readonly forcedLast: Uint8Array;
}

/** A value in whole 10^−decimals units as the fraction standings hold. */
export function wholeFracOf(q: number, decimals: number): Frac {
  return { n: BigInt(q), d: 10n ** BigInt(decimals), f: q / 10 ** decimals };
}

/**
 * The object form of unit `i`, equal to what the fraction path computes for it. `fracs`
 * shares one immutable fraction per distinct value across many calls.
 */
export function standingAt(c: StandingColumns, i: number, fracs = new Map<number, Frac>()): Standing {
  const U = c.units.length;
  const unit = c.units[i]!;
  const whole = (q: number) => {
    let f = fracs.get(q);
    if (f === undefined) {
      f = wholeFracOf(q, c.decimals);
      fracs.set(q, f);
    }
    return f;
  };
  const value = (q: number) => (Number.isNaN(q) ? null : whole(q));
  const points: (Frac | null)[] = new Array(c.categories);
  for (let k = 0; k < c.categories; k++) points[k] = value(c.points[k * U + i]!);
  const r = c.ranking;
  return {
    unit: unit.id,
    name: unit.name,
    group: unit.group,
    points,
    bonus: whole(c.bonus[i]!),
    totalDeducted: whole(c.totalDeducted[i]!),
    total: value(c.total[i]!),
    rank: r.rank[i] === 0 ? null : r.rank[i]!,
    rankedInGroup: r.rankedInGroup[i]!,
    grade: r.grade[i] === -1 ? null : r.gradeIds[r.grade[i]!]!,
    excellence: c.excellence[i] === 1,
    award: c.award[i] === 1,
    forcedLast: c.forcedLast[i] === 1,
  };
}

/** Every unit's standing, in dataset order. */
export function standingsOfColumns(c: StandingColumns): Standing[] {
  const fracs = new Map<number, Frac>();
  return Array.from(c.units, (_, i) => standingAt(c, i, fracs));
}
