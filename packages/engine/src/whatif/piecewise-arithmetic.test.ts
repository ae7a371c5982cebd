import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { add, mul, ratio, toExactString } from "../rational.js";
import { productOf, type RootParts, rootOf, rootText, smallCrossing, sumOf } from "./piecewise-arithmetic.js";
import { linear } from "./piecewise-linear.js";

const FROM = ratio(0);
const TO = ratio(100);

describe("small crossings", () => {
  it("give the exact root in lowest terms, also when its parts pass 2^53", () => {
    // Slopes up to 2^30 over denominators sharing a factor: the products need the common
    // denominator to fit, and the root's parts are often beyond doubles.
    const part = fc.bigInt({ min: 1n, max: 1n << 30n });
    const line = fc.tuple(
      fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }),
      part,
      fc.bigInt({ min: -(1n << 30n), max: 1n << 30n }),
      part,
    );
    fc.assert(
      fc.property(line, line, fc.bigInt({ min: 1n, max: 1n << 12n }), (p, q, shared) => {
        const f = linear(ratio(p[0], p[1]), ratio(p[2], p[3] * shared), FROM, TO).pieces[0]!;
        const g = linear(ratio(q[0], q[1]), ratio(q[2], q[3] * shared), FROM, TO).pieces[0]!;
        const db = f.b.n * g.b.d - g.b.n * f.b.d;
        const out: RootParts = { n1: 0, n2: 1, d1: 1, d2: 1 };
        const small = smallCrossing(f, g, out);
        if (db === 0n) return expect(small).toBe(false);
        if (!small) return;
        const exact = ratio((g.a.n * f.a.d - f.a.n * g.a.d) * f.b.d * g.b.d, f.a.d * g.a.d * db);
        expect(rootOf(out)).toEqual(exact);
        expect(rootText(out) ?? toExactString(rootOf(out))).toBe(toExactString(exact));
      }),
      { seed: 20191231, numRuns: 2000 },
    );
  });

  it("print integers and decimals as toExactString does", () => {
    const root = (n1: number, n2: number, d1: number, d2: number) => ({ n1, n2, d1, d2 });
    expect(rootText(root(2 ** 40, 2 ** 20, 1, 1))).toBe(String(2n ** 60n));
    expect(rootText(root(-7, 3, 1, 1))).toBe("-21");
    expect(rootText(root(3, 1, 8, 25))).toBeNull();
    expect(rootText(root(2 ** 30 + 1, 2 ** 30 + 3, 7, 2 ** 30 + 5))).toBe(
      `${(2n ** 30n + 1n) * (2n ** 30n + 3n)}/${7n * (2n ** 30n + 5n)}`,
    );
  });

  it("print parts past int32 digit for digit as String does", () => {
    const safe = fc.oneof(
      fc.integer({ min: -0x7fffffff, max: 0x7fffffff }),
      fc.double({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1, noNaN: true }).map(Math.trunc),
      fc.constantFrom(2 ** 31, 2 ** 53 - 1, 1e8, 1e15, 1e15 + 1, 1e8 * 2 ** 31 + 7, 0),
    );
    fc.assert(
      fc.property(safe, (v) => {
        expect(rootText({ n1: v, n2: 1, d1: 1, d2: 1 })).toBe(String(v));
        expect(rootText({ n1: v || 1, n2: 1, d1: 3, d2: 1 })).toBe(`${v || 1}/3`);
        if (v > 0) expect(rootText({ n1: 1, n2: 1, d1: 3, d2: v })).toBe(`1/${3n * BigInt(v)}`);
      }),
      { seed: 20191231, numRuns: 5000 },
    );
  });

  it("tell decimals from fractions by their denominators' factors, also past int32", () => {
    // Denominators of 2s and 5s only (decimals: null) and with one other factor, on both
    // sides of 2^31, where the check leaves int32 arithmetic.
    const decimals = [2, 5, 2 ** 31, 2 ** 52, 5 ** 22, 2 ** 30 * 5 ** 9, 2 ** 31 * 5, 10 ** 15];
    const fractions = [3, 7 * 2 ** 31, 3 * 5 ** 21, 2 ** 31 + 1, 10 ** 15 + 1, 2 ** 50 * 3, 0x7fffffff];
    for (const d of decimals) expect(rootText({ n1: 1, n2: 1, d1: d, d2: 1 }), String(d)).toBeNull();
    for (const d of fractions) {
      expect(rootText({ n1: 1, n2: 1, d1: d, d2: 1 })).toBe(`1/${d}`);
      expect(rootText({ n1: 1, n2: 1, d1: 5, d2: d })).toBe(`1/${5n * BigInt(d)}`);
    }
  });
});

describe("sums and products of coefficients", () => {
  it("are the exact fraction in lowest terms, in doubles and past 2^53 alike", () => {
    // Parts up to 2^60 with shared factors: sums and products on both sides of 2^53, where
    // the double steps give way to bigints (and equal denominators take their own step).
    const part = fc.oneof(
      fc.bigInt({ min: 1n, max: 1n << 26n }),
      fc.bigInt({ min: 1n, max: 1n << 52n }),
      fc.bigInt({ min: 1n, max: 1n << 60n }),
    );
    const shared = fc.constantFrom(1n, 2n, 6n, 1000n, 3n ** 20n);
    const value = fc
      .tuple(part, part, shared, fc.boolean())
      .map(([n, d, k, minus]) => ratio(minus ? -n : n, d * k));
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(sumOf(a, b)).toEqual(add(a, b));
        expect(sumOf(a, a)).toEqual(add(a, a));
        expect(sumOf(a, ratio(-a.n, a.d))).toEqual(ratio(0));
        expect(productOf(a, b)).toEqual(mul(a, b));
      }),
      { seed: 20191231, numRuns: 5000 },
    );
  });
});
