import { describe, expect, it } from "vitest";
import { InputError } from "../input-error.js";
import { applyScenario } from "../whatif/apply-scenario.js";
import { compileScheme } from "./compile-scheme.js";
import { schemePublishingIssues } from "./publishing-issues.js";

const scheme = (minTotal: number | string, extra: object = {}) => ({
  id: "s",
  version: 1,
  name: "s",
  groups: [{ id: "g", name: "g" }],
  categories: [{ id: "work", name: "work", points: 100, method: { kind: "direct" } }],
  grades: { rules: [{ id: "excellent", name: "excellent", minTotal }] },
  ...extra,
});

describe("schemePublishingIssues", () => {
  it("names a grade line above the most a total can be (850 typed for 85)", () => {
    expect(schemePublishingIssues(compileScheme(scheme(850)))).toEqual([
      {
        path: ["grades", "rules", 0, "minTotal"],
        message:
          "850 is above the most a total can be (100: the categories' points plus bonusCap): no unit could get this grade",
      },
    ]);
  });

  it("takes a scheme document as evaluate does, compiling and checking it first", () => {
    expect(schemePublishingIssues(scheme(850))).toEqual(schemePublishingIssues(compileScheme(scheme(850))));
    expect(() => schemePublishingIssues({ ...scheme(85), categories: [] })).toThrow(InputError);
  });

  it("accepts a line a full total, bonuses included, reaches", () => {
    expect(schemePublishingIssues(compileScheme(scheme(100)))).toEqual([]);
    const withBonus = scheme("100.5", {
      bonusCap: 1,
      bonusTypes: [{ id: "award", name: "award", levels: { city: 1 } }],
    });
    expect(schemePublishingIssues(compileScheme(withBonus))).toEqual([]);
  });

  it("is not compileScheme's: a scenario may put a line out of reach, and evaluate takes it", () => {
    const applied = applyScenario(
      scheme(85),
      { units: [] },
      {
        name: "worth 80",
        patch: { categories: { work: { points: 80 } } },
      },
    );
    expect(schemePublishingIssues(applied.compiled)).toHaveLength(1);
    expect(() => compileScheme(applied.compiled.scheme)).not.toThrow();
  });
});
