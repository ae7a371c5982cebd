import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { syntheticYear } from "./_test-synthetic.js";
import { createBaseline } from "./baseline.js";
import { sweepWalks } from "./sweep-walks.js";
import { weightSweep } from "./weight-sweep.js";

// The walk along an overall quota's boundary (quota-boundary.ts) against the walk of every
// ranked unit, whatever the quota's ties: the one it replaces, and the one it must agree with.

type Quota = NonNullable<NonNullable<SchemeInput["grades"]>["rules"]>[number]["quota"];

/** The synthetic year's excellent rule alone, its quota over all ranked units as `quota` says. */
const boundaryOnly = (s: SchemeInput, quota: object): SchemeInput => ({
  ...s,
  grades: {
    ...s.grades!,
    rules: (s.grades!.rules ?? [])
      .filter((r) => r.id !== "poor")
      .map((r) => (r.quota ? { ...r, quota: { scope: "overall", ...quota } as Quota } : r)),
  },
});

/**
 * The same grades by the walk of every ranked unit: a last quota rule of no places admits no
 * one, and a second quota rule keeps a sweep off the boundary's walk.
 */
const everyUnit = (s: SchemeInput): SchemeInput => ({
  ...s,
  grades: {
    ...s.grades!,
    rules: [...(s.grades!.rules ?? []), { id: "none", name: "none", quota: { count: 0, scope: "overall" } }],
  },
});

/** Units tied along the range, as at an "at most N" quota's boundary: one survey, scores on a grid. */
function bunch(y: ReturnType<typeof syntheticYear>, values: number) {
  const model = y.dataset.surveyTallies!.filter((t) => t.unit === y.dataset.units[0]!.id);
  y.dataset.surveyTallies = y.dataset.units.flatMap((u) => model.map((t) => ({ ...t, unit: u.id })));
  y.dataset.scores = y.dataset.scores!.map((s, k) => ({ ...s, value: 24 + ((k * 7919) % values) }));
  y.dataset.findings = [];
}

describe("the walk at an overall quota's boundary", () => {
  it("grades as the walk of every ranked unit, its ties excluded or shared", () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.nat({ max: 10_000 }),
          units: fc.integer({ min: 12, max: 60 }),
          groups: fc.integer({ min: 2, max: 4 }),
          bunched: fc.option(fc.integer({ min: 2, max: 5 }), { nil: undefined }),
          quota: fc.oneof(
            fc.record({ count: fc.integer({ min: 0, max: 20 }) }),
            fc.record({
              percent: fc.constantFrom(10, 20, 30, 45),
              rounding: fc.constantFrom("down" as const, "half-up" as const, "up" as const),
              of: fc.constantFrom("ranked" as const, "admitted" as const),
            }),
          ),
          ties: fc.constantFrom("exclude" as const, "exclude" as const, "share" as const),
          vetoes: fc.constantFrom(0, 0.1, 0.3),
          category: fc.constantFrom("public", "business"),
        }),
        (c) => {
          const y = syntheticYear(c.units, c.groups, c.seed, { vetoes: { share: c.vetoes } });
          if (c.bunched !== undefined) bunch(y, c.bunched);
          const scheme = boundaryOnly(y.scheme, { ...c.quota, ties: c.ties });
          const boundary = createBaseline(scheme, y.dataset);
          const reference = createBaseline(everyUnit(scheme), y.dataset);
          // Else the two sweeps would be one walk, and agree whatever it did.
          expect([sweepWalks(boundary).boundary, sweepWalks(reference).boundary]).toEqual([true, false]);
          const options = { category: c.category };
          expect(weightSweep(boundary, options).units).toEqual(weightSweep(reference, options).units);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
