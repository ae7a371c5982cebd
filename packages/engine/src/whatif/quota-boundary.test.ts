import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { add, cmp, mul, type Rational, ratio, sub } from "../rational.js";
import type { GradeRule } from "../scheme/scheme-schema.js";
import { floorAtZero, linear, valueAt } from "./piecewise-linear.js";
import { type BoundaryUnit, boundaryGrades, IN, OUT, planBoundary } from "./quota-boundary.js";
import { thresholdSweep } from "./threshold-sweep.js";

const FROM = ratio(0);
const TO = ratio(10);

const rule = (count: number, requiresExcellenceEligibility = false): GradeRule =>
  ({
    id: "excellent",
    name: "excellent",
    quota: { count, scope: "overall" },
    requiresExcellenceEligibility,
  }) as GradeRule;

/** A unit's total at x, as the sweep sees it: a skipped roll-up's own total at the range's ends. */
function totalAt(u: BoundaryUnit, x: Rational): Rational {
  if (u.atFrom && cmp(x, FROM) === 0) return u.atFrom;
  if (u.atTo && cmp(x, TO) === 0) return u.atTo;
  return valueAt(u.total, x);
}

/** Whether admitted unit i is in the quota at x: fewer than `places` admitted units above it. */
function inAt(
  units: readonly BoundaryUnit[],
  admitted: readonly number[],
  places: number,
  i: number,
  x: Rational,
) {
  const own = totalAt(units[i]!, x);
  return admitted.filter((j) => cmp(totalAt(units[j]!, x), own) > 0).length < places;
}

/**
 * Whether admitted unit i is in a quota whose ties are excluded at x: it and every admitted unit
 * at or above it fit in the places (a tie that passes them is left out, and the quota ends there).
 */
function inAtExcluding(
  units: readonly BoundaryUnit[],
  admitted: readonly number[],
  places: number,
  i: number,
  x: Rational,
) {
  const own = totalAt(units[i]!, x);
  return admitted.filter((j) => cmp(totalAt(units[j]!, x), own) >= 0).length <= places;
}

const unit = fc
  .record({
    a: fc.integer({ min: -20, max: 60 }),
    slope: fc.integer({ min: -12, max: 12 }),
    floored: fc.boolean(),
    atFrom: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    atTo: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    eligible: fc.boolean(),
  })
  .map(({ a, slope, floored, atFrom, atTo, eligible }): BoundaryUnit => {
    // Slopes in quarters, and some totals floored at zero (a kink inside the range).
    const line = linear(ratio(a), ratio(slope, 4), FROM, TO);
    return {
      total: floored ? floorAtZero(linear(ratio(a - 30), ratio(slope, 4), FROM, TO)) : line,
      eligible,
      atFrom: atFrom === undefined ? undefined : ratio(atFrom),
      atTo: atTo === undefined ? undefined : ratio(atTo),
    };
  });

describe("the quota boundary's slabs", () => {
  it("say in or out throughout only of units that are, at every point of the slab, ties shared or excluded", () => {
    fc.assert(
      fc.property(
        fc.array(unit, { minLength: 2, maxLength: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (units, count, needsEligibility) => {
          const plan = planBoundary({ rule: rule(count, needsEligibility), units, from: FROM, to: TO });
          for (const slab of plan.slabs) {
            // The ends, and points between them (where a crossing inside the slab would show).
            const width = sub(slab.b, slab.a);
            const xs = [slab.a, slab.b, ...[1, 2, 3].map((k) => add(slab.a, mul(width, ratio(k, 4))))];
            plan.admitted.forEach((i, j) => {
              const state = slab.state[j];
              // Whatever the quota's ties: the walk at the boundary takes them as the rule does.
              if (state === IN)
                for (const x of xs) {
                  expect(inAt(units, plan.admitted, plan.places, i, x)).toBe(true);
                  expect(inAtExcluding(units, plan.admitted, plan.places, i, x)).toBe(true);
                }
              if (state === OUT)
                for (const x of xs) {
                  expect(inAt(units, plan.admitted, plan.places, i, x)).toBe(false);
                  expect(inAtExcluding(units, plan.admitted, plan.places, i, x)).toBe(false);
                }
            });
            expect(slab.near.length).toBe(slab.state.filter((s) => s !== IN && s !== OUT).length);
            expect(slab.places).toBe(plan.places - slab.state.filter((s) => s === IN).length);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("walk no one where totals never cross: parallel lines bunched within a fifth of a point", () => {
    const units: BoundaryUnit[] = Array.from({ length: 200 }, (_, i) => ({
      total: linear(ratio(8_000_000 + (i % 21) * 1000 + i, 100_000), ratio(3, 4), FROM, TO),
      eligible: true,
    }));
    const plan = planBoundary({ rule: rule(50), units, from: FROM, to: TO });
    expect(plan.slabs.length).toBeGreaterThan(1);
    expect(plan.pairs).toBe(0);
    for (const slab of plan.slabs) expect(slab.state.filter((s) => s === IN).length).toBe(50);
  });

  it("leave the grades to the walk of every unit where walking the near units would order more pairs", () => {
    // Every unit on one line: each is near the boundary in every slab.
    const units: BoundaryUnit[] = Array.from({ length: 100 }, () => ({
      total: linear(ratio(80), ratio(1, 2), FROM, TO),
      eligible: true,
    }));
    const plan = planBoundary({ rule: rule(30), units, from: FROM, to: TO });
    expect(plan.pairs).toBeGreaterThan(100 * 100);
    let walks = 0;
    const graded = boundaryGrades({
      rule: rule(30),
      units,
      from: FROM,
      to: TO,
      thresholds: thresholdSweep({ rules: [rule(30)] }),
      walk: () => {
        walks++;
        return [];
      },
    });
    expect(graded).toBeNull();
    expect(walks).toBe(0);
  });
});
