import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { add, mul, type Rational, ratio, sub, toNumber } from "../rational.js";
import { rankQuantile } from "./rank-quantile.js";

/** Counts by value of whole values from 0 up, as monteCarlo keeps a unit's ranks. */
function countsOf(values: readonly number[]): Int32Array {
  const counts = new Int32Array(Math.max(0, ...values) + 1);
  for (const v of values) counts[v]!++;
  return counts;
}

/** The exact type-7 quantile of the values, as a rational: h = (n − 1) · p with p = percent / 100. */
function exactType7(values: readonly number[], percent: number): Rational {
  const x = [...values].sort((a, b) => a - b);
  const h = mul(ratio(x.length - 1), ratio(percent, 100));
  const lo = Number(h.n / h.d);
  const hi = Math.min(lo + 1, x.length - 1);
  return add(ratio(x[lo]!), mul(sub(h, ratio(lo)), ratio(x[hi]! - x[lo]!)));
}

describe("rankQuantile", () => {
  it("gives the double nearest the exact type-7 quantile of whole values", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 100 }),
        (values, percent) => {
          // toNumber divides the reduced parts, both below 2^53: the nearest double.
          const expected = toNumber(exactType7(values, percent));
          expect(rankQuantile(countsOf(values), values.length, percent)).toBe(expected);
        },
      ),
      { seed: 20240607, numRuns: 2000 },
    );
  });

  it("reads the 95th percentile of 1,000 samples between ranks 25 and 26 as 25.05, not 25.049999999999955", () => {
    // Sorted, the 950th rank (index 949) is 25 and the next 26: h = 999 × 0.95 = 949.05.
    const values = [...Array<number>(950).fill(25), ...Array<number>(50).fill(26)];
    expect(rankQuantile(countsOf(values), 1000, 95)).toBe(25.05);
    // And as the API once answered: a 7 and an 8 a twentieth of the way apart.
    const seven = [...Array<number>(950).fill(7), ...Array<number>(50).fill(8)];
    expect(rankQuantile(countsOf(seven), 1000, 95)).toBe(7.05);
  });

  it("interpolates upward and downward, and is null with no values", () => {
    expect(rankQuantile(countsOf([1, 3]), 2, 50)).toBe(2);
    expect(rankQuantile(countsOf([1, 2, 2, 4]), 4, 50)).toBe(2);
    expect(rankQuantile(countsOf([3, 3, 3]), 3, 95)).toBe(3);
    expect(rankQuantile(new Int32Array(4), 0, 50)).toBeNull();
  });
});
