import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IndexedRanking } from "./rank-indexed.js";
import { meanAbsoluteRankShift, rankCorrelations, rankWork } from "./rank-statistics.js";
import { rankingAgreement } from "./ranking-agreement.js";

/**
 * A competition ranking ("1224") of scores within groups, best (highest) first, ties by
 * index; a unit with a null score, or in a group not ranked, is unranked.
 */
function rankingOf(
  scores: readonly (number | null)[],
  groupOf: readonly number[],
  ranked: readonly boolean[],
): IndexedRanking {
  const U = scores.length;
  const G = ranked.length;
  const rank = new Int32Array(U);
  const groupStart = new Int32Array(G + 1);
  const members: number[] = [];
  for (let g = 0; g < G; g++) {
    groupStart[g] = members.length;
    if (!ranked[g]) continue;
    const list = [...scores.keys()]
      .filter((i) => groupOf[i] === g && scores[i] !== null)
      .sort((a, b) => scores[b]! - scores[a]! || a - b);
    list.forEach((i, p) => {
      rank[i] = p > 0 && scores[list[p - 1]!] === scores[i] ? rank[list[p - 1]!]! : p + 1;
    });
    members.push(...list);
  }
  groupStart[G] = members.length;
  return {
    rank,
    rankedInGroup: new Int32Array(U),
    grade: new Int16Array(U).fill(-1),
    lostAward: new Uint8Array(U),
    lostExcellence: new Uint8Array(U),
    gradeIds: [],
    members: Int32Array.from(members),
    groupStart,
  };
}

const G = 3;
const yearArb = fc.integer({ min: 0, max: 60 }).chain((U) =>
  fc.record({
    groupOf: fc.array(fc.integer({ min: 0, max: G - 1 }), { minLength: U, maxLength: U }),
    // Few distinct scores, so that ties in one ranking, the other and both are common.
    before: fc.array(fc.option(fc.integer({ min: 0, max: 6 }), { freq: 8 }), { minLength: U, maxLength: U }),
    after: fc.array(fc.option(fc.integer({ min: 0, max: 6 }), { freq: 8 }), { minLength: U, maxLength: U }),
    rankedBefore: fc.array(fc.boolean(), { minLength: G, maxLength: G }),
    rankedAfter: fc.array(fc.boolean(), { minLength: G, maxLength: G }),
  }),
);

describe("rankingAgreement", () => {
  it("gives rankCorrelations' numbers over each group's units ranked on both sides", () => {
    // One set of buffers for every case, as a baseline reuses it for every scenario.
    const work = rankWork();
    fc.assert(
      fc.property(yearArb, (y) => {
        const before = rankingOf(y.before, y.groupOf, y.rankedBefore);
        const after = rankingOf(y.after, y.groupOf, y.rankedAfter);
        const ids = ["A", "B", "C"];
        const got = rankingAgreement(ids, before, after, work);
        const expected = [];
        let swaps = 0;
        for (let g = 0; g < G; g++) {
          // Baseline order: by baseline rank, then index.
          const list = [...y.groupOf.keys()]
            .filter((i) => y.groupOf[i] === g && before.rank[i] !== 0 && after.rank[i] !== 0)
            .sort((a, b) => before.rank[a]! - before.rank[b]! || a - b);
          expect([...got.members.subarray(got.start[g]!, got.start[g + 1]!)]).toEqual(list);
          if (list.length === 0) continue;
          const x = list.map((i) => -before.rank[i]!);
          const yy = list.map((i) => -after.rank[i]!);
          const c = rankCorrelations(x, yy);
          swaps += c.discordantPairs;
          expected.push({
            group: ids[g],
            units: list.length,
            spearman: c.spearman,
            kendallTauB: c.kendallTauB,
            meanAbsoluteRankShift: meanAbsoluteRankShift(x, yy),
            unitsMoved: list.filter((i) => before.rank[i] !== after.rank[i]).length,
          });
        }
        expect(got.groups).toEqual(expected);
        expect(got.swapCount).toBe(swaps);
      }),
      { numRuns: 300 },
    );
  });
});
