import { describe, expect, it } from "vitest";
import { InputError } from "../input-error.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { createBaseline } from "./baseline.js";
import { runScenario } from "./run-scenario.js";

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
