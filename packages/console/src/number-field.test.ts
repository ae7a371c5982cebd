import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rangeText, readDecimal, readNumber, readNumbers, sumDecimals } from "./number-field";

const blank = fc.stringMatching(/^[ \t]*$/);

describe("readNumber", () => {
  it("never reads an emptied box as 0: required, or left to the gateway's default", () => {
    fc.assert(
      fc.property(blank, (text) => {
        expect(readNumber(text, {})).toEqual({ problem: "required" });
        expect(readNumber(text, { integer: true })).toEqual({ problem: "required" });
        expect(readNumber(text, { optional: true })).toEqual({ value: undefined });
      }),
    );
  });

  it("reads back any number written in the box, 0 included", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(readNumber(String(n), {})).toEqual({ value: n === 0 ? 0 : n });
      }),
    );
    expect(readNumber(" 0 ", { integer: true })).toEqual({ value: 0 });
  });

  it("says why a box cannot be sent", () => {
    expect(readNumber("2.5", { integer: true })).toEqual({ problem: "notInteger" });
    expect(readNumber("2.5", {})).toEqual({ value: 2.5 });
    expect(readNumber("abc", { optional: true })).toEqual({ problem: "notNumber" });
    // A number input holding "1e" reports "" with badInput set: not the same as empty.
    expect(readNumber(null, { optional: true })).toEqual({ problem: "notNumber" });
  });
});

describe("a box's range", () => {
  it("refuses a value outside the gateway's limits at the box, and takes each limit as the rule says", () => {
    const seed = { integer: true, min: 0, max: 2147483647 };
    expect(readNumber("3000000000", seed)).toEqual({ problem: "outOfRange" });
    expect(readNumber("-1", seed)).toEqual({ problem: "outOfRange" });
    expect(readNumber("0", seed)).toEqual({ value: 0 });
    expect(readNumber("2147483647", seed)).toEqual({ value: 2147483647 });
    const concentration = { min: 0, minExclusive: true };
    expect(readNumber("0", concentration)).toEqual({ problem: "outOfRange" });
    expect(readNumber("0.001", concentration)).toEqual({ value: 0.001 });
    fc.assert(
      fc.property(
        fc.integer({ min: -10, max: 10 }),
        fc.integer({ min: -10, max: 10 }),
        fc.integer(),
        (a, b, n) => {
          const rule = { min: Math.min(a, b), max: Math.max(a, b) };
          const r = readNumber(String(n), rule);
          expect("value" in r).toBe(n >= rule.min && n <= rule.max);
        },
      ),
    );
  });

  it("says the range in the box's own terms", () => {
    expect(rangeText({ min: 1, max: 5000 })).toBe("1 – 5000");
    expect(rangeText({ min: 0, minExclusive: true })).toBe("> 0");
  });
});

describe("readNumbers", () => {
  const rules = { samples: { optional: true, integer: true }, seed: { integer: true } };

  it("leaves an empty optional box out of the values, so the gateway's default applies", () => {
    expect(readNumbers({ samples: "", seed: "7" }, rules)).toEqual({ values: { seed: 7 }, problems: {} });
  });

  it("names each box that cannot be sent", () => {
    expect(readNumbers({ samples: "1.5", seed: "" }, rules)).toEqual({
      values: {},
      problems: { samples: "notInteger", seed: "required" },
    });
  });
});

describe("readDecimal", () => {
  it("sends a decimal as it was written, never through a float", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,9}(\.\d{1,9})?$/), (text) => {
        expect(readDecimal(` ${text} `, {})).toEqual({ value: text });
      }),
    );
    expect(readDecimal("", { optional: true })).toEqual({ value: undefined });
    expect(readDecimal(" ", {})).toEqual({ problem: "required" });
  });

  it("tells text that is no number from a number the gateway does not take as written", () => {
    expect(readDecimal("abc", {})).toEqual({ problem: "notNumber" });
    expect(readDecimal("3O", {})).toEqual({ problem: "notNumber" });
    expect(readDecimal("Infinity", {})).toEqual({ problem: "notNumber" });
    for (const text of ["1e3", "0x10", ".5", "5.", "1".repeat(1001)])
      expect(readDecimal(text, {})).toEqual({ problem: "notDecimal" });
    // As the gateway reads them (the engine's grammar): a sign, and any number of digits.
    for (const text of ["+5", "1234567890", "1.1234567891", "1".repeat(1000)])
      expect(readDecimal(text, {})).toEqual({ value: text });
  });

  it("compares with its lower limit exactly, however close the two are", () => {
    expect(readDecimal("-5", { min: "0" })).toEqual({ problem: "outOfRange" });
    expect(readDecimal("-0.000000001", { min: "0" })).toEqual({ problem: "outOfRange" });
    expect(readDecimal("0", { min: "0" })).toEqual({ value: "0" });
    expect(readDecimal("30", { min: "30.0", minExclusive: true })).toEqual({ problem: "outOfRange" });
    // One number as floats: 123456789.12345679 both.
    const from = "123456789.123456788";
    expect(readDecimal("123456789.123456789", { min: from, minExclusive: true })).toEqual({
      value: "123456789.123456789",
    });
    expect(readDecimal("123456789.123456787", { min: from, minExclusive: true })).toEqual({
      problem: "outOfRange",
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 6 }), fc.integer({ min: 0, max: 10 ** 6 }), (a, b) => {
        // Hundredths written as decimals ("12.34"), against a limit of thousandths.
        const text = `${Math.floor(a / 100)}.${String(a % 100).padStart(2, "0")}`;
        const min = `${Math.floor(b / 1000)}.${String(b % 1000).padStart(3, "0")}`;
        expect("value" in readDecimal(text, { min, minExclusive: true })).toBe(a * 10 > b);
      }),
    );
  });

  it("compares with its upper limit exactly, and takes the limit itself as the rule says", () => {
    expect(readDecimal("100", { max: "100", maxExclusive: true })).toEqual({ problem: "outOfRange" });
    expect(readDecimal("100.0", { max: "100", maxExclusive: true })).toEqual({ problem: "outOfRange" });
    expect(readDecimal("99.999999999", { max: "100", maxExclusive: true })).toEqual({
      value: "99.999999999",
    });
    expect(readDecimal("100", { max: "100" })).toEqual({ value: "100" });
    expect(readDecimal("100.000000001", { max: "100" })).toEqual({ problem: "outOfRange" });
  });

  it("says a range whose limit is an exact decimal", () => {
    expect(rangeText({ min: "30", minExclusive: true })).toBe("> 30");
    expect(rangeText({ min: "0" })).toBe("≥ 0");
    expect(rangeText({ max: "100", maxExclusive: true })).toBe("< 100");
    expect(rangeText({ max: "100" })).toBe("≤ 100");
  });
});

describe("sumDecimals", () => {
  it("adds a scheme's points exactly, and writes the sum as the gateway does", () => {
    // As floats, 100.00000000000001: a from of 100 would pass for below it.
    expect(sumDecimals([25.1, 25.1, 25.1, 24.7])).toBe("100");
    expect(sumDecimals([0.1, 0.2])).toBe("0.3");
    expect(sumDecimals([99.99, "0.01"])).toBe("100");
    expect(sumDecimals(["37.5", 12.25, "0"])).toBe("49.75");
    expect(sumDecimals([30, 30, 40])).toBe("100");
    expect(sumDecimals(["0.05", "-0.1"])).toBe("-0.05");
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 ** 6 }), { minLength: 1, maxLength: 12 }),
        (hundredths) => {
          const texts = hundredths.map((h) => `${Math.floor(h / 100)}.${String(h % 100).padStart(2, "0")}`);
          const sum = hundredths.reduce((a, b) => a + b, 0);
          const whole = `${Math.floor(sum / 100)}.${String(sum % 100).padStart(2, "0")}`;
          expect(sumDecimals(texts)).toBe(whole.replace(/\.?0+$/, "") || "0");
        },
      ),
    );
  });

  it("gives no total for a point it cannot read digit by digit", () => {
    expect(sumDecimals([30, 1e-7])).toBeUndefined();
    expect(sumDecimals(["30", "abc"])).toBeUndefined();
  });
});
