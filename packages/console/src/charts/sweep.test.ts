import { describe, expect, it } from "vitest";
import type { SweepUnit } from "../robustness-api";
import { sweepOption } from "./sweep";

const segment = (from: number, to: number, rank: number, includesFrom = true, includesTo = from === to) => ({
  from: String(from),
  to: String(to),
  includesFrom,
  includesTo,
  fromApprox: from,
  toApprox: to,
  rank,
  grade: null,
});

// Three units meet at 20: the middle one is tied for 2nd there only, a segment of one point.
const middle: SweepUnit = {
  unitId: "M",
  name: "middle",
  group: "g",
  nominalRank: 3,
  segments: [segment(15, 20, 3), segment(20, 20, 2), segment(20, 40, 3, false, true)],
  breakpoints: ["20"],
  stability: { from: "20", to: "40" },
};

describe("sweepOption", () => {
  it("draws a one-point segment as no spike, and marks its breakpoint once", () => {
    const option = sweepOption([middle], {
      nominal: 30,
      selected: "M",
      categoryLabel: "public",
      nominalLabel: "nominal",
    }) as { series: { data: number[][]; markLine: { data: { xAxis: number }[] } }[] };
    const [line] = option.series;
    expect(line!.data).toEqual([
      [15, 3],
      [20, 3],
      [20, 3],
      [40, 3],
    ]);
    expect(line!.markLine.data.map((m) => m.xAxis)).toEqual([30, 20]);
  });

  it("marks a breakpoint at the range's end, where the rank differs at that point alone", () => {
    // A parent whose roll-up has nothing to read where the swept category is worth 0.
    const parent: SweepUnit = {
      ...middle,
      segments: [segment(0, 0, 2), segment(0, 40, 1, false, true)],
      breakpoints: ["0"],
    };
    const option = sweepOption([parent], {
      nominal: 30,
      selected: "M",
      categoryLabel: "public",
      nominalLabel: "nominal",
    }) as { series: { markLine: { data: { xAxis: number; name: string }[] } }[] };
    expect(option.series[0]!.markLine.data.map((m) => [m.xAxis, m.name])).toEqual([
      [30, "nominal"],
      [0, "0"],
    ]);
  });
});
