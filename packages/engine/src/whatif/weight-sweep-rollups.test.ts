import { describe, expect, it } from "vitest";
import { syntheticYear } from "./_test-synthetic.js";
import { bruteForce, parentYear } from "./_test-weight-sweep.js";
import { createBaseline } from "./baseline.js";
import { SweepNotLinearError } from "./sweep-not-linear-error.js";
import { weightSweep } from "./weight-sweep.js";

// Weight sweeps of years with sub-units rolled up into their parents.

describe("weightSweep", () => {
  it("agrees with re-evaluation with roll-ups that stay linear", () => {
    for (const rollup of ["total", "category"] as const) {
      const y = syntheticYear(60, 2, 5, { rollup });
      const b = createBaseline(y.scheme, y.dataset);
      expect(bruteForce(b, { category: "public", from: 0, to: 80 }).checked).toBeGreaterThan(0);
    }
    // Two years re-evaluated at and between every breakpoint.
  }, 60_000);

  it("agrees with re-evaluation when sub-units' totals roll into a total under a bonus cap", () => {
    // The total's maximum moves with the swept points; a sub-unit's share of it, applied to it,
    // is its total, so the parent's total stays linear.
    const y = syntheticYear(60, 2, 5, { rollup: "totals", bonuses: true });
    const b = createBaseline(y.scheme, y.dataset);
    expect(bruteForce(b, { category: "public", from: 0, to: 80 }).checked).toBeGreaterThan(0);
    expect(bruteForce(b, { category: "public", from: 0, to: 80, others: "rescale" }).checked).toBeGreaterThan(
      0,
    );
  }, 60_000);

  it("agrees with re-evaluation when sub-units without a result are left out, count as 0 or leave none", () => {
    const cases = [
      ["category", "zero"],
      ["category", "insufficient"],
      ["total", "renormalize"],
      ["total", "zero"],
      ["totals", "zero"],
      ["totals", "insufficient"],
    ] as const;
    for (const [rollup, missingSubUnit] of cases) {
      const y = syntheticYear(40, 2, 5, {
        rollup,
        missingSubUnit,
        subUnitsWithoutResult: true,
        bonuses: rollup === "totals",
      });
      const b = createBaseline(y.scheme, y.dataset);
      // Public evaluation swept from 0, where the roll-ups that read it have nothing to read.
      const { sweep, checked } = bruteForce(b, { category: "public", from: 0, to: 80 });
      expect(checked).toBeGreaterThan(0);
      const none = sweep.units.filter((u) => u.segments.length === 0).length;
      if (missingSubUnit === "insufficient") expect(none).toBeGreaterThan(0);
    }
    const y = syntheticYear(40, 2, 5, {
      rollup: "total",
      missingSubUnit: "zero",
      subUnitsWithoutResult: true,
    });
    const b = createBaseline(y.scheme, y.dataset);
    expect(bruteForce(b, { category: "business", others: "rescale" }).checked).toBeGreaterThan(0);
  }, 120_000);

  it("rolls sub-units up from a category whose nominal points are 0", () => {
    // At a = 0 the roll-up has nothing to read; anywhere above, P takes half its sub-unit's share.
    const zero = parentYear(
      [0, 100],
      { id: "r", source: { category: "a" }, share: 0.5, into: { category: "a" } },
      { P: [0, 50], C: [100, 50], Q: [30, 50] },
    );
    // P = 50 + 0.5·x, Q = 50 + 0.3·x: P leads from the start of the range.
    const p = weightSweep(zero, { category: "a", from: 0, to: 100 }).units.find((u) => u.unit === "P")!;
    expect(p.segments.map((s) => [s.from, s.to, s.rank])).toEqual([["0", "100", 1]]);
    expect(bruteForce(zero, { category: "a", from: 0, to: 100 }).checked).toBeGreaterThan(0);
  });

  it("refuses roll-ups that would make totals non-linear", () => {
    const y = syntheticYear(40, 2, 5, { rollup: "median" });
    const b = createBaseline(y.scheme, y.dataset);
    // the median of sub-units' public shares is constant unless sub-units have public deductions
    expect(() => weightSweep(b, { category: "public" })).not.toThrow();
    const withHits = createBaseline(
      {
        ...y.scheme,
        findingTypes: [{ id: "c", name: "c", category: "public", levels: { city: { perFinding: 5 } } }],
      },
      {
        ...y.dataset,
        findings: y.dataset.units.map((u, i) => ({ id: `f${i}`, unit: u.id, type: "c", level: "city" })),
      },
    );
    expect(() => weightSweep(withHits, { category: "public" })).toThrow(SweepNotLinearError);
  });
});

describe("weightSweep where a roll-up's source category is worth 0 points", () => {
  // P's sub-unit C scores 100 on a; the roll-up gives P half of that share of b. Where a is
  // worth 0 a fresh evaluation has no share to read and skips the roll-up: P keeps its own b.
  const year = (aPoints: number) =>
    createBaseline(
      {
        id: "s",
        version: 1,
        name: "s",
        categories: [
          { id: "a", name: "A", points: aPoints, method: { kind: "direct", outOf: 100 } },
          { id: "b", name: "B", points: 80, method: { kind: "direct", outOf: 100 } },
          { id: "c", name: "C", points: 20, method: { kind: "direct", outOf: 100 } },
        ],
        rollups: [{ id: "r", source: { category: "a" }, share: 0.5, into: { category: "b" } }],
        ranking: { tieBreakers: [{ category: "b" }] },
        groups: [
          { id: "g1", name: "G1" },
          { id: "solo", name: "solo", ranked: false },
          { id: "subs", name: "subs", ranked: false },
        ],
        grades: {
          rules: [
            { id: "top", name: "top", quota: { count: 1 } },
            { id: "good", name: "good", minTotal: 70 },
          ],
          fallback: { id: "pass", name: "pass" },
        },
        rounding: { stages: [] },
      },
      {
        units: [
          { id: "P", name: "P", group: "g1" },
          { id: "C", name: "C", group: "subs", parent: "P" },
          { id: "Q", name: "Q", group: "g1" },
          { id: "R", name: "R", group: "solo" },
          { id: "D", name: "D", group: "subs", parent: "R" },
        ],
        scores: [
          ["P", 0, 50, 100],
          ["C", 100, 0, 0],
          ["Q", 0, 75, 0],
          ["R", 0, 50, 100],
          ["D", 100, 0, 0],
        ].flatMap(([unit, a, b, c]) => [
          { unit: unit as string, category: "a", value: a as number },
          { unit: unit as string, category: "b", value: b as number },
          { unit: unit as string, category: "c", value: c as number },
        ]),
      },
    );
  const unit = (sweep: { units: { unit: string }[] }, id: string) =>
    sweep.units.find((u) => u.unit === id) as ReturnType<typeof weightSweep>["units"][number];

  it("reports at x = 0 the evaluation's rank and grade, with the roll-up skipped there", () => {
    // Above 0: P = 20 + 40 + 20 = 80 leads Q = 60. At 0: P = 40 + 20 = 60 ties Q on totals and
    // loses on the tie-breaker b (40 against 60); the line's limit would keep P first.
    const { sweep } = bruteForce(year(20), { category: "a" });
    expect(unit(sweep, "P").segments).toEqual([
      { from: "0", to: "0", includesFrom: true, includesTo: true, rank: 2, grade: "pass" },
      { from: "0", to: "120", includesFrom: false, includesTo: true, rank: 1, grade: "top" },
    ]);
    expect(unit(sweep, "Q").segments).toEqual([
      { from: "0", to: "0", includesFrom: true, includesTo: true, rank: 1, grade: "top" },
      { from: "0", to: "120", includesFrom: false, includesTo: true, rank: 2, grade: "pass" },
    ]);
    expect(unit(sweep, "P").breakpoints).toEqual(["0"]);
    // The stability interval around the nominal 20 stops short of 0.
    expect(unit(sweep, "P").stability).toEqual({
      from: "0",
      to: "120",
      includesFrom: false,
      includesTo: true,
    });
    // R, in an unranked group, is good by threshold above 0 only (60 < 70 at 0).
    expect(
      unit(sweep, "R").segments.map((s) => [s.from, s.to, s.includesFrom, s.includesTo, s.grade]),
    ).toEqual([
      ["0", "0", true, true, "pass"],
      ["0", "120", false, true, "good"],
    ]);
  });

  it("gives a nominal of 0 points the evaluation's state and a stability of that point alone", () => {
    const { sweep } = bruteForce(year(0), { category: "a", to: 50 });
    expect(unit(sweep, "P").nominal).toEqual({ rank: 2, grade: "pass" });
    expect(unit(sweep, "P").stability).toEqual({ from: "0", to: "0", includesFrom: true, includesTo: true });
    expect(unit(sweep, "R").nominal).toEqual({ rank: null, grade: "pass" });
    expect(unit(sweep, "R").stability).toEqual({ from: "0", to: "0", includesFrom: true, includesTo: true });
  });

  it("keeps the line where the sweep starts above 0", () => {
    const { sweep } = bruteForce(year(20), { category: "a", from: 10 });
    expect(unit(sweep, "P").segments.map((s) => [s.from, s.to, s.rank])).toEqual([["10", "120", 1]]);
  });

  it("reports the evaluation's state where rescaled categories a roll-up reads reach 0", () => {
    // Sweeping b with a rescaled (a = 100 − x): at b = 100 a is worth 0 and the roll-up into
    // the total is skipped, so P = 50 there against the line's 75, behind Q = 60.
    const rescaled = parentYear(
      [20, 80],
      { id: "r", source: { category: "a" }, share: 0.5, into: { total: true } },
      { P: [0, 50], C: [100, 0], Q: [0, 60] },
      { rules: [{ id: "top", name: "top", quota: { count: 1 } }], fallback: { id: "pass", name: "pass" } },
    );
    const { sweep } = bruteForce(rescaled, { category: "b", others: "rescale" });
    const row = (id: string) =>
      unit(sweep, id).segments.map((s) => [s.from, s.to, s.includesFrom, s.includesTo, s.rank, s.grade]);
    expect(row("P")).toEqual([
      ["0", "100", true, false, 1, "top"],
      ["100", "100", true, true, 2, "pass"],
    ]);
    expect(row("Q")).toEqual([
      ["0", "100", true, false, 2, "pass"],
      ["100", "100", true, true, 1, "top"],
    ]);
    expect(unit(sweep, "P").stability).toEqual({
      from: "0",
      to: "100",
      includesFrom: true,
      includesTo: false,
    });
  });

  it("agrees with re-evaluation for synthetic roll-ups swept from 0 and rescaled to the total", () => {
    const y = syntheticYear(60, 2, 5, { rollup: "total" });
    const b = createBaseline(y.scheme, y.dataset);
    expect(bruteForce(b, { category: "business", others: "rescale" }).checked).toBeGreaterThan(0);
  }, 30_000);
});
