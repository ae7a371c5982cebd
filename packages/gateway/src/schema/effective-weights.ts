/**
 * Effective weights (有效权重) over GraphQL: the engine's `effectiveWeights` on the cycle's
 * cached evaluation (or its evaluation under a saved scenario), exposed as it returns them.
 * Every figure is the engine's.
 */
import {
  type EffectiveWeightLine,
  type EffectiveWeights,
  type Evaluation,
  effectiveWeights,
  type GroupEffectiveWeights,
  toEvaluation,
} from "@pingyi/engine";
import { builder } from "../builder.js";
import { engineCall } from "../errors.js";
import { type AnalysisBase, baselineFor, scenarioArgument } from "./analysis-common.js";
import { READ_ERRORS } from "./common.js";
import { CycleRef } from "./refs.js";

const EffectiveWeightLineKind = builder.enumType("EffectiveWeightLineKind", {
  values: {
    CATEGORY: { value: "category", description: "A category's points (unrounded)." },
    ADJUSTMENT: {
      value: "adjustment",
      description: "`bonus`, `total-deductions`, or `roll-ups-and-rounding` (what else the total holds).",
    },
  } as const,
});

const EffectiveWeightLineRef = builder.objectRef<EffectiveWeightLine>("EffectiveWeightLine").implement({
  description:
    "One line of a total in a group: its nominal weight (categories) beside its effective weight, the share of the variance of the totals it accounts for.",
  fields: (t) => ({
    part: t.exposeString("part", { description: "A category id, or the adjustment line's name." }),
    kind: t.field({ type: EffectiveWeightLineKind, resolve: (l) => l.kind }),
    name: t.exposeString("name"),
    nominal: t.exposeString("nominal", {
      nullable: true,
      description: "The category's points / the categories' points together, exact; null for an adjustment.",
    }),
    nominalPercent: t.exposeString("nominalPercent", {
      nullable: true,
      description: "`nominal` as a percent, 2 decimals, half-up.",
    }),
    effective: t.exposeString("effective", {
      nullable: true,
      description:
        'cov(line, total) / var(total), exact ("n/d" when not a terminating decimal); the lines of a group add up to exactly 1. May be negative: the line narrows the spread. Null when the group has no spread (see `reason`).',
    }),
    effectivePercent: t.exposeString("effectivePercent", {
      nullable: true,
      description: "`effective` as a percent, 2 decimals, half-up (these may not add up to 100).",
    }),
    covariance: t.exposeString("covariance", {
      nullable: true,
      description: "Population covariance (÷ units) with the total, exact; null with fewer than 2 units.",
    }),
    correlation: t.exposeFloat("correlation", {
      nullable: true,
      description:
        "Pearson's correlation with the total: a statistic in floating point, not an official figure. Null when the line or the total does not vary.",
    }),
  }),
});

const GroupEffectiveWeightsRef = builder.objectRef<GroupEffectiveWeights>("GroupEffectiveWeights").implement({
  description: "Effective weights in one comparability group, from the units that have a total.",
  fields: (t) => ({
    group: t.exposeID("group"),
    name: t.exposeString("name"),
    ranked: t.exposeBoolean("ranked", {
      description: "Unranked groups are computed the same way: their totals still meet the grade thresholds.",
    }),
    units: t.exposeInt("units", { description: "Units with a total: the figures are computed from these." }),
    leftOut: t.exposeInt("leftOut", { description: "Units of the group without a total, left out." }),
    meanTotal: t.exposeString("meanTotal", { nullable: true, description: "Exact; null without units." }),
    variance: t.exposeString("variance", {
      nullable: true,
      description: "Population variance (÷ units) of the totals, exact; null with fewer than 2 units.",
    }),
    standardDeviation: t.exposeFloat("standardDeviation", {
      nullable: true,
      description: "The square root of `variance`, floating point.",
    }),
    reason: t.exposeString("reason", {
      nullable: true,
      description:
        "Why `effective` is null on every line (fewer than 2 units, or equal totals); null otherwise.",
    }),
    lines: t.field({
      type: [EffectiveWeightLineRef],
      description:
        "The categories in the scheme's order, then bonus, total-deductions, roll-ups-and-rounding.",
      resolve: (g) => g.lines,
    }),
  }),
});

interface EffectiveWeightsShape {
  scored: AnalysisBase;
  scenarioId: string | null;
  result: EffectiveWeights;
}

const EffectiveWeightsRef = builder.objectRef<EffectiveWeightsShape>("EffectiveWeights").implement({
  description:
    "How much of the spread of the units' totals each category accounts for, group by group (有效权重), beside its nominal weight. Categories count with their unrounded points (the method's points less the deductions that hit them), as a what-if rescales them; the deductions from the total count as far as the floor at zero took them (`total-deductions`), and sub-unit roll-ups and rounding are the line `roll-ups-and-rounding`.",
  fields: (t) => ({
    cycle: t.field({ type: CycleRef, resolve: (w) => w.scored.cycle }),
    schemeId: t.id({ resolve: (w) => w.result.scheme.id }),
    schemeVersion: t.int({ resolve: (w) => w.result.scheme.version }),
    scenarioId: t.exposeID("scenarioId", {
      nullable: true,
      description: "The saved scenario the weights were computed under; null for the cycle as it stands.",
    }),
    basis: t.string({
      description: "Always `unrounded` (see the type's description).",
      resolve: (w) => w.result.basis,
    }),
    groups: t.field({
      type: [GroupEffectiveWeightsRef],
      description: "In the scheme's group order; only the group asked for when one was.",
      resolve: (w) => w.result.groups,
    }),
  }),
});

/**
 * Results per cached evaluation, or per cached baseline under a saved scenario (a new one for
 * each scenario document): the same evaluation gives the same weights.
 */
const computed = new WeakMap<object, Map<string | null, EffectiveWeights>>();

builder.queryFields((t) => ({
  effectiveWeights: t.field({
    type: EffectiveWeightsRef,
    description:
      "Effective weights of a cycle's categories (有效权重), per group or for one group: what share of the variance of the totals each category accounts for, exactly, beside its nominal weight. Under a saved scenario (`scenarioId`, analyst+), the weights of the cycle as the scenario describes it.",
    // An empty id is an id given (and found nowhere), not an argument left out.
    authScopes: (_p, args) => (args.scenarioId != null ? { analyst: true } : { viewer: true }),
    errors: { types: READ_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      group: t.arg.id({ description: "One group by id; every group of the scheme when left out." }),
      scenarioId: t.arg.id(scenarioArgument),
    },
    resolve: async (_r, args, ctx): Promise<EffectiveWeightsShape> => {
      const cycleId = String(args.cycleId);
      // The cycle as it stands reads its published evaluation; under a scenario, the evaluation
      // of the scenario's baseline (made, and cached, as weightSweep's is), which owns the results.
      let scored: AnalysisBase;
      let owner: object;
      let evaluation: () => Evaluation;
      let scenarioId: string | null = null;
      if (args.scenarioId != null) {
        const under = await baselineFor(
          ctx,
          cycleId,
          args.scenarioId,
          "these effective weights under a scenario",
        );
        ({ scored, scenarioId } = under);
        owner = under.baseline;
        evaluation = () => toEvaluation(under.baseline.exact);
      } else {
        const published = await ctx.loaders.evaluation.load(cycleId);
        scored = owner = published;
        evaluation = () => published.evaluation;
      }
      const group = args.group != null ? String(args.group) : undefined;
      let byGroup = computed.get(owner);
      if (!byGroup) {
        byGroup = new Map();
        computed.set(owner, byGroup);
      }
      // An empty id is an id given (and found nowhere), not every group.
      const key = group ?? null;
      let result = byGroup.get(key);
      if (!result) {
        // The engine names an unknown group at `group`, the argument as sent here.
        result = engineCall(
          () => effectiveWeights(scored.compiled, evaluation(), group === undefined ? {} : { group }),
          { argument: "" },
        );
        byGroup.set(key, result);
      }
      return { scored, scenarioId, result };
    },
  }),
}));
