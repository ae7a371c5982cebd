import { useEffect, useState } from "react";
import { keepOwned } from "./draft-store";
import { href, type Route } from "./router";
import { forget, recall } from "./session-store";

/** Where the tab keeps the cycle the menu carries: a reload does not lose it. */
export const MENU_CYCLE_KEY = "pingyi.menu.cycle";

/**
 * Keeps `cycle` in the tab for the menu, as the drafts are once whose they are is recorded
 * (keepOwned); a full or unavailable storage keeps it for this page only.
 */
export function keepMenuCycle(cycle: string): void {
  keepOwned(MENU_CYCLE_KEY, cycle);
}

/** Forgets the menu's cycle: the tab goes to someone else (a sign-out, another's sign-in). */
export function forgetMenuCycle(): void {
  forget(MENU_CYCLE_KEY);
}

/** The cycle the tab kept for the menu; null when none was, or the storage cannot be read. */
export function recallMenuCycle(): string | null {
  const kept = recall(MENU_CYCLE_KEY);
  return typeof kept === "string" && kept !== "" ? kept : null;
}

/**
 * The cycle the menu's links carry: the one the route names, else the one it named last in this
 * tab, a reload since too. Settings are kept per cycle (the What-if and Robustness pages', the
 * forms' drafts), so a link to the newest would hide them, and the analyst's place with them,
 * from whoever works on another; a page of no cycle passed through (Rules, Cycles), or reloaded,
 * does not end the choice either.
 */
export function useMenuCycle(route: Route): string | null {
  const named = route.params.get("cycle") || null;
  const [last, setLast] = useState(() => named ?? recallMenuCycle());
  if (named !== null && named !== last) setLast(named);
  useEffect(() => {
    if (named !== null) keepMenuCycle(named);
  }, [named]);
  return named ?? last;
}

/**
 * A menu link: to a page of one cycle (`ofCycle`), on `cycle`; to another page, as it starts.
 * Nothing else of the page left is carried: its group, unit or scenario may mean something else
 * on the next page, or nothing.
 */
export function menuHref(page: string, ofCycle: boolean, cycle: string | null): string {
  return href(page, ofCycle ? { cycle } : {});
}
