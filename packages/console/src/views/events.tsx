import { type FormEvent, type ReactNode, useState } from "react";
import { atLeast, type Session } from "../auth";
import {
  type BonusEvent,
  type CarriedVetoes,
  deleteEvent,
  type EventChoices,
  type EventField,
  fieldProblems,
  loadCarriedVetoes,
  loadCycleEvents,
  loadEventChoices,
  nextEventId,
  recordBonusEvent,
  recordVetoEvent,
  type VetoEvent,
} from "../events-api";
import { useI18n } from "../i18n";
import type { Cycle } from "../queries";
import { href, useRoute } from "../router";
import { useQuery } from "../use-query";
import { CyclePicker, ErrorNote, failedRead, type Read, useCycle } from "./cycle-picker";
import { DraftNote } from "./draft-note";
import { type A11y, Field as LabelledField } from "./labelled-field";
import { named } from "./named";
import { StatusRegion } from "./status-region";
import { showsStart, useDraft } from "./use-draft";
import { useWriteFocus } from "./use-write-focus";

type Kind = "veto" | "bonus";

/** A cycle's vetoes (一票否决) and bonuses (加分): listed for everyone, recorded by administrators. */
export function Events({ session }: { session: Session }) {
  const { t } = useI18n();
  const { params } = useRoute();
  const cyclesRead = useCycle(params.get("cycle"));
  const { cycles, cycle } = cyclesRead;
  // Bumped after each write: the lists are read again from the gateway, not patched here.
  const [revision, setRevision] = useState(0);
  const events = useQuery(cycle?.id ?? null, (s) => loadCycleEvents(cycle!.id, s), revision);
  const choices = useQuery(cycle?.id ?? null, (s) => loadEventChoices(cycle!.id, s));
  // Not read again after this page's writes: they change this cycle's own register only.
  const carried = useQuery(cycle?.id ?? null, (s) => loadCarriedVetoes(cycle!.id, s));
  const listed = events.current;
  const known = choices.current;
  const admin = atLeast(session.role, "admin");
  const writable = admin && listed?.status === "OPEN";
  return (
    <section className="page stack">
      <div className="toolbar">
        <CyclePicker cycles={cycles} value={cycle?.id} />
      </div>
      <ErrorNote {...failedRead(cyclesRead, events, choices)} />
      {listed && !writable && (
        <p className="muted" data-testid="events-read-only">
          {listed.status !== "OPEN"
            ? t("events.readOnlyFinalised")
            : t("events.readOnlyRole", { role: t(`role.${session.role}`) })}
        </p>
      )}
      {cycle && listed && (
        <>
          <div className="card">
            <h2 className="section">{t("events.vetoes")}</h2>
            <VetoTable vetoes={listed.vetoes} choices={known} />
            {writable && known && (
              <DeleteButtons
                kind="veto"
                cycleId={cycle.id}
                ids={listed.vetoes.map((v) => v.id)}
                onDone={() => setRevision((r) => r + 1)}
              />
            )}
            {writable && known && (
              <VetoForm
                key={`veto-${cycle.id}`}
                cycleId={cycle.id}
                choices={known}
                taken={listed.vetoes.map((v) => v.id)}
                onDone={() => setRevision((r) => r + 1)}
              />
            )}
          </div>
          <CarriedSection carried={carried.current} read={carried} cycles={cycles} />
          <div className="card">
            <h2 className="section">{t("events.bonuses")}</h2>
            <BonusTable bonuses={listed.bonuses} choices={known} />
            {writable && known && (
              <DeleteButtons
                kind="bonus"
                cycleId={cycle.id}
                ids={listed.bonuses.map((b) => b.id)}
                onDone={() => setRevision((r) => r + 1)}
              />
            )}
            {writable && known && (
              <BonusForm
                key={`bonus-${cycle.id}`}
                cycleId={cycle.id}
                choices={known}
                taken={listed.bonuses.map((b) => b.id)}
                onDone={() => setRevision((r) => r + 1)}
              />
            )}
          </div>
        </>
      )}
      {events.loading && !listed && <p>{t("loading")}</p>}
    </section>
  );
}

function VetoTable({ vetoes, choices }: { vetoes: VetoEvent[]; choices: EventChoices | null }) {
  const { t } = useI18n();
  if (vetoes.length === 0)
    return (
      <p className="muted" data-testid="veto-none">
        {t("events.noVetoes")}
      </p>
    );
  return (
    <div className="scroll-x">
      <table data-testid="veto-list">
        <thead>
          <tr>
            <th>{t("events.id")}</th>
            <th>{t("unit")}</th>
            <th>{t("events.vetoType")}</th>
            <th>{t("events.reason")}</th>
          </tr>
        </thead>
        <tbody>
          {vetoes.map((v) => (
            <tr key={v.id} data-event={v.id}>
              <td>
                <code>{v.id}</code>
              </td>
              <td>{named(v.unitId, choices?.units)}</td>
              <td>{named(v.type, choices?.vetoTypes)}</td>
              <td>{v.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The vetoes of earlier years' cycles that bar units in this one ("this year and next"), read
 * from its ranking's eligibility: they are not in this cycle's own register, and cannot be
 * changed here. Shown only for a cycle that follows another.
 */
function CarriedSection(props: { carried: CarriedVetoes | null; read: Read; cycles: Cycle[] }) {
  const { t } = useI18n();
  const { carried } = props;
  const { error } = props.read;
  if (!carried?.follows && !error) return null;
  const follows = carried?.follows;
  const known = follows && props.cycles.find((c) => c.id === follows.id);
  const label =
    follows && (known ? `${known.year} · ${known.name} (${known.id})` : `${follows.year} (${follows.id})`);
  // The sentence is translated whole; the cycle it names is a link to that cycle's register.
  const [before, after] = t("events.carriedFrom", { cycle: "\u0000" }).split("\u0000");
  return (
    <div className="card" data-testid="carried-vetoes-section">
      <h2 className="section">{t("events.carried")}</h2>
      <ErrorNote {...failedRead(props.read)} />
      {follows && (
        <p className="muted" data-testid="carried-from">
          {before}
          <a href={href("events", { cycle: follows.id })}>{label}</a>
          {after}
        </p>
      )}
      {carried && follows && carried.vetoes.length === 0 && (
        <p className="muted" data-testid="carried-none">
          {t("events.carriedNone")}
        </p>
      )}
      {carried && follows && carried.vetoes.length > 0 && (
        <div className="scroll-x">
          <table data-testid="carried-vetoes">
            <thead>
              <tr>
                <th>{t("unit")}</th>
                <th>{t("events.carriedRecord")}</th>
                <th>{t("events.yearsAgo")}</th>
                <th>{t("events.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {carried.vetoes.map((v) => (
                <tr key={`${v.record}:${v.unitId}`} data-unit={v.unitId} data-record={v.record}>
                  <td>
                    {v.name} ({v.unitId})
                  </td>
                  <td>
                    <code>{v.record}</code>
                  </td>
                  <td>{v.yearsAgo}</td>
                  <td>{v.text}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function BonusTable({ bonuses, choices }: { bonuses: BonusEvent[]; choices: EventChoices | null }) {
  const { t } = useI18n();
  if (bonuses.length === 0)
    return (
      <p className="muted" data-testid="bonus-none">
        {t("events.noBonuses")}
      </p>
    );
  return (
    <div className="scroll-x">
      <table data-testid="bonus-list">
        <thead>
          <tr>
            <th>{t("events.id")}</th>
            <th>{t("unit")}</th>
            <th>{t("events.bonusType")}</th>
            <th>{t("events.level")}</th>
            <th>{t("events.note")}</th>
          </tr>
        </thead>
        <tbody>
          {bonuses.map((b) => (
            <tr key={b.id} data-event={b.id}>
              <td>
                <code>{b.id}</code>
              </td>
              <td>{named(b.unitId, choices?.units)}</td>
              <td>{named(b.type, choices?.bonusTypes)}</td>
              <td>{b.level}</td>
              <td>{b.note ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Deleting one event by its id, after a confirmation: what is deleted is gone from the ranking
 * at once (the gateway re-scores the cycle), and only an audit entry keeps it.
 */
function DeleteButtons(props: { kind: Kind; cycleId: string; ids: string[]; onDone: () => void }) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState("");
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const asked = useWriteFocus(busy);
  // An id deleted meanwhile (here or by a colleague) is no longer offered.
  const id = props.ids.includes(chosen) ? chosen : "";
  if (props.ids.length === 0) return null;
  const remove = async () => {
    if (!id) return;
    asked();
    if (!window.confirm(t(`events.confirmDelete.${props.kind}`, { id }))) return;
    setBusy(true);
    setError(null);
    try {
      await deleteEvent(props.kind, props.cycleId, id);
      setChosen("");
      props.onDone();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack">
      <div className="toolbar">
        <label>
          {t(`events.delete.${props.kind}`)}{" "}
          <select
            data-testid={`${props.kind}-delete-id`}
            value={id}
            onChange={(e) => {
              setChosen(e.target.value);
              setError(null);
            }}
          >
            <option value="">—</option>
            {props.ids.map((i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          data-testid={`${props.kind}-delete`}
          disabled={!id || busy}
          onClick={() => void remove()}
        >
          {t("events.delete")}
        </button>
      </div>
      <ErrorNote error={error} />
    </div>
  );
}

/** One field of an event's form, its test id naming the kind of event and the field. */
function Field(props: {
  kind: Kind;
  name: EventField;
  label: string;
  problem: string | undefined;
  children: (a11y: A11y) => ReactNode;
}) {
  const { kind, name, ...rest } = props;
  const testId = `${kind}-${name}`;
  return <LabelledField testId={testId} id={`event-${testId}`} {...rest} />;
}

/**
 * A form's write: nothing else is sent while one runs; a refusal stays on screen until the form
 * is edited, by field where the gateway named one, and the focus goes to its first (useWriteFocus).
 */
function useWrite(onDone: () => void) {
  const [error, setError] = useState<Error | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const asked = useWriteFocus(busy);
  const run = async (write: () => Promise<string>) => {
    asked();
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
  return { error, done, busy, run, edited, problems: fieldProblems(error) };
}

function WriteOutcome({ write, kind }: { write: ReturnType<typeof useWrite>; kind: Kind }) {
  const { t } = useI18n();
  return (
    <>
      {/* Every refusal is shown whole (for support, and for what names no field) unless each of
          its problems is already beside its field. */}
      {write.problems.elsewhere && <ErrorNote error={write.error} />}
      <StatusRegion>
        {write.done && (
          <p className="ok" data-testid={`${kind}-recorded`}>
            {t(`events.recorded.${kind}`, { id: write.done })}
          </p>
        )}
      </StatusRegion>
    </>
  );
}

export function VetoForm(props: {
  cycleId: string;
  choices: EventChoices;
  taken: string[];
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { units, vetoTypes } = props.choices;
  const initial = { id: "", unitId: "", type: vetoTypes[0]?.id ?? "", reason: "" };
  // The id box starts (and, once a write has gone through, starts again) at the next free id:
  // typed back by hand, it is the start.
  const shown = (v: typeof initial) => ({ ...v, id: v.id || nextEventId("V-", props.taken) });
  const draft = useDraft(`events.veto.${props.cycleId}`, initial, { atStart: showsStart(initial, shown) });
  const { unitId, type, reason } = draft.value;
  const write = useWrite(props.onDone);
  const shownId = shown(draft.value).id;
  const change = (patch: Partial<typeof draft.value>) => {
    draft.edit(patch);
    write.edited();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void write.run(async () => {
      const recorded = await recordVetoEvent(props.cycleId, { id: shownId, unitId, type, reason });
      // The next veto is most often the same unit's or type's.
      draft.reset((v) => ({ ...v, id: "", reason: "" }));
      return recorded.id;
    });
  };
  const p = write.problems.fields;
  return (
    <form className="stack" data-testid="veto-form" onSubmit={submit}>
      <h3>{t("events.recordVeto")}</h3>
      <DraftNote
        name="veto"
        restored={draft.restored}
        onDiscard={() => {
          draft.reset();
          write.edited();
        }}
      />
      {vetoTypes.length === 0 && <p className="muted">{t("events.noVetoTypes")}</p>}
      <div className="toolbar">
        <Field kind="veto" name="id" label={t("events.id")} problem={p.id}>
          {(a) => <input {...a} size={10} value={shownId} onChange={(e) => change({ id: e.target.value })} />}
        </Field>
        <Field kind="veto" name="unitId" label={t("unit")} problem={p.unitId}>
          {(a) => (
            <select {...a} value={unitId} onChange={(e) => change({ unitId: e.target.value })}>
              <option value="">—</option>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.id})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field kind="veto" name="type" label={t("events.vetoType")} problem={p.type}>
          {(a) => (
            <select {...a} value={type} onChange={(e) => change({ type: e.target.value })}>
              {vetoTypes.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field kind="veto" name="reason" label={t("events.reason")} problem={p.reason}>
          {(a) => (
            <input {...a} size={30} value={reason} onChange={(e) => change({ reason: e.target.value })} />
          )}
        </Field>
        <button type="submit" data-testid="veto-submit" disabled={write.busy || vetoTypes.length === 0}>
          {t(props.taken.includes(shownId) ? "events.correct" : "events.record")}
        </button>
      </div>
      {props.taken.includes(shownId) && (
        <p className="muted" data-testid="veto-replaces">
          {t("events.replaces", { id: shownId })}
        </p>
      )}
      <WriteOutcome write={write} kind="veto" />
    </form>
  );
}

export function BonusForm(props: {
  cycleId: string;
  choices: EventChoices;
  taken: string[];
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { units, bonusTypes } = props.choices;
  const initial = { id: "", unitId: "", type: bonusTypes[0]?.id ?? "", level: "", note: "" };
  const levelsOf = (type: string) => Object.entries(bonusTypes.find((b) => b.id === type)?.levels ?? {});
  // The id box shows the next free id, and the level box the type's first level, until another is
  // typed or picked: either typed or picked back by hand is the start.
  const shown = (v: typeof initial) => {
    // The levels are the chosen type's: a level kept from another type is not offered.
    const levels = levelsOf(v.type);
    const level = levels.some(([l]) => l === v.level) ? v.level : (levels[0]?.[0] ?? "");
    return { ...v, id: v.id || nextEventId("B-", props.taken), level };
  };
  const draft = useDraft(`events.bonus.${props.cycleId}`, initial, { atStart: showsStart(initial, shown) });
  const { unitId, type, note } = draft.value;
  const write = useWrite(props.onDone);
  const { id: shownId, level } = shown(draft.value);
  const levels = levelsOf(type);
  const change = (patch: Partial<typeof draft.value>) => {
    draft.edit(patch);
    write.edited();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void write.run(async () => {
      const recorded = await recordBonusEvent(props.cycleId, { id: shownId, unitId, type, level, note });
      draft.reset((v) => ({ ...v, id: "", note: "" }));
      return recorded.id;
    });
  };
  const p = write.problems.fields;
  return (
    <form className="stack" data-testid="bonus-form" onSubmit={submit}>
      <h3>{t("events.recordBonus")}</h3>
      <DraftNote
        name="bonus"
        restored={draft.restored}
        onDiscard={() => {
          draft.reset();
          write.edited();
        }}
      />
      {bonusTypes.length === 0 && (
        <p className="muted" data-testid="no-bonus-types">
          {t("events.noBonusTypes")}
        </p>
      )}
      <div className="toolbar">
        <Field kind="bonus" name="id" label={t("events.id")} problem={p.id}>
          {(a) => <input {...a} size={10} value={shownId} onChange={(e) => change({ id: e.target.value })} />}
        </Field>
        <Field kind="bonus" name="unitId" label={t("unit")} problem={p.unitId}>
          {(a) => (
            <select {...a} value={unitId} onChange={(e) => change({ unitId: e.target.value })}>
              <option value="">—</option>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.id})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field kind="bonus" name="type" label={t("events.bonusType")} problem={p.type}>
          {(a) => (
            <select {...a} value={type} onChange={(e) => change({ type: e.target.value })}>
              {bonusTypes.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field kind="bonus" name="level" label={t("events.level")} problem={p.level}>
          {(a) => (
            <select {...a} value={level} onChange={(e) => change({ level: e.target.value })}>
              {levels.map(([l, points]) => (
                <option key={l} value={l}>
                  {t("events.levelPoints", { level: l, points: String(points) })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field kind="bonus" name="note" label={t("events.note")} problem={p.note}>
          {(a) => <input {...a} size={24} value={note} onChange={(e) => change({ note: e.target.value })} />}
        </Field>
        <button type="submit" data-testid="bonus-submit" disabled={write.busy || bonusTypes.length === 0}>
          {t(props.taken.includes(shownId) ? "events.correct" : "events.record")}
        </button>
      </div>
      {props.taken.includes(shownId) && (
        <p className="muted" data-testid="bonus-replaces">
          {t("events.replaces", { id: shownId })}
        </p>
      )}
      <WriteOutcome write={write} kind="bonus" />
    </form>
  );
}
