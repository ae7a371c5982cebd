import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDecimal, type Rational, ratio } from "../rational.js";
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

  it("refuses an entry whose forcedLast is missing or not true or false, rather than ranking 90 below 70", () => {
    const e = (unit: string, total: string, extra: object) =>
      ({ unit, total: parseDecimal(total), tieKeys: [], ...extra }) as unknown as RankEntry;
    // Before: [C:1, B:2, A:3], undefined !== false making the comparator inconsistent.
    expect(() =>
      competitionRanking([e("A", "50", {}), e("B", "90", {}), e("C", "70", { forcedLast: false })]),
    ).toThrow("entries[0].forcedLast: must be true or false; got nothing");
    expect(() =>
      competitionRanking([e("A", "50", { forcedLast: false }), e("B", "90", { forcedLast: "true" })]),
    ).toThrow('entries[1].forcedLast: must be true or false; got text "true"');
  });

  it("refuses a total or tie key whose denominator is not above 0, which reads it with the wrong sign", () => {
    const e = (unit: string, total: Rational, tieKeys: Rational[] = []): RankEntry => ({
      unit,
      total,
      tieKeys,
      forcedLast: false,
    });
    // Before: 1/−2 stood above 0.
    expect(() => competitionRanking([e("A", { n: 0n, d: 1n }), e("B", { n: 1n, d: -2n })])).toThrow(
      /entries\[1\]: must have a total and tieKeys that are exact values/,
    );
    expect(() => competitionRanking([e("A", { n: 1n, d: 1n }, [{ n: 1n, d: 0n }])])).toThrow(
      /entries\[0\]: must have a total and tieKeys that are exact values/,
    );
  });

  it("refuses a list with one entry's forcedLast left out, wherever it stands", () => {
    const standing = fc.record({ total: fc.integer({ min: 0, max: 100 }), forcedLast: fc.boolean() });
    fc.assert(
      fc.property(fc.array(standing, { minLength: 1, maxLength: 20 }), fc.nat(), (drawn, pick) => {
        const entries = drawn.map(
          (s, i): Partial<RankEntry> => ({
            unit: `u${i}`,
            total: ratio(BigInt(s.total)),
            tieKeys: [],
            forcedLast: s.forcedLast,
          }),
        );
        const at = pick % entries.length;
        delete entries[at]!.forcedLast;
        expect(() => competitionRanking(entries as RankEntry[])).toThrow(
          `entries[${at}].forcedLast: must be true or false; got nothing`,
        );
      }),
    );
  });
});
