import * as echarts from "echarts/core";
import { formatRank } from "../format";
import type { Lang } from "../i18n";
import type { UncertaintyUnit } from "../robustness-api";
import type { ChartOption } from "./echarts";
import { fitLabel } from "./fit-label";

// Row names are drawn left of the grid, in its left margin (less the labels' margin).
const LEFT = 150;
const LABEL_MARGIN = 8;
const LABEL_SIZE = 10.5;

/** What ECharts hands an axis tooltip's formatter for each series at the row pointed at. */
interface TooltipParam {
  seriesName: string;
  dataIndex: number;
  marker?: string;
}

/**
 * Monte-Carlo rank intervals: per unit (ordered by official rank) a bar from the 5th to the
 * 95th percentile rank, a dot at the median and a diamond at the official rank.
 */
export function intervalsOption(
  units: UncertaintyUnit[],
  labels: { interval: string; median: string; nominal: string },
  lang: Lang,
): ChartOption {
  const ranked = units
    .filter((u) => u.nominalRank !== null && u.p5Rank !== null && u.p95Rank !== null)
    .sort((a, b) => a.nominalRank! - b.nominalRank!);
  const names = ranked.map((u) => u.name);
  const max = Math.max(1, ...ranked.map((u) => u.p95Rank!));
  return {
    animation: false,
    grid: { left: LEFT, right: 20, top: 28, bottom: 40 },
    legend: { bottom: 0, data: [labels.interval, labels.median, labels.nominal] },
    // The bar's own value is its length, p95 − p5 + 1 (25.049999999999955 − 8 + 1): the row is
    // told by its ranks instead, written as the table writes them. Names are escaped: a
    // formatter's result is put in as HTML.
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params: TooltipParam[]) => {
        const u = ranked[params[0]?.dataIndex ?? -1];
        if (!u) return "";
        const rank = (r: number) => formatRank(r, lang);
        const values: Record<string, string> = {
          [labels.interval]: `${rank(u.p5Rank!)} – ${rank(u.p95Rank!)}`,
          [labels.median]: u.medianRank === null ? "—" : rank(u.medianRank),
          [labels.nominal]: rank(u.nominalRank!),
        };
        const lines = params
          .filter((p) => Object.hasOwn(values, p.seriesName))
          .map((p) => `${p.marker ?? ""}${echarts.format.encodeHTML(p.seriesName)}: ${values[p.seriesName]}`);
        return [echarts.format.encodeHTML(u.name), ...lines].join("<br/>");
      },
    },
    // Points name their row by index: a name would put every unit sharing it on the first one's row.
    // The axis keeps the full names: the tooltip shows them; only the drawn label is cut.
    yAxis: {
      type: "category",
      data: names,
      inverse: true,
      axisLabel: {
        fontSize: LABEL_SIZE,
        margin: LABEL_MARGIN,
        formatter: (name: string) => fitLabel(name, LEFT - LABEL_MARGIN, LABEL_SIZE),
      },
    },
    // Bars span rank ± 0.5, so the axis runs from 0 to max + 1 with the ends unlabelled.
    xAxis: {
      type: "value",
      min: 0,
      max: max + 1,
      interval: 1,
      position: "top",
      axisLabel: { fontSize: 10, formatter: (v: number) => (v === 0 || v === max + 1 ? "" : String(v)) },
    },
    series: [
      {
        name: "base",
        type: "bar",
        stack: "interval",
        silent: true,
        itemStyle: { color: "transparent" },
        data: ranked.map((u) => u.p5Rank! - 0.5),
        tooltip: { show: false },
      },
      {
        name: labels.interval,
        type: "bar",
        stack: "interval",
        barWidth: 10,
        itemStyle: { color: "#fda29b", borderRadius: 5 },
        data: ranked.map((u) => u.p95Rank! - u.p5Rank! + 1),
      },
      {
        name: labels.median,
        type: "scatter",
        symbolSize: 8,
        itemStyle: { color: "#b42318" },
        data: ranked.map((u, row) => [u.medianRank, row]),
      },
      {
        name: labels.nominal,
        type: "scatter",
        symbol: "diamond",
        symbolSize: 9,
        itemStyle: { color: "#101828" },
        data: ranked.map((u, row) => [u.nominalRank, row]),
      },
    ],
  };
}
