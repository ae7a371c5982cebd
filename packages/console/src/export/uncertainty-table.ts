import type { Translate } from "../i18n";
import type { UncertaintyUnit } from "../robustness-api";
import type { Table } from "./table";

// Percentiles are interpolated between two samples' ranks: 25.05, as the page shows it, not
// 25.049999999999955. No grouping: "1234.5" reads as a number in any spreadsheet.
const RANK = new Intl.NumberFormat("en", { maximumFractionDigits: 2, useGrouping: false });
const rank = (r: number | null) => (r === null ? null : Number(RANK.format(r)));

/**
 * The Monte-Carlo table to export, in the order given (the page's): each unit's official rank,
 * median and 5th and 95th percentile ranks, and its chances (0 to 1) of the first grade and of
 * last place, as the gateway gave them.
 */
export function uncertaintyTable(
  units: readonly UncertaintyUnit[],
  group: (id: string) => string,
  t: Translate,
): Table {
  const header = [
    t("robust.col.name"),
    t("group"),
    t("robust.col.nominalRank"),
    t("robust.col.medianRank"),
    t("robust.col.p5Rank"),
    t("robust.col.p95Rank"),
    t("robust.col.pExcellent"),
    t("robust.col.pLast"),
  ];
  const rows = units.map((u) => [
    u.name,
    group(u.group),
    u.nominalRank,
    rank(u.medianRank),
    rank(u.p5Rank),
    rank(u.p95Rank),
    u.pExcellent,
    u.pLast,
  ]);
  return {
    header,
    numeric: [2, 3, 4, 5, 6, 7],
    formats: { 2: "0", 3: "0.00", 4: "0.00", 5: "0.00", 6: "0.0%", 7: "0.0%" },
    wide: [0],
    rows,
  };
}
