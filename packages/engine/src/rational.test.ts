import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  cmp,
  div,
  MAX_DECIMAL_DIGITS,
  mul,
  parseDecimal,
  type Rational,
  type RoundingMode,
  ratio,
  round,
  sub,
  toExactString,
  toFixed,
} from "./rational.js";

const d = parseDecimal;

describe("rational", () => {
  it("rescales 30.86 of 40 to 50 points exactly and rounds half-up to 38.58", () => {
    const v = mul(div(d("30.86"), d(40)), d(50));
    expect(toExactString(v)).toBe("38.575");
    expect(toFixed(round(v, 2, "half-up"), 2)).toBe("38.58");
    expect(toFixed(round(v, 2, "half-even"), 2)).toBe("38.58");
    expect(toFixed(round(d("38.565"), 2, "half-even"), 2)).toBe("38.56");
  });

  it("rounds 1.005 half-up to 1.01 where Number#toFixed gives 1.00", () => {
    expect((1.005).toFixed(2)).toBe("1.00");
    expect(toFixed(round(d(1.005), 2), 2)).toBe("1.01");
  });

  it("rounds negative halves away from zero", () => {
    expect(toFixed(round(d("-0.125"), 2), 2)).toBe("-0.13");
    expect(toFixed(round(d("-0.125"), 2, "half-even"), 2)).toBe("-0.12");
  });

  it("reads numbers through their shortest text, including exponents", () => {
    expect(toExactString(d(26.94))).toBe("26.94");
    expect(toExactString(d(1e-7))).toBe("0.0000001");
    expect(toExactString(d(-2.5e-3))).toBe("-0.0025");
    expect(toExactString(d(1.5e21))).toBe("1500000000000000000000");
  });

  it("shows non-terminating values as fractions", () => {
    expect(toExactString(ratio(1, 3))).toBe("1/3");
    expect(toFixed(ratio(2, 3), 2)).toBe("0.67");
    expect(toFixed(ratio(-1, 3), 0)).toBe("0");
    expect(toFixed(ratio(7, 2), 0)).toBe("4");
  });

  it("rejects division by zero and non-decimals", () => {
    expect(() => div(d(1), d(0))).toThrow(/division by zero/);
    expect(() => d("1,5")).toThrow(/not a decimal/);
    expect(() => d(Number.NaN)).toThrow(/finite/);
  });

  const arb = fc.tuple(
    fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
    fc.bigInt({ min: 1n, max: 10n ** 6n }),
  );
  it("is a field: (a + b) − b = a and (a × b) ÷ b = a", () => {
    fc.assert(
      fc.property(arb, arb, ([an, ad], [bn, bd]) => {
        const a = ratio(an, ad);
        const b = ratio(bn, bd);
        expect(cmp(sub(add(a, b), b), a)).toBe(0);
        if (bn !== 0n) expect(cmp(div(mul(a, b), b), a)).toBe(0);
      }),
    );
  });

  it("rounding moves a value by at most half a unit in the last place", () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 4 }), ([n, dd], places) => {
        const a = ratio(n, dd);
        const r = round(a, places);
        const err = sub(r, a);
        const half = ratio(1n, 2n * 10n ** BigInt(places));
        expect(cmp(err.n < 0n ? ratio(-err.n, err.d) : err, half)).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe("toExactString", () => {
  it("writes the same text on its number fast path as on its bigint path", () => {
    for (const [n, d, text] of [
      [85n, 1n, "85"],
      [-3n, 8n, "-0.375"],
      [1n, 3n, "1/3"],
      [831n, 10n, "83.1"],
      [1n, 1024n, "0.0009765625"],
      [2n ** 60n, 1n, "1152921504606846976"],
      [0n, 1n, "0"],
      [-85n, 1n, "-85"],
      [9007199254740991n, 1n, "9007199254740991"],
      [-9007199254740991n, 1n, "-9007199254740991"],
      // Past 2^53 a double would print 9007199254740992.
      [9007199254740993n, 1n, "9007199254740993"],
      [2n ** 60n + 1n, 2n ** 60n, "1.000000000000000000867361737988403547205962240695953369140625"],
    ] as const)
      expect(toExactString(ratio(n, d))).toBe(text);
    // Against the decimal expansion done wholly in bigints.
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.nat(20), fc.nat(20), (n, a, b) => {
        const r = ratio(n, 2n ** BigInt(a) * 5n ** BigInt(b));
        const places = Math.max(a, b);
        const expected = places === 0 ? String(n) : toFixed(r, places).replace(/\.?0+$/, "");
        expect(toExactString(r)).toBe(expected);
      }),
    );
  });

  it("tells terminating from repeating on the bigint path, for any mix of 2s, 5s and other factors", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.nat(120),
        fc.nat(120),
        fc.constantFrom(1n, 3n, 7n, 9n, 2n ** 61n - 1n),
        (n, a, b, other) => {
          const r = ratio(n, 2n ** BigInt(a) * 5n ** BigInt(b) * other);
          let rest = r.d;
          for (const p of [2n, 5n]) while (rest % p === 0n) rest /= p;
          const text = toExactString(r);
          if (rest !== 1n) expect(text).toBe(`${r.n}/${r.d}`);
          else {
            expect(parseDecimal(text)).toEqual(r);
            expect(text).not.toMatch(/\.\d*0$/);
          }
        },
      ),
      { seed: 424242, numRuns: 2000 },
    );
  });

  it("writes a 100,000-digit decimal back exactly", () => {
    // Arithmetic can make one (parseDecimal refuses to read one). How fast is the benchmarks'
    // business; a digit-at-a-time division, the slip this guards against, takes minutes and
    // meets the test timeout.
    const digits = `${"3".repeat(99_999)}2`;
    expect(toExactString(ratio(-BigInt(digits), 10n ** 100_000n))).toBe(`-0.${digits}`);
    expect(toExactString(ratio(-BigInt(`${digits}1`), 10n ** 100_001n))).toBe(`-0.${digits}1`);
  });
});

describe("parseDecimal's grammar", () => {
  it('reads an optional sign, digits, and optionally "." and more digits', () => {
    expect(toExactString(d("27.1"))).toBe("27.1");
    expect(toExactString(d("+27.1"))).toBe("27.1");
    expect(toExactString(d("-0.5"))).toBe("-0.5");
    expect(toExactString(d("007"))).toBe("7");
    expect(toExactString(d("-0"))).toBe("0");
  });

  it.each([
    [" 27.1", "27.1"],
    ["27.1\t", "27.1"],
    ["27.", "27"],
    [".5", "0.5"],
    ["-.5", "-0.5"],
    [" +.5 ", "0.5"],
    // Scientific notation, as spreadsheets export small and large numbers.
    ["1E-07", "0.0000001"],
    ["1e3", "1000"],
    ["-2.5e+1", "-25"],
    ["3.14E0", "3.14"],
  ])("refuses %j, showing it and how it is written", (text, written) => {
    expect(() => d(text)).toThrow(`not a decimal number: ${JSON.stringify(text)} (write it as ${written})`);
  });

  it("shows text that is no near miss as it is", () => {
    for (const text of [
      "",
      " ",
      "+",
      ".",
      "-",
      "1,5",
      "1e400",
      "1e",
      "e5",
      "0x10",
      "--5",
      "+-5",
      "++5",
      "abc",
    ])
      expect(() => d(text)).toThrow(new RangeError(`not a decimal number: ${JSON.stringify(text)}`));
  });
});

describe("parseDecimal's length limit", () => {
  it(`reads ${MAX_DECIMAL_DIGITS} digits and refuses one more, naming the count`, () => {
    expect(toExactString(parseDecimal(`0.${"1".repeat(MAX_DECIMAL_DIGITS - 1)}`))).toBe(
      `0.${"1".repeat(MAX_DECIMAL_DIGITS - 1)}`,
    );
    expect(() => parseDecimal(`1${"0".repeat(MAX_DECIMAL_DIGITS - 1)}.5`)).toThrow(
      `has ${MAX_DECIMAL_DIGITS + 1} digits, more than the ${MAX_DECIMAL_DIGITS} a decimal may have`,
    );
  });

  it("quotes at most 40 characters of text that is not a decimal", () => {
    expect(() => parseDecimal(`x${"9".repeat(100_000)}`)).toThrow(
      `not a decimal number: "x${"9".repeat(39)}…"`,
    );
  });
});

describe("ratio", () => {
  it("reduces the same on its number path as on its bigint path, around 2^53", () => {
    const safe = BigInt(Number.MAX_SAFE_INTEGER);
    for (const [n, d, rn, rd] of [
      [safe - 1n, safe - 1n, 1n, 1n],
      [safe, 3n * 43n, safe, 3n * 43n], // 2^53 − 1 = 6361 × 69431 × 20394401: coprime to 129
      [-(safe - 1n), 2n, -(safe - 1n) / 2n, 1n],
      [safe + 1n, 2n ** 20n, 2n ** 33n, 1n],
      [12n, -safe - 1n, -3n, 2n ** 51n],
      [0n, safe, 0n, 1n],
    ] as const)
      expect(ratio(n, d)).toEqual({ n: rn, d: rd });
    const bigGcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : bigGcd(b, a % b));
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }),
        fc.bigInt({ min: 1n, max: 2n ** 60n }),
        (n, d) => {
          const g = bigGcd(n, d);
          expect(ratio(n, d)).toEqual({ n: n / g, d: d / g });
        },
      ),
    );
  });

  it("rounds a value already on the grid to itself", () => {
    expect(round(ratio(8523n, 100n), 2)).toEqual(ratio(8523n, 100n));
    expect(round(ratio(-1n, 8n), 3, "half-even")).toEqual(ratio(-1n, 8n));
    expect(round(ratio(1n, 8n), 2, "half-even")).toEqual(ratio(3n, 25n));
  });
});

describe("cmp", () => {
  it("orders small and large parts alike (its double path against bigint cross-products)", () => {
    const part = fc.oneof(
      fc.bigInt({ min: -(2n ** 27n), max: 2n ** 27n }),
      fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }),
    );
    const positive = fc.oneof(fc.bigInt({ min: 1n, max: 2n ** 27n }), fc.bigInt({ min: 1n, max: 2n ** 60n }));
    fc.assert(
      fc.property(part, positive, part, positive, (an, ad, bn, bd) => {
        const a = ratio(an, ad);
        const b = ratio(bn, bd);
        const l = a.n * b.d;
        const r = b.n * a.d;
        expect(cmp(a, b)).toBe(l < r ? -1 : l > r ? 1 : 0);
      }),
    );
    expect(cmp(ratio(2n ** 26n, 2n ** 26n - 1n), ratio(2n ** 26n + 1n, 2n ** 26n))).toBe(1);
  });
});

describe("round and toFixed", () => {
  it("reject places that are not a whole number from 0", () => {
    for (const decimals of [-1, 1.5, Number.NaN, Number.NEGATIVE_INFINITY]) {
      expect(() => round(ratio(1234n, 100n), decimals)).toThrow(RangeError);
      expect(() => toFixed(ratio(1234n, 100n), decimals)).toThrow(RangeError);
    }
  });

  it("refuse a rounding mode they do not know rather than round half-even", () => {
    // 0.125 is where the two modes differ: half-up gives 0.13, half-even 0.12.
    expect(toFixed(round(ratio(1n, 8n), 2, "half-up"), 2)).toBe("0.13");
    for (const mode of ["HALF_UP", "half_up", ""])
      expect(() => round(ratio(1n, 8n), 2, mode as RoundingMode)).toThrow(
        `rounding mode must be "half-up" or "half-even", not "${mode}"`,
      );
    expect(() => round(ratio(10n ** 30n + 1n, 8n), 40, "HALF_UP" as RoundingMode)).toThrow(RangeError);
  });

  /** The definitions in bigints alone, as the reference for the engine's double fast path. */
  function roundByBigints(a: Rational, decimals: number, mode: RoundingMode): Rational {
    const scale = 10n ** BigInt(decimals);
    const scaled = a.n * scale;
    const negative = scaled < 0n;
    const abs = negative ? -scaled : scaled;
    let q = abs / a.d;
    const twiceRem = (abs % a.d) * 2n;
    if (twiceRem > a.d || (twiceRem === a.d && (mode === "half-up" || q % 2n === 1n))) q += 1n;
    return ratio(negative ? -q : q, scale);
  }
  function fixedByBigints(a: Rational, decimals: number): string {
    const r = roundByBigints(a, decimals, "half-up");
    const scaled = (r.n * 10n ** BigInt(decimals)) / r.d;
    const digits = (scaled < 0n ? -scaled : scaled).toString().padStart(decimals + 1, "0");
    const cut = digits.length - decimals;
    return (scaled < 0n ? "-" : "") + digits.slice(0, cut) + (decimals > 0 ? `.${digits.slice(cut)}` : "");
  }

  it("give the bigint definitions' results on the double path and off it", () => {
    const numerator = fc.oneof(
      fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }),
      fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n }),
      fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
    );
    const denominator = fc.oneof(
      fc.constantFrom(1n, 2n, 3n, 8n, 40n, 125n, 3000n, 7n * 2n ** 40n),
      fc.bigInt({ min: 1n, max: 10n ** 5n }),
      fc.bigInt({ min: 1n, max: 2n ** 60n }),
    );
    fc.assert(
      fc.property(
        numerator,
        denominator,
        fc.integer({ min: 0, max: 18 }),
        fc.constantFrom<RoundingMode>("half-up", "half-even"),
        (n, d, decimals, mode) => {
          const a = ratio(n, d);
          expect(round(a, decimals, mode)).toEqual(roundByBigints(a, decimals, mode));
          expect(toFixed(a, decimals)).toBe(fixedByBigints(a, decimals));
        },
      ),
      { numRuns: 3000 },
    );
    // At the double path's limits: parts at 2^52 − 1 and 2^52, a product of exactly 2^52.
    const edge = 2n ** 52n;
    for (const [n, d, decimals] of [
      [edge - 1n, 3n, 2],
      [-(edge - 1n), 7n, 0],
      [edge, 3n, 2],
      [1n, edge - 1n, 15],
      [3n, edge, 15],
      [2n ** 50n, 1n, 2],
      [2n ** 50n + 1n, 2n, 2],
    ] as const)
      for (const mode of ["half-up", "half-even"] as const) {
        expect(round(ratio(n, d), decimals, mode)).toEqual(roundByBigints(ratio(n, d), decimals, mode));
        expect(toFixed(ratio(n, d), decimals)).toBe(fixedByBigints(ratio(n, d), decimals));
      }
    // Exact halves, both signs, where the two modes part.
    for (const [n, d, decimals] of [
      [5n, 1000n, 2],
      [-5n, 1000n, 2],
      [15n, 1000n, 2],
      [-25n, 1000n, 2],
      [1n, 2n, 0],
      [-3n, 2n, 0],
    ] as const)
      for (const mode of ["half-up", "half-even"] as const) {
        expect(round(ratio(n, d), decimals, mode)).toEqual(roundByBigints(ratio(n, d), decimals, mode));
        expect(toFixed(ratio(n, d), decimals)).toBe(fixedByBigints(ratio(n, d), decimals));
      }
  });
});
