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

  it("says by how much a unit is below another without a double negative", () => {
    const c = compareUnits(evaluation, "U2", "U3");
    expect(c.totalDifference).toBe("-6");
    expect(c.summary).toBe(
      "unit 2 is below unit 3 by 6; behind on business work -5; bonuses and deductions on the total -1",
    );
  });

  it("names what categories and adjustments leave unexplained (a roll-up into the total), not the floor at zero", () => {
    const scheme = directScheme({
      rollups: [
        { id: "branches", source: { total: true }, aggregation: "mean", share: 0.1, into: { total: true } },
      ],
      findingTypes: [{ id: "media", name: "media", levels: { city: { perFinding: 80 } } }],
      groups: [
        { id: "g1", name: "group 1" },
        { id: "sub", name: "sub-units", ranked: false },
      ],
    });
    const base = directDataset([
      ["25", "25", "50"], // U1: 70, its sub-unit brings it to 0.9 × 70 + 0.1 × 30 = 66
      ["25", "25", "50"], // U2: 70
      ["20", "20", "75"], // U3: 70 − 80, floored at 0: 70 taken, not 80
      ["10", "10", "25"], // U4: the sub-unit, 30
    ]);
    const dataset = {
      ...base,
      units: base.units.map((u) => (u.id === "U4" ? { ...u, group: "sub", parent: "U1" } : u)),
      findings: [{ id: "F1", unit: "U3", type: "media", level: "city" }],
    };
    const ev = evaluate(scheme, dataset);
    const rollup = compareUnits(ev, "U1", "U2");
    expect(rollup.totalDifference).toBe("-4");
    expect(rollup.otherDifference).toBe("-4");
    expect(rollup.summary).toBe("unit 1 is below unit 2 by 4; roll-ups into the total and rounding -4");
    const floored = compareUnits(ev, "U2", "U3");
    expect(floored.totalDifference).toBe("70");
    // 80 due, but only 70 could be taken: the deduction counts as taken, as a category's does,
    // so nothing is left over (the deduction line itself still says 80).
    expect(ev.units.find((u) => u.unit === "U3")!.adjustments.map((a) => a.points)).toEqual(["-80"]);
    expect(floored.adjustmentDifference).toBe("70");
    expect(floored.otherDifference).toBe("0");
    expect(floored.summary).toBe(
      "unit 2 is above unit 3 by 70; ahead on business work +5, organ construction +5; " +
        "behind on public evaluation -10; bonuses and deductions on the total 70",
    );
  });

  it("names an unknown unit", () => {
    expect(() => compareUnits(evaluation, "U1", "nobody")).toThrow(InputError);
    expect(() => compareUnits(evaluation, "U1", "nobody")).toThrow(/unitB: unknown unit "nobody"/);
  });

  it("names an evaluation that is none (an empty object, null) instead of failing on it", () => {
    for (const notOne of [{}, null, { units: "U1" }])
      expect(() => compareUnits(notOne as never, "U1", "U2")).toThrow(
        /evaluation: must be an evaluation, as evaluate returns it/,
      );
  });

  it("blames its argument for an unknown unit, not the dataset, which was valid", () => {
    try {
      compareUnits(evaluation, "U1", "nobody");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).subject).toBe("argument");
      expect((e as InputError).message).toMatch(/^invalid argument \(1 problem\):/);
    }
  });
});
