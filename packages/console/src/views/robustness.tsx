import { useMemo, useState } from "react";
import type { ApiError } from "../api";
import { Chart } from "../charts/chart";
import { clickedUnit } from "../charts/clicked-unit";
import { intervalsOption } from "../charts/intervals";
import { endLabels, stabilityText, sweepOption } from "../charts/sweep";
import { sameDraft } from "../draft-store";
import { exportFileName } from "../export/file-name";
import { uncertaintyTable } from "../export/uncertainty-table";
import { formatRank, formatShare } from "../format";
import { useI18n } from "../i18n";
import { type NumberProblem, type NumberRule, rangeText, readNumbers, sumDecimals } from "../number-field";
import {
  defaultSweepRange,
  readSweepBounds,
  runLeaveOneOut,
  runSweep,
  runUncertainty,
  type SweepBound,
  type SweepMode,
  type SweepOthers,
  sortUncertainty,
  type UncertaintyColumn,
  type UncertaintyUnit,
} from "../robustness-api";
import { updateParams, useRoute } from "../router";
import { loadScenarios, type SavedScenario, scenarioName } from "../scenarios-api";
import { schemeUnder } from "../scheme-under";
import { useQuery } from "../use-query";
import { isMissingField, loadCycleScheme, type SchemeDocument } from "../whatif-api";
import { CyclePicker, ErrorNote, failedRead } from "./cycle-picker";
import { ExportButtons } from "./export-buttons";
import { GroupPicker, studiedGroup } from "./group-picker";
import {
  LOO_START,
  leaveOneOutDraft,
  MC_START,
  monteCarloDraft,
  offeredSweepMode,
  SWEEP_START,
  type SweepBounds,
  sweepBoundsDraft,
  sweepDraft,
  sweepModeAtStart,
  sweptCategory,
  sweptCategoryDraft,
} from "./robustness-drafts";
import { useScenarioCycle } from "./scenario-cycle";
import { SettingsNote } from "./settings-note";
import { useDraft } from "./use-draft";

/**
 * How much the ranking depends on the weights: an exact sweep, Monte-Carlo rank intervals and
 * each category left out — of the cycle as it stands, or of the cycle as a saved scenario
 * describes it (`?scenario=`).
 */
export function Robustness() {
  const { params } = useRoute();
  // The saved scenario's points are the analyses' nominal: the sweep's range starts around them.
  const { scenarioId, saved, cyclesRead, cycles, cycle } = useScenarioCycle(params);
  const scheme = useQuery(cycle?.id ?? null, (s) => loadCycleScheme(cycle!.id, s));
  const scenarios = useQuery(cycle ? `scenarios|${cycle.id}` : null, (s) => loadScenarios(cycle!.id, s));
  const current = scheme.current;
  const group = current ? studiedGroup(current, params.get("group")) : null;
  const under = useMemo(
    () =>
      current && (scenarioId === null ? current : saved.current && schemeUnder(current, saved.current.patch)),
    [current, scenarioId, saved.current],
  );
  // The three cards read the same cycle, scheme, group and scenario. Monte-Carlo and leave-one-out
  // take only the scheme's names, which a scenario leaves as they are: they stay on screen (what
  // was typed in them kept) while a scenario picked is read; the sweep waits for its points.
  const card: CardProps | null =
    cycle && current
      ? { cycleId: cycle.id, scheme: under ?? current, group, scenarioId, scenarios: scenarios.current }
      : null;
  return (
    <section className="page stack">
      <div className="toolbar">
        <CyclePicker cycles={cycles} value={cycle?.id} />
        {current && <GroupPicker scheme={current} value={group} />}
        {cycle && <ScenarioPicker scenarios={scenarios.current} value={scenarioId} />}
      </div>
      <ErrorNote {...failedRead(cyclesRead, scheme, scenarios, saved)} />
      {/* The previous cycle's scheme stays in `scheme.data` until the new one arrives: ranges and
          categories must come from the cycle being swept. */}
      {card && (
        <>
          {under && <SweepCard key={`s-${card.cycleId}|${scenarioId ?? ""}`} {...card} />}
          <MonteCarloCard key={`m-${card.cycleId}`} {...card} />
          <LeaveOneOutCard key={`l-${card.cycleId}`} {...card} />
        </>
      )}
    </section>
  );
}

/** Which saved scenario the analyses run under: none (the cycle as it stands) by default. */
function ScenarioPicker({ scenarios, value }: { scenarios: SavedScenario[] | null; value: string | null }) {
  const { t } = useI18n();
  // A scenario named by the URL stays shown while the list is read (or if it is not in it).
  const unlisted = value !== null && !scenarios?.some((s) => s.id === value);
  return (
    <label>
      {t("robust.scenario")}{" "}
      <select
        data-testid="robust-scenario"
        value={value ?? ""}
        onChange={(e) => updateParams({ scenario: e.target.value || null, unit: null })}
      >
        <option value="">{t("robust.noScenario")}</option>
        {unlisted && <option value={value}>{value}</option>}
        {(scenarios ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} · {s.owner}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Which figures a card shows, as the gateway's result says: the saved scenario's, or the cycle's. */
function UnderScenario(props: { id: string | null; scenarios: SavedScenario[] | null; testId: string }) {
  const { t } = useI18n();
  return (
    <p className="muted" data-testid={props.testId}>
      {props.id === null
        ? t("robust.underCycle")
        : t("robust.underScenario", { name: scenarioName(props.scenarios, props.id) })}
    </p>
  );
}

/** What every card is given: the scheme (its points the scenario's, under one) and the scenario. */
interface CardProps {
  cycleId: string;
  scheme: SchemeDocument;
  group: string | null;
  scenarioId: string | null;
  scenarios: SavedScenario[] | null;
}

function Unavailable({ field }: { field: string }) {
  const { t } = useI18n();
  return <p className="error">{t("robust.unavailable", { field })}</p>;
}

function SweepCard({ cycleId, scheme, group, scenarioId, scenarios }: CardProps) {
  const { t } = useI18n();
  const { params } = useRoute();
  // A link that names no category (the menu's) opens the one swept last on this cycle.
  const ids = scheme.categories.map((c) => c.id);
  const swept = useDraft(sweptCategoryDraft(cycleId), { category: ids.at(-1)! });
  const category = sweptCategory(params.get("category"), swept.value.category, ids);
  const pointsOf = (id: string) => scheme.categories.find((c) => c.id === id)?.points ?? 0;
  const points = pointsOf(category);
  const nominal = Number(points);
  // The gateway's default to, and its limit on to when the others are rescaled.
  const total = useMemo(() => sumDecimals(scheme.categories.map((c) => c.points)), [scheme]);
  // The bounds as the page starts them for this category: the same again, nothing is kept.
  const start: SweepBounds = defaultSweepRange(points, { total, others: "FIXED" });
  // Any category but the one swept can give the points.
  const donors = scheme.categories.filter((c) => c.id !== category);
  const donorIds = donors.map((c) => c.id);
  const knobs = useDraft(sweepDraft(cycleId, scenarioId), SWEEP_START, {
    atStart: (kept) => sweepModeAtStart(kept, donorIds),
  });
  const bounds = useDraft(sweepBoundsDraft(cycleId, scenarioId, category), start);
  const { others, donor } = offeredSweepMode(knobs.value, donorIds);
  const range = bounds.value;
  const [problems, setProblems] = useState<ReturnType<typeof readSweepBounds>["problems"]>({});
  // The others' mode (and donor) is asked for with the bounds: rescaled or transferred, to is held
  // to what can be given, and a run that the boxes refuse is not sent by a change of mode either.
  // Null: nothing to sweep yet.
  const [asked, setAsked] = useState<(Record<SweepBound, string> & SweepMode) | null>(null);
  /** What the mode asks the gateway for, and the limits the boxes are checked against under it. */
  const modeOf = (mode: SweepOthers, giver: string | null) => {
    const sweepMode: SweepMode | null =
      mode !== "TRANSFER" ? { others: mode } : giver !== null ? { others: mode, donor: giver } : null;
    // Under a transfer, the category and the donor hold the same points together at every x.
    const donorSum = giver === null ? undefined : sumDecimals([points, pointsOf(giver)]);
    return { sweepMode, limits: { total, others: mode, donorSum } };
  };
  /** Run's check: the bounds named at their boxes, and what to ask for when both read. */
  const check = (r: Record<SweepBound, string>, mode: SweepOthers, giver: string | null) => {
    const { sweepMode, limits } = modeOf(mode, giver);
    const read = readSweepBounds(r, limits);
    setProblems(read.problems);
    return Object.keys(read.problems).length === 0 && sweepMode ? { ...read.values, ...sweepMode } : null;
  };
  // The category the boxes were last set around. Another one shown (first, chosen, or brought
  // back by the URL) is the one swept last, and its boxes are as they were kept for it (typed
  // before, or before an expired session); else at its own points, held to what the others' mode
  // can give. Either way they are checked as Run checks them.
  const [around, setAround] = useState<string | null>(null);
  if (around !== category) {
    setAround(category);
    if (swept.value.category !== category) swept.edit({ category });
    const r = bounds.restored ? range : defaultSweepRange(points, modeOf(others, donor).limits);
    if (!sameDraft(r, range)) bounds.edit(r);
    // Refused, nothing is sent: the last category's run is not this one's, so it is dropped too.
    setAsked(check(r, others, donor));
  }
  const selected = params.get("unit");
  const key = asked && JSON.stringify([cycleId, category, asked, group, scenarioId]);
  const q = useQuery(key, (s) => runSweep({ cycleId, category, ...asked!, group, scenarioId }, s));
  // Grades by their names ("优秀 excellent"), as the other pages show them: the gateway gives ids.
  const gradeNames = useMemo(() => {
    const m = new Map<string, string>();
    for (const r of scheme.grades?.rules ?? []) m.set(r.id, r.name);
    if (scheme.grades?.fallback) m.set(scheme.grades.fallback.id, scheme.grades.fallback.name);
    return m;
  }, [scheme]);
  // The previous run (another range, category or group) stays in `q.data` while this one runs:
  // drawn under this run's settings, it would pass for this run's result.
  const run = q.current;
  const sweep = useMemo(
    () =>
      run && {
        ...run,
        units: run.units.map((u) => ({
          ...u,
          segments: u.segments.map((s) => ({
            ...s,
            grade: s.grade === null ? null : (gradeNames.get(s.grade) ?? s.grade),
          })),
        })),
      },
    [run, gradeNames],
  );
  const label = scheme.categories.find((c) => c.id === category)?.name ?? category;
  const option = useMemo(
    () =>
      sweep &&
      sweepOption(sweep.units, {
        nominal,
        selected,
        categoryLabel: label,
        // The line marks the category's points in the scheme, not a rank.
        nominalLabel: `${t("robust.nominalPoints")} ${nominal}`,
      }),
    [sweep, nominal, selected, label, t],
  );
  if (isMissingField(q.error)) return <Unavailable field="weightSweep" />;
  const unit = sweep?.units.find((u) => u.unitId === selected);
  const bound = (key: SweepBound) => {
    const problem = problems[key];
    return (
      <>
        <label>
          {t(`robust.${key}`)}{" "}
          <input
            size={5}
            inputMode="decimal"
            data-testid={`sweep-${key}`}
            placeholder={t("field.default")}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `sweep-${key}-problem` : undefined}
            value={range[key]}
            onChange={(e) => {
              bounds.edit({ [key]: e.target.value });
              // Each box is checked against the other (to above from; from below the total when
              // to is empty): a new value in either takes back what was said of both.
              setProblems({});
            }}
          />
        </label>
        {/* Beside the label, not in it: the box's name stays "from" while it says what is wrong. */}
        {problem && (
          <span className="error" id={`sweep-${key}-problem`} data-testid={`sweep-${key}-problem`}>
            {t(`field.${problem.problem}`, { range: problem.range })}
          </span>
        )}
      </>
    );
  };
  const submit = (mode: SweepOthers, giver: string | null) => {
    const ask = check(range, mode, giver);
    // Nothing is sent while a box says what is wrong with it.
    if (ask) setAsked(ask);
  };
  // Back to the page's own knobs, run as they are: the kept ones' figures are not theirs. The
  // category stays the one swept, and another's bounds stay kept: that sweep is not on screen.
  const discard = () => {
    knobs.reset();
    bounds.reset();
    setAsked(check(start, "FIXED", null));
  };
  return (
    <div className="card">
      <div className="toolbar">
        <h2 className="section">{t("robust.sweep")}</h2>
        <select
          data-testid="sweep-category"
          aria-label={t("category")}
          value={category}
          // Its bounds are set around its points as it is drawn (see `around`).
          onChange={(e) => updateParams({ category: e.target.value })}
        >
          {scheme.categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        {bound("from")}
        {bound("to")}
        <select
          aria-label={t("robust.others")}
          value={others}
          onChange={(e) => {
            const mode = e.target.value as SweepOthers;
            knobs.edit({ others: mode });
            // A new mode runs the sweep as the button does, checked against it first.
            submit(mode, donor);
          }}
        >
          <option value="FIXED">{t("robust.othersFixed")}</option>
          <option value="RESCALE">{t("robust.othersRescale")}</option>
          {/* A scheme of one category has none to give the points. */}
          <option value="TRANSFER" disabled={donor === null}>
            {t("robust.othersTransfer")}
          </option>
        </select>
        {others === "TRANSFER" && donor !== null && (
          <select
            data-testid="sweep-donor"
            aria-label={t("robust.donor")}
            value={donor}
            onChange={(e) => {
              knobs.edit({ donor: e.target.value });
              // As a new mode: another donor runs the sweep, checked against what it can give.
              submit(others, e.target.value);
            }}
          >
            {donors.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
        <button type="button" onClick={() => submit(others, donor)}>
          {t("robust.run")}
        </button>
        {sweep && (
          // The chart is a canvas: keyboard users pick the unit whose breakpoints are listed here.
          <label>
            {t("unit")}{" "}
            <select
              data-testid="sweep-unit"
              value={selected ?? ""}
              onChange={(e) => updateParams({ unit: e.target.value || null })}
            >
              <option value="">—</option>
              {sweep.units.map((u) => (
                <option key={u.unitId} value={u.unitId}>
                  {u.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {sweep && (
          <span className="muted" data-testid="breakpoint-count">
            {t("robust.breakpoints")}: {sweep.breakpointCount}
          </span>
        )}
      </div>
      {/* Each category's sweep is judged on its own: bounds kept for it came back, or not. */}
      <SettingsNote name="sweep" restored={knobs.restored || bounds.restored} onDiscard={discard} />
      {sweep && <UnderScenario id={sweep.scenarioId} scenarios={scenarios} testId="sweep-under" />}
      <ErrorNote {...failedRead(q)} />
      {q.loading && !sweep && <p>{t("loading")}</p>}
      {option && (
        <Chart
          testId="sweep-chart"
          height={Math.max(320, (sweep?.units.length ?? 0) * 18 + 70)}
          option={option}
          onClick={(p) => {
            const id = clickedUnit(p, sweep?.units ?? []);
            if (id) updateParams({ unit: id });
          }}
        />
      )}
      {sweep && unit && <p data-testid="sweep-stability">{stabilityText(unit, sweep, label, t)}</p>}
      {/* The sweep's ranks are not the official ones near a breakpoint: said wherever its ranks are. */}
      {sweep && (
        <p className="muted" data-testid="sweep-unrounded">
          {t("robust.unrounded")}
        </p>
      )}
      {unit && (
        <table data-testid="sweep-segments">
          {/* First child, as HTML wants; drawn under the rows. */}
          <caption style={{ captionSide: "bottom", textAlign: "left" }} className="muted">
            {t("robust.ends")}
          </caption>
          <thead>
            <tr>
              <th className="name">{unit.name}</th>
              <th className="num">{t("robust.from")}</th>
              <th className="num">{t("robust.to")}</th>
              <th className="num">{t("rank")}</th>
              <th>{t("grade")}</th>
            </tr>
          </thead>
          <tbody>
            {unit.segments.map((s) => {
              const ends = endLabels(s);
              return (
                // A one-point segment starts where the next one does: both ends make the key.
                <tr key={`${s.from}-${s.to}`}>
                  <td />
                  <td className="num" title={s.from}>
                    {ends.from}
                  </td>
                  <td className="num" title={s.to}>
                    {ends.to}
                  </td>
                  <td className="num">{s.rank ?? "—"}</td>
                  <td>{s.grade ?? ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

// The gateway's limits (its uncertainty arguments): a seed is its Seed scalar, 0 to 2³² − 1 as the
// engine takes (past GraphQL's Int); samples at most MAX_SAMPLES.
export const MC_FIELDS: Record<"samples" | "seed" | "concentration", NumberRule> = {
  samples: { optional: true, integer: true, min: 1, max: 5000 },
  seed: { integer: true, min: 0, max: 4294967295 },
  concentration: { optional: true, min: 0, minExclusive: true, max: 1e9 },
};
type McField = keyof typeof MC_FIELDS;

function MonteCarloCard({ cycleId, scheme, group, scenarioId, scenarios }: CardProps) {
  const { t, lang } = useI18n();
  const knobs = useDraft(monteCarloDraft(cycleId), MC_START);
  const form = knobs.value;
  // The boxes as first shown (as kept from before an expired session, if they were) run as they
  // read; one that does not read (a count kept out of range) is named, and nothing is sent.
  const [first] = useState(() => readNumbers(form, MC_FIELDS));
  const [problems, setProblems] = useState<Partial<Record<McField, NumberProblem>>>(first.problems);
  const [asked, setAsked] = useState(Object.keys(first.problems).length === 0 ? first.values : null);
  const run = asked && JSON.stringify([cycleId, asked, group, scenarioId]);
  // A run is only asked for once every box reads (seed is required there).
  const q = useQuery(run, (s) =>
    runUncertainty({ cycleId, ...asked, seed: asked!.seed!, group, scenarioId }, s),
  );
  // As for the sweep: another run's intervals are not this run's.
  const mc = q.current;
  const option = useMemo(
    () =>
      mc &&
      intervalsOption(
        mc.units,
        {
          interval: t("robust.interval"),
          median: t("robust.median"),
          nominal: t("robust.nominal"),
        },
        lang,
      ),
    [mc, t, lang],
  );
  if (isMissingField(q.error)) return <Unavailable field="uncertainty" />;
  const num = (key: McField, label: string) => (
    <label>
      {label}{" "}
      <input
        type="number"
        data-testid={`mc-${key}`}
        style={{ width: 90 }}
        min={MC_FIELDS[key].min}
        max={MC_FIELDS[key].max}
        placeholder={MC_FIELDS[key].optional ? t("field.default") : undefined}
        aria-invalid={problems[key] ? true : undefined}
        aria-describedby={problems[key] ? `mc-${key}-problem` : undefined}
        value={form[key] ?? ""}
        onChange={(e) => {
          // Text that is not a number reads as "" from a number input: kept apart from an empty box.
          knobs.edit({ [key]: e.target.validity.badInput ? null : e.target.value });
          setProblems({ ...problems, [key]: undefined });
        }}
      />
      {problems[key] && (
        <span className="error" id={`mc-${key}-problem`} data-testid={`mc-${key}-problem`}>
          {" "}
          {t(`field.${problems[key]}`, { range: rangeText(MC_FIELDS[key]) })}
        </span>
      )}
    </label>
  );
  const submit = () => {
    const read = readNumbers(form, MC_FIELDS);
    setProblems(read.problems);
    // Nothing is sent while a box says what is wrong with it.
    if (Object.keys(read.problems).length === 0) setAsked(read.values);
  };
  // Back to the page's own boxes, run as they are: the kept ones' intervals are not theirs.
  const discard = () => {
    knobs.reset();
    setProblems({});
    setAsked(readNumbers(MC_START, MC_FIELDS).values);
  };
  return (
    <div className="card">
      <div className="toolbar">
        <h2 className="section">{t("robust.mc")}</h2>
        {num("samples", t("robust.samples"))}
        {num("seed", t("robust.seed"))}
        {num("concentration", t("robust.concentration"))}
        <button type="button" onClick={submit}>
          {t("robust.run")}
        </button>
      </div>
      <SettingsNote name="mc" restored={knobs.restored} onDiscard={discard} />
      {mc && <UnderScenario id={mc.scenarioId} scenarios={scenarios} testId="mc-under" />}
      <ErrorNote {...failedRead(q)} />
      {q.loading && !mc && <p>{t("loading")}</p>}
      {/* The gateway's self-check: the float model behind the samples missed an official rank. */}
      {mc && !mc.nominalReproduced && (
        <p className="error" data-testid="mc-not-reproduced">
          {t("robust.notReproduced")}
        </p>
      )}
      {option && (
        <Chart testId="mc-chart" height={Math.max(300, (mc?.units.length ?? 0) * 20 + 70)} option={option} />
      )}
      {mc && (
        <MonteCarloTable
          units={mc.units}
          excellent={gradeName(scheme, mc.excellentGrade)}
          exportAs={{
            // The run as the gateway made it: its scenario, group and parameters name the file.
            fileName: (extension) =>
              exportFileName(
                [
                  "monte-carlo",
                  cycleId,
                  group,
                  mc.scenarioId === null ? null : scenarioName(scenarios, mc.scenarioId),
                  `seed${mc.parameters.seed}`,
                  `samples${mc.parameters.samples}`,
                  mc.parameters.concentration === null ? null : `concentration${mc.parameters.concentration}`,
                ],
                extension,
              ),
            sheet: `monte-carlo-${cycleId}-seed${mc.parameters.seed}`,
            group: (id) => scheme.groups.find((g) => g.id === id)?.name ?? id,
          }}
        />
      )}
    </div>
  );
}

/** A grade by its name in the scheme ("优秀 excellent"), as the other pages show it; else its id. */
function gradeName(scheme: SchemeDocument, id: string | null): string | null {
  if (id === null) return null;
  const rule = scheme.grades?.rules.find((r) => r.id === id);
  return rule?.name ?? (scheme.grades?.fallback?.id === id ? scheme.grades.fallback.name : id);
}

const MC_COLUMNS: { key: UncertaintyColumn; num: boolean }[] = [
  { key: "name", num: false },
  { key: "nominalRank", num: true },
  { key: "medianRank", num: true },
  { key: "p5Rank", num: true },
  { key: "p95Rank", num: true },
  { key: "pExcellent", num: true },
  { key: "pLast", num: true },
];

/**
 * Each unit's figures from the run, sortable by any column (a header's button; again, the other
 * way): the chances of the first grade and of last place beside the rank interval they go with.
 */
export function MonteCarloTable({
  units,
  excellent,
  exportAs,
}: {
  units: UncertaintyUnit[];
  excellent: string | null;
  /** How the table is exported, in the order on screen: left out, it is not. */
  exportAs?: {
    fileName: (extension: "csv" | "xlsx") => string;
    sheet: string;
    group: (id: string) => string;
  };
}) {
  const { t, lang } = useI18n();
  const [order, setOrder] = useState<{ column: UncertaintyColumn; descending: boolean }>({
    column: "nominalRank",
    descending: false,
  });
  const rows = useMemo(
    () => sortUncertainty(units, order.column, order.descending),
    [units, order.column, order.descending],
  );
  // Percentiles are interpolated between two samples' ranks: 25.05, not 25.049999999999955.
  const rank = (r: number | null) => (r === null ? "—" : formatRank(r, lang));
  const title = (key: UncertaintyColumn) =>
    key === "pExcellent"
      ? excellent === null
        ? t("robust.pExcellentNone")
        : t("robust.pExcellentTitle", { grade: excellent })
      : key === "pLast"
        ? t("robust.pLastTitle")
        : undefined;
  return (
    <div className="scroll-x">
      {exportAs && (
        <div className="toolbar">
          <span className="spacer" />
          <ExportButtons
            testId="mc-export"
            table={() => uncertaintyTable(rows, exportAs.group, t)}
            fileName={exportAs.fileName}
            sheet={exportAs.sheet}
            decimals={2}
          />
        </div>
      )}
      <table data-testid="mc-table">
        {/* First child, as HTML wants; drawn under the rows. */}
        <caption style={{ captionSide: "bottom", textAlign: "left" }} className="muted">
          {t("robust.interpolated")}
        </caption>
        <thead>
          <tr>
            {MC_COLUMNS.map(({ key, num }) => {
              const sorted = order.column === key;
              return (
                <th
                  key={key}
                  className={num ? "num" : undefined}
                  title={title(key)}
                  aria-sort={sorted ? (order.descending ? "descending" : "ascending") : undefined}
                >
                  <button
                    type="button"
                    className="sort"
                    data-testid={`mc-sort-${key}`}
                    onClick={() =>
                      setOrder({
                        column: key,
                        // Chances are read largest first; names and ranks, from the top.
                        descending: sorted ? !order.descending : key === "pExcellent" || key === "pLast",
                      })
                    }
                  >
                    {t(`robust.col.${key}`)}
                    {sorted ? (order.descending ? " ↓" : " ↑") : ""}
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((u) => (
            <tr key={u.unitId} data-unit={u.unitId}>
              <td className="name">{u.name}</td>
              <td className="num">{rank(u.nominalRank)}</td>
              <td className="num">{rank(u.medianRank)}</td>
              <td className="num">{rank(u.p5Rank)}</td>
              <td className="num">{rank(u.p95Rank)}</td>
              <td className="num" data-testid="p-excellent">
                {formatShare(u.pExcellent)}
              </td>
              <td className="num" data-testid="p-last">
                {formatShare(u.pLast)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** How a rank changed: ↓ fell, ↑ rose, = kept; "—" where a side has no rank. */
const rankChange = (delta: number | null) =>
  delta === null ? "—" : delta === 0 ? "=" : delta < 0 ? `↑${-delta}` : `↓${delta}`;

/**
 * Which categories the ranking leans on: each left out in turn (its points set to 0, the others
 * kept or scaled up to keep the total), how far the units move on average, and where each unit of
 * the group on screen ends up without it.
 */
function LeaveOneOutCard({ cycleId, scheme, group, scenarioId, scenarios }: CardProps) {
  const { t } = useI18n();
  const knobs = useDraft(leaveOneOutDraft(cycleId), LOO_START);
  const rescale = knobs.value.rescale;
  const q = useQuery(JSON.stringify([cycleId, rescale, group, scenarioId]), (s) =>
    runLeaveOneOut({ cycleId, rescale, group, scenarioId }, s),
  );
  // A scheme (or a scenario) giving one category every point has nothing to leave out: the
  // gateway says why, which is no failure of the page.
  const notSupported = (q.error as ApiError | null)?.code === "NOT_SUPPORTED" ? q.error : null;
  // Another run's figures (the other mode, another group) are not this one's.
  const run = q.current;
  if (isMissingField(q.error)) return <Unavailable field="leaveOneOut" />;
  const name = (id: string) => scheme.categories.find((c) => c.id === id)?.name ?? id;
  return (
    <div className="card">
      <div className="toolbar">
        <h2 className="section">{t("robust.loo")}</h2>
        <label>
          <input
            type="checkbox"
            data-testid="loo-rescale"
            checked={rescale}
            onChange={(e) => knobs.edit({ rescale: e.target.checked })}
          />{" "}
          {t("robust.looRescale")}
        </label>
      </div>
      {/* The mode is the query's key: set back, the run follows. */}
      <SettingsNote name="loo" restored={knobs.restored} onDiscard={() => knobs.reset()} />
      {run && <UnderScenario id={run.scenarioId} scenarios={scenarios} testId="loo-under" />}
      {notSupported ? (
        <p className="notice" data-testid="loo-not-supported">
          {t("robust.looNotSupported")} <span className="muted">{notSupported.message}</span>
        </p>
      ) : (
        <ErrorNote {...failedRead(q)} />
      )}
      {q.loading && !run && <p>{t("loading")}</p>}
      {run && (
        <>
          <div className="scroll-x">
            <table data-testid="loo-summary">
              <thead>
                <tr>
                  <th>{t("category")}</th>
                  <th className="num" title={t("robust.looMeanShiftTitle")}>
                    {t("robust.looMeanShift")}
                  </th>
                  <th className="num">{t("robust.looUnitsMoved")}</th>
                  <th>{t("robust.looPoints")}</th>
                </tr>
              </thead>
              <tbody>
                {run.categories.map((c) => (
                  <tr key={c.category} data-category={c.category}>
                    <td>{name(c.category)}</td>
                    <td
                      className="num"
                      title={c.meanAbsoluteRankShift === null ? undefined : String(c.meanAbsoluteRankShift)}
                    >
                      {c.meanAbsoluteRankShift === null ? "—" : c.meanAbsoluteRankShift.toFixed(2)}
                    </td>
                    <td className="num">{c.unitsMoved}</td>
                    <td className="muted">
                      {c.points.map((p) => `${name(p.category)} ${p.points}`).join(" · ")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="scroll-x">
            <table data-testid="loo-units">
              <caption style={{ captionSide: "bottom", textAlign: "left" }} className="muted">
                {t("robust.looCaption")}
              </caption>
              <thead>
                <tr>
                  <th>{t("unit")}</th>
                  <th className="num">{t("rank")}</th>
                  {run.categories.map((c) => (
                    <th key={c.category} className="num">
                      {t("robust.looWithout", { category: name(c.category) })}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {run.units.map((u) => (
                  <tr key={u.unitId} data-unit={u.unitId}>
                    <td className="name">{u.name}</td>
                    <td className="num">{u.rank ?? "—"}</td>
                    {run.categories.map((c) => {
                      const w = u.without[c.category];
                      return (
                        <td
                          key={c.category}
                          className={`num ${w?.rankDelta ? (w.rankDelta < 0 ? "up" : "down") : ""}`}
                          data-category={c.category}
                          title={w?.totalDelta ? `Δ ${t("total")} ${w.totalDelta}` : undefined}
                        >
                          {w?.rankWithout ?? "—"} {rankChange(w?.rankDelta ?? null)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
