import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import { evaluate } from "../evaluation/evaluate.js";
import { InputError } from "../input-error.js";
import { compareUnits } from "./compare-units.js";

describe("compareUnits", () => {
  const scheme = directScheme({
    bonusCap: 2,
    bonusTypes: [{ id: "award", name: "award", levels: { national: 3 }, count: "sum" }],
    findingTypes: [{ id: "complaint", name: "complaint", levels: { city: { perFinding: 1 } }, cap: 1 }],
  });
  const dataset = {
    ...directDataset([
      ["20", "20", "50"],
      ["20", "20", "50"],
      ["25", "20", "50"],
    ]),
    bonusEvents: ["B1", "B2"].map((id) => ({ id, unit: "U1", type: "award", level: "national" })),
    findings: ["F1", "F2", "F3"].map((id) => ({ id, unit: "U2", type: "complaint", level: "city" })),
  };
  const evaluation = evaluate(scheme, dataset);

  it("counts bonuses and deductions on the total as the caps let them through", () => {
    const c = compareUnits(evaluation, "U1", "U2");
    // U1: 60 + 2 (two +3 awards, capped at 2) = 62; U2: 60 − 1 (three −1, capped at 1) = 59.
    expect(c.a.total).toBe("62.00");
    expect(c.b.total).toBe("59.00");
    expect(c.totalDifference).toBe("3");
    expect(c.adjustmentDifference).toBe("3");
    expect(c.summary).toBe("unit 1 is above unit 2 by 3; bonuses and deductions on the total 3");
  });

  it("splits the difference by category, largest first, and names both sides", () => {
    const c = compareUnits(evaluation, "U3", "U2");
    expect(c.categories.map((x) => x.difference)).toEqual(["5", "0", "0"]);
    expect(c.summary).toBe(
      "unit 3 is above unit 2 by 6; ahead on business work +5; bonuses and deductions on the total 1",
    );
  });

  it("names an unknown unit", () => {
    expect(() => compareUnits(evaluation, "U1", "nobody")).toThrow(InputError);
    expect(() => compareUnits(evaluation, "U1", "nobody")).toThrow(/unitB: unknown unit "nobody"/);
  });
});
