import type { WhatIfUnit } from "./whatif-api";

/**
 * Whether a unit stands in another group on the scenario's side than on the baseline's (a group
 * renamed between two cycles, a unit moved by a scenario): its two ranks are of different groups,
 * which the engine does not compare (its rankDelta is null). Not a unit that stood still.
 */
export function movedGroup(u: Pick<WhatIfUnit, "baseline" | "scenario">): boolean {
  return u.baseline.group !== u.scenario.group;
}
