import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Dataset } from "../dataset/dataset.js";
import { compose } from "../evaluation/compose.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { somePoints } from "./_test-scenarios.js";
import { syntheticYear } from "./_test-synthetic.js";
import { loadSeed2018, standingView } from "./_test-whatif.js";
import { applyScenario } from "./apply-scenario.js";
import { type Baseline, createBaseline } from "./baseline.js";
import { columnStageTwo } from "./column-stage-two.js";
import { fastStageTwo } from "./fast-stage-two.js";
import { exactFrac } from "./format-frac.js";
import type { ScenarioInput } from "./scenario.js";
import { standingsFromExact } from "./standing.js";
import { standingsOfColumns } from "./standing-columns.js";

const seed = await loadSeed2018();

const pointsArb = fc.integer({ min: 0, max: 6000 }).map((c) => (c / 100).toFixed(2));
/** Patches that keep a scenario weight-only: points, quotas, thresholds, ranking and ranked groups. */
const patchArb = fc
  .record(
    {
      business: pointsArb,
      organ: pointsArb,
      public: pointsArb,
      quota: fc.integer({ min: 0, max: 60 }),
      quotaRounding: fc.constantFrom("down", "half-up", "up"),
      quotaTies: fc.constantFrom("share", "exclude"),
      goodMin: fc.integer({ min: 5000, max: 9000 }).map((c) => (c / 100).toFixed(2)),
      poor: fc.record({
        below: fc.integer({ min: 5000, max: 9000 }).map((c) => (c / 100).toFixed(2)),
        percent: fc.integer({ min: 0, max: 60 }),
        from: fc.constantFrom("top", "bottom"),
        of: fc.constantFrom("ranked", "admitted"),
        rounding: fc.constantFrom("down", "half-up", "up"),
        ties: fc.constantFrom("share", "exclude"),
      }),
      tieBreakers: fc.boolean(),
      lastLosesAward: fc.boolean(),
      unrankFirstGroup: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  .filter(somePoints);
type Patch = typeof patchArb extends fc.Arbitrary<infer T> ? T : never;
type SchemePatchInput = NonNullable<ScenarioInput["patch"]>;

function scenarioOf(b: Baseline, p: Patch) {
  const categories: Record<string, { points: string }> = {};
  for (const id of ["business", "organ", "public"] as const)
    if (p[id] !== undefined) categories[id] = { points: p[id] };
  const scheme = b.compiled.scheme;
  const rules: NonNullable<NonNullable<SchemePatchInput["grades"]>["rules"]> = {};
  const quotaRule = scheme.grades.rules.find((r) => r.quota);
  const thresholdRule = scheme.grades.rules.find((r) => r.minTotal !== undefined);
  if ((p.quota !== undefined || p.quotaRounding !== undefined || p.quotaTies !== undefined) && quotaRule)
    rules[quotaRule.id] = {
      quota: {
        ...(p.quota !== undefined ? { percent: p.quota } : {}),
        ...(p.quotaRounding !== undefined ? { rounding: p.quotaRounding } : {}),
        ...(p.quotaTies !== undefined ? { ties: p.quotaTies } : {}),
      },
    };
  if (p.goodMin !== undefined && thresholdRule) rules[thresholdRule.id] = { minTotal: p.goodMin };
  if (p.poor !== undefined && scheme.grades.rules.some((r) => r.id === "poor"))
    rules.poor = {
      belowTotal: p.poor.below,
      quota: {
        percent: p.poor.percent,
        from: p.poor.from,
        of: p.poor.of,
        rounding: p.poor.rounding,
        ties: p.poor.ties,
      },
    };
  return {
    name: "weights and rules",
    patch: {
      categories,
      ...(Object.keys(rules).length > 0 ? { grades: { rules } } : {}),
      ...(p.tieBreakers !== undefined || p.lastLosesAward !== undefined
        ? {
            ranking: {
              ...(p.tieBreakers === false ? { tieBreakers: [] } : {}),
              ...(p.lastLosesAward !== undefined ? { lastLosesAward: p.lastLosesAward } : {}),
            },
          }
        : {}),
      ...(p.unrankFirstGroup ? { groups: { [scheme.groups[0]!.id]: { ranked: false } } } : {}),
    },
  };
}

const synthetic = (rollup?: "total" | "median-total" | "category" | "totals") => {
  const y = syntheticYear(
    90,
    3,
    5,
    rollup === undefined
      ? {}
      : rollup === "totals"
        ? { rollup, bonuses: true }
        : { rollup: rollup === "category" ? "category" : "total" },
  );
  // Sub-units' median share blended into the total (the generator blends a median into a category).
  if (rollup === "median-total")
    y.scheme.rollups = y.scheme.rollups!.map((r) => ({ ...r, aggregation: "median" }));
  return createBaseline(y.scheme, y.dataset);
};

/** Years whose sub-units sometimes have no result, under each rule for them. */
const missingSubUnits = (rollup: "total" | "totals" | "category" | "median") =>
  (["renormalize", "zero", "insufficient"] as const).map((missingSubUnit) => {
    const y = syntheticYear(90, 3, 5, {
      rollup,
      missingSubUnit,
      subUnitsWithoutResult: true,
      bonuses: rollup === "totals",
    });
    return createBaseline(y.scheme, y.dataset);
  });

describe("columnStageTwo", () => {
  const bases = [
    createBaseline(seed.scheme, seed.dataset),
    synthetic(),
    synthetic("total"),
    synthetic("median-total"),
    synthetic("totals"),
  ];

  it("holds the baseline in columns for schemes that round points and totals, the seed year included", () => {
    for (const b of bases) {
      expect(b.memo.columns).toBeDefined();
      expect(standingsOfColumns(b.memo.columns!.standings).map(standingView)).toEqual(
        b.standings.map(standingView),
      );
    }
  });

  it("leaves roll-ups into a category, and unrounded schemes, to the fraction path", () => {
    expect(synthetic("category").memo.columns).toBeUndefined();
    const y = syntheticYear(30, 2, 3);
    const unrounded = {
      ...y.scheme,
      rounding: { decimals: 2, mode: "half-up", stages: ["total"] },
    } as SchemeInput;
    expect(createBaseline(unrounded, y.dataset).memo.columns).toBeUndefined();
    // Adjustments were taken under the baseline's rounding: another mode is not a weight-only change.
    const b = bases[1]!;
    const halfEven = applyScenario(b.compiled.scheme, b.dataset, {
      name: "half-even",
      patch: { rounding: { mode: "half-even", stages: ["category", "adjustment", "total"] } },
    });
    expect(columnStageTwo(b.memo.columns!.model, halfEven.compiled)).toBeNull();
  });

  it("gives exactly what the fraction stage two and compose give, for any weight-only patch", () => {
    fc.assert(
      fc.property(patchArb, fc.integer({ min: 0, max: bases.length - 1 }), (p, which) => {
        const b = bases[which]!;
        const applied = applyScenario(b.compiled.scheme, b.dataset, scenarioOf(b, p));
        const columns = columnStageTwo(b.memo.columns!.model, applied.compiled);
        expect(columns).not.toBeNull();
        const fractions = fastStageTwo(applied.compiled, {
          dataset: b.dataset,
          outcomes: b.outcomes,
          adjustments: b.adjustments,
          memo: b.memo,
        });
        const pipeline = standingsFromExact(compose(applied.compiled, b.dataset, b.outcomes));
        expect(standingsOfColumns(columns!).map(standingView)).toEqual(fractions.map(standingView));
        expect(fractions.map(standingView)).toEqual(pipeline.map(standingView));
      }),
      { numRuns: 60 },
    );
  });

  it("gives what the fraction stage two and compose give for sub-units without a result, under each rule", () => {
    const intoTotal = [...missingSubUnits("total"), ...missingSubUnits("totals")];
    const intoCategory = [...missingSubUnits("category"), ...missingSubUnits("median")];
    // The years hold what the rules differ on: parents with a sub-unit without a result, and
    // under "insufficient" parents left without a total by it.
    for (const b of [...intoTotal, ...intoCategory]) {
      const rule = b.compiled.scheme.rollups[0]!.missingSubUnit;
      const parents = b.exact.units.filter((u) => u.rollups.some((r) => r.withoutResult > 0));
      expect(parents.length).toBeGreaterThan(3);
      const scored = parents.filter((u) => u.total !== null).length;
      expect(scored).toBe(rule === "insufficient" ? 0 : parents.length);
      expect(b.memo.columns !== undefined).toBe(intoTotal.includes(b));
    }
    fc.assert(
      fc.property(
        patchArb,
        fc.integer({ min: 0, max: intoTotal.length + intoCategory.length - 1 }),
        (p, which) => {
          const b = [...intoTotal, ...intoCategory][which]!;
          const applied = applyScenario(b.compiled.scheme, b.dataset, scenarioOf(b, p));
          const fractions = fastStageTwo(applied.compiled, {
            dataset: b.dataset,
            outcomes: b.outcomes,
            adjustments: b.adjustments,
            memo: b.memo,
          });
          const pipeline = standingsFromExact(compose(applied.compiled, b.dataset, b.outcomes));
          expect(fractions.map(standingView)).toEqual(pipeline.map(standingView));
          if (which >= intoTotal.length) return;
          const columns = columnStageTwo(b.memo.columns!.model, applied.compiled);
          expect(standingsOfColumns(columns!).map(standingView)).toEqual(fractions.map(standingView));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("ranks the same whether it starts from another ranking's order or not", () => {
    fc.assert(
      fc.property(patchArb, patchArb, fc.integer({ min: 0, max: bases.length - 1 }), (p, q, which) => {
        const b = bases[which]!;
        const model = b.memo.columns!.model;
        // A hint from another scenario: the same units, or (a group unranked) other ones.
        const hint = columnStageTwo(
          model,
          applyScenario(b.compiled.scheme, b.dataset, scenarioOf(b, q)).compiled,
        )!;
        const { compiled } = applyScenario(b.compiled.scheme, b.dataset, scenarioOf(b, p));
        const plain = columnStageTwo(model, compiled)!;
        for (const from of [hint.ranking, b.memo.columns!.standings.ranking])
          expect(columnStageTwo(model, compiled, from)!.ranking).toEqual(plain.ranking);
      }),
      { numRuns: 60 },
    );
  });

  it("rounds an exact half in fractions: 30.86 / 40 × 50 = 38.575 → 38.58", () => {
    const b = bases[0]!;
    const applied = applyScenario(b.compiled.scheme, b.dataset, {
      name: "reform",
      patch: { categories: { public: { points: 50 }, organ: { points: 20 } } },
    });
    const s = standingsOfColumns(columnStageTwo(b.memo.columns!.model, applied.compiled)!);
    const pub = applied.compiled.scheme.categories.findIndex((c) => c.id === "public");
    const u09 = s.find((x) => x.unit === "U09")!;
    expect(exactFrac(u09.points[pub]!)).toBe("38.58");
    expect(exactFrac(u09.total!)).toBe("82.94");
  });

  it("decides a rolled-up total that lands on a half in fractions, by the scheme's rounding mode", () => {
    // Parent 80.05 before its sub-unit counts; sub-unit public 28 of 40 (a share of 0.7):
    // 0.9 × 80.05 + 0.1 × 0.7 × 100 = 79.045, a half of a hundredth.
    const scheme = (mode: "half-up" | "half-even"): SchemeInput => ({
      id: "halves",
      version: 1,
      name: "halves",
      categories: [
        { id: "business", name: "business", points: 30, method: { kind: "direct" } },
        { id: "organ", name: "organ", points: 30, method: { kind: "direct" } },
        { id: "public", name: "public", points: 40, method: { kind: "direct" } },
      ],
      rollups: [{ id: "sub", source: { category: "public" }, share: 0.1, into: { total: true } }],
      groups: [{ id: "G", name: "G", ranked: true }],
      rounding: { decimals: 2, mode, stages: ["category", "total"] },
    });
    const dataset: Dataset = {
      units: [
        { id: "P", name: "parent", group: "G" },
        { id: "C", name: "child", group: "G", parent: "P" },
      ],
      scores: [
        { unit: "P", category: "business", value: "25.05" },
        { unit: "P", category: "organ", value: "25" },
        { unit: "P", category: "public", value: "30" },
        { unit: "C", category: "business", value: "20" },
        { unit: "C", category: "organ", value: "20" },
        { unit: "C", category: "public", value: "28" },
      ],
    };
    for (const [mode, expected] of [
      ["half-up", "79.05"],
      ["half-even", "79.04"],
    ] as const) {
      const b = createBaseline(scheme(mode), dataset);
      const parent = standingsOfColumns(b.memo.columns!.standings).find((s) => s.unit === "P")!;
      expect(exactFrac(parent.total!)).toBe(expected);
      const pipeline = standingsFromExact(b.exact).find((s) => s.unit === "P")!;
      expect(exactFrac(pipeline.total!)).toBe(expected);
    }
  });
});
