/** leaveOneOut: each category dropped in turn. */
import { type LeftOutCategory, leaveOneOut } from "@pingyi/engine";
import { builder } from "../builder.js";
import { engineCall } from "../errors.js";
import { cost, spendOnRun } from "../limits.js";
import {
  ANALYSIS_ERRORS,
  type AnalysisBase,
  baselineFor,
  checkFilters,
  finite,
  type InCycle,
  inCycle,
  scenarioArgument,
  unitField,
  unitsOf,
} from "./analysis-common.js";
import { counted, type ListOwner, listConnection } from "./pages.js";

const RankShiftRef = builder.objectRef<InCycle<LeftOutCategory["shifts"][number]>>("RankShift").implement({
  fields: (t) => ({
    unitId: t.id({ resolve: (s) => s.item.unit }),
    unit: t.field(unitField<LeftOutCategory["shifts"][number]>((s) => s.unit)),
    rank: t.int({ nullable: true, description: "The official rank.", resolve: (s) => s.item.rank }),
    rankWithout: t.int({
      nullable: true,
      description: "The rank with the category left out.",
      resolve: (s) => s.item.rankWithout,
    }),
    rankDelta: t.int({
      nullable: true,
      description: "rankWithout − rank. Positive: the unit fell.",
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
    shifts: t.connection(
      {
        type: RankShiftRef,
        nullable: true,
        description:
          "Largest rank change first. Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor or a filter is refused.",
        resolve: (c, args, _ctx, info) =>
          listConnection({ args, info, owner: c.owner }, c.item.shifts, inCycle(c.cycleId)),
      },
      counted("Every unit, on every page together (`unitsMoved` counts those whose rank changes)."),
    ),
  }),
});

const LeaveOneOutRef = builder
  .objectRef<{
    scored: AnalysisBase;
    scenarioId: string | null;
    rescale: boolean;
    categories: LeftOutCategory[];
  }>("LeaveOneOut")
  .implement({
    description:
      "Each category set to 0 points in turn (with `rescale`, the others scaled up to keep the total), run as an exact scenario.",
    fields: (t) => ({
      cycleId: t.id({ resolve: (l) => l.scored.cycle.id }),
      scenarioId: t.exposeID("scenarioId", {
        nullable: true,
        description: "The saved scenario the run is under; null for the cycle as it stands.",
      }),
      rescale: t.exposeBoolean("rescale"),
      categories: t.field({
        type: [LeftOutRef],
        // A refused filter nulls this list, not the whole answer (as for every paged list).
        nullable: { list: true, items: false },
        description:
          "The categories the ranking leans on most first (largest mean absolute rank shift). With `category`, " +
          "that one only: its shifts can then be paged on their own. A category the scheme does not have is refused " +
          "(`VALIDATION` on `category`): the list is then null, with the error at its path, not an empty list.",
        args: { category: t.arg.id() },
        resolve: (l, args) => {
          checkFilters(l.scored, { category: args.category });
          const cycleId = l.scored.cycle.id;
          return l.categories
            .filter((c) => args.category == null || c.category === String(args.category))
            .map((item) => ({
              cycleId,
              item,
              owner: {
                kind: "left-out category",
                id: JSON.stringify([cycleId, l.scenarioId, l.rescale, item.category]),
                revision: l.scored.key,
              },
            }));
        },
      }),
    }),
  });

builder.queryFields((t) => ({
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
      scenarioId: t.arg.id(scenarioArgument),
    },
    resolve: async (_r, args, ctx) => {
      const { scored, baseline, scenarioId } = await baselineFor(
        ctx,
        String(args.cycleId),
        args.scenarioId,
        "leave-one-out under a scenario",
      );
      const charge = spendOnRun(
        ctx.work,
        cost.leaveOneOut(unitsOf(scored), baseline.compiled.scheme.categories.length),
        "cycleId",
        "leave-one-out on this cycle",
      );
      const rescale = args.rescale ?? false;
      // Cached: each category's shifts are paged on their own, and every page would otherwise
      // re-run all categories (tens of seconds of CPU at province scale). Each page is priced
      // again; only a run made here is charged to the subject's minute.
      const categories = await ctx.baselines.analysis(
        scored,
        "leave-one-out",
        { rescale },
        {
          beforeRun: charge,
          compute: () => engineCall(() => leaveOneOut(baseline, { rescale }), { scenario: "" }),
        },
      );
      return { scored, scenarioId, rescale, categories };
    },
  }),
}));
