import { describe, expect, it } from "vitest";
import { translator } from "../i18n";
import type { Standing, WhatIfUnit } from "../whatif-api";
import { toCsv } from "./csv";
import { whatIfTable } from "./whatif-table";

const standing = (over: Partial<Standing>): Standing => ({
  group: "law",
  total: "84.20",
  rank: 9,
  rankedInGroup: 29,
  grade: "excellent",
  eligibleForExcellence: true,
  eligibleForAward: true,
  ...over,
});
const unit = (
  unitId: string,
  name: string,
  baseline: Partial<Standing>,
  scenario: Partial<Standing>,
  delta: string | null,
  rankDelta: number | null,
): WhatIfUnit => ({
  unitId,
  name,
  baseline: standing(baseline),
  scenario: standing(scenario),
  totalDelta: delta,
  rankDelta,
  parts: [],
});

const names = {
  group: (id: string) => (id === "law" ? "执法监管部门" : id),
  grade: (id: string | null) => (id === "excellent" ? "优秀" : id === "good" ? "良好" : (id ?? "")),
  flags: (s: Standing) => (s.eligibleForExcellence ? [] : ["NOT_ELIGIBLE_FOR_EXCELLENCE"]),
};

describe("whatIfTable", () => {
  it("gives each unit both sides' total, rank and grade, the changes and the scenario's flags, in the page's order", () => {
    const units = [
      unit(
        "U05",
        "市应急管理局",
        { rank: null, total: null, grade: null },
        { rank: null, total: null, grade: null, eligibleForExcellence: false },
        null,
        null,
      ),
      unit("U09", "市市场监督管理局", {}, { total: "82.94", rank: 10, grade: "good" }, "-1.265", 1),
      unit(
        "U26",
        "市行政审批服务局",
        { total: "79.78", rank: 12, grade: "good" },
        { total: "83.57", rank: 7, grade: "excellent" },
        "1/3",
        -5,
      ),
    ];
    const table = whatIfTable(units, names, translator("zh-CN"));
    expect(table.header).toEqual([
      "单位",
      "可比组",
      "基准总分",
      "基准名次",
      "基准等次",
      "情景总分",
      "情景名次",
      "情景等次",
      "总分变化",
      "名次变化（正数为下降）",
      "标记",
    ]);
    expect(table.rows).toEqual([
      ["市行政审批服务局", "执法监管部门", "79.78", 12, "良好", "83.57", 7, "优秀", "1/3", -5, ""],
      ["市市场监督管理局", "执法监管部门", "84.20", 9, "优秀", "82.94", 10, "良好", "-1.265", 1, ""],
      ["市应急管理局", "执法监管部门", null, null, null, null, null, null, null, null, "不得评优"],
    ]);
    // Exact text as the gateway gave it: a negative change is a number, not a formula to escape.
    expect(toCsv(table)).toContain(
      "\r\n市市场监督管理局,执法监管部门,84.20,9,优秀,82.94,10,良好,-1.265,1,\r\n",
    );
  });
});
