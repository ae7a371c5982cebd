import type { Baseline } from "./baseline.js";
import { compareStandings, type StandingComparison } from "./compare-standings.js";

/**
 * Compares two evaluations of the same units — e.g. a cycle under its published scheme and
 * under a candidate version an administrator is about to publish — with the same rank
 * movements, swaps, per-category splits and statistics a scenario gives. Categories the
 * candidate drops show up in the "total-rounding-and-floor" part, so parts still sum exactly.
 */
export function compareBaselines(before: Baseline, after: Baseline): StandingComparison {
  return compareStandings(before.compiled.scheme, after.compiled.scheme, before.standings, after.standings);
}
