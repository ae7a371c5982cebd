import { describe, expect, it } from "vitest";
import { subUnitsOf } from "./rollup-sub-units";

describe("subUnitsOf", () => {
  it("counts a parent's sub-units once on each side, chained roll-ups reading the same ones", () => {
    const chained = [
      { rollupId: "public-branches", subUnits: 2, withoutResult: 0 },
      { rollupId: "public-offices", subUnits: 2, withoutResult: 1 },
    ];
    expect(subUnitsOf({ subUnits: { baseline: chained, scenario: chained } })).toEqual({
      baseline: { subUnits: 2, withoutResult: 1 },
      scenario: { subUnits: 2, withoutResult: 1 },
    });
  });

  it("says none on a side no roll-up applies on, and a count that moved on the other", () => {
    const three = [{ rollupId: "branches", subUnits: 3, withoutResult: 0 }];
    expect(subUnitsOf({ subUnits: { baseline: null, scenario: three } })).toEqual({
      baseline: null,
      scenario: { subUnits: 3, withoutResult: 0 },
    });
  });

  it("tells a side whose roll-ups read no sub-unit (the parent had no result of its own) from one none applies on", () => {
    const two = [{ rollupId: "subs", subUnits: 2, withoutResult: 0 }];
    expect(subUnitsOf({ subUnits: { baseline: two, scenario: [] } })).toEqual({
      baseline: { subUnits: 2, withoutResult: 0 },
      scenario: "unread",
    });
    expect(subUnitsOf({ subUnits: { baseline: [], scenario: [] } })).toEqual({
      baseline: "unread",
      scenario: "unread",
    });
    expect(subUnitsOf({ subUnits: { baseline: [], scenario: null } })).toEqual({
      baseline: "unread",
      scenario: null,
    });
  });
});
