import { type FormEvent, type ReactNode, useState } from "react";
import {
  CORRECT_PATHS,
  CREATE_PATHS,
  type CycleField,
  type CycleRow,
  createCycle,
  cycleCorrection,
  cycleFieldProblems,
  cycleLabel,
  defaultFollows,
  deleteCycle,
  FINALISE_PATHS,
  type Follows,
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
  nextYear,
  noUnitHasTotal,
  type ReasonReading,
  readFollows,
  readReason,
  readYear,
  recordsRefused,
  type SchemeChoice,
  type SchemeTarget,
  setCycleScheme,
  setPreviousCycle,
  updateCycle,
  YEAR_RULE,
} from "../cycles-api";
import { type Translate, useI18n } from "../i18n";
import { rangeText } from "../number-field";
import { useQuery } from "../use-query";
import { ErrorNote } from "./cycle-picker";

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
      <ErrorNote error={rows.error ?? schemes.error} />
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
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type A11y = {
  id: string;
  "data-testid": string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
};

/** One field of a form, with what the console or the gateway said of it beside it. */
function Field(props: {
  form: string;
  name: string;
  label: string;
  problem: string | undefined;
  children: (a11y: A11y) => ReactNode;
}) {
  const testId = `${props.form}-${props.name}`;
  return (
    <span>
      <label htmlFor={`field-${testId}`}>{props.label}</label>{" "}
      {props.children({
        id: `field-${testId}`,
        "data-testid": testId,
        "aria-invalid": props.problem ? true : undefined,
        "aria-describedby": props.problem ? `${testId}-problem` : undefined,
      })}
      {/* Beside the box, not in its label: the box keeps its name while it says what is wrong. */}
      {props.problem && (
        <span className="error" id={`${testId}-problem`} data-testid={`${testId}-problem`}>
          {" "}
          {props.problem}
        </span>
      )}
    </span>
  );
}

/** A year's box, as the Create and Correct forms both have it (each checks it only when sent). */
function YearField(props: {
  form: string;
  problem: string | undefined;
  value: string;
  onChange: (text: string) => void;
}) {
  const { t } = useI18n();
  return (
    <Field form={props.form} name="year" label={t("cycles.year")} problem={props.problem}>
      {(a) => (
        <input
          {...a}
          size={6}
          inputMode="numeric"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/**
 * The reason a deletion, a finalisation or a move keeps in its audit entry. Enter in it sends
 * nothing: in the correction form it would send the correction, which the reason is not for.
 */
function ReasonField(props: {
  form: string;
  label: string;
  problem: string | undefined;
  value: string;
  onChange: (text: string) => void;
}) {
  return (
    <Field form={props.form} name="reason" label={props.label} problem={props.problem}>
      {(a) => (
        <input
          {...a}
          size={30}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.nativeEvent.isComposing) e.preventDefault();
          }}
        />
      )}
    </Field>
  );
}

/** What is wrong with a reason the gateway would refuse, once its write was asked for; else undefined. */
function reasonProblem(reading: ReasonReading, checked: boolean, t: Translate): string | undefined {
  if (!checked || !("problem" in reading)) return undefined;
  if (reading.problem === "required") return t("field.reasonRequired");
  return reading.problem === "tooLong"
    ? t("field.reasonTooLong", { chars: reading.chars })
    : t("field.reasonNoWords");
}

/**
 * A form's write: nothing else is sent while one runs; a refusal stays on screen until the form
 * is edited, by field where the gateway named one.
 */
function useWrite(paths: Record<string, CycleField>, onDone: () => void) {
  const [error, setError] = useState<Error | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (write: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await write());
      onDone();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const edited = () => {
    setError(null);
    setDone(null);
  };
  return { error, done, busy, run, edited, problems: cycleFieldProblems(error, paths) };
}

function WriteOutcome({ write, name }: { write: ReturnType<typeof useWrite>; name: string }) {
  return (
    <>
      {/* Every refusal is shown whole (for support, and for what names no field) unless each of
          its problems is already beside its field. */}
      {write.problems.elsewhere && <ErrorNote error={write.error} />}
      {write.done && (
        <p className="ok" role="status" data-testid={`${name}-done`}>
          {write.done}
        </p>
      )}
    </>
  );
}

function CreateForm(props: { cycles: CycleRow[]; schemes: SchemeChoice[]; onDone: () => void }) {
  const { t } = useI18n();
  const { cycles, schemes } = props;
  const [id, setId] = useState("");
  const [yearText, setYear] = useState(() => String(nextYear(cycles)));
  const [name, setName] = useState("");
  // The newest cycle's scheme, at its latest version: next year is usually scored under it.
  const [schemeChoice, setScheme] = useState(cycles[0]?.schemeId ?? "");
  const [versionChoice, setVersion] = useState("");
  const [copyUnitsFrom, setCopyFrom] = useState("");
  const [follows, setFollows] = useState<Follows>({ kind: "default" });
  const [yearChecked, setYearChecked] = useState(false);
  const write = useWrite(CREATE_PATHS, props.onDone);

  const scheme = schemes.find((s) => s.schemeId === schemeChoice) ?? schemes[0];
  // The versions are the chosen scheme's: one kept from another scheme is not offered.
  const versions = scheme?.versions ?? [];
  const version = versions.some((v) => String(v.version) === versionChoice)
    ? Number(versionChoice)
    : versions[0]?.version;
  const year = readYear(yearText);
  const yearValue = "value" in year ? year.value : null;
  const copyFrom = cycles.find((c) => c.id === copyUnitsFrom) ?? null;
  const byDefault = defaultFollows(copyFrom, yearValue);
  const followed = followedCycle(follows, copyFrom, yearValue, cycles);
  const idTaken = cycles.some((c) => c.id === id.trim());

  const change = (set: (v: string) => void) => (v: string) => {
    set(v);
    write.edited();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setYearChecked(true);
    if (yearValue === null || !scheme || version === undefined) return;
    void write.run(async () => {
      const created = await createCycle({
        id,
        year: yearValue,
        name,
        schemeId: scheme.schemeId,
        schemeVersion: version,
        copyUnitsFrom,
        follows,
      });
      setId("");
      setName("");
      return t("cycles.created", { cycle: cycleLabel(created, [created]) });
    });
  };
  const p = write.problems.fields;
  const yearProblem =
    yearChecked && "problem" in year ? t(`field.${year.problem}`, { range: rangeText(YEAR_RULE) }) : p.year;
  return (
    <form className="card stack fit" data-testid="cycle-create" onSubmit={submit}>
      <h2 className="section">{t("cycles.create")}</h2>
      {schemes.length === 0 && <p className="muted">{t("cycles.noSchemes")}</p>}
      <div className="toolbar">
        <Field form="cycle" name="id" label={t("cycles.id")} problem={p.id}>
          {(a) => <input {...a} size={12} value={id} onChange={(e) => change(setId)(e.target.value)} />}
        </Field>
        <YearField
          form="cycle"
          problem={yearProblem}
          value={yearText}
          onChange={(text) => {
            change(setYear)(text);
            setYearChecked(false);
          }}
        />
        <Field form="cycle" name="name" label={t("cycles.name")} problem={p.name}>
          {(a) => <input {...a} size={24} value={name} onChange={(e) => change(setName)(e.target.value)} />}
        </Field>
      </div>
      <div className="toolbar">
        <Field form="cycle" name="schemeId" label={t("cycles.scheme")} problem={p.schemeId}>
          {(a) => (
            <select {...a} value={scheme?.schemeId ?? ""} onChange={(e) => change(setScheme)(e.target.value)}>
              {schemes.map((s) => (
                <option key={s.schemeId} value={s.schemeId}>
                  {s.schemeId}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field form="cycle" name="schemeVersion" label={t("cycles.version")} problem={p.schemeVersion}>
          {(a) => (
            <select {...a} value={version ?? ""} onChange={(e) => change(setVersion)(e.target.value)}>
              {versions.map((v, i) => (
                <option key={v.version} value={v.version}>
                  {t(i === 0 ? "cycles.versionLatest" : "cycles.versionReason", {
                    version: v.version,
                    reason: v.reason,
                  })}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="toolbar">
        <Field form="cycle" name="copyUnitsFrom" label={t("cycles.copyUnitsFrom")} problem={p.copyUnitsFrom}>
          {(a) => (
            <select {...a} value={copyUnitsFrom} onChange={(e) => change(setCopyFrom)(e.target.value)}>
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
              onChange={(e) => {
                setFollows(readFollows(e.target.value));
                write.edited();
              }}
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
        <button
          type="submit"
          className="primary"
          data-testid="cycle-submit"
          disabled={write.busy || !scheme || version === undefined}
        >
          {t("cycles.createSubmit")}
        </button>
      </div>
      <WriteOutcome write={write} name="cycle-create" />
    </form>
  );
}

/**
 * An open cycle's name or year corrected, or the cycle deleted, after a confirmation that names
 * it, with the reason given for its audit entry. Starts on the newest open cycle: one just made
 * with a typo. The gateway refuses to delete a cycle that holds anything stored, saying what to
 * remove first; that is shown as it says it.
 */
function CorrectForm(props: { cycles: CycleRow[]; onDone: () => void }) {
  const { t } = useI18n();
  const open = props.cycles.filter((c) => c.status === "OPEN");
  const [chosen, setChosen] = useState("");
  // Null: the box shows the cycle's own, as the list read last has it.
  const [nameChoice, setName] = useState<string | null>(null);
  const [yearChoice, setYear] = useState<string | null>(null);
  const [yearChecked, setYearChecked] = useState(false);
  const [reasonText, setReason] = useState("");
  const [reasonChecked, setReasonChecked] = useState(false);
  const write = useWrite(CORRECT_PATHS, props.onDone);
  // A cycle finalised or deleted meanwhile (here or by a colleague) is no longer offered.
  const cycle = open.find((c) => c.id === chosen) ?? open[0];
  const choose = (id: string) => {
    setChosen(id);
    setName(null);
    setYear(null);
    setYearChecked(false);
    write.edited();
  };
  if (!cycle)
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
  const edit = (set: (v: string) => void) => (v: string) => {
    setChosen(cycle.id);
    set(v);
    write.edited();
  };
  const name = nameChoice ?? cycle.name;
  const yearText = yearChoice ?? String(cycle.year);
  const year = readYear(yearText);
  const correction = "value" in year ? cycleCorrection(cycle, name, year.value) : null;
  // A year that does not read is no change yet: the press says what is wrong with it.
  const unchanged = correction !== null && Object.keys(correction).length === 0;
  const label = cycleLabel(cycle, props.cycles);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setYearChecked(true);
    if (!correction || unchanged) return;
    void write.run(async () => {
      const corrected = await updateCycle(cycle.id, correction);
      return t("cycles.corrected", { cycle: cycleLabel(corrected, [corrected]) });
    });
  };
  const reason = readReason(reasonText);
  const remove = () => {
    // A reason the gateway would refuse is named at its box before the question is asked.
    setReasonChecked(true);
    if ("problem" in reason) return;
    if (!window.confirm(t("cycles.confirmDelete", { cycle: label }))) return;
    void write.run(async () => {
      const deleted = await deleteCycle(cycle.id, reason.value);
      choose("");
      setReason("");
      setReasonChecked(false);
      return t("cycles.deleted", { cycle: label, units: deleted.units, groups: deleted.groups });
    });
  };
  const p = write.problems.fields;
  const yearProblem =
    yearChecked && "problem" in year ? t(`field.${year.problem}`, { range: rangeText(YEAR_RULE) }) : p.year;
  return (
    <form className="card stack fit" data-testid="cycle-correct" onSubmit={submit}>
      <h2 className="section">{t("cycles.correct")}</h2>
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
          {(a) => <input {...a} size={24} value={name} onChange={(e) => edit(setName)(e.target.value)} />}
        </Field>
        <YearField
          form="correct"
          problem={yearProblem}
          value={yearText}
          onChange={(text) => {
            edit(setYear)(text);
            setYearChecked(false);
          }}
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
          problem={reasonProblem(reason, reasonChecked, t) ?? p.reason}
          value={reasonText}
          onChange={(text) => {
            edit(setReason)(text);
            setReasonChecked(false);
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
 * An open cycle scored under another scheme version (publishing one changes no cycle), after a
 * confirmation naming the cycle and the version. Starts on the newest cycle behind its scheme's
 * latest version, at that version. `force` moves it without the gateway's check of its records,
 * with a reason then required, as the gateway requires one; a refusal listing the records a
 * version cannot score is shown whole, with a hint at the page's own way past it.
 */
function MoveForm(props: { cycles: CycleRow[]; schemes: SchemeChoice[]; onDone: () => void }) {
  const { t } = useI18n();
  const { cycles, schemes } = props;
  const open = cycles.filter((c) => c.status === "OPEN");
  const [chosen, setChosen] = useState("");
  // Null: the cycle's own scheme, at its latest version.
  const [schemeChoice, setScheme] = useState<string | null>(null);
  const [versionChoice, setVersion] = useState<string | null>(null);
  const [force, setForce] = useState(false);
  const [reasonText, setReason] = useState("");
  const [reasonChecked, setReasonChecked] = useState(false);
  const write = useWrite(MOVE_PATHS, props.onDone);
  // A cycle finalised or deleted meanwhile (here or by a colleague) is no longer offered.
  const cycle = open.find((c) => c.id === chosen) ?? firstToMove(cycles, schemes);
  if (!cycle) return null;
  const choose = (id: string) => {
    setChosen(id);
    setScheme(null);
    setVersion(null);
    setForce(false);
    write.edited();
  };
  // What is chosen is this cycle's: the box stays on it should the list's order change.
  const edit = (apply: () => void) => {
    setChosen(cycle.id);
    apply();
    write.edited();
  };
  const scheme = schemes.find((s) => s.schemeId === (schemeChoice ?? cycle.schemeId)) ?? schemes[0];
  // The versions are the chosen scheme's: one kept from another scheme is not offered.
  const versions = scheme?.versions ?? [];
  const version = versions.some((v) => String(v.version) === versionChoice)
    ? Number(versionChoice)
    : versions[0]?.version;
  const target = scheme && version !== undefined ? { schemeId: scheme.schemeId, version } : null;
  const current = { schemeId: cycle.schemeId, version: cycle.schemeVersion };
  // The gateway answers a move onto the version the cycle is on with the cycle as it is.
  const unchanged =
    target !== null && target.schemeId === current.schemeId && target.version === current.version;
  const reason = readReason(reasonText, { required: force });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!target || unchanged) return;
    // A reason the gateway would refuse (none, with force) is named at its box before the question.
    setReasonChecked(true);
    if ("problem" in reason) return;
    const label = cycleLabel(cycle, cycles);
    const texts = { cycle: label, from: versionText(current, t), to: versionText(target, t) };
    if (!window.confirm(t(force ? "cycles.confirmMoveForced" : "cycles.confirmMove", texts))) return;
    setChosen(cycle.id);
    void write.run(async () => {
      const moved = await setCycleScheme(cycle.id, target, { force, reason: reason.value });
      setScheme(null);
      setVersion(null);
      setForce(false);
      setReason("");
      setReasonChecked(false);
      return t("cycles.moved", {
        cycle: cycleLabel(moved, [moved]),
        version: versionText({ schemeId: moved.schemeId, version: moved.schemeVersion }, t),
      });
    });
  };
  const p = write.problems.fields;
  return (
    <form className="card stack fit" data-testid="cycle-move" onSubmit={submit}>
      <h2 className="section">{t("cycles.move")}</h2>
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
        <Field form="move" name="schemeId" label={t("cycles.scheme")} problem={p.schemeId}>
          {(a) => (
            <select
              {...a}
              value={scheme?.schemeId ?? ""}
              onChange={(e) =>
                edit(() => {
                  setScheme(e.target.value);
                  setVersion(null);
                })
              }
            >
              {schemes.map((s) => (
                <option key={s.schemeId} value={s.schemeId}>
                  {s.schemeId}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field form="move" name="schemeVersion" label={t("cycles.version")} problem={p.schemeVersion}>
          {(a) => (
            <select {...a} value={version ?? ""} onChange={(e) => edit(() => setVersion(e.target.value))}>
              {versions.map((v, i) => {
                const now = scheme?.schemeId === current.schemeId && v.version === current.version;
                const key =
                  i === 0
                    ? now
                      ? "cycles.versionLatestCurrent"
                      : "cycles.versionLatest"
                    : now
                      ? "cycles.versionCurrent"
                      : "cycles.versionReason";
                return (
                  <option key={v.version} value={v.version}>
                    {t(key, { version: v.version, reason: v.reason })}
                  </option>
                );
              })}
            </select>
          )}
        </Field>
      </div>
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
              const on = e.target.checked;
              edit(() => setForce(on));
              setReasonChecked(false);
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
          problem={reasonProblem(reason, reasonChecked, t) ?? p.reason}
          value={reasonText}
          onChange={(text) => {
            edit(() => setReason(text));
            setReasonChecked(false);
          }}
        />
        <button type="submit" data-testid="move-submit" disabled={write.busy || !target || unchanged}>
          {t("cycles.moveSubmit")}
        </button>
      </div>
      <p className="muted">{t("cycles.moveWhy")}</p>
      <WriteOutcome write={write} name="cycle-move" />
      {write.error && recordsRefused(write.error) && (
        <p data-testid="move-hint">{t("cycles.moveRecords", { force: t("cycles.moveForce") })}</p>
      )}
    </form>
  );
}

/** What an open cycle follows: linked to a cycle of an earlier year, or to none. */
function LinkForm(props: { cycles: CycleRow[]; onDone: () => void }) {
  const { t } = useI18n();
  const open = props.cycles.filter((c) => c.status === "OPEN");
  const [chosen, setChosen] = useState("");
  const [followsChoice, setFollows] = useState<string | null>(null);
  const write = useWrite(LINK_PATHS, props.onDone);
  // A cycle finalised meanwhile (here or by a colleague) is no longer offered. The newest first:
  // the one just created is the one to link.
  const cycle = open.find((c) => c.id === chosen) ?? open[0];
  if (!cycle) return null;
  const current = cycle.previousCycle?.id ?? "";
  // Until another is picked, the box shows what the cycle follows now.
  const target = followsChoice ?? current;
  const candidates = followable(props.cycles, cycle.year);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void write.run(async () => {
      const linked = await setPreviousCycle(cycle.id, target || null);
      const label = cycleLabel(linked, props.cycles);
      return linked.previousCycle
        ? t("cycles.linked", { cycle: label, previous: cycleLabel(linked.previousCycle, props.cycles) })
        : t("cycles.unlinked", { cycle: label });
    });
  };
  return (
    <form className="card stack fit" data-testid="cycle-link" onSubmit={submit}>
      <h2 className="section">{t("cycles.link")}</h2>
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
 * Finalising an open cycle, after a confirmation that names it, with the reason given for its
 * audit entry: nothing of a finalised cycle can change again. A refusal of the reason is shown at
 * its box, any other whole; when it is that the cycle it follows is still open, or
 * that no unit of it has a total, with a hint at this console's own way out (the Link box; the
 * Imports page, or deleting a cycle made by mistake), which the gateway's message, naming its
 * API's setPreviousCycle, importFile or deleteCycle, cannot give.
 */
function FinaliseForm(props: { cycles: CycleRow[]; onDone: () => void }) {
  const { t } = useI18n();
  const open = props.cycles.filter((c) => c.status === "OPEN");
  const [chosen, setChosen] = useState("");
  const [refusal, setError] = useState<{
    id: string;
    cycle: string;
    previous: string | null;
    error: Error;
  } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reasonText, setReason] = useState("");
  const [reasonChecked, setReasonChecked] = useState(false);
  const reason = readReason(reasonText);
  const cycle = open.find((c) => c.id === chosen) ?? firstToFinalise(open);
  // A refusal speaks of the cycle in the box: once that one is gone (deleted above, as the hint for
  // a year with nothing to publish may suggest, or finalised by a colleague), so is what it said.
  const error = refusal && refusal.id === cycle?.id ? refusal : null;
  const problems = cycleFieldProblems(error?.error ?? null, FINALISE_PATHS);
  const finalise = async () => {
    if (!cycle) return;
    // A reason the gateway would refuse is named at its box before the question is asked.
    setReasonChecked(true);
    if ("problem" in reason) return;
    const label = cycleLabel(cycle, props.cycles);
    if (!window.confirm(t("cycles.confirmFinalise", { cycle: label }))) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await finaliseCycle(cycle.id, reason.value);
      setDone(t("cycles.finalised", { cycle: label }));
      setChosen("");
      setReason("");
      setReasonChecked(false);
      props.onDone();
    } catch (e) {
      const previous = cycle.previousCycle ? cycleLabel(cycle.previousCycle, props.cycles) : null;
      setError({ id: cycle.id, cycle: label, previous, error: e as Error });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card stack fit" data-testid="cycle-finalise">
      <h2 className="section">{t("cycles.finalise")}</h2>
      {cycle ? (
        <div className="toolbar">
          <Field form="finalise" name="cycle" label={t("cycle")} problem={undefined}>
            {(a) => (
              <select
                {...a}
                value={cycle.id}
                onChange={(e) => {
                  setChosen(e.target.value);
                  setError(null);
                  setDone(null);
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
            problem={reasonProblem(reason, reasonChecked, t) ?? problems.fields.reason}
            value={reasonText}
            onChange={(text) => {
              setReason(text);
              setReasonChecked(false);
              setError(null);
              setDone(null);
            }}
          />
          <button type="button" data-testid="finalise-submit" disabled={busy} onClick={() => void finalise()}>
            {t("cycles.finaliseSubmit")}
          </button>
        </div>
      ) : (
        <p className="muted" data-testid="finalise-none">
          {t("cycles.noneOpen")}
        </p>
      )}
      <p className="muted">{t("cycles.finaliseWhy")}</p>
      {error && problems.elsewhere && (
        <div data-testid="finalise-refused">
          <p>{t("cycles.finaliseRefused", { cycle: error.cycle })}</p>
          <ErrorNote error={error.error} />
          {noUnitHasTotal(error.error) && (
            <p data-testid="finalise-hint">
              {t("cycles.finaliseNoTotals", { imports: t("imports"), correct: t("cycles.correct") })}
            </p>
          )}
          {followedStillOpen(error.error) && (
            <p data-testid="finalise-hint">
              {t("cycles.finaliseFollowedOpen", {
                previous: error.previous ?? t("cycles.theFollowed"),
                link: t("cycles.link"),
                follows: t("cycles.follows"),
                none: t("cycles.followsNoneChoice"),
                unlink: t("cycles.unlinkSubmit"),
              })}
            </p>
          )}
        </div>
      )}
      {done && (
        <p className="ok" role="status" data-testid="finalise-done">
          {done}
        </p>
      )}
    </div>
  );
}
