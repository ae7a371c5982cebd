import { describe, expect, it } from "vitest";
import type { UncertaintyUnit } from "../robustness-api";
import { intervalsOption } from "./intervals";

const unit = (unitId: string, name: string, rank: number, p5: number, p95: number): UncertaintyUnit => ({
  unitId,
  name,
  group: "g",
  nominalRank: rank,
  medianRank: rank,
  p5Rank: p5,
  p95Rank: p95,
  pExcellent: 0,
  pLast: 0,
});

type Series = { name: string; data: unknown[] }[];

describe("intervalsOption", () => {
  it("draws each unit's median and official rank on its own row, even when two units share a name", () => {
    // Two schools called 第一中学 in different districts: the second must not be drawn on the first's row.
    const units = [
      unit("A", "第一中学", 1, 1, 2),
      unit("B", "第二中学", 2, 1, 3),
      unit("C", "第一中学", 3, 2, 3),
    ];
    const option = intervalsOption(units, { interval: "i", median: "m", nominal: "n" }, "en") as {
      yAxis: { data: unknown[] };
      series: Series;
    };
    const rows = option.yAxis.data.length;
    expect(rows).toBe(3);
    const nominal = option.series[3]!.data as [number, unknown][];
    const rowOf = (y: unknown) =>
      typeof y === "number"
        ? y
        : option.yAxis.data.findIndex((d) => (d as { value?: unknown }).value === y || d === y);
    expect(nominal.map(([, y]) => rowOf(y))).toEqual([0, 1, 2]);
    const median = option.series[2]!.data as [number, unknown][];
    expect(median.map(([, y]) => rowOf(y))).toEqual([0, 1, 2]);
  });

  it("says in the tooltip each row's ranks as the table writes them, not the bar's float length", () => {
    const units = [unit("U09", "<b>市市场监督管理局</b>", 9, 8.000000000000002, 25.049999999999955)];
    const option = intervalsOption(units, { interval: "i", median: "m", nominal: "n" }, "en") as {
      tooltip: { formatter: (p: { seriesName: string; dataIndex: number }[]) => string };
    };
    const html = option.tooltip.formatter([
      { seriesName: "i", dataIndex: 0 },
      { seriesName: "m", dataIndex: 0 },
      { seriesName: "n", dataIndex: 0 },
    ]);
    expect(html).toBe("&lt;b&gt;市市场监督管理局&lt;/b&gt;<br/>i: 8 – 25.05<br/>m: 9<br/>n: 9");
  });
});
