import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { add, cmp, max, neg, type Rational, ratio } from "../rational.js";
import {
  floorAtZero,
  linear,
  linearOfParts,
  lineCrossing,
  type PiecewiseLinear,
  plus,
  restrict,
  sumOfAll,
  valueAt,
} from "./piecewise-linear.js";

const FROM = ratio(0);
const TO = ratio(100);

const rational = fc
  .tuple(fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }), fc.bigInt({ min: 1n, max: 1n << 30n }))
  .map(([n, d]) => ratio(n, d));
/** A line, or (kinked) its floor at zero. */
const fn = fc
  .tuple(rational, rational, fc.boolean())
  .map(([a, b, floored]) => (floored ? floorAtZero(linear(a, b, FROM, TO)) : linear(a, b, FROM, TO)));

const samples = [0, 1, 7, 33, 50, 99, 100].map((x) => ratio(x));
const values = (f: PiecewiseLinear) => samples.map((x) => valueAt(f, x));

describe("sums of piecewise-linear functions", () => {
  it("agree pointwise with the sum of values, whether or not the functions are lines", () => {
    fc.assert(
      fc.property(rational, fc.array(fn, { minLength: 1, maxLength: 4 }), (c, fs) => {
        const expected = samples.map((x) => fs.reduce((s, f) => add(s, valueAt(f, x)), c));
        const bySum = sumOfAll(c, fs, FROM, TO);
        expect(values(bySum)).toEqual(expected);
        let chain = linear(c, ratio(0), FROM, TO);
        for (const f of fs) chain = plus(chain, f);
        expect(values(chain)).toEqual(expected);
        expect(bySum.pieces.map((p) => [p.from, p.a, p.b])).toEqual(
          chain.pieces.map((p) => [p.from, p.a, p.b]),
        );
      }),
      { seed: 20191231, numRuns: 500 },
    );
  });

  it("make one piece for lines", () => {
    const f = linear(ratio(1, 3), ratio(2, 7), FROM, TO);
    const g = linear(ratio(-1, 6), ratio(5, 7), FROM, TO);
    const s = plus(f, g);
    expect(s.pieces.map((p) => [p.a, p.b] as Rational[])).toEqual([[ratio(1, 6), ratio(1)]]);
    expect(sumOfAll(ratio(1), [f, g], FROM, TO).pieces.map((p) => [p.a, p.b])).toEqual([
      [ratio(7, 6), ratio(1)],
    ]);
  });
});

describe("lines made from double parts", () => {
  it("are the lines of their fractions: same coefficients, doubles, values and crossings", () => {
    // Parts as sumParts and productParts leave them: integers below 2^53 in lowest terms.
    const part = fc
      .tuple(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: 1, max: 2 ** 30 }))
      .map(([n, d]) => {
        const r = ratio(n, d);
        return { n: Number(r.n), d: Number(r.d) };
      });
    fc.assert(
      fc.property(part, part, rational, rational, (a, b, qa, qb) => {
        const byParts = linearOfParts(a, b, FROM, TO);
        const byFractions = linear(ratio(a.n, a.d), ratio(b.n, b.d), FROM, TO);
        const p = byParts.pieces[0]!;
        const q = byFractions.pieces[0]!;
        expect([p.ff, p.af, p.bf, p.an, p.ad, p.bn, p.bd]).toEqual([
          q.ff,
          q.af,
          q.bf,
          q.an,
          q.ad,
          q.bn,
          q.bd,
        ]);
        expect([p.from, p.a, p.b]).toEqual([q.from, q.a, q.b]);
        expect(values(byParts)).toEqual(values(byFractions));
        const other = linear(qa, qb, FROM, TO).pieces[0]!;
        expect(lineCrossing(p, other)).toEqual(lineCrossing(q, other));
        expect(values(floorAtZero(byParts))).toEqual(values(floorAtZero(byFractions)));
      }),
      { seed: 20191231, numRuns: 300 },
    );
  });

  it("refuses parts that are not integers below 2^53 over a positive denominator", () => {
    const one = { n: 1, d: 1 };
    for (const bad of [
      { n: 1.5, d: 1 },
      { n: 2 ** 53, d: 1 },
      { n: 1, d: 0 },
      { n: 1, d: -3 },
    ]) {
      expect(() => linearOfParts(bad, one, FROM, TO)).toThrow(/integers below 2\^53/);
      expect(() => linearOfParts(one, bad, FROM, TO)).toThrow(/integers below 2\^53/);
    }
  });
});

describe("floors at zero", () => {
  it("agree pointwise with max(0, f), and leave a line that stays at or above zero as it is", () => {
    // Lines through zero at either end as well as anywhere: the one-line shortcut decides
    // at the ends, in doubles unless they are near zero.
    const line = fc.oneof(
      fc.tuple(rational, rational),
      rational.map((b) => [ratio(0), b] as const),
      rational.map((a) => [a, neg({ n: a.n, d: a.d * 100n })] as const),
    );
    fc.assert(
      fc.property(line, ([a, b]) => {
        const f = linear(a, b, FROM, TO);
        const floored = floorAtZero(f);
        expect(values(floored)).toEqual(values(f).map((v) => max(v, ratio(0))));
        const above = cmp(valueAt(f, FROM), ratio(0)) >= 0 && cmp(valueAt(f, TO), ratio(0)) >= 0;
        if (above) expect(floored).toBe(f);
        else expect(floored).not.toBe(f);
      }),
      { seed: 20191231, numRuns: 2000 },
    );
  });
});

describe("line crossings", () => {
  it("are the exact root in lowest terms, for parts of any size", () => {
    const big = fc
      .tuple(fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), fc.bigInt({ min: 1n, max: 1n << 60n }))
      .map(([n, d]) => ratio(n, d));
    fc.assert(
      fc.property(
        fc.oneof(rational, big),
        fc.oneof(rational, big),
        fc.oneof(rational, big),
        fc.oneof(rational, big),
        (pa, pb, qa, qb) => {
          const p = linear(pa, pb, FROM, TO).pieces[0]!;
          const q = linear(qa, qb, FROM, TO).pieces[0]!;
          const db = pb.n * qb.d - qb.n * pb.d;
          const expected =
            db === 0n ? null : ratio((qa.n * pa.d - pa.n * qa.d) * pb.d * qb.d, pa.d * qa.d * db);
          expect(lineCrossing(p, q)).toEqual(expected);
        },
      ),
      { seed: 20191231, numRuns: 1000 },
    );
  });
});

describe("restrict", () => {
  it("keeps a function's values on [a, b], starts at a and ends at b", () => {
    const cut = fc
      .tuple(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 7 }),
      )
      .map(([p, q, d]) => [ratio(Math.min(p, q), d), ratio(Math.max(p, q), d)] as const)
      .filter(([, b]) => cmp(b, TO) <= 0);
    fc.assert(
      fc.property(fn, fn, cut, (f, g, [a, b]) => {
        const h = plus(f, g);
        const r = restrict(h, a, b);
        expect(cmp(r.pieces[0]!.from, a)).toBe(0);
        expect(cmp(r.to, b)).toBe(0);
        for (const p of r.pieces.slice(1)) expect(cmp(p.from, a) > 0 && cmp(p.from, b) < 0).toBe(true);
        for (const x of [a, b, ...samples.filter((x) => cmp(x, a) >= 0 && cmp(x, b) <= 0)])
          expect(cmp(valueAt(r, x), valueAt(h, x))).toBe(0);
      }),
    );
  });
});
