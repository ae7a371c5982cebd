import { Chart } from "../charts/chart";
import { clickedUnit } from "../charts/clicked-unit";
import { rankMovementOption } from "../charts/rank-movement";
import { scenarioOrder } from "../export/whatif-table";
import { padDecimals, placesOf } from "../format";
import type { SideGradeName } from "../grade-names";
import { useI18n } from "../i18n";
import { movedGroup } from "../moved-group";
import type { Standing, WhatIfUnit } from "../whatif-api";
import { Flags } from "./flags";

/** The columns a UnitMovesTable names: the scenario's rank and total, the baseline's rank (and total). */
export interface UnitColumns {
  rank: string;
  baselineRank: string;
  /** Given, the baseline's total has a column of its own, before the scenario's. */
  baselineTotal?: string;
  total: string;
}

/** A column a page adds after the total's change: its head, and each row's cell. */
export interface ExtraColumn {
  id: string;
  head: string;
  /** What the head's short words stand for. */
  title?: string;
  cell: (u: WhatIfUnit) => { text: string; className?: string };
}

/**
 * A what-if's units, by the scenario's rank: each one's ranks, totals and grades on both sides
 * and its moves. A row picked (click or Enter) is `onSelect`'s.
 */
export function UnitMovesTable(props: {
  testId: string;
  busy: boolean;
  columns: UnitColumns;
  units: readonly WhatIfUnit[];
  grade: SideGradeName;
  selected: string | null;
  onSelect: (id: string) => void;
  extraColumns?: readonly ExtraColumn[];
  /** What the table holds, said under it and naming it for a screen reader; none where a heading does. */
  caption?: string;
}) {
  const { units, columns, extraColumns = [] } = props;
  return (
    <table data-testid={props.testId} className="ranking" aria-busy={props.busy}>
      {props.caption && (
        <caption style={{ captionSide: "bottom", textAlign: "left" }} className="muted">
          {props.caption}
        </caption>
      )}
      <UnitTableHead columns={columns} extraColumns={extraColumns} />
      <tbody>
        {scenarioOrder(units).map((u) => (
          <UnitRow
            key={u.unitId}
            u={u}
            grade={props.grade}
            selected={props.selected === u.unitId}
            onSelect={props.onSelect}
            baselineTotal={columns.baselineTotal !== undefined}
            extraColumns={extraColumns}
          />
        ))}
      </tbody>
    </table>
  );
}

/** Each ranked unit's rank on both sides, a line each; a line clicked picks its unit. */
export function MovementCard(props: {
  title: string;
  testId: string;
  units: WhatIfUnit[];
  labels: { baseline: string; scenario: string };
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const { t } = useI18n();
  const { units } = props;
  return (
    <div className="card">
      <h2 className="section">{props.title}</h2>
      <Chart
        testId={props.testId}
        height={Math.max(260, units.length * 21 + 50)}
        option={rankMovementOption(
          units,
          { ...props.labels, movedGroup: t("whatif.movedGroup") },
          props.selected,
        )}
        onClick={(p) => {
          const id = clickedUnit(p, units);
          if (id) props.onSelect(id);
        }}
      />
    </div>
  );
}

/**
 * What holds a unit back whatever its rank, on the scenario's side: the Rankings page's chips.
 * The reasons (a veto and its record, last place) are the selected unit's, below the table.
 */
export function eligibilityFlags(s: Standing): string[] {
  return [
    ...(s.eligibleForExcellence ? [] : ["NOT_ELIGIBLE_FOR_EXCELLENCE"]),
    ...(s.eligibleForAward ? [] : ["NOT_ELIGIBLE_FOR_AWARD"]),
  ];
}

/**
 * The head of a table of UnitRows: `columns` name the scenario's rank and total and the baseline's
 * rank, and, with UnitRow's `baselineTotal`, the baseline's total.
 */
export function UnitTableHead({
  columns,
  extraColumns = [],
}: {
  columns: UnitColumns;
  extraColumns?: readonly ExtraColumn[];
}) {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        <th className="num">{columns.rank}</th>
        <th>{t("unit")}</th>
        <th className="num">{columns.baselineRank}</th>
        <th className="num">
          <span aria-hidden="true">Δ</span>
          <span className="visually-hidden">{t("whatif.rankChange")}</span>
        </th>
        {columns.baselineTotal !== undefined && <th className="num">{columns.baselineTotal}</th>}
        <th className="num">{columns.total}</th>
        <th className="num">
          <span aria-hidden="true">Δ {t("total")}</span>
          <span className="visually-hidden">{t("whatif.totalChange")}</span>
        </th>
        {extraColumns.map((c) => (
          <th key={c.id} className="num" title={c.title}>
            {c.head}
          </th>
        ))}
        <th>{t("grade")}</th>
        <th>{t("flags")}</th>
      </tr>
    </thead>
  );
}

/**
 * One unit's row of a UnitMovesTable, in UnitTableHead's order: its scenario rank, name, baseline
 * rank and move (↑ rose, ↓ fell), the totals and their change, any `extraColumns`, its grade (struck
 * through where it changed) and what holds it back in the scenario. Marked `changed-grade` when its
 * grade moved; a click or Enter selects it (`onSelect`).
 */
export function UnitRow(props: {
  u: WhatIfUnit;
  grade: SideGradeName;
  selected: boolean;
  onSelect: (id: string) => void;
  /** A cell for the baseline's total too, before the scenario's (UnitTableHead's `baselineTotal`). */
  baselineTotal?: boolean;
  extraColumns?: readonly ExtraColumn[];
}) {
  const { t } = useI18n();
  const { u, grade } = props;
  const d = u.rankDelta ?? 0;
  const change = deltaCell(u.totalDelta, placesOf(u.scenario.total));
  const gradeChanged = u.baseline.grade !== u.scenario.grade;
  const cls = [props.selected ? "selected" : "", gradeChanged ? "changed-grade" : ""].join(" ").trim();
  return (
    <tr
      data-unit={u.unitId}
      className={cls}
      aria-current={props.selected ? "true" : undefined}
      tabIndex={0}
      onClick={() => props.onSelect(u.unitId)}
      onKeyDown={(e) => e.key === "Enter" && props.onSelect(u.unitId)}
    >
      <td className="num">{u.scenario.rank ?? "—"}</td>
      <td className="name">{u.name}</td>
      <td className="num">{u.baseline.rank ?? "—"}</td>
      {/* Not blank: blank is a unit that stood still, this one's ranks are of two groups. */}
      {movedGroup(u) ? (
        <td className="num muted" data-testid="rank-delta" title={t("whatif.movedGroupTitle")}>
          {t("whatif.movedGroup")}
        </td>
      ) : (
        <td className={`num ${d < 0 ? "up" : d > 0 ? "down" : ""}`} data-testid="rank-delta">
          {d < 0 ? `↑${-d}` : d > 0 ? `↓${d}` : ""}
        </td>
      )}
      {props.baselineTotal && <td className="num">{u.baseline.total ?? "—"}</td>}
      <td className="num total">{u.scenario.total ?? "—"}</td>
      <td className={`num ${change.className}`.trim()}>{change.text}</td>
      {props.extraColumns?.map((c) => {
        const { text, className } = c.cell(u);
        return (
          <td key={c.id} className={`num ${className ?? ""}`.trim()} data-testid={c.id}>
            {text}
          </td>
        );
      })}
      <td data-testid="grade">
        {gradeChanged ? (
          <>
            <s className="muted">{grade(u.baseline.grade, "baseline")}</s> →{" "}
            <strong>{grade(u.scenario.grade, "scenario")}</strong>
          </>
        ) : (
          grade(u.scenario.grade, "scenario")
        )}
      </td>
      <td data-testid="eligibility-flags">
        <Flags flags={eligibilityFlags(u.scenario)} title={t("whatif.eligibilityHint")} />
      </td>
    </tr>
  );
}

/** A total's change as a table shows it: to the totals' places, nothing where it is none, coloured by sign. */
export function deltaCell(delta: string | null, places: number): { text: string; className: string } {
  if (!delta || delta === "0") return { text: "", className: "" };
  return { text: padDecimals(delta, places), className: delta.startsWith("-") ? "down" : "up" };
}
