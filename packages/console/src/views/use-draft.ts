import { useRef, useState } from "react";
import { forgetFormDraft, loadFormDraft, sameDraft, saveFormDraft } from "../draft-store";

/** A form's boxes, kept in the tab as they are typed in (useDraft). */
export interface Draft<T> {
  value: T;
  /**
   * The form started from a draft kept from before: an expired session (which swaps the page for
   * the sign-in screen) or a visit to another page. The form says so until it is saved or discarded.
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

/**
 * A form's state that survives an expired session, as the Rules page's draft and the What-if
 * page's settings do: kept in the tab's sessionStorage under `form` (which names the form and
 * what it is of, "events.veto.2019") at every edit, forgotten once the form is saved or its
 * draft discarded, and on signing out. `initial` is the form's empty state; a kept draft is read
 * against it (draft-store's loadFormDraft). `secrets` names fields never to keep, beside those
 * whose name says they hold one (a token, a password). `form` null keeps nothing: plain state.
 */
export function useDraft<T extends object>(
  form: string | null,
  initial: T,
  options: { secrets?: readonly string[] } = {},
): Draft<T> {
  const secrets = options.secrets ?? NO_SECRETS;
  const start = () => {
    const kept = form === null ? null : loadFormDraft(form, initial, secrets);
    return { form, value: kept ?? initial, restored: kept !== null };
  };
  const [state, setState] = useState(start);
  // Another form's name (the card now about another cycle): its own draft, if it has one.
  let shown = state;
  if (state.form !== form) {
    shown = start();
    setState(shown);
  }
  // Several edits in one handler each build on the one before, not on the render's value.
  const latest = useRef(shown.value);
  latest.current = shown.value;
  const reset = (change: T | ((value: T) => T) = initial) => {
    const next = typeof change === "function" ? (change as (value: T) => T)(latest.current) : change;
    latest.current = next;
    setState({ form, value: next, restored: false });
    if (form !== null) forgetFormDraft(form);
  };
  return {
    value: shown.value,
    restored: shown.restored,
    edit: (change) => {
      const next = typeof change === "function" ? change(latest.current) : { ...latest.current, ...change };
      latest.current = next;
      setState({ form, value: next, restored: shown.restored });
      if (form === null) return;
      if (sameDraft(next, initial)) forgetFormDraft(form);
      else saveFormDraft(form, next, secrets);
    },
    reset,
    saved: () => reset(latest.current),
  };
}
