import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Dataset } from "../dataset/dataset.js";
import { createBaseline } from "./baseline.js";
import { compareBaselines } from "./compare-baselines.js";
import { runScenario } from "./run-scenario.js";

const dir = join(import.meta.dirname, "../../../../examples/city-review");
const read = (f: string) => JSON.parse(readFileSync(join(dir, f), "utf8"));

describe("compareBaselines", () => {
  it("gives what the equivalent scenario gives when a candidate scheme only re-weights", () => {
    const scheme = read("scheme-2018.json");
    const dataset = read("dataset-2018.json") as Dataset;
    const before = createBaseline(scheme, dataset);
    const candidate = structuredClone(scheme);
    candidate.version = 2;
    candidate.categories[1].points = 20;
    candidate.categories[2].points = 50;
    const after = createBaseline(candidate, dataset);
    const viaBaselines = compareBaselines(before, after);
    const viaScenario = runScenario(before, {
      name: "reform",
      patch: { categories: { organ: { points: 20 }, public: { points: 50 } } },
    });
    expect(viaBaselines.units).toEqual(viaScenario.units);
    expect(viaBaselines.swaps).toEqual(viaScenario.swaps);
    const anchor = viaBaselines.units.find((u) => u.name === "市市场监督管理局")!;
    expect([anchor.baseline.total, anchor.scenario.total]).toEqual(["84.20", "82.94"]);
  });

  it("keeps parts summing to the total change when the candidate drops a category", () => {
    const scheme = read("scheme-2018.json");
    const dataset = read("dataset-2018.json") as Dataset;
    const candidate = structuredClone(scheme);
    candidate.categories = candidate.categories.filter((c: { id: string }) => c.id !== "organ");
    candidate.categories[0].points = 50;
    candidate.categories[1].points = 50;
    const noOrgan = { ...dataset, scores: dataset.scores!.filter((s) => s.category !== "organ") };
    const result = compareBaselines(createBaseline(scheme, dataset), createBaseline(candidate, noOrgan));
    for (const u of result.units) {
      const sum = u.parts.reduce((s, p) => s + Number(p.delta), 0);
      expect(sum).toBeCloseTo(Number(u.totalDelta), 9);
    }
  });
});
