import { describe, expect, it } from "vitest";
import { translator } from "../i18n";
import type { UncertaintyUnit } from "../robustness-api";
import { toCsv } from "./csv";
import { uncertaintyTable } from "./uncertainty-table";

const unit: UncertaintyUnit = {
  unitId: "U09",
  name: "市市场监督管理局",
  group: "law",
  nominalRank: 9,
  medianRank: 9.5,
  p5Rank: 8.000000000000002,
  p95Rank: 25.049999999999955,
  pExcellent: 0.609,
  pLast: 0,
};

describe("uncertaintyTable", () => {
  it("gives each unit's ranks as the page shows them, not the interpolation's float noise, and its chances as given", () => {
    const table = uncertaintyTable(
      [
        unit,
        {
          ...unit,
          unitId: "U99",
          name: "不排名单位",
          nominalRank: null,
          medianRank: null,
          p5Rank: null,
          p95Rank: null,
        },
      ],
      (id) => (id === "law" ? "执法监管部门" : id),
      translator("en"),
    );
    expect(table.header).toEqual([
      "Unit",
      "Group",
      "Rank",
      "Median rank",
      "5th pct.",
      "95th pct.",
      "P(excellent)",
      "P(last)",
    ]);
    expect(table.rows).toEqual([
      ["市市场监督管理局", "执法监管部门", 9, 9.5, 8, 25.05, 0.609, 0],
      ["不排名单位", "执法监管部门", null, null, null, null, 0.609, 0],
    ]);
    // A province's ranks in the thousands are written without grouping: "1234.5", not "1,234.5".
    const large = uncertaintyTable(
      [{ ...unit, nominalRank: 1201, medianRank: 1234.5, p5Rank: 1190, p95Rank: 1260 }],
      (id) => id,
      translator("en"),
    );
    expect(large.rows[0]!.slice(2, 6)).toEqual([1201, 1234.5, 1190, 1260]);
    expect(toCsv(table).split("\r\n")[1]).toBe("市市场监督管理局,执法监管部门,9,9.5,8,25.05,0.609,0");
  });
});
