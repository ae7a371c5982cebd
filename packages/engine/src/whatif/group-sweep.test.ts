import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { directScheme } from "../_test-schemes.js";
import { ratio } from "../rational.js";
import { compileScheme } from "../scheme/compile-scheme.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import { GroupSweep, type SweepUnits } from "./group-sweep.js";
import { linear } from "./piecewise-linear.js";
import { Crossings } from "./sweep-crossings.js";

const FROM = ratio(0);
const TO = ratio(100);
// A quota and a threshold, so that steps regrade as a real sweep's do.
const { scheme } = compileScheme(
  directScheme({
    grades: {
      rules: [
        { id: "excellent", name: "优秀", quota: { percent: 30 } },
        { id: "good", name: "良好", minTotal: "90" },
      ],
      fallback: { id: "pass", name: "合格" },
    },
  }),
);
// A quota that leaves out a tie passing its limit, alone (its places alone are filled again
// at a step) and beside a bottom quota that does too (every quota is filled again).
const excluding = (poor: boolean) =>
  compileScheme(
    directScheme({
      grades: {
        rules: [
          { id: "excellent", name: "优秀", quota: { percent: 30, rounding: "half-up", ties: "exclude" } },
          ...(poor
            ? [
                {
                  id: "poor",
                  name: "较差",
                  quota: { count: 2, from: "bottom" as const, ties: "exclude" as const },
                },
              ]
            : []),
          { id: "good", name: "良好", minTotal: "90" },
        ],
        fallback: { id: "pass", name: "合格" },
      },
    }),
  ).scheme;

/** Members whose totals are the lines a + b·x / 10 on [0, 100]. */
function membersOf(lines: readonly (readonly [number, number])[]): SweepUnits {
  return {
    totals: lines.map(([a, b]) => linear(ratio(a), ratio(b, 10), FROM, TO)),
    tieKeys: lines.map(() => []),
    forced: lines.map(() => false),
    excellence: lines.map(() => true),
    ids: lines.map((_, l) => `U${String(l).padStart(3, "0")}`),
  };
}

/**
 * Walks the lines' group from its start to its end as a sweep does, checking the order and
 * ranks after every step against a walk made afresh at that point. Returns the comparisons
 * the steps made, and what a step must at least do: one comparison per member but the first
 * at each event, and one per pair of members that swap there.
 */
function walk(lines: readonly (readonly [number, number])[], rules: Scheme = scheme) {
  const units = membersOf(lines);
  const list = lines.map((_, l) => l);
  const g = new GroupSweep(list, units, rules);
  const bounds = g.events(FROM, TO, new Crossings());
  const fresh = (x: ReturnType<typeof bounds.x>) => {
    const f = new GroupSweep(list, units, rules);
    f.reset(x);
    return { order: Array.from(f.order), rank: Array.from(f.rank), grade: Array.from(f.grade) };
  };
  let needed = 0;
  let before = Array.from(g.order);
  const swapsSince = (order: Int32Array) => {
    const was = new Int32Array(lines.length);
    before.forEach((l, p) => {
      was[l] = p;
    });
    let swaps = 0;
    for (let p = 0; p < order.length; p++)
      for (let q = p + 1; q < order.length; q++) if (was[order[p]!]! > was[order[q]!]!) swaps++;
    before = Array.from(order);
    return swaps;
  };
  g.reset(bounds.mid(0));
  before = Array.from(g.order);
  for (let b = 1; b <= bounds.count; b++) {
    const k = bounds.start[b]! - bounds.start[b - 1]!;
    for (const [step, x] of [
      [() => g.reach(b), bounds.x(b)],
      [() => g.advance(b), bounds.mid(b)],
    ] as const) {
      step();
      needed += k - 1 + swapsSince(g.order);
      expect({ b, order: Array.from(g.order), rank: Array.from(g.rank), grade: Array.from(g.grade) }).toEqual(
        {
          b,
          ...fresh(x),
        },
      );
    }
  }
  return { comparisons: g.stepComparisons, needed, events: bounds.count };
}

describe("GroupSweep steps", () => {
  it("re-sorts many pairs meeting at one point with a comparison per member and per swap", () => {
    // Pair j: 100(j + 1) + x and 100(j + 1) + 50 cross at x = 50, each pair within its own
    // band of 100 (above the threshold of 90), so one event holds all 2m members, found pair by
    // pair from the bottom of the order.
    const m = 60;
    const lines = Array.from({ length: m }, (_, j) => [
      [100 * (j + 1), 10],
      [100 * (j + 1) + 50, 0],
    ]).flat() as [number, number][];
    const { comparisons, needed, events } = walk(lines);
    expect(events).toBe(1);
    // Both steps: 2m − 1 comparisons each, and the m swaps once. Taken in the order the
    // crossings were found, the members took ~(2m)²/2 = 7,200 comparisons a step.
    expect(needed).toBe(2 * (2 * m - 1) + m);
    expect(comparisons).toBeLessThanOrEqual(needed);
  });

  it("orders and ranks as a fresh walk at every step, comparing about once per member and swap", () => {
    // Whole intercepts and slopes in tenths on a coarse grid: many lines through one point,
    // separate meetings at one x, parallel and identical lines.
    const line = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: -6, max: 6 }));
    fc.assert(
      fc.property(fc.array(line, { minLength: 2, maxLength: 40 }), (raw) => {
        const lines = raw.map(([a, b]) => [a * 10, b * 5] as const);
        const { comparisons, needed } = walk(lines);
        expect(comparisons).toBeLessThanOrEqual(needed);
      }),
      { seed: 20261206, numRuns: 150 },
    );
  });

  it("grades as a fresh walk at every step where a quota leaves out a tie that passes its limit", () => {
    const line = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: -6, max: 6 }));
    for (const rules of [excluding(false), excluding(true)])
      fc.assert(
        fc.property(fc.array(line, { minLength: 2, maxLength: 40 }), (raw) => {
          walk(
            raw.map(([a, b]) => [a * 10, b * 5] as const),
            rules,
          );
        }),
        { seed: 20261207, numRuns: 150 },
      );
  });
});
