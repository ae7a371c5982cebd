import { describe, expect, it } from "vitest";
import { loadSeed2018 } from "./_test-whatif.js";
import { applyScenario } from "./apply-scenario.js";
import { createBaseline } from "./baseline.js";
import { runScenario } from "./run-scenario.js";

const { scheme, dataset } = await loadSeed2018();
const baseline = createBaseline(scheme, dataset);
const base = baseline.compiled.scheme;

describe("applyScenario", () => {
  it("leaves the baseline's scheme and dataset untouched", () => {
    const before = JSON.stringify(base);
    applyScenario(base, dataset, {
      name: "x",
      patch: { categories: { public: { points: 50 } }, findingTypes: { "public-complaint": { cap: null } } },
    });
    expect(JSON.stringify(base)).toBe(before);
  });

  it("pins a direct category's scale to its old points when re-weighted", () => {
    const a = applyScenario(base, dataset, { name: "x", patch: { categories: { organ: { points: 20 } } } });
    const organ = a.compiled.scheme.categories.find((c) => c.id === "organ")!;
    expect(organ.points).toBe(20);
    expect(organ.method).toEqual({ kind: "direct", outOf: 30 });
  });

  it("deep-merges tables, removes caps with null, and replaces arrays", () => {
    const a = applyScenario(base, dataset, {
      name: "x",
      patch: {
        findingTypes: { "unannounced-visit": { levels: { city: { notRectified: 1.5 } }, cap: null } },
        categories: { public: { method: { satisfiedOptions: ["satisfied"] } } },
      },
    });
    const t = a.compiled.scheme.findingTypes.find((f) => f.id === "unannounced-visit")!;
    expect(t.levels.city).toEqual({ perFinding: 0.3, notRectified: 1.5, repeated: 2 });
    expect(t.cap).toBeUndefined();
    const pub = a.compiled.scheme.categories.find((c) => c.id === "public")!.method;
    expect(pub.kind === "survey" && pub.satisfiedOptions).toEqual(["satisfied"]);
    expect([...a.restage]).toEqual(["public"]);
    expect(a.adjustmentsChanged).toBe(true);
  });

  it("an unranked group ranks nobody, and grades follow thresholds only", () => {
    const r = runScenario(baseline, {
      name: "unranked",
      patch: { groups: { "law-enforcement": { ranked: false } } },
    });
    expect(r.units.every((u) => u.scenario.rank === null)).toBe(true);
    expect(r.units.some((u) => u.scenario.grade === "excellent")).toBe(false);
    expect(r.groups).toEqual([]);
  });

  it("a quota of 10% gives excellence to the top two eligible units", () => {
    const r = runScenario(baseline, {
      name: "q",
      patch: { grades: { rules: { excellent: { quota: { percent: 10 } } } } },
    });
    expect(r.units.filter((u) => u.scenario.grade === "excellent")).toHaveLength(2);
  });
});
