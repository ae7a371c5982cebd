import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { argumentIssues } from "../_test-argument-issues.js";
import {
  inversions,
  kendallTauB,
  meanAbsoluteRankShift,
  midRanks,
  rankCorrelations,
  rankWork,
  spearman,
} from "./rank-statistics.js";

/** Kendall's tau-b by definition, over every pair. */
function tauBByPairs(x: number[], y: number[]): number {
  let c = 0;
  let d = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < x.length; i++)
    for (let j = i + 1; j < x.length; j++) {
      const a = Math.sign(x[i]! - x[j]!);
      const b = Math.sign(y[i]! - y[j]!);
      if (a === 0 && b === 0) continue;
      if (a === 0) tx++;
      else if (b === 0) ty++;
      else if (a === b) c++;
      else d++;
    }
  return (c - d) / Math.sqrt((c + d + tx) * (c + d + ty));
}

describe("rank statistics", () => {
  it("computes mid-ranks with ties, highest first", () => {
    expect([...midRanks([10, 20, 20, 5])]).toEqual([3, 1.5, 1.5, 4]);
  });

  it("Kendall tau-b in O(n log n) equals the pairwise definition, ties included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), {
          minLength: 2,
          maxLength: 60,
        }),
        (pairs) => {
          const x = pairs.map((p) => p[0]);
          const y = pairs.map((p) => p[1]);
          const expected = tauBByPairs(x, y);
          const got = kendallTauB(x, y);
          if (Number.isNaN(expected)) expect(Number.isNaN(got) || got === 1).toBe(true);
          else expect(got).toBeCloseTo(expected, 12);
        },
      ),
    );
  });

  it("gives the same mid-ranks for whole numbers (counted) as for the same values scaled (sorted)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 80 }), (xs) => {
        // Dividing by 3 keeps the order and ties but leaves non-integers: the sorting path.
        expect([...midRanks(xs)]).toEqual([...midRanks(xs.map((v) => v / 3))]);
        expect(
          kendallTauB(
            xs,
            xs.map((v) => -v),
          ),
        ).toBeCloseTo(
          kendallTauB(
            xs.map((v) => v / 3),
            xs.map((v) => -v / 3),
          ),
          12,
        );
      }),
    );
    // A NaN among the values is refused, not a hang or a number (see below).
    expect(() => kendallTauB([1, Number.NaN, 3], [1, 2, 3])).toThrow("x[1] must be a finite number");
    expect(() => spearman([1, 2, 3], [1, Number.NaN, 3])).toThrow("y[1] must be a finite number");
    // Whole numbers spread far wider than their count are sorted, not counted.
    expect([...midRanks([1e9, 0, 5e8, 5e8])]).toEqual([1, 4, 2.5, 2.5]);
  });

  it("counts discordant pairs (strictly opposite in both orders), as the swaps between two rankings", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { maxLength: 40 }),
        (pairs) => {
          let d = 0;
          for (let i = 0; i < pairs.length; i++)
            for (let j = i + 1; j < pairs.length; j++)
              if (Math.sign(pairs[i]![0] - pairs[j]![0]) * Math.sign(pairs[i]![1] - pairs[j]![1]) < 0) d++;
          const x = pairs.map((p) => p[0]);
          const y = pairs.map((p) => p[1]);
          expect(rankCorrelations(x, y).discordantPairs).toBe(d);
        },
      ),
    );
  });

  it("is 1 for identical orderings and −1 for reversed ones", () => {
    const x = [1, 2, 3, 4, 5];
    expect(spearman(x, x)).toBeCloseTo(1, 12);
    expect(kendallTauB(x, x)).toBeCloseTo(1, 12);
    expect(spearman(x, [...x].reverse())).toBeCloseTo(-1, 12);
    expect(kendallTauB(x, [...x].reverse())).toBeCloseTo(-1, 12);
    expect(meanAbsoluteRankShift([1, 2, 3], [3, 2, 1])).toBeCloseTo(4 / 3, 12);
  });

  it("refuses vectors of different lengths, naming both, rather than pairing what is there", () => {
    const message =
      "x and y must be the same length (entry i of each is one unit's): x has 4 entries, y has 2";
    for (const f of [spearman, kendallTauB, rankCorrelations])
      expect(() => f([1, 2, 3, 4], [4, 3])).toThrow(new RangeError(message));
    // Too short to correlate is no excuse: one of them is still missing a unit.
    expect(() => spearman([1], [])).toThrow("x has 1 entry, y has 0");
    expect(() => meanAbsoluteRankShift([1, 2], [1, 2, 3])).toThrow(
      new RangeError(
        "a and b must be the same length (entry i of each is one unit's): a has 2 entries, b has 3",
      ),
    );
  });

  it("refuses an entry that is NaN or infinite, naming it, rather than ranking or averaging it", () => {
    for (const f of [spearman, kendallTauB, rankCorrelations])
      expect(() => f([Number.NaN, 1, 2], [1, 2, 3])).toThrow(
        new RangeError("x[0] must be a finite number, not NaN"),
      );
    expect(() => spearman([1, 2], [1, Number.NEGATIVE_INFINITY])).toThrow(
      "y[1] must be a finite number, not -Infinity",
    );
    expect(() => midRanks([Number.NaN, 1])).toThrow("values[0] must be a finite number, not NaN");
    expect(() => meanAbsoluteRankShift([Number.POSITIVE_INFINITY, 1], [1, 2])).toThrow(
      "a[0] must be a finite number, not Infinity",
    );
    expect(() => meanAbsoluteRankShift([1], [Number.NaN])).toThrow("b[0] must be a finite number, not NaN");
  });
});

describe("inversions", () => {
  it("counts the pairs out of order, by insertion, by Fenwick tree, or switching midway", () => {
    const work = rankWork();
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 80 }),
        fc.integer({ min: 0, max: 400 }),
        (values, budget) => {
          let expected = 0;
          for (let i = 0; i < values.length; i++)
            for (let j = i + 1; j < values.length; j++) if (values[i]! > values[j]!) expected++;
          const a = Int32Array.from(values);
          expect(inversions(a, a.length, 12, work, budget)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("the statistics' arguments", () => {
  // Wrong on purpose: what plain JavaScript can pass and TypeScript would refuse.
  const wrong = (value: unknown) => value as never;
  const list = (got: string, name: string) =>
    `${name}: expected a list of numbers (an array or a typed array), entry i one unit's; got ${got}`;
  it.each([
    ["midRanks, a number", () => midRanks(wrong(5)), [list("5", "values")]],
    ["midRanks, null", () => midRanks(wrong(null)), [list("null", "values")]],
    [
      "meanAbsoluteRankShift, null twice",
      () => meanAbsoluteRankShift(wrong(null), wrong(null)),
      [list("null", "a"), list("null", "b")],
    ],
    [
      "meanAbsoluteRankShift, two numbers",
      () => meanAbsoluteRankShift(wrong(1), wrong(2)),
      [list("1", "a"), list("2", "b")],
    ],
    ["spearman, text", () => spearman([1, 2], wrong("12")), [list('text "12"', "y")]],
    ["kendallTauB, nothing", () => kendallTauB(wrong(undefined), [1]), [list("nothing", "x")]],
    ["rankCorrelations, an object", () => rankCorrelations(wrong({}), [1]), [list("an object", "x")]],
  ])("%s: an InputError naming the argument", (_, call, issues) => {
    expect(argumentIssues(call)).toEqual(issues);
  });
});
