import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as helpers from "./exact-arithmetic.js";
import { InputError } from "./input-error.js";
import { parseDecimal, type Rational } from "./rational.js";

const half = parseDecimal("0.5");

/** Every exported helper that takes an exact value, called with `bad` as each such argument. */
const calls = (bad: Rational): [string, string, () => unknown][] => [
  ["add", "a", () => helpers.add(bad, half)],
  ["add", "b", () => helpers.add(half, bad)],
  ["sub", "a", () => helpers.sub(bad, half)],
  ["sub", "b", () => helpers.sub(half, bad)],
  ["mul", "a", () => helpers.mul(bad, half)],
  ["mul", "b", () => helpers.mul(half, bad)],
  ["div", "a", () => helpers.div(bad, half)],
  ["div", "b", () => helpers.div(half, bad)],
  ["cmp", "a", () => helpers.cmp(bad, half)],
  ["cmp", "b", () => helpers.cmp(half, bad)],
  ["round", "a", () => helpers.round(bad, 2)],
  ["toFixed", "a", () => helpers.toFixed(bad, 2)],
  ["toExactString", "a", () => helpers.toExactString(bad)],
  ["toNumber", "a", () => helpers.toNumber(bad)],
];

function refusal(call: () => unknown): InputError {
  try {
    call();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError");
}

describe("the exact-arithmetic helpers' denominators", () => {
  it("refuse a denominator of 0 or below, which a value stored and read back or built by hand can have", () => {
    // Before: toExactString never returned, toFixed printed "Infini.ty" and "-0.49", cmp said 1/−2 > 0.
    expect(() => helpers.toExactString({ n: 1n, d: 0n })).toThrow(
      'a: expected an exact value whose denominator d is above 0, as parseDecimal("…") and ratio(n, d) make it; got d = 0n',
    );
    expect(() => helpers.toFixed({ n: 1n, d: 0n }, 2)).toThrow("got d = 0n");
    expect(() => helpers.toFixed({ n: 1n, d: -2n }, 2)).toThrow("got d = -2n");
    expect(() => helpers.cmp({ n: 0n, d: 1n }, { n: 1n, d: -2n })).toThrow(
      /^invalid argument.*\n {2}b: .*got d = -2n$/,
    );
  });

  it("name a long denominator by its length, not its digits", () => {
    // Before: the message copied all 200,001 digits of d.
    const e = refusal(() => helpers.toExactString({ n: 1n, d: -(10n ** 200000n) }));
    expect(e.issues[0]?.message).toMatch(/got d = a 200,001-digit negative number$/);
    expect(e.message.length).toBeLessThan(300);
    expect(refusal(() => helpers.toFixed({ n: 1n, d: -(10n ** 19n) }, 2)).message).toMatch(
      /got d = -10000000000000000000n$/,
    );
  });

  it("refuse any { n, d ≤ 0 } in every helper and every argument, naming it", () => {
    const bad = fc.record({
      n: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
      d: fc.bigInt({ min: -(2n ** 70n), max: 0n }),
    });
    fc.assert(
      fc.property(bad, (value) => {
        for (const [helper, parameter, call] of calls(value)) {
          const error = refusal(call);
          expect(error.issues, helper).toEqual([
            { path: [parameter], message: expect.stringContaining("denominator d is above 0") },
          ]);
        }
      }),
    );
  });

  it("still take a value built by hand with a positive denominator, in lowest terms or not", () => {
    expect(helpers.toExactString({ n: -1n, d: 2n })).toBe("-0.5");
    expect(helpers.toFixed({ n: -2n, d: 4n }, 1)).toBe("-0.5");
    expect(helpers.cmp({ n: 2n, d: 4n }, half)).toBe(0);
  });
});
