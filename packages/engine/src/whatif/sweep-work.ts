import { parseDecimal, toNumber } from "../rational.js";
import { withOptionsOf } from "./analysis-options.js";
import type { Baseline } from "./baseline.js";
import { checkBaselineArgument } from "./baseline-argument.js";
import { boundaryWalkRule } from "./quota-boundary.js";
import { sweepFunctions } from "./sweep-functions.js";
import { sweepRange, type WeightSweepOptions } from "./sweep-options.js";
import { type WalkWork, walkWork } from "./walk-work.js";

/** What `weightSweep(baseline, options)` would do, estimated before it runs (see `sweepWork`). */
export interface SweepWork {
  /**
   * Units whose totals are made as functions of the swept points: those of the groups swept,
   * or every unit under a grade quota over all ranked units, whose walk reads them all.
   */
  units: number;
  /** One walk per ranked group swept, in the scheme's order, for its ranks and grades. */
  groups: (WalkWork & { group: string })[];
  /**
   * Under a grade quota over all ranked units (scope "overall") held in more than one group:
   * the walk over all of them for their grades, whatever groups are asked for; null otherwise.
   */
  overall: WalkWork | null;
  /**
   * True when that walk follows the quota's boundary only (see `SweepWalks.boundary`): it then
   * orders at most the pairs `overall` counts, usually far fewer.
   */
  boundary: boolean;
  /**
   * Quota rules whose places a crossing next to them makes a walk fill again by grading every
   * member: the scheme's quota rules, but none when the only one is the first rule and counts
   * every member (its places alone are filled again). Which crossings land next to a quota's
   * boundary is known only once the walk runs (~7% of a random group of 1,400's, with two
   * quotas): a host bounding the work counts them all.
   */
  regradingQuotas: number;
}

/**
 * Standings the estimate compares at most, over all walks together (a few tens of
 * milliseconds): a walk visits its kinks while they fit, and bounds the rest.
 */
const STANDINGS_COMPARED = 1 << 20;

/**
 * A cheap estimate of a weight sweep's work, for a host that bounds the work of one request:
 * the sweep's options are checked (and refused) as `weightSweep` checks them, every unit's
 * total is made as a function of the swept points as there, and each walk's crossings are
 * counted as pairs whose order differs between neighbouring points of the range (`walkWork`),
 * without finding them. A sweep's time grows with those crossings and with the pairs it
 * screens, not with its groups' sizes alone: a group of 1,400 whose scores tie a lot crosses
 * ~350,000 times over the default range, a random one ~370,000, and a range of two points
 * around the nominal a few thousand.
 *
 * It takes a few milliseconds for a group of 1,400, ~120 ms for a province of 10,000 (most of
 * it the units' functions, which a `weightSweep` of the same baseline with the same options
 * then reuses rather than make again).
 *
 * @throws InputError as `weightSweep` throws it: of subject "argument" when `baseline` is not a
 * baseline from `createBaseline`, of subject "scenario" for options it refuses.
 * @throws SweepNotLinearError as `weightSweep` throws it, and for the same schemes (`reason`
 * "formula-reads-moving-points", one of the three "rollup-…" reasons, or "mixed-quota-scopes"):
 * a host that prices a request with `sweepWork` first meets the refusal there.
 */
export function sweepWork(baseline: Baseline, options: WeightSweepOptions): SweepWork {
  checkBaselineArgument(baseline);
  return withOptionsOf("weight sweep", () => workOf(baseline, options));
}

function workOf(baseline: Baseline, options: WeightSweepOptions): SweepWork {
  const range = sweepRange(baseline, options);
  const { from, to, groups, pooledGrades } = range;
  const { compiled, dataset, adjustments } = baseline;
  const { scheme } = compiled;
  const swept = groups ? new Set(groups) : null;
  const selected: number[] = [];
  dataset.units.forEach((u, i) => {
    if (!swept || swept.has(u.group)) selected.push(i);
  });
  // Kept for the sweep that follows with these options (see sweepFunctions).
  const fns = sweepFunctions(baseline, range, selected, true);
  const ranked = new Set(scheme.groups.filter((g) => g.ranked).map((g) => g.id));
  const lists = new Map<string, number[]>();
  for (const g of scheme.groups) if (ranked.has(g.id) && (!swept || swept.has(g.id))) lists.set(g.id, []);
  for (const i of selected) if (fns.totals[i]) lists.get(dataset.units[i]!.group)?.push(i);
  const pooled: number[] = [];
  const pooledGroups = new Set<string>();
  if (pooledGrades)
    dataset.units.forEach((u, i) => {
      if (!ranked.has(u.group) || !fns.totals[i]) return;
      pooled.push(i);
      pooledGroups.add(u.group);
    });
  const overall = pooledGroups.size > 1 ? pooled : null;
  // Every rule's threshold and line, as the walk steps at each total meeting one; meeting one
  // of a rule at or before the last quota rule may move the quotas' places, so every member is
  // graded again (GroupSweep's regrade).
  const rules = scheme.grades.rules;
  const lastQuota = rules.findLastIndex((r) => r.quota !== undefined);
  const quotas = rules.filter((r) => r.quota !== undefined).length;
  // As GroupSweep's firstQuotaOnly.
  const firstQuotaOnly = lastQuota === 0 && rules[0]!.quota!.of !== "admitted";
  const levels = rules.flatMap((r, k) =>
    [r.minTotal, r.belowTotal]
      .filter((m) => m !== undefined)
      .map((m) => ({ at: toNumber(parseDecimal(m)), regrades: k <= lastQuota })),
  );
  const walked = [...lists.values()].reduce((n, list) => n + list.length, 0) + (overall?.length ?? 0);
  const maxPoints = Math.max(2, Math.floor(STANDINGS_COMPARED / Math.max(1, walked)));
  const walkOf = (list: readonly number[]) =>
    walkWork(
      {
        totals: list.map((i) => fns.totals[i]!),
        keys: list.map((i) => fns.tieKeys[i]!),
        forced: list.map((i) => adjustments.vetoes.get(dataset.units[i]!.id)?.forceLast ?? false),
      },
      toNumber(from),
      toNumber(to),
      levels,
      maxPoints,
    );
  return {
    units: groups && !pooledGrades ? selected.length : dataset.units.length,
    groups: [...lists]
      .filter(([, list]) => list.length > 0)
      .map(([group, list]) => ({ group, ...walkOf(list) })),
    overall: overall && walkOf(overall),
    boundary: overall !== null && boundaryWalkRule(baseline) !== null,
    regradingQuotas: firstQuotaOnly ? 0 : quotas,
  };
}
