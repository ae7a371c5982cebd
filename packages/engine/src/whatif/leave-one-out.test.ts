import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import { parseDecimal } from "../rational.js";
import { syntheticYear } from "./_test-synthetic.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { applyScenario } from "./apply-scenario.js";
import { createBaseline } from "./baseline.js";
import { leaveOneOut } from "./leave-one-out.js";
import { compareWithBaseline, runScenario, scenarioStandings, weightOnlyInColumns } from "./run-scenario.js";
import { SweepNotLinearError } from "./sweep-not-linear-error.js";

const { scheme, dataset } = await loadSeed2018();
const seed = createBaseline(scheme, dataset);

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
});
