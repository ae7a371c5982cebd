import { describe, expect, it } from "vitest";
import { loadSeed2018 } from "./_test-whatif.js";
import { createBaseline } from "./baseline.js";
import { monteCarlo } from "./monte-carlo.js";
import { samplerDefaults } from "./sampler-defaults.js";

const { scheme, dataset } = await loadSeed2018();
const seed = createBaseline(scheme, dataset);
const run = (weights?: Parameters<typeof monteCarlo>[1]["weights"]) =>
  monteCarlo(seed, { samples: 50, seed: 11, ...(weights ? { weights } : {}) }).points;

describe("samplerDefaults", () => {
  it("are what monteCarlo draws with when the weights, or the spread and keepTotal, are left out", () => {
    const stated = run({ kind: "uniform", ...samplerDefaults });
    expect(run()).toEqual(stated);
    expect(run({ kind: "uniform" })).toEqual(stated);
    // The comparison sees the parameters: another spread, or keeping the total, draws otherwise.
    expect(run({ kind: "uniform", ...samplerDefaults, spread: 0.4 })).not.toEqual(stated);
    expect(run({ kind: "uniform", ...samplerDefaults, keepTotal: !samplerDefaults.keepTotal })).not.toEqual(
      stated,
    );
  });
});
