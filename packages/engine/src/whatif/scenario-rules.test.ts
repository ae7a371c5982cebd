import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { createBaseline } from "./baseline.js";
import { compareBaselines } from "./compare-baselines.js";
import { runScenario } from "./run-scenario.js";

const { scheme, dataset } = await loadSeed2018();
const baseline = createBaseline(scheme, dataset);
const points = (id: string) => String(baseline.compiled.scheme.categories.find((c) => c.id === id)!.points);

describe("a scenario's maximum and rule changes", () => {
  it("lists the reform's points", () => {
    const r = runScenario(baseline, {
      name: "reform",
      patch: { categories: { public: { points: 50 }, organ: { points: 20 } } },
    });
    expect(r.maximum).toEqual({ baseline: "100", scenario: "100" });
    expect(r.changes).toEqual([
      { path: "categories[id=organ].points", kind: "changed", before: 30, after: 20 },
      { path: "categories[id=public].points", kind: "changed", before: 40, after: 50 },
    ]);
  });

  it("lists a direct category's new points, not the scale its assessments keep, which is the same", () => {
    const written = directScheme();
    const noScale = {
      ...written,
      categories: written.categories.map((c) => ({ ...c, method: { kind: "direct" as const } })),
    };
    const b = createBaseline(noScale, directDataset([["20", "25", "30"]]));
    const moved = runScenario(b, { name: "moved", patch: { categories: { organ: { points: 20 } } } });
    // The patch pins outOf at the old points (30), which is the scale the baseline derived too.
    expect(moved.changes).toEqual([
      { path: "categories[id=organ].points", kind: "changed", before: 30, after: 20 },
    ]);
    const same = runScenario(b, { name: "same", patch: { categories: { organ: { points: "30.0" } } } });
    expect(same.changes).toEqual([]);
  });

  it("says when the points no longer add up to the baseline's maximum", () => {
    const r = runScenario(baseline, { name: "typo", patch: { categories: { public: { points: 50 } } } });
    expect(r.maximum).toEqual({ baseline: "100", scenario: "110" });
  });

  it("has no change for a patch that restates the scheme, however the points are written", () => {
    fc.assert(
      fc.property(fc.subarray(["business", "organ", "public"]), fc.boolean(), (ids, asText) => {
        const patch = Object.fromEntries(
          ids.map((id) => [id, { points: asText ? `${points(id)}.00` : Number(points(id)) }]),
        );
        const r = runScenario(baseline, { name: "same", patch: { categories: patch } });
        expect(r.changes).toEqual([]);
        expect(r.maximum).toEqual({ baseline: "100", scenario: "100" });
      }),
    );
  });

  it("leaves out data overrides, which change records, not rules", () => {
    const unit = dataset.units[0]!;
    const r = runScenario(baseline, {
      name: "moved",
      data: { units: { [unit.id]: { group: baseline.compiled.scheme.groups.at(-1)!.id } } },
    });
    expect(r.changes).toEqual([]);
  });

  it("goes to JSON with the report", () => {
    const r = runScenario(baseline, { name: "typo", patch: { categories: { public: { points: 50 } } } });
    const sent = JSON.parse(JSON.stringify(r));
    expect(sent.maximum).toEqual(r.maximum);
    expect(sent.changes).toEqual(r.changes);
  });

  it("compares two baselines' schemes the same way", () => {
    const other = createBaseline({ ...(scheme as object), bonusCap: 6 }, dataset);
    const c = compareBaselines(baseline, other);
    expect(c.maximum.scenario).not.toBe(c.maximum.baseline);
    expect(c.changes.map((x) => x.path)).toEqual(["bonusCap"]);
  });
});
