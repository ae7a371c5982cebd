import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rangeText, readNumber, readNumbers } from "./number-field";

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
