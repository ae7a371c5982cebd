import { useMemo } from "react";
import type { Session } from "../auth";
import { categoryColumns, rankingTable } from "../export/table";
import { useI18n } from "../i18n";
import { updateNotice, useLiveRanking } from "../live-updates";
import { loadRanking, type Ranking } from "../queries";
import { updateParams, useRoute } from "../router";
import { useQuery } from "../use-query";
import { ComparePanel } from "./compare-panel";
import { CyclePicker, ErrorNote, failedRead, useCycle } from "./cycle-picker";
import { ExportButtons } from "./export-buttons";
import { Flags } from "./flags";
import { UnitPanel } from "./unit-panel";

export function Rankings(_props: { session: Session }) {
  const { t } = useI18n();
  const { params } = useRoute();
  const cyclesRead = useCycle(params.get("cycle"));
  const { cycles, cycle } = cyclesRead;
  const group = params.get("group");
  const unit = params.get("unit");
  const compare = (params.get("compare") ?? "").split(",").filter(Boolean);
  // The table is read once the cycle's updates are subscribed to, and again on each update, so
  // it never lags a write the gateway has announced (docs/console.md).
  const live = useLiveRanking(cycle?.id ?? null);
  const ready = cycle !== null && live.readyFor === cycle.id;
  const key = cycle && ready ? JSON.stringify([cycle.id, group ?? ""]) : null;
  const ranking = useQuery(key, (s) => loadRanking(cycle!.id, group, s), live.revision);
  // Until the new cycle's (or group's) table arrives, `ranking.data` is the previous one: shown or
  // exported under the new choice, its numbers would pass for the new cycle's.
  const current = ranking.current;
  // The group list is the cycle's: the previous group's table of the same cycle still has it.
  const groups =
    ranking.data && ranking.key && JSON.parse(ranking.key)[0] === cycle?.id ? ranking.data.groups : [];

  // A panel closed gives the focus back to the row it was opened from, still in the table.
  const backToRow = (unitId: string) =>
    document
      .querySelector<HTMLElement>(`[data-testid=ranking-table] tr[data-unit="${CSS.escape(unitId)}"]`)
      ?.focus();

  const toggleCompare = (id: string) => {
    const next = compare.includes(id) ? compare.filter((c) => c !== id) : [...compare, id].slice(-2);
    updateParams({ compare: next.join(",") || null });
  };

  return (
    <section className="page">
      <div className="toolbar">
        <CyclePicker cycles={cycles} value={cycle?.id} />
        {groups.length > 1 && (
          <label>
            {t("group")}{" "}
            <select
              data-testid="group"
              value={group ?? ""}
              onChange={(e) => updateParams({ group: e.target.value })}
            >
              <option value="">{t("allGroups")}</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="muted" role="status" data-testid="live-notice">
          {live.notice && updateNotice(live.notice.reason, t)}
        </span>
        <span className="spacer" />
        {/* What is exported is the table on screen, refreshed or not yet. */}
        {current && cycle && <RankingExport ranking={current} cycleId={cycle.id} group={group} />}
      </div>
      <ErrorNote {...failedRead(cyclesRead, ranking)} />
      {(ranking.loading || (cycle && !ready)) && !current && <p>{t("loading")}</p>}
      <div className="split">
        {current && (
          <RankingTable
            ranking={current}
            busy={ranking.loading}
            selected={unit}
            compare={compare}
            onToggleCompare={toggleCompare}
          />
        )}
        <aside>
          {cycle &&
            compare.length === 2 &&
            (ready ? (
              // Mounted afresh on each update: it then shows "loading", never ranks the table no longer has.
              <ComparePanel
                key={live.revision}
                cycleId={cycle.id}
                a={compare[0]!}
                b={compare[1]!}
                // The second unit ticked is the one that opened it.
                onClose={() => backToRow(compare[1]!)}
              />
            ) : (
              <p>{t("loading")}</p>
            ))}
          {cycle && compare.length < 2 && unit && (
            <UnitPanel
              cycleId={cycle.id}
              unitId={unit}
              revision={ready ? live.revision : null}
              onClose={() => backToRow(unit)}
            />
          )}
          {compare.length < 2 && !unit && <p className="muted">{t("compareHint")}</p>}
        </aside>
      </div>
    </section>
  );
}

function RankingExport({
  ranking,
  cycleId,
  group,
}: {
  ranking: Ranking;
  cycleId: string;
  group: string | null;
}) {
  const { t } = useI18n();
  return (
    <ExportButtons
      table={() => rankingTable(ranking, t)}
      fileName={(extension) => `ranking-${cycleId}${group ? `-${group}` : ""}.${extension}`}
      sheet={cycleId}
      decimals={ranking.decimals}
    />
  );
}

function RankingTable(props: {
  ranking: Ranking;
  /** Being read again after an update: shown until the new table is in. */
  busy: boolean;
  selected: string | null;
  compare: string[];
  onToggleCompare: (id: string) => void;
}) {
  const { t } = useI18n();
  const { ranking } = props;
  const cats = useMemo(() => categoryColumns(ranking.entries), [ranking]);
  const groups = new Map(ranking.groups.map((g) => [g.id, g]));
  let lastGroup = "";
  return (
    <table className="ranking" data-testid="ranking-table" aria-busy={props.busy}>
      <thead>
        <tr>
          <th title={t("compare")}>
            <span aria-hidden="true">⇄</span>
            <span className="visually-hidden">{t("compare")}</span>
          </th>
          <th>{t("rank")}</th>
          <th>{t("unit")}</th>
          {cats.map((c) => (
            <th key={c.category} className="num">
              {c.name}
            </th>
          ))}
          <th className="num">{t("total")}</th>
          <th>{t("grade")}</th>
          <th>{t("flags")}</th>
        </tr>
      </thead>
      <tbody>
        {ranking.entries.flatMap((e) => {
          const rows = [];
          if (e.group !== lastGroup && ranking.groups.length > 1) {
            const g = groups.get(e.group);
            rows.push(
              <tr key={`g-${e.group}`} className="group-row">
                <td colSpan={cats.length + 6}>
                  {g?.name ?? e.group} {g && !g.ranked && `(${t("notRanked")})`}
                </td>
              </tr>,
            );
          }
          lastGroup = e.group;
          rows.push(
            <tr
              key={e.unitId}
              data-unit={e.unitId}
              className={props.selected === e.unitId ? "selected" : ""}
              aria-current={props.selected === e.unitId ? "true" : undefined}
              tabIndex={0}
              onClick={() => updateParams({ unit: e.unitId, compare: null })}
              onKeyDown={(ev) =>
                // Enter on the row's compare box bubbles here: it must not end the comparison.
                ev.key === "Enter" &&
                ev.target === ev.currentTarget &&
                updateParams({ unit: e.unitId, compare: null })
              }
            >
              <td>
                <input
                  type="checkbox"
                  onClick={(ev) => ev.stopPropagation()}
                  aria-label={`${t("compare")} ${e.name}`}
                  checked={props.compare.includes(e.unitId)}
                  onChange={() => props.onToggleCompare(e.unitId)}
                />
              </td>
              <td className="num">{e.rank ?? "—"}</td>
              <td className="name">{e.name}</td>
              {cats.map((c) => (
                <td key={c.category} className="num">
                  {e.categories.find((x) => x.category === c.category)?.points ?? "—"}
                </td>
              ))}
              <td className="num total">{e.total ?? "—"}</td>
              <td>{e.grade?.name ?? ""}</td>
              <td>
                <Flags flags={e.flags} />
              </td>
            </tr>,
          );
          return rows;
        })}
      </tbody>
    </table>
  );
}
