import { useMemo } from "react";
import { placesOf } from "../format";
import { gradeNamer, sideGradeNamer } from "../grade-names";
import { useI18n } from "../i18n";
import { poolMoves } from "../pool-moves";
import type { Cycle } from "../queries";
import { updateParams, useRoute, useUrlCorrection } from "../router";
import { useQuery } from "../use-query";
import { isMissingField, loadCycleScheme, type SchemeDocument } from "../whatif-api";
import { type CycleSide, compareCycles, compareCyclesKept, comparisonSource } from "../year-on-year-api";
import {
  cycleName,
  earlierCycle,
  movesOf,
  oneSidedListed,
  sideNames,
  withCategoriesOf,
} from "../year-on-year-sides";
import { halvesByUnit, repeatsError, splitSides } from "../year-on-year-split";
import { CyclePicker, ErrorNote, failedRead, useCycle } from "./cycle-picker";
import { GroupPicker, studiedGroup } from "./group-picker";
import { deltaCell, type ExtraColumn, MovementCard, UnitMovesTable } from "./unit-moves";
import { hasRollups, WhyMoved } from "./why-moved";
import { OneSidedUnits } from "./year-on-year-one-sided";
import { HalfWhy, KeptNote } from "./year-on-year-split";
import { YearOnYearSummary } from "./year-on-year-summary";

/**
 * Year on year (同比): how each unit moved from a base cycle (`?before=`) to a compared one
 * (`?cycle=`, which the menu carries), and why, by the gateway's compareCycles.
 */
export function YearOnYear() {
  const { t } = useI18n();
  const { params } = useRoute();
  const cyclesRead = useCycle(params.get("cycle"));
  const { cycles, cycle: after } = cyclesRead;
  const beforeParam = params.get("before");
  // A cycle against itself moves nobody: said, not shown as "0 rose, 0 fell", nor replaced by another
  // base behind the analyst's back (their pick would bounce).
  const sameCycle = after !== null && beforeParam === after.id;
  const before = sameCycle ? null : earlierCycle(cycles, beforeParam, after);
  // Written to the URL as the compared cycle is: a link copied names both cycles on screen.
  useUrlCorrection(before && before.id !== beforeParam ? () => updateParams({ before: before.id }) : null, [
    before,
    beforeParam,
  ]);
  const afterScheme = useQuery(after?.id ?? null, (s) => loadCycleScheme(after!.id, s));
  const beforeScheme = useQuery(before?.id ?? null, (s) => loadCycleScheme(before!.id, s));
  return (
    <section className="page stack">
      <div className="toolbar">
        <CyclePicker
          cycles={cycles}
          value={sameCycle ? after.id : before?.id}
          param="before"
          label={t("yoy.before")}
        />
        <CyclePicker cycles={cycles} value={after?.id} label={t("yoy.after")} />
      </div>
      <ErrorNote {...failedRead(cyclesRead, beforeScheme, afterScheme)} />
      {cycles.length === 1 && <p className="muted">{t("yoy.oneCycle")}</p>}
      {/* The oldest cycle is not made the base of the next: the compared cycle is the menu's, and
          moving it would take the analyst's next page to another year than the one they work on. */}
      {cycles.length > 1 && after && !before && (
        <p className="muted" data-testid="yoy-no-base">
          {t(sameCycle ? "yoy.sameCycle" : "yoy.noEarlier", { cycle: cycleName(cycles, after) })}
        </p>
      )}
      {/* A base picked later than the compared cycle is the analyst's to pick; said, as the
          rises and falls then run from the later year back to the earlier. */}
      {before && after && before.year > after.year && (
        <p className="muted" data-testid="yoy-backwards">
          {t("yoy.backwards", { before: cycleName(cycles, before), after: cycleName(cycles, after) })}
        </p>
      )}
      {/* Until both cycles' schemes arrive, the previous pair's would name the new pair's grades. */}
      {before && after && beforeScheme.current && afterScheme.current && (
        <CycleComparison
          key={`${before.id}|${after.id}`}
          before={before}
          after={after}
          schemes={{ before: beforeScheme.current, after: afterScheme.current }}
        />
      )}
    </section>
  );
}

function CycleComparison(props: {
  before: Cycle;
  after: Cycle;
  schemes: { before: SchemeDocument; after: SchemeDocument };
}) {
  const { t } = useI18n();
  const { params } = useRoute();
  const { before, after, schemes } = props;
  // Each side as published; the split adds a side between them, `after` under `before`'s rules.
  const sides = useMemo(
    (): { before: CycleSide; after: CycleSide } => ({
      before: { cycleId: before.id },
      after: { cycleId: after.id },
    }),
    [before.id, after.id],
  );
  const source = useMemo(() => comparisonSource(sides.before, sides.after), [sides]);
  // The analysis' groups are the compared cycle's scheme's.
  const group = studiedGroup(schemes.after, params.get("group"));
  const runKey = JSON.stringify([source.key, group]);
  const run = useQuery(runKey, (s) => compareCycles(sides.before, sides.after, group, s));
  const scheme = useMemo(() => withCategoriesOf(schemes.after, schemes.before), [schemes]);
  // Each side's grades as the scheme that gave them names them, as the lists of units only one
  // cycle holds do (the gateway names theirs by their own cycle's scheme): a grade renamed between
  // the years reads in the table's base column, and for a unit merged away, as the base year said it.
  const grade = useMemo(() => sideGradeNamer(schemes.before, schemes.after), [schemes]);
  // The split's middle grades under the base cycle's rules, and so its names, on both sides of the
  // records' half; the rules' half runs from that middle to the compared cycle, as the whole does.
  const halfGrade = useMemo(
    () => ({ data: gradeNamer(schemes.before, schemes.after), rules: grade }),
    [schemes, grade],
  );
  const names = sideNames(before, after);
  const selected = params.get("unit");
  const select = (id: string | null) => updateParams({ unit: id });
  // The halves cost the gateway two more comparisons, each scoring the middle: only when asked.
  const split = params.get("split") === "1";
  const halves = useMemo(() => splitSides(before.id, after.id), [before.id, after.id]);
  const halfSources = useMemo(
    () => ({
      data: comparisonSource(halves.data.before, halves.data.after),
      rules: comparisonSource(halves.rules.before, halves.rules.after),
    }),
    [halves],
  );
  const dataRun = useQuery(split ? JSON.stringify([halfSources.data.key, group]) : null, (s) =>
    compareCyclesKept(halves.data.before, halves.data.after, group, s),
  );
  const rulesRun = useQuery(split ? JSON.stringify([halfSources.rules.key, group]) : null, (s) =>
    compareCycles(halves.rules.before, halves.rules.after, group, s),
  );
  const halfRows = useMemo(
    () =>
      dataRun.current && rulesRun.current
        ? halvesByUnit(dataRun.current.units, rulesRun.current.units)
        : null,
    [dataRun.current, rulesRun.current],
  );

  // The error of this group's comparison only, as its rows are `current`'s: another group's, kept
  // until this one's read starts, would say the gateway cannot compare at all.
  if (run.key === runKey && isMissingField(run.error)) return <p className="error">{t("yoy.unavailable")}</p>;
  const result = run.current;
  const units = result?.units ?? [];
  const moves = movesOf(units);
  // A reason may name a unit only one cycle holds ("… above it: U21 (only in the baseline)").
  const oneSided = result ? [...result.onlyBefore, ...result.onlyAfter] : [];
  // A rise by a merged bureau above it is no better work: the count says how many rose or fell so.
  const byPool = result ? poolMoves(units, result) : { rose: 0, fell: 0 };
  const wholeFailure = failedRead(run);
  const halfFailure = failedRead(split ? dataRun : null, split ? rulesRun : null);
  // A half's failure hidden as a repeat is tried again with the whole's.
  const retryAll = () => {
    wholeFailure.onRetry();
    halfFailure.onRetry();
  };
  const places = (u: { scenario: { total: string | null } }) => placesOf(u.scenario.total);
  const halfColumns: ExtraColumn[] = halfRows
    ? [
        {
          id: "records-delta",
          head: t("yoy.split.records"),
          title: t("yoy.split.recordsTitle"),
          cell: (u) => halfDelta(halfRows.get(u.unitId)?.data.totalDelta, places(u)),
        },
        {
          id: "middle-rank",
          head: t("yoy.split.middleRank"),
          title: t("yoy.split.middleRankTitle"),
          cell: (u) => ({ text: String(halfRows.get(u.unitId)?.data.rank ?? "—") }),
        },
        {
          id: "rules-delta",
          head: t("yoy.split.rules"),
          title: t("yoy.split.rulesTitle"),
          cell: (u) => halfDelta(halfRows.get(u.unitId)?.rules.totalDelta, places(u)),
        },
      ]
    : [];
  return (
    <>
      <div className="toolbar">
        <GroupPicker scheme={schemes.after} value={group} />
        <label title={t("yoy.split.hint")}>
          <input
            type="checkbox"
            data-testid="yoy-split"
            checked={split}
            onChange={(e) => updateParams({ split: e.target.checked ? "1" : null })}
          />{" "}
          {t("yoy.split")}
        </label>
      </div>
      <ErrorNote {...wholeFailure} onRetry={retryAll} />
      {/* The records' half refused for what the whole was refused for says it twice. */}
      {split && !repeatsError(halfFailure.error, wholeFailure.error) && <ErrorNote {...halfFailure} />}
      {split && dataRun.current && (
        <KeptNote
          changes={dataRun.current.rulesKept}
          schemes={[schemes.after, schemes.before]}
          before={names.baseline}
        />
      )}
      {/* Seconds at province scale: without a word the page reads as empty, not as coming. */}
      {run.loading && !result && (
        <p className="muted" data-testid="yoy-loading">
          {t("loading")}
        </p>
      )}
      {result && <YearOnYearSummary moves={moves} byPool={byPool} />}
      {/* A refused or unread comparison has no rows: an empty table and chart would read as "nobody moved". */}
      {result && (
        <div className="grid2" data-testid="yoy-results">
          <div className="card">
            <UnitMovesTable
              testId="yoy-table"
              busy={run.loading}
              columns={{
                rank: t("yoy.rank", { cycle: names.scenario }),
                baselineRank: t("yoy.rank", { cycle: names.baseline }),
                baselineTotal: t("yoy.total", { cycle: names.baseline }),
                total: t("yoy.total", { cycle: names.scenario }),
              }}
              units={units}
              grade={grade}
              selected={selected}
              onSelect={select}
              extraColumns={halfColumns}
              caption={t("yoy.tableCaption", { before: names.baseline, after: names.scenario })}
            />
          </div>
          <div className="stack">
            <MovementCard
              title={t("yoy.movement", { before: names.baseline, after: names.scenario })}
              testId="yoy-movement-chart"
              units={units}
              labels={names}
              selected={selected}
              onSelect={select}
            />
            <WhyMoved
              source={source}
              mayRollUp={hasRollups(schemes.before, {}) || hasRollups(schemes.after, {})}
              result={result}
              unitId={selected}
              scheme={scheme}
              grade={grade}
              sides={names}
              alsoNamed={oneSided}
            />
            {split &&
              selected &&
              dataRun.current &&
              rulesRun.current &&
              (
                [
                  ["data", "yoy.split.recordsHalf", dataRun.current],
                  ["rules", "yoy.split.rulesHalf", rulesRun.current],
                ] as const
              ).map(([half, title, halfResult]) => (
                <HalfWhy
                  key={half}
                  half={half}
                  title={t(title, { before: names.baseline, after: names.scenario })}
                  source={halfSources[half]}
                  result={halfResult}
                  unitId={selected}
                  scheme={scheme}
                  grade={halfGrade[half]}
                  alsoNamed={oneSided}
                />
              ))}
          </div>
        </div>
      )}
      {/* The comparison whole's: the split's data half holds the same units, the rules' half one set. */}
      {result && (
        <OneSidedUnits
          lists={[
            {
              side: "before",
              cycleId: before.id,
              name: names.baseline,
              scheme: schemes.before,
              units: oneSidedListed(
                result.onlyBefore,
                group,
                schemes.before.groups.map((g) => g.id),
              ),
            },
            {
              side: "after",
              cycleId: after.id,
              name: names.scenario,
              scheme: schemes.after,
              units: oneSidedListed(
                result.onlyAfter,
                group,
                schemes.after.groups.map((g) => g.id),
              ),
            },
          ]}
        />
      )}
    </>
  );
}

/** A half's change as the table shows the total's; "—" where the unit has no total in the middle. */
function halfDelta(delta: string | null | undefined, places: number): { text: string; className: string } {
  return delta == null ? { text: "—", className: "" } : deltaCell(delta, places);
}
