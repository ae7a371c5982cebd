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
import { meanAbsoluteRankShift, type RankWork, rankCorrelations, rankWork } from "./rank-statistics.js";
import type { StandingColumns } from "./standing-columns.js";

/**
 * `compareWithSnapshots` for two standings in columns (a weight-only scenario against its
 * baseline): the same rows, swaps, statistics and order, with the arithmetic on whole
 * 10^−decimals units in typed arrays. Deltas, ranks, the row order and every statistic are
 * computed here; each row object (and the swap list) is built only when read, since a
 * caller typically pages through the first fifty of ten thousand.
 */
export function compareColumns(
  scheme: Scheme,
  before: StandingColumns,
  after: StandingColumns,
  baseSnapshots: readonly UnitSnapshot[],
  byIdOrder: Int32Array,
  idOrder: Int32Array,
): StandingComparison {
  const units = before.units;
  const U = units.length;
  const C = before.categories;
  const { decimals } = scheme.rounding;
  const rb = before.ranking;
  const ra = after.ranking;
  const rankDelta = new Float64Array(U);
  const totalDelta = new Float64Array(U);
  let maxRank = 0;
  let maxDelta = 0;
  const gradeChanges: StandingComparison["gradeChanges"] = [];
  const eligibilityChanges: StandingComparison["eligibilityChanges"] = [];
  const gradeOf = (r: typeof rb, i: number) => (r.grade[i] === -1 ? null : r.gradeIds[r.grade[i]!]!);
  for (let i = 0; i < U; i++) {
    // Both sides hold the same units in the same groups: a rank delta needs only both ranks.
    const rd = rb.rank[i] !== 0 && ra.rank[i] !== 0 ? ra.rank[i]! - rb.rank[i]! : Number.NaN;
    const td = after.total[i]! - before.total[i]!;
    rankDelta[i] = rd;
    totalDelta[i] = td;
    if (Math.abs(rd) > maxRank) maxRank = Math.abs(rd);
    if (Math.abs(td) > maxDelta) maxDelta = Math.abs(td);
    const from = gradeOf(rb, i);
    const to = gradeOf(ra, i);
    if (from !== to) gradeChanges.push({ unit: units[i]!.id, from, to });
    if (before.excellence[i] !== after.excellence[i] || before.award[i] !== after.award[i])
      eligibilityChanges.push({
        unit: units[i]!.id,
        excellence: [before.excellence[i] === 1, after.excellence[i] === 1],
        award: [before.award[i] === 1, after.award[i] === 1],
      });
  }
  const order = rowOrder(rankDelta, totalDelta, maxRank, maxDelta, byIdOrder, idOrder);

  const text = cache((n: number) => wholeUnitsText(n, decimals));
  const official = cache((n: number) => wholeUnitsFixed(n, decimals));
  const part = deltaPartsOf(
    scheme.categories.map((c) => c.id),
    text,
  );
  const rowOf = (i: number): UnitChange => {
    const td = totalDelta[i]!;
    const parts: DeltaPart[] = [];
    if (!Number.isNaN(td)) {
      let explained = 0;
      for (let k = 0; k < C; k++) {
        const d = after.points[k * U + i]! - before.points[k * U + i]!;
        explained += d;
        parts.push(part(k, d));
      }
      const bonus = after.bonus[i]! - before.bonus[i]!;
      const deducted = before.totalDeducted[i]! - after.totalDeducted[i]!;
      parts.push(part(C, bonus), part(C + 1, deducted), part(C + 2, td - explained - bonus - deducted));
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
    const i = order[k]!;
    let row = rows[i];
    if (row === undefined) {
      row = rowOf(i);
      rows[i] = row;
    }
    return row;
  };
  // Official totals print alike exactly when they are equal (or both missing).
  const moved = (i: number) =>
    (rankDelta[i]! !== 0 && !Number.isNaN(rankDelta[i]!)) ||
    gradeOf(rb, i) !== gradeOf(ra, i) ||
    (totalDelta[i] !== 0 && !(Number.isNaN(before.total[i]!) && Number.isNaN(after.total[i]!)));
  const unitChanges: UnitChanges = {
    length: U,
    at,
    select(filter: UnitChangeFilter): number[] {
      const out: number[] = [];
      for (let k = 0; k < U; k++) {
        const i = order[k]!;
        const u = units[i]!;
        if (filter.group !== undefined && u.group !== filter.group) continue;
        if (filter.unitIds && !filter.unitIds.has(u.id)) continue;
        if (filter.movedOnly && !moved(i)) continue;
        out.push(k);
      }
      return out;
    },
  };

  const work = rankWork();
  const agreement = groupAgreement(scheme, after.groupOf, rb.rank, ra.rank, idOrder, byIdOrder, work);
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
    overall: overallAgreement(before, after, rb.rank, ra.rank, work),
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

/**
 * Row positions: largest |rank delta| first (units without one last), then largest |total
 * delta|, then unit id. One packed number per unit sorted natively when the three fit in
 * 2^53 (they do for any real year), a comparator otherwise.
 */
function rowOrder(
  rankDelta: Float64Array,
  totalDelta: Float64Array,
  maxRank: number,
  maxDelta: number,
  byIdOrder: Int32Array,
  idOrder: Int32Array,
): Int32Array {
  const U = rankDelta.length;
  const rankKey = (i: number) => (Number.isNaN(rankDelta[i]!) ? 0 : Math.abs(rankDelta[i]!) + 1);
  const sizeKey = (i: number) => (Number.isNaN(totalDelta[i]!) ? 0 : Math.abs(totalDelta[i]!));
  const R = maxRank + 1;
  const D = maxDelta;
  if ((R + 1) * (D + 1) * U < 2 ** 53) {
    const keys = new Float64Array(U);
    for (let i = 0; i < U; i++) keys[i] = ((R - rankKey(i)) * (D + 1) + (D - sizeKey(i))) * U + idOrder[i]!;
    keys.sort();
    const order = new Int32Array(U);
    for (let p = 0; p < U; p++) order[p] = byIdOrder[keys[p]! % U]!;
    return order;
  }
  return Int32Array.from({ length: U }, (_, i) => i).sort(
    (x, y) => rankKey(y) - rankKey(x) || sizeKey(y) - sizeKey(x) || idOrder[x]! - idOrder[y]!,
  );
}

/**
 * Per ranked group: who overtook whom (pairs of unit indices, in the order the fraction
 * path lists them) and the rank agreement of the units ranked on both sides.
 */
function groupAgreement(
  scheme: Scheme,
  groupOf: Int32Array,
  before: Int32Array,
  after: Int32Array,
  idOrder: Int32Array,
  byIdOrder: Int32Array,
  work: RankWork,
): {
  groups: (RankAgreement & { group: string })[];
  swapCount: number;
  /** Each group's members ranked on both sides, in baseline order: members[start[g] … start[g + 1]). */
  members: Int32Array;
  start: Int32Array;
} {
  const G = scheme.groups.length;
  // Members of each group ranked on both sides, as slices of one array.
  const start = new Int32Array(G + 1);
  for (let i = 0; i < groupOf.length; i++)
    if (groupOf[i]! >= 0 && before[i] !== 0 && after[i] !== 0) start[groupOf[i]! + 1]!++;
  for (let g = 0; g < G; g++) start[g + 1]! += start[g]!;
  const all = new Int32Array(start[G]!);
  const fill = start.slice(0, G);
  for (let i = 0; i < groupOf.length; i++)
    if (groupOf[i]! >= 0 && before[i] !== 0 && after[i] !== 0) all[fill[groupOf[i]!]!++] = i;
  const groups: (RankAgreement & { group: string })[] = [];
  let swapCount = 0;
  const U = groupOf.length;
  // One set of buffers for every group: allocating them per group cost more than the arithmetic.
  const packedAll = new Float64Array(U);
  const xAll = new Float64Array(U);
  const yAll = new Float64Array(U);
  for (let g = 0; g < G; g++) {
    const list = all.subarray(start[g]!, start[g + 1]!);
    const n = list.length;
    if (n === 0) continue;
    // Baseline rank, then id: packed into one number (ranks ≤ U) and sorted natively.
    const packed = packedAll.subarray(0, n);
    for (let k = 0; k < n; k++) packed[k] = before[list[k]!]! * U + idOrder[list[k]!]!;
    packed.sort();
    for (let k = 0; k < n; k++) list[k] = byIdOrder[packed[k]! % U]!;
    const x = xAll.subarray(0, n);
    const y = yAll.subarray(0, n);
    let unitsMoved = 0;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      x[k] = -before[i]!;
      y[k] = -after[i]!;
      if (before[i] !== after[i]) unitsMoved++;
    }
    const { spearman, kendallTauB, discordantPairs } = rankCorrelations(x, y, work);
    swapCount += discordantPairs;
    groups.push({
      group: scheme.groups[g]!.id,
      units: n,
      spearman,
      kendallTauB,
      meanAbsoluteRankShift: meanAbsoluteRankShift(x, y),
      unitsMoved,
    });
  }
  return { groups, swapCount, members: all, start };
}

function overallAgreement(
  before: StandingColumns,
  after: StandingColumns,
  rb: Int32Array,
  ra: Int32Array,
  work: RankWork,
): RankAgreement {
  const U = rb.length;
  // Whole units, not divided by the scale: the same mid-ranks, and counted rather than sorted.
  const x = new Float64Array(U);
  const y = new Float64Array(U);
  let scored = 0;
  let ranked = 0;
  let shift = 0;
  let unitsMoved = 0;
  for (let i = 0; i < U; i++) {
    if (!Number.isNaN(before.total[i]!) && !Number.isNaN(after.total[i]!)) {
      x[scored] = before.total[i]!;
      y[scored++] = after.total[i]!;
    }
    if (rb[i] !== 0 && ra[i] !== 0) {
      ranked++;
      shift += Math.abs(rb[i]! - ra[i]!);
      if (rb[i] !== ra[i]) unitsMoved++;
    }
  }
  const { spearman, kendallTauB } = rankCorrelations(x.subarray(0, scored), y.subarray(0, scored), work);
  return {
    units: scored,
    spearman,
    kendallTauB,
    meanAbsoluteRankShift: ranked === 0 ? 0 : shift / ranked,
    unitsMoved,
  };
}
