import type { GroupAgreement } from "./compare-standings.js";
import type { IndexedRanking } from "./rank-indexed.js";
import { ensureWork, inversions, pearson, type RankWork, tauB } from "./rank-statistics.js";

/** Per-group agreement of two rankings, with the members it was computed over. */
export interface GroupAgreements {
  groups: GroupAgreement[];
  /** Discordant pairs summed over groups: the places swapped. */
  swapCount: number;
  /** Each group's members ranked on both sides, in baseline order: members[start[g] … start[g + 1]). */
  members: Int32Array;
  start: Int32Array;
}

/**
 * Rank agreement (Spearman, Kendall's tau-b, mean absolute rank shift, discordant pairs)
 * of a baseline and a scenario ranking, group by group, over the units ranked on both
 * sides. Both rankings already hold each group best first, so mid-ranks are read off
 * positions and tie runs, and Kendall's discordant pairs are the inversions of the
 * scenario's order read in baseline order (`inversions`: by insertion while few, which a
 * scenario's small moves make the usual case). Gives the same numbers as
 * `rankCorrelations` over the negated ranks (the values are the same half-integers, summed
 * in the same order).
 */
export function rankingAgreement(
  groupIds: readonly string[],
  before: IndexedRanking,
  after: IndexedRanking,
  w: RankWork,
): GroupAgreements {
  const G = groupIds.length;
  const rb = before.rank;
  const ra = after.rank;
  // Locals, not property reads: V8 reloads a property inside loops that store to typed arrays.
  const bm = before.members;
  const bStart = before.groupStart;
  const am = after.members;
  const aStart = after.groupStart;
  const U = rb.length;
  const start = new Int32Array(G + 1);
  const members = new Int32Array(Math.min(before.members.length, after.members.length));
  ensureWork(w, U);
  // Per unit: its doubled mid-rank (a whole number) and tie run (1-based, best first) in the scenario's order.
  const yMid2 = w.ys;
  const yRun = w.byY;
  const { rx, ry } = w;
  const groups: GroupAgreements["groups"] = [];
  let swapCount = 0;
  let m = 0;
  for (let g = 0; g < G; g++) {
    start[g] = m;
    for (let p = bStart[g]!; p < bStart[g + 1]!; p++) {
      const i = bm[p]!;
      if (ra[i] !== 0) members[m++] = i;
    }
    const list = members.subarray(start[g]!, m);
    const n = list.length;
    // The scenario's order of the same units: its mid-ranks and tie runs.
    let q = 0;
    let runs = 0;
    let tiesY = 0;
    const aLo = aStart[g]!;
    const aHi = aStart[g + 1]!;
    for (let p = aLo; p < aHi; ) {
      let e = p;
      let size = 0;
      const r = ra[am[p]!]!;
      while (e < aHi && ra[am[e]!] === r) {
        if (rb[am[e]!] !== 0) size++;
        e++;
      }
      if (size > 0) {
        runs++;
        for (let k = p; k < e; k++) {
          yMid2[am[k]!] = q + 1 + q + size;
          yRun[am[k]!] = runs;
        }
        tiesY += (size * (size - 1)) / 2;
        q += size;
      }
      p = e;
    }
    if (q !== n) throw new Error(`rankingAgreement: group ${groupIds[g]} holds different units on each side`);
    if (n === 0) continue;
    let unitsMoved = 0;
    let shift = 0;
    let tiesX = 0;
    let tiesXY = 0;
    // The scenario's tie runs in baseline order, equal baseline ranks by scenario run (so
    // that they never count): a pair out of order there is discordant.
    const seq = w.order;
    for (let k = 0; k < n; ) {
      // A run of units tied in the baseline: positions k … e − 1.
      let e = k + 1;
      while (e < n && rb[list[e]!] === rb[list[k]!]) e++;
      const mid = (k + 1 + e) / 2;
      tiesX += ((e - k) * (e - k - 1)) / 2;
      for (let t = k; t < e; t++) {
        const i = list[t]!;
        rx[t] = mid;
        ry[t] = yMid2[i]! / 2;
        shift += Math.abs(rb[i]! - ra[i]!);
        if (rb[i] !== ra[i]) unitsMoved++;
        const y = yRun[i]!;
        let s = t;
        while (s > k && seq[s - 1]! > y) {
          seq[s] = seq[s - 1]!;
          s--;
        }
        seq[s] = y;
        for (let r = s; r > k && seq[r - 1] === y; r--) tiesXY++;
      }
      k = e;
    }
    // Groups are small and a scenario moves few of their units far: insertion counting wins.
    const discordant = inversions(seq, n, runs, w, 4 * n + 64);
    swapCount += discordant;
    groups.push({
      group: groupIds[g]!,
      units: n,
      spearman: n < 2 ? 1 : pearson(rx, ry, n),
      kendallTauB: n < 2 ? 1 : tauB(n, tiesX, tiesY, tiesXY, discordant),
      meanAbsoluteRankShift: shift / n,
      unitsMoved,
    });
  }
  start[G] = m;
  return { groups, swapCount, members: members.subarray(0, m), start };
}
