import { compareUnits, unknownId } from "@pingyi/engine";
import { builder } from "../builder.js";
import { engineCall } from "../errors.js";
import { resultOf } from "../evaluations.js";
import { NotFoundError, ValidationError } from "../store/index.js";
import { READ_ERRORS } from "./common.js";
import { arrayConnection } from "./pages.js";
import { CycleRef, RankingRef, type RankingShape } from "./refs.js";
import { ComparisonRef, Flag, flags, UnitResultRef } from "./results.js";
import { evaluationUnder, loadSaved, savedRevision } from "./scenario-runs.js";

const RankingGroup = builder
  .objectRef<RankingShape["evaluation"]["groups"][number]>("RankingGroup")
  .implement({
    fields: (t) => ({
      id: t.exposeID("id"),
      name: t.exposeString("name"),
      ranked: t.exposeBoolean("ranked"),
      units: t.exposeInt("units"),
      rankedUnits: t.exposeInt("rankedUnits"),
    }),
  });

RankingRef.implement({
  description: "A cycle's ranking table as the engine published it, by group then rank.",
  fields: (t) => ({
    cycle: t.field({ type: CycleRef, resolve: (r) => r.scored.cycle }),
    schemeId: t.id({ resolve: (r) => r.scored.scheme.schemeId }),
    schemeVersion: t.int({ resolve: (r) => r.scored.scheme.version }),
    scenarioId: t.id({ nullable: true, resolve: (r) => r.scenarioId }),
    group: t.id({
      nullable: true,
      description: "The group asked for; null for all.",
      resolve: (r) => r.group,
    }),
    maxTotal: t.string({ resolve: (r) => r.evaluation.maxTotal }),
    decimals: t.int({ resolve: (r) => r.evaluation.decimals }),
    groups: t.field({ type: [RankingGroup], resolve: (r) => r.evaluation.groups }),
    entries: t.connection({
      type: UnitResultRef,
      nullable: true,
      description:
        "Default 100 rows, at most 2,000 per page, optionally only those with one flag. Null, with the error at its path, when its cursor or a filter is refused.",
      args: {
        flag: t.arg({
          type: Flag,
          description:
            "Only the entries with this flag: `INSUFFICIENT` lists the units without a total (`Cycle.unscoredUnits` counts them), each category's `reason` saying why.",
        }),
      },
      resolve: (r, args, _ctx, info) =>
        arrayConnection(
          {
            args,
            info,
            // The group and scenario make another table of the cycle.
            owner: {
              kind: "ranking",
              id: JSON.stringify([r.scored.cycle.id, r.group, r.scenarioId]),
              revision: r.revision,
            },
          },
          r.evaluation.units
            .filter((u) => r.group === null || u.group === r.group)
            .filter((u) => args.flag == null || flags(u).includes(args.flag))
            .map((result) => ({ cycleId: r.scored.cycle.id, result })),
        ),
    }),
  }),
});

builder.queryFields((t) => ({
  ranking: t.field({
    type: RankingRef,
    description:
      "The ranking of a cycle, optionally of one group, optionally under a saved scenario (analyst+).",
    // An empty id is an id given (and found nowhere), not an argument left out.
    authScopes: (_p, args) => (args.scenarioId != null ? { analyst: true } : { rankings: true }),
    errors: { types: READ_ERRORS },
    args: { cycleId: t.arg.id({ required: true }), group: t.arg.id(), scenarioId: t.arg.id() },
    resolve: async (_r, args, ctx) => {
      const scored = await ctx.loaders.evaluation.load(String(args.cycleId));
      const group = args.group != null ? String(args.group) : null;
      if (group !== null && !scored.evaluation.groups.some((g) => g.id === group)) {
        const known = new Set(scored.evaluation.groups.map((g) => g.id));
        throw new ValidationError([{ path: "group", message: unknownId("group", group, known, true) }]);
      }
      if (args.scenarioId == null)
        return { scored, evaluation: scored.evaluation, group, scenarioId: null, revision: scored.key };
      const scenario = await loadSaved(ctx, scored.cycle.id, String(args.scenarioId));
      const evaluation = await evaluationUnder(ctx, scored, scenario);
      // A cursor from before the scenario was edited pages a table that is no longer served.
      return {
        scored,
        evaluation,
        group,
        scenarioId: scenario.id,
        revision: savedRevision(scored, scenario),
      };
    },
  }),
  scoreBreakdown: t.field({
    type: UnitResultRef,
    description: "One unit's result with the engine's full explanation trace.",
    authScopes: { viewer: true },
    errors: { types: READ_ERRORS },
    args: { cycleId: t.arg.id({ required: true }), unitId: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const scored = await ctx.loaders.evaluation.load(String(args.cycleId));
      const result = resultOf(scored.evaluation, String(args.unitId));
      if (!result) throw new NotFoundError("unit", String(args.unitId));
      return { cycleId: scored.cycle.id, result };
    },
  }),
  compare: t.field({
    type: ComparisonRef,
    description: "Why unit A is above (or below) unit B in a cycle.",
    authScopes: { viewer: true },
    errors: { types: READ_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      unitA: t.arg.id({ required: true }),
      unitB: t.arg.id({ required: true }),
    },
    resolve: async (_r, args, ctx) => {
      const scored = await ctx.loaders.evaluation.load(String(args.cycleId));
      // The engine reports an unknown unit on `unitA` / `unitB`, the arguments as sent here.
      return engineCall(() => compareUnits(scored.evaluation, String(args.unitA), String(args.unitB)), {
        argument: "",
      });
    },
  }),
}));
