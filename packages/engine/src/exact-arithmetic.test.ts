import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { argumentIssues } from "./_test-argument-issues.js";
import { ratio } from "./exact-arithmetic.js";
import * as engine from "./index.js";
import * as exact from "./rational.js";

const wrong = (value: unknown) => value as never;

const refusal = argumentIssues;

describe("the exported ratio", () => {
  it("is the one the package exports, not the engine's unchecked one", () => {
    expect(engine.ratio).toBe(ratio);
  });

  it("refuses a number that is not whole, naming n or d, where JavaScript's BigInt names neither", () => {
    expect(() => exact.ratio(1.5)).toThrow(RangeError);
    expect(refusal(() => ratio(1.5))).toEqual([
      "n: expected a whole number, a bigint or an integer number; got 1.5; for a decimal use parseDecimal",
    ]);
    expect(refusal(() => ratio(1n, Number.NaN))).toEqual([
      "d: expected a whole number, a bigint or an integer number; got NaN",
    ]);
    expect(refusal(() => ratio(Number.POSITIVE_INFINITY, 2.5))).toEqual([
      "n: expected a whole number, a bigint or an integer number; got Infinity",
      "d: expected a whole number, a bigint or an integer number; got 2.5; for a decimal use parseDecimal",
    ]);
  });

  it("refuses what is neither a bigint nor a number", () => {
    expect(() => exact.ratio(wrong("x"))).toThrow(SyntaxError);
    expect(refusal(() => ratio(wrong("x")))).toEqual([
      'n: expected a whole number, a bigint or an integer number; got text "x"',
    ]);
    expect(refusal(() => ratio(1, wrong(null)))).toEqual([
      "d: expected a whole number, a bigint or an integer number; got null",
    ]);
  });

  it("refuses a zero denominator, however written", () => {
    for (const d of [0, -0, 0n])
      expect(refusal(() => ratio(1, d))).toEqual(["d: the denominator is 0: n/0 is no number"]);
  });

  it("gives what the engine's own ratio gives for whole numbers", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt(), fc.integer()),
        fc.oneof(fc.bigInt(), fc.integer()).filter((d) => d !== 0 && d !== 0n),
        (n, d) => {
          expect(ratio(n, d)).toEqual(exact.ratio(n, d));
        },
      ),
    );
    expect(ratio(6)).toEqual({ n: 6n, d: 1n });
    expect(ratio(2, -4)).toEqual({ n: -1n, d: 2n });
    expect(ratio(2 ** 60, 2)).toEqual({ n: 2n ** 59n, d: 1n });
  });
});
