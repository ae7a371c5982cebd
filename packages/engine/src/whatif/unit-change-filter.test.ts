import { describe, expect, it } from "vitest";
import { InputError } from "../input-error.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { applyScenario } from "./apply-scenario.js";
import { createBaseline } from "./baseline.js";
import { runScenario, weightOnlyInColumns } from "./run-scenario.js";

const { scheme, dataset } = await loadSeed2018();
const baseline = createBaseline(scheme, dataset);
const reform = { name: "reform", patch: { categories: { public: { points: 50 }, organ: { points: 20 } } } };
// The weight-only path (rows from columns) and the pipeline's (rows built), as a rounding patch forces.
const results = {
  columns: runScenario(baseline, reform),
  rows: runScenario(baseline, { name: "unrounded", patch: { ...reform.patch, rounding: { stages: [] } } }),
};

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw e;
  }
  return [];
}

describe.each(Object.entries(results))("unitChanges.select on %s", (_path, result) => {
  const select = (filter: unknown) => result.unitChanges.select(filter as never);

  it("names a misspelt key instead of selecting every row", () => {
    expect(problems(() => select({ movedonly: true }))).toEqual([
      "movedonly: unknown option (misspelt?); known: group, unitIds, movedOnly",
    ]);
  });

  it("names a group the comparison does not have instead of selecting none", () => {
    const [issue] = problems(() => select({ group: "nope" }));
    expect(issue).toBe('group: unknown group "nope" (known: law-enforcement)');
  });

  it("names values of the wrong type", () => {
    expect(problems(() => select({ unitIds: "U01", movedOnly: "yes" }))).toEqual([
      "unitIds: must be a Set or a list of unit ids",
      "movedOnly: must be true or false",
    ]);
  });

  it("takes unit ids as a Set or a list alike", () => {
    const asSet = select({ unitIds: new Set(["U01", "U09"]) });
    expect(asSet).toHaveLength(2);
    expect(select({ unitIds: ["U01", "U09"] })).toEqual(asSet);
  });
});

describe("unitChanges.select({ movedOnly: true }) and ranks that appear, disappear or change group", () => {
  // Totals and grades stay put in every scenario below: only ranks and groups change.
  const rows: [string, string, number, number][] = [
    ["U1", "g1", 90, 80],
    ["U2", "g1", 70, 60],
    ["U3", "g2", 50, 50],
    ["U4", "g2", 80, 20],
  ];
  const small = createBaseline(
    {
      id: "s",
      version: 1,
      name: "s",
      categories: [
        { id: "a", name: "A", points: 60, method: { kind: "direct", outOf: 100 } },
        { id: "b", name: "B", points: 40, method: { kind: "direct", outOf: 100 } },
      ],
      groups: [
        { id: "g1", name: "G1" },
        { id: "g2", name: "G2" },
      ],
      grades: { rules: [{ id: "good", name: "good", minTotal: 60 }], fallback: { id: "fail", name: "fail" } },
    },
    {
      units: rows.map(([id, group]) => ({ id, name: id, group })),
      scores: rows.flatMap(([unit, , a, b]) => [
        { unit, category: "a", value: a },
        { unit, category: "b", value: b },
      ]),
    },
  );
  const moved = (r: ReturnType<typeof runScenario>, filter: object = {}) =>
    r.unitChanges
      .select({ movedOnly: true, ...filter })
      .map((k) => r.unitChanges.at(k).unit)
      .sort();
  const unranked = { groups: { g2: { ranked: false } } };

  it.each([
    ["in columns", unranked, true],
    ["from rows", { ...unranked, rounding: { stages: [] } }, false],
  ])("keeps units whose group stops being ranked (%s)", (_path, patch, inColumns) => {
    const scenario = { name: "g2 unranked", patch: patch as never };
    expect(weightOnlyInColumns(small, applyScenario(small.compiled, small.dataset, scenario)) !== null).toBe(
      inColumns,
    );
    const r = runScenario(small, scenario);
    expect(r.units.filter((u) => u.unit === "U3" || u.unit === "U4").map((u) => u.scenario.rank)).toEqual([
      null,
      null,
    ]);
    expect(moved(r)).toEqual(["U3", "U4"]);
    expect(moved(r, { group: "g2" })).toEqual(["U3", "U4"]);
    // And the other way round: a rank that appears.
    const back = runScenario(createBaseline(r.scheme, small.dataset), {
      name: "g2 ranked",
      patch: { groups: { g2: { ranked: true } } },
    });
    expect(moved(back)).toEqual(["U3", "U4"]);
  });

  it("keeps a unit that changed group, whatever its rank there", () => {
    const r = runScenario(small, { name: "U2 to g2", data: { units: { U2: { group: "g2" } } } });
    const u2 = r.units.find((u) => u.unit === "U2")!;
    expect([u2.baseline.group, u2.scenario.group, u2.rankDelta]).toEqual(["g1", "g2", null]);
    expect(moved(r)).toEqual(["U2", "U3", "U4"]);
    // U2 is in g1 before and in g2 after: a filter on either group finds it.
    expect(moved(r, { group: "g2" })).toEqual(["U2", "U3", "U4"]);
    expect(moved(r, { group: "g1" })).toEqual(["U2"]);
  });
});
