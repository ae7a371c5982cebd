import { useEffect, useRef, useState } from "react";

/** What a keyboard reaches, as a control to go back to. */
const CONTROLS = "input, select, textarea, button, a[href], [tabindex]";

/**
 * Where the focus goes once a write asked for from a form has settled. A refused write marks the
 * boxes it names (`aria-invalid`, described by the problem): the focus goes to the first of them,
 * so that a screen reader says what is wrong and a keyboard is where it must be fixed. Otherwise
 * it goes back to where it was when the write was asked for: a submit button disabled while the
 * write runs lost it to the page (HTML's focus fixup), and one that stays disabled (nothing left
 * to send) hands it to the control before it. A user who moved elsewhere meanwhile keeps their
 * place.
 *
 * `busy` is the write's; call what this returns when the write is asked for, before any check of
 * the form's own that may refuse it at a box.
 */
export function useWriteFocus(busy: boolean): () => void {
  const asked = useRef<HTMLElement | null>(null);
  const [times, setTimes] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `times` is what a new request changes
  useEffect(() => {
    const from = asked.current;
    if (!from || busy) return;
    asked.current = null;
    settle(from);
  }, [times, busy]);
  return () => {
    const active = document.activeElement;
    asked.current = active instanceof HTMLElement && active !== document.body ? active : null;
    setTimes((n) => n + 1);
  };
}

function settle(from: HTMLElement): void {
  const scope = from.closest("form") ?? from.parentElement;
  if (!scope?.isConnected) return;
  const active = document.activeElement;
  const lost = active === null || active === document.body;
  if (!lost && !scope.contains(active)) return;
  const invalid = scope.querySelector<HTMLElement>("[aria-invalid=true]");
  if (invalid) {
    invalid.focus();
    return;
  }
  if (!lost) return;
  if (from.isConnected) from.focus();
  if (document.activeElement === from) return;
  // `from` stays disabled (or is gone): the nearest control before it, else the first after.
  const controls = [...scope.querySelectorAll<HTMLElement>(CONTROLS)].filter(
    (c) => !(c as HTMLButtonElement).disabled && c.tabIndex >= 0,
  );
  const before = from.isConnected
    ? controls.filter((c) => c.compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING)
    : [];
  (before.at(-1) ?? controls[0])?.focus();
}
