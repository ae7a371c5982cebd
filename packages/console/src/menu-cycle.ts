import { useState } from "react";
import { href, type Route } from "./router";

/**
 * The cycle the menu's links carry: the one the route names, else the one it named last in this
 * tab. Settings are kept per cycle (the What-if and Robustness pages', the forms' drafts), so a
 * link to the newest would hide them, and the analyst's place with them, from whoever works on
 * another; a page of no cycle passed through (Rules, Cycles) does not end the choice either.
 */
export function useMenuCycle(route: Route): string | null {
  const named = route.params.get("cycle") || null;
  const [last, setLast] = useState(named);
  if (named !== null && named !== last) setLast(named);
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
