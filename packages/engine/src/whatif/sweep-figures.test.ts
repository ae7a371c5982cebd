import { describe, expect, it } from "vitest";
import { argumentIssues } from "../_test-argument-issues.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { createBaseline } from "./baseline.js";
import { breakpointCount, exactToNumber } from "./sweep-figures.js";
import { weightSweep } from "./weight-sweep.js";

describe("exactToNumber", () => {
  it("reads the decimals and fractions the results write", () => {
    expect(exactToNumber("35.5")).toBe(35.5);
    expect(exactToNumber("0")).toBe(0);
    expect(exactToNumber("-1.26")).toBe(-1.26);
    expect(exactToNumber("104470/2929")).toBe(104470 / 2929);
  });

  it("keeps a fraction whose parts are past doubles near its value", () => {
    const big = "1".padEnd(400, "0");
    // Each part alone is Infinity as a double; their ratio is 1/3.
    expect(exactToNumber(`${big}/${`3${big.slice(1)}`}`)).toBeCloseTo(1 / 3, 15);
  });
});

describe("breakpointCount", () => {
  it("counts a point shared by several units once", () => {
    const units = [{ breakpoints: ["40", "104470/2929"] }, { breakpoints: ["40"] }, { breakpoints: [] }];
    expect(breakpointCount({ units } as never)).toBe(2);
  });

  it("is the number of distinct points where some unit's rank or grade changes in a sweep", async () => {
    const { scheme, dataset } = await loadSeed2018();
    const sweep = weightSweep(createBaseline(scheme, dataset), { category: "public", from: 30, to: 60 });
    const all = sweep.units.flatMap((u) => u.breakpoints);
    expect(all.length).toBeGreaterThan(new Set(all).size);
    expect(breakpointCount(sweep)).toBe(new Set(all.map((b) => exactToNumber(b))).size);
  });
});

describe("exactToNumber's argument", () => {
  // Wrong on purpose: what plain JavaScript can pass and TypeScript would refuse.
  const wrong = (value: unknown) => value as never;
  const expected = `exact: expected an exact value's text as the what-if results write it, "35.5" or "104470/2929"; got`;
  it.each([
    ["a number", 5, "5"],
    ["null", null, "null"],
    ["an exact value of the engine's own", { n: 1n, d: 2n }, "an object"],
  ])("refuses %s, naming it", (_, value, got) => {
    expect(argumentIssues(() => exactToNumber(wrong(value)))).toEqual([`${expected} ${got}`]);
  });
});
