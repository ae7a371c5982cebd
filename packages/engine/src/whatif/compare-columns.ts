import type { Scheme } from "../scheme/scheme-schema.js";
import {
  collectSwaps,
  type DeltaPart,
  deltaPartsOf,
  type RankAgreement,
  type StandingComparison,
  type Swap,
  type UnitChange,
  type UnitChangeFilter,
  type UnitChanges,
  type UnitSnapshot,
} from "./compare-standings.js";
import { wholeUnitsFixed, wholeUnitsText } from "./format-frac.js";
import { type PooledBaseline, pooledAgreement } from "./pooled-agreement.js";
import type { IndexedRanking } from "./rank-indexed.js";
import type { RankWork } from "./rank-statistics.js";
import { rankingAgreement } from "./ranking-agreement.js";
import { rowOrder } from "./row-order.js";
import type { StandingColumns } from "./standing-columns.js";
import { checkedUnitChangeFilter } from "./unit-change-filter.js";

/** The baseline's side of every comparison in columns, laid out once per baseline. */
export interface ColumnBaseline {
  readonly standings: StandingColumns;
  readonly model: { readonly idOrder: Int32Array; readonly byIdOrder: Int32Array };
  readonly pooled: PooledBaseline;
  /**
   * Scratch buffers for the rank statistics, overwritten by each comparison and never part
   * of its result: allocating them per scenario cost more than the statistics.
   */
  readonly work: RankWork;
}

/**
 * `compareWithSnapshots` for two standings in columns (a weight-only scenario against its
 * baseline): the same rows, swaps, statistics and order, with the arithmetic on whole
 * 10^−decimals units in typed arrays. Deltas, ranks, the row order and every statistic are
 * computed here; each row object (and the swap list) is built only when read, since a
 * caller typically pages through the first fifty of ten thousand.
 */
export function compareColumns(
  scheme: Scheme,
  base: ColumnBaseline,
  baseSnapshots: readonly UnitSnapshot[],
  after: StandingColumns,
): StandingComparison {
  const before = base.standings;
  const { idOrder, byIdOrder } = base.model;
  const units = before.units;
  const U = units.length;
  const C = before.categories;
  const { decimals } = scheme.rounding;
  const rb = before.ranking;
  const ra = after.ranking;
  const rankDelta = new Float64Array(U);
  const totalDelta = new Float64Array(U);
  const gradeChanges: StandingComparison["gradeChanges"] = [];
  const eligibilityChanges: StandingComparison["eligibilityChanges"] = [];
  // Locals, not property reads: V8 reloads a property inside loops that store to typed arrays.
  const rankB = rb.rank;
  const rankA = ra.rank;
  const totalB = before.total;
  const totalA = after.total;
  const gradeB = rb.grade;
  const gradeA = ra.grade;
  // Grade indices compare as ids when both sides list the same grades in the same order.
  const sameGrades =
    rb.gradeIds.length === ra.gradeIds.length && rb.gradeIds.every((id, k) => ra.gradeIds[k] === id);
  const { excellence: excellenceB, award: awardB } = before;
  const { excellence: excellenceA, award: awardA } = after;
  for (let i = 0; i < U; i++) {
    // Both sides hold the same units in the same groups: a rank delta needs only both ranks.
    const r0 = rankB[i]!;
    const r1 = rankA[i]!;
    rankDelta[i] = r0 !== 0 && r1 !== 0 ? r1 - r0 : Number.NaN;
    totalDelta[i] = totalA[i]! - totalB[i]!;
    if (gradeB[i] !== gradeA[i] || !sameGrades) {
      const from = gradeOf(rb, i);
      const to = gradeOf(ra, i);
      if (from !== to) gradeChanges.push({ unit: units[i]!.id, from, to });
    }
    if (excellenceB[i] !== excellenceA[i] || awardB[i] !== awardA[i])
      eligibilityChanges.push({
        unit: units[i]!.id,
        excellence: [excellenceB[i] === 1, excellenceA[i] === 1],
        award: [awardB[i] === 1, awardA[i] === 1],
      });
  }
  const order = rowOrder(rankDelta, totalDelta, idOrder, byIdOrder);

  const text = cache((n: number) => wholeUnitsText(n, decimals));
  const official = cache((n: number) => wholeUnitsFixed(n, decimals));
  const part = deltaPartsOf(scheme, text);
  const rowOf = (i: number): UnitChange => {
    const td = totalDelta[i]!;
    const parts: DeltaPart[] = [];
    if (!Number.isNaN(td)) {
      // Each side's categories, bonus and deductions; what they leave of its total is the last part.
      let restA = after.total[i]! - after.bonus[i]! + after.totalDeducted[i]!;
      let restB = before.total[i]! - before.bonus[i]! + before.totalDeducted[i]!;
      for (let k = 0; k < C; k++) {
        const pa = after.points[k * U + i]!;
        const pb = before.points[k * U + i]!;
        restA -= pa;
        restB -= pb;
        parts.push(part(k, pb, pa));
      }
      parts.push(
        part(C, before.bonus[i]!, after.bonus[i]!),
        part(C + 1, -before.totalDeducted[i]!, -after.totalDeducted[i]!),
        part(C + 2, restB, restA),
      );
    }
    const rd = rankDelta[i]!;
    const t = after.total[i]!;
    return {
      unit: units[i]!.id,
      name: units[i]!.name,
      baseline: baseSnapshots[i]!,
      scenario: {
        group: units[i]!.group,
        total: Number.isNaN(t) ? null : official(t),
        rank: ra.rank[i] === 0 ? null : ra.rank[i]!,
        rankedInGroup: ra.rankedInGroup[i]!,
        grade: gradeOf(ra, i),
        eligibleForExcellence: after.excellence[i] === 1,
        eligibleForAward: after.award[i] === 1,
      },
      totalDelta: Number.isNaN(td) ? null : text(td),
      rankDelta: Number.isNaN(rd) ? null : rd,
      parts,
    };
  };
  const rows: (UnitChange | undefined)[] = new Array(U);
  const at = (k: number): UnitChange => {
    if (!(Number.isInteger(k) && k >= 0 && k < U)) throw new RangeError(`no row ${k}: rows are 0 … ${U - 1}`);
    const i = order.unitAt(k);
    let row = rows[i];
    if (row === undefined) {
      row = rowOf(i);
      rows[i] = row;
    }
    return row;
  };
  // Official totals print alike exactly when they are equal (or both missing). Ranks compare
  // as stored (0 for none), so that a rank that appears or disappears is a move; groups are
  // the same on both sides here.
  const moved = (i: number) =>
    rankB[i] !== rankA[i] ||
    gradeOf(rb, i) !== gradeOf(ra, i) ||
    (totalDelta[i] !== 0 && !(Number.isNaN(before.total[i]!) && Number.isNaN(after.total[i]!)));
  const unitChanges: UnitChanges = {
    length: U,
    at,
    select(given: UnitChangeFilter): number[] {
      const filter = checkedUnitChangeFilter(
        given,
        scheme.groups.map((g) => g.id),
      );
      const out: number[] = [];
      for (let k = 0; k < U; k++) {
        const i = order.unitAt(k);
        const u = units[i]!;
        if (filter.group !== undefined && u.group !== filter.group) continue;
        if (filter.unitIds && !filter.unitIds.has(u.id)) continue;
        if (filter.movedOnly && !moved(i)) continue;
        out.push(k);
      }
      return out;
    },
  };

  const agreement = rankingAgreement(
    scheme.groups.map((g) => g.id),
    rb,
    ra,
    base.work,
  );
  const { groups, swapCount } = agreement;
  let swapList: Swap[] | undefined;
  // The swaps are counted with Kendall's statistic; who overtook whom is listed when asked.
  const swaps = (): Swap[] => {
    if (swapList) return swapList;
    const pairs: number[] = [];
    for (let g = 0; g + 1 < agreement.start.length; g++)
      collectSwaps(
        agreement.members.subarray(agreement.start[g]!, agreement.start[g + 1]!),
        rb.rank,
        ra.rank,
        pairs,
      );
    swapList = Array.from({ length: pairs.length / 2 }, (_, s) => {
      const x = pairs[2 * s]!;
      return { group: units[x]!.group, overtaker: units[x]!.id, overtaken: units[pairs[2 * s + 1]!]!.id };
    });
    return swapList;
  };
  let unitList: UnitChange[] | undefined;
  const result = {
    gradeChanges,
    eligibilityChanges,
    groups,
    overall: overallAgreement(base, after),
    unitChanges,
    swapCount,
  };
  return Object.defineProperties(result, {
    units: { enumerable: true, get: () => (unitList ??= Array.from({ length: U }, (_, k) => at(k))) },
    swaps: { enumerable: true, get: swaps },
  }) as typeof result & { units: UnitChange[]; swaps: Swap[] };
}

function cache<T>(make: (n: number) => T): (n: number) => T {
  const m = new Map<number, T>();
  return (n) => {
    let v = m.get(n);
    if (v === undefined) {
      v = make(n);
      m.set(n, v);
    }
    return v;
  };
}

function overallAgreement(base: ColumnBaseline, after: StandingColumns): RankAgreement {
  const rb = base.standings.ranking.rank;
  const ra = after.ranking.rank;
  let ranked = 0;
  let shift = 0;
  let unitsMoved = 0;
  for (let i = 0; i < rb.length; i++) {
    if (rb[i] !== 0 && ra[i] !== 0) {
      ranked++;
      shift += Math.abs(rb[i]! - ra[i]!);
      if (rb[i] !== ra[i]) unitsMoved++;
    }
  }
  // Whole units, not divided by the scale: the same mid-ranks, and counted rather than sorted.
  const { units, spearman, kendallTauB } = pooledAgreement(
    base.pooled,
    base.standings.total,
    after.total,
    base.work,
  );
  return {
    units,
    spearman,
    kendallTauB,
    meanAbsoluteRankShift: ranked === 0 ? 0 : shift / ranked,
    unitsMoved,
  };
}

/**
 * A unit's grade id in a ranking. Module-level: as a closure made per comparison, its
 * optimised code was compiled for one call's rankings and thrown out at the next (a deopt
 * in every scenario).
 */
function gradeOf(r: IndexedRanking, i: number): string | null {
  return r.grade[i] === -1 ? null : r.gradeIds[r.grade[i]!]!;
}
