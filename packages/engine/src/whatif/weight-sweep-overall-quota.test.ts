import { describe, expect, it } from "vitest";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { syntheticYear } from "./_test-synthetic.js";
import { bruteForce } from "./_test-weight-sweep.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { createBaseline } from "./baseline.js";
import { weightSweep } from "./weight-sweep.js";

// Weight sweeps where a quota is over all ranked units: grades move where units of different groups cross.

const { scheme, dataset } = await loadSeed2018();

describe("weightSweep", () => {
  describe("with a quota over all ranked units (scope overall)", () => {
    // "25 of the city's ranked units are rated excellent": one quota across every group, while
    // ranks stay by group. Grades then move where units of different groups cross.
    const overall = (s: SchemeInput, extra: object = {}): SchemeInput => ({
      ...s,
      grades: {
        ...s.grades!,
        rules: (s.grades!.rules ?? []).map((r) =>
          r.quota ? { ...r, quota: { ...r.quota, scope: "overall" as const, ...extra } } : r,
        ),
      },
    });

    it("agrees with re-evaluation across four groups, fixed, rescaled and transferred", () => {
      const y = syntheticYear(60, 4, 3);
      const b = createBaseline(overall(y.scheme), y.dataset);
      const fixed = bruteForce(b, { category: "public" });
      expect(fixed.checked).toBeGreaterThan(100);
      // Grades follow the order of all groups together: some change where the unit's rank does not.
      expect(
        fixed.sweep.units.some((u) => u.segments.some((s, i) => i > 0 && s.rank === u.segments[i - 1]!.rank)),
      ).toBe(true);
      expect(bruteForce(b, { category: "organ", others: "rescale" }).checked).toBeGreaterThan(0);
      expect(
        bruteForce(b, { category: "public", others: "transfer", donor: "organ" }).checked,
      ).toBeGreaterThan(0);
    }, 30_000);

    it("agrees with re-evaluation for synthetic years with roll-ups and a percent of the admitted units", () => {
      for (const rollup of ["total", "category"] as const) {
        const y = syntheticYear(60, 4, 7, { rollup });
        for (const extra of [{}, { of: "admitted" }]) {
          const b = createBaseline(overall(y.scheme, extra), y.dataset);
          expect(bruteForce(b, { category: "public" }).checked).toBeGreaterThan(0);
        }
      }
    }, 30_000);

    it("reports the groups asked for as in a sweep of every group", () => {
      const y = syntheticYear(40, 2, 3, { rollup: "total" });
      const b = createBaseline(overall(y.scheme), y.dataset);
      const all = weightSweep(b, { category: "public" });
      const one = weightSweep(b, { category: "public", groups: ["G02"] });
      expect(one.units).toEqual(all.units.filter((u) => u.group === "G02"));
    });

    it("refuses a scheme with quotas of both scopes", () => {
      const s = overall(scheme as SchemeInput);
      const mixed: SchemeInput = {
        ...s,
        grades: {
          ...s.grades!,
          rules: [
            ...(s.grades!.rules ?? []),
            { id: "last", name: "last", quota: { count: 1, from: "bottom" } },
          ],
        },
      };
      expect(() => weightSweep(createBaseline(mixed, dataset), { category: "public" })).toThrow(
        /quotas within groups and over all ranked units/,
      );
    });
  });
});
