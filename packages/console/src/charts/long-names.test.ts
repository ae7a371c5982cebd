import * as echarts from "echarts/core";
import { describe, expect, it } from "vitest";
import { standing } from "../_test-what-if-unit";
import type { SweepUnit, UncertaintyUnit } from "../robustness-api";
import type { WhatIfUnit } from "../whatif-api";
import { intervalsOption } from "./intervals";
import { rankMovementOption } from "./rank-movement";
import { sweepOption } from "./sweep";

const LONG = "某某市某某区人民政府办公室行政审批服务局第二分局综合窗口";
const width = (text: string, size: number, weight = "") =>
  echarts.format.getTextRect(text, `${weight} ${size}px sans-serif`.trim()).width;

type Label = { fontSize: number; fontWeight?: string; distance?: number; formatter: () => string };
type Option = { grid: { left: number; right: number }; series: { endLabel: Label }[] };

describe("long unit names in the charts", () => {
  it("what-if: a line's end label fits beside the chart, the move kept, the full name in the tooltip", () => {
    const units: WhatIfUnit[] = [
      {
        unitId: "A",
        name: LONG,
        baseline: standing("g", 2),
        scenario: standing("g", 1),
        totalDelta: "1",
        rankDelta: -1,
        parts: [],
      },
    ];
    const option = rankMovementOption(units, { baseline: "b", scenario: "s" }, "A") as unknown as Option & {
      tooltip: { formatter: (p: { seriesName: string }) => string };
    };
    const label = option.series[0]!.endLabel;
    const text = label.formatter();
    expect(text.endsWith("… ↑1")).toBe(true);
    expect(width(text, label.fontSize, label.fontWeight)).toBeLessThanOrEqual(option.grid.right - 8);
    expect(option.tooltip.formatter({ seriesName: LONG })).toContain(LONG);
  });

  it("sweep: a line's end label fits beside the chart", () => {
    const units: SweepUnit[] = [
      {
        unitId: "A",
        name: LONG,
        group: "g",
        nominalRank: 1,
        segments: [
          {
            from: "0",
            to: "5",
            includesFrom: true,
            includesTo: false,
            fromApprox: 0,
            toApprox: 5,
            rank: 1,
            grade: null,
          },
          {
            from: "5",
            to: "9",
            includesFrom: true,
            includesTo: true,
            fromApprox: 5,
            toApprox: 9,
            rank: 2,
            grade: null,
          },
        ],
        breakpoints: ["5"],
        stability: null,
      },
    ];
    const option = sweepOption(units, {
      nominal: 4,
      selected: null,
      categoryLabel: "c",
      nominalLabel: "n",
    }) as Option;
    const label = option.series[0]!.endLabel;
    expect(label.formatter().endsWith("…")).toBe(true);
    expect(width(label.formatter(), label.fontSize)).toBeLessThanOrEqual(option.grid.right - 8);
  });

  it("Monte-Carlo: a row's label fits left of the chart, the axis keeps the full name for the tooltip", () => {
    const units: UncertaintyUnit[] = [
      {
        unitId: "A",
        name: LONG,
        group: "g",
        nominalRank: 1,
        medianRank: 1,
        p5Rank: 1,
        p95Rank: 2,
        pExcellent: 0,
        pLast: 0,
      },
    ];
    const option = intervalsOption(units, { interval: "i", median: "m", nominal: "n" }, "en") as unknown as {
      grid: { left: number };
      yAxis: {
        data: string[];
        axisLabel: { fontSize: number; margin?: number; formatter: (v: string) => string };
      };
    };
    const { axisLabel } = option.yAxis;
    expect(option.yAxis.data).toEqual([LONG]);
    const shown = axisLabel.formatter(LONG);
    expect(shown.endsWith("…")).toBe(true);
    expect(width(shown, axisLabel.fontSize)).toBeLessThanOrEqual(option.grid.left - (axisLabel.margin ?? 8));
  });
});
