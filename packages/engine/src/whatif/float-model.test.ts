import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ratio, round, toNumber } from "../rational.js";
import { roundF } from "./float-model.js";

/** The rounding rule as documented, without the fast path: halves recognised within 1e-9. */
function roundByRule(x: number, decimals: number, halfEven: boolean): number {
  const scale = 10 ** decimals;
  const y = Math.abs(x) * scale;
  const fl = Math.floor(y);
  const rem = y - fl;
  const eps = 1e-9 * Math.max(1, y);
  let q: number;
  if (rem > 0.5 + eps) q = fl + 1;
  else if (rem < 0.5 - eps) q = fl;
  else q = halfEven ? (fl % 2 === 0 ? fl : fl + 1) : fl + 1;
  return (x < 0 ? -q : q) / scale;
}

describe("roundF", () => {
  it("is the documented rule for every double, near a half or not", () => {
    const x = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      // Halves and their neighbours a few ulps or a tolerance away.
      fc
        .tuple(
          fc.integer({ min: -2_000_000, max: 2_000_000 }),
          fc.constantFrom(0, 1, -1, 3e-10, -3e-10, 1e-9, -1e-9, 2e-9, -2e-9, 4e-9, -4e-9),
        )
        .map(([k, off]) => (k + 0.5) / 100 + off / 100),
    );
    fc.assert(
      fc.property(x, fc.integer({ min: 0, max: 4 }), fc.boolean(), (v, decimals, halfEven) => {
        expect(roundF(v, decimals, halfEven)).toBe(roundByRule(v, decimals, halfEven));
      }),
      { numRuns: 5000 },
    );
  });

  it("rounds decimal halves as the exact engine does", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        (k, decimals, extra, halfEven) => {
          const exact = ratio(BigInt(k), 10n ** BigInt(decimals + extra));
          const expected = toNumber(round(exact, decimals, halfEven ? "half-even" : "half-up"));
          // + 0: a negative value rounded to zero is −0 in doubles and 0 exactly, equal as numbers.
          expect(roundF(toNumber(exact), decimals, halfEven) + 0).toBe(expected + 0);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
