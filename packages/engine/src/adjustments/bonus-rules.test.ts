import { describe, expect, it } from "vitest";
import { parseDecimal, toExactString } from "../rational.js";
import { bonusesByUnit } from "./bonuses.js";

// "Commendations +5 at most, only the highest level counts": the rules a bonus table states,
// each on its own, so that dropping one of them changes a published total.
const commendation = {
  id: "commendation",
  name: "表彰",
  levels: { national: 8, provincial: 3, city: 1 },
  count: "highest" as const,
  cap: 5,
};

describe("bonusesByUnit, one rule at a time", () => {
  it("counts the smallest record id of several awards tied at the highest level, and only it", () => {
    const b = bonusesByUnit([commendation], parseDecimal(10), [
      { id: "b3", unit: "A", type: "commendation", level: "provincial" },
      { id: "b1", unit: "A", type: "commendation", level: "provincial" },
      { id: "b2", unit: "A", type: "commendation", level: "city" },
    ]).get("A")!;
    expect(toExactString(b.total)).toBe("3");
    expect(b.lines.map((l) => `${l.record} ${l.counted}`)).toEqual(["b1 true", "b2 false", "b3 false"]);
  });

  it("caps a 'highest' type too: one national award worth 8 counts as the type's cap of 5", () => {
    const b = bonusesByUnit([commendation], parseDecimal(10), [
      { id: "b1", unit: "A", type: "commendation", level: "national" },
    ]).get("A")!;
    expect(toExactString(b.total)).toBe("5");
    expect(b.capped).toEqual(["表彰 capped at 5"]);
  });

  it("applies the scheme's overall cap to a single type's sum", () => {
    const projects = { id: "project", name: "创新项目", levels: { city: 1.5 }, count: "sum" as const };
    const events = [1, 2, 3].map((i) => ({ id: `p${i}`, unit: "A", type: "project", level: "city" }));
    const b = bonusesByUnit([projects], parseDecimal(4), events).get("A")!;
    // 3 × 1.5 = 4.5, above the overall 4.
    expect(toExactString(b.total)).toBe("4");
    expect(b.capped).toEqual(["bonuses capped at 4"]);
  });
});
