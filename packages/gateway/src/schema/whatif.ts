/**
 * What-if analysis (情景分析) over GraphQL: thin resolvers over the engine's what-if API. Every
 * number here is computed by @pingyi/engine (runScenario, weightSweep, monteCarlo, leaveOneOut,
 * and the figures and sampler defaults it exports beside them); the gateway picks the baseline,
 * gives its own arguments their defaults (samples, a Dirichlet's concentration, which the engine
 * requires), checks arguments and bounds the work, and pages the results.
 */
import {
  applyScenario,
  type Baseline,
  breakpointCount,
  type ExactInterval,
  exactToNumber,
  InputError,
  type LeftOutCategory,
  leaveOneOut,
  type MonteCarloOptions,
  type MonteCarloResult,
  type MonteCarloUnit,
  monteCarlo,
  parseDecimal,
  type RankSegment,
  runScenario,
  type ScenarioResult,
  samplerDefaults,
  sweepDefaults,
  toExactString,
  type UnitChange,
  type UnitSweep,
  type WeightSweepResult,
  weightSweep,
} from "@pingyi/engine";
import { z } from "zod";
import { builder } from "../builder.js";
import { type Context, unitKey } from "../context.js";
import { engineCall, NotSupportedError } from "../errors.js";
import type { Scored } from "../evaluations.js";
import { cost, MAX_ALTERNATIVES, MAX_SAMPLES, spend } from "../limits.js";
import { ValidationError } from "../store/index.js";
import { ErrorInterface, READ_ERRORS } from "./common.js";
import { type ListOwner, offsetConnection } from "./pages.js";
import { UnitRef } from "./refs.js";
import { inlineDocument, loadSaved, savedDocument, savedRevision } from "./scenario-runs.js";
import { check } from "./validate.js";

builder.objectType(NotSupportedError, {
  name: "NotSupportedError",
  description:
    "The engine cannot run this analysis on this scheme (e.g. a sweep whose totals are not linear in the swept points); the message says why.",
  interfaces: [ErrorInterface],
});

const ANALYSIS_ERRORS = [...READ_ERRORS, NotSupportedError];

/** Child objects carry their cycle so they can link to `Unit`. */
type InCycle<T> = { cycleId: string; item: T };
const inCycle =
  (cycleId: string) =>
  <T>(item: T): InCycle<T> => ({ cycleId, item });

const unitField = <T>(id: (item: T) => string) =>
  ({
    type: UnitRef,
    nullable: true,
    resolve: async (p: InCycle<T>, _a: unknown, ctx: Context) => {
      const unit = await ctx.loaders.unit.load(unitKey(p.cycleId, id(p.item)));
      return unit ? { cycleId: p.cycleId, unit } : null;
    },
  }) as const;

/** Statistics are floats; a group of one has no rank correlation (NaN), shown as null. */
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

async function baselineFor(ctx: Context, cycleId: string): Promise<{ scored: Scored; baseline: Baseline }> {
  const scored = await ctx.loaders.evaluation.load(cycleId);
  return { scored, baseline: await ctx.baselines.get(scored) };
}

const unitsOf = (scored: Scored) => scored.dataset.units.length;

/** A dataset's unit ids, gathered once per dataset (a province has 10,000 units). */
const unitIdSets = new WeakMap<object, ReadonlySet<string>>();
function unitIdsIn(scored: Scored): ReadonlySet<string> {
  let ids = unitIdSets.get(scored.dataset);
  if (!ids) {
    ids = new Set(scored.dataset.units.map((u) => u.id));
    unitIdSets.set(scored.dataset, ids);
  }
  return ids;
}

type Id = string | number;

/**
 * A list's filters checked against the cycle: a group or unit it does not have is a typo, and
 * filtering by it would answer an empty page as if nothing had matched. An empty id is an id given.
 */
function checkFilters(
  scored: Scored,
  filters: { group?: Id | null; unitIds?: readonly Id[] | null; unitId?: Id | null },
): void {
  const issues: { path: string; message: string }[] = [];
  const { group, unitIds, unitId } = filters;
  if (group != null && !scored.evaluation.groups.some((g) => g.id === String(group)))
    issues.push({ path: "group", message: `no group '${group}' in this cycle's scheme` });
  const units = unitIdsIn(scored);
  for (const [i, id] of (unitIds ?? []).entries())
    if (!units.has(String(id))) issues.push({ path: `unitIds[${i}]`, message: `unknown unit "${id}"` });
  if (unitId != null && !units.has(String(unitId)))
    issues.push({ path: "unitId", message: `unknown unit "${unitId}"` });
  if (issues.length) throw new ValidationError(issues);
}

// ---------------------------------------------------------------------------------------------
// whatIf: one scenario against the cycle's baseline

export interface WhatIfShape {
  scored: Scored;
  scenarioId: string | null;
  result: ScenarioResult;
  /** Whose `units` and `swaps` their cursors page: what was run, on which data. */
  owner: ListOwner;
}

type Snapshot = UnitChange["baseline"];
type Agreement = ScenarioResult["overall"] & { group?: string };

const WhatIfStanding = builder.objectRef<Snapshot>("WhatIfStanding").implement({
  description: "A unit's official result on one side of a what-if: exact decimals as published.",
  fields: (t) => ({
    group: t.exposeID("group"),
    total: t.exposeString("total", { nullable: true, description: "Null when the unit is not scored." }),
    rank: t.exposeInt("rank", { nullable: true }),
    rankedInGroup: t.exposeInt("rankedInGroup"),
    grade: t.exposeString("grade", { nullable: true, description: "The grade rule's id." }),
    eligibleForExcellence: t.exposeBoolean("eligibleForExcellence"),
    eligibleForAward: t.exposeBoolean("eligibleForAward"),
  }),
});

const DeltaPartKind = builder.enumType("DeltaPartKind", {
  values: { CATEGORY: { value: "category" }, ADJUSTMENT: { value: "adjustment" } } as const,
});

const DeltaPartRef = builder.objectRef<UnitChange["parts"][number]>("DeltaPart").implement({
  description:
    "One part of a unit's total change: a category's change in final points, or `bonus`, `total-deductions`, `total-rounding-and-floor`. The parts sum exactly to `totalDelta`.",
  fields: (t) => ({
    part: t.exposeString("part"),
    kind: t.field({ type: DeltaPartKind, resolve: (p) => p.kind }),
    delta: t.exposeString("delta", {
      description: 'Exact; a fraction "n/d" when not a terminating decimal.',
    }),
  }),
});

const WhatIfUnitRef = builder.objectRef<InCycle<UnitChange>>("WhatIfUnit").implement({
  fields: (t) => ({
    unitId: t.id({ resolve: (u) => u.item.unit }),
    name: t.string({ resolve: (u) => u.item.name }),
    unit: t.field(unitField<UnitChange>((c) => c.unit)),
    baseline: t.field({ type: WhatIfStanding, resolve: (u) => u.item.baseline }),
    scenario: t.field({ type: WhatIfStanding, resolve: (u) => u.item.scenario }),
    totalDelta: t.string({
      nullable: true,
      description: "Scenario total − baseline total, exact; null when either side is not scored.",
      resolve: (u) => u.item.totalDelta,
    }),
    rankDelta: t.int({
      nullable: true,
      description:
        "Scenario rank − baseline rank: POSITIVE MEANS THE UNIT FELL. Null when unranked on either side or moved between groups.",
      resolve: (u) => u.item.rankDelta,
    }),
    parts: t.field({
      type: [DeltaPartRef],
      description: "Why the total moved: the change split by category and adjustment; empty when not scored.",
      resolve: (u) => u.item.parts,
    }),
  }),
});

const SwapRef = builder.objectRef<InCycle<ScenarioResult["swaps"][number]>>("RankSwap").implement({
  description: "`overtaker` was ranked below `overtaken` in the baseline and is above it in the scenario.",
  fields: (t) => ({
    group: t.id({ resolve: (s) => s.item.group }),
    overtakerId: t.id({ resolve: (s) => s.item.overtaker }),
    overtakenId: t.id({ resolve: (s) => s.item.overtaken }),
    overtaker: t.field(unitField<ScenarioResult["swaps"][number]>((s) => s.overtaker)),
    overtaken: t.field(unitField<ScenarioResult["swaps"][number]>((s) => s.overtaken)),
  }),
});

const GradeChangeRef = builder.objectRef<ScenarioResult["gradeChanges"][number]>("GradeChange").implement({
  fields: (t) => ({
    unitId: t.id({ resolve: (g) => g.unit }),
    from: t.exposeString("from", { nullable: true, description: "Baseline grade rule id." }),
    to: t.exposeString("to", { nullable: true, description: "Scenario grade rule id." }),
  }),
});

const EligibilityChangeRef = builder
  .objectRef<ScenarioResult["eligibilityChanges"][number]>("EligibilityChange")
  .implement({
    fields: (t) => ({
      unitId: t.id({ resolve: (e) => e.unit }),
      excellenceBefore: t.boolean({ resolve: (e) => e.excellence[0] }),
      excellenceAfter: t.boolean({ resolve: (e) => e.excellence[1] }),
      awardBefore: t.boolean({ resolve: (e) => e.award[0] }),
      awardAfter: t.boolean({ resolve: (e) => e.award[1] }),
    }),
  });

const RankAgreementRef = builder.objectRef<Agreement>("RankAgreement").implement({
  description:
    "How much a ranking agrees with the baseline (statistics, floating point). Per group: Spearman's ρ and Kendall's τ-b on ranks of units ranked in the group on both sides. Overall: both on totals of every unit scored on both sides; the mean absolute shift of within-group ranks.",
  fields: (t) => ({
    group: t.id({
      nullable: true,
      description: "Null for the overall figures.",
      resolve: (a) => a.group ?? null,
    }),
    units: t.exposeInt("units", { description: "Units compared." }),
    spearman: t.float({ nullable: true, resolve: (a) => finite(a.spearman) }),
    kendallTauB: t.float({ nullable: true, resolve: (a) => finite(a.kendallTauB) }),
    meanAbsoluteRankShift: t.float({ nullable: true, resolve: (a) => finite(a.meanAbsoluteRankShift) }),
    unitsMoved: t.exposeInt("unitsMoved"),
  }),
});

const StageTwo = builder.enumType("StageTwo", {
  description:
    "How the engine composed the scenario: FAST (same rules as the pipeline, without traces) or COMPOSE (the pipeline itself, e.g. when a formula reads other categories).",
  values: { FAST: { value: "fast" }, COMPOSE: { value: "compose" } } as const,
});

export const WhatIfRef = builder.objectRef<WhatIfShape>("WhatIf").implement({
  description:
    "A scenario's effect on every unit of a cycle, computed exactly by the engine against the cycle's current evaluation.",
  fields: (t) => ({
    cycleId: t.id({ resolve: (w) => w.scored.cycle.id }),
    schemeId: t.id({ resolve: (w) => w.scored.scheme.schemeId }),
    schemeVersion: t.int({
      description: "The baseline's scheme version.",
      resolve: (w) => w.scored.scheme.version,
    }),
    scenarioId: t.id({
      nullable: true,
      description: "The saved scenario run, if any.",
      resolve: (w) => w.scenarioId,
    }),
    name: t.string({ resolve: (w) => w.result.scenario.name }),
    description: t.string({ nullable: true, resolve: (w) => w.result.scenario.description }),
    recomputedCategories: t.stringList({
      description: "Categories whose records were re-read (empty for a weight-only scenario).",
      resolve: (w) => w.result.recomputedCategories,
    }),
    stageTwo: t.field({ type: StageTwo, resolve: (w) => w.result.stageTwo }),
    units: t.connection(
      {
        type: WhatIfUnitRef,
        description:
          "Largest rank change first, then largest total change, then unit id. Default 100 rows, at most 2,000 per page.",
        args: {
          group: t.arg.id({ description: "Only units in this group (baseline side)." }),
          unitIds: t.arg.idList({ description: "Only these units." }),
          movedOnly: t.arg.boolean({ description: "Only units whose rank, grade or total changed." }),
        },
        resolve: (w, args, _ctx, info) => {
          checkFilters(w.scored, args);
          // Rows are selected on the engine's columns and built only for the page asked for.
          const rows = w.result.unitChanges;
          const positions = rows.select({
            group: args.group != null ? String(args.group) : undefined,
            unitIds: args.unitIds ? new Set(args.unitIds.map(String)) : undefined,
            movedOnly: args.movedOnly ?? false,
          });
          return offsetConnection(
            { args, info, owner: w.owner, totalCount: positions.length },
            ({ offset, limit }) =>
              positions.slice(offset, offset + limit).map((k) => inCycle(w.scored.cycle.id)(rows.at(k))),
          );
        },
      },
      {
        fields: (c) => ({
          totalCount: c.int({
            description: "Units that pass the filter, on every page together.",
            // Always given to offsetConnection above; its type leaves it optional.
            resolve: (connection) => connection.totalCount ?? 0,
          }),
        }),
      },
    ),
    swapCount: t.int({ resolve: (w) => w.result.swapCount }),
    swaps: t.connection(
      {
        type: SwapRef,
        description: "Who overtook whom, within groups. Default 100 rows, at most 2,000 per page.",
        args: {
          group: t.arg.id(),
          unitId: t.arg.id({ description: "Only swaps this unit took part in (either side)." }),
        },
        resolve: (w, args, _ctx, info) => {
          checkFilters(w.scored, args);
          const unit = args.unitId != null ? String(args.unitId) : null;
          const list = w.result.swaps.filter(
            (s) =>
              (args.group == null || s.group === String(args.group)) &&
              (unit === null || s.overtaker === unit || s.overtaken === unit),
          );
          return offsetConnection(
            { args, info, owner: w.owner, totalCount: list.length },
            ({ offset, limit }) => list.slice(offset, offset + limit).map(inCycle(w.scored.cycle.id)),
          );
        },
      },
      {
        fields: (c) => ({
          totalCount: c.int({
            description: "Swaps that pass the filter, on every page together.",
            // Always given to offsetConnection above; its type leaves it optional.
            resolve: (connection) => connection.totalCount ?? 0,
          }),
        }),
      },
    ),
    gradeChanges: t.field({ type: [GradeChangeRef], resolve: (w) => w.result.gradeChanges }),
    eligibilityChanges: t.field({
      type: [EligibilityChangeRef],
      resolve: (w) => w.result.eligibilityChanges,
    }),
    groups: t.field({ type: [RankAgreementRef], resolve: (w) => w.result.groups }),
    overall: t.field({ type: RankAgreementRef, resolve: (w) => w.result.overall }),
  }),
});

// ---------------------------------------------------------------------------------------------
// weightSweep: one category's points over a range, with exact breakpoints

const SweepOthers = builder.enumType("SweepOthers", {
  values: {
    FIXED: { value: "fixed", description: "The other categories keep their points." },
    RESCALE: {
      value: "rescale",
      description:
        "The other categories share what is left of the scheme's total in their nominal proportions.",
    },
    TRANSFER: {
      value: "transfer",
      description:
        "The `donor` category gives what the swept category gains (and takes back what it loses); the rest keep their points and the total stays, so a reform that moves points from one category to another is one point of the sweep.",
    },
  } as const,
});

const endFields = {
  includesFrom: { description: "Whether `from` itself belongs to the stretch." },
  includesTo: { description: "Whether `to` itself belongs to the stretch." },
} as const;

const RankSegmentRef = builder.objectRef<RankSegment>("RankSegment").implement({
  description:
    "A stretch of the swept points where a unit's rank and grade stay the same. Every point of the range lies in exactly one of a unit's segments: an end two segments share belongs to the one that includes it. A rank or grade held at a single point (units tied there) is a segment of its own, with from equal to to and both ends included.",
  fields: (t) => ({
    from: t.exposeString("from", { description: 'Exact ("n/d" when not a terminating decimal).' }),
    to: t.exposeString("to"),
    includesFrom: t.exposeBoolean("includesFrom", endFields.includesFrom),
    includesTo: t.exposeBoolean("includesTo", endFields.includesTo),
    fromApprox: t.float({ resolve: (s) => exactToNumber(s.from) }),
    toApprox: t.float({ resolve: (s) => exactToNumber(s.to) }),
    rank: t.exposeInt("rank", {
      nullable: true,
      description: "Null for a unit of an unranked group: its segments follow its threshold grade.",
    }),
    grade: t.exposeString("grade", { nullable: true }),
  }),
});

const Interval = builder.objectRef<ExactInterval>("ExactInterval").implement({
  description: "A stretch of the swept points, exact, saying whether it holds at each of its ends.",
  fields: (t) => ({
    from: t.exposeString("from"),
    to: t.exposeString("to"),
    includesFrom: t.exposeBoolean("includesFrom", endFields.includesFrom),
    includesTo: t.exposeBoolean("includesTo", endFields.includesTo),
    fromApprox: t.float({ resolve: (s) => exactToNumber(s.from) }),
    toApprox: t.float({ resolve: (s) => exactToNumber(s.to) }),
  }),
});

const UnitSweepRef = builder.objectRef<InCycle<UnitSweep>>("UnitSweep").implement({
  fields: (t) => ({
    unitId: t.id({ resolve: (u) => u.item.unit }),
    name: t.string({ resolve: (u) => u.item.name }),
    group: t.id({ resolve: (u) => u.item.group }),
    unit: t.field(unitField<UnitSweep>((u) => u.unit)),
    segments: t.field({
      type: [RankSegmentRef],
      description:
        "Rank and grade as functions of the swept points; for a unit of an unranked group, its threshold grade (rank null); empty for a unit without a total.",
      resolve: (u) => u.item.segments,
    }),
    breakpoints: t.stringList({
      description:
        "Exact points where the unit's rank or grade changes, each once (a single-point segment is both ends of its point).",
      resolve: (u) => u.item.breakpoints,
    }),
    nominalRank: t.int({ nullable: true, resolve: (u) => u.item.nominal?.rank ?? null }),
    nominalGrade: t.string({ nullable: true, resolve: (u) => u.item.nominal?.grade ?? null }),
    stability: t.field({
      type: Interval,
      nullable: true,
      description:
        "Around the nominal points, where the nominal rank and grade hold (the segment holding the nominal, its ends included or not as there); null when the nominal lies outside the sweep.",
      resolve: (u) => u.item.stability,
    }),
  }),
});

const WeightSweepRef = builder
  .objectRef<{ cycleId: string; scored: Scored; result: WeightSweepResult; owner: ListOwner }>("WeightSweep")
  .implement({
    description:
      "One-at-a-time sweep of a category's points. Breakpoints are where exact UNROUNDED totals cross (rounded totals are step functions); exactly at a breakpoint the units concerned tie.",
    fields: (t) => ({
      cycleId: t.exposeID("cycleId"),
      category: t.string({ resolve: (s) => s.result.category }),
      others: t.field({ type: SweepOthers, resolve: (s) => s.result.others }),
      donor: t.string({
        nullable: true,
        description: "The category that gives the points under TRANSFER; null otherwise.",
        resolve: (s) => s.result.donor,
      }),
      from: t.string({ resolve: (s) => s.result.from }),
      to: t.string({ resolve: (s) => s.result.to }),
      nominal: t.string({
        description: "The category's points in the scheme.",
        resolve: (s) => s.result.nominal,
      }),
      rounding: t.string({
        description: "Always `unrounded` (see the type's description).",
        resolve: (s) => s.result.rounding,
      }),
      groups: t.idList({
        nullable: true,
        description: "The groups swept, in the scheme's order; null when every group is.",
        resolve: (s) => s.result.groups,
      }),
      breakpointCount: t.int({
        description: "Distinct breakpoints over every unit swept.",
        resolve: (s) => breakpointCount(s.result),
      }),
      units: t.connection({
        type: UnitSweepRef,
        description: "In the dataset's unit order. Default 100 rows, at most 2,000 per page.",
        args: { group: t.arg.id(), unitIds: t.arg.idList() },
        resolve: (s, args, _ctx, info) => {
          checkFilters(s.scored, args);
          const ids = args.unitIds ? new Set(args.unitIds.map(String)) : null;
          const list = s.result.units.filter(
            (u) => (args.group == null || u.group === String(args.group)) && (!ids || ids.has(u.unit)),
          );
          // The count lets `last` page back from the end, as on every list held in memory.
          return offsetConnection(
            { args, info, owner: s.owner, totalCount: list.length },
            ({ offset, limit }) => list.slice(offset, offset + limit).map(inCycle(s.cycleId)),
          );
        },
      }),
    }),
  });

// ---------------------------------------------------------------------------------------------
// uncertainty: seeded Monte-Carlo over the weights (and optionally alternative rules)

const WeightDistribution = builder.enumType("WeightDistribution", {
  values: {
    DIRICHLET: {
      value: "dirichlet",
      description:
        "Points drawn around the nominal shares with the total kept; higher `concentration` = closer to nominal.",
    },
    UNIFORM: {
      value: "uniform",
      description:
        "Each category drawn within its `bounds`, else within nominal × (1 ± `spread`); with `keepTotal`, draws stay within their bounds and add up to the scheme's total (bounds that cannot reach it are refused). The engine's default.",
    },
  } as const,
});

const CategoryBoundsInput = builder.inputType("CategoryBoundsInput", {
  fields: (t) => ({
    category: t.id({ required: true }),
    low: t.string({ required: true, description: 'Exact decimal, e.g. "20".' }),
    high: t.string({ required: true }),
  }),
});

const AlternativeRuleInput = builder.inputType("AlternativeRuleInput", {
  description:
    "An alternative rule drawn with equal probability beside the nominal scheme: a scenario `patch` (scheme changes only).",
  fields: (t) => ({
    name: t.string({ required: true }),
    patch: t.field({
      type: "JSON",
      required: true,
      description: 'e.g. `{ categories: { organ: { method: { aggregation: { type: "mean" } } } } }`',
    }),
  }),
});

interface UncertaintyParameters {
  samples: number;
  seed: number;
  distribution: "dirichlet" | "uniform";
  concentration: number | null;
  spread: number | null;
  bounds: { category: string; low: string; high: string }[] | null;
  keepTotal: boolean;
  alternatives: { name: string; patch: unknown }[];
}

interface UncertaintyShape {
  cycleId: string;
  scored: Scored;
  parameters: UncertaintyParameters;
  result: MonteCarloResult;
  owner: ListOwner;
}

const BoundsRef = builder
  .objectRef<{ category: string; low: string; high: string }>("CategoryBounds")
  .implement({
    fields: (t) => ({
      category: t.exposeID("category"),
      low: t.exposeString("low"),
      high: t.exposeString("high"),
    }),
  });

const AlternativeRef = builder.objectRef<{ name: string; patch: unknown }>("AlternativeRule").implement({
  fields: (t) => ({
    name: t.exposeString("name"),
    patch: t.field({ type: "JSON", resolve: (a) => a.patch }),
  }),
});

const UncertaintyParametersRef = builder.objectRef<UncertaintyParameters>("UncertaintyParameters").implement({
  description:
    "Everything the run depended on: the same parameters and seed give the same result, bit for bit.",
  fields: (t) => ({
    samples: t.exposeInt("samples"),
    seed: t.exposeInt("seed"),
    distribution: t.field({ type: WeightDistribution, resolve: (p) => p.distribution }),
    concentration: t.exposeFloat("concentration", {
      nullable: true,
      description: "DIRICHLET: the concentration used.",
    }),
    spread: t.exposeFloat("spread", {
      nullable: true,
      description: "UNIFORM: the spread used for categories without bounds.",
    }),
    bounds: t.field({
      type: [BoundsRef],
      nullable: true,
      description: `As given; null (or a category left out) means the engine's default, ±${samplerDefaults.spread * 100}% of the nominal points.`,
      resolve: (p) => p.bounds,
    }),
    keepTotal: t.exposeBoolean("keepTotal", {
      description: "Whether every draw sums to the scheme's total (always for DIRICHLET).",
    }),
    alternatives: t.field({ type: [AlternativeRef], resolve: (p) => p.alternatives }),
  }),
});

const UncertaintyUnitRef = builder.objectRef<InCycle<MonteCarloUnit>>("UncertaintyUnit").implement({
  fields: (t) => ({
    unitId: t.id({ resolve: (u) => u.item.unit }),
    name: t.string({ resolve: (u) => u.item.name }),
    group: t.id({ resolve: (u) => u.item.group }),
    unit: t.field(unitField<MonteCarloUnit>((u) => u.unit)),
    nominalRank: t.int({
      nullable: true,
      description: "The official (exact) rank.",
      resolve: (u) => u.item.nominalRank,
    }),
    medianRank: t.float({ nullable: true, resolve: (u) => u.item.medianRank }),
    p5Rank: t.float({
      nullable: true,
      description: "5th percentile (type-7 quantile).",
      resolve: (u) => u.item.p5Rank,
    }),
    p95Rank: t.float({ nullable: true, resolve: (u) => u.item.p95Rank }),
    pExcellent: t.float({
      description:
        "Share of samples in which the unit got the first grade rule (quota, threshold and vetoes applied).",
      resolve: (u) => u.item.pExcellent,
    }),
    pLast: t.float({
      description: "Share of samples in which the unit was ranked last in its group.",
      resolve: (u) => u.item.pLast,
    }),
  }),
});

const DrawRef = builder.objectRef<{ sample: number; result: MonteCarloResult }>("UncertaintyDraw").implement({
  description: "One sample's parameters.",
  fields: (t) => ({
    sample: t.exposeInt("sample"),
    alternative: t.string({
      description: "`nominal` or an alternative's name.",
      resolve: (d) => d.result.alternatives[d.result.alternative[d.sample]!]!,
    }),
    points: t.floatList({
      description: "The drawn points, in the order of `categories`.",
      resolve: (d) => {
        const c = d.result.categories.length;
        return Array.from(d.result.points.subarray(d.sample * c, (d.sample + 1) * c));
      },
    }),
  }),
});

const UncertaintyRef = builder.objectRef<UncertaintyShape>("Uncertainty").implement({
  description:
    "Seeded Monte-Carlo uncertainty analysis of the weights: each unit's rank distribution. Samples are ranked in floating point (statistics, not official values); nominal ranks are exact.",
  fields: (t) => ({
    cycleId: t.exposeID("cycleId"),
    parameters: t.field({ type: UncertaintyParametersRef, resolve: (u) => u.parameters }),
    categories: t.stringList({ resolve: (u) => u.result.categories }),
    excellentGrade: t.string({
      nullable: true,
      description: "The first grade rule's id: what `pExcellent` counts.",
      resolve: (u) => u.result.excellentGrade,
    }),
    nominalReproduced: t.boolean({
      description:
        "Whether the floating-point model gives every official rank back at the nominal points (a self-check).",
      resolve: (u) => u.result.nominalReproduced,
    }),
    groups: t.idList({
      nullable: true,
      description: "The groups ranked and reported, in the scheme's order; null when every group is.",
      resolve: (u) => u.result.groups,
    }),
    units: t.connection({
      type: UncertaintyUnitRef,
      description: "In the dataset's unit order. Default 100 rows, at most 2,000 per page.",
      args: { group: t.arg.id(), unitIds: t.arg.idList() },
      resolve: (u, args, _ctx, info) => {
        checkFilters(u.scored, args);
        const ids = args.unitIds ? new Set(args.unitIds.map(String)) : null;
        const list = u.result.units.filter(
          (x) => (args.group == null || x.group === String(args.group)) && (!ids || ids.has(x.unit)),
        );
        return offsetConnection(
          { args, info, owner: u.owner, totalCount: list.length },
          ({ offset, limit }) => list.slice(offset, offset + limit).map(inCycle(u.cycleId)),
        );
      },
    }),
    draws: t.field({
      type: [DrawRef],
      description: "Every sample's drawn points, `limit` (at most 1,000) from `offset`.",
      args: { offset: t.arg.int({ defaultValue: 0 }), limit: t.arg.int({ defaultValue: 100 }) },
      resolve: (u, args) => {
        // A negative offset or limit is a mistake: read as 0 it would answer the wrong page.
        const issues = (["offset", "limit"] as const)
          .filter((k) => (args[k] ?? 0) < 0)
          .map((path) => ({ path, message: "must not be negative" }));
        if (issues.length) throw new ValidationError(issues);
        const offset = args.offset ?? 0;
        const limit = Math.min(1000, args.limit ?? 100);
        const end = Math.min(u.result.samples, offset + limit);
        return Array.from({ length: Math.max(0, end - offset) }, (_, i) => ({
          sample: offset + i,
          result: u.result,
        }));
      },
    }),
  }),
});

// ---------------------------------------------------------------------------------------------
// leaveOneOut: each category dropped in turn

const RankShiftRef = builder.objectRef<InCycle<LeftOutCategory["shifts"][number]>>("RankShift").implement({
  fields: (t) => ({
    unitId: t.id({ resolve: (s) => s.item.unit }),
    unit: t.field(unitField<LeftOutCategory["shifts"][number]>((s) => s.unit)),
    rankDelta: t.int({
      nullable: true,
      description: "Positive: the unit fell.",
      resolve: (s) => s.item.rankDelta,
    }),
    totalDelta: t.string({ nullable: true, resolve: (s) => s.item.totalDelta }),
  }),
});

const CategoryPointsRef = builder.objectRef<[string, string]>("CategoryPoints").implement({
  fields: (t) => ({
    category: t.id({ resolve: (p) => p[0] }),
    points: t.string({
      description: 'Exact ("n/d" where a rescale does not terminate).',
      resolve: (p) => p[1],
    }),
  }),
});

/** A left-out category's shifts are a list of their own, owned by the category of one run. */
type LeftOut = InCycle<LeftOutCategory> & { owner: ListOwner };

const LeftOutRef = builder.objectRef<LeftOut>("LeftOutCategory").implement({
  fields: (t) => ({
    category: t.id({ resolve: (c) => c.item.category }),
    meanAbsoluteRankShift: t.float({ nullable: true, resolve: (c) => finite(c.item.meanAbsoluteRankShift) }),
    unitsMoved: t.int({ resolve: (c) => c.item.unitsMoved }),
    points: t.field({
      type: [CategoryPointsRef],
      description: "The points every category was given.",
      resolve: (c) => Object.entries(c.item.points),
    }),
    shifts: t.connection({
      type: RankShiftRef,
      description: "Largest rank change first. Default 100 rows, at most 2,000 per page.",
      resolve: (c, args, _ctx, info) =>
        offsetConnection(
          { args, info, owner: c.owner, totalCount: c.item.shifts.length },
          ({ offset, limit }) => c.item.shifts.slice(offset, offset + limit).map(inCycle(c.cycleId)),
        ),
    }),
  }),
});

const LeaveOneOutRef = builder
  .objectRef<{ cycleId: string; rescale: boolean; revision: string; categories: LeftOutCategory[] }>(
    "LeaveOneOut",
  )
  .implement({
    description:
      "Each category set to 0 points in turn (with `rescale`, the others scaled up to keep the total), run as an exact scenario.",
    fields: (t) => ({
      cycleId: t.exposeID("cycleId"),
      rescale: t.exposeBoolean("rescale"),
      categories: t.field({
        type: [LeftOutRef],
        description: "The categories the ranking leans on most first (largest mean absolute rank shift).",
        resolve: (l) =>
          l.categories.map((item) => ({
            cycleId: l.cycleId,
            item,
            owner: {
              kind: "left-out category",
              id: JSON.stringify([l.cycleId, l.rescale, item.category]),
              revision: l.revision,
            },
          })),
      }),
    }),
  });

// ---------------------------------------------------------------------------------------------
// Queries

const decimal = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,9})?$/, 'a non-negative decimal, e.g. "50" or "37.5"');

/** One spelling of a checked decimal: "50.0" and "050" are "50". */
const canonical = (d: string): string => toExactString(parseDecimal(d));

/**
 * An engine path under `weights` as a path in `uncertainty`'s arguments. The engine reads bounds
 * as a map of [low, high] pairs by category (`bounds.public[1]`); the client sent a list of
 * { category, low, high }, and a path must point into what it sent (`bounds[2].high`). The
 * engine names the end at fault; a path to a pair as a whole is about its key (an unknown
 * category), since every pair the gateway builds is two decimals: the client wrote it as
 * `category`.
 */
function boundsPath(
  path: readonly (string | number)[],
  bounds: readonly { category: string; low: string; high: string }[] | null,
): (string | number)[] {
  const [key, category, end, ...rest] = path;
  const k = key === "bounds" ? (bounds?.findIndex((b) => b.category === category) ?? -1) : -1;
  if (k < 0) return [...path];
  if (end === undefined) return ["bounds", k, "category"];
  return ["bounds", k, end === 0 ? "low" : end === 1 ? "high" : end, ...rest];
}

/**
 * The `groups` argument as a cache key: a set (the engine's result lists them in the scheme's
 * order whatever the order asked), so repeats and order give one run.
 */
const groupsKey = (groups: readonly string[] | undefined): string[] | null =>
  groups ? [...new Set(groups)].sort() : null;

/** Units per group, of the groups given (default every group). */
function groupSizes(scored: Scored, only?: readonly string[]): number[] {
  const wanted = only ? new Set(only) : null;
  const sizes = new Map<string, number>();
  for (const u of scored.dataset.units)
    if (!wanted || wanted.has(u.group)) sizes.set(u.group, (sizes.get(u.group) ?? 0) + 1);
  return [...sizes.values()];
}

builder.queryFields((t) => ({
  whatIf: t.field({
    type: WhatIfRef,
    description:
      "Runs a what-if scenario on a cycle (analyst+): give a scenario document inline, or a saved scenario's id. Invalid scenarios are answered with a ValidationError listing every problem by path.",
    authScopes: { analyst: true },
    errors: { types: READ_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      scenario: t.arg({
        type: "JSON",
        description:
          "The engine's scenario document (docs/what-if.md): `{ name?, description?, patch?, data? }`, e.g. `{ patch: { categories: { public: { points: 50 }, organ: { points: 20 } } } }`.",
      }),
      scenarioId: t.arg.id({ description: "A saved scenario of this cycle (yours or shared)." }),
    },
    resolve: async (_r, args, ctx): Promise<WhatIfShape> => {
      if ((args.scenario == null) === (args.scenarioId == null)) {
        throw new ValidationError([
          { path: "scenario", message: "give either scenario or scenarioId (one of them)" },
        ]);
      }
      const cycleId = String(args.cycleId);
      // An empty id is an id given (and found nowhere), not an argument left out.
      const saved = args.scenarioId != null ? await loadSaved(ctx, cycleId, String(args.scenarioId)) : null;
      const document = saved ? savedDocument(saved) : inlineDocument(args.scenario);
      const scored = await ctx.loaders.evaluation.load(cycleId);
      spend(ctx.work, cost.scenario(unitsOf(scored)), "scenario", "this what-if");
      const baseline = await ctx.baselines.get(scored);
      const result = engineCall(() => runScenario(baseline, document));
      // A saved scenario is the owner and its document a revision of it: a cursor from before it
      // was edited is stale, not one of another what-if. An inline one is its document.
      const owner = {
        kind: "what-if",
        id: JSON.stringify(
          saved ? [scored.cycle.id, "saved", saved.id] : [scored.cycle.id, "inline", document],
        ),
        revision: saved ? savedRevision(scored, saved) : scored.key,
      };
      return { scored, scenarioId: saved?.id ?? null, result, owner };
    },
  }),
  weightSweep: t.field({
    type: WeightSweepRef,
    description:
      "Sweeps one category's points from `from` to `to` (analyst+) and reports, per unit, the exact points where its rank or grade changes.",
    authScopes: { analyst: true },
    errors: { types: ANALYSIS_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      category: t.arg.id({ required: true }),
      from: t.arg.string({ description: "Exact decimal; default 0." }),
      to: t.arg.string({
        description:
          "Exact decimal; default the sum of every category's points, or under TRANSFER the category's and the donor's points together (and at most that).",
      }),
      others: t.arg({ type: SweepOthers, defaultValue: "fixed" }),
      donor: t.arg.id({
        description:
          "The category that gives the points under TRANSFER, e.g. organ construction (with public evaluation swept) for the 2019 reform; required there, refused otherwise.",
      }),
      groups: t.arg.idList({
        description:
          "Only these groups' units are swept; default every group. Each group is ranked on its own, so its units come out as in a sweep of every group, and a sweep of one group of a province costs a fiftieth of the whole.",
      }),
    },
    resolve: async (_r, args, ctx) => {
      const range = check(
        z.object({ from: decimal.nullish(), to: decimal.nullish() }),
        { from: args.from, to: args.to },
        "",
      );
      const { scored, baseline } = await baselineFor(ctx, String(args.cycleId));
      const groups = args.groups?.map(String);
      spend(ctx.work, cost.sweep(groupSizes(scored, groups)), "category", "this sweep");
      // The engine checks the donor; an empty id is an id given, refused by name.
      const mode = {
        category: String(args.category),
        others: args.others ?? "fixed",
        ...(args.donor != null ? { donor: String(args.donor) } : {}),
      };
      // Defaults filled in (the engine's own: under TRANSFER `to` is the donor's and the
      // category's points) and decimals canonical ("50.0" is "50"): the options are the cache
      // key and the cursors' owner, so every spelling of one sweep runs once.
      const defaults = sweepDefaults(baseline, mode);
      const options = {
        ...mode,
        from: canonical(range.from ?? defaults.from),
        to: canonical(range.to ?? defaults.to),
      };
      // The engine gets the groups as asked, so that an unknown one is named by its place.
      const key = groups ? { ...options, groups: groupsKey(groups) } : options;
      const result = await ctx.baselines.analysis(scored, "sweep", key, () =>
        engineCall(() => weightSweep(baseline, groups ? { ...options, groups } : options), { scenario: "" }),
      );
      const owner = {
        kind: "weight sweep",
        id: JSON.stringify([scored.cycle.id, key]),
        revision: scored.key,
      };
      return { cycleId: scored.cycle.id, scored, result, owner };
    },
  }),
  uncertainty: t.field({
    type: UncertaintyRef,
    description: `Seeded Monte-Carlo over the category points (analyst+): each unit's median rank, 5th–95th percentile and chances of the first grade and of last place. At most ${MAX_SAMPLES.toLocaleString("en")} samples; reproducible from the seed.`,
    authScopes: { analyst: true },
    errors: { types: ANALYSIS_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      samples: t.arg.int({ defaultValue: 1000, description: `1 to ${MAX_SAMPLES}.` }),
      seed: t.arg.int({
        required: true,
        description: "0 to 2147483647; the same seed gives the same result.",
      }),
      distribution: t.arg({ type: WeightDistribution, defaultValue: "uniform" }),
      spread: t.arg.float({
        description: `UNIFORM only: categories without \`bounds\` are drawn within nominal × (1 ± spread); 0 to 1, default ${samplerDefaults.spread}.`,
      }),
      bounds: t.arg({ type: [CategoryBoundsInput], description: "UNIFORM only." }),
      keepTotal: t.arg.boolean({ description: `UNIFORM only; default ${samplerDefaults.keepTotal}.` }),
      concentration: t.arg.float({ description: "DIRICHLET only; default 100." }),
      alternatives: t.arg({ type: [AlternativeRuleInput], description: `At most ${MAX_ALTERNATIVES}.` }),
      groups: t.arg.idList({
        description:
          "Only these groups' units are ranked and reported; default every group. The draws do not depend on it, and each group is ranked on its own, so its units come out as in a run over every group with the same seed, for a fraction of the work.",
      }),
    },
    resolve: async (_r, args, ctx): Promise<UncertaintyShape> => {
      const dirichlet = args.distribution === "dirichlet";
      const only = (kind: string) => `only with distribution ${kind}`;
      const parsed = check(
        z
          .object({
            samples: z.number().int().min(1).max(MAX_SAMPLES),
            seed: z.number().int().min(0),
            spread: z.number().min(0).max(1).nullish(),
            bounds: z
              .array(z.object({ category: z.string(), low: decimal, high: decimal }))
              .max(100)
              .nullish(),
            keepTotal: z.boolean().nullish(),
            concentration: z.number().positive().max(1e9).nullish(),
            alternatives: z
              .array(z.object({ name: z.string().trim().min(1).max(200), patch: z.unknown() }))
              .max(MAX_ALTERNATIVES)
              .nullish(),
          })
          .superRefine((v, c) => {
            for (const key of ["spread", "bounds", "keepTotal"] as const)
              if (dirichlet && v[key] != null)
                c.addIssue({ code: "custom", path: [key], message: only("UNIFORM") });
            if (!dirichlet && v.concentration != null)
              c.addIssue({ code: "custom", path: ["concentration"], message: only("DIRICHLET") });
            // The engine takes one range per category: a second would silently replace the first.
            const seen = new Set<string>();
            for (const [i, b] of (v.bounds ?? []).entries()) {
              if (seen.has(b.category))
                c.addIssue({
                  code: "custom",
                  path: ["bounds", i, "category"],
                  message: `bounds for ${b.category} are given twice`,
                });
              seen.add(b.category);
            }
          }),
        {
          samples: args.samples ?? 1000,
          seed: args.seed,
          spread: args.spread,
          bounds: args.bounds,
          keepTotal: args.keepTotal,
          concentration: args.concentration,
          alternatives: args.alternatives,
        },
        "",
      );
      const { scored, baseline } = await baselineFor(ctx, String(args.cycleId));
      const alternatives = (parsed.alternatives ?? []).map((a) => ({ name: a.name, patch: a.patch }));
      const groups = args.groups?.map(String);
      spend(
        ctx.work,
        cost.monteCarlo(
          groupSizes(scored, groups).reduce((a, b) => a + b, 0),
          parsed.samples,
          alternatives.length,
        ),
        "samples",
        "this Monte-Carlo run",
      );
      // Each alternative is checked on its own so a problem points at the right one.
      for (const [i, a] of alternatives.entries()) {
        engineCall(() => applyScenario(baseline.compiled.scheme, baseline.dataset, a), {
          scenario: `alternatives[${i}]`,
        });
      }
      const parameters: UncertaintyParameters = dirichlet
        ? {
            samples: parsed.samples,
            seed: parsed.seed,
            distribution: "dirichlet",
            concentration: parsed.concentration ?? 100,
            spread: null,
            bounds: null,
            keepTotal: true,
            alternatives,
          }
        : {
            samples: parsed.samples,
            seed: parsed.seed,
            distribution: "uniform",
            concentration: null,
            // The engine's own defaults, so what is shown (and cached on) is what it draws with.
            spread: parsed.spread ?? samplerDefaults.spread,
            bounds: parsed.bounds ?? null,
            keepTotal: parsed.keepTotal ?? samplerDefaults.keepTotal,
            alternatives,
          };
      const weights: NonNullable<MonteCarloOptions["weights"]> = dirichlet
        ? { kind: "dirichlet", concentration: parameters.concentration! }
        : {
            kind: "uniform",
            spread: parameters.spread!,
            keepTotal: parameters.keepTotal,
            ...(parameters.bounds
              ? { bounds: Object.fromEntries(parameters.bounds.map((b) => [b.category, [b.low, b.high]])) }
              : {}),
          };
      // As the sweep's: decimals canonical, bounds in category order (the engine reads them by
      // category); a patch goes as sent, since its key order is the document's.
      const key = {
        ...parameters,
        bounds:
          parameters.bounds
            ?.map((b) => ({ category: b.category, low: canonical(b.low), high: canonical(b.high) }))
            .sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : 0)) ?? null,
        alternatives: alternatives.map((a) => ({ name: a.name, patch: JSON.stringify(a.patch) })),
        groups: groupsKey(groups),
      };
      const result = await ctx.baselines.analysis(scored, "monte-carlo", key, () =>
        engineCall(
          () => {
            try {
              return monteCarlo(baseline, {
                samples: parameters.samples,
                seed: parameters.seed,
                weights,
                alternatives: alternatives as MonteCarloOptions["alternatives"],
                ...(groups ? { groups } : {}),
              });
            } catch (err) {
              // The engine locates sampler problems under `weights`; here they are top-level arguments.
              if (!(err instanceof InputError)) throw err;
              throw new InputError(
                err.subject,
                err.issues.map((i) => ({
                  ...i,
                  path: i.path[0] === "weights" ? boundsPath(i.path.slice(1), parameters.bounds) : i.path,
                })),
              );
            }
          },
          { scenario: "" },
        ),
      );
      const owner = {
        kind: "Monte-Carlo run",
        id: JSON.stringify([scored.cycle.id, key]),
        revision: scored.key,
      };
      return { cycleId: scored.cycle.id, scored, parameters, result, owner };
    },
  }),
  leaveOneOut: t.field({
    type: LeaveOneOutRef,
    description: "Leave-one-category-out impact (analyst+): which categories the ranking leans on most.",
    authScopes: { analyst: true },
    errors: { types: ANALYSIS_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      rescale: t.arg.boolean({
        defaultValue: false,
        description: "Scale the other categories up to keep the total.",
      }),
    },
    resolve: async (_r, args, ctx) => {
      const { scored, baseline } = await baselineFor(ctx, String(args.cycleId));
      spend(
        ctx.work,
        cost.leaveOneOut(unitsOf(scored), baseline.compiled.scheme.categories.length),
        "cycleId",
        "leave-one-out on this cycle",
      );
      const rescale = args.rescale ?? false;
      const categories = engineCall(() => leaveOneOut(baseline, { rescale }), { scenario: "" });
      return { cycleId: scored.cycle.id, rescale, revision: scored.key, categories };
    },
  }),
}));
