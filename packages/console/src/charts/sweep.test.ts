import { describe, expect, it } from "vitest";
import { translator } from "../i18n";
import type { SweepUnit } from "../robustness-api";
import { clickedUnit } from "./clicked-unit";
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

describe("the sweep chart's x axis", () => {
  it("spans the swept range exactly, not one rounded out past its ends", () => {
    const x = (units: SweepUnit[]) =>
      (
        sweepOption(units, {
          nominal: 30,
          selected: null,
          categoryLabel: "public",
          nominalLabel: "nominal",
        }) as {
          xAxis: { min?: number; max?: number };
        }
      ).xAxis;
    const unit = (from: number, to: number): SweepUnit => ({
      ...middle,
      segments: [segment(from, to, 1)],
      breakpoints: [],
    });
    expect(x([unit(15, 42)])).toMatchObject({ min: 15, max: 42 });
    expect(x([middle])).toMatchObject({ min: 15, max: 40 });
    // No line to draw: the axis is left to ECharts.
    expect(x([])).not.toHaveProperty("min");
  });
});

type Mark = {
  xAxis: number;
  name: string;
  label?: { show?: boolean; position?: string; verticalAlign?: string; distance?: number[]; align?: string };
};
type Series = { id?: string; data: number[][]; markLine?: { silent?: boolean; data: Mark[] } };

/** The one series whose marked lines include the nominal's (every test names it "nominal…"). */
const marksOf = (option: unknown) => {
  const all = (option as { series: Series[] }).series.filter((s) =>
    s.markLine?.data.some((m) => m.name.startsWith("nominal")),
  );
  expect(all).toHaveLength(1);
  return all[0]!;
};

describe("sweepOption", () => {
  it("draws a one-point segment as no spike, and marks its breakpoint once", () => {
    const option = sweepOption([middle], {
      nominal: 30,
      selected: "M",
      categoryLabel: "public",
      nominalLabel: "nominal",
    }) as { series: Series[] };
    const [line] = option.series;
    expect(line!.data).toEqual([
      [15, 3],
      [20, 3],
      [20, 3],
      [40, 3],
    ]);
    expect(marksOf(option).markLine!.data.map((m) => m.xAxis)).toEqual([30, 20]);
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
    });
    expect(marksOf(option).markLine!.data.map((m) => [m.xAxis, m.name])).toEqual([
      [30, "nominal"],
      [0, "0"],
    ]);
  });
});

describe("sweepOption's stability interval", () => {
  type Marked = {
    series: {
      id: string;
      markArea?: { data: [{ xAxis: number; name: string }, { xAxis: number }][] };
      markLine?: { data: { xAxis: number; name: string }[] };
    }[];
  };
  const option = (units: SweepUnit[], selected: string | null) =>
    sweepOption(units, { nominal: 30, selected, categoryLabel: "public", nominalLabel: "nominal" }) as Marked;
  const other: SweepUnit = { ...middle, unitId: "O", name: "other", breakpoints: [] };

  it("shades the selected unit's stretch on its own line, labelled with the table's brackets", () => {
    const [first, selected] = option([other, middle], "M").series;
    expect(selected!.markArea!.data).toEqual([[{ xAxis: 20, name: "(20 … 40]" }, { xAxis: 40 }]]);
    expect(first!.markArea).toBeUndefined();
    // The nominal and the breakpoints stay as they were, on no unit's line.
    expect(first!.markLine).toBeUndefined();
    expect(selected!.markLine).toBeUndefined();
    expect(marksOf(option([other, middle], "M")).markLine!.data.map((m) => m.xAxis)).toEqual([30, 20]);
  });

  it("draws a stretch of one point as a line there, beside the nominal's", () => {
    const tied: SweepUnit = {
      ...middle,
      stability: { from: "20", to: "20", includesFrom: true, includesTo: true, fromApprox: 20, toApprox: 20 },
    };
    const drawn = option([tied], "M");
    const [line] = drawn.series;
    expect(line!.markArea).toBeUndefined();
    expect(line!.markLine!.data.map((m) => [m.xAxis, m.name])).toEqual([[20, "[20 … 20]"]]);
    expect(marksOf(drawn).markLine!.data.map((m) => [m.xAxis, m.name])).toEqual([
      [30, "nominal"],
      [20, "20"],
    ]);
  });

  it("shades only while a unit with a stretch is selected", () => {
    const shaded = (o: Marked) => o.series.some((s) => s.markArea !== undefined);
    expect(shaded(option([other, middle], "M"))).toBe(true);
    expect(shaded(option([other, middle], null))).toBe(false);
    expect(shaded(option([other, { ...middle, stability: null }], "M"))).toBe(false);
    // Nor a line in its stead.
    expect(option([other, { ...middle, stability: null }], "M").series[1]!.markLine).toBeUndefined();
  });
});

describe("sweepOption's marked lines", () => {
  // Breakpoints 0.1 apart, an exact fraction among them: their labels would be drawn over each other.
  const close: SweepUnit = {
    ...middle,
    segments: [
      { ...segment(20, 35, 4, true, false), to: "104470/2929", toApprox: 104470 / 2929 },
      {
        ...segment(35, 36, 3),
        from: "104470/2929",
        fromApprox: 104470 / 2929,
        to: "35767/1000",
        toApprox: 35.767,
        includesTo: false,
      },
      { ...segment(36, 50, 2, true, true), from: "35767/1000", fromApprox: 35.767 },
    ],
    breakpoints: ["104470/2929", "35767/1000"],
    stability: null,
  };
  const draw = (nominal: number) =>
    sweepOption([close], { nominal, selected: "M", categoryLabel: "public", nominalLabel: "nominal 40" });
  type Tip = { tooltip: { formatter: (p: object) => string } };

  it("labels no breakpoint on the chart: two a hair apart cannot overlap, nor sit on the axis numbers", () => {
    const [, ...breakpoints] = marksOf(draw(40)).markLine!.data;
    expect(breakpoints.map((m) => m.xAxis)).toEqual([104470 / 2929, 35.767]);
    for (const m of breakpoints) expect(m.label?.show).toBe(false);
  });

  it("keeps a breakpoint's exact text for the pointer, escaped, and a click there selects no unit", () => {
    const option = draw(40);
    const marks = marksOf(option);
    expect(marks.markLine!.silent).toBeFalsy();
    expect(marks.markLine!.data.map((m) => m.name)).toEqual([
      "nominal 40",
      "104470/2929 ≈ 35.67",
      "35767/1000 ≈ 35.77",
    ]);
    const tip = (option as Tip).tooltip.formatter;
    expect(
      tip({ componentType: "markLine", seriesName: "", name: "104470/2929 ≈ 35.67", value: 35.67 }),
    ).toBe("104470/2929 ≈ 35.67");
    expect(tip({ componentType: "markLine", seriesName: "", name: "<b>", value: 1 })).toBe("&lt;b&gt;");
    expect(clickedUnit({ seriesId: marks.id }, [close])).toBeNull();
  });

  it("labels the nominal inside the grid under its top edge, clear of the axis numbers at the foot", () => {
    const [nominal] = marksOf(draw(40)).markLine!.data;
    // The line's start is the grid's top, rank 1 being on top.
    expect(nominal!.label).toMatchObject({ position: "start", verticalAlign: "top" });
    // A negative distance takes the label into the grid, not above it where the stretch's label is.
    expect(nominal!.label!.distance![1]).toBeLessThan(0);
  });

  it("turns the nominal's label towards the middle of the swept range, where the grid has room", () => {
    const [right] = marksOf(draw(45)).markLine!.data;
    expect(right!.label!.align).toBe("right");
    const [left] = marksOf(draw(25)).markLine!.data;
    expect(left!.label!.align).toBe("left");
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
