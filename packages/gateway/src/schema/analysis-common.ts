/** What the what-if analyses share: errors, rows linked to units, filter and argument checks, cache keys. */
import {
  type Baseline,
  nonNegativeDecimalSchema,
  parseDecimal,
  toExactString,
  unknownId,
} from "@pingyi/engine";
import { builder } from "../builder.js";
import { type Context, unitKey } from "../context.js";
import { NotSupportedError } from "../errors.js";
import type { Scored } from "../evaluations.js";
import { ValidationError } from "../store/index.js";
import { ErrorInterface, READ_ERRORS } from "./common.js";
import { UnitRef } from "./refs.js";
import { baselineUnder, documentRevision, loadSaved } from "./scenario-runs.js";

builder.objectType(NotSupportedError, {
  name: "NotSupportedError",
  description:
    "The engine cannot run this analysis on this scheme (e.g. a sweep whose totals are not linear in the swept points); the message says why.",
  interfaces: [ErrorInterface],
});

export const ANALYSIS_ERRORS = [...READ_ERRORS, NotSupportedError];

/** Child objects carry their cycle so they can link to `Unit`. */
export type InCycle<T> = { cycleId: string; item: T };
export const inCycle =
  (cycleId: string) =>
  <T>(item: T): InCycle<T> => ({ cycleId, item });

export const unitField = <T>(id: (item: T) => string) =>
  ({
    type: UnitRef,
    nullable: true,
    resolve: async (p: InCycle<T>, _a: unknown, ctx: Context) => {
      const unit = await ctx.loaders.unit.load(unitKey(p.cycleId, id(p.item)));
      return unit ? { cycleId: p.cycleId, unit } : null;
    },
  }) as const;

/** Statistics are floats; a group of one has no rank correlation (NaN), shown as null. */
export const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * What an analysis reads of a cycle: the cycle as stored, or as a saved scenario describes it
 * (its scheme and records; `key` then names the scenario's document too, for caches and cursors).
 */
export type AnalysisBase = Pick<Scored, "key" | "cycle" | "compiled" | "dataset">;

/**
 * The baseline an analysis runs on: the cycle's, or with `scenarioId` the cycle's under that
 * saved scenario, so that a sweep or Monte-Carlo run tests the reformed ranking (its nominal is
 * the scenario's points) rather than the one in force.
 */
export async function baselineFor(
  ctx: Context,
  cycleId: string,
  scenarioId: Id | null | undefined,
  what: string,
): Promise<{ scored: AnalysisBase; baseline: Baseline; scenarioId: string | null }> {
  const scored = await ctx.loaders.evaluation.load(cycleId);
  if (scenarioId == null) return { scored, baseline: await ctx.baselines.get(scored), scenarioId: null };
  const saved = await loadSaved(ctx, scored.cycle.id, String(scenarioId));
  const revision = documentRevision(saved);
  const baseline = await baselineUnder(ctx, scored, saved, revision, what);
  return {
    scored: {
      key: `${scored.key}\u0000${revision}`,
      cycle: scored.cycle,
      compiled: baseline.compiled,
      dataset: baseline.dataset,
    },
    baseline,
    scenarioId: saved.id,
  };
}

/** The argument that runs an analysis under a saved scenario. */
export const scenarioArgument = {
  description:
    "A saved scenario (`saveScenario`) to run the analysis under: its scheme changes and data overrides make the baseline, and its points are the nominal. Default the cycle as it stands.",
} as const;

export const unitsOf = (scored: AnalysisBase) => scored.dataset.units.length;

/**
 * A dataset's units' groups by unit id, gathered once per dataset (a province has 10,000 units):
 * its keys are the unit ids a filter is checked against, its values the groups a narrowed run's.
 */
const unitGroupMaps = new WeakMap<object, ReadonlyMap<string, string>>();
function unitGroupsIn(scored: AnalysisBase): ReadonlyMap<string, string> {
  let groups = unitGroupMaps.get(scored.dataset);
  if (!groups) {
    groups = new Map(scored.dataset.units.map((u) => [u.id, u.group]));
    unitGroupMaps.set(scored.dataset, groups);
  }
  return groups;
}

type Id = string | number;

/**
 * Unknown ids of a filter (or of `groups`) named one by one; the rest are counted. A request body of a
 * megabyte holds 90,000 ids: named each (in the issues and again in the message) under a few
 * aliases, they made an answer of over 100 MB.
 */
const LISTED_UNKNOWN_UNITS = 100;

/**
 * A list's filters checked against the cycle: a group, unit or category it does not have is a typo, and
 * filtering by it would answer an empty page as if nothing had matched. An empty id is an id given.
 */
export function checkFilters(
  scored: AnalysisBase,
  filters: { group?: Id | null; unitIds?: readonly Id[] | null; unitId?: Id | null; category?: Id | null },
): void {
  const issues: { path: string; message: string }[] = [];
  const { group, unitIds, unitId, category } = filters;
  if (category != null) {
    // A scheme has a handful of categories (at most 100): naming them shows the spelling meant.
    const known = new Set(scored.compiled.scheme.categories.map((c) => c.id));
    if (!known.has(String(category)))
      issues.push({ path: "category", message: unknownId("category", String(category), known, true) });
  }
  if (group != null) {
    const known = new Set(scored.compiled.scheme.groups.map((g) => g.id));
    if (!known.has(String(group)))
      issues.push({ path: "group", message: unknownId("group", String(group), known, true) });
  }
  const units = unitGroupsIn(scored);
  let unknownUnits = 0;
  for (const [i, id] of (unitIds ?? []).entries())
    if (!units.has(String(id)) && ++unknownUnits <= LISTED_UNKNOWN_UNITS)
      issues.push({ path: `unitIds[${i}]`, message: `unknown unit "${id}"` });
  const more = unknownUnits - LISTED_UNKNOWN_UNITS;
  if (more > 0)
    issues.push({
      path: "unitIds",
      message: `and ${more.toLocaleString("en")} more unknown unit${more === 1 ? "" : "s"}`,
    });
  if (unitId != null && !units.has(String(unitId)))
    issues.push({ path: "unitId", message: `unknown unit "${unitId}"` });
  if (issues.length) throw new ValidationError(issues);
}

/**
 * A `groups` argument with more unknown groups than a filter's unknown units are named: refused
 * here, the first of them named and the rest counted. The engine names every one, which is right
 * for a slip or two and made a megabyte of ids into an answer of over 100 MB; fewer are left to
 * it, in its words, beside its other objections.
 */
export function refuseManyUnknownGroups(scored: AnalysisBase, groups: readonly string[] | undefined): void {
  if (!groups) return;
  const known = new Set(scored.compiled.scheme.groups.map((g) => g.id));
  const unknown = groups.flatMap((id, i) => (known.has(id) ? [] : [{ id, i }]));
  const more = unknown.length - LISTED_UNKNOWN_UNITS;
  if (more <= 0) return;
  throw new ValidationError([
    ...unknown
      .slice(0, LISTED_UNKNOWN_UNITS)
      .map(({ id, i }) => ({ path: `groups[${i}]`, message: unknownId("group", id, known, true) })),
    {
      path: "groups",
      message: `and ${more.toLocaleString("en")} more unknown group${more === 1 ? "" : "s"}`,
    },
  ]);
}

/**
 * The rows of a unit list (a sweep's, a Monte-Carlo run's) that pass its filters, checked first:
 * against the cycle, and against the groups the run was narrowed to (`ran`, null for every group).
 */
export function unitsPassing<T extends { group: string; unit: string }>(
  scored: AnalysisBase,
  rows: readonly T[],
  args: { group?: Id | null; unitIds?: readonly Id[] | null },
  ran: readonly string[] | null,
): T[] {
  checkFilters(scored, args);
  if (ran) checkWithinRun(scored, args, ran);
  const ids = args.unitIds ? new Set(args.unitIds.map(String)) : null;
  return rows.filter(
    (r) => (args.group == null || r.group === String(args.group)) && (!ids || ids.has(r.unit)),
  );
}

/**
 * A run's filters checked against the groups it was narrowed to: a group or a unit of the cycle
 * that the run left out has no rows in it, and filtering by it answered an empty page as if
 * nothing had matched. Named as unknown ids are: the first 100 units one by one, the rest counted.
 */
function checkWithinRun(
  scored: AnalysisBase,
  { group, unitIds }: { group?: Id | null; unitIds?: readonly Id[] | null },
  ran: readonly string[],
): void {
  const included = new Set(ran);
  const listed = `(groups: ${ran.join(", ")})`;
  const issues: { path: string; message: string }[] = [];
  if (group != null && !included.has(String(group)))
    issues.push({ path: "group", message: `group "${group}" is not one this run included ${listed}` });
  const groupOf = unitGroupsIn(scored);
  let outside = 0;
  for (const [i, id] of (unitIds ?? []).entries()) {
    const unitGroup = groupOf.get(String(id));
    if (unitGroup === undefined || included.has(unitGroup)) continue;
    if (++outside <= LISTED_UNKNOWN_UNITS)
      issues.push({
        path: `unitIds[${i}]`,
        message: `unit "${id}" is in group "${unitGroup}", which this run did not include ${listed}`,
      });
  }
  const more = outside - LISTED_UNKNOWN_UNITS;
  if (more > 0)
    issues.push({
      path: "unitIds",
      message: `and ${more.toLocaleString("en")} more unit${more === 1 ? "" : "s"} of groups this run did not include`,
    });
  if (issues.length) throw new ValidationError(issues);
}

/**
 * A decimal argument (a sweep's `from` and `to`, a Monte-Carlo bound), read by the engine's own
 * schema for a category's points: the grammar and words of a scheme's and a scenario's decimals,
 * so " 10" and "10." are refused here as in a scenario's points (saying how to write them), and
 * "+10", "-0" and "010" are taken by all of them. (A regex of the gateway's own once took
 * " 10" and refused "+10".)
 */
export const decimal = nonNegativeDecimalSchema;

/** How a decimal argument is written, for the schema's descriptions. */
export const DECIMAL_ARGUMENT =
  'An exact decimal, written as a scheme\'s points are ("37.5", "010", "+10"; not " 10", "10." or ".5")';

/**
 * One spelling of a checked decimal: "50.0", "050" and "+50" are "50", "-0" is "0". Analyses
 * key their runs and echo their decimal arguments with it, so every spelling of one run is one.
 */
export const canonical = (d: string | number): string => toExactString(parseDecimal(d));

/**
 * The `groups` argument as a cache key: a set (the engine's result lists them in the scheme's
 * order whatever the order asked), so repeats and order give one run.
 */
export const groupsKey = (groups: readonly string[] | undefined): string[] | null =>
  groups ? [...new Set(groups)].sort() : null;

/** Units per group, of the groups given (default every group). */
export function groupSizes(scored: AnalysisBase, only?: readonly string[]): number[] {
  const wanted = only ? new Set(only) : null;
  const sizes = new Map<string, number>();
  for (const u of scored.dataset.units)
    if (!wanted || wanted.has(u.group)) sizes.set(u.group, (sizes.get(u.group) ?? 0) + 1);
  return [...sizes.values()];
}
