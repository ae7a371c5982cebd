import type { Scheme } from "../scheme/scheme-schema.js";
import { withOptionsOf } from "./analysis-options.js";
import type { Baseline } from "./baseline.js";
import { checkBaselineArgument } from "./baseline-argument.js";
import { askedGroups } from "./groups-option.js";
import { boundaryWalkRule } from "./quota-boundary.js";

/**
 * How many units each walk of a weight sweep orders (at most: units without a total are left
 * out when it runs). A walk's crossings grow up to the square of its units; `sweepWork`
 * counts them, for a host that bounds the work of one request.
 */
export interface SweepWalks {
  /** One walk per ranked group swept, for its ranks and grades. */
  groups: number[];
  /**
   * Under a grade quota over all ranked units (scope "overall"): the walk over all of them for
   * their grades, whatever groups are asked for; 0 without such a quota, or when the ranked
   * units are all in one group (whose own walk then grades them).
   */
  overall: number;
  /**
   * True when that walk follows the quota's boundary only (one quota, the first rule, from the
   * top, no threshold of its own, and last place barring no rule's excellence): usually far
   * cheaper than the walk of every unit, never
   * dearer (it makes that walk where following the boundary would order more pairs), but how
   * much cheaper depends on how many units cross near the boundary, known only once it runs.
   */
  boundary: boolean;
}

/** The walks `weightSweep(baseline, { groups })` would make; an unknown group is refused as there. */
export function sweepWalks(baseline: Baseline, groups?: readonly string[]): SweepWalks {
  checkBaselineArgument(baseline);
  return withOptionsOf("weight sweep", () => walksOf(baseline, groups));
}

function walksOf(baseline: Baseline, groups?: readonly string[]): SweepWalks {
  const { scheme } = baseline.compiled;
  const asked = askedGroups(scheme, groups);
  const swept = new Set(asked ?? scheme.groups.map((g) => g.id));
  const ranked = new Set(scheme.groups.filter((g) => g.ranked).map((g) => g.id));
  const sizes = new Map<string, number>();
  const holding = new Set<string>();
  let overall = 0;
  for (const u of baseline.dataset.units) {
    if (!ranked.has(u.group)) continue;
    overall++;
    holding.add(u.group);
    if (swept.has(u.group)) sizes.set(u.group, (sizes.get(u.group) ?? 0) + 1);
  }
  // With one ranked group, its walk is the walk over every ranked unit.
  const pooled = overallQuota(scheme) && holding.size > 1 ? overall : 0;
  return {
    groups: [...sizes.values()],
    overall: pooled,
    boundary: pooled > 0 && boundaryWalkRule(baseline) !== null,
  };
}

/** Whether a grade quota spans every ranked unit: grades then come from one walk over them all. */
export function overallQuota(scheme: Scheme): boolean {
  return scheme.grades.rules.some((r) => r.quota?.scope === "overall");
}
