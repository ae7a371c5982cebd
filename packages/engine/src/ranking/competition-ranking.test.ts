import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDecimal, ratio } from "../rational.js";
import {
  compareStanding,
  competitionRanking,
  type RankEntry,
  sortByStanding,
} from "./competition-ranking.js";

const entry = (unit: string, total: string, tie = "0", forcedLast = false): RankEntry => ({
  unit,
  total: parseDecimal(total),
  tieKeys: [parseDecimal(tie)],
  forcedLast,
});

describe("competitionRanking", () => {
  it("shares a rank between equal standings and skips the next ('1224'), vetoed units last", () => {
    const ranking = competitionRanking([
      entry("d", "80"),
      entry("a", "90", "30"),
      entry("v", "99", "50", true),
      entry("b", "85"),
      entry("c", "85"),
      entry("e", "90", "20"),
    ]);
    expect(ranking.map((r) => [r.entry.unit, r.rank])).toEqual([
      ["a", 1],
      ["e", 2],
      ["b", 3],
      ["c", 3],
      ["d", 5],
      ["v", 6],
    ]);
  });
});

describe("sortByStanding", () => {
  it("orders as compareStanding does, totals with parts past 2^53 and doubles that coincide included", () => {
    const big = 2n ** 53n;
    const total = fc.oneof(
      // Published totals: two decimals, many denominators in lowest terms.
      fc.integer({ min: 0, max: 10_000 }).map((k) => ratio(BigInt(k), 100n)),
      // Distinct fractions whose doubles may be equal, with parts on both sides of 2^53.
      fc
        .tuple(fc.bigInt({ min: 1n, max: 4n }), fc.bigInt({ min: big - 4n, max: big + 4n }))
        .map(([a, d]) => ratio(d - a, d)),
      fc
        .tuple(fc.bigInt({ min: 0n, max: 2n ** 64n }), fc.bigInt({ min: 1n, max: 2n ** 64n }))
        .map(([n, d]) => ratio(n, d)),
    );
    const standing = fc.record({
      total,
      tie: fc.integer({ min: 0, max: 3 }),
      forcedLast: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(standing, { maxLength: 40 }), (drawn) => {
        const entries: RankEntry[] = drawn.map((s, i) => ({
          unit: `u${String(i).padStart(2, "0")}`,
          total: s.total,
          tieKeys: [ratio(BigInt(s.tie))],
          forcedLast: s.forcedLast,
        }));
        const expected = [...entries].sort(compareStanding);
        expect(sortByStanding(entries, (e) => e)).toEqual(expected);
        // Input order never matters.
        expect(sortByStanding([...entries].reverse(), (e) => e)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe("competitionRanking's entries, from an embedder's own code", () => {
  it("refuses totals and tie keys that are not exact values, rather than ranking every unit first", () => {
    const plain = [
      { unit: "A", total: 80, tieKeys: [], forcedLast: false },
      { unit: "B", total: 90, tieKeys: [], forcedLast: false },
    ] as unknown as RankEntry[];
    expect(() => competitionRanking(plain)).toThrow(
      /entries\[0\]: must have a total and tieKeys that are exact values, as parseDecimal gives them/,
    );
    expect(() => competitionRanking(null as never)).toThrow(/entries: must be a list of entries to rank/);
    const noKeys = [{ unit: "A", total: parseDecimal("80"), forcedLast: false }] as unknown as RankEntry[];
    expect(() => competitionRanking(noKeys)).toThrow(/entries\[0\]: must have a total and tieKeys/);
    const exact: RankEntry[] = [
      { unit: "A", total: parseDecimal("80"), tieKeys: [], forcedLast: false },
      { unit: "B", total: parseDecimal("90"), tieKeys: [], forcedLast: false },
    ];
    expect(competitionRanking(exact).map((r) => [r.entry.unit, r.rank])).toEqual([
      ["B", 1],
      ["A", 2],
    ]);
  });
});
