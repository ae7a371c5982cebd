import { movedGroup } from "./moved-group";
import type { Cycle } from "./queries";
import type { SideNames } from "./views/why-moved";
import type { SchemeDocument, WhatIfUnit } from "./whatif-api";
import type { OneSidedUnit } from "./year-on-year-api";

/**
 * The earlier cycle of a comparison: the URL's (`?before=`) when it is one of `cycles` other than
 * the later one, else the newest cycle of a year before the later one's (with the later one the
 * newest, the two newest cycles); null when no cycle is older. The later one is never its own base:
 * every unit would stand still.
 */
export function earlierCycle(
  cycles: readonly Cycle[],
  param: string | null,
  later: Cycle | null,
): Cycle | null {
  if (!later) return null;
  const named = cycles.find((c) => c.id === param && c.id !== later.id);
  if (named) return named;
  // Not "any other cycle": a later one as the base would read the year backwards, rises as falls.
  const older = cycles.filter((c) => c.year < later.year).sort((a, b) => b.year - a.year);
  return older[0] ?? null;
}

/**
 * The later scheme with the earlier one's categories it no longer has: a unit's change is split
 * into the categories of both (a category dropped moves its points to zero), each named as the
 * newest scheme names it.
 */
export function withCategoriesOf(later: SchemeDocument, earlier: SchemeDocument): SchemeDocument {
  const ids = new Set(later.categories.map((c) => c.id));
  return { ...later, categories: [...later.categories, ...earlier.categories.filter((c) => !ids.has(c.id))] };
}

/** How the page names the two cycles: by year, or by id where both are of one year. */
export function sideNames(before: Cycle, after: Cycle): SideNames {
  return before.year !== after.year
    ? { baseline: String(before.year), scenario: String(after.year) }
    : { baseline: before.id, scenario: after.id };
}

/** How the page names one cycle in a sentence: by year, or by id where another cycle listed is of that year. */
export function cycleName(cycles: readonly Cycle[], cycle: Cycle): string {
  return cycles.some((c) => c.year === cycle.year && c.id !== cycle.id) ? cycle.id : String(cycle.year);
}

/**
 * How many units rose and fell in rank (rankDelta < 0 rose), how many changed grade, and how many
 * moved group: those neither rose nor fell, nor stood still (their ranks are not comparable).
 */
export function movesOf(units: readonly WhatIfUnit[]): {
  rose: number;
  fell: number;
  grades: number;
  movedGroup: number;
} {
  let rose = 0;
  let fell = 0;
  let grades = 0;
  let moved = 0;
  for (const u of units) {
    if (movedGroup(u)) moved++;
    else if ((u.rankDelta ?? 0) < 0) rose++;
    else if ((u.rankDelta ?? 0) > 0) fell++;
    if (u.baseline.grade !== u.scenario.grade) grades++;
  }
  return { rose, fell, grades, movedGroup: moved };
}

/**
 * The units only one cycle holds, every one of them whatever group the page studies: a unit in an
 * unranked group, or in a group the compared cycle's scheme no longer has, is as much gone (or new)
 * as one in the studied group. The studied group's first, then each group in `groups`' order (its
 * cycle's scheme's; a group it lacks after, by id); within a group by rank, those without one last,
 * else in the gateway's order.
 */
export function oneSidedListed(
  units: readonly OneSidedUnit[],
  studied: string | null,
  groups: readonly string[],
): OneSidedUnit[] {
  const place = (group: string) => {
    if (group === studied) return -1;
    const i = groups.indexOf(group);
    return i < 0 ? groups.length : i;
  };
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  // Past every rank, and never Infinity − Infinity (NaN), which would leave the order to the browser.
  const rank = (u: OneSidedUnit) => u.standing.rank ?? Number.MAX_SAFE_INTEGER;
  return [...units].sort(
    (a, b) =>
      place(a.standing.group) - place(b.standing.group) ||
      byId(a.standing.group, b.standing.group) ||
      rank(a) - rank(b),
  );
}
