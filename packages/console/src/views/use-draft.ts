import { useRef, useState } from "react";
import { forgetFormDraft, loadFormDraft, sameDraft, saveFormDraft } from "../draft-store";

/** A form's boxes, kept in the tab as they are typed in (useDraft). */
export interface Draft<T> {
  value: T;
  /**
   * The form started from a draft kept from before: an expired session (which swaps the page for
   * the sign-in screen) or a visit to another page. The form says so until it is saved or
   * discarded, or typed back to its start by hand: what is on screen then is no longer what came
   * back, and the next change is the user's own, so it does not bring the note back. Meanwhile it
   * says so while it differs from its start, judged as drawn: a start that moves with the page (a
   * list's filter) may hide the note, and show it again.
   */
  restored: boolean;
  /** The user's change: shown, and kept. A form typed back to its empty state keeps nothing. */
  edit: (change: Partial<T> | ((value: T) => T)) => void;
  /**
   * The form starts again (saved, discarded, cancelled): `next` shown (its empty state unless
   * given), nothing kept. After a save, give a function of what the form holds now: boxes stay
   * open while the save runs, and what was typed in them meanwhile is kept where `next` keeps it.
   */
  reset: (next?: T | ((value: T) => T)) => void;
  /** What the form holds is saved: it stays on screen, and nothing is kept. */
  saved: () => void;
}

const NO_SECRETS: readonly string[] = [];

/** Where a form's draft is kept: by default among the forms' drafts (draft-store). */
export interface DraftKeeping<T> {
  /** What was kept for the form, read against what it shows now; null when nothing was. */
  load: () => T | null;
  save: (value: T) => void;
  forget: () => void;
}

/** What a form may say of its draft beside its name and empty state (useDraft). */
export interface DraftOptions<T> {
  /** Fields never to keep, beside those whose name says they hold a secret (a token, a password). */
  secrets?: readonly string[];
  /**
   * Whether the form shows its start with `value` in it; by default, when `value` is the form's
   * empty state. A form whose draft may hold what it no longer shows (a choice no longer offered)
   * says so here, lest a restored note point at nothing to set back.
   */
  atStart?: (value: T) => boolean;
  /**
   * Where the draft is kept, when a draft read by the kinds of its fields alone (draft-store's
   * loadFormDraft) would not do: the What-if page's settings, read against the cycle's scheme.
   * `secrets` are then its own to leave out.
   */
  keeping?: DraftKeeping<T>;
}

/**
 * useDraft's `atStart` for a form whose boxes show a default of their own (the cycle's name, the
 * unit the list is narrowed to, a scheme's latest version) while what they hold is not `initial`:
 * at its start when it shows what `initial` shows. `shown`: a draft as the form shows it.
 */
export const showsStart =
  <T>(initial: T, shown: (value: T) => unknown) =>
  (value: T): boolean =>
    sameDraft(shown(value), shown(initial));

/** The forms' drafts, in draft-store. */
const formKeeping = <T extends object>(
  form: string,
  initial: T,
  secrets: readonly string[],
): DraftKeeping<T> => ({
  load: () => loadFormDraft(form, initial, secrets),
  save: (value: T) => saveFormDraft(form, value, secrets),
  forget: () => forgetFormDraft(form),
});

/**
 * A form's state that survives an expired session, as the Rules page's draft and the What-if
 * page's settings do: kept in the tab's sessionStorage under `form` (which names the form and
 * what it is of, "events.veto.2019") at every edit, forgotten once the form is saved or its
 * draft discarded, and on signing out. `initial` is the form's empty state; a kept draft is read
 * against it (draft-store's loadFormDraft). `options`: the fields never kept, when the form
 * shows its start, and where else it is kept, if not among the forms' drafts (DraftOptions).
 * `form` null keeps nothing: plain state.
 */
export function useDraft<T extends object>(
  form: string | null,
  initial: T,
  options: DraftOptions<T> = {},
): Draft<T> {
  const secrets = options.secrets ?? NO_SECRETS;
  const atStart = options.atStart ?? ((value: T) => sameDraft(value, initial));
  const keeping = form === null ? null : (options.keeping ?? formKeeping(form, initial, secrets));
  // `cameBack`: the draft as it was loaded, until the form is saved, discarded or edited back to
  // its start; null when it started empty.
  const start = () => {
    const kept = keeping?.load() ?? null;
    return { form, value: kept ?? initial, cameBack: kept };
  };
  const [state, setState] = useState(start);
  // Another form's name (the card now about another cycle): its own draft, if it has one.
  const shown = state.form === form ? state : start();
  if (shown !== state) setState(shown);
  // Judged as drawn, not once for good: a start that moves with the page (the ballot form's,
  // with the list's filter) may show what came back again. What came back and shows the start
  // (a tick the form no longer shows) is nothing on screen, whatever is typed beside it.
  const restored = shown.cameBack !== null && !atStart(shown.value) && !atStart(shown.cameBack);
  // Several edits in one handler each build on the one before, not on the render's value.
  const latest = useRef(shown.value);
  latest.current = shown.value;
  const cameBack = useRef(shown.cameBack);
  cameBack.current = shown.cameBack;
  const reset = (change: T | ((value: T) => T) = initial) => {
    const next = typeof change === "function" ? (change as (value: T) => T)(latest.current) : change;
    latest.current = next;
    cameBack.current = null;
    setState({ form, value: next, cameBack: null });
    keeping?.forget();
  };
  return {
    value: shown.value,
    restored,
    edit: (change) => {
      const next = typeof change === "function" ? change(latest.current) : { ...latest.current, ...change };
      latest.current = next;
      // Edited back to its start by the user: what it holds from then on is theirs.
      if (atStart(next)) cameBack.current = null;
      setState({ form, value: next, cameBack: cameBack.current });
      if (sameDraft(next, initial)) keeping?.forget();
      else keeping?.save(next);
    },
    reset,
    saved: () => reset(latest.current),
  };
}
