import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import type { Dataset } from "../dataset/dataset.js";
import {
  add,
  div,
  mul,
  parseDecimal,
  type Rational,
  ratio,
  round,
  sub,
  toExactString,
  ZERO,
} from "../rational.js";
import { syntheticYear } from "./_test-synthetic.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { applyScenario } from "./apply-scenario.js";
import { createBaseline } from "./baseline.js";
import { leaveOneOut } from "./leave-one-out.js";
import { compareWithBaseline, runScenario, scenarioStandings, weightOnlyInColumns } from "./run-scenario.js";
import { SweepNotLinearError } from "./sweep-not-linear-error.js";

const { scheme, dataset } = await loadSeed2018();
const seed = createBaseline(scheme, dataset);

/** Units' scores in a, b and c, each of 10: without a, rounding to whole points ties U1 and U6. */
const GRID_ROWS: Record<string, [number, number, number]> = {
  U1: [4, 10, 10],
  U2: [10, 9, 10],
  U3: [10, 10, 9],
  U4: [6, 9.6, 10],
  U5: [2, 8, 9.5],
  U6: [8, 10, 10],
};
const gridDataset: Dataset = {
  units: Object.keys(GRID_ROWS).map((id) => ({ id, name: id, group: "g" })),
  scores: Object.entries(GRID_ROWS).flatMap(([unit, row]) =>
    row.map((value, k) => ({ unit, category: "abc"[k]!, value })),
  ),
};

describe("leaveOneOut", () => {
  // Sub-units' totals, read as shares of the scheme's maximum (with a bonus cap), into a category.
  const y = syntheticYear(60, 2, 7, { rollup: "totals", bonuses: true });
  y.scheme.rollups = y.scheme.rollups!.map((r) => ({ ...r, into: { category: "organ" } }));
  const totalsIntoCategory = createBaseline(y.scheme, y.dataset);

  // What a shift says of a unit is the scenario's row for it, down to both ranks.
  const shiftOf = (u: {
    unit: string;
    baseline: { rank: number | null };
    scenario: { rank: number | null };
    rankDelta: number | null;
    totalDelta: string | null;
  }) => ({
    unit: u.unit,
    rank: u.baseline.rank,
    rankWithout: u.scenario.rank,
    rankDelta: u.rankDelta,
    totalDelta: u.totalDelta,
  });

  it.each([
    ["the seed year", seed],
    ["sub-unit totals rolled into a category", totalsIntoCategory],
  ])("matches a scenario with the category's points set to 0: %s", (_, base) => {
    const all = leaveOneOut(base);
    expect(all.map((c) => c.category).sort()).toEqual(["business", "organ", "public"]);
    for (const c of all) {
      const r = runScenario(base, { name: "x", patch: { categories: { [c.category]: { points: 0 } } } });
      expect(c.meanAbsoluteRankShift).toBe(r.overall.meanAbsoluteRankShift);
      expect(c.shifts).toEqual(r.units.map(shiftOf));
    }
    for (let i = 1; i < all.length; i++)
      expect(all[i - 1]!.meanAbsoluteRankShift).toBeGreaterThanOrEqual(all[i]!.meanAbsoluteRankShift);
  });

  it("names a rescale that is no flag, an option it does not read, and options that are no object", () => {
    const run = (options: unknown) => () => leaveOneOut(seed, options as never);
    expect(run({ rescale: "false" })).toThrow(
      /^invalid leave-one-out options \(1 problem\):\n {2}rescale: must be true or false$/,
    );
    expect(run({ rescal: true })).toThrow(/rescal: unknown option \(misspelt\?\); known: rescale/);
    expect(run(null)).toThrow(/\(root\): must be an object of options/);
  });

  it("refuses to leave out a category that holds every point: no ranking would be left to compare", () => {
    const only = directScheme({
      categories: directScheme().categories.map((c) => ({ ...c, points: c.id === "public" ? 100 : 0 })),
    });
    const b = createBaseline(
      only,
      directDataset([
        ["20", "25", "80"],
        ["25", "20", "90"],
      ]),
    );
    for (const rescale of [false, true])
      expect(() => leaveOneOut(b, { rescale })).toThrow(
        new SweepNotLinearError(
          `leave-one-out cannot leave out "public": it holds all of the scheme's 100 points, so without it no unit could score and there would be no ranking to compare`,
          { reason: "category-holds-every-point", category: "public", categories: ["public"], rollup: null },
        ),
      );
  });

  it("keeps a unit insufficient in the category left out without a total: its points go, not its result", () => {
    const rows = directDataset([
      ["20", "25", "80"],
      ["25", "20", "90"],
      ["28", "28", "70"],
    ]);
    // U3 has no public score: insufficient there, so no total with or without public's points.
    const b = createBaseline(directScheme(), {
      ...rows,
      scores: (rows.scores ?? []).filter((s) => !(s.unit === "U3" && s.category === "public")),
    });
    const noPublic = leaveOneOut(b).find((c) => c.category === "public")!;
    expect(noPublic.shifts.find((s) => s.unit === "U3")).toEqual({
      unit: "U3",
      rank: null,
      rankWithout: null,
      rankDelta: null,
      totalDelta: null,
    });
    // The units ranked are U1 and U2 on both sides: 77 and 81 with public, 45 and 45 (tied
    // first) without it. U3's 56 without public is not ranked among them.
    const ranks = noPublic.shifts.map((s) => [s.unit, s.rank, s.rankWithout]);
    expect(ranks.sort()).toEqual([
      ["U1", 2, 1],
      ["U2", 1, 1],
      ["U3", null, null],
    ]);
  });

  it("rescales the rest exactly, even where the points do not terminate", () => {
    const all = leaveOneOut(seed, { rescale: true });
    const noBusiness = all.find((c) => c.category === "business")!;
    expect(noBusiness.points).toEqual({ business: "0", organ: "300/7", public: "400/7" });
    const noPublic = all.find((c) => c.category === "public")!;
    expect(noPublic.points).toEqual({ business: "50", organ: "50", public: "0" });
    const r = runScenario(seed, {
      name: "x",
      patch: { categories: { public: { points: 0 }, business: { points: 50 }, organ: { points: 50 } } },
    });
    expect(noPublic.shifts).toEqual(r.units.map(shiftOf));
  });

  it("gives in columns what the fraction path gives, for points with no decimal form (300/7)", () => {
    const noBusiness = leaveOneOut(seed, { rescale: true }).find((c) => c.category === "business")!;
    const applied = applyScenario(seed.compiled.scheme, seed.dataset, {
      name: "x",
      patch: { categories: { business: { points: "0" }, organ: { points: "30" }, public: { points: "40" } } },
    });
    const points = new Map([
      ["business", parseDecimal("0")],
      ["organ", { n: 300n, d: 7n }],
      ["public", { n: 400n, d: 7n }],
    ]);
    const exact = { ...applied, compiled: { ...applied.compiled, points } };
    const eager = compareWithBaseline(
      seed,
      applied.compiled.scheme,
      scenarioStandings(seed, exact).standings,
    );
    expect(weightOnlyInColumns(seed, exact)).not.toBeNull();
    expect(noBusiness.shifts).toEqual(eager.units.map(shiftOf));
  });

  describe("a category whose loss leaves a maximum off the published grid", () => {
    // 12.5 + 12.5 + 75 to whole points: without a, the maximum is 87.5, which a scheme written
    // so would be refused for (a full total would publish as 88); the baseline itself is sound.
    const grid = createBaseline(
      {
        id: "grid",
        version: 1,
        name: "off-grid remainder",
        categories: (["a", "b", "c"] as const).map((id, k) => ({
          id,
          name: id,
          points: [12.5, 12.5, 75][k]!,
          method: { kind: "direct" as const, outOf: 10 },
        })),
        groups: [{ id: "g", name: "G" }],
        rounding: { decimals: 0, stages: ["total"] },
      },
      gridDataset,
    );
    const nominal = { a: parseDecimal(12.5), b: parseDecimal(12.5), c: parseDecimal(75) };

    it("runs, with and without rescale, and keeps refusing such a scheme written as a scenario", () => {
      for (const rescale of [false, true])
        expect(
          leaveOneOut(grid, { rescale })
            .map((c) => c.category)
            .sort(),
        ).toEqual(["a", "b", "c"]);
      expect(() => runScenario(grid, { name: "x", patch: { categories: { a: { points: 0 } } } })).toThrow(
        /the scheme's maximum 87\.5 .* is not on the published grid/,
      );
    });

    it.each([false, true])(
      "ranks by totals summed exactly and rounded as the scheme rounds them (rescale: %s)",
      (rescale) => {
        const before = byHand(nominal);
        for (const c of leaveOneOut(grid, { rescale })) {
          const points = Object.fromEntries(
            Object.entries(c.points).map(([id, p]) => [id, parseFraction(p)]),
          ) as typeof nominal;
          const after = byHand(points);
          const expected = Object.keys(before)
            .sort()
            .map((unit) => ({
              unit,
              rank: before[unit]!.rank,
              rankWithout: after[unit]!.rank,
              rankDelta: after[unit]!.rank - before[unit]!.rank,
              totalDelta: toExactString(sub(after[unit]!.total, before[unit]!.total)),
            }));
          expect([...c.shifts].sort((x, y) => (x.unit < y.unit ? -1 : 1))).toEqual(expected);
        }
        // Without a, U1's full marks in b and c (87.5) publish as 88 and tie U6's exact 88.
        if (!rescale) {
          const withoutA = byHand({ ...nominal, a: ZERO });
          expect(withoutA.U1).toEqual({ total: parseDecimal(88), rank: 1 });
          expect(withoutA.U6).toEqual({ total: parseDecimal(88), rank: 1 });
        }
      },
    );

    it("matches the scenario where the rest is on the grid (c left out: 25 points)", () => {
      const withoutC = leaveOneOut(grid).find((c) => c.category === "c")!;
      const r = runScenario(grid, { name: "x", patch: { categories: { c: { points: 0 } } } });
      expect(withoutC.shifts).toEqual(r.units.map(shiftOf));
    });

    /** Each unit's total under `points`, exact and rounded half-up to whole points, and its rank by it. */
    function byHand(points: Record<"a" | "b" | "c", Rational>) {
      const totals = Object.entries(GRID_ROWS).map(([unit, scores]) => {
        let t = ZERO;
        (["a", "b", "c"] as const).forEach((id, k) => {
          t = add(t, mul(div(parseDecimal(scores[k]!), ratio(10)), points[id]));
        });
        return [unit, round(t, 0, "half-up")] as const;
      });
      return Object.fromEntries(
        totals.map(([unit, total]) => [
          unit,
          // Ties share the better rank: one more than the units strictly ahead.
          { total, rank: 1 + totals.filter(([, t]) => sub(t, total).n > 0n).length },
        ]),
      );
    }
  });
});

/** "n/d" or a decimal, exactly. */
function parseFraction(text: string): Rational {
  const [n, d] = text.split("/");
  return d === undefined ? parseDecimal(n!) : div(parseDecimal(n!), parseDecimal(d));
}
