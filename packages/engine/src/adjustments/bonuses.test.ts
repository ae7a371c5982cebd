import { describe, expect, it } from "vitest";
import { parseDecimal, toExactString } from "../rational.js";
import { bonusesByUnit } from "./bonuses.js";

const commendation = {
  id: "commendation",
  name: "表彰",
  levels: { national: 5, provincial: 3, city: 1 },
  count: "highest" as const,
  cap: 5,
};
const projects = { id: "project", name: "创新项目", levels: { city: 1 }, count: "sum" as const, cap: 2 };

describe("bonusesByUnit", () => {
  it("counts only the highest level of a 'highest' type", () => {
    const b = bonusesByUnit([commendation], parseDecimal(10), [
      { id: "b1", unit: "A", type: "commendation", level: "city" },
      { id: "b2", unit: "A", type: "commendation", level: "provincial" },
    ]).get("A")!;
    expect(toExactString(b.total)).toBe("3");
    expect(b.lines.map((l) => [l.record, l.counted])).toEqual([
      ["b1", false],
      ["b2", true],
    ]);
  });

  it("caps a type, then the overall bonus", () => {
    const events = [1, 2, 3].map((i) => ({ id: `p${i}`, unit: "A", type: "project", level: "city" }));
    expect(toExactString(bonusesByUnit([projects], parseDecimal(10), events).get("A")!.total)).toBe("2");
    const both = bonusesByUnit([commendation, projects], parseDecimal("5.5"), [
      ...events,
      { id: "c", unit: "A", type: "commendation", level: "national" },
    ]).get("A")!;
    expect(toExactString(both.total)).toBe("5.5");
    expect(both.capped).toEqual(["创新项目 capped at 2", "bonuses capped at 5.5"]);
  });
});
