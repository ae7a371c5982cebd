import { describe, expect, it } from "vitest";
import { toExactString } from "../rational.js";
import { deductionsByUnit } from "./deductions.js";

// The real table for a 10-point item: city team −0.3 per case, −1 if not rectified in time,
// −2 if notified twice in a row; district −0.2 / −0.5 / −1; the bureau's own −0.1 / −0.3 / −0.6.
const visit = {
  id: "visit",
  name: "明察暗访",
  category: "business",
  levels: {
    city: { perFinding: 0.3, notRectified: 1, repeated: 2 },
    district: { perFinding: 0.2, notRectified: 0.5, repeated: 1 },
    bureau: { perFinding: 0.1, notRectified: 0.3, repeated: 0.6 },
  },
  cap: 2.5,
};

describe("deductionsByUnit", () => {
  it("applies the amount the table names for each escalation, replacing the base", () => {
    const d = deductionsByUnit(
      [visit],
      [
        { id: "f3", unit: "A", type: "visit", level: "district", rectification: "late" },
        { id: "f1", unit: "A", type: "visit", level: "city", rectification: "on-time" },
        { id: "f2", unit: "A", type: "visit", level: "city", rectification: "not-rectified" },
        {
          id: "f4",
          unit: "A",
          type: "visit",
          level: "bureau",
          repeated: true,
          rectification: "not-rectified",
        },
      ],
    ).get("A")!;
    expect(d.lines.map((l) => [l.record, l.points, l.basis])).toEqual([
      ["f1", "-0.3", "per finding"],
      ["f2", "-1", "not rectified"],
      ["f3", "-0.5", "rectified late"],
      ["f4", "-0.6", "repeated"],
    ]);
    expect(toExactString(d.byTarget.get("business")!)).toBe("2.4");
    expect(d.caps).toEqual([]);
  });

  it("caps a type's deductions and says so", () => {
    const d = deductionsByUnit(
      [visit],
      [1, 2].map((i) => ({ id: `f${i}`, unit: "A", type: "visit", level: "city", repeated: true })),
    ).get("A")!;
    expect(toExactString(d.byTarget.get("business")!)).toBe("2.5");
    expect(d.caps.map((c) => [c.type, toExactString(c.before), toExactString(c.after)])).toEqual([
      ["visit", "4", "2.5"],
    ]);
  });

  it("hits the total when a type names no category", () => {
    const { category: _, ...onTotal } = visit;
    const d = deductionsByUnit([onTotal], [{ id: "f", unit: "A", type: "visit", level: "city" }]).get("A")!;
    expect(toExactString(d.byTarget.get("")!)).toBe("0.3");
  });

  it("stays exact when counts times amounts pass 2^53", () => {
    const big = { id: "big", name: "big", levels: { city: { perFinding: "123456789012345.6" } } };
    const findings = Array.from({ length: 10 }, (_, i) => ({
      id: `f${i}`,
      unit: "A",
      type: "big",
      level: "city",
    }));
    const d = deductionsByUnit([big], findings).get("A")!;
    expect(toExactString(d.byTarget.get("")!)).toBe("1234567890123456");
  });
});
