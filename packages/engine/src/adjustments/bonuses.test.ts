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
// "Commendations +5 at most, only the highest level counts", with a national award above the
// cap: each rule on its own, so that dropping one of them changes a published total.
const overCap = { ...commendation, levels: { national: 8, provincial: 3, city: 1 } };
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

  it("counts the smallest record id of several awards tied at the highest level, and only it", () => {
    const b = bonusesByUnit([overCap], parseDecimal(10), [
      { id: "b3", unit: "A", type: "commendation", level: "provincial" },
      { id: "b1", unit: "A", type: "commendation", level: "provincial" },
      { id: "b2", unit: "A", type: "commendation", level: "city" },
    ]).get("A")!;
    expect(toExactString(b.total)).toBe("3");
    expect(b.lines.map((l) => `${l.record} ${l.counted}`)).toEqual(["b1 true", "b2 false", "b3 false"]);
  });

  it("caps a 'highest' type too: one national award worth 8 counts as the type's cap of 5", () => {
    const b = bonusesByUnit([overCap], parseDecimal(10), [
      { id: "b1", unit: "A", type: "commendation", level: "national" },
    ]).get("A")!;
    expect(toExactString(b.total)).toBe("5");
    expect(b.capped).toEqual(["表彰 capped at 5"]);
  });

  it("applies the scheme's overall cap to a single type's sum", () => {
    const uncapped = { id: "project", name: "创新项目", levels: { city: 1.5 }, count: "sum" as const };
    const events = [1, 2, 3].map((i) => ({ id: `p${i}`, unit: "A", type: "project", level: "city" }));
    const b = bonusesByUnit([uncapped], parseDecimal(4), events).get("A")!;
    // 3 × 1.5 = 4.5, above the overall 4.
    expect(toExactString(b.total)).toBe("4");
    expect(b.capped).toEqual(["bonuses capped at 4"]);
  });
});
