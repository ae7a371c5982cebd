import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import type { Dataset } from "../dataset/dataset.js";
import { compose } from "../evaluation/compose.js";
import { standingView } from "./_test-whatif.js";
import { applyScenario } from "./apply-scenario.js";
import { createBaseline } from "./baseline.js";
import { runScenario } from "./run-scenario.js";
import type { ScenarioInput } from "./scenario.js";
import { standingsFromExact } from "./standing.js";

// The what-if stage two has its own arithmetic (fractions that are never normalised, and whole
// hundredths in columns for a weight-only patch). Random years rarely reach two rules the
// pipeline applies: a total floored at zero, and a group whose units all share first place
// (no last, so nobody loses the award for it).
const scheme = directScheme({
  groups: [
    { id: "g1", name: "group 1" },
    { id: "g2", name: "group 2" },
  ],
  findingTypes: [{ id: "media", name: "media exposure", levels: { city: { perFinding: 50 } } }],
});
const rows = directDataset([
  ["25", "25", "80"],
  ["10", "10", "10"], // 24 points, 50 deducted from the total: floored at 0
  ["20", "20", "60"],
  ["20", "20", "50"], // U4 and U5: alone in g2 and equal, both first
  ["20", "20", "50"],
]);
const dataset: Dataset = {
  ...rows,
  units: rows.units.map((u) => (u.id === "U4" || u.id === "U5" ? { ...u, group: "g2" } : u)),
  findings: [{ id: "F1", unit: "U2", type: "media", level: "city" }],
};
const baseline = createBaseline(scheme, dataset);

const scenarios: ScenarioInput[] = [
  // Weight-only: the columns path.
  { name: "reform", patch: { categories: { organ: { points: 20 }, public: { points: 50 } } } },
  // An adjustment changes: the fraction path.
  { name: "harsher", patch: { findingTypes: { media: { levels: { city: { perFinding: 60 } } } } } },
];

describe("what-if stage two on floored totals and an all-first group", () => {
  it("the baseline floors U2 at zero and takes no award in the all-first group", () => {
    const byUnit = new Map(baseline.standings.map((s) => [s.unit, standingView(s)]));
    expect(byUnit.get("U2")).toMatchObject({ total: "0", rank: 3, award: false });
    expect(byUnit.get("U4")).toMatchObject({ rank: 1, award: true });
    expect(byUnit.get("U5")).toMatchObject({ rank: 1, award: true });
  });

  for (const scenario of scenarios)
    it(`gives what a fresh evaluation gives: ${scenario.name}`, () => {
      const r = runScenario(baseline, scenario);
      const applied = applyScenario(baseline.compiled.scheme, baseline.dataset, scenario);
      const fresh = standingsFromExact(compose(applied.compiled, applied.dataset, baseline.outcomes));
      const mine = r.standings.map(standingView);
      expect(mine).toEqual(fresh.map(standingView));
      const byUnit = new Map(mine.map((s) => [s.unit, s]));
      expect(byUnit.get("U2")).toMatchObject({ total: "0", rank: 3, award: false });
      expect(byUnit.get("U4")).toMatchObject({ rank: 1, award: true });
      expect(byUnit.get("U5")).toMatchObject({ rank: 1, award: true });
      const u2 = r.units.find((u) => u.unit === "U2")!;
      expect(u2.totalDelta).toBe("0");
    });
});
