import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ratio, toExactString } from "../../rational.js";
import { joinLimited, show } from "./vote-format.js";

describe("show", () => {
  it("writes what toExactString writes", () => {
    for (const [n, d, text] of [
      [85n, 1n, "85"],
      [-3n, 8n, "-0.375"],
      [1n, 3n, "1/3"],
      [831n, 10n, "83.1"],
      [1n, 1024n, "0.0009765625"],
      [2n ** 60n, 1n, "1152921504606846976"],
    ] as const)
      expect(show(ratio(n, d))).toBe(text);
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt({ min: 1n, max: 10n ** 20n }), (n, d) => {
        const r = ratio(n, d);
        expect(show(r)).toBe(toExactString(r));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.nat(12), fc.nat(12), (n, a, b) => {
        const r = ratio(n, 2n ** BigInt(a) * 5n ** BigInt(b));
        expect(show(r)).toBe(toExactString(r));
      }),
    );
  });
});

describe("joinLimited", () => {
  it("keeps head and tail around an ellipsis", () => {
    expect(joinLimited([1, 2, 3], " + ", String)).toBe("1 + 2 + 3");
    const many = Array.from({ length: 20 }, (_, i) => i);
    expect(joinLimited(many, ",", String)).toBe("0,1,2,3,4,5,6,7,8,9,…,18,19");
  });
});
