import { describe, expect, it } from "vitest";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { syntheticYear } from "./_test-synthetic.js";
import { bruteForce } from "./_test-weight-sweep.js";
import { createBaseline } from "./baseline.js";

// Weight sweeps under the quota options a scheme chooses (how a percent rounds), against
// re-evaluation on either side of every breakpoint and at each of them.

/** The synthetic year's quotas over all ranked units rather than within each group. */
const overall = (s: SchemeInput): SchemeInput => ({
  ...s,
  grades: {
    ...s.grades!,
    rules: (s.grades!.rules ?? []).map((r) =>
      r.quota ? { ...r, quota: { ...r.quota, scope: "overall" } } : r,
    ),
  },
});

/** Only the excellent quota, over all ranked units: the sweep follows its boundary alone (quota-boundary.ts). */
const boundaryOnly = (s: SchemeInput): SchemeInput => {
  const o = overall(s);
  return {
    ...o,
    grades: { ...o.grades!, rules: (o.grades!.rules ?? []).filter((r) => r.id !== "poor") },
  };
};

/** Units graded excellent somewhere on the sweep, by grade id. */
const excellentSomewhere = (sweep: ReturnType<typeof bruteForce>["sweep"]) =>
  sweep.units.filter((u) => u.segments.some((s) => s.grade === "excellent")).map((u) => u.unit);

describe("weightSweep", () => {
  it("gives each percent quota the places its rounding says, within groups and over all of them", () => {
    // Four groups of 15: 30% of 15 is 4.5 places, 4 rounded down and 5 half-up or up.
    for (const quotaRounding of ["half-up", "up"] as const) {
      const y = syntheticYear(60, 4, 9, { quotaRounding, rollup: "total" });
      const down = syntheticYear(60, 4, 9, { rollup: "total" });
      const { sweep, checked } = bruteForce(createBaseline(y.scheme, y.dataset), { category: "public" });
      expect(checked).toBeGreaterThan(100);
      const fewer = bruteForce(createBaseline(down.scheme, down.dataset), { category: "public" }).sweep;
      expect(excellentSomewhere(sweep).length).toBeGreaterThan(excellentSomewhere(fewer).length);
      expect(
        bruteForce(createBaseline(overall(y.scheme), y.dataset), { category: "organ", others: "rescale" })
          .checked,
      ).toBeGreaterThan(0);
      expect(
        bruteForce(createBaseline(boundaryOnly(y.scheme), y.dataset), { category: "public" }).checked,
      ).toBeGreaterThan(0);
    }
  }, 120_000);
});
