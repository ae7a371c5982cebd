import { z } from "zod";
import { cmp, parseDecimal, ratio } from "../rational.js";
import {
  decimalSchema,
  exactTextSchema,
  idSchema,
  nonNegativeDecimalSchema,
  positiveDecimalSchema,
} from "./decimal-schema.js";

const HUNDRED = ratio(100);

/** zod runs refinements even when the decimal itself failed; that failure is reported already. */
function atMostHundred(v: number | string): boolean {
  try {
    return cmp(parseDecimal(v), HUNDRED) <= 0;
  } catch {
    return true;
  }
}

/**
 * The scoring rules of one evaluation year (考评方案), as a plain JSON document.
 * Every field that practice varies on is explicit here, with the default stated.
 */

// ---------------------------------------------------------------- methods

/** An assessed raw score on its own scale, e.g. 26.94 out of 30, rescaled to the category's points. */
export const directMethodSchema = z.strictObject({
  kind: z.literal("direct"),
  /** The scale the raw scores are given on; defaults to the category's points. */
  outOf: nonNegativeDecimalSchema.optional(),
});

const plainAggregationSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("mean") }),
  z.strictObject({ type: z.literal("median") }),
  z.strictObject({
    type: z.literal("trimmed-mean"),
    /** How many of the highest and how many of the lowest scores to drop. */
    trim: z.number().int().min(1).default(1),
    /**
     * Trimming applies only when there are more than this many ballots (one city: more than 7
     * voters). At or below it, the plain mean is used and the trace says so.
     */
    minVoters: z.number().int().min(2).default(2),
  }),
]);

export const voteAggregationSchema = z.union([
  plainAggregationSchema,
  z.strictObject({
    type: z.literal("role-weighted"),
    /**
     * Weight per voter role; each role's ballots are aggregated first, then weighted across
     * roles. Weights are relative (divided by their sum), so 3 : 1 is 0.75 : 0.25.
     */
    roles: z.record(idSchema, nonNegativeDecimalSchema),
    within: plainAggregationSchema.default({ type: "mean" }),
    /** What happens when a weighted role cast no valid ballot for a unit. Default: "insufficient". */
    missingRole: z.enum(["insufficient", "renormalize"]).default("insufficient"),
  }),
]);

/** Vote of the mayor and government members (票决制). */
export const voteMethodSchema = z.strictObject({
  kind: z.literal("vote"),
  ballot: z.discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("score"),
      min: decimalSchema.default(0),
      max: decimalSchema.default(100),
    }),
    z.strictObject({
      type: z.literal("grade"),
      /** Grade → points, e.g. { "好": 100, "较好": 85, "一般": 70, "差": 50 }. */
      points: z.record(exactTextSchema, nonNegativeDecimalSchema),
      /** The scale the grade points are on; defaults to the highest grade's points. */
      max: nonNegativeDecimalSchema.optional(),
    }),
  ]),
  aggregation: voteAggregationSchema.default({ type: "mean" }),
  /** Fewer valid ballots than this for a unit makes its result "insufficient", never a number. */
  quorum: z.number().int().min(1).default(1),
  validity: z
    .strictObject({
      /** A ballot (one voter, this category) giving every unit it scores (at least 2) the same score is void. */
      rejectUniform: z.boolean().default(false),
      /** A ballot giving more than `max` units a score ≥ `threshold` is void (grade ballots: their points). */
      maxHighScores: z.strictObject({ threshold: decimalSchema, max: z.number().int().min(0) }).optional(),
    })
    .default({ rejectUniform: false }),
  /**
   * A secret vote (无记名投票): explanations never name a voter, only values and reasons. Left
   * out or false, they name the voters whose ballots were trimmed or void. Optional rather
   * than defaulted, so documents published before it read back as they were written.
   */
  secret: z.boolean().optional(),
});

/** Public evaluation from survey forms (开门评议 / 万人评议). */
export const surveyMethodSchema = z.strictObject({
  kind: z.literal("survey"),
  /**
   * Answer option → points. `null` marks an option that is not a valid vote and is not
   * scored (e.g. 不了解 "don't know"); such forms are excluded from the valid count.
   */
  options: z.record(exactTextSchema, nonNegativeDecimalSchema.nullable()),
  /** Options counted in the published satisfaction rate (e.g. satisfied + basically satisfied). */
  satisfiedOptions: z.array(exactTextSchema).default([]),
  /** The declared respondent groups; a form naming any other group is rejected. */
  respondentGroups: z.array(idSchema).min(1),
  weighting: z
    .discriminatedUnion("type", [
      z.strictObject({ type: z.literal("pooled") }),
      z.strictObject({
        type: z.literal("group-weighted"),
        weights: z.record(idSchema, nonNegativeDecimalSchema),
        /** Weights for units of a given kind (unit.kind), overriding `weights`. */
        byUnitKind: z.record(idSchema, z.record(idSchema, nonNegativeDecimalSchema)).default({}),
        missingGroup: z.enum(["insufficient", "renormalize"]).default("insufficient"),
      }),
    ])
    .default({ type: "pooled" }),
  /** Minimum valid forms per unit (pooled) or per weighted group; below it: "insufficient". */
  minValidForms: z.number().int().min(1).default(1),
  /** The scale option points are on; defaults to the highest option's points. */
  max: nonNegativeDecimalSchema.optional(),
});

/**
 * Most inputs one formula may declare. An expression has at most 500 parts (MAX_NODES), so it can
 * read no more than 500 names, and real ones read a few dozen. Unbounded, a draft of 50,000 names
 * under 1 MB made every refusal list them all.
 */
const MAX_FORMULA_INPUTS = 500;

/** An administrator's formula over named inputs and other categories (mathjs syntax, allow-listed). */
export const formulaMethodSchema = z.strictObject({
  kind: z.literal("formula"),
  expression: z.string().min(1).max(2000),
  /** Named per-unit inputs the expression may use (dataset `inputs` rows). */
  inputs: z
    .array(
      z.strictObject({
        // Names are written inside expressions, so they must read as one identifier.
        name: z
          .string()
          .regex(
            /^[A-Za-z_][A-Za-z0-9_]*$/,
            "must be an identifier: letters, digits and _, not starting with a digit",
          ),
        description: z.string().optional(),
      }),
    )
    .max(
      MAX_FORMULA_INPUTS,
      `a formula may declare at most ${MAX_FORMULA_INPUTS} inputs: an expression of at most 500 parts cannot read more`,
    )
    .default([]),
  /** The scale the expression's result is on; results outside [0, max] are clamped and traced. */
  max: positiveDecimalSchema,
});

export const methodSchema = z.discriminatedUnion("kind", [
  directMethodSchema,
  voteMethodSchema,
  surveyMethodSchema,
  formulaMethodSchema,
]);

// ---------------------------------------------------------------- structure

export const categorySchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  /** The category's maximum in the composite (e.g. 30, 40, 50). */
  points: nonNegativeDecimalSchema,
  method: methodSchema,
});

const levelPointsSchema = z.strictObject({
  /** Points deducted per finding. */
  perFinding: nonNegativeDecimalSchema,
  /** Replaces `perFinding` when rectified after the deadline; defaults to `notRectified`. */
  late: nonNegativeDecimalSchema.optional(),
  /** Replaces `perFinding` when never rectified. Defaults to `perFinding`. */
  notRectified: nonNegativeDecimalSchema.optional(),
  /** Replaces the above when the same problem was notified again (e.g. twice in a row). */
  repeated: nonNegativeDecimalSchema.optional(),
});

/** A kind of daily-inspection finding (日常考核): unannounced visit, special inspection, complaint, … */
export const findingTypeSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  /** The category the deduction hits (floored at 0); absent: deducted from the total. */
  category: idSchema.optional(),
  /** Points by the level that found it, e.g. city / district / bureau. */
  levels: z.record(idSchema, levelPointsSchema),
  /** Most points this type can take from one unit. */
  cap: nonNegativeDecimalSchema.optional(),
});

export const bonusTypeSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  /** Points by level, e.g. national 3, provincial 2, city 1. */
  levels: z.record(idSchema, nonNegativeDecimalSchema),
  /** "highest": only the highest-level award counts (default); "sum": all count. */
  count: z.enum(["highest", "sum"]).default("highest"),
  cap: nonNegativeDecimalSchema.optional(),
});

/**
 * The longest a veto can stay in force, in evaluation years. A store passes earlier years' vetoes
 * this far back, so that a scenario lengthening a type's `yearsInForce` finds them.
 */
export const MAX_VETO_YEARS_IN_FORCE = 5;

/** "the previous year", "3 years before": how messages name an earlier year's register. */
export function yearsBefore(yearsAgo: number): string {
  return yearsAgo === 1 ? "the previous year" : `${yearsAgo} years before`;
}

/** An event type that vetoes (一票否决) excellence or awards, regardless of score. */
export const vetoTypeSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  ineligibleForExcellence: z.boolean().default(true),
  ineligibleForAward: z.boolean().default(false),
  /**
   * Ranked after every unit without such a veto in its group, and last there: every unit so
   * placed takes last place's consequences (`ranking.lastLosesAward`, `lastLosesExcellence`).
   */
  forceLast: z.boolean().default(false),
  /**
   * How many evaluation years a veto of this type counts in: 1, the year of the incident (the
   * default); 2, that year and the next (some rules bar excellence "this year and next"). An
   * earlier year's veto reaches this year's dataset with its `yearsAgo`.
   */
  yearsInForce: z.number().int().min(1).max(MAX_VETO_YEARS_IN_FORCE).default(1),
  /**
   * What a veto of this type still does in the years after its own, where they differ from its
   * own year's effects (each left out is the same). "Ranked last this year, barred from
   * excellence next year" is `forceLast: true, yearsInForce: 2, inLaterYears: { forceLast: false }`.
   */
  inLaterYears: z
    .strictObject({
      ineligibleForExcellence: z.boolean().optional(),
      ineligibleForAward: z.boolean().optional(),
      forceLast: z.boolean().optional(),
    })
    .optional(),
});

/** A parent's result blends in its sub-units' results (e.g. 10% from 16 sub-units' public evaluation). */
export const rollupSchema = z.strictObject({
  id: idSchema,
  /** What is taken from each sub-unit: a category's share of its maximum, or the total's. */
  source: z.union([z.strictObject({ category: idSchema }), z.strictObject({ total: z.literal(true) })]),
  aggregation: z.enum(["mean", "median"]).default("mean"),
  /**
   * What a sub-unit without a result for the source does. "renormalize" (the default, for
   * schemes written before the choice existed): the mean or median is of the sub-units with
   * one, and with none the parent keeps its own value. "zero": it counts as a share of 0, so
   * a parent gains nothing from a sub-unit that was not evaluated. "insufficient": the
   * parent's target has no result either.
   */
  missingSubUnit: z.enum(["renormalize", "zero", "insufficient"]).default("renormalize"),
  /** The share of the target that comes from the sub-units (0.1 = 10%). */
  share: nonNegativeDecimalSchema,
  /** What the blend replaces in the parent: one category or the total. */
  into: z.union([z.strictObject({ category: idSchema }), z.strictObject({ total: z.literal(true) })]),
  /** Which parents: all with sub-units (default) or the listed ones. */
  parents: z
    .array(idSchema)
    // An empty list would make the rule apply to no unit, silently: left out is what "all" means.
    .min(1, "must list at least one parent unit; leave parents out to blend into every unit with sub-units")
    .optional(),
});

export const groupSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  /** Groups that are evaluated but not ranked (e.g. groups 4–5) get totals and grades by threshold only. */
  ranked: z.boolean().default(true),
});

export const gradeRuleSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  /** Units at or above this total may get the grade. */
  minTotal: decimalSchema.optional(),
  /** Only units below this total may get the grade: the line of "the last 10% of those below 60". */
  belowTotal: decimalSchema.optional(),
  /**
   * This many units (a count, or a percent rounded as `rounding` says) get the grade, best first
   * unless `from` says otherwise; units tied at its boundary may pass it, unless `ties` says not.
   */
  quota: z
    .strictObject({
      count: z.number().int().min(0).optional(),
      // A quota of more than everyone is a typo (250 for 25), not a rule.
      percent: nonNegativeDecimalSchema.refine(atMostHundred, "must be at most 100").optional(),
      scope: z.enum(["group", "overall"]).default("group"),
      /** Filled best first ("top", e.g. excellent, the default) or worst first ("bottom", e.g. poor). */
      from: z.enum(["top", "bottom"]).optional(),
      /**
       * What a percent is of: every ranked unit of the scope ("ranked", the default), or only
       * the units this rule admits ("admitted": its threshold, line and eligibility, and not
       * graded by an earlier rule), as in "the last 10% of the units below 60".
       */
      of: z.enum(["ranked", "admitted"]).optional(),
      /**
       * How a percent that is no whole number of units becomes places: "down" (the default:
       * 30% of 29 is 8.7 → 8), "half-up" (四舍五入: 30% of 5 is 1.5 → 2, 20% of 7 is 1.4 → 1)
       * or "up" (10% of 7 is 0.7 → 1).
       */
      rounding: z.enum(["down", "half-up", "up"]).optional(),
      /**
       * Units tied at the quota's boundary: "share" (the default) gives the whole tied group the
       * grade, past the limit if need be, as tied units share a rank; "exclude" ("at most N",
       * 不超过) gives it to none of a group that would pass the limit, leaving those places empty.
       */
      ties: z.enum(["share", "exclude"]).optional(),
    })
    .refine(
      (q) => (q.count === undefined) !== (q.percent === undefined),
      "give exactly one of count or percent",
    )
    .refine((q) => q.of === undefined || q.percent !== undefined, {
      message: "applies to a percent quota only",
      path: ["of"],
    })
    .refine((q) => q.rounding === undefined || q.percent !== undefined, {
      message: "applies to a percent quota only: a count has nothing to round",
      path: ["rounding"],
    })
    .optional(),
  /**
   * Units with a veto against excellence cannot get this grade, nor, under
   * `ranking.lastLosesExcellence`, a group's last-ranked units.
   */
  requiresExcellenceEligibility: z.boolean().default(false),
});

export const roundingSchema = z.strictObject({
  decimals: z.number().int().min(0).max(10).default(2),
  mode: z.enum(["half-up", "half-even"]).default("half-up"),
  /**
   * Which stages are rounded: each category's points; "adjustment", the sums of deductions
   * (per category and on the total) and of bonuses after their caps, not each line; the total.
   */
  stages: z.array(z.enum(["category", "adjustment", "total"])).default(["category", "total"]),
});

/**
 * Every object is strict: a misspelt key ("bonuscap") is an error naming it, not a rule
 * silently left at its default. `$schema` is the one extra key, for editors.
 */
export const schemeSchema = z.strictObject({
  /** The JSON Schema an editor checks the file against (see `schemeJsonSchema`); not read. */
  $schema: z.string().optional(),
  id: idSchema,
  version: z.number().int().min(1),
  name: z.string().min(1),
  description: z.string().optional(),
  categories: z.array(categorySchema).min(1),
  findingTypes: z.array(findingTypeSchema).default([]),
  bonusTypes: z.array(bonusTypeSchema).default([]),
  /** Most bonus points a unit can receive in total; part of the scheme's maximum. */
  bonusCap: nonNegativeDecimalSchema.default(0),
  vetoTypes: z.array(vetoTypeSchema).default([]),
  rollups: z.array(rollupSchema).default([]),
  groups: z.array(groupSchema).min(1),
  ranking: z
    .strictObject({
      /** Tie-breakers in order; without any, ties share the better rank ("1224"). */
      tieBreakers: z.array(z.strictObject({ category: idSchema })).default([]),
      /**
       * The last-ranked unit of each ranked group loses award eligibility: the units tied for
       * its lowest rank, or, where a veto places units last, every one of them.
       */
      lastLosesAward: z.boolean().default(true),
      /**
       * The last-ranked unit of each ranked group also loses eligibility for excellence
       * (末位不得评为优秀): grade rules that require it pass over that unit as over a veto's.
       */
      lastLosesExcellence: z.boolean().default(false),
    })
    .default({ tieBreakers: [], lastLosesAward: true, lastLosesExcellence: false }),
  grades: z
    .strictObject({
      /** Tried in order; a unit gets the first grade whose threshold and quota admit it. */
      rules: z.array(gradeRuleSchema).default([]),
      fallback: z.strictObject({ id: idSchema, name: z.string().min(1) }).optional(),
    })
    .default({ rules: [] }),
  rounding: roundingSchema.default({ decimals: 2, mode: "half-up", stages: ["category", "total"] }),
});

export type SchemeInput = z.input<typeof schemeSchema>;
export type Scheme = z.output<typeof schemeSchema>;
export type Category = Scheme["categories"][number];
export type Method = Category["method"];
export type DirectParams = z.output<typeof directMethodSchema>;
export type VoteParams = z.output<typeof voteMethodSchema>;
export type SurveyParams = z.output<typeof surveyMethodSchema>;
export type FormulaParams = z.output<typeof formulaMethodSchema>;
export type VoteAggregation = VoteParams["aggregation"];
export type FindingType = Scheme["findingTypes"][number];
export type BonusType = Scheme["bonusTypes"][number];
export type VetoType = Scheme["vetoTypes"][number];
export type Rollup = Scheme["rollups"][number];
export type GradeRule = Scheme["grades"]["rules"][number];
export type GradeQuota = NonNullable<GradeRule["quota"]>;
export type RoundingRule = Scheme["rounding"];
