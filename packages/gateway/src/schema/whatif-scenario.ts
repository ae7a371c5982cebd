/** whatIf: one scenario against the cycle's baseline. */
import { runScenario, type ScenarioResult, type UnitChange } from "@pingyi/engine";
import { builder } from "../builder.js";
import { engineCall } from "../errors.js";
import type { Scored } from "../evaluations.js";
import { cost, spend } from "../limits.js";
import { ValidationError } from "../store/index.js";
import { checkFilters, finite, type InCycle, inCycle, unitField, unitsOf } from "./analysis-common.js";
import { withCarriedVetoIds } from "./carried-ids.js";
import { READ_ERRORS } from "./common.js";
import { counted, type ListOwner, listConnection, offsetConnection } from "./pages.js";
import {
  asScenario,
  inlineDocument,
  loadSaved,
  onSaved,
  savedDocument,
  savedRevision,
} from "./scenario-runs.js";
import { SchemeChangeRef } from "./scheme-change.js";
import { moveReasonsOf, WhatIfMoveReasonRef } from "./whatif-move-reasons.js";
import { rollupPartsOf, WhatIfRollupPartRef } from "./whatif-rollup-parts.js";
import { type StandingSide, type WhatIfSides, WhatIfStanding } from "./whatif-standing.js";

export interface WhatIfShape extends WhatIfSides {
  /** The baseline as published. */
  scored: Scored;
  scenarioId: string | null;
  /** Whose `units` and `swaps` their cursors page: what was run, on which data. */
  owner: ListOwner;
  /** The scenario side's groups in its scheme's order: `groups` has a row for each. */
  groupIds: readonly string[];
  /**
   * The baseline side's groups, where its scheme may have groups the scenario's lacks (another
   * cycle, another version): `groups` has a row for each of those too, after the scenario's.
   * Left out, the baseline's groups are the scenario's (a scenario never adds or drops one).
   */
  baselineGroupIds?: readonly string[];
  /**
   * Units only one side holds (compareCycles' `units: COMMON`), by id: listed beside the
   * analysis, not in it, so a filter naming one is told where it is rather than answered with an
   * empty page (a unit only `before` holds) or called unknown (one only `after` holds).
   */
  onlyOneSide?: ReadonlyMap<string, "before" | "after">;
}

/** Which sides' schemes have a group: a comparison of two cycles or versions may have one on one side only. */
type HeldBy = "both" | "baseline" | "scenario";

type Agreement = ScenarioResult["overall"] & { group?: string; heldBy?: HeldBy };

/** A row of `units`, with what its two standings read beyond it. */
type Row = InCycle<UnitChange> & { sides: WhatIfSides };

const sideOf =
  (side: StandingSide["side"]) =>
  (r: Row): StandingSide => ({ unit: r.item.unit, side, snapshot: r.item[side], sides: r.sides });

/**
 * The engine's per-group figures, with a row for every group of either side, as `ranking.groups`
 * has: the engine leaves out a group where no unit is ranked on both sides (unranked, or no unit
 * scored), and a group only the baseline's scheme has (a group dissolved in the later year), in
 * which no unit can be ranked on both sides; an absent row would read as a group neither has.
 */
function everyGroup(
  w: Pick<WhatIfShape, "groupIds" | "baselineGroupIds">,
  rows: readonly Agreement[],
): Agreement[] {
  const byGroup = new Map(rows.map((r) => [r.group, r]));
  const inBaseline = new Set(w.baselineGroupIds ?? w.groupIds);
  const inScenario = new Set(w.groupIds);
  const row = (group: string, heldBy: HeldBy): Agreement => ({
    ...(byGroup.get(group) ?? {
      group,
      units: 0,
      spearman: Number.NaN,
      kendallTauB: Number.NaN,
      meanAbsoluteRankShift: Number.NaN,
      unitsMoved: 0,
    }),
    heldBy,
  });
  return [
    ...w.groupIds.map((group) => row(group, inBaseline.has(group) ? "both" : "scenario")),
    ...[...inBaseline].filter((group) => !inScenario.has(group)).map((group) => row(group, "baseline")),
  ];
}

const GroupHeldBy = builder.enumType("GroupHeldBy", {
  description:
    "Which sides' schemes have a group of a comparison (in `compareCycles`, the baseline is `before` and the scenario `after`).",
  values: {
    BOTH: { value: "both", description: "Both sides' schemes have it." },
    BASELINE: {
      value: "baseline",
      description:
        "Only the baseline's scheme has it: with `before` the earlier cycle, a group dissolved since; with `before` the later one, a group set up since; in `previewSchemeImpact`, a group the draft drops.",
    },
    SCENARIO: {
      value: "scenario",
      description:
        "Only the scenario's scheme has it: with `after` the later cycle, a group set up since; with `after` the earlier one, a group dissolved since; in `previewSchemeImpact`, a group the draft adds.",
    },
  } as const,
});

/**
 * A list's units checked against the cycle; its group by the engine's `unitChanges.select`, the
 * one place that knows the groups of both sides: a comparison with another version or cycle
 * (previewSchemeImpact, compareCycles) may have groups only one side's scheme has, which list
 * that side's units. Returns the rows that pass, at their positions in `unitChanges`.
 */
function selectRows(
  w: WhatIfShape,
  args: Parameters<typeof checkFilters>[1] & { movedOnly?: boolean | null },
): number[] {
  notCompared(w.onlyOneSide, args);
  checkFilters(w.scored, { ...args, group: null });
  // The engine refuses a group neither side has as an InputError about its filter ("group").
  return engineCall(
    () =>
      w.result.unitChanges.select({
        group: args.group != null ? String(args.group) : undefined,
        unitIds: args.unitIds ? new Set(args.unitIds.map(String)) : undefined,
        movedOnly: args.movedOnly ?? false,
      }),
    { scenario: "" },
  );
}

/** Refuses a filter naming a unit the comparison lists as held by one side only. */
function notCompared(
  onlyOneSide: WhatIfShape["onlyOneSide"],
  { unitIds, unitId }: { unitIds?: readonly (string | number)[] | null; unitId?: string | number | null },
): void {
  if (!onlyOneSide?.size) return;
  const issue = (path: string, id: string | number) => {
    const side = onlyOneSide.get(String(id));
    return side
      ? [
          {
            path,
            message: `unit "${id}" is not compared: only the ${side} side holds it (listed in ${side === "before" ? "onlyBefore" : "onlyAfter"})`,
          },
        ]
      : [];
  };
  const issues = [
    ...(unitIds ?? []).flatMap((id, i) => issue(`unitIds[${i}]`, id)),
    ...(unitId != null ? issue("unitId", unitId) : []),
  ];
  if (issues.length) throw new ValidationError(issues);
}

const DeltaPartKind = builder.enumType("DeltaPartKind", {
  values: { CATEGORY: { value: "category" }, ADJUSTMENT: { value: "adjustment" } } as const,
});

const DeltaPartRef = builder.objectRef<UnitChange["parts"][number]>("DeltaPart").implement({
  description:
    "One part of a unit's total change: a category's change in final points, or `bonus`, `total-deductions`, `total-rounding-and-floor`. The parts sum exactly to `totalDelta`; each part's `scenario` − `baseline` is its `delta`.",
  fields: (t) => ({
    part: t.exposeString("part"),
    kind: t.field({ type: DeltaPartKind, resolve: (p) => p.kind }),
    name: t.exposeString("name", {
      description:
        "The category's name in the scenario's scheme (in the baseline's for a category the scenario's scheme drops); for an adjustment, the engine's name for it (as `effectiveWeights` lines have).",
    }),
    baseline: t.exposeString("baseline", {
      nullable: true,
      description:
        "What the part adds to the baseline total, exact as `delta` (deductions negative); null for a category the baseline's scheme does not have.",
    }),
    scenario: t.exposeString("scenario", {
      nullable: true,
      description:
        "The same on the scenario side; null for a category the scenario's scheme drops (a scheme version comparison). scenario − baseline = `delta`, a missing side counting as 0.",
    }),
    delta: t.exposeString("delta", {
      description: 'Exact; a fraction "n/d" when not a terminating decimal.',
    }),
  }),
});

const WhatIfUnitRef = builder.objectRef<Row>("WhatIfUnit").implement({
  fields: (t) => ({
    unitId: t.id({ resolve: (u) => u.item.unit }),
    name: t.string({ resolve: (u) => u.item.name }),
    unit: t.field(unitField<UnitChange>((c) => c.unit)),
    baseline: t.field({ type: WhatIfStanding, resolve: sideOf("baseline") }),
    scenario: t.field({ type: WhatIfStanding, resolve: sideOf("scenario") }),
    totalDelta: t.string({
      nullable: true,
      description:
        'Scenario `exactTotal` − baseline `exactTotal`, exact (a fraction "n/d" when not a terminating decimal); null when either side is not scored.',
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
    moveReasons: t.field({
      type: [WhatIfMoveReasonRef],
      description:
        "Why the grade or rank moved where `parts` and `swaps` may not say: for a grade that differs, the scenario's grade note (as `ranking` words it) and each quota whose places in the unit's scope differ, with both sizes; for a unit ranked in the same group on both sides whose rank or `rankedInGroup` differs, the units of its group ranked on one side only (lost or gained a total, moved group), counted, how many above it, three named. Empty when grade, rank and `rankedInGroup` are the same on both sides.",
      resolve: (u) => moveReasonsOf(u.item, u.sides),
    }),
    rollupParts: t.field({
      type: [WhatIfRollupPartRef],
      description:
        "How much of the unit's move came from its sub-units: each part its roll-ups blend into (a category, or the total) split into `fromSubUnits` and `own`, which add up on each side to the category's `parts` value, or for the total to the unit's exact total (not its `total-rounding-and-floor` part, which holds only the roll-ups' net effect and the rounding; the total's `own` includes what sub-units put into categories through category roll-ups). Empty for a unit no roll-up applies to on either side: one without sub-units, one every roll-up's `parents` leave out, or a scheme without roll-ups.",
      resolve: (u) => rollupPartsOf(u.item, u.sides),
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
    heldBy: t.field({
      type: GroupHeldBy,
      nullable: true,
      description:
        "Which sides' schemes have the group: a group only one side has compares no unit (`units` 0, `unitsMoved` 0, null statistics); " +
        "`units(group:)` lists the units in it on that side, with both sides' standings (under compareCycles' COMMON, one the other side lacks is in `onlyBefore` or `onlyAfter`). Null for the overall figures.",
      resolve: (a) => a.heldBy ?? null,
    }),
    units: t.exposeInt("units", {
      description:
        "Units compared: per group, those ranked in it on both sides; overall, those scored on both sides (what the correlations of totals read), " +
        "which counts a unit that changed group or is ranked on one side only, as `unitsMoved` does not. With none, the three statistics are null: there is nothing they describe.",
    }),
    // The engine reads "neither side varies" as full agreement (1), no units included; a group
    // with none compared is null here, and the overall figures of an empty cycle are alike.
    spearman: t.float({ nullable: true, resolve: (a) => (a.units === 0 ? null : finite(a.spearman)) }),
    kendallTauB: t.float({ nullable: true, resolve: (a) => (a.units === 0 ? null : finite(a.kendallTauB)) }),
    meanAbsoluteRankShift: t.float({
      nullable: true,
      resolve: (a) => (a.units === 0 ? null : finite(a.meanAbsoluteRankShift)),
    }),
    unitsMoved: t.exposeInt("unitsMoved", {
      description:
        "Units whose rank changed among those ranked in the same group on both sides (what `meanAbsoluteRankShift` reads). " +
        "A unit that changed group, or is ranked on one side only, is not counted here, though `units(movedOnly: true)` lists it: overall, `units` less `unitsMoved` is not the units that kept their place.",
    }),
  }),
});

const WhatIfMaximumRef = builder.objectRef<ScenarioResult["maximum"]>("WhatIfMaximum").implement({
  description:
    "The most a unit's total can be (its categories' points plus the bonus cap) on each side, as exact decimals computed by the engine.",
  fields: (t) => ({
    baseline: t.exposeString("baseline", { description: "Under the cycle's scheme as it stands." }),
    scenario: t.exposeString("scenario", { description: "Under the scenario's scheme." }),
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
    maximum: t.field({
      type: WhatIfMaximumRef,
      description:
        "Check this first: when `scenario` differs from `baseline` (points patched to add up to 110, or to 90 by a slip), " +
        "totals are on another scale, and grade changes by absolute lines (`minTotal`) are artefacts of it rather than effects of the reform.",
      resolve: (w) => w.result.maximum,
    }),
    changes: t.field({
      type: [SchemeChangeRef],
      description:
        "The scenario's rule changes against the baseline scheme, as `SchemeDiff.changes` lists them between versions: " +
        "empty means the patch changes no rule (e.g. points patched to what the scheme already has), and any difference then comes from `data`. " +
        "Data overrides (`data`: findings, veto events, group moves, scores) change records, not rules, and are not listed.",
      resolve: (w) => w.result.changes,
    }),
    units: t.connection(
      {
        type: WhatIfUnitRef,
        nullable: true,
        description:
          "Largest rank change first, then largest total change, then unit id. Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor or a filter is refused.",
        args: {
          group: t.arg.id({
            description:
              "Only units in this group on either side: a unit the scenario's `data` moves from one group to another is in both.",
          }),
          unitIds: t.arg.idList({ description: "Only these units." }),
          movedOnly: t.arg.boolean({
            description:
              "Only units whose rank, grade or total changed: a rank that appears or disappears, and a change of group, count as a change of rank.",
          }),
        },
        resolve: (w, args, _ctx, info) => {
          // Rows are selected on the engine's columns and built only for the page asked for.
          const rows = w.result.unitChanges;
          const positions = selectRows(w, args);
          return offsetConnection(
            { args, info, owner: w.owner, totalCount: positions.length },
            ({ offset, limit }) =>
              positions
                .slice(offset, offset + limit)
                .map((k): Row => ({ cycleId: w.scored.cycle.id, item: rows.at(k), sides: w })),
          );
        },
      },
      counted("Units that pass the filter, on every page together."),
    ),
    swapCount: t.int({ resolve: (w) => w.result.swapCount }),
    swaps: t.connection(
      {
        type: SwapRef,
        nullable: true,
        description:
          "Who overtook whom, within groups. Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor or a filter is refused.",
        args: {
          group: t.arg.id(),
          unitId: t.arg.id({ description: "Only swaps this unit took part in (either side)." }),
        },
        resolve: (w, args, _ctx, info) => {
          // The checks of `units`, its group and unit alike; an empty unit list selects no row.
          selectRows(w, { ...args, unitIds: [] });
          const unit = args.unitId != null ? String(args.unitId) : null;
          const list = w.result.swaps.filter(
            (s) =>
              (args.group == null || s.group === String(args.group)) &&
              (unit === null || s.overtaker === unit || s.overtaken === unit),
          );
          return listConnection({ args, info, owner: w.owner }, list, inCycle(w.scored.cycle.id));
        },
      },
      counted("Swaps that pass the filter, on every page together."),
    ),
    gradeChanges: t.connection(
      {
        type: GradeChangeRef,
        nullable: true,
        description:
          "Units whose grade differs between the baseline and the scenario, in the dataset's unit order. Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor is refused.",
        resolve: (w, args, _ctx, info) =>
          listConnection({ args, info, owner: w.owner }, w.result.gradeChanges, (g) => g),
      },
      counted("Units whose grade changed, on every page together."),
    ),
    eligibilityChanges: t.connection(
      {
        type: EligibilityChangeRef,
        nullable: true,
        description:
          "Units whose eligibility for excellence or for an award differs between the baseline and the scenario, in the dataset's unit order. Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor is refused.",
        resolve: (w, args, _ctx, info) =>
          listConnection({ args, info, owner: w.owner }, w.result.eligibilityChanges, (e) => e),
      },
      counted("Units whose eligibility changed, on every page together."),
    ),
    groups: t.field({
      type: [RankAgreementRef],
      description:
        "A row for every group of the scenario's scheme, in its order, as `ranking` has, then one for every group only the baseline's scheme has (a comparison of two cycles or scheme versions; `heldBy` says which): " +
        "a group where no unit is ranked on both sides (unranked, no unit scored, or a group one side lacks) has `units` 0, `unitsMoved` 0 and null statistics.",
      resolve: (w) => everyGroup(w, w.result.groups),
    }),
    overall: t.field({ type: RankAgreementRef, resolve: (w) => w.result.overall }),
  }),
});

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
      spend(ctx.work, cost.scenario(unitsOf(scored)), saved ? "scenarioId" : "scenario", "this what-if");
      const baseline = await ctx.baselines.get(scored);
      const scenario = withCarriedVetoIds(asScenario(document), baseline.dataset);
      const result = engineCall(() =>
        saved ? onSaved(saved, () => runScenario(baseline, scenario)) : runScenario(baseline, scenario),
      );
      // The scenario side's reasons cost the engine one compose of the scenario, made on first
      // read, unless its stage two was the pipeline itself: priced once, as the run was.
      let reasonsPriced = result.stageTwo === "compose";
      const beforeScenarioReasons = () => {
        if (reasonsPriced) return;
        spend(
          ctx.work,
          cost.scenario(unitsOf(scored)),
          saved ? "scenarioId" : "scenario",
          "this what-if's eligibility reasons",
        );
        reasonsPriced = true;
      };
      // A saved scenario is the owner and its document a revision of it: a cursor from before it
      // was edited is stale, not one of another what-if. An inline one is its document.
      const owner = {
        kind: "what-if",
        id: JSON.stringify(
          saved ? [scored.cycle.id, "saved", saved.id] : [scored.cycle.id, "inline", document],
        ),
        revision: saved ? savedRevision(scored, saved) : scored.key,
      };
      return {
        scored,
        baseline,
        scenarioId: saved?.id ?? null,
        result,
        beforeScenarioReasons,
        owner,
        // A scenario renames groups or ranks them, never adds, drops or reorders them.
        groupIds: scored.evaluation.groups.map((g) => g.id),
      };
    },
  }),
}));
