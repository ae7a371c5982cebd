import { describe, expect, it } from "vitest";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { syntheticYear } from "./_test-synthetic.js";
import { bruteForce } from "./_test-weight-sweep.js";
import { createBaseline } from "./baseline.js";
import { weightSweep } from "./weight-sweep.js";

// Weight sweeps walked at one overall quota's boundary, against re-evaluation and the walk of every unit.

describe("weightSweep", () => {
  describe("with one quota over all ranked units, first and without a threshold (walked at its boundary)", () => {
    // "The best 30% of the city's units are excellent", then thresholds: only units near the
    // quota's boundary are walked, slab by slab (quota-boundary.ts).
    const boundary = (s: SchemeInput, quota: object = { percent: 30 }): SchemeInput => ({
      ...s,
      grades: {
        ...s.grades!,
        rules: (s.grades!.rules ?? []).map((r) =>
          r.id === "excellent"
            ? { ...r, quota: { ...quota, scope: "overall" as const } }
            : { ...r, quota: undefined },
        ),
      },
    });
    // The same grades through the walk over every ranked unit: a second quota of no places
    // takes no one, but the boundary walk does not apply to two quotas.
    const everyUnit = (s: SchemeInput): SchemeInput => ({
      ...s,
      grades: {
        ...s.grades!,
        rules: [
          ...(s.grades!.rules ?? []),
          { id: "none", name: "none", quota: { count: 0, scope: "overall" } },
        ],
      },
    });

    it("agrees with re-evaluation, with roll-ups, a count, and a percent of the eligible units", () => {
      for (const rollup of [undefined, "total", "category"] as const) {
        const y = syntheticYear(60, 4, 11, rollup ? { rollup } : {});
        for (const quota of [{ percent: 30 }, { count: 7 }, { percent: 25, of: "admitted" }]) {
          const b = createBaseline(boundary(y.scheme, quota), y.dataset);
          const { sweep, checked } = bruteForce(b, { category: "public" });
          expect(checked).toBeGreaterThan(0);
          // The quota moves between groups: some unit gains or loses it somewhere on the range.
          expect(
            sweep.units.some((u) => new Set(u.segments.map((g) => g.grade === "excellent")).size > 1),
          ).toBe(true);
        }
      }
      const y = syntheticYear(60, 4, 12, { rollup: "total" });
      const b = createBaseline(boundary(y.scheme), y.dataset);
      expect(bruteForce(b, { category: "organ", others: "rescale" }).checked).toBeGreaterThan(0);
      expect(
        bruteForce(b, { category: "public", others: "transfer", donor: "organ" }).checked,
      ).toBeGreaterThan(0);
    }, 60_000);

    it("grades as the walk over every ranked unit does, at a few hundred units", () => {
      for (const [seed, rollup] of [
        [21, undefined],
        [22, "total"],
        [23, "category"],
      ] as const) {
        const y = syntheticYear(320, 8, seed, rollup ? { rollup } : {});
        const fast = createBaseline(boundary(y.scheme), y.dataset);
        const slow = createBaseline(everyUnit(boundary(y.scheme)), y.dataset);
        for (const options of [
          { category: "public" },
          { category: "business", from: "10", to: "45" },
          { category: "public", others: "transfer" as const, donor: "organ" },
        ]) {
          const a = weightSweep(fast, options);
          expect(a.units).toEqual(weightSweep(slow, options).units);
          expect(a.units.some((u) => u.segments.some((g) => g.grade === "excellent"))).toBe(true);
        }
      }
    }, 120_000);

    it("grades as the walk over every ranked unit does where totals are bunched, or all one", () => {
      // The same survey answers everywhere and direct scores within a fifth of a point: every
      // unit is within a point of the boundary; then every unit alike, near it in every slab,
      // where the boundary walk leaves the grades to the walk of every unit.
      for (const spread of [21, 1]) {
        const y = syntheticYear(160, 4, 41);
        const model = y.dataset.surveyTallies!.filter((t) => t.unit === y.dataset.units[0]!.id);
        y.dataset.surveyTallies = y.dataset.units.flatMap((u) => model.map((t) => ({ ...t, unit: u.id })));
        y.dataset.scores = y.dataset.scores!.map((s, k) => ({
          ...s,
          value: 25 + ((k * 7919) % spread) / 100,
        }));
        y.dataset.findings = [];
        const fast = createBaseline(boundary(y.scheme), y.dataset);
        const slow = createBaseline(everyUnit(boundary(y.scheme)), y.dataset);
        for (const options of [{ category: "public" }, { category: "organ", others: "rescale" as const }]) {
          const a = weightSweep(fast, options);
          expect(a.units).toEqual(weightSweep(slow, options).units);
          expect(a.units.some((u) => u.segments.some((g) => g.grade === "excellent"))).toBe(true);
        }
      }
    }, 120_000);

    it("walks every unit when a veto places an eligible unit last, which the boundary walk cannot", () => {
      const y = syntheticYear(120, 4, 31);
      const lastButEligible = (s: SchemeInput): SchemeInput => ({
        ...s,
        vetoTypes: [
          { id: "incident", name: "major incident", forceLast: true, ineligibleForExcellence: false },
        ],
      });
      const fast = createBaseline(lastButEligible(boundary(y.scheme, { count: 118 })), y.dataset);
      const slow = createBaseline(everyUnit(lastButEligible(boundary(y.scheme, { count: 118 }))), y.dataset);
      expect(y.dataset.vetoEvents!.length).toBeGreaterThan(0);
      expect(weightSweep(fast, { category: "public" }).units).toEqual(
        weightSweep(slow, { category: "public" }).units,
      );
    });
  });
});
