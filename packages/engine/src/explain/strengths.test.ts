import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { argumentIssues } from "../_test-argument-issues.js";
import { directDataset, directScheme } from "../_test-schemes.js";
import type { Dataset } from "../dataset/dataset.js";
import { evaluate } from "../evaluation/evaluate.js";
import { InputError } from "../input-error.js";
import { cmp, parseDecimal } from "../rational.js";
import { loadSeed2019 } from "../whatif/_test-whatif.js";
import { strengthsAndWeaknesses } from "./strengths.js";

describe("strengthsAndWeaknesses on the seed year", () => {
  it("2019, 市市场监督管理局 (U09): strongest in business work, weakest in public evaluation", async () => {
    const { scheme, dataset } = await loadSeed2019();
    const s = strengthsAndWeaknesses(evaluate(scheme, dataset), "U09");
    expect(s).toMatchObject({
      unit: "U09",
      name: "市市场监督管理局",
      group: "law-enforcement",
      groupRanked: true,
      total: "82.94",
      rank: 9,
      rankedInGroup: 29,
      count: 1,
    });
    // By hand from the 2019 table: 6 units above 26.40 in business work, 10 above 17.96 in organ
    // construction, 17 above 38.58 in public evaluation; the 15th of 29 values is the median.
    expect(s.categories).toEqual([
      {
        category: "business",
        name: "业务工作 business work",
        status: "scored",
        points: "26.40",
        maxPoints: "30.00",
        share: "0.88",
        sharePercent: "88.00",
        rank: 7,
        of: 29,
        median: "25.1",
        gapToMedian: "1.3",
      },
      {
        category: "organ",
        name: "机关建设 organ construction",
        status: "scored",
        points: "17.96",
        maxPoints: "20.00",
        share: "0.898",
        sharePercent: "89.80",
        rank: 11,
        of: 29,
        median: "17.2",
        gapToMedian: "0.76",
      },
      {
        category: "public",
        name: "开门评议 public evaluation",
        status: "scored",
        points: "38.58",
        maxPoints: "50.00",
        share: "0.7716",
        sharePercent: "77.16",
        rank: 18,
        of: 29,
        median: "39.28",
        gapToMedian: "-0.7",
      },
    ]);
    // Organ construction has the larger share of its maximum, business work the better rank.
    expect(s.strongest.map((c) => c.category)).toEqual(["business"]);
    expect(s.weakest.map((c) => c.category)).toEqual(["public"]);
  });
});

describe("strengthsAndWeaknesses by hand", () => {
  const scheme = directScheme({
    groups: [
      { id: "g1", name: "one" },
      { id: "g2", name: "two", ranked: false },
    ],
  });
  // business of 30, organ of 30, public of 100 (×0.4 = points).
  const base = directDataset([
    [28, 20, 90],
    [28, 25, 80],
    [25, 25, 80],
    [20, 10, 50],
    [30, 30, 100],
  ]);
  const dataset: Dataset = {
    ...base,
    units: base.units.map((u, i) => (i === 4 ? { ...u, group: "g2" } : u)),
  };
  const ev = evaluate(scheme, dataset);

  it("ranks ties as 1224 within the group only, with an even count's median between the middle two", () => {
    const s = strengthsAndWeaknesses(ev, "U2");
    const [business, organ, pub] = s.categories;
    // Business 28, 28, 25, 20 in g1 (U5's 30 is in g2): U1 and U2 share 1st.
    expect(business).toMatchObject({ rank: 1, of: 4, median: "26.5", gapToMedian: "1.5" });
    // Organ 20, 25, 25, 10: U2 and U3 share 1st.
    expect(organ).toMatchObject({ rank: 1, of: 4, median: "22.5", gapToMedian: "2.5" });
    // Public 36, 32, 32, 20: U2 and U3 share 2nd, the next would be 4th.
    expect(pub).toMatchObject({ points: "32.00", rank: 2, of: 4, median: "32", gapToMedian: "0" });
    expect(strengthsAndWeaknesses(ev, "U4").categories.map((c) => c.rank)).toEqual([4, 4, 4]);
  });

  it("orders equal ranks by share of maximum, and never lists a category as both", () => {
    const s = strengthsAndWeaknesses(ev, "U2", { count: 3 });
    // Business 28/30 = 93.33% and organ 25/30 = 83.33% are both 1st: business first.
    expect(s.strongest.map((c) => c.category)).toEqual(["business"]);
    expect(s.weakest.map((c) => c.category)).toEqual(["public"]);
    expect(s.count).toBe(1);
  });

  it("works in an unranked group: category ranks are comparisons within it", () => {
    const s = strengthsAndWeaknesses(ev, "U5");
    expect(s).toMatchObject({ groupRanked: false, rank: null });
    expect(s.categories.map((c) => [c.rank, c.of])).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
  });

  it("leaves a category without points out of its ranks and of the lists", () => {
    const missing: Dataset = {
      ...dataset,
      scores: dataset.scores!.filter((x) => !(x.unit === "U1" && x.category === "public")),
    };
    const e = evaluate(scheme, missing);
    const s = strengthsAndWeaknesses(e, "U1");
    expect(s.total).toBeNull();
    expect(s.categories[2]).toMatchObject({
      status: "insufficient",
      points: null,
      share: null,
      rank: null,
      of: 3,
      median: "32",
      gapToMedian: null,
    });
    // Two categories ranked: one strongest, one weakest.
    expect([s.strongest.map((c) => c.category), s.weakest.map((c) => c.category)]).toEqual([
      ["business"],
      ["organ"],
    ]);
    expect(strengthsAndWeaknesses(e, "U2").categories[2]).toMatchObject({ rank: 1, of: 3 });
  });

  it("refuses an unknown unit, a count that is not a whole number of at least 1 and a misspelt option", () => {
    const issues = argumentIssues;
    expect(issues(() => strengthsAndWeaknesses(ev, "U9"))).toEqual(['unit: unknown unit "U9"']);
    expect(issues(() => strengthsAndWeaknesses(ev, "U1", { count: 0 }))).toEqual([
      "count: must be a whole number of at least 1, not 0",
    ]);
    expect(issues(() => strengthsAndWeaknesses(ev, "U9", { count: 1.5 }))).toEqual([
      "count: must be a whole number of at least 1, not 1.5",
      'unit: unknown unit "U9"',
    ]);
    expect(issues(() => strengthsAndWeaknesses(ev, "U1", { cuont: 2 } as never))).toEqual([
      "cuont: unknown option (misspelt?); known: count",
    ]);
  });
});

describe("strengthsAndWeaknesses properties", () => {
  // Few distinct values, so ties are common.
  const score = (max: number) =>
    fc.constantFrom(max, max * 0.9, max * 0.8, max * 0.5).map((v) => v.toFixed(2));
  const rows = fc.array(fc.tuple(score(30), score(30), score(100), fc.boolean()), {
    minLength: 1,
    maxLength: 12,
  });
  const scheme = directScheme({
    groups: [
      { id: "g1", name: "one" },
      { id: "g2", name: "two" },
    ],
  });

  it("each category's ranks are the competition ranks of the points in the unit's group", () => {
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 3 }), (r, count) => {
        const base = directDataset(r.map(([b, o, p]) => [b, o, p] as const));
        const ds = { ...base, units: base.units.map((u, i) => ({ ...u, group: r[i]![3] ? "g1" : "g2" })) };
        const ev = evaluate(scheme, ds);
        for (const u of ev.units) {
          const s = strengthsAndWeaknesses(ev, u.unit, { count });
          const peers = ev.units.filter((p) => p.group === u.group);
          s.categories.forEach((c, i) => {
            const mine = parseDecimal(c.points!);
            const above = peers.filter((p) => cmp(parseDecimal(p.categories[i]!.points!), mine) > 0).length;
            expect(c.rank).toBe(1 + above);
            expect(c.of).toBe(peers.length);
          });
          expect(s.count).toBe(Math.min(count, 1));
          const named = [...s.strongest, ...s.weakest].map((c) => c.category);
          expect(new Set(named).size).toBe(named.length);
          // Nothing listed as strongest ranks below anything listed as weakest.
          for (const a of s.strongest)
            for (const b of s.weakest) expect(a.rank!).toBeLessThanOrEqual(b.rank!);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("a caller passing something other than an evaluation", () => {
  it("gets the engine's InputError naming the argument, not a TypeError", () => {
    expect(() => strengthsAndWeaknesses(undefined as never, "U1")).toThrow(InputError);
    expect(() => strengthsAndWeaknesses(undefined as never, "U1")).toThrow(
      /evaluation: must be an evaluation, as evaluate returns it/,
    );
  });
});
