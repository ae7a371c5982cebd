import type { ImportRowError } from "../store/errors.js";

/**
 * A cell refused for its value alone: a unit the cycle does not have, an answer that is no option
 * of the survey. Every row holding the value is refused alike, so the rows are said together, once
 * (`ErrorList`): a file of 满意 where the scheme says `satisfied` was refused with a line per
 * tally, the same four values over and over, and not one line number.
 */
export interface RefusedValue {
  /** The value as its column names it: `answer "满意"`, `unit 'U09'`. */
  subject: string;
  /** Why, the same for every row that holds it: `not an option of category "public"; …`. */
  reason: string;
}

/** A value of a row the cycle's scheme does not declare, at the kind's column (`answer`). */
export interface UndeclaredValue extends RefusedValue {
  column: string;
}

/**
 * The values of one row, by the kind's column names, that the scheme does not declare (a survey
 * form's category, respondent group or answer); none, or undefined, when it declares them all.
 */
export type DeclaredValuesCheck = (
  row: Readonly<Record<string, string | null>>,
) => readonly UndeclaredValue[] | undefined;

// Beside the error rather than in it: errors are compared whole, and their fields are the API's.
const refusals = new WeakMap<ImportRowError, RefusedValue>();

/** The error, marked as its value's refusal, to be said with the other rows of the value. */
export function refusingValue(error: ImportRowError, value: RefusedValue): ImportRowError {
  refusals.set(error, value);
  return error;
}

/** The value an error refuses, when it refuses its value alone. */
export function refusedValueOf(error: ImportRowError): RefusedValue | undefined {
  return refusals.get(error);
}
