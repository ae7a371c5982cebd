import { type FormEvent, useState } from "react";
import {
  CORRECT_PATHS,
  CREATE_PATHS,
  type CycleRow,
  chosenTarget,
  createCycle,
  cycleCorrection,
  cycleLabel,
  defaultFollows,
  deleteCycle,
  FINALISE_PATHS,
  finaliseCycle,
  firstToFinalise,
  firstToMove,
  followable,
  followedCycle,
  followedStillOpen,
  followsValue,
  LINK_PATHS,
  loadCycleRows,
  loadSchemeChoices,
  MOVE_PATHS,
  moveRefusals,
  nextYear,
  noUnitHasTotal,
  readFollows,
  readYear,
  type SchemeChoice,
  type SchemeTarget,
  setCycleScheme,
  setPreviousCycle,
  updateCycle,
  YEAR_RULE,
} from "../cycles-api";
import { historyHref } from "../history-filter";
import { type Translate, useI18n } from "../i18n";
import { rangeText } from "../number-field";
import { loadUnscoredUnits, type UnscoredUnits, unscoredRefused } from "../unscored-units";
import { useQuery } from "../use-query";
import {
  Field,
  ReasonField,
  SchemeVersionFields,
  useChosenCycle,
  useCycleState,
  useReason,
  useWrite,
  WriteNotes,
  WriteOutcome,
  withReason,
  YearField,
} from "./cycle-form-parts";
import { ErrorNote, failedRead } from "./cycle-picker";
import { DraftNote } from "./draft-note";
import { afterRefusal, type MoveChoice, NO_MOVE_CHOICE } from "./move-choice";
import { moveHint, moveQuestion, targetKey } from "./move-hints";
import { showsStart, useDraft } from "./use-draft";

/**
 * The evaluation years (考评周期) for an administrator: each with the cycle of an earlier year it
 * follows, whose vetoes still count in it. New cycles are created here, corrected or deleted while
 * open, moved onto another scheme version, linked, and finalised.
 */
export function Cycles() {
  const { t } = useI18n();
  // Bumped after each write: the list is read again from the gateway, not patched here.
  const [revision, setRevision] = useState(0);
  const rows = useQuery("cycle-rows", (s) => loadCycleRows(s), revision);
  const schemes = useQuery("scheme-choices", (s) => loadSchemeChoices(s));
  const cycles = rows.data;
  const changed = () => setRevision((r) => r + 1);
  return (
    <section className="page stack">
      <ErrorNote {...failedRead(rows, schemes)} />
      {cycles && (
        <div className="card">
          <h2 className="section">{t("cycles.list")}</h2>
          <CycleTable cycles={cycles} />
        </div>
      )}
      {cycles && schemes.data && <CreateForm cycles={cycles} schemes={schemes.data} onDone={changed} />}
      {cycles && <CorrectForm cycles={cycles} onDone={changed} />}
      {cycles && schemes.data && <MoveForm cycles={cycles} schemes={schemes.data} onDone={changed} />}
      {cycles && <LinkForm cycles={cycles} onDone={changed} />}
      {cycles && <FinaliseForm cycles={cycles} onDone={changed} />}
      {rows.loading && !cycles && <p>{t("loading")}</p>}
    </section>
  );
}

const statusText = (status: string, t: Translate) =>
  status === "OPEN"
    ? t("cycles.status.open")
    : status === "FINALISED"
      ? t("cycles.status.finalised")
      : status;

function CycleTable({ cycles }: { cycles: CycleRow[] }) {
  const { t } = useI18n();
  if (cycles.length === 0)
    return (
      <p className="muted" data-testid="cycles-none">
        {t("cycles.none")}
      </p>
    );
  return (
    <div className="scroll-x">
      <table data-testid="cycle-list">
        <thead>
          <tr>
            <th>{t("cycles.id")}</th>
            <th>{t("cycles.year")}</th>
            <th>{t("cycles.name")}</th>
            <th>{t("status")}</th>
            <th>{t("cycles.schemeVersion")}</th>
            <th>{t("cycles.follows")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {cycles.map((c) => (
            <tr key={c.id} data-cycle={c.id}>
              <td>
                <code>{c.id}</code>
              </td>
              <td>{c.year}</td>
              <td>{c.name}</td>
              <td data-testid="cycle-status">{statusText(c.status, t)}</td>
              <td>{t("cycles.versionOf", { scheme: c.schemeId, version: c.schemeVersion })}</td>
              <td data-testid="cycle-follows">
                {c.previousCycle ? cycleLabel(c.previousCycle, cycles) : t("cycles.followsNone")}
              </td>
              <td>
                <a
                  href={historyHref({ cycleId: c.id })}
                  aria-label={t("history.cycleLink", { cycle: c.id })}
                  data-testid="cycle-history"
                >
                  {t("history.link")}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CreateForm(props: { cycles: CycleRow[]; schemes: SchemeChoice[]; onDone: () => void }) {
  const { t } = useI18n();
  const { cycles, schemes } = props;
  const initial = {
    id: "",
    year: String(nextYear(cycles)),
    name: "",
    // The newest cycle's scheme, at its latest version: next year is usually scored under it.
    schemeId: cycles[0]?.schemeId ?? "",
    version: "",
    copyUnitsFrom: "",
    follows: followsValue({ kind: "default" }),
  };
  // Where the form starts, the newest cycle's scheme may be one not read: the first read, then.
  const shownScheme = (choice: string) =>
    schemes.some((s) => s.schemeId === choice) ? choice : (schemes[0]?.schemeId ?? "");
  // The scheme and version as their boxes show them: picked back by hand, they are the start.
  const shown = (v: typeof initial) => {
    const schemeId = shownScheme(v.schemeId);
    return { ...v, schemeId, version: chosenTarget(schemes, schemeId, v.version)?.version ?? null };
  };
  const draft = useDraft("cycles.create", initial, { atStart: showsStart(initial, shown) });
  const { id, year: yearText, name, version: versionChoice, copyUnitsFrom } = draft.value;
  const follows = readFollows(draft.value.follows);
  const [yearChecked, setYearChecked] = useState(false);
  const write = useWrite(CREATE_PATHS, props.onDone);

  const schemeId = shownScheme(draft.value.schemeId);
  const target = chosenTarget(schemes, schemeId, versionChoice);
  const year = readYear(yearText);
  const yearValue = "value" in year ? year.value : null;
  const copyFrom = cycles.find((c) => c.id === copyUnitsFrom) ?? null;
  const byDefault = defaultFollows(copyFrom, yearValue);
  const followed = followedCycle(follows, copyFrom, yearValue, cycles);
  const idTaken = cycles.some((c) => c.id === id.trim());

  const change = (patch: Partial<typeof draft.value>) => {
    draft.edit(patch);
    write.edited();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    write.asked();
    setYearChecked(true);
    if (yearValue === null || !target) return;
    void write.run(async () => {
      const created = await createCycle({
        id,
        year: yearValue,
        name,
        schemeId: target.schemeId,
        schemeVersion: target.version,
        copyUnitsFrom,
        follows,
      });
      draft.reset((v) => ({ ...v, id: "", name: "" }));
      return t("cycles.created", { cycle: cycleLabel(created, [created]) });
    });
  };
  const p = write.problems.fields;
  const yearProblem =
    yearChecked && "problem" in year ? t(`field.${year.problem}`, { range: rangeText(YEAR_RULE) }) : p.year;
  return (
    <form className="card stack fit" data-testid="cycle-create" onSubmit={submit}>
      <h2 className="section">{t("cycles.create")}</h2>
      <DraftNote
        name="cycle-create"
        restored={draft.restored}
        onDiscard={() => {
          draft.reset();
          setYearChecked(false);
          write.edited();
        }}
      />
      {schemes.length === 0 && <p className="muted">{t("cycles.noSchemes")}</p>}
      <div className="toolbar">
        <Field form="cycle" name="id" label={t("cycles.id")} problem={p.id}>
          {(a) => <input {...a} size={12} value={id} onChange={(e) => change({ id: e.target.value })} />}
        </Field>
        <YearField
          form="cycle"
          problem={yearProblem}
          value={yearText}
          onChange={(text) => {
            change({ year: text });
            setYearChecked(false);
          }}
        />
        <Field form="cycle" name="name" label={t("cycles.name")} problem={p.name}>
          {(a) => <input {...a} size={24} value={name} onChange={(e) => change({ name: e.target.value })} />}
        </Field>
      </div>
      <div className="toolbar">
        <SchemeVersionFields
          form="cycle"
          schemes={schemes}
          schemeId={schemeId}
          version={target?.version}
          problems={p}
          onScheme={(id) => change({ schemeId: id, version: "" })}
          onVersion={(version) => change({ version })}
        />
      </div>
      <div className="toolbar">
        <Field form="cycle" name="copyUnitsFrom" label={t("cycles.copyUnitsFrom")} problem={p.copyUnitsFrom}>
          {(a) => (
            <select {...a} value={copyUnitsFrom} onChange={(e) => change({ copyUnitsFrom: e.target.value })}>
              <option value="">{t("cycles.copyNone")}</option>
              {cycles.map((c) => (
                <option key={c.id} value={c.id}>
                  {cycleLabel(c, cycles)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field form="cycle" name="previousCycle" label={t("cycles.follows")} problem={p.previousCycle}>
          {(a) => (
            <select
              {...a}
              value={followsValue(follows)}
              // Kept as its box's value, which reads back as the same choice.
              onChange={(e) => change({ follows: e.target.value })}
            >
              <option value="default">
                {t("cycles.followsDefault", {
                  cycle: byDefault ? cycleLabel(byDefault, cycles) : t("cycles.followsNone"),
                })}
              </option>
              <option value="none">{t("cycles.followsNoneChoice")}</option>
              {cycles.map((c) => (
                <option key={c.id} value={followsValue({ kind: "cycle", id: c.id })}>
                  {cycleLabel(c, cycles)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <p data-testid="cycle-follows-shown">
        {followed
          ? t("cycles.willFollow", { cycle: cycleLabel(followed, cycles) })
          : t("cycles.willFollowNone")}
      </p>
      <p className="muted">{t("cycles.followsWhy")}</p>
      {idTaken && (
        <p className="muted" data-testid="cycle-id-taken">
          {t("cycles.idTaken", { id: id.trim() })}
        </p>
      )}
      <div className="toolbar">
        <button type="submit" className="primary" data-testid="cycle-submit" disabled={write.busy || !target}>
          {t("cycles.createSubmit")}
        </button>
      </div>
      <WriteOutcome write={write} name="cycle-create" />
    </form>
  );
}

/** The correction form's boxes as typed; null, the cycle's own. */
const NOTHING_TYPED: { name: string | null; year: string | null; yearChecked: boolean } = {
  name: null,
  year: null,
  yearChecked: false,
};

/** Whether the correction form's boxes show the cycle's own name and year, typed back by hand too. */
const correctionAtStart = (typed: typeof NOTHING_TYPED, cycle: CycleRow): boolean =>
  (typed.name ?? cycle.name) === cycle.name && (typed.year ?? String(cycle.year)) === String(cycle.year);

/**
 * An open cycle's name or year corrected, or the cycle deleted, after a confirmation that names
 * it, with the reason given for its audit entry. Starts on the newest open cycle: one just made
 * with a typo. The gateway refuses to delete a cycle that holds anything stored, saying what to
 * remove first; that is shown as it says it.
 */
export function CorrectForm(props: { cycles: CycleRow[]; onDone: () => void }) {
  const { t } = useI18n();
  const open = props.cycles.filter((c) => c.status === "OPEN");
  const [chosen, setChosen, chosenKept] = useChosenCycle("cycles.correct.cycle");
  // A cycle finalised or deleted meanwhile (here or by a colleague) is no longer offered.
  const cycle = open.find((c) => c.id === chosen) ?? open[0];
  const about = cycle && { id: cycle.id, label: cycleLabel(cycle, props.cycles) };
  // Null: the box shows the cycle's own, as the list read last has it.
  const [typed, setTyped, typedKept] = useCycleState(cycle?.id, NOTHING_TYPED, {
    draft: "cycles.correct.typed",
    atStart: (value) => cycle !== undefined && correctionAtStart(value, cycle),
  });
  const reason = useReason(cycle?.id, { draft: "cycles.correct.reason" });
  const write = useWrite(CORRECT_PATHS, props.onDone, about);
  const choose = (id: string) => {
    setChosen(id);
    setTyped(NOTHING_TYPED);
    reason.clear();
    write.edited();
  };
  const draftNote = (
    <DraftNote
      name="correct"
      restored={typedKept.restored || reason.restored}
      onDiscard={() => {
        chosenKept.discard();
        typedKept.discard();
        reason.clear();
        write.edited();
      }}
    />
  );
  if (!cycle || !about)
    return (
      <div className="card stack fit" data-testid="cycle-correct">
        <h2 className="section">{t("cycles.correct")}</h2>
        <p className="muted" data-testid="correct-none">
          {t("cycles.correctNoneOpen")}
        </p>
        <WriteOutcome write={write} name="cycle-correct" />
      </div>
    );
  // What is typed is this cycle's: the box stays on it should the list's order change (a year
  // corrected, a cycle made by a colleague).
  const edit = (change: Partial<typeof typed>) => {
    setChosen(cycle.id);
    setTyped({ ...typed, ...change });
    write.edited();
  };
  const name = typed.name ?? cycle.name;
  const yearText = typed.year ?? String(cycle.year);
  const year = readYear(yearText);
  const correction = "value" in year ? cycleCorrection(cycle, name, year.value) : null;
  // A year that does not read is no change yet: the press says what is wrong with it.
  const unchanged = correction !== null && Object.keys(correction).length === 0;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    write.asked();
    // Only a year that does not read has a problem to show; marking another kept a draft of
    // nothing typed, which came back as "what you had typed" over the cycle's own values.
    if (!("value" in year)) setTyped({ ...typed, yearChecked: true });
    if (!correction || unchanged) return;
    void write.run(async () => {
      const corrected = await updateCycle(cycle.id, correction);
      // Saved: the boxes show what was sent, now the cycle's own; nothing typed is kept.
      typedKept.saved();
      chosenKept.saved();
      return t("cycles.corrected", { cycle: cycleLabel(corrected, [corrected]) });
    });
  };
  const remove = () => {
    write.asked();
    // A reason the gateway would refuse is named at its box before the question is asked.
    const given = reason.take();
    if (!given) return;
    if (!window.confirm(withReason(t("cycles.confirmDelete", { cycle: about.label }), given.value, t)))
      return;
    void write.run(async () => {
      const deleted = await deleteCycle(cycle.id, given.value);
      choose("");
      return t("cycles.deleted", { cycle: about.label, units: deleted.units, groups: deleted.groups });
    });
  };
  const p = write.problems.fields;
  const yearProblem =
    typed.yearChecked && "problem" in year
      ? t(`field.${year.problem}`, { range: rangeText(YEAR_RULE) })
      : p.year;
  return (
    <form className="card stack fit" data-testid="cycle-correct" onSubmit={submit}>
      <h2 className="section">{t("cycles.correct")}</h2>
      {draftNote}
      <div className="toolbar">
        <Field form="correct" name="cycle" label={t("cycle")} problem={undefined}>
          {(a) => (
            <select {...a} value={cycle.id} onChange={(e) => choose(e.target.value)}>
              {open.map((c) => (
                <option key={c.id} value={c.id}>
                  {cycleLabel(c, props.cycles)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="toolbar">
        <Field form="correct" name="name" label={t("cycles.name")} problem={p.name}>
          {(a) => <input {...a} size={24} value={name} onChange={(e) => edit({ name: e.target.value })} />}
        </Field>
        <YearField
          form="correct"
          problem={yearProblem}
          value={yearText}
          onChange={(text) => edit({ year: text, yearChecked: false })}
        />
        <button type="submit" data-testid="correct-submit" disabled={write.busy || unchanged}>
          {t("cycles.correctSubmit")}
        </button>
      </div>
      <p className="muted">{t("cycles.correctWhy")}</p>
      <div className="toolbar">
        <ReasonField
          form="correct"
          label={t("cycles.deleteReason")}
          problem={reason.problem ?? p.reason}
          value={reason.text}
          onChange={(text) => {
            setChosen(cycle.id);
            reason.change(text);
            write.edited();
          }}
        />
        <button type="button" data-testid="correct-delete" disabled={write.busy} onClick={remove}>
          {t("cycles.deleteSubmit")}
        </button>
      </div>
      <p className="muted">{t("cycles.deleteWhy")}</p>
      <WriteOutcome write={write} name="cycle-correct" />
    </form>
  );
}

const versionText = (v: SchemeTarget, t: Translate) =>
  t("cycles.versionOf", { scheme: v.schemeId, version: v.version });

/**
 * Whether the move form's boxes show the cycle's own scheme at its latest version, not forced,
 * picked back by hand too.
 */
function moveAtStart(choice: MoveChoice, cycle: CycleRow, schemes: readonly SchemeChoice[]): boolean {
  const shown = (c: MoveChoice) => {
    const schemeId = c.schemeId ?? cycle.schemeId;
    return { schemeId, version: chosenTarget(schemes, schemeId, c.version)?.version, force: c.force };
  };
  return showsStart(NO_MOVE_CHOICE, shown)(choice);
}

/**
 * An open cycle scored under another scheme version (publishing one changes no cycle), after a
 * confirmation naming the cycle and the version. Starts on the newest cycle behind its scheme's
 * latest version, at that version. `force` moves it without the gateway's check of its records,
 * with a reason then required, as the gateway requires one. A refusal listing the records a
 * version cannot score, or the units that would lose their total, is shown whole, with a hint at
 * the page's own way past each; one of a check too costly to run, at the version's box, with a
 * hint at force. One that would lift a secret vote's secrecy says so, beside records or totals
 * too, and the question before forcing that version then says it again.
 */
export function MoveForm(props: { cycles: CycleRow[]; schemes: SchemeChoice[]; onDone: () => void }) {
  const { t } = useI18n();
  const { cycles, schemes } = props;
  const open = cycles.filter((c) => c.status === "OPEN");
  const [chosen, setChosen, chosenKept] = useChosenCycle("cycles.move.cycle");
  // A cycle finalised or deleted meanwhile (here or by a colleague) is no longer offered.
  const cycle = open.find((c) => c.id === chosen) ?? firstToMove(cycles, schemes);
  const about = cycle && { id: cycle.id, label: cycleLabel(cycle, cycles) };
  const [choice, setChoice, choiceKept] = useCycleState(cycle?.id, NO_MOVE_CHOICE, {
    draft: "cycles.move.choice",
    atStart: (value) => cycle !== undefined && moveAtStart(value, cycle, schemes),
  });
  const { force } = choice;
  const reason = useReason(cycle?.id, { required: force, draft: "cycles.move.reason" });
  const write = useWrite(MOVE_PATHS, props.onDone, about);
  if (!cycle || !about) return null;
  const choose = (id: string) => {
    setChosen(id);
    setChoice(NO_MOVE_CHOICE);
    reason.clear();
    write.edited();
  };
  // What is chosen is this cycle's: the box stays on it should the list's order change.
  const edit = (change: Partial<typeof choice>) => {
    setChosen(cycle.id);
    setChoice({ ...choice, ...change });
    write.edited();
  };
  // The cycle's own scheme is kept in the box even when it is not among those read: another is
  // offered, never put in its place unasked.
  const schemeId = choice.schemeId ?? cycle.schemeId;
  const target = chosenTarget(schemes, schemeId, choice.version);
  const current = { schemeId: cycle.schemeId, version: cycle.schemeVersion };
  // The gateway answers a move onto the version the cycle is on with the cycle as it is.
  const unchanged =
    target !== null && target.schemeId === current.schemeId && target.version === current.version;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!target || unchanged) return;
    write.asked();
    // A reason the gateway would refuse (none, with force) is named at its box before the question.
    const given = reason.take();
    if (!given) return;
    const texts = { cycle: about.label, from: versionText(current, t), to: versionText(target, t) };
    const question = moveQuestion(texts, { force, liftsSecrecy: choice.liftsAt === targetKey(target) }, t);
    if (!window.confirm(withReason(question, given.value, t))) return;
    setChosen(cycle.id);
    void write.run(async () => {
      const moved = await setCycleScheme(cycle.id, target, { force, reason: given.value }).catch(
        (e: Error) => {
          const told = afterRefusal(choice, targetKey(target), moveRefusals(e));
          if (told !== choice) setChoice(told);
          throw e;
        },
      );
      setChoice(NO_MOVE_CHOICE);
      reason.clear();
      chosenKept.saved();
      return t("cycles.moved", {
        cycle: cycleLabel(moved, [moved]),
        version: versionText({ schemeId: moved.schemeId, version: moved.schemeVersion }, t),
      });
    });
  };
  const hint = write.error && moveHint(moveRefusals(write.error), t);
  return (
    // The console names an empty reason at its box, in the page's language, not the browser.
    <form className="card stack fit" data-testid="cycle-move" onSubmit={submit} noValidate>
      <h2 className="section">{t("cycles.move")}</h2>
      <DraftNote
        name="move"
        restored={choiceKept.restored || reason.restored}
        onDiscard={() => {
          chosenKept.discard();
          choiceKept.discard();
          reason.clear();
          write.edited();
        }}
      />
      <div className="toolbar">
        <Field form="move" name="cycle" label={t("cycle")} problem={undefined}>
          {(a) => (
            <select {...a} value={cycle.id} onChange={(e) => choose(e.target.value)}>
              {open.map((c) => (
                <option key={c.id} value={c.id}>
                  {t("cycles.moveCycleOption", {
                    cycle: cycleLabel(c, cycles),
                    version: versionText({ schemeId: c.schemeId, version: c.schemeVersion }, t),
                  })}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="toolbar">
        <SchemeVersionFields
          form="move"
          schemes={schemes}
          schemeId={schemeId}
          version={target?.version}
          current={current}
          problems={write.problems.fields}
          onScheme={(id) => edit({ schemeId: id, version: null })}
          onVersion={(version) => edit({ version })}
        />
      </div>
      {!schemes.some((s) => s.schemeId === schemeId) && (
        <p className="muted" data-testid="move-scheme-unavailable">
          {t("cycles.schemeUnavailableWhy", { scheme: schemeId })}
        </p>
      )}
      {unchanged && (
        <p className="muted" data-testid="move-unchanged">
          {t("cycles.moveUnchanged", { version: versionText(current, t) })}
        </p>
      )}
      <div className="toolbar">
        <span>
          <input
            type="checkbox"
            id="field-move-force"
            data-testid="move-force"
            checked={force}
            onChange={(e) => {
              edit({ force: e.target.checked });
              reason.uncheck();
            }}
          />{" "}
          <label htmlFor="field-move-force">{t("cycles.moveForce")}</label>
        </span>
      </div>
      <p className="muted">{t("cycles.moveForceWhy")}</p>
      <div className="toolbar">
        <ReasonField
          form="move"
          label={t(force ? "cycles.moveReasonForced" : "cycles.moveReason")}
          problem={reason.problem ?? write.problems.fields.reason}
          value={reason.text}
          required={force}
          onChange={(text) => {
            setChosen(cycle.id);
            reason.change(text);
            write.edited();
          }}
        />
        <button type="submit" data-testid="move-submit" disabled={write.busy || !target || unchanged}>
          {t("cycles.moveSubmit")}
        </button>
      </div>
      <p className="muted">{t("cycles.moveWhy")}</p>
      <WriteOutcome write={write} name="cycle-move" />
      {hint && <p data-testid="move-hint">{hint}</p>}
    </form>
  );
}

/** What an open cycle follows: linked to a cycle of an earlier year, or to none. */
export function LinkForm(props: { cycles: CycleRow[]; onDone: () => void }) {
  const { t } = useI18n();
  const open = props.cycles.filter((c) => c.status === "OPEN");
  const [chosen, setChosen, chosenKept] = useChosenCycle("cycles.link.cycle");
  // A cycle finalised meanwhile (here or by a colleague) is no longer offered. The newest first:
  // the one just created is the one to link.
  const cycle = open.find((c) => c.id === chosen) ?? open[0];
  const about = cycle && { id: cycle.id, label: cycleLabel(cycle, props.cycles) };
  // Null: the box shows what the cycle follows now, which picked by hand is no change either.
  const [followsChoice, setFollows, followsKept] = useCycleState<string | null>(cycle?.id, null, {
    draft: "cycles.link.follows",
    atStart: (value) => value === null || value === (cycle?.previousCycle?.id ?? ""),
  });
  const write = useWrite(LINK_PATHS, props.onDone, about);
  if (!cycle) return null;
  const current = cycle.previousCycle?.id ?? "";
  // Until another is picked, the box shows what the cycle follows now.
  const target = followsChoice ?? current;
  const candidates = followable(props.cycles, cycle.year);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void write.run(async () => {
      const linked = await setPreviousCycle(cycle.id, target || null);
      chosenKept.saved();
      followsKept.saved();
      const label = cycleLabel(linked, props.cycles);
      return linked.previousCycle
        ? t("cycles.linked", { cycle: label, previous: cycleLabel(linked.previousCycle, props.cycles) })
        : t("cycles.unlinked", { cycle: label });
    });
  };
  return (
    <form className="card stack fit" data-testid="cycle-link" onSubmit={submit}>
      <h2 className="section">{t("cycles.link")}</h2>
      <DraftNote
        name="link"
        restored={followsKept.restored}
        onDiscard={() => {
          chosenKept.discard();
          followsKept.discard();
          write.edited();
        }}
      />
      <div className="toolbar">
        <Field form="link" name="cycle" label={t("cycle")} problem={undefined}>
          {(a) => (
            <select
              {...a}
              value={cycle.id}
              onChange={(e) => {
                setChosen(e.target.value);
                setFollows(null);
                write.edited();
              }}
            >
              {open.map((c) => (
                <option key={c.id} value={c.id}>
                  {cycleLabel(c, props.cycles)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          form="link"
          name="previousCycle"
          label={t("cycles.follows")}
          problem={write.problems.fields.previousCycle}
        >
          {(a) => (
            <select
              {...a}
              value={target}
              onChange={(e) => {
                // What is picked is this cycle's: the box stays on it should the list's order change.
                setChosen(cycle.id);
                setFollows(e.target.value);
                write.edited();
              }}
            >
              <option value="">{t("cycles.followsNoneChoice")}</option>
              {/* What it follows now stays offered, even if the list read has lost it. */}
              {current && !candidates.some((c) => c.id === current) && (
                <option value={current}>{cycleLabel(cycle.previousCycle!, props.cycles)}</option>
              )}
              {candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  {cycleLabel(c, props.cycles)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" data-testid="link-submit" disabled={write.busy || target === current}>
          {t(target ? "cycles.linkSubmit" : "cycles.unlinkSubmit")}
        </button>
      </div>
      <p className="muted">{t("cycles.followsWhy")}</p>
      <WriteOutcome write={write} name="cycle-link" />
    </form>
  );
}

/**
 * What the question before finalising says first when some units have no total: how many of how
 * many, the first few with what each lacks in the engine's words, and how to go back.
 */
function unscoredNote(unscored: UnscoredUnits, cycle: string, t: Translate): string {
  const { count, units, shown } = unscored;
  const lines = shown.map((u) => `${u.unitId} ${u.name} (${u.lacks})`);
  if (count > shown.length)
    lines.push(
      t("cycles.unscoredMore", {
        more: count - shown.length,
        flag: t("flag.INSUFFICIENT"),
        rankings: t("rankings"),
      }),
    );
  return [
    t(count === 1 ? "cycles.unscoredNoteOne" : "cycles.unscoredNote", { count, units, cycle }),
    ...lines,
    "",
    t("cycles.unscoredLoadFirst", { imports: t("imports") }),
  ].join("\n");
}

/**
 * Finalising an open cycle, after a confirmation that names it, with the reason given for its
 * audit entry: nothing of a finalised cycle can change again. Units without a total are said in
 * the question, and their number is sent as the administrator saw it; a refusal as it changed
 * meanwhile asks to press again. A refusal of the reason is shown at
 * its box, any other whole; when it is that the cycle it follows is still open, or
 * that no unit of it has a total, with a hint at this console's own way out (the Link box; the
 * Imports page, or deleting a cycle made by mistake), which the gateway's message, naming its
 * API's setPreviousCycle, importFile or deleteCycle, cannot give. A refusal speaks of the cycle in
 * the box (useWrite): once that one is gone (deleted above, as the hint for a year with nothing to
 * publish may suggest, or finalised by a colleague), so is what it said.
 */
function FinaliseForm(props: { cycles: CycleRow[]; onDone: () => void }) {
  const { t } = useI18n();
  const open = props.cycles.filter((c) => c.status === "OPEN");
  const [chosen, setChosen, chosenKept] = useChosenCycle("cycles.finalise.cycle");
  const cycle = open.find((c) => c.id === chosen) ?? firstToFinalise(open);
  const about = cycle && { id: cycle.id, label: cycleLabel(cycle, props.cycles) };
  const reason = useReason(cycle?.id, { draft: "cycles.finalise.reason" });
  const write = useWrite(FINALISE_PATHS, props.onDone, about);
  const error = write.error;
  const finalise = () => {
    if (!cycle || !about) return;
    write.asked();
    // A reason the gateway would refuse is named at its box before the question is asked.
    const given = reason.take();
    if (!given) return;
    void write.run(async () => {
      // Read as the question is asked: the number of units without a total sent is the one the
      // administrator saw. None read (records its scheme cannot score): the gateway says why not.
      const unscored = await loadUnscoredUnits(cycle.id);
      const question = t("cycles.confirmFinalise", { cycle: about.label });
      const said = unscored?.count ? `${unscoredNote(unscored, about.label, t)}\n\n${question}` : question;
      if (!window.confirm(withReason(said, given.value, t))) return null;
      await finaliseCycle(cycle.id, given.value, unscored?.count);
      setChosen("");
      reason.clear();
      return t("cycles.finalised", { cycle: about.label });
    });
  };
  return (
    <div className="card stack fit" data-testid="cycle-finalise">
      <h2 className="section">{t("cycles.finalise")}</h2>
      <DraftNote
        name="finalise"
        restored={reason.restored}
        onDiscard={() => {
          chosenKept.discard();
          reason.clear();
          write.edited();
        }}
      />
      {cycle ? (
        <div className="toolbar">
          <Field form="finalise" name="cycle" label={t("cycle")} problem={undefined}>
            {(a) => (
              <select
                {...a}
                value={cycle.id}
                onChange={(e) => {
                  setChosen(e.target.value);
                  reason.clear();
                  write.edited();
                }}
              >
                {open.map((c) => (
                  <option key={c.id} value={c.id}>
                    {cycleLabel(c, props.cycles)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <ReasonField
            form="finalise"
            label={t("cycles.finaliseReason")}
            problem={reason.problem ?? write.problems.fields.reason}
            value={reason.text}
            onChange={(text) => {
              // What is typed is this cycle's: the box stays on it should the list change.
              setChosen(cycle.id);
              reason.change(text);
              write.edited();
            }}
          />
          <button type="button" data-testid="finalise-submit" disabled={write.busy} onClick={finalise}>
            {t("cycles.finaliseSubmit")}
          </button>
        </div>
      ) : (
        <p className="muted" data-testid="finalise-none">
          {t("cycles.noneOpen")}
        </p>
      )}
      <p className="muted">{t("cycles.finaliseWhy")}</p>
      {cycle && about && error && write.problems.elsewhere && (
        <div data-testid="finalise-refused">
          <p>{t("cycles.finaliseRefused", { cycle: about.label })}</p>
          <ErrorNote error={error} />
          {noUnitHasTotal(error) && (
            <p data-testid="finalise-hint">
              {t("cycles.finaliseNoTotals", { imports: t("imports"), correct: t("cycles.correct") })}
            </p>
          )}
          {unscoredRefused(error) && (
            <p data-testid="finalise-hint">
              {t("cycles.finaliseUnscoredChanged", { submit: t("cycles.finaliseSubmit") })}
            </p>
          )}
          {followedStillOpen(error) && (
            <p data-testid="finalise-hint">
              {t("cycles.finaliseFollowedOpen", {
                previous: cycle.previousCycle
                  ? cycleLabel(cycle.previousCycle, props.cycles)
                  : t("cycles.theFollowed"),
                link: t("cycles.link"),
                follows: t("cycles.follows"),
                none: t("cycles.followsNoneChoice"),
                unlink: t("cycles.unlinkSubmit"),
              })}
            </p>
          )}
        </div>
      )}
      <WriteNotes write={write} name="finalise" />
    </div>
  );
}
