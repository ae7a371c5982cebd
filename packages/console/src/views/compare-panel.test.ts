import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { renderIn } from "../_test-render";
import type { Comparison } from "../queries";
import { ComparisonTable } from "./compare-panel";

// A parent 4 points below a peer with the same categories: its sub-units' roll-up into the total.
const comparison = (otherDifference: string | null): Comparison => ({
  summary: "P is below Q by 4",
  totalDifference: "-4",
  adjustmentDifference: "0",
  otherDifference,
  a: { unitId: "P", name: "市公安局", rank: 2, total: "76.00" },
  b: { unitId: "Q", name: "市税务局", rank: 1, total: "80.00" },
  categories: [{ category: "work", name: "业务工作", a: "30.00", b: "30.00", difference: "0" }],
});

const differences = (c: Comparison, lang: "zh-CN" | "en") =>
  [
    ...renderIn(lang, createElement(ComparisonTable, { c })).matchAll(
      /<tr(?: class="total")?><td>([^<]*)<\/td>(?:<td[^>]*>[^<]*<\/td>|<td><\/td>){2}<td class="num ?[a-z]*">([^<]*)<\/td>/g,
    ),
  ].map((m) => [m[1], m[2]]);

describe("ComparisonTable", () => {
  it("shows what roll-ups, the floor and rounding add, so the column adds up to the total's", () => {
    expect(differences(comparison("-4"), "en")).toEqual([
      ["业务工作", "0.00"],
      ["Adjustments", "0.00"],
      ["Roll-ups, floor and rounding", "-4.00"],
      ["Total", "-4.00"],
    ]);
    expect(differences(comparison("-4"), "zh-CN")[2]).toEqual(["下级汇总、保底与舍入", "-4.00"]);
  });

  it("leaves the row out when there is nothing to show", () => {
    for (const other of ["0", null])
      expect(differences(comparison(other), "en").map(([label]) => label)).toEqual([
        "业务工作",
        "Adjustments",
        "Total",
      ]);
  });

  it("shows each difference with the decimals of the scores beside it, as the gateway wrote it", () => {
    const c: Comparison = {
      ...comparison(null),
      totalDifference: "1.4",
      adjustmentDifference: "-0.5",
      a: { unitId: "P", name: "市公安局", rank: 1, total: "84.20" },
      b: { unitId: "Q", name: "市税务局", rank: 2, total: "82.80" },
      categories: [
        { category: "work", name: "业务工作", a: "26.40", b: "26.00", difference: "0.4" },
        { category: "public", name: "开门评议", a: "30.86", b: "31.38", difference: "-0.52" },
        // Category points of one decimal, and an exact difference finer than the scores.
        { category: "organ", name: "机关建设", a: "27.1", b: "25.1", difference: "2" },
        { category: "vote", name: "票决", a: "20.00", b: "19.67", difference: "1/3" },
      ],
    };
    expect(differences(c, "en")).toEqual([
      ["业务工作", "0.40"],
      ["开门评议", "-0.52"],
      ["机关建设", "2.0"],
      ["票决", "1/3"],
      ["Adjustments", "-0.50"],
      ["Total", "1.40"],
    ]);
  });
});
