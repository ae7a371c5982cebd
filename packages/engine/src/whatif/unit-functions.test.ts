import { describe, expect, it } from "vitest";
import { cmp, parseDecimal } from "../rational.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { createBaseline } from "./baseline.js";
import { valueAt } from "./piecewise-linear.js";
import { runScenario } from "./run-scenario.js";
import { unitFunctions } from "./unit-functions.js";

const { scheme, dataset } = await loadSeed2018();

describe("unitFunctions", () => {
  const baseline = createBaseline(scheme, dataset);

  // With the others fixed, categories nobody reads as functions only add their value to a
  // unit's constant: every total must still be the re-evaluated unrounded total, exactly.
  it("gives each unit's unrounded total at any points of the swept category (others fixed)", () => {
    let compared = 0;
    for (const [category, to] of [
      ["public", "100"],
      ["organ", "60"],
      ["business", "40"],
    ] as const) {
      const fns = unitFunctions(baseline, category, "fixed", parseDecimal(0), parseDecimal(to));
      for (const x of ["0", "3.5", "17.25", "29.9", to]) {
        const r = runScenario(baseline, {
          name: `${category}=${x}`,
          patch: { categories: { [category]: { points: x } }, rounding: { stages: [] } },
        });
        r.standings.forEach((s, i) => {
          const f = fns.totals[i];
          expect(f === null, `${s.unit} has a total`).toBe(s.total === null);
          if (!f || !s.total) return;
          expect(cmp(valueAt(f, parseDecimal(x)), s.total), `${s.unit} at ${category}=${x}`).toBe(0);
          compared++;
        });
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
