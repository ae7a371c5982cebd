import * as echarts from "echarts/core";
import { movedGroup } from "../moved-group";
import type { WhatIfUnit } from "../whatif-api";
import type { ChartOption } from "./echarts";
import { fitLabel, labelWidth } from "./fit-label";

const UP = "#067647";
const DOWN = "#b42318";
const SAME = "#98a2b3";
const MOVED_GROUP = "#6941c6";
// The names are drawn at the lines' right ends, in the grid's right margin (less the label's distance).
const RIGHT = 190;
const LABEL_ROOM = RIGHT - 8;
const LABEL_SIZE = 10.5;

/**
 * A slope chart: each ranked unit is a line from its baseline rank to its scenario rank (rank 1
 * at the top). Green lines rose, red ones fell; crossing lines are who overtook whom. A unit that
 * moved group is dashed and named so (`labels.movedGroup`): its ranks are of two groups, neither a
 * rise nor a fall, nor standing still.
 */
export function rankMovementOption(
  units: WhatIfUnit[],
  labels: { baseline: string; scenario: string; movedGroup?: string },
  selected: string | null,
): ChartOption {
  const ranked = units.filter((u) => u.baseline.rank !== null && u.scenario.rank !== null);
  const max = Math.max(1, ...ranked.flatMap((u) => [u.baseline.rank!, u.scenario.rank!]));
  return {
    animation: false,
    grid: { left: 44, right: RIGHT, top: 28, bottom: 16 },
    // A formatter's result is put in as HTML: names from imported data are escaped.
    tooltip: {
      trigger: "item",
      formatter: (p: { seriesName: string }) => echarts.format.encodeHTML(p.seriesName),
    },
    xAxis: {
      type: "category",
      data: [labels.baseline, labels.scenario],
      boundaryGap: false,
      position: "top",
      axisLine: { show: false },
      axisTick: { show: false },
    },
    yAxis: {
      type: "value",
      inverse: true,
      min: 1,
      max,
      interval: 1,
      axisLabel: { fontSize: 10 },
      splitLine: { lineStyle: { color: "#f2f4f7" } },
    },
    series: ranked.map((u) => {
      const regrouped = movedGroup(u);
      const d = regrouped ? 0 : (u.rankDelta ?? 0);
      const color = regrouped ? MOVED_GROUP : d < 0 ? UP : d > 0 ? DOWN : SAME;
      const isSelected = u.unitId === selected;
      // The move (↑3) is kept whole; the name gives way.
      const move = regrouped ? ` (${labels.movedGroup ?? "⇄"})` : d ? (d < 0 ? ` ↑${-d}` : ` ↓${d}`) : "";
      const still = d === 0 && !regrouped;
      const label =
        fitLabel(u.name, LABEL_ROOM - labelWidth(move, LABEL_SIZE, isSelected), LABEL_SIZE, isSelected) +
        move;
      return {
        name: u.name,
        id: u.unitId,
        type: "line",
        data: [u.baseline.rank, u.scenario.rank],
        symbolSize: isSelected ? 8 : 5,
        z: isSelected ? 10 : still ? 1 : 2,
        lineStyle: {
          color,
          width: isSelected ? 4 : still ? 1 : 2,
          ...(regrouped ? { type: "dashed" as const } : {}),
        },
        itemStyle: { color },
        emphasis: { focus: "series" },
        endLabel: {
          show: true,
          fontSize: LABEL_SIZE,
          color: isSelected ? "#101828" : color,
          fontWeight: isSelected ? "bold" : "normal",
          formatter: () => label,
        },
      };
    }),
  };
}
