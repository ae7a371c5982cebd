import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { somePoints } from "./_test-scenarios.js";
import { syntheticYear } from "./_test-synthetic.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { applyScenario } from "./apply-scenario.js";
import { createBaseline } from "./baseline.js";
import { unitChangesOf } from "./compare-standings.js";
import { compareWithBaseline, runScenario, scenarioStandings } from "./run-scenario.js";

const seed = await loadSeed2018();
const bases = [
  createBaseline(seed.scheme, seed.dataset),
  (() => {
    const y = syntheticYear(150, 3, 9, { rollup: "total" });
    return createBaseline(y.scheme, y.dataset);
  })(),
];

const pointsArb = fc.integer({ min: 0, max: 6000 }).map((c) => (c / 100).toFixed(2));
const patchArb = fc
  .record(
    {
      business: pointsArb,
      organ: pointsArb,
      public: pointsArb,
      quota: fc.integer({ min: 0, max: 60 }),
      /** A group (by position) whose `ranked` flag the scenario flips. */
      flipRanked: fc.integer({ min: 0, max: 4 }),
    },
    { requiredKeys: [] },
  )
  .filter(somePoints);

function scenarioOf(p: typeof patchArb extends fc.Arbitrary<infer T> ? T : never, which = 0) {
  const group = p.flipRanked === undefined ? undefined : bases[which]!.compiled.scheme.groups[p.flipRanked];
  const categories: Record<string, { points: string }> = {};
  for (const id of ["business", "organ", "public"] as const)
    if (p[id] !== undefined) categories[id] = { points: p[id] };
  return {
    name: "weights",
    patch: {
      categories,
      ...(p.quota !== undefined ? { grades: { rules: { excellent: { quota: { percent: p.quota } } } } } : {}),
      ...(group ? { groups: { [group.id]: { ranked: !group.ranked } } } : {}),
    },
  };
}

/** The same scenario through standings (objects, fractions) and the eager comparison. */
function byStandings(which: number, scenario: ReturnType<typeof scenarioOf>) {
  const b = bases[which]!;
  const applied = applyScenario(b.compiled.scheme, b.dataset, scenario);
  const { standings } = scenarioStandings(b, applied);
  return { standings, comparison: compareWithBaseline(b, applied.compiled.scheme, standings) };
}

describe("compareColumns (a weight-only scenario in columns)", () => {
  it("is what runScenario uses for these baselines", () => {
    for (const b of bases) expect(b.memo.columns).toBeDefined();
  });

  it("gives the same rows, order, swaps, changes and statistics as the comparison of standings", () => {
    fc.assert(
      fc.property(patchArb, fc.integer({ min: 0, max: bases.length - 1 }), (p, which) => {
        const scenario = scenarioOf(p, which);
        const r = runScenario(bases[which]!, scenario);
        const { comparison: eager } = byStandings(which, scenario);
        expect(r.unitChanges.length).toBe(eager.units.length);
        // Rows read one at a time first (nothing built in bulk), then the whole list.
        for (let k = 0; k < Math.min(20, eager.units.length); k++)
          expect(r.unitChanges.at(k)).toEqual(eager.units[k]);
        expect(r.units).toEqual(eager.units);
        expect(r.swapCount).toBe(eager.swaps.length);
        expect(r.swaps).toEqual(eager.swaps);
        expect(r.gradeChanges).toEqual(eager.gradeChanges);
        expect(r.eligibilityChanges).toEqual(eager.eligibilityChanges);
        expect(r.groups).toEqual(eager.groups);
        expect(r.overall).toEqual(eager.overall);
      }),
      { numRuns: 40 },
    );
  });

  it("refuses a row outside the list, on both paths", () => {
    const r = runScenario(bases[0]!, scenarioOf({ public: "50" }));
    expect(() => r.unitChanges.at(r.unitChanges.length)).toThrow(RangeError);
    expect(() => unitChangesOf(r.units, []).at(-1)).toThrow(RangeError);
  });

  it("selects the same rows as filtering the built list", () => {
    const filterArb = fc.record(
      {
        group: fc.constantFrom("G01", "G02", "G03", "nowhere"),
        unitIds: fc.uniqueArray(fc.integer({ min: 1, max: 150 }), { maxLength: 20 }),
        movedOnly: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(patchArb, filterArb, (p, f) => {
        const r = runScenario(bases[1]!, scenarioOf(p, 1));
        const filter = {
          group: f.group,
          movedOnly: f.movedOnly,
          unitIds: f.unitIds ? new Set(f.unitIds.map((n) => `U${String(n).padStart(5, "0")}`)) : undefined,
        };
        const built = unitChangesOf(
          r.units,
          bases[1]!.compiled.scheme.groups.map((g) => g.id),
        );
        if (filter.group === "nowhere") {
          // Both paths refuse a group the comparison does not have, naming it.
          expect(() => r.unitChanges.select(filter)).toThrow(/group: unknown group "nowhere"/);
          expect(() => built.select(filter)).toThrow(/group: unknown group "nowhere"/);
        } else expect(r.unitChanges.select(filter)).toEqual(built.select(filter));
      }),
      { numRuns: 40 },
    );
  });

  it("builds the scenario's standings on request, equal to the fraction path's", () => {
    const scenario = scenarioOf({ public: "55", business: "25" });
    const r = runScenario(bases[1]!, scenario);
    const { standings } = byStandings(1, scenario);
    const texts = (s: (typeof standings)[number]) => ({
      unit: s.unit,
      total: s.total && Number(s.total.n) / Number(s.total.d),
      rank: s.rank,
      grade: s.grade,
      award: s.award,
    });
    expect(r.standings.map(texts)).toEqual(standings.map(texts));
  });
});
