import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareRows, OrderChanges } from "./order-changes.js";

/** Pairs whose rows compare differently in `a` and in `b`, pair by pair. */
function bruteForce(a: Float64Array, b: Float64Array, n: number, width: number) {
  const changes = { swapped: 0, parted: 0, met: 0 };
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const before = compareRows(a, width, i, j);
      const after = compareRows(b, width, i, j);
      if (before * after < 0) changes.swapped++;
      else if (before === 0 && after !== 0) changes.parted++;
      else if (after === 0 && before !== 0) changes.met++;
    }
  return changes;
}

describe("OrderChanges", () => {
  it("counts the pairs swapped, parted and met from one point to the next, as pair by pair", () => {
    // Few distinct values, so that rows tie often (in one column or all), at one point or both;
    // long walks reverse whole orders, past what the insertion takes.
    const value = fc.integer({ min: 0, max: 4 });
    const walk = fc
      .record({
        n: fc.integer({ min: 1, max: 60 }),
        width: fc.integer({ min: 1, max: 3 }),
        steps: fc.integer({ min: 1, max: 4 }),
      })
      .chain(({ n, width, steps }) =>
        fc.record({
          n: fc.constant(n),
          width: fc.constant(width),
          points: fc.array(fc.array(value, { minLength: n * width, maxLength: n * width }), {
            minLength: steps + 1,
            maxLength: steps + 1,
          }),
          reversed: fc.boolean(),
        }),
      );
    fc.assert(
      fc.property(walk, ({ n, width, points, reversed }) => {
        const rows = points.map((p, t) =>
          // Every other point the first column runs against the members: most pairs swap.
          Float64Array.from(p, (v, k) =>
            reversed && t % 2 === 1 && k % width === 0 ? -Math.floor(k / width) : v,
          ),
        );
        const changes = new OrderChanges(n, width, rows[0]!);
        for (let t = 1; t < rows.length; t++)
          expect(changes.next(rows[t]!)).toEqual(bruteForce(rows[t - 1]!, rows[t]!, n, width));
      }),
      { seed: 20261206, numRuns: 400 },
    );
  });

  it("counts every pair of a reversed order as swapped, none of an order kept, and ties met and parted", () => {
    const n = 500;
    const up = Float64Array.from({ length: n }, (_, l) => l);
    const down = Float64Array.from({ length: n }, (_, l) => -l);
    const all = (n * (n - 1)) / 2;
    const changes = new OrderChanges(n, 1, up);
    expect(changes.next(down)).toEqual({ swapped: all, parted: 0, met: 0 });
    expect(changes.next(Float64Array.from(down))).toEqual({ swapped: 0, parted: 0, met: 0 });
    expect(changes.next(new Float64Array(n))).toEqual({ swapped: 0, parted: 0, met: all });
    expect(changes.next(up)).toEqual({ swapped: 0, parted: all, met: 0 });
  });

  it("names a row count that does not match", () => {
    expect(() => new OrderChanges(3, 2, new Float64Array(5))).toThrow(
      "OrderChanges: 3 members of width 2 need 6 values, not 5",
    );
  });
});
