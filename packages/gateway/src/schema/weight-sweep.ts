/** weightSweep: one category's points over a range, with exact breakpoints. */
import {
  breakpointCount,
  type ExactInterval,
  exactToNumber,
  type RankSegment,
  sweepDefaults,
  sweepWork,
  type UnitSweep,
  type WeightSweepResult,
  weightSweep,
} from "@pingyi/engine";
import { z } from "zod";
import { builder } from "../builder.js";
import { engineCall } from "../errors.js";
import { cost, SWEEP_SEGMENTS_PER_REQUEST, spendOnRun } from "../limits.js";
import { ValidationError } from "../store/index.js";
import {
  ANALYSIS_ERRORS,
  type AnalysisBase,
  baselineFor,
  canonical,
  DECIMAL_ARGUMENT,
  decimal,
  groupSizes,
  groupsKey,
  type InCycle,
  inCycle,
  refuseManyUnknownGroups,
  scenarioArgument,
  unitField,
  unitsPassing,
} from "./analysis-common.js";
import { counted, cutToRoom, type ListOwner, listConnection } from "./pages.js";
import { selects } from "./selects.js";
import { check } from "./validate.js";

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
    nominalRank: t.int({
      nullable: true,
      description:
        "The rank at the nominal points under the sweep's convention (`rounding`: totals unrounded): the segment holding the nominal says the same. Not always the official rank: two units whose published totals tie, ranked by a tie-breaker there, are ranked here by their unrounded totals (`ranking`, `whatIf` and `uncertainty.nominalRank` give the official one). Null when the nominal points lie outside the sweep, or the unit is not ranked.",
      resolve: (u) => u.item.nominal?.rank ?? null,
    }),
    nominalGrade: t.string({
      nullable: true,
      description:
        "The grade at the nominal points under the sweep's convention, as `nominalRank`; null when the nominal lies outside the sweep or the unit has no total.",
      resolve: (u) => u.item.nominal?.grade ?? null,
    }),
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
  .objectRef<{
    cycleId: string;
    scenarioId: string | null;
    scored: AnalysisBase;
    result: WeightSweepResult;
    owner: ListOwner;
  }>("WeightSweep")
  .implement({
    description:
      "One-at-a-time sweep of a category's points. Breakpoints are where exact UNROUNDED totals cross (rounded totals are step functions); exactly at a breakpoint the units concerned tie.",
    fields: (t) => ({
      cycleId: t.exposeID("cycleId"),
      scenarioId: t.exposeID("scenarioId", {
        nullable: true,
        description: "The saved scenario the sweep is under; null for the cycle as it stands.",
      }),
      category: t.string({ resolve: (s) => s.result.category }),
      others: t.field({ type: SweepOthers, resolve: (s) => s.result.others }),
      donor: t.string({
        nullable: true,
        description: "The category that gives the points under TRANSFER; null otherwise.",
        resolve: (s) => s.result.donor,
      }),
      from: t.string({
        description: 'The `from` swept (default filled in), in one spelling: "010.0" and "+10" are "10".',
        resolve: (s) => s.result.from,
      }),
      to: t.string({ description: "The `to` swept, as `from`.", resolve: (s) => s.result.to }),
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
      units: t.connection(
        {
          type: UnitSweepRef,
          nullable: true,
          description: `In the dataset's unit order. Default 100 rows, at most 2,000 per page. A page that asks for \`segments\` or \`breakpoints\` also holds at most ${SWEEP_SEGMENTS_PER_REQUEST.toLocaleString("en")} segments, together with every other sweep page of the request: it ends before the unit that would pass them (\`hasNextPage\` true, \`endCursor\` its last unit; under \`last\`, \`hasPreviousPage\` and \`startCursor\`), so it may hold fewer units than \`first\` asks, and always holds one. Null, with the error at its path, when its cursor or a filter is refused.`,
          args: { group: t.arg.id(), unitIds: t.arg.idList() },
          resolve: (s, args, ctx, info) => {
            const list = unitsPassing(s.scored, s.result.units, args, s.result.groups);
            // The count lets `last` page back from the end, as on every list held in memory.
            const page = listConnection({ args, info, owner: s.owner }, list, inCycle(s.cycleId));
            // A page that writes no segments out is as small as any list's: it is not cut.
            if (!selects(info, ["edges", "node"], ["segments", "breakpoints"])) return page;
            return page.then((full) => {
              const { page: cut, weight } = cutToRoom(full, {
                weigh: (u) => u.item.segments.length,
                room: ctx.work.segments,
                fromEnd: args.last != null,
              });
              ctx.work.segments = Math.max(0, ctx.work.segments - weight);
              return cut;
            });
          },
        },
        counted("Units that pass the filters, on every page together."),
      ),
    }),
  });

builder.queryFields((t) => ({
  weightSweep: t.field({
    type: WeightSweepRef,
    description:
      "Sweeps one category's points from `from` to `to` (analyst+) and reports, per unit, the exact points where its rank or grade changes. Priced before it runs by the engine's estimate of its work, which follows the pairs of units that cross in the range (many for a large group whose scores tie a lot, swept far; few over a narrow range), not its groups' sizes alone; refused, at `category`, when that passes what the request has left.",
    authScopes: { analyst: true },
    errors: { types: ANALYSIS_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      category: t.arg.id({ required: true }),
      from: t.arg.string({ description: `${DECIMAL_ARGUMENT}; default 0.` }),
      to: t.arg.string({
        description: `${DECIMAL_ARGUMENT}; default the sum of every category's points, or under TRANSFER the category's and the donor's points together (and at most that).`,
      }),
      others: t.arg({ type: SweepOthers, defaultValue: "fixed" }),
      donor: t.arg.id({
        description:
          "The category that gives the points under TRANSFER, e.g. organ construction (with public evaluation swept) for the 2019 reform; required there, refused otherwise.",
      }),
      groups: t.arg.idList({
        description:
          "Only these groups' units are swept; default every group. Each group is ranked on its own, so its units come out as in a sweep of every group, and a sweep of one group of a province costs a fiftieth of the whole — unless a grade quota spans all ranked units (scope overall): their grades then need one more walk over all of them, whatever groups are asked for, priced by the crossings of all of them in the range (see `weightSweep`).",
      }),
      scenarioId: t.arg.id(scenarioArgument),
    },
    resolve: async (_r, args, ctx) => {
      const range = check(
        z.object({ from: decimal.nullish(), to: decimal.nullish() }),
        { from: args.from, to: args.to },
        "",
      );
      const { scored, baseline, scenarioId } = await baselineFor(
        ctx,
        String(args.cycleId),
        args.scenarioId,
        "this sweep under a scenario",
      );
      const groups = args.groups?.map(String);
      refuseManyUnknownGroups(scored, groups);
      // The engine checks the donor; an empty id is an id given, refused by name.
      const mode = {
        category: String(args.category),
        others: args.others ?? "fixed",
        ...(args.donor != null ? { donor: String(args.donor) } : {}),
      };
      // The engine gets only the ends the caller gave: an end past a left-out one is refused at
      // the end given ("from: must be below the scheme's total of 100 …"), which a default filled
      // in here would turn into "to: must be greater than from".
      const options = {
        ...mode,
        ...(range.from != null ? { from: canonical(range.from) } : {}),
        ...(range.to != null ? { to: canonical(range.to) } : {}),
      };
      // The cache key and the cursors' owner have the defaults filled in (the engine's own: under
      // TRANSFER `to` is the donor's and the category's points) and decimals canonical ("50.0" is
      // "50"), so every spelling of one sweep runs once.
      const defaults = sweepDefaults(baseline, mode);
      const ends = { ...mode, from: options.from ?? defaults.from, to: options.to ?? defaults.to };
      // Taken as a scheme's points are (a thousand digits), but the answer's fromApprox and
      // toApprox are doubles: past them a field would fail rather than the argument. Within
      // from and to, every point of the answer is then finite too.
      if (!Number.isFinite(exactToNumber(ends.to)))
        throw new ValidationError([
          {
            path: "to",
            message:
              "is too large to sweep: the answer's fromApprox and toApprox (doubles) could not show it",
          },
        ]);
      // The engine gets the groups as asked, so that an unknown one is named by its place.
      const key = groups ? { ...ends, groups: groupsKey(groups) } : ends;
      const asked = groups ? { ...options, groups } : options;
      const categories = baseline.compiled.scheme.categories.length;
      // Priced before it runs, from the engine's estimate of the crossings it will step through
      // (with its options checked there): one walk per ranked group asked for, and one over every
      // ranked unit under a grade quota over all of them, whatever groups says. Each page of a
      // cached sweep is priced again, from the estimate kept with it; only a sweep run here is
      // charged to the subject's minute.
      const estimated = cost.sweepAtLeast(
        groupSizes(scored, groups).reduce((a, b) => a + b, 0),
        categories,
      );
      const work = await ctx.baselines.estimate(scored, "sweep", key, {
        // The estimate is work of its own (~120 ms at province scale, for each range asked),
        // charged to the subject's minute when it is made, at the least a sweep of these units
        // can cost: uncharged, a subject past its minute could have the gateway estimate sweeps
        // all minute long, each refused only once priced.
        beforeRun: () => ctx.work.charge(estimated, "this sweep's estimate"),
        compute: () => engineCall(() => sweepWork(baseline, asked), { scenario: "" }),
      });
      const charge = spendOnRun(
        ctx.work,
        cost.sweep(work, categories),
        "category",
        work.overall === null
          ? "this sweep"
          : `this sweep (its grade quota over all ranked units walks all ${work.overall.units.toLocaleString("en")} of them together)`,
      );
      const result = await ctx.baselines.analysis(scored, "sweep", key, {
        beforeRun: charge,
        compute: () => engineCall(() => weightSweep(baseline, asked), { scenario: "" }),
      });
      const owner = {
        kind: "weight sweep",
        id: JSON.stringify([scored.cycle.id, scenarioId, key]),
        revision: scored.key,
      };
      return { cycleId: scored.cycle.id, scenarioId, scored, result, owner };
    },
  }),
}));
