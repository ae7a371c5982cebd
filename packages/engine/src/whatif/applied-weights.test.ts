import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadSeed2018 } from "./_test-whatif.js";
import { appliedWeights } from "./applied-weights.js";
import { createBaseline } from "./baseline.js";
import { monteCarlo } from "./monte-carlo.js";
import { samplerDefaults } from "./sampler-defaults.js";
import { sampler } from "./weight-sampler.js";

const ids = ["business", "organ", "public"];
const nominal = Float64Array.of(30, 30, 40);

describe("appliedWeights", () => {
  it("echoes no spread when every category has bounds, even one given or defaulted", () => {
    const bounds: Record<string, [string, string]> = {
      business: ["20", "40"],
      organ: ["10", "30"],
      public: ["30", "60"],
    };
    for (const spread of [undefined, 0.2]) {
      expect(
        appliedWeights({ kind: "uniform", bounds, ...(spread ? { spread } : {}) }, ids, nominal),
      ).toEqual({
        kind: "uniform",
        spread: null,
        keepTotal: true,
        ranges: [
          { category: "business", low: 20, high: 40, from: "bounds" },
          { category: "organ", low: 10, high: 30, from: "bounds" },
          { category: "public", low: 30, high: 60, from: "bounds" },
        ],
      });
    }
  });

  it("echoes the spread, defaults filled in, when some category was drawn with it", () => {
    expect(appliedWeights({ kind: "uniform", bounds: { public: ["35", "45"] } }, ids, nominal)).toEqual({
      kind: "uniform",
      spread: samplerDefaults.spread,
      keepTotal: samplerDefaults.keepTotal,
      ranges: [
        { category: "business", low: 15, high: 45, from: "spread" },
        { category: "organ", low: 15, high: 45, from: "spread" },
        { category: "public", low: 35, high: 45, from: "bounds" },
      ],
    });
    expect(appliedWeights({ kind: "dirichlet", concentration: 50 }, ids, nominal)).toEqual({
      kind: "dirichlet",
      concentration: 50,
    });
  });

  it("describes the draws: each within its echoed range, the spread null exactly when no range came from it", () => {
    const options = fc.record({
      bounded: fc.subarray(ids),
      spread: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      seed: fc.nat(),
    });
    fc.assert(
      fc.property(options, ({ bounded, spread, seed }) => {
        const bounds = Object.fromEntries(bounded.map((id) => [id, ["5", "50"] as [string, string]]));
        const w = { kind: "uniform" as const, bounds, ...(spread === undefined ? {} : { spread }) };
        const applied = appliedWeights(w, ids, nominal);
        if (applied.kind !== "uniform") throw new Error("a uniform sampler echoed as another kind");
        expect(applied.spread === null).toBe(bounded.length === ids.length);
        if (applied.spread !== null) expect(applied.spread).toBe(spread ?? samplerDefaults.spread);
        const draw = sampler(w, ids, nominal, 100, seed);
        const out = new Float64Array(ids.length);
        for (let s = 0; s < 20; s++) {
          draw(out);
          applied.ranges.forEach((r, k) => {
            expect(r.from).toBe(bounded.includes(r.category) ? "bounds" : "spread");
            expect(out[k]!).toBeGreaterThanOrEqual(r.low);
            expect(out[k]!).toBeLessThanOrEqual(r.high);
          });
        }
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it("is what monteCarlo reports it drew with", async () => {
    const { scheme, dataset } = await loadSeed2018();
    const baseline = createBaseline(scheme, dataset);
    const bounds: Record<string, [string, string]> = Object.fromEntries(
      baseline.compiled.scheme.categories.map((c) => [c.id, ["10", "50"]]),
    );
    const r = monteCarlo(baseline, { samples: 5, seed: 1, weights: { kind: "uniform", bounds } });
    expect(r.weights).toMatchObject({ kind: "uniform", spread: null });
    const shorthand = monteCarlo(baseline, { samples: 5, seed: 1, spread: 0.1 });
    expect(shorthand.weights).toMatchObject({ kind: "uniform", spread: 0.1, keepTotal: true });
    const free = monteCarlo(baseline, {
      samples: 5,
      seed: 1,
      weights: { kind: "uniform", keepTotal: false },
    });
    expect(free.weights).toMatchObject({ kind: "uniform", spread: 0.5, keepTotal: false });
    expect(monteCarlo(baseline, { samples: 5, seed: 1 }).weights).toMatchObject({
      spread: samplerDefaults.spread,
    });
  });
});
