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
    const option = intervalsOption(units, { interval: "i", median: "m", nominal: "n" }) as {
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
});
