import type { Translate, TranslationKey } from "../i18n";
import type { Standing, WhatIfUnit } from "../whatif-api";
import type { Table } from "./table";

/** The what-if table's order: scenario rank, then baseline rank; unranked units last. */
export function scenarioOrder(units: readonly WhatIfUnit[]): WhatIfUnit[] {
  return [...units].sort(
    (a, b) =>
      (a.scenario.rank ?? 1e9) - (b.scenario.rank ?? 1e9) ||
      (a.baseline.rank ?? 1e9) - (b.baseline.rank ?? 1e9),
  );
}

/** How the page names what the gateway gives by id, and the flags it shows on the scenario's side. */
export interface WhatIfNames {
  group: (id: string) => string;
  /** A grade's name; "" for none. */
  grade: (id: string | null) => string;
  flags: (s: Standing) => string[];
}

/**
 * The What-if results as a table to export, in the page's order: each unit's baseline and
 * scenario total, rank and grade, the changes, and the scenario's flags. Totals and their change
 * are the gateway's exact text (a change that does not terminate stays a fraction "n/d"); the
 * rank change is scenario − baseline, as on the gateway: positive means the unit fell.
 */
export function whatIfTable(units: readonly WhatIfUnit[], names: WhatIfNames, t: Translate): Table {
  const header = [
    t("unit"),
    t("group"),
    t("export.baselineTotal"),
    t("export.baselineRank"),
    t("export.baselineGrade"),
    t("export.scenarioTotal"),
    t("export.scenarioRank"),
    t("export.scenarioGrade"),
    t("export.totalDelta"),
    t("export.rankDelta"),
    t("flags"),
  ];
  const rows = scenarioOrder(units).map((u) => [
    u.name,
    names.group(u.scenario.group),
    u.baseline.total,
    u.baseline.rank,
    names.grade(u.baseline.grade) || null,
    u.scenario.total,
    u.scenario.rank,
    names.grade(u.scenario.grade) || null,
    u.totalDelta,
    u.rankDelta,
    names
      .flags(u.scenario)
      .map((f) => t(`flag.${f}` as TranslationKey))
      .join("、"),
  ]);
  return { header, numeric: [2, 3, 5, 6, 8, 9], formats: { 3: "0", 6: "0", 9: "0" }, wide: [0], rows };
}
