/**
 * A unit's strengths and weaknesses (优势与短板) over GraphQL: the engine's
 * `strengthsAndWeaknesses` on the cycle's cached evaluation, or on its evaluation under a saved
 * scenario, exposed as it returns them.
 */
import { type CategoryStanding, strengthsAndWeaknesses, type UnitStrengths } from "@pingyi/engine";
import { builder } from "../builder.js";
import { unitKey } from "../context.js";
import { engineCall } from "../errors.js";
import { NotFoundError } from "../store/index.js";
import { READ_ERRORS } from "./common.js";
import { UnitRef } from "./refs.js";
import { evaluationUnder, loadSaved } from "./scenario-runs.js";

const CategoryStandingRef = builder.objectRef<CategoryStanding>("CategoryStanding").implement({
  description: "A unit's standing in one category among the units of its group.",
  fields: (t) => ({
    category: t.exposeString("category"),
    name: t.exposeString("name"),
    status: t.exposeString("status", { description: "scored | insufficient" }),
    points: t.exposeString("points", {
      nullable: true,
      description: "As published; null when insufficient.",
    }),
    maxPoints: t.exposeString("maxPoints", { description: "The category's maximum, as published." }),
    share: t.exposeString("share", {
      nullable: true,
      description: "points / maxPoints, exact; null when insufficient or the category is worth 0 points.",
    }),
    sharePercent: t.exposeString("sharePercent", {
      nullable: true,
      description: "`share` as a percent, 2 decimals, half-up.",
    }),
    rank: t.exposeInt("rank", {
      nullable: true,
      description:
        "Competition rank (1224) of the unit's published points among the group's units with points in this category; null when insufficient.",
    }),
    of: t.exposeInt("of", { description: "Units of the group with points in this category." }),
    median: t.exposeString("median", {
      nullable: true,
      description: "The group's median points here, exact (mean of the middle two for an even count).",
    }),
    gapToMedian: t.exposeString("gapToMedian", {
      nullable: true,
      description: "points − median, exact; null when insufficient.",
    }),
  }),
});

interface UnitProfileShape {
  cycleId: string;
  scenarioId: string | null;
  result: UnitStrengths;
}

const UnitProfileRef = builder.objectRef<UnitProfileShape>("UnitProfile").implement({
  description:
    "A unit's strengths and weaknesses (优势与短板): its rank in each category within its group, share of maximum and gap to the group's median, and its strongest and weakest categories by that rank.",
  fields: (t) => ({
    cycleId: t.exposeID("cycleId"),
    scenarioId: t.exposeID("scenarioId", { nullable: true }),
    unitId: t.id({ resolve: (p) => p.result.unit }),
    name: t.string({ resolve: (p) => p.result.name }),
    group: t.id({ resolve: (p) => p.result.group }),
    unit: t.field({
      type: UnitRef,
      nullable: true,
      resolve: async (p, _a, ctx) => {
        const unit = await ctx.loaders.unit.load(unitKey(p.cycleId, p.result.unit));
        return unit ? { cycleId: p.cycleId, unit } : null;
      },
    }),
    groupRanked: t.boolean({
      description: "Whether the group is ranked; category ranks are comparisons within it either way.",
      resolve: (p) => p.result.groupRanked,
    }),
    total: t.string({ nullable: true, resolve: (p) => p.result.total }),
    rank: t.int({ nullable: true, resolve: (p) => p.result.rank }),
    rankedInGroup: t.int({ resolve: (p) => p.result.rankedInGroup }),
    count: t.int({
      description:
        "How many categories `strongest` and `weakest` each hold: the count asked for, at most half the categories the unit has a rank in.",
      resolve: (p) => p.result.count,
    }),
    categories: t.field({
      type: [CategoryStandingRef],
      description: "In the scheme's order.",
      resolve: (p) => p.result.categories,
    }),
    strongest: t.field({
      type: [CategoryStandingRef],
      description: "Best first: by rank, then share of maximum, then the scheme's order.",
      resolve: (p) => p.result.strongest,
    }),
    weakest: t.field({
      type: [CategoryStandingRef],
      description: "Weakest first, in the reverse of that order.",
      resolve: (p) => p.result.weakest,
    }),
  }),
});

builder.queryFields((t) => ({
  unitProfile: t.field({
    type: UnitProfileRef,
    description:
      "A unit's strengths and weaknesses (优势与短板) in a cycle, optionally under a saved scenario (analyst+).",
    authScopes: (_p, args) => (args.scenarioId != null ? { analyst: true } : { viewer: true }),
    errors: { types: READ_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      unitId: t.arg.id({ required: true }),
      count: t.arg.int({
        description:
          "How many strongest and weakest categories (default 1: with three categories, one in the middle).",
      }),
      scenarioId: t.arg.id({
        description: "A saved scenario of the cycle: the unit as that scenario scores it.",
      }),
    },
    resolve: async (_r, args, ctx) => {
      const scored = await ctx.loaders.evaluation.load(String(args.cycleId));
      const scenario =
        args.scenarioId != null ? await loadSaved(ctx, scored.cycle.id, String(args.scenarioId)) : null;
      const evaluation = scenario ? await evaluationUnder(ctx, scored, scenario) : scored.evaluation;
      const unitId = String(args.unitId);
      if (!evaluation.units.some((u) => u.unit === unitId)) throw new NotFoundError("unit", unitId);
      const options = args.count != null ? { count: args.count } : {};
      // The engine names a bad count at `count`, the argument as sent here.
      const result = engineCall(() => strengthsAndWeaknesses(evaluation, unitId, options), { argument: "" });
      return { cycleId: scored.cycle.id, scenarioId: scenario?.id ?? null, result };
    },
  }),
}));
