import { Fragment, useEffect, useMemo, useState } from "react";
import type { Session } from "../auth";
import { exportFileName } from "../export/file-name";
import { whatIfTable } from "../export/whatif-table";
import { placesOf } from "../format";
import { gradeNamer } from "../grade-names";
import { hiddenParts } from "../hidden-parts";
import { useI18n } from "../i18n";
import {
  fromScenario,
  type Knobs,
  nominalKnobs,
  QUOTA_ROUNDINGS,
  QUOTA_TIES,
  quotaRule,
  toScenario,
} from "../knobs";
import { type NumberRule, type NumberText, rangeText, readNumber } from "../number-field";
import { MISSING_SUB_UNITS, ROLLUP_AGGREGATIONS, type RollupKnob, SHARE_RULE } from "../rollup-knobs";
import { href, updateParams, useRoute } from "../router";
import { scenarioMaximum } from "../scenario-maximum";
import { loadScenarios } from "../scenarios-api";
import { useQuery } from "../use-query";
import {
  isMissingField,
  loadCycleScheme,
  type RollupEnd,
  runWhatIf,
  type ScenarioDocument,
  type SchemeDocument,
  saveScenario,
  scenarioSource,
  type WhatIfResult,
} from "../whatif-api";
import { CyclePicker, ErrorNote, failedRead } from "./cycle-picker";
import { DraftNote } from "./draft-note";
import { ExportButtons } from "./export-buttons";
import { GroupPicker, studiedGroup } from "./group-picker";
import { Field } from "./labelled-field";
import { useScenarioCycle } from "./scenario-cycle";
import { ScenarioList } from "./scenario-list";
import { StatusRegion } from "./status-region";
import { eligibilityFlags, MovementCard, UnitMovesTable } from "./unit-moves";
import { useWriteFocus } from "./use-write-focus";
import { useWhatIfSettings } from "./whatif-settings";
import { hasRollups, WhyMoved } from "./why-moved";

/** Move a slider, see the new ranking: debounced calls to the gateway's whatIf query. */
export function WhatIf({ session }: { session: Session }) {
  const { t } = useI18n();
  const { params } = useRoute();
  const { scenarioId, saved, cyclesRead, cycles, cycle } = useScenarioCycle(params);
  const scheme = useQuery(cycle?.id ?? null, (s) => loadCycleScheme(cycle!.id, s));
  // Read again after each save from this page: a new scenario joins the list, an updated one's
  // time moves.
  const [saves, setSaves] = useState(0);
  const list = useQuery(cycle ? `scenarios|${cycle.id}` : null, (s) => loadScenarios(cycle!.id, s), saves);
  // Until the scenario asked for is read (or refused): `loading` is still the last one's for a render.
  if (scenarioId && saved.key !== scenarioId) return <p>{t("loading")}</p>;
  // The saved scenario is run as it was saved: the knobs edit their parts of it, nothing else.
  const opened = saved.current && saved.current.cycleId === cycle?.id ? saved.current : null;
  return (
    <section className="page stack">
      <div className="toolbar">
        <CyclePicker cycles={cycles} value={cycle?.id} />
      </div>
      <ErrorNote {...failedRead(cyclesRead, scheme, saved)} />
      {cycle && (
        <ScenarioList
          cycleId={cycle.id}
          scenarios={list.current}
          read={list}
          current={opened?.id ?? null}
          subject={session.subject}
        />
      )}
      {/* Until the new cycle's scheme arrives, the previous cycle's is still in `scheme.data`:
          knobs started from it would run the new cycle under the old rules. */}
      {cycle && scheme.current && (
        <Workbench
          key={`${cycle.id}|${scenarioId ?? ""}`}
          cycleId={cycle.id}
          scenarioId={scenarioId}
          scheme={scheme.current}
          saved={opened?.patch ?? null}
          savedName={opened?.name ?? null}
          owner={opened?.owner ?? null}
          subject={session.subject}
          onSaved={() => setSaves((n) => n + 1)}
        />
      )}
    </section>
  );
}

/** Every number of decimals the engine accepts (its scheme and scenario schemas: 0 to 10). */
const ROUNDING_DECIMALS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

export function Workbench(props: {
  cycleId: string;
  scenarioId: string | null;
  scheme: SchemeDocument;
  /** The saved scenario the page was opened on (of this cycle), or null. */
  saved: ScenarioDocument | null;
  savedName: string | null;
  /** Who saved the scenario the page was opened on: its owner may save changes over it. */
  owner?: string | null;
  /** The session's subject. */
  subject?: string;
  /** Called once a scenario is saved, new or over the one opened. */
  onSaved?: () => void;
}) {
  const { t } = useI18n();
  const { params } = useRoute();
  const { scheme, cycleId, saved } = props;
  const nominal = useMemo(() => nominalKnobs(scheme), [scheme]);
  const [start] = useState(() => ({
    knobs: saved ? fromScenario(saved, scheme) : nominal,
    name: props.savedName ?? "",
  }));
  // Settings kept from before an expired session (or a visit to another page) come back as they
  // were. Only the analyst's own changes are kept: what a page opens with is on the gateway already.
  const settings = useWhatIfSettings({ cycleId, scenarioId: props.scenarioId, scheme, start });
  const { knobs, name } = settings.value;
  // Set back to its start by the restored note, the page's boxes start afresh, as on Reset.
  const [discards, setDiscards] = useState(0);
  // As on the robustness page: an unranked group, or one of another cycle's scheme, has no ranks to move.
  const group = studiedGroup(scheme, params.get("group"));
  const selected = params.get("unit");
  const scenario = useMemo(() => toScenario(knobs, scheme, saved ?? undefined), [knobs, scheme, saved]);
  const document = useDebounced(scenario, 250);
  const key = JSON.stringify([cycleId, group, document]);
  const run = useQuery(key, (s) => runWhatIf(cycleId, document, group, s));
  // Keep the last result on screen while the next one is computed, with the settings it is of:
  // what is read for it (who overtook whom) must be of those settings, not of the ones computing.
  // `current` is the result of this render's `document`.
  const [shown, setShown] = useState<{ result: WhatIfResult; document: ScenarioDocument } | null>(null);
  useEffect(() => {
    if (run.current) setShown({ result: run.current, document });
  }, [run.current, document]);

  const grade = useMemo(() => gradeNamer(scheme), [scheme]);
  const groupName = (id: string) => scheme.groups.find((g) => g.id === id)?.name ?? id;

  if (isMissingField(run.error)) return <p className="error">{t("whatif.unavailable")}</p>;
  const units = shown?.result.units ?? [];
  // Refused, the settings on screen have no result: the one shown is the previous settings'.
  const stale = run.error !== null && shown !== null;
  const select = (id: string | null) => updateParams({ unit: id });

  return (
    <>
      <DraftNote
        name="whatif"
        restored={settings.restored}
        onDiscard={() => {
          settings.reset();
          setDiscards((n) => n + 1);
        }}
        words={{ restored: "whatif.restored", discard: saved ? "whatif.discardScenario" : "whatif.discard" }}
      />
      <ScenarioNotes scheme={scheme} knobs={knobs} scenario={scenario} />
      <KnobPanel
        scheme={scheme}
        knobs={knobs}
        nominal={nominal}
        scenario={scenario}
        onChange={(k) => settings.edit({ knobs: k })}
        restarts={discards}
        cycleId={cycleId}
        opened={props.scenarioId && props.owner ? { id: props.scenarioId, owner: props.owner } : null}
        subject={props.subject ?? ""}
        onSaved={props.onSaved}
        name={name}
        onNameChange={(n) => settings.edit({ name: n })}
      />
      <GroupPicker scheme={scheme} value={group} />
      <ErrorNote {...failedRead(run)} change={t("whatif.changeSettings")} />
      {stale && (
        <p className="muted" data-testid="whatif-stale">
          {t("whatif.stale")}
        </p>
      )}
      <div className={stale ? "grid2 stale" : "grid2"} data-testid="whatif-results" data-stale={stale}>
        <div className="card">
          <div className="toolbar">
            <span className="spacer" />
            {/* Only the result of the settings above: one still computing, or refused, is not theirs. */}
            <ExportButtons
              testId="whatif-export"
              disabled={!run.current}
              table={() =>
                whatIfTable(
                  run.current?.units ?? [],
                  { group: groupName, grade: (id) => (id ? grade(id) : ""), flags: eligibilityFlags },
                  t,
                )
              }
              fileName={(extension) => exportFileName(["whatif", cycleId, group, name], extension)}
              sheet={name.trim() || `whatif-${cycleId}`}
              decimals={placesOf(units.find((u) => u.scenario.total)?.scenario.total)}
            />
          </div>
          <UnitMovesTable
            testId="whatif-table"
            busy={run.loading}
            columns={{ rank: t("rank"), baselineRank: t("whatif.baseline"), total: t("total") }}
            units={units}
            grade={grade}
            selected={selected}
            onSelect={select}
          />
        </div>
        <div className="stack">
          <MovementCard
            title={t("whatif.movement")}
            testId="movement-chart"
            units={units}
            labels={{ baseline: t("whatif.baseline"), scenario: t("whatif.scenario") }}
            selected={selected}
            onSelect={select}
          />
          {shown && (
            <WhyMoved
              source={scenarioSource(cycleId, shown.document)}
              // A split exists only where a roll-up blends sub-units into a part: a scheme without
              // one (and a scenario adding none) has nothing to ask.
              mayRollUp={hasRollups(scheme, shown.document)}
              result={shown.result}
              unitId={selected}
              scheme={scheme}
              grade={grade}
            />
          )}
        </div>
      </div>
    </>
  );
}

/**
 * What the knobs alone do not say about the scenario being run: parts of a saved scenario they do
 * not show, and a maximum total that is no longer the scheme's (as the Rules page warns of it).
 */
export function ScenarioNotes(props: { scheme: SchemeDocument; knobs: Knobs; scenario: ScenarioDocument }) {
  const { t } = useI18n();
  const { scheme, knobs, scenario } = props;
  const hidden = hiddenParts(scenario, knobs, scheme, t);
  const maximum = scenarioMaximum(scheme, knobs, scenario);
  return (
    <>
      {hidden.length > 0 && (
        <p className="notice" data-testid="whatif-hidden">
          {t("whatif.hidden", { parts: hidden.join(t("whatif.hiddenSeparator")) })}
        </p>
      )}
      {/* Exact decimals written one way only ("110", never "110.0"): equal strings, equal values. */}
      {maximum && maximum.before !== maximum.after && (
        <p data-testid="whatif-maximum">
          <strong className="flag severe">{t("whatif.maximum", { ...maximum })}</strong>{" "}
          <span className="muted">{t("whatif.maximumChanged", { ...maximum })}</span>
        </p>
      )}
    </>
  );
}

/** The stages the decimals apply to: the scenario's own, else the scheme's, else the engine's default. */
function roundedStages(scheme: SchemeDocument, scenario: ScenarioDocument): string[] {
  const patched = (scenario.patch?.rounding as { stages?: unknown } | undefined)?.stages;
  if (Array.isArray(patched)) return patched.map(String);
  return scheme.rounding?.stages ?? ["category", "total"];
}

const STAGES = ["category", "adjustment", "total"] as const;

export function KnobPanel(props: {
  scheme: SchemeDocument;
  knobs: Knobs;
  nominal: Knobs;
  /** The scenario the knobs make, as it is run and saved. */
  scenario: ScenarioDocument;
  onChange: (k: Knobs) => void;
  /** Times the page was set back to its start from outside the panel: every box starts afresh. */
  restarts?: number;
  cycleId: string;
  /** The saved scenario on screen, or null: its owner may save changes over it. */
  opened?: { id: string; owner: string } | null;
  subject?: string;
  onSaved?: (() => void) | undefined;
  name: string;
  onNameChange: (name: string) => void;
}) {
  const { t } = useI18n();
  const { scheme, knobs, nominal, onChange, name } = props;
  const rule = quotaRule(scheme);
  const stages = STAGES.filter((s) => roundedStages(scheme, props.scenario).includes(s));
  const [link, setLink] = useState<{ url: string; updated: boolean } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  // A save on its way: a second click (a double click) would send it again, and the gateway refuses
  // the copy as a name the analyst already has.
  const [saving, setSaving] = useState(false);
  const asked = useWriteFocus(saving);
  // Only its owner may save over a scenario (the gateway refuses anyone else): others save theirs as new.
  const own = props.opened && props.opened.owner === props.subject ? props.opened : null;
  // Reset starts every box afresh, one that holds text not applied included (its value may
  // already be the scheme's, which would leave the text in place).
  const [resets, setResets] = useState(0);
  /** Saves as a new scenario, or with `over` over the one opened. */
  const save = async (over?: string) => {
    asked();
    setSaving(true);
    setError(null);
    setLink(null);
    let url: string;
    try {
      const id = await saveScenario(
        { cycleId: props.cycleId, name: name.trim(), ...(over ? { id: over } : {}) },
        props.scenario,
      );
      url = `${location.origin}${location.pathname}${href("whatif", { cycle: props.cycleId, scenario: id })}`;
      setLink({ url, updated: over !== undefined });
      props.onSaved?.();
    } catch (e) {
      setError(e as Error);
      return;
    } finally {
      // Saved or refused, another save may go: the clipboard, which may wait on a permission, does not hold it.
      setSaving(false);
    }
    await navigator.clipboard?.writeText(url).catch(() => {});
  };
  return (
    <div className="card">
      <div className="knobs">
        {scheme.categories.map((c) => (
          <Slider
            key={`${c.id}:${resets}:${props.restarts ?? 0}`}
            id={c.id}
            label={c.name}
            value={knobs.points[c.id]!}
            nominal={nominal.points[c.id]!}
            max={Math.max(100, nominal.points[c.id]! * 2)}
            step={1}
            rule={POINTS_RULE}
            onChange={(v) => onChange({ ...knobs, points: { ...knobs.points, [c.id]: v } })}
          />
        ))}
        {rule && knobs.quota !== null && (
          <Slider
            key={`quota:${resets}:${props.restarts ?? 0}`}
            id="quota"
            label={`${t("whatif.quota")} (${rule.name}, ${rule.unit === "percent" ? "%" : "#"})`}
            value={knobs.quota}
            nominal={nominal.quota!}
            max={rule.unit === "percent" ? 100 : Math.max(50, nominal.quota! * 2)}
            step={1}
            // The engine's quota: a percent up to 100, or a whole number of units.
            rule={rule.unit === "percent" ? { min: 0, max: 100 } : { min: 0, integer: true }}
            onChange={(v) => onChange({ ...knobs, quota: v })}
          />
        )}
        {rule && knobs.quota !== null && knobs.quotaTies !== undefined && (
          <div className="knob">
            <span>{t("whatif.quotaPlaces")}</span>
            <div className="row">
              {/* A count has no part place to round (the engine refuses `rounding` beside it). */}
              {knobs.quotaRounding !== undefined && (
                <select
                  data-testid="knob-quota-rounding"
                  aria-label={t("whatif.quotaRounding")}
                  value={knobs.quotaRounding}
                  onChange={(e) => onChange({ ...knobs, quotaRounding: e.target.value })}
                >
                  {QUOTA_ROUNDINGS.map((r) => (
                    <option key={r} value={r}>
                      {t(`whatif.quotaRounding.${r}`)}
                    </option>
                  ))}
                </select>
              )}
              <select
                data-testid="knob-quota-ties"
                aria-label={t("whatif.quotaTies")}
                value={knobs.quotaTies}
                onChange={(e) => onChange({ ...knobs, quotaTies: e.target.value })}
              >
                {QUOTA_TIES.map((r) => (
                  <option key={r} value={r}>
                    {t(`whatif.quotaTies.${r}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
        )}
        <div className="knob">
          <span>{t("whatif.rounding")}</span>
          <div className="row">
            <select
              data-testid="knob-decimals"
              aria-label={t("whatif.rounding")}
              value={knobs.decimals}
              onChange={(e) => onChange({ ...knobs, decimals: Number(e.target.value) })}
            >
              {ROUNDING_DECIMALS.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
            <select
              data-testid="knob-mode"
              aria-label={t("whatif.roundingMode")}
              value={knobs.mode}
              onChange={(e) => onChange({ ...knobs, mode: e.target.value })}
            >
              <option value="half-up">{t("whatif.mode.half-up")}</option>
              <option value="half-even">{t("whatif.mode.half-even")}</option>
            </select>
          </div>
          <span className="muted" data-testid="rounding-stages">
            {stages.length > 0
              ? t("whatif.roundingStages", {
                  stages: stages.map((s) => t(`whatif.stage.${s}`)).join(t("whatif.stageSeparator")),
                })
              : t("whatif.roundingNone")}
          </span>
        </div>
        <RollupKnobs
          scheme={scheme}
          knobs={knobs}
          nominal={nominal}
          onChange={onChange}
          restarts={`${resets}:${props.restarts ?? 0}`}
        />
      </div>
      <div className="toolbar">
        <button
          type="button"
          data-testid="reset"
          onClick={() => {
            onChange(nominal);
            setResets((r) => r + 1);
          }}
        >
          {t("whatif.reset")}
        </button>
        <span className="spacer" />
        <Field testId="scenario-name" label={t("whatif.name")}>
          {(a) => <input {...a} value={name} onChange={(e) => props.onNameChange(e.target.value)} />}
        </Field>
        {own && (
          <button
            type="button"
            className="primary"
            data-testid="save-changes"
            disabled={saving || !name.trim()}
            onClick={() => save(own.id)}
          >
            {t("whatif.saveChanges")}
          </button>
        )}
        <button
          type="button"
          className={own ? undefined : "primary"}
          data-testid="save"
          disabled={saving || !name.trim()}
          onClick={() => save()}
        >
          {props.opened ? t("whatif.saveAsNew") : t("whatif.save")}
        </button>
      </div>
      {props.opened && !own && (
        <p className="muted" data-testid="not-own">
          {t("whatif.notOwn", { owner: props.opened.owner })}
        </p>
      )}
      <StatusRegion>
        {link && (
          <p className="ok">
            {link.updated ? t("whatif.updated") : t("whatif.saved")}{" "}
            <a href={link.url} data-testid="share-link">
              {link.url}
            </a>
          </p>
        )}
      </StatusRegion>
      <ErrorNote error={error} />
    </div>
  );
}

/**
 * Each of the scheme's roll-ups: its sub-units' share (a slider and box from 0 to 1, as the scheme
 * writes it), how their results combine and what a sub-unit without one does. None for a roll-up
 * a saved scenario changes in a way these cannot show: it is run as saved, until Reset.
 */
function RollupKnobs(props: {
  scheme: SchemeDocument;
  knobs: Knobs;
  nominal: Knobs;
  onChange: (k: Knobs) => void;
  /** Changes whenever every box starts afresh (Reset, a discarded draft). */
  restarts: string;
}) {
  const { t } = useI18n();
  const { scheme, knobs, nominal } = props;
  const end = (e: RollupEnd) =>
    e.category !== undefined
      ? (scheme.categories.find((c) => c.id === e.category)?.name ?? e.category)
      : t("whatif.rollupTotal");
  return (scheme.rollups ?? []).map((r) => {
    const knob = knobs.rollups?.[r.id];
    const own = nominal.rollups?.[r.id];
    if (!knob || !own) return null;
    const set = (change: Partial<RollupKnob>) =>
      props.onChange({ ...knobs, rollups: { ...knobs.rollups, [r.id]: { ...knob, ...change } } });
    const words = { rollup: r.id, source: end(r.source), into: end(r.into) };
    return (
      <Fragment key={r.id}>
        <Slider
          key={`${r.id}:${props.restarts}`}
          id={`rollup-${r.id}-share`}
          label={t("whatif.rollupShare", words)}
          value={knob.share}
          nominal={own.share}
          max={1}
          step={0.01}
          rule={SHARE_RULE}
          problem={(reason) => t("whatif.rollupShareProblem", { rollup: r.id, reason })}
          onChange={(share) => set({ share })}
        />
        <div className="knob">
          <span>{t("whatif.rollupHow", words)}</span>
          <div className="row">
            <select
              data-testid={`knob-rollup-${r.id}-aggregation`}
              aria-label={t("whatif.rollupAggregation", words)}
              value={knob.aggregation}
              onChange={(e) => set({ aggregation: e.target.value })}
            >
              {ROLLUP_AGGREGATIONS.map((a) => (
                <option key={a} value={a}>
                  {t(`whatif.rollupAggregation.${a}`)}
                </option>
              ))}
            </select>
            <select
              data-testid={`knob-rollup-${r.id}-missing`}
              aria-label={t("whatif.rollupMissing", words)}
              value={knob.missingSubUnit}
              onChange={(e) => set({ missingSubUnit: e.target.value })}
            >
              {MISSING_SUB_UNITS.map((m) => (
                <option key={m} value={m}>
                  {t(`whatif.rollupMissing.${m}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
      </Fragment>
    );
  });
}

/** A category's points: any number from 0 (the engine refuses negative points). */
const POINTS_RULE: NumberRule = { min: 0 };

function Slider(props: {
  id: string;
  label: string;
  value: number;
  nominal: number;
  max: number;
  step: number;
  /** What the box takes; anything else stays in the box, named beside it, and is not applied. */
  rule: NumberRule;
  /** The message beside the box, from its problem's words, where those alone would not say whose box it is. */
  problem?: (reason: string) => string;
  onChange: (v: number) => void;
}) {
  const { t } = useI18n();
  const changed = props.value !== props.nominal;
  // A value beyond the range (typed in the box, or from a saved scenario) would be drawn clamped at
  // the end: the range grows to the largest value applied and stays so while the thumb is dragged back.
  const [reach, setReach] = useState(props.value);
  if (props.value > reach) setReach(props.value);
  const max = Math.max(props.max, reach);
  // The box holds what is typed, not the value applied: bound to the value, an emptied box came
  // back at once, and the next digits landed beside the old ones (45, ⌫⌫, 38 gave 438).
  const [draft, setDraft] = useState<NumberText>(String(props.value));
  const [applied, setApplied] = useState(props.value);
  if (props.value !== applied) {
    // Moved by the slider, Reset or a restored scenario: the box shows the new value, unless what
    // it holds already reads as that value ("38.0").
    setApplied(props.value);
    const held = readNumber(draft, props.rule);
    if (!("value" in held && held.value === props.value)) setDraft(String(props.value));
  }
  const reading = readNumber(draft, props.rule);
  const problem = "problem" in reading ? reading.problem : null;
  const problemId = `input-${props.id}-problem`;
  return (
    <div className="knob">
      <label className="knob">
        <span>
          {props.label} {changed && <span className="muted">({props.nominal} →)</span>}
        </span>
        <span className="row">
          <input
            type="range"
            data-testid={`slider-${props.id}`}
            min={0}
            max={max}
            step={props.step}
            value={props.value}
            onChange={(e) => props.onChange(Number(e.target.value))}
          />
          <input
            type="number"
            data-testid={`input-${props.id}`}
            // A label names only the first control inside it: the range.
            aria-label={props.label}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? problemId : undefined}
            min={props.rule.min}
            max={props.rule.max}
            step="any"
            value={draft ?? ""}
            onChange={(e) => {
              // Text that is not a number ("-", "1e") reads as "" from a number input: not empty.
              const text = e.target.validity.badInput ? null : e.target.value;
              setDraft(text);
              const read = readNumber(text, props.rule);
              // Only a value the box reads in full is applied (and sent, once typing pauses).
              if ("value" in read && read.value !== undefined && read.value !== props.value)
                props.onChange(read.value);
            }}
          />
        </span>
      </label>
      {/* Beside the label, not in it: the slider's name stays the category's. */}
      {problem && (
        <span className="error" id={problemId} data-testid={problemId}>
          {(props.problem ?? ((reason: string) => reason))(
            t(`field.${problem}`, { range: rangeText(props.rule) }),
          )}{" "}
          {t("whatif.notApplied", { value: props.value })}
        </span>
      )}
    </div>
  );
}
