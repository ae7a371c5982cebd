import * as echarts from "echarts/core";
import { exactLabel } from "../format";
import type { Translate } from "../i18n";
import type { ExactInterval, Sweep, SweepUnit } from "../robustness-api";
import type { ChartOption } from "./echarts";
import { fitLabel } from "./fit-label";

// Names are drawn at the lines' right ends, in the grid's right margin (less the label's distance).
const RIGHT = 170;
const LABEL_SIZE = 10;
// How far below the grid's top edge the nominal's label starts.
const NOMINAL_INSET = 3;
// The selected unit's colour, lightly: the shading lies under every line.
const STABLE = "#101828";
const STABLE_AREA = "rgba(16, 24, 40, 0.1)";
const PALETTE = ["#b42318", "#175cd3", "#067647", "#b54708", "#6941c6", "#c11574", "#0e9384", "#344054"];

/**
 * Rank as a step function of the swept points, one line per unit (rank 1 on top). Units whose
 * rank changes are coloured and labelled; a line marks the nominal points and dashed lines, for
 * the selected unit, its exact breakpoints. The selected unit's stability interval is shaded (a
 * line when it is a single point) and labelled with the bracket text of its table and sentence.
 *
 * Only the nominal line carries a visible label, inside the grid's top edge: breakpoints can lie
 * a hair apart and the foot of the grid holds the axis numbers, so no placement of their labels
 * keeps them apart at every width. A breakpoint's exact value is in its tooltip and in the table.
 */
export function sweepOption(
  units: SweepUnit[],
  opts: { nominal: number; selected: string | null; categoryLabel: string; nominalLabel: string },
): ChartOption {
  // Rank lines only: units of unranked groups have grade segments without a rank.
  const ranked = units.filter((u) => u.segments.length > 0 && u.segments[0]!.rank !== null);
  const max = Math.max(1, ...ranked.flatMap((u) => u.segments.map((s) => s.rank ?? 0)));
  let colour = 0;
  const selected = ranked.find((u) => u.unitId === opts.selected);
  const stability = selected?.stability ?? null;
  // A stretch of one point has no width to shade: it is drawn as a line at that point.
  const onePoint = stability !== null && stability.from === stability.to;
  return {
    animation: false,
    grid: { left: 44, right: RIGHT, top: 24, bottom: 40 },
    tooltip: {
      trigger: "item",
      // A formatter's result is put in as HTML: names from imported data are escaped.
      formatter: (p: { componentType?: string; seriesName: string; name?: string; value: number[] }) =>
        p.componentType === "markLine"
          ? echarts.format.encodeHTML(p.name ?? "")
          : `${echarts.format.encodeHTML(p.seriesName)}: ${p.value[1]}`,
    },
    // The swept range exactly: an axis rounded out past it would leave the lines' ends, and the
    // names drawn there, inside the grid.
    xAxis: {
      type: "value",
      name: opts.categoryLabel,
      nameLocation: "middle",
      nameGap: 26,
      scale: true,
      ...sweptRange(ranked),
    },
    yAxis: { type: "value", inverse: true, min: 1, max, interval: 1, axisLabel: { fontSize: 10 } },
    series: [
      ...ranked.map((u) => {
        const moves = u.breakpoints.length > 0;
        const isSelected = u.unitId === opts.selected;
        const color = isSelected ? STABLE : moves ? PALETTE[colour++ % PALETTE.length]! : "#d0d5dd";
        // A segment of one point (a rank held only where units tie) has no length to draw: the
        // line steps from the stretch before it to the one after, and the table lists the point.
        const data = u.segments
          .filter((s) => s.from !== s.to)
          .flatMap((s) => [
            [s.fromApprox, s.rank],
            [s.toApprox, s.rank],
          ]);
        return {
          name: u.name,
          id: u.unitId,
          type: "line",
          data,
          showSymbol: false,
          z: isSelected ? 10 : moves ? 2 : 1,
          lineStyle: { color, width: isSelected ? 3 : moves ? 1.5 : 1 },
          itemStyle: { color },
          emphasis: { focus: "series" },
          endLabel: {
            show: moves || isSelected,
            fontSize: LABEL_SIZE,
            color,
            formatter: () => fitLabel(u.name, RIGHT - 8, LABEL_SIZE),
          },
          ...markLine([
            ...(isSelected && stability && onePoint
              ? [
                  {
                    xAxis: stability.fromApprox,
                    name: intervalLabel(stability),
                    lineStyle: { color: STABLE, type: "solid", width: 2 },
                    // Above the grid (its start, the axis being inverse), as the area's.
                    label: { position: "start", color: "#344054" },
                  },
                ]
              : []),
          ]),
          ...(isSelected && stability && !onePoint
            ? {
                markArea: {
                  silent: true,
                  itemStyle: { color: STABLE_AREA },
                  // Above the grid, which is free: the nominal's label is inside the grid.
                  label: { position: "top", fontSize: 10, color: "#344054" },
                  data: [
                    [
                      { xAxis: stability.fromApprox, name: intervalLabel(stability) },
                      { xAxis: stability.toApprox },
                    ],
                  ],
                },
              }
            : {}),
        };
      }),
      ...(ranked.length > 0 ? [marks(ranked, selected, opts)] : []),
    ],
  };
}

/**
 * The nominal points and the selected unit's exact breakpoints as vertical lines, on a series of
 * their own with no data: the pointer on a line shows its exact value, and a click there has no
 * unit's series to select.
 */
function marks(
  ranked: SweepUnit[],
  selected: SweepUnit | undefined,
  opts: { nominal: number; nominalLabel: string },
): object {
  const { min = opts.nominal, max = opts.nominal } = sweptRange(ranked);
  // The label runs from the line towards the middle, where the grid has room for it.
  const left = opts.nominal > (min + max) / 2;
  return {
    type: "line",
    data: [],
    markLine: {
      symbol: "none",
      label: { formatter: (p: { name: string }) => p.name, fontSize: 10 },
      emphasis: { lineStyle: { width: 2 } },
      data: [
        {
          xAxis: opts.nominal,
          name: opts.nominalLabel,
          lineStyle: { color: "#b42318", type: "solid" },
          // Inside the grid under its top edge (the line's start, the axis being inverse): the
          // foot holds the axis numbers, and above the grid the stability stretch's label is
          // centred on a stretch that holds the nominal.
          label: {
            position: "start",
            distance: [0, -NOMINAL_INSET],
            verticalAlign: "top",
            align: left ? "right" : "left",
            padding: [1, 4],
            color: "#b42318",
            backgroundColor: "rgba(255, 255, 255, 0.85)",
          },
        },
        // The unit's own breakpoints, each once: a one-point segment's point, and a range end where
        // the rank or grade differs from the stretch next to it, included. Unlabelled on the chart:
        // two can lie closer than any label is wide.
        ...(selected?.breakpoints.map((b) => {
          const x = approxOf(selected, b);
          return {
            xAxis: x,
            name: exactLabel(b, 2, x),
            lineStyle: { color: "#667085", type: "dashed" },
            label: { show: false },
          };
        }) ?? []),
      ],
    },
  };
}

/** Vertical lines on a series, or none: an empty markLine would still be a component to draw. */
function markLine(data: object[]): object {
  return data.length === 0
    ? {}
    : {
        markLine: {
          symbol: "none",
          silent: true,
          label: { formatter: (p: { name: string }) => p.name, fontSize: 10 },
          data,
        },
      };
}

/** A breakpoint's position on the axis: the approximation the gateway gave for that end. */
function approxOf(unit: SweepUnit, exact: string): number {
  for (const s of unit.segments) {
    if (s.from === exact) return s.fromApprox;
    if (s.to === exact) return s.toApprox;
  }
  return Number(exact);
}

/**
 * A stretch's ends as the sweep table writes them, "[35.67" and "46.20)": a square bracket says
 * the end itself belongs to the stretch, a round one that it belongs to the stretch next to it.
 */
export function endLabels(s: ExactInterval): { from: string; to: string } {
  return {
    from: `${s.includesFrom ? "[" : "("}${exactLabel(s.from, 2, s.fromApprox)}`,
    to: `${exactLabel(s.to, 2, s.toApprox)}${s.includesTo ? "]" : ")"}`,
  };
}

/** A stretch in one piece of text with the table's brackets: "[38.2 … 52.7)", "[20 … 20]". */
export function intervalLabel(s: ExactInterval): string {
  const { from, to } = endLabels(s);
  return `${from} … ${to}`;
}

/**
 * Where the unit's nominal rank and grade hold, in words: "Rank 9 and grade excellent hold for
 * public points in [35.67 … 46.20)".
 */
export function stabilityText(
  unit: SweepUnit,
  sweep: Pick<Sweep, "nominal" | "from" | "to">,
  category: string,
  t: Translate,
): string {
  const s = unit.stability;
  // A unit without a total has no segments, wherever the nominal lies: "outside" would be wrong.
  if (!s)
    return t(unit.segments.length === 0 ? "robust.stable.noTotal" : "robust.stable.outside", {
      category,
      nominal: sweep.nominal,
      from: sweep.from,
      to: sweep.to,
    });
  // The stability interval is the segment holding the nominal: its rank and grade are the nominal's.
  const seg = unit.segments.find(
    (x) =>
      x.from === s.from &&
      x.to === s.to &&
      x.includesFrom === s.includesFrom &&
      x.includesTo === s.includesTo,
  );
  const vars = { category, interval: intervalLabel(s), rank: seg?.rank ?? "", grade: seg?.grade ?? "" };
  if (!seg || (seg.rank === null && seg.grade === null)) return t("robust.stable.standing", vars);
  if (seg.rank === null) return t("robust.stable.grade", vars);
  return t(seg.grade === null ? "robust.stable.rank" : "robust.stable.rankGrade", vars);
}

/** The swept range, read off the lines' first and last stretches (none without a line). */
function sweptRange(units: SweepUnit[]): { min?: number; max?: number } {
  if (units.length === 0) return {};
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const u of units) {
    min = Math.min(min, u.segments[0]!.fromApprox);
    max = Math.max(max, u.segments.at(-1)!.toApprox);
  }
  return min < max ? { min, max } : {};
}
