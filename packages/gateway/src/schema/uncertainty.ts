/** uncertainty: seeded Monte-Carlo over the weights (and optionally alternative rules). */
import {
  applyScenario,
  type Baseline,
  type CategoryRange,
  checkAlternatives,
  InputError,
  type MonteCarloOptions,
  type MonteCarloResult,
  type MonteCarloUnit,
  monteCarlo,
  samplerDefaults,
} from "@pingyi/engine";
import { z } from "zod";
import { builder } from "../builder.js";
import { engineCall } from "../errors.js";
import { cost, MAX_ALTERNATIVES, MAX_SAMPLES, spendOnRun } from "../limits.js";
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
  unitsOf,
  unitsPassing,
} from "./analysis-common.js";
import { counted, type ListOwner, listConnection } from "./pages.js";
import { asScenario } from "./scenario-runs.js";
import { MAX_SEED } from "./seed.js";
import { check } from "./validate.js";

/** The most draws one `draws` list gives. */
const MAX_DRAWS = 1000;

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
        "Each category drawn within its `bounds`, else within nominal × (1 ± `spread`); with `keepTotal` (the default), draws stay within their bounds and add up to the scheme's total (bounds that cannot reach it are refused), as grades by threshold need; `keepTotal: false` draws each category on its own. The engine's default.",
    },
  } as const,
});

const CategoryBoundsInput = builder.inputType("CategoryBoundsInput", {
  fields: (t) => ({
    category: t.id({ required: true }),
    low: t.string({ required: true, description: `${DECIMAL_ARGUMENT}, e.g. "20".` }),
    high: t.string({ required: true, description: `${DECIMAL_ARGUMENT}, at least \`low\`.` }),
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
      description:
        'e.g. `{ categories: { organ: { method: { aggregation: { type: "mean" } } } } }`. Not a category\'s `points` (each sample draws them), nor `grades`, `groups` or `ranking`.',
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
  /** UNIFORM: the ranges as the engine drew within them; null for DIRICHLET. */
  ranges?: readonly CategoryRange[] | null;
}

interface UncertaintyShape {
  cycleId: string;
  scenarioId: string | null;
  scored: AnalysisBase;
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

const RangeSource = builder.enumType("DrawRangeSource", {
  values: {
    BOUNDS: { value: "bounds", description: "The category's `bounds`, as sent." },
    SPREAD: { value: "spread", description: "Nominal × (1 ± `spread`): the category has no bounds." },
  },
});

const DrawRangeRef = builder.objectRef<CategoryRange>("CategoryDrawRange").implement({
  description:
    "The range one category's points were drawn within, in floating point as the draws are (statistics, not official values).",
  fields: (t) => ({
    category: t.exposeID("category"),
    low: t.exposeFloat("low"),
    high: t.exposeFloat("high"),
    from: t.field({ type: RangeSource, resolve: (r) => r.from }),
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
    seed: t.expose("seed", { type: "Seed" }),
    distribution: t.field({ type: WeightDistribution, resolve: (p) => p.distribution }),
    concentration: t.exposeFloat("concentration", {
      nullable: true,
      description: "DIRICHLET: the concentration used.",
    }),
    spread: t.exposeFloat("spread", {
      nullable: true,
      description:
        "UNIFORM: the spread the categories without bounds were drawn with; null when every category has bounds (none was), and for DIRICHLET.",
    }),
    bounds: t.field({
      type: [BoundsRef],
      nullable: true,
      description:
        'The bounds sent, in their order, each end in one spelling as the sweep\'s `from` and `to` ("050.0" and "+50" are "50"). Null (or a category left out): drawn within nominal × (1 ± `spread`).',
      resolve: (p) => p.bounds,
    }),
    keepTotal: t.exposeBoolean("keepTotal", {
      description: "Whether every draw sums to the scheme's total (always for DIRICHLET).",
    }),
    alternatives: t.field({ type: [AlternativeRef], resolve: (p) => p.alternatives }),
    ranges: t.field({
      type: [DrawRangeRef],
      nullable: true,
      description:
        "UNIFORM: every category's range, in the scheme's order, as the draws used it (a category left out of `bounds` drawn within nominal × (1 ± `spread`)); `keepTotal` keeps each draw within it too. Null for DIRICHLET, whose draws have no range but the concentration.",
      resolve: (p) => p.ranges ?? null,
    }),
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
      description:
        "Share of samples in which the unit was ranked last in its group, or placed last by a veto (forceLast), as the evaluation's last place is.",
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
    scenarioId: t.exposeID("scenarioId", {
      nullable: true,
      description: "The saved scenario the run is under; null for the cycle as it stands.",
    }),
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
    units: t.connection(
      {
        type: UncertaintyUnitRef,
        nullable: true,
        description:
          "In the dataset's unit order. Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor or a filter is refused.",
        args: { group: t.arg.id(), unitIds: t.arg.idList() },
        resolve: (u, args, _ctx, info) => {
          const list = unitsPassing(u.scored, u.result.units, args, u.result.groups);
          return listConnection({ args, info, owner: u.owner }, list, inCycle(u.cycleId));
        },
      },
      counted("Units that pass the filters, on every page together."),
    ),
    draws: t.field({
      type: [DrawRef],
      // A refused page nulls this list, not the whole answer (as for every paged list).
      nullable: { list: true, items: false },
      description: `Every sample's drawn points, \`limit\` (at most ${MAX_DRAWS.toLocaleString("en")}; more is refused) from \`offset\`. Null, with the error at its path, when \`offset\` or \`limit\` is refused.`,
      args: { offset: t.arg.int({ defaultValue: 0 }), limit: t.arg.int({ defaultValue: 100 }) },
      resolve: (u, args) => {
        const offset = args.offset ?? 0;
        const limit = args.limit ?? 100;
        // A negative offset or limit is a mistake: read as 0 it would answer the wrong page. A
        // limit past the largest is refused, not cut as a connection's `first` is: a bare list
        // has no hasNextPage to say that draws were left out.
        const issues: { path: string; message: string }[] = [];
        if (offset < 0) issues.push({ path: "offset", message: "must not be negative" });
        if (limit < 0) issues.push({ path: "limit", message: "must not be negative" });
        if (limit > MAX_DRAWS)
          issues.push({
            path: "limit",
            message: `must be at most ${MAX_DRAWS.toLocaleString("en")}, not ${limit} (read the rest from a later offset)`,
          });
        if (issues.length) throw new ValidationError(issues);
        const end = Math.min(u.result.samples, offset + limit);
        return Array.from({ length: Math.max(0, end - offset) }, (_, i) => ({
          sample: offset + i,
          result: u.result,
        }));
      },
    }),
  }),
});

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

builder.queryFields((t) => ({
  uncertainty: t.field({
    type: UncertaintyRef,
    description: `Seeded Monte-Carlo over the category points (analyst+): each unit's median rank, 5th–95th percentile and chances of the first grade and of last place. At most ${MAX_SAMPLES.toLocaleString("en")} samples; reproducible from the seed.`,
    authScopes: { analyst: true },
    errors: { types: ANALYSIS_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      samples: t.arg.int({ defaultValue: 1000, description: `1 to ${MAX_SAMPLES}.` }),
      seed: t.arg({
        type: "Seed",
        required: true,
        description: `0 to ${MAX_SEED} (2³² − 1), as the engine takes; the same seed gives the same result.`,
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
          "Only these groups' units are ranked and reported; default every group. The draws do not depend on it, and each group is ranked on its own, so its units come out as in a run over every group with the same seed, for a fraction of the work (not of the alternatives': an alternative's rules re-score every unit of the cycle, and are priced so).",
      }),
      scenarioId: t.arg.id(scenarioArgument),
    },
    resolve: async (_r, args, ctx): Promise<UncertaintyShape> => {
      const dirichlet = args.distribution === "dirichlet";
      const only = (kind: string) => `only with distribution ${kind}`;
      const parsed = check(
        z
          .object({
            samples: z.number().int().min(1).max(MAX_SAMPLES),
            seed: z.number().int().min(0).max(MAX_SEED),
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
      const { scored, baseline, scenarioId } = await baselineFor(
        ctx,
        String(args.cycleId),
        args.scenarioId,
        "this Monte-Carlo run under a scenario",
      );
      const alternatives = (parsed.alternatives ?? []).map((a) => ({ name: a.name, patch: a.patch }));
      const groups = args.groups?.map(String);
      refuseManyUnknownGroups(scored, groups);
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
            // The engine's own default, so that every spelling of one run is one cache entry;
            // what is shown is what the engine says it drew with (below).
            spread: parsed.spread ?? samplerDefaults.spread,
            // Each end in one spelling, low and high alike, as the sweep echoes from and to.
            bounds:
              parsed.bounds?.map((b) => ({
                category: b.category,
                low: canonical(b.low),
                high: canonical(b.high),
              })) ?? null,
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
      // As the sweep's: decimals canonical (above), bounds in category order (the engine reads
      // them by category); a patch goes as sent, since its key order is the document's.
      const key = {
        ...parameters,
        bounds:
          parameters.bounds
            ?.slice()
            .sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : 0)) ?? null,
        alternatives: alternatives.map((a) => ({ name: a.name, patch: JSON.stringify(a.patch) })),
        groups: groupsKey(groups),
      };
      const spending = {
        amount: cost.monteCarlo(
          groupSizes(scored, groups).reduce((a, b) => a + b, 0),
          parsed.samples,
          alternatives.length,
          unitsOf(scored),
        ),
        what: "this Monte-Carlo run",
      };
      // Each page of a cached run is priced again; only a run made here is charged to the
      // subject's minute.
      const charge = spendOnRun(ctx.work, spending.amount, "samples", spending.what);
      const result = await ctx.baselines.analysis(scored, "monte-carlo", key, {
        // A run not made yet has its alternatives checked, each over every unit of the cycle,
        // once it is charged: refused, a subject past its minute has none of that work done,
        // and a run refused for an alternative is charged as the run it asked for (a kept run's
        // alternatives, keyed with it, were checked when it was made).
        beforeRun: () => {
          charge();
          checkEachAlternative(baseline, alternatives);
        },
        compute: () =>
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
      });
      const owner = {
        kind: "Monte-Carlo run",
        id: JSON.stringify([scored.cycle.id, scenarioId, key]),
        revision: scored.key,
      };
      // A spread no category was drawn with (every one has bounds) is not echoed as if it were.
      const shown = {
        ...parameters,
        spread: result.weights.kind === "uniform" ? result.weights.spread : null,
        ranges: result.weights.kind === "uniform" ? result.weights.ranges : null,
      };
      return { cycleId: scored.cycle.id, scenarioId, scored, parameters: shown, result, owner };
    },
  }),
}));

/**
 * Refuses alternatives a run cannot take: what Monte-Carlo cannot vary (grades, groups,
 * ranking), whatever a patch says, so it is said before a merge problem in the same patch; then
 * each alternative on its own, so that a problem points at the right one.
 */
function checkEachAlternative(baseline: Baseline, alternatives: readonly { name: string; patch: unknown }[]) {
  engineCall(() => checkAlternatives(alternatives as NonNullable<MonteCarloOptions["alternatives"]>), {
    scenario: "",
  });
  for (const [i, a] of alternatives.entries()) {
    engineCall(() => applyScenario(baseline.compiled.scheme, baseline.dataset, asScenario(a)), {
      scenario: `alternatives[${i}]`,
    });
  }
}
