import { describe, expect, it } from "vitest";
import { standing, whatIfUnit as unit } from "../_test-what-if-unit";
import { rankMovementOption } from "./rank-movement";

type Series = {
  id: string;
  z: number;
  lineStyle: { color: string; width: number; type?: string };
  endLabel: { formatter: () => string };
};

describe("rankMovementOption", () => {
  it("draws a unit that moved group apart from one that stood still: dashed, its own colour, named so", () => {
    const units = [
      unit("B1", standing("g2", 2), standing("g2new", 1), null),
      unit("S", standing("g2new", 1), standing("g2new", 1), 0),
      unit("R", standing("g2new", 3), standing("g2new", 2), -1),
    ];
    const option = rankMovementOption(
      units,
      { baseline: "2041", scenario: "2042", movedGroup: "moved group" },
      null,
    ) as unknown as { series: Series[] };
    const [moved, still, rose] = option.series as [Series, Series, Series];
    expect(moved.endLabel.formatter()).toBe("B1 (moved group)");
    expect(moved.lineStyle.type).toBe("dashed");
    expect(moved.lineStyle.color).not.toBe(still.lineStyle.color);
    expect(moved.lineStyle.color).not.toBe(rose.lineStyle.color);
    // Drawn as a move is, not thin and behind as a unit that stood still.
    expect([moved.z, moved.lineStyle.width]).toEqual([rose.z, rose.lineStyle.width]);
    expect(still.endLabel.formatter()).toBe("S");
    expect(still.lineStyle.type).toBeUndefined();
    expect(rose.endLabel.formatter()).toBe("R ↑1");
  });
});
