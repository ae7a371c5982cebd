import { describe, expect, it } from "vitest";
import type { SweepUnit } from "../robustness-api";
import type { WhatIfUnit } from "../whatif-api";
import { clickedUnit } from "./clicked-unit";
import { rankMovementOption } from "./rank-movement";
import { sweepOption } from "./sweep";

// Two schools called 第一中学 in different districts.
const names = [
  ["A", "第一中学"],
  ["B", "第二中学"],
  ["C", "第一中学"],
] as const;

const whatIfUnit = (unitId: string, name: string, rank: number): WhatIfUnit => {
  const standing = {
    group: "g",
    total: "80",
    rank,
    rankedInGroup: 3,
    grade: null,
    eligibleForExcellence: true,
    eligibleForAward: true,
  };
  return { unitId, name, baseline: standing, scenario: standing, totalDelta: "0", rankDelta: 0, parts: [] };
};
const sweepUnit = (unitId: string, name: string, rank: number): SweepUnit => ({
  unitId,
  name,
  group: "g",
  nominalRank: rank,
  segments: [
    {
      from: "0",
      to: "10",
      includesFrom: true,
      includesTo: true,
      fromApprox: 0,
      toApprox: 10,
      rank,
      grade: null,
    },
  ],
  breakpoints: [],
  stability: null,
});

type Series = { id: string; name: string }[];
/** The click ECharts reports on a series: its id and name as the option gave them. */
const clickOn = (series: Series, unitId: string) => {
  const s = series.find((x) => x.id === unitId)!;
  return { seriesId: s.id, seriesName: s.name };
};

describe("clickedUnit", () => {
  it("selects the unit whose what-if line was clicked, even when another unit has its name", () => {
    const units = names.map(([id, name], i) => whatIfUnit(id, name, i + 1));
    const { series } = rankMovementOption(units, { baseline: "b", scenario: "s" }, null) as {
      series: Series;
    };
    expect(clickedUnit(clickOn(series, "C"), units)).toBe("C");
    expect(clickedUnit(clickOn(series, "A"), units)).toBe("A");
  });

  it("selects the unit whose sweep line was clicked, even when another unit has its name", () => {
    const units = names.map(([id, name], i) => sweepUnit(id, name, i + 1));
    const { series } = sweepOption(units, {
      nominal: 5,
      selected: null,
      categoryLabel: "c",
      nominalLabel: "n",
    }) as { series: Series };
    expect(clickedUnit(clickOn(series, "C"), units)).toBe("C");
  });

  it("selects nothing for a click that is not on a unit's line", () => {
    expect(clickedUnit({ seriesId: "markLine", seriesName: "nominal 40" }, [])).toBeNull();
    expect(clickedUnit({ seriesName: "第一中学" }, [{ unitId: "A" }])).toBeNull();
  });
});
