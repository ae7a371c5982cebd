import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cmp, type Rational, ratio, toExactString } from "../rational.js";
import { linear } from "./piecewise-linear.js";
import { Crossings } from "./sweep-crossings.js";
import { SweepBounds } from "./sweep-events.js";

const FROM = ratio(0);
const TO = ratio(100);

/** Lines a + b·x given as [a numerator, a denominator, b numerator, b denominator]. */
function boundsOf(lines: [bigint, bigint, bigint, bigint][]): SweepBounds {
  const fs = lines.map(([an, ad, bn, bd]) => linear(ratio(an, ad), ratio(bn, bd), FROM, TO));
  const c = new Crossings();
  for (let a = 0; a < fs.length; a++)
    for (let b = a + 1; b < fs.length; b++) {
      c.between(a, b);
      c.addCrossings(fs[a]!, fs[b]!);
    }
  return new SweepBounds(c, FROM, TO, fs.length);
}

/** Every pairwise crossing inside the range, exactly and from scratch. */
function expectedRoots(lines: [bigint, bigint, bigint, bigint][]): Rational[] {
  const roots: Rational[] = [];
  for (let a = 0; a < lines.length; a++)
    for (let b = a + 1; b < lines.length; b++) {
      const [pan, pad, pbn, pbd] = lines[a]!;
      const [qan, qad, qbn, qbd] = lines[b]!;
      const db = pbn * qbd - qbn * pbd;
      if (db === 0n) continue;
      const x = ratio((qan * pad - pan * qad) * pbd * qbd, pad * qad * db);
      if (cmp(x, FROM) > 0 && cmp(x, TO) < 0 && !roots.some((r) => cmp(r, x) === 0)) roots.push(x);
    }
  return roots.sort(cmp);
}

describe("sweep bounds", () => {
  it("order crossings exactly and merge those at one point, however many lines meet there", () => {
    // 40 lines through (50, 50), so one bucket of the sort holds 780 equal roots, and a few others.
    const through: [bigint, bigint, bigint, bigint][] = Array.from({ length: 40 }, (_, k) => {
      const slope = ratio(BigInt(k + 1), 41n);
      return [50n * 41n - 50n * BigInt(k + 1), 41n, slope.n, slope.d];
    });
    const lines = [...through, [10n, 1n, 1n, 3n], [90n, 1n, -1n, 7n]] as [bigint, bigint, bigint, bigint][];
    const bounds = boundsOf(lines);
    const texts = Array.from({ length: bounds.count }, (_, k) => bounds.text(k + 1));
    expect(texts).toEqual(expectedRoots(lines).map(toExactString));
    const at50 = texts.indexOf("50") + 1;
    expect(bounds.start[at50]! - bounds.start[at50 - 1]!).toBe(40);
  });

  it("agree with exact roots for lines with large and nearly equal parts", () => {
    const part = fc.bigInt({ min: 1n, max: 1n << 90n });
    const line = fc.tuple(
      fc.bigInt({ min: 0n, max: 1n << 96n }),
      part,
      fc.bigInt({ min: -(1n << 90n), max: 1n << 90n }),
      part,
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 2, maxLength: 12 }), (raw) => {
        // Scale into 0..100 so that roots fall inside the range often.
        const lines = raw.map(
          ([an, ad, bn, bd]) => [an % (100n * ad), ad, bn % ad, bd] as [bigint, bigint, bigint, bigint],
        );
        const bounds = boundsOf(lines);
        const texts = Array.from({ length: bounds.count }, (_, k) => bounds.text(k + 1));
        expect(texts).toEqual(expectedRoots(lines).map(toExactString));
      }),
      { seed: 20191231, numRuns: 200 },
    );
  });
});
