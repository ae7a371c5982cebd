import { type ReactNode, useState } from "react";
import {
  type CycleField,
  chosenTarget,
  cycleFieldProblems,
  cycleGone,
  type ReasonReading,
  readReason,
  type SchemeChoice,
  type SchemeTarget,
} from "../cycles-api";
import { sameDraft } from "../draft-store";
import { formatDateTime } from "../format";
import { type Translate, useI18n } from "../i18n";
import { ErrorNote } from "./cycle-picker";
import { type A11y, Field as LabelledField } from "./labelled-field";
import { StatusRegion } from "./status-region";
import { useDraft } from "./use-draft";
import { useWriteFocus } from "./use-write-focus";

/*
 * The Cycles page's form parts: a labelled field with its problem, the year and reason boxes,
 * state kept with the cycle it was set for, a write's refusal and outcome, and the choice of a
 * scheme and its version. Each card of the page (cycles.tsx) is built from these.
 */

/** One field of a form, its test id naming the form and the field. */
export function Field(props: {
  form: string;
  name: string;
  label: string;
  problem: string | undefined;
  children: (a11y: A11y) => ReactNode;
}) {
  const { form, name, ...rest } = props;
  return <LabelledField testId={`${form}-${name}`} {...rest} />;
}

/** A year's box, as the Create and Correct forms both have it (each checks it only when sent). */
export function YearField(props: {
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

/** Where a cycle's state is kept, and when it shows the form's start (useCycleState). */
export interface CycleStateOptions<T> {
  /** Kept as a draft under this name (useDraft); by default, not kept. */
  draft?: string | null;
  /**
   * Whether the box shows its start with `value` in it; by default, when `value` is `initial`. A
   * box whose `initial` shows the cycle's own (its name, its scheme) shows its start too when
   * that is typed or picked back by hand.
   */
  atStart?: (value: T) => boolean;
}

/**
 * State that belongs to the cycle in a form's box. For any other cycle (one chosen, or the next
 * once this one is finalised or deleted, in another card, another tab or by a colleague) it reads
 * as `initial`: nothing typed, chosen or refused for one cycle is shown with, or sent for, another.
 * Kept as a draft under `options.draft` (useDraft), with the cycle it is for; set back to
 * `initial`, nothing is kept. `restored`: it came back from such a draft, and does not show the
 * start (`options.atStart`). A box's own default picked by hand is kept as picked, not as
 * `initial`: the default may move (a newer version published) while the session is expired.
 */
export function useCycleState<T>(
  cycleId: string | undefined,
  initial: T,
  options: CycleStateOptions<T> = {},
): [T, (value: T) => void, KeptState] {
  const cycle = cycleId ?? null;
  const atStart = options.atStart ?? ((value: T) => sameDraft(value, initial));
  const start = { cycle: null, value: initial };
  const state = useDraft<{ cycle: string | null; value: T }>(options.draft ?? null, start, {
    // Another cycle's draft is not this one's to judge: it shows nothing here until that cycle is.
    atStart: (kept) => sameDraft(kept, start) || (kept.cycle === cycle && atStart(kept.value)),
  });
  const mine = state.value.cycle === cycle;
  return [
    mine ? state.value.value : initial,
    (next) => (sameDraft(next, initial) ? state.reset() : state.edit({ cycle, value: next })),
    {
      restored: mine && state.restored,
      discard: () => state.reset(),
      saved: state.saved,
    },
  ];
}

/** What a form does with a kept part of it beside setting it. */
export interface KeptState {
  /** It came back from a draft kept before. */
  restored: boolean;
  /** Back to its empty state, nothing kept. */
  discard: () => void;
  /** It is saved: shown as it is, nothing kept. */
  saved: () => void;
}

/**
 * The cycle picked in a card's box ("" until one is), kept under `draft` as the card's other
 * boxes are: what is typed there is for that cycle, which must come back with it.
 */
export function useChosenCycle(draft: string): [string, (id: string) => void, KeptState] {
  const kept = useDraft(draft, { cycle: "" });
  return [
    kept.value.cycle,
    (id) => kept.edit({ cycle: id }),
    { restored: kept.restored, discard: () => kept.reset(), saved: kept.saved },
  ];
}

/**
 * The reason a deletion, a finalisation or a move keeps in its audit entry. Enter in it sends
 * nothing: in the correction form it would send the correction, which the reason is not for.
 */
export function ReasonField(props: {
  form: string;
  label: string;
  problem: string | undefined;
  value: string;
  onChange: (text: string) => void;
  required?: boolean;
}) {
  return (
    <Field form={props.form} name="reason" label={props.label} problem={props.problem}>
      {(a) => (
        <input
          {...a}
          size={30}
          required={props.required}
          aria-required={props.required || undefined}
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

/** What is wrong with a reason the gateway would refuse; else undefined. */
function reasonProblem(reading: ReasonReading, t: Translate): string | undefined {
  if (!("problem" in reading)) return undefined;
  if (reading.problem === "required") return t("field.reasonRequired");
  return reading.problem === "tooLong"
    ? t("field.reasonTooLong", { chars: reading.chars })
    : t("field.reasonNoWords");
}

/**
 * A reason box for a write to one cycle, read as the gateway reads it (`required`: an empty one is
 * refused too). A reason it would refuse is named at the box once the write is asked for, until
 * the box changes. It is the cycle's (useCycleState): another cycle's box starts empty. `draft`
 * keeps it through an expired session.
 */
export function useReason(cycleId: string | undefined, options: { required?: boolean; draft?: string } = {}) {
  const { t } = useI18n();
  const [box, setBox, kept] = useCycleState(
    cycleId,
    { text: "", checked: false },
    { draft: options.draft ?? null },
  );
  const reading = readReason(box.text, options);
  return {
    text: box.text,
    problem: box.checked ? reasonProblem(reading, t) : undefined,
    change: (text: string) => setBox({ text, checked: false }),
    /** Names nothing at the box until the write is asked for again: its rule has changed. */
    uncheck: () => setBox({ ...box, checked: false }),
    clear: () => setBox({ text: "", checked: false }),
    /** The reason came back from a draft (useCycleState). */
    restored: kept.restored,
    /** The reason to send (its value undefined: none given); null, its problem now at the box. */
    take: (): { value: string | undefined } | null => {
      setBox({ ...box, checked: true });
      return "problem" in reading ? null : reading;
    },
  };
}

/** The question before a write, with the reason it will keep, when one is given, after it. */
export const withReason = (question: string, reason: string | undefined, t: Translate) =>
  reason === undefined ? question : `${question}\n\n${t("cycles.confirmReason", { reason })}`;

/**
 * A form's write: nothing else is sent while one runs; a refusal stays on screen until the form
 * is edited, by field where the gateway named one. A write to `cycle` keeps its refusal with that
 * cycle (useCycleState). One refused because the cycle was finalised or deleted since the list was
 * read (in another tab, or by a colleague) reads the list again and says so in the page's
 * language: the gateway's message is English, for a developer. Once it settles, the focus goes to
 * the first box refused, else back where it was (useWriteFocus); a form that checks a box itself
 * before sending calls `asked` first, so that the box it refuses takes the focus too.
 */
export function useWrite(
  paths: Record<string, CycleField>,
  onDone: () => void,
  cycle?: { id: string; label: string },
) {
  const { t } = useI18n();
  const [error, setError] = useCycleState<Error | null>(cycle?.id, null);
  const [done, setDone] = useState<string | null>(null);
  const [gone, setGone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const asked = useWriteFocus(busy);
  /** `write` answers what it did, or null when it did nothing (its question was cancelled). */
  const run = async (write: () => Promise<string | null>) => {
    asked();
    setBusy(true);
    setError(null);
    setDone(null);
    setGone(null);
    try {
      const did = await write();
      setDone(did);
      if (did !== null) onDone();
    } catch (e) {
      const lost = cycle ? cycleGone(e as Error) : null;
      if (cycle && lost) {
        setGone(
          t(lost === "finalised" ? "cycles.goneFinalised" : "cycles.goneDeleted", { cycle: cycle.label }),
        );
        onDone();
      } else setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const edited = () => {
    setError(null);
    setDone(null);
    setGone(null);
  };
  return { error, done, gone, busy, run, asked, edited, problems: cycleFieldProblems(error, paths) };
}

/** What became of a form's last write: done, or not done as its cycle is gone. */
export function WriteNotes({ write, name }: { write: ReturnType<typeof useWrite>; name: string }) {
  return (
    <>
      {write.gone && (
        <p className="error" role="alert" data-testid={`${name}-gone`}>
          {write.gone}
        </p>
      )}
      <StatusRegion>
        {write.done && (
          <p className="ok" data-testid={`${name}-done`}>
            {write.done}
          </p>
        )}
      </StatusRegion>
    </>
  );
}

export function WriteOutcome({ write, name }: { write: ReturnType<typeof useWrite>; name: string }) {
  return (
    <>
      {/* Every refusal is shown whole (for support, and for what names no field) unless each of
          its problems is already beside its field. */}
      {write.problems.elsewhere && <ErrorNote error={write.error} />}
      <WriteNotes write={write} name={name} />
    </>
  );
}

/**
 * A scheme and one of its published versions, newest first, as the create and move forms choose
 * them; `current`, the version a cycle is on, is marked. A scheme not among those read is shown
 * as such, with no version, rather than silently swapped for another. A withdrawn version is
 * listed but not offered, saying who withdrew it, when and why: "latest" is the latest not
 * withdrawn, the version the form starts on.
 */
export function SchemeVersionFields(props: {
  form: string;
  schemes: readonly SchemeChoice[];
  schemeId: string;
  version: number | undefined;
  current?: SchemeTarget;
  problems: Partial<Record<CycleField, string>>;
  onScheme: (schemeId: string) => void;
  onVersion: (version: string) => void;
}) {
  const { t, lang } = useI18n();
  const { schemes, schemeId, current } = props;
  const scheme = schemes.find((s) => s.schemeId === schemeId);
  const latest = chosenTarget(schemes, schemeId, null)?.version;
  return (
    <>
      <Field form={props.form} name="schemeId" label={t("cycles.scheme")} problem={props.problems.schemeId}>
        {(a) => (
          <select {...a} value={schemeId} onChange={(e) => props.onScheme(e.target.value)}>
            {!scheme && schemeId && (
              <option value={schemeId} disabled>
                {t("cycles.schemeUnavailable", { scheme: schemeId })}
              </option>
            )}
            {schemes.map((s) => (
              <option key={s.schemeId} value={s.schemeId}>
                {s.schemeId}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        form={props.form}
        name="schemeVersion"
        label={t("cycles.version")}
        problem={props.problems.schemeVersion}
      >
        {(a) => (
          <select {...a} value={props.version ?? ""} onChange={(e) => props.onVersion(e.target.value)}>
            {(scheme?.versions ?? []).map((v) => {
              if (v.withdrawn)
                return (
                  <option key={v.version} value={v.version} disabled>
                    {t("cycles.versionWithdrawn", {
                      version: v.version,
                      by: v.withdrawn.by,
                      date: formatDateTime(v.withdrawn.at, lang),
                      why: v.withdrawn.reason,
                    })}
                  </option>
                );
              const now = current?.schemeId === schemeId && v.version === current.version;
              const key =
                v.version === latest
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
      {scheme && scheme.versions.length > 0 && latest === undefined && (
        <span className="error" role="alert" data-testid={`${props.form}-no-usable-version`}>
          {t("cycles.noUsableVersion", { scheme: schemeId })}
        </span>
      )}
    </>
  );
}
