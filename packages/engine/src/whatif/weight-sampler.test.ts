import { describe, expect, it } from "vitest";
import { InputError } from "../input-error.js";
import { sampler, type WeightSampler } from "./weight-sampler.js";

const ids = ["business", "organ", "public"];
const nominal = Float64Array.of(30, 30, 40);

/** The issues an InputError lists, or the error itself when it is something else. */
function issuesOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e instanceof InputError ? e.issues : e;
  }
  return "no error";
}

describe("sampler", () => {
  it("keeps the total without leaving any category's bounds", () => {
    const bounds = { business: [20, 40], organ: [10, 30], public: [30, 60] } as Record<
      string,
      [number, number]
    >;
    const draw = sampler({ kind: "uniform", bounds, keepTotal: true }, ids, nominal, 100, 9);
    const out = new Float64Array(3);
    for (let s = 0; s < 2000; s++) {
      draw(out);
      expect(out[0]! + out[1]! + out[2]!).toBeCloseTo(100, 9);
      ids.forEach((id, k) => {
        expect(out[k]!, `${id} in sample ${s}`).toBeGreaterThanOrEqual(bounds[id]![0] - 1e-9);
        expect(out[k]!, `${id} in sample ${s}`).toBeLessThanOrEqual(bounds[id]![1] + 1e-9);
      });
    }
  });

  it("keeps the default ±spread when it keeps the total", () => {
    const draw = sampler({ kind: "uniform", spread: 0.2, keepTotal: true }, ids, nominal, 100, 3);
    const out = new Float64Array(3);
    for (let s = 0; s < 2000; s++) {
      draw(out);
      nominal.forEach((p, k) => {
        expect(out[k]!).toBeGreaterThanOrEqual(p * 0.8 - 1e-9);
        expect(out[k]!).toBeLessThanOrEqual(p * 1.2 + 1e-9);
      });
    }
  });

  it("names bounds that cannot keep the total", () => {
    const w: WeightSampler = {
      kind: "uniform",
      bounds: { business: [40, 50], organ: [40, 50], public: [40, 50] },
      keepTotal: true,
    };
    expect(issuesOf(() => sampler(w, ids, nominal, 100, 1))).toEqual([
      { path: ["weights", "keepTotal"], message: expect.stringMatching(/120 to 150 .* 100/) },
    ]);
  });

  it("names a kind it does not know instead of drawing uniformly", () => {
    const w = { kind: "Dirichlet", concentration: 50 } as unknown as WeightSampler;
    expect(issuesOf(() => sampler(w, ids, nominal, 100, 1))).toEqual([
      { path: ["weights", "kind"], message: 'must be "uniform" or "dirichlet"' },
    ]);
  });

  it("names a key its kind does not read instead of dropping it", () => {
    const issues = (w: unknown) => issuesOf(() => sampler(w as WeightSampler, ids, nominal, 100, 1));
    expect(issues({ kind: "dirichlet", concentration: 50, spread: 0.1 })).toEqual([
      { path: ["weights", "spread"], message: "unknown option (misspelt?); known: kind, concentration" },
    ]);
    expect(issues({ kind: "uniform", keep_total: true })).toEqual([
      {
        path: ["weights", "keep_total"],
        message: "unknown option (misspelt?); known: kind, bounds, spread, keepTotal",
      },
    ]);
    expect(issues(null)).toEqual([
      { path: ["weights", "kind"], message: 'must be "uniform" or "dirichlet"' },
    ]);
  });

  it("names a spread, concentration, keepTotal or bounds of the wrong type instead of coercing it", () => {
    const issues = (w: unknown) => issuesOf(() => sampler(w as WeightSampler, ids, nominal, 100, 1));
    expect(issues({ kind: "uniform", spread: "" })).toEqual([
      { path: ["weights", "spread"], message: "must be a number between 0 and 1" },
    ]);
    expect(issues({ kind: "uniform", spread: "0.2" })).toEqual([
      { path: ["weights", "spread"], message: "must be a number between 0 and 1" },
    ]);
    expect(issues({ kind: "dirichlet", concentration: "50" })).toEqual([
      { path: ["weights", "concentration"], message: "must be a finite number greater than 0" },
    ]);
    expect(issues({ kind: "uniform", keepTotal: "false" })).toEqual([
      { path: ["weights", "keepTotal"], message: "must be true or false" },
    ]);
    expect(issues({ kind: "uniform", bounds: 5 })).toEqual([
      { path: ["weights", "bounds"], message: "must be an object of [low, high] by category" },
    ]);
    expect(issues({ kind: "uniform", spread: null, keepTotal: null, bounds: null })).toBe("no error");
  });

  it("names a concentration that cannot be multiplied, instead of a TypeError", () => {
    const w: WeightSampler = { kind: "dirichlet", concentration: JSON.parse('{ "toString": 0 }') };
    expect(issuesOf(() => sampler(w, ids, nominal, 100, 1))).toEqual([
      { path: ["weights", "concentration"], message: "must be a finite number greater than 0" },
    ]);
  });

  it("names a concentration too small to draw with, instead of drawing the nominal points", () => {
    const draw = (concentration: number) => () =>
      sampler({ kind: "dirichlet", concentration }, ids, nominal, 100, 1)(new Float64Array(3));
    expect(issuesOf(draw(5e-324))).toEqual([
      { path: ["weights", "concentration"], message: "is too small to draw with in doubles" },
    ]);
    expect(issuesOf(draw(1e-300))).toBe("no error");
  });

  it("names a bound that is not a decimal or not a pair", () => {
    const bad = (b: unknown) =>
      issuesOf(() =>
        sampler({ kind: "uniform", bounds: { organ: b } } as unknown as WeightSampler, ids, nominal, 100, 1),
      );
    expect(bad(["ten", 20])).toEqual([
      { path: ["weights", "bounds", "organ", 0], message: 'not a decimal number: "ten"' },
    ]);
    expect(bad(20)).toEqual([
      { path: ["weights", "bounds", "organ"], message: "must be a pair [low, high]" },
    ]);
    // Exact as a decimal, infinite as a double: every draw would be Infinity points.
    expect(bad(["10", "9".repeat(400)])).toEqual([
      { path: ["weights", "bounds", "organ", 1], message: "is too large to draw points with" },
    ]);
  });

  it("names the end of a pair that is out of order or negative, not the whole pair", () => {
    const bad = (b: unknown) =>
      issuesOf(() =>
        sampler({ kind: "uniform", bounds: { organ: b } } as unknown as WeightSampler, ids, nominal, 100, 1),
      );
    expect(bad(["30", "20"])).toEqual([
      { path: ["weights", "bounds", "organ", 1], message: "must not be below low" },
    ]);
    expect(bad(["-5", "20"])).toEqual([
      { path: ["weights", "bounds", "organ", 0], message: "must not be negative" },
    ]);
    // Negative and above high: the low end is at fault either way.
    expect(bad(["-5", "-10"])).toEqual([
      { path: ["weights", "bounds", "organ", 0], message: "must not be negative" },
    ]);
    expect(bad(["20", "20"])).toBe("no error");
  });
});
