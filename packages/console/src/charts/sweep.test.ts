import { describe, expect, it } from "vitest";
import { translator } from "../i18n";
import type { SweepUnit } from "../robustness-api";
import { endLabels, intervalLabel, stabilityText, sweepOption } from "./sweep";

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
  stability: { from: "20", to: "40", includesFrom: false, includesTo: true, fromApprox: 20, toApprox: 40 },
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

describe("a stretch's ends", () => {
  it("writes a stretch as the table does, an exact fraction with its approximation", () => {
    const s = {
      from: "104470/2929",
      to: "46.2",
      includesFrom: true,
      includesTo: false,
      fromApprox: 35.667,
      toApprox: 46.2,
    };
    expect(endLabels(s)).toEqual({ from: "[104470/2929 ≈ 35.67", to: "46.2)" });
    expect(intervalLabel(s)).toBe("[104470/2929 ≈ 35.67 … 46.2)");
    expect(intervalLabel(middle.segments[1]!)).toBe("[20 … 20]");
    expect(intervalLabel(middle.segments[2]!)).toBe("(20 … 40]");
  });
});

describe("stabilityText", () => {
  const range = { nominal: "30", from: "15", to: "40" };
  const en = translator("en");

  it("says which rank and grade hold over the stretch around the nominal, brackets as in the table", () => {
    const graded: SweepUnit = {
      ...middle,
      segments: middle.segments.map((s) => ({ ...s, grade: s.rank === 3 ? "good" : "excellent" })),
    };
    expect(stabilityText(graded, range, "public", en)).toBe(
      "Rank 3 and grade good hold for public points in (20 … 40].",
    );
    expect(stabilityText(middle, range, "public", en)).toBe("Rank 3 holds for public points in (20 … 40].");
    expect(stabilityText(graded, range, "开门评议", translator("zh-CN"))).toBe(
      "“开门评议”分值在 (20 … 40] 内，名次 3、等次 good 保持不变。",
    );
  });

  it("gives a unit of an unranked group its grade alone", () => {
    const unranked: SweepUnit = {
      ...middle,
      nominalRank: null,
      segments: [{ ...middle.segments[2]!, rank: null, grade: "pass" }],
    };
    expect(stabilityText(unranked, range, "public", en)).toBe(
      "Grade pass holds for public points in (20 … 40].",
    );
  });

  it("says why there is no stretch: the nominal outside the sweep, or no total to sweep", () => {
    const outside = { nominal: "50", from: "15", to: "40" };
    expect(stabilityText({ ...middle, stability: null }, outside, "public", en)).toBe(
      "No stretch where the nominal rank and grade hold: the nominal 50 public points lie outside the swept range, 15 to 40.",
    );
    expect(
      stabilityText({ ...middle, segments: [], breakpoints: [], stability: null }, range, "public", en),
    ).toBe("No stretch where the nominal rank and grade hold: this unit has no total to sweep.");
  });
});
