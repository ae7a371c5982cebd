import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cmp, parseDecimal, type Rational, ratio, toExactString } from "../../rational.js";
import { aggregate, ascending, mean, median, trimmedMean } from "./vote-aggregation.js";

const rs = (xs: readonly (number | string)[]): Rational[] => xs.map((x) => parseDecimal(x));
const voters = (n: number): string[] => Array.from({ length: n }, (_, i) => `v${i + 1}`);

describe("mean", () => {
  it("shows every term and the exact quotient", () => {
    const a = mean(rs([85, 88, 90]));
    expect(toExactString(a.value)).toBe("263/3");
    expect(a.text).toBe("mean of 3: (85 + 88 + 90) / 3 = 263/3 (≈ 87.67)");
    expect(a.dropped).toBeUndefined();
  });

  it("keeps decimal scores exact", () => {
    expect(toExactString(mean(rs(["85.5", 90])).value)).toBe("87.75");
  });

  it("elides long lists but shows the sum, so the division stays checkable", () => {
    const a = mean(rs(Array.from({ length: 20 }, (_, i) => 80 + i)));
    expect(a.text).toBe(
      "mean of 20: (80 + 81 + 82 + 83 + 84 + 85 + 86 + 87 + 88 + 89 + … 8 more … + 98 + 99) / 20 = 1790 / 20 = 89.5",
    );
  });

  it("refuses an empty list", () => {
    expect(() => mean([])).toThrow(RangeError);
  });
});

describe("median", () => {
  it("takes the middle value of an odd count", () => {
    const a = median(rs([60, 98, 85, 88, 90]));
    expect(toExactString(a.value)).toBe("88");
    expect(a.text).toBe("median of 5 (60, 85, 88, 90, 98): middle value 88");
  });

  it("averages the two middle values of an even count", () => {
    const a = median(rs([85, 98, 60, 88]));
    expect(toExactString(a.value)).toBe("86.5");
    expect(a.text).toBe("median of 4 (60, 85, 88, 98): middle values 85 and 88, (85 + 88) / 2 = 86.5");
  });
});

describe("trimmed mean", () => {
  it("drops the highest and lowest and names their voters", () => {
    const values = rs([85, 88, 98, 60, 90, 91, 92, 93, 89]);
    const a = trimmedMean(values, { trim: 1, minVoters: 7 }, voters(9));
    // 85 + 88 + 90 + 91 + 92 + 93 + 89 = 628
    expect(toExactString(a.value)).toBe("628/7");
    expect(a.dropped).toBe("highest 98 (v3), lowest 60 (v4)");
    expect(a.text).toBe(
      "trimmed mean of 9 ballots, dropped highest 98 (v3) and lowest 60 (v4): (85 + 88 + 89 + 90 + 91 + 92 + 93) / 7 = 628/7 (≈ 89.71)",
    );
  });

  it("drops only one of several values tied at an extreme", () => {
    const a = trimmedMean(rs([60, 90, 80, 60, 90]), { trim: 1, minVoters: 2 }, voters(5));
    // sorted 60 60 80 90 90: one 60 and one 90 go, (60 + 80 + 90) / 3
    expect(toExactString(a.value)).toBe("230/3");
    expect(a.dropped).toBe("highest 90 (v5), lowest 60 (v1)");
    expect(a.text).toContain("tied values at an extreme: one dropped per trim step");
  });

  it("uses the plain mean at or below minVoters and says so", () => {
    const at = trimmedMean(rs([60, 80, 100]), { trim: 1, minVoters: 3 });
    expect(toExactString(at.value)).toBe("80");
    expect(at.dropped).toBeUndefined();
    expect(at.text).toBe("3 ballots, trimming needs more than 3: plain mean (60 + 80 + 100) / 3 = 80");

    const above = trimmedMean(rs([60, 80, 100, 100]), { trim: 1, minVoters: 3 });
    expect(toExactString(above.value)).toBe("90");
  });

  it("drops several per side with trim > 1", () => {
    const a = trimmedMean(rs([50, 100, 60, 90, 70, 80]), { trim: 2, minVoters: 4 }, voters(6));
    expect(toExactString(a.value)).toBe("75");
    expect(a.dropped).toBe("highest 100 (v2), 90 (v4); lowest 50 (v1), 60 (v3)");
  });

  it("falls back to the plain mean when trimming would leave nothing", () => {
    const a = trimmedMean(rs([1, 2, 3]), { trim: 2, minVoters: 2 });
    expect(toExactString(a.value)).toBe("2");
    expect(a.text).toContain("would leave none: plain mean");
  });
});

describe("aggregate", () => {
  it("dispatches on the rule", () => {
    const values = rs([70, 80, 100]);
    expect(toExactString(aggregate(values, { type: "mean" }).value)).toBe("250/3");
    expect(toExactString(aggregate(values, { type: "median" }).value)).toBe("80");
    expect(toExactString(aggregate(values, { type: "trimmed-mean", trim: 1, minVoters: 2 }).value)).toBe(
      "80",
    );
  });
});

describe("ascending", () => {
  // The definition: positions sorted by value, ties in input order.
  const reference = (values: readonly Rational[]) =>
    values.map((_, i) => i).sort((i, j) => cmp(values[i]!, values[j]!) || i - j);

  it("orders positions stably, for shared and mixed denominators, short and long lists", () => {
    const shared = fc
      .tuple(
        fc.bigInt({ min: 1n, max: 4n }),
        fc.array(fc.bigInt({ min: -50n, max: 150n }), { maxLength: 120 }),
      )
      .map(([d, ns]) => ns.map((n) => ({ n, d })).map((v) => ratio(v.n * v.d, v.d * v.d)));
    const mixed = fc.array(
      fc
        .tuple(fc.bigInt({ min: -200n, max: 200n }), fc.bigInt({ min: 1n, max: 6n }))
        .map(([n, d]) => ratio(n, d)),
      { maxLength: 80 },
    );
    const huge = fc.array(
      fc
        .oneof(fc.constant(2n ** 60n), fc.constant(-(2n ** 60n)), fc.bigInt({ min: 0n, max: 3n }))
        .map((n) => ratio(n)),
      { maxLength: 20 },
    );
    // Denominators whose common multiple outgrows the packed form.
    const fine = fc.array(
      fc
        .tuple(fc.bigInt({ min: -500n, max: 500n }), fc.bigInt({ min: 1n, max: 2n ** 20n }))
        .map(([n, d]) => ratio(n, d)),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(fc.oneof(shared, mixed, huge, fine), (values) => {
        expect(ascending(values)).toEqual(reference(values));
      }),
      { numRuns: 400 },
    );
  });

  it("falls back to comparing fractions when the packed keys would pass 2^53", () => {
    // Over the common denominator 65536, ±2^32 become ±2^48: a span of 2^49 times 16 positions.
    const values = Array.from({ length: 16 }, (_, i) =>
      i % 4 === 0 ? ratio(2n ** 32n) : i % 4 === 1 ? ratio(-(2n ** 32n)) : ratio(BigInt(i), 65536n),
    );
    expect(ascending(values)).toEqual(reference(values));
    expect(ascending(values).slice(0, 4)).toEqual([1, 5, 9, 13]);
  });

  it("keeps ties in input order past the insertion-sort length", () => {
    const values = Array.from({ length: 100 }, (_, i) => ratio(BigInt(i % 3)));
    expect(ascending(values)).toEqual(reference(values));
  });
});
