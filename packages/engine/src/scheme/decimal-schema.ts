import { z } from "zod";
import { hasSpacesAround } from "../exact-id.js";
import { received } from "../input-error.js";
import { DECIMAL_TEXT, MAX_DECIMAL_DIGITS, quoteNonDecimal } from "../rational.js";

/**
 * A decimal in a scheme or dataset: a JSON number (26.94) or a decimal string ("26.94") in
 * the grammar `parseDecimal` reads (`DECIMAL_TEXT`: "-0.5", "+5", never " 27.1", "27." or
 * ".5"). Strings are accepted so that values copied from spreadsheets keep every digit; both
 * are read exactly by `parseDecimal`, never through floating-point arithmetic.
 */
export const decimalSchema: z.ZodType<number | string, number | string> = z
  .union(
    [
      z.number(),
      z.string().regex(DECIMAL_TEXT, {
        // The text is shown: in a scheme of a hundred decimals, the path alone is a hunt.
        error: (issue) =>
          `must be a decimal number such as 26.94, not ${quoteNonDecimal(String(issue.input))}`,
      }),
    ],
    {
      // zod refuses NaN and ±Infinity as numbers, and null or true as both: without this the
      // message is a bare "Invalid input". A field left out is missing, said as a missing
      // name is ("is required"), not a decimal of the wrong form.
      error: (issue) =>
        issue.input === undefined
          ? "is required"
          : typeof issue.input === "number"
            ? "must be a finite number"
            : `must be a decimal number such as 26.94, not ${received(issue.input)}`,
    },
  )
  .superRefine((v, ctx) => {
    // parseDecimal's own limit, checked here so that a scheme names the field rather than
    // failing to compile with a bare RangeError. A JSON number never has that many digits.
    const digits = typeof v === "string" ? v.replace(/\D/g, "").length : 0;
    if (digits > MAX_DECIMAL_DIGITS)
      ctx.addIssue({
        code: "custom",
        message: `has ${digits} digits, more than the ${MAX_DECIMAL_DIGITS} a decimal may have`,
      });
  });

/**
 * A decimal that may not be negative (a category's points, a deduction), read as `decimalSchema`
 * reads one. Public so that a host taking such decimals as arguments of its own (the gateway's
 * sweep and Monte-Carlo bounds) accepts and refuses what a scheme or scenario does, in its words.
 */
export const nonNegativeDecimalSchema: z.ZodType<number | string, number | string> = decimalSchema.refine(
  // "-0.00", as a spreadsheet writes a tiny negative rounded, is zero. Text that is not a
  // decimal has its own issue already.
  (v) =>
    (typeof v === "string" && !DECIMAL_TEXT.test(v)) ||
    !String(v).startsWith("-") ||
    /^-0*(\.0*)?$/.test(String(v)),
  "must not be negative",
);

/**
 * A decimal above 0, judged on its digits: `Number("0.000…0001")` with a few hundred zeros is
 * 0, and a scale that small is still a scale.
 */
export const positiveDecimalSchema: z.ZodType<number | string, number | string> = decimalSchema.refine(
  // Text that is not a decimal at all has its own issue from decimalSchema: no second one.
  (v) => (typeof v === "number" ? v > 0 : !DECIMAL_TEXT.test(v) || (!v.startsWith("-") && /[1-9]/.test(v))),
  "must be greater than 0",
);

/**
 * Text that records name exactly (an answer option, a ballot grade): "满意 " would leave every
 * form answering "满意" refused as no option, so spaces around it are refused where it is written.
 */
export const exactTextSchema: z.ZodString = z
  .string()
  .min(1)
  .refine((s) => !hasSpacesAround(s), {
    error: (issue) => `has spaces around it (${JSON.stringify(issue.input)}): records name it exactly`,
  });

/**
 * Identifiers are what the data files and the GraphQL API refer to; keep them plain. A category
 * "public " would be another id than the "public" its records name, so spaces around one are refused.
 */
export const idSchema: z.ZodString = z
  .string()
  .min(1, "must not be empty")
  .max(120, "must be at most 120 characters")
  .refine((s) => !hasSpacesAround(s), {
    // Said without "id": the message also follows "the key …" of a record keyed by ids.
    error: (issue) => `has spaces around it (${JSON.stringify(issue.input)}): an id is one exact text`,
  });
