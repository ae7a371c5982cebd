import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compiledOrRefused, issueLines } from "../_test-schemes.js";
import type { Dataset } from "../dataset/dataset.js";
import { evaluateExact } from "../evaluation/evaluate.js";
import { cmp } from "../rational.js";
import { compileScheme } from "./compile-scheme.js";
import type { SchemeInput } from "./scheme-schema.js";

type Rounding = NonNullable<SchemeInput["rounding"]>;

function scheme(points: (number | string)[], rest: Partial<SchemeInput> = {}): SchemeInput {
  return {
    id: "s",
    version: 1,
    name: "s",
    categories: points.map((p, k) => ({
      id: `c${k}`,
      name: `c${k}`,
      points: p,
      method: { kind: "direct", outOf: 100 },
    })),
    groups: [{ id: "g", name: "g" }],
    ...rest,
  };
}

const rounding = (decimals: number, stages: Rounding["stages"], mode: Rounding["mode"] = "half-up") => ({
  rounding: { decimals, mode, stages },
});

const bonus = (cap: string) => ({
  bonusTypes: [{ id: "award", name: "award", levels: { city: cap } }],
  bonusCap: cap,
});

const accepted = (s: SchemeInput) => expect(() => compileScheme(s)).not.toThrow();

describe("compileScheme: the most a rounded stage gives stays on its grid", () => {
  it("refuses category points a full score would round above, naming each category", () => {
    expect(
      issueLines(() => compileScheme(scheme(["97.5", "2.5"], rounding(0, ["category", "total"])))),
    ).toEqual([
      "categories.0.points: 97.5 is not on the published grid of rounding.decimals (0) and rounds up: a full score would be published as 98, above the category's points",
      "categories.1.points: 2.5 is not on the published grid of rounding.decimals (0) and rounds up: a full score would be published as 3, above the category's points",
    ]);
    // The default rounding: two decimals, categories and totals.
    expect(issueLines(() => compileScheme(scheme(["12.345", "87.655"])))).toEqual([
      "categories.0.points: 12.345 is not on the published grid of rounding.decimals (2) and rounds up: a full score would be published as 12.35, above the category's points",
      "categories.1.points: 87.655 is not on the published grid of rounding.decimals (2) and rounds up: a full score would be published as 87.66, above the category's points",
    ]);
  });

  it("reads the scheme's rounding mode: a half rounds up or down as it says", () => {
    expect(
      issueLines(() => compileScheme(scheme(["97.5", "2.5"], rounding(0, ["category"], "half-even")))),
    ).toEqual([
      "categories.0.points: 97.5 is not on the published grid of rounding.decimals (0) and rounds up: a full score would be published as 98, above the category's points",
    ]);
    accepted(scheme(["96.5", "2.5"], rounding(0, ["category"], "half-even")));
  });

  it("accepts points that round down, and any points where the stage is not rounded", () => {
    // 13.31 publishes as 13.3 at best: below the maximum, never above it.
    accepted(scheme(["13.31", "86.6"], rounding(1, ["category"])));
    accepted(scheme(["97.5", "2.5"], rounding(0, [])));
    // Unrounded categories adding up to a maximum on the grid: a rounded total stays within it.
    accepted(scheme(["12.345", "87.655"], rounding(2, ["total"])));
    accepted(scheme(["97.5", "2.5"], rounding(0, ["adjustment", "total"])));
  });

  it("refuses a bonus cap that bonuses rounded at the adjustment stage would exceed", () => {
    const stages = rounding(2, ["adjustment", "category", "total"]);
    expect(issueLines(() => compileScheme(scheme([100], { ...bonus("0.005"), ...stages })))).toEqual([
      "bonusCap: 0.005 is not on the published grid of rounding.decimals (2) and rounds up: bonuses at the cap would be published as 0.01, above the cap",
    ]);
    // Without a bonus type no unit has a bonus to round up to the cap.
    accepted(scheme([100], { bonusCap: "0.005", ...stages }));
    accepted(scheme([100], { ...bonus("0.004"), ...rounding(2, ["adjustment", "category"]) }));
  });

  it("refuses a maximum off the grid where totals are rounded, blaming the part off it", () => {
    expect(
      issueLines(() =>
        compileScheme(scheme([100], { ...bonus("0.005"), ...rounding(2, ["category", "total"]) })),
      ),
    ).toEqual([
      "bonusCap: the scheme's maximum 100.005 (the categories' points plus bonusCap) is not on the published grid of rounding.decimals (2) and rounds up: a full total would be published as 100.01, above the maximum",
    ]);
    expect(issueLines(() => compileScheme(scheme(["97.5", 2], rounding(0, ["total"]))))).toEqual([
      "categories: the scheme's maximum 99.5 (the categories' points plus bonusCap) is not on the published grid of rounding.decimals (0) and rounds up: a full total would be published as 100, above the maximum",
    ]);
    // Parts that round down leave room: 97 + 2 at most, of 99.5.
    accepted(scheme(["97.4", "2.1"], rounding(0, ["category", "total"])));
  });

  it("property: a scheme it accepts publishes no total above its maximum, and no category above its points", () => {
    const amount = (most: number) =>
      fc.integer({ min: 0, max: most * 1000 }).map((v) => (v / 1000).toFixed(3));
    const arb = fc.record({
      points: fc.array(amount(60), { minLength: 1, maxLength: 3 }),
      bonusCap: fc.option(amount(3), { nil: undefined }),
      decimals: fc.integer({ min: 0, max: 3 }),
      mode: fc.constantFrom("half-up", "half-even") as fc.Arbitrary<Rounding["mode"]>,
      stages: fc.subarray(["category", "adjustment", "total"] as const),
      scores: fc.array(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 3, maxLength: 3 }), {
        maxLength: 3,
      }),
    });
    fc.assert(
      fc.property(arb, (p) => {
        const s = scheme(p.points, {
          ...(p.bonusCap === undefined ? {} : bonus(p.bonusCap)),
          ...rounding(p.decimals, [...p.stages], p.mode),
        });
        const compiled = compiledOrRefused(s);
        if (!compiled) return;
        // A unit with full marks at the bonus cap, and others scored anywhere.
        const rows = [[100, 100, 100], ...p.scores];
        const dataset: Dataset = {
          units: rows.map((_, u) => ({ id: `U${u}`, name: `U${u}`, group: "g" })),
          scores: rows.flatMap((row, u) =>
            p.points.map((_, k) => ({ unit: `U${u}`, category: `c${k}`, value: row[k]! })),
          ),
          bonusEvents:
            p.bonusCap === undefined ? [] : [{ id: "B", unit: "U0", type: "award", level: "city" }],
        };
        for (const u of evaluateExact(compiled, dataset).units) {
          expect(cmp(u.total!, compiled.maxTotal)).toBeLessThanOrEqual(0);
          for (const c of u.categories)
            expect(cmp(c.points!, compiled.points.get(c.category)!)).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
