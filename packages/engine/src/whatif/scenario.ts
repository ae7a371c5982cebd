import { z } from "zod";
import { offering } from "../document-issues.js";
import type { InputIssue } from "../input-error.js";
import { decimalSchema, idSchema, nonNegativeDecimalSchema } from "../scheme/decimal-schema.js";
import { MAX_VETO_YEARS_IN_FORCE } from "../scheme/scheme-schema.js";

/**
 * A what-if scenario (情景): plain JSON naming what would change, addressed by ids so a
 * scenario survives a reordered scheme file. Everything absent stays as in the baseline.
 *
 * @example
 * // The seed reform: public evaluation 40 → 50, organ construction 30 → 20.
 * { name: "reform", patch: { categories: { public: { points: 50 }, organ: { points: 20 } } } }
 */

/**
 * A quota edit, merged into the rule's quota key by key (`null` removes a key). A quota is a
 * count or a percent: an edit giving one of them replaces the other (`{ percent: 20 }` turns a
 * count into a percent). No defaults: an edit of the count must not reset an "overall" scope to
 * "group". The merged quota is checked with the scheme.
 */
const quotaPatchSchema = z
  .object({
    count: z.number().int().min(0).nullable().optional(),
    percent: nonNegativeDecimalSchema.nullable().optional(),
    scope: z.enum(["group", "overall"]).optional(),
    from: z.enum(["top", "bottom"]).nullable().optional(),
    of: z.enum(["ranked", "admitted"]).nullable().optional(),
    rounding: z.enum(["down", "half-up", "up"]).nullable().optional(),
    ties: z.enum(["share", "exclude"]).nullable().optional(),
  })
  .strict();

/** A rounding edit: only the fields given change (no defaults that would reset the others). */
const roundingPatchSchema = z
  .object({
    decimals: z.number().int().min(0).max(10).optional(),
    mode: z.enum(["half-up", "half-even"]).optional(),
    stages: z.array(z.enum(["category", "adjustment", "total"])).optional(),
  })
  .strict();

const levelPatchSchema = z
  .object({
    perFinding: nonNegativeDecimalSchema.optional(),
    late: nonNegativeDecimalSchema.nullable().optional(),
    notRectified: nonNegativeDecimalSchema.nullable().optional(),
    repeated: nonNegativeDecimalSchema.nullable().optional(),
  })
  .strict();

/** What a scenario can change of a roll-up: how much and how the sub-units count. */
export const ROLLUP_PATCH_FIELDS = ["share", "aggregation", "missingSubUnit", "parents"] as const;

/**
 * A roll-up edit: how much and how the sub-units count ("20% instead of 10%"). `parents` replaces
 * the list; `null` removes it, so the rule blends into every unit with sub-units. `source` and
 * `into` are accepted here only so that applyScenario can say why they cannot change, and so not
 * offered for a misspelt key.
 */
const rollupPatchSchema = offering(
  z
    .object({
      share: nonNegativeDecimalSchema.optional(),
      aggregation: z.enum(["mean", "median"]).optional(),
      missingSubUnit: z.enum(["renormalize", "zero", "insufficient"]).optional(),
      parents: z
        .array(idSchema)
        .min(1, "must list at least one parent unit; null blends into every unit with sub-units")
        .nullable()
        .optional(),
      source: z.unknown().optional(),
      into: z.unknown().optional(),
    })
    .strict(),
  ROLLUP_PATCH_FIELDS,
);

/** `null` removes an optional value (e.g. a cap); absent keeps it. */
const schemePatchSchema = z
  .object({
    categories: z
      .record(
        idSchema,
        z
          .object({
            name: z.string().min(1).optional(),
            points: nonNegativeDecimalSchema.optional(),
            /** Deep-merged into the method's parameters (arrays are replaced); `kind` cannot change. */
            method: z.record(z.string(), z.unknown()).optional(),
          })
          .strict(),
      )
      .optional(),
    findingTypes: z
      .record(
        idSchema,
        z
          .object({
            levels: z.record(idSchema, levelPatchSchema).optional(),
            cap: nonNegativeDecimalSchema.nullable().optional(),
          })
          .strict(),
      )
      .optional(),
    bonusTypes: z
      .record(
        idSchema,
        z
          .object({
            levels: z.record(idSchema, nonNegativeDecimalSchema).optional(),
            count: z.enum(["highest", "sum"]).optional(),
            cap: nonNegativeDecimalSchema.nullable().optional(),
          })
          .strict(),
      )
      .optional(),
    vetoTypes: z
      .record(
        idSchema,
        z
          .object({
            ineligibleForExcellence: z.boolean().optional(),
            ineligibleForAward: z.boolean().optional(),
            forceLast: z.boolean().optional(),
            yearsInForce: z.number().int().min(1).max(MAX_VETO_YEARS_IN_FORCE).optional(),
            /** `null` removes it: later years then do what the incident's year does. */
            inLaterYears: z
              .object({
                ineligibleForExcellence: z.boolean().nullable().optional(),
                ineligibleForAward: z.boolean().nullable().optional(),
                forceLast: z.boolean().nullable().optional(),
              })
              .strict()
              .nullable()
              .optional(),
          })
          .strict(),
      )
      .optional(),
    grades: z
      .object({
        rules: z
          .record(
            idSchema,
            z
              .object({
                name: z.string().min(1).optional(),
                minTotal: decimalSchema.nullable().optional(),
                belowTotal: decimalSchema.nullable().optional(),
                quota: quotaPatchSchema.nullable().optional(),
                requiresExcellenceEligibility: z.boolean().optional(),
              })
              .strict(),
          )
          .optional(),
      })
      .strict()
      .optional(),
    groups: z
      .record(
        idSchema,
        z.object({ ranked: z.boolean().optional(), name: z.string().min(1).optional() }).strict(),
      )
      .optional(),
    ranking: z
      .object({
        tieBreakers: z.array(z.object({ category: idSchema }).strict()).optional(),
        lastLosesAward: z.boolean().optional(),
        lastLosesExcellence: z.boolean().optional(),
      })
      .strict()
      .optional(),
    rollups: z.record(idSchema, rollupPatchSchema).optional(),
    rounding: roundingPatchSchema.optional(),
    bonusCap: nonNegativeDecimalSchema.optional(),
  })
  .strict();

const vetoEventSchema = z
  .object({
    id: idSchema,
    unit: idSchema,
    type: idSchema,
    reason: z.string(),
    yearsAgo: z
      .number()
      .int()
      .min(0)
      .max(MAX_VETO_YEARS_IN_FORCE - 1)
      .optional(),
  })
  .strict();

/** Changes to the year's records: "if finding F had been rectified on time", "without veto V", … */
const dataPatchSchema = z
  .object({
    /** By finding id: fields to change, or `null` to remove the finding. */
    findings: z
      .record(
        idSchema,
        z
          .object({
            rectification: z.enum(["on-time", "late", "not-rectified", "pending"]).optional(),
            repeated: z.boolean().optional(),
            level: idSchema.optional(),
            type: idSchema.optional(),
          })
          .strict()
          .nullable(),
      )
      .optional(),
    vetoEvents: z
      .object({
        /**
         * Event ids; ids are unique within one year's register, so where this year and an
         * earlier one both have the id, `{ id, yearsAgo }` says which.
         */
        remove: z
          .array(
            z.union([
              idSchema,
              z
                .object({
                  id: idSchema,
                  yearsAgo: z
                    .number()
                    .int()
                    .min(0)
                    .max(MAX_VETO_YEARS_IN_FORCE - 1),
                })
                .strict(),
            ]),
          )
          .default([]),
        add: z.array(vetoEventSchema).default([]),
      })
      .strict()
      .optional(),
    /** By unit id: move it to another comparability group. */
    units: z.record(idSchema, z.object({ group: idSchema }).strict()).optional(),
    /** Direct (assessed) scores to set, by unit and category; replaces the recorded value. */
    scores: z
      .array(z.object({ unit: idSchema, category: idSchema, value: decimalSchema }).strict())
      .optional(),
  })
  .strict();

/**
 * The fields of a scenario's `patch`, for a caller to recognise them written one level too high
 * (`{ categories: … }` for `{ patch: { categories: … } }`) and say where they go.
 */
export const SCHEME_PATCH_FIELDS: readonly string[] = Object.keys(schemePatchSchema.shape);
/** The fields of a scenario's `data` (`units`, `scores`, …), as `SCHEME_PATCH_FIELDS` lists `patch`'s. */
export const DATA_PATCH_FIELDS: readonly string[] = Object.keys(dataPatchSchema.shape);

/**
 * The zod schema a scenario is read with: `name`, an optional `description`, the scheme
 * `patch` and the dataset changes `data`; every object strict, so a misspelt key is an error.
 * Its zod version is part of this package's API. `parseScenario` reads with it and throws an
 * `InputError` of subject "scenario" listing every problem, where `safeParse` would give zod's
 * issues.
 */
export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    patch: schemePatchSchema.default({}),
    data: dataPatchSchema.optional(),
  })
  .strict();

/**
 * A problem with a scenario, reworded where the key is a `patch` or `data` field written at the
 * top level (`{ name, categories: … }`): "unknown field (misspelt?); the fields are name,
 * description, patch, data" reads as a typo to fix, when the rule is right and one level too high.
 */
export function misplacedField(issue: InputIssue): InputIssue {
  const [key, ...rest] = issue.path;
  if (typeof key !== "string" || rest.length > 0 || Object.hasOwn(scenarioSchema.shape, key)) return issue;
  const under = SCHEME_PATCH_FIELDS.includes(key) ? "patch" : DATA_PATCH_FIELDS.includes(key) ? "data" : null;
  return under === null
    ? issue
    : { ...issue, message: `unknown field; it belongs under "${under}" (${under}.${key})` };
}

/** A scenario as written (JSON). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A scenario after validation, with defaults filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
export type SchemePatch = Scenario["patch"];
export type DataPatch = NonNullable<Scenario["data"]>;
