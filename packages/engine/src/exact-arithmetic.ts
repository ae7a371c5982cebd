/**
 * The exact-arithmetic helpers as the package exports them: each checks that it was given exact
 * values first. The engine's own code calls rational.ts directly, where a sweep adds and compares
 * millions of times and every value is already known to be exact.
 */

import { InputError, type InputIssue, received } from "./input-error.js";
import type { Rational, RoundingMode } from "./rational.js";
import * as exact from "./rational.js";
import { checkRationalArgument } from "./rational-argument.js";

/**
 * n/d in lowest terms, from whole numbers: bigints, or numbers that are integers (a number
 * beyond 2^53 is taken as the integer the double holds, not the digits written). Use
 * `parseDecimal` for a decimal.
 *
 * @throws InputError of subject "argument" naming `n` or `d`, each that is wrong: a number that
 * is not an integer (1.5, NaN, Infinity), a value that is neither a bigint nor a number (text
 * such as "3"), or a `d` of zero.
 */
export function ratio(n: bigint | number, d: bigint | number = 1n): Rational {
  const issues = [wholeNumberIssue(n, "n"), wholeNumberIssue(d, "d")].filter((i) => i !== undefined);
  if (issues.length === 0 && (d === 0 || d === 0n))
    issues.push({ path: ["d"], message: "the denominator is 0: n/0 is no number" });
  if (issues.length > 0) throw new InputError("argument", issues);
  return exact.ratio(n, d);
}

/** Why `value` is no whole number `ratio` can take, as JavaScript's BigInt would not say it. */
function wholeNumberIssue(value: unknown, parameter: string): InputIssue | undefined {
  if (typeof value === "bigint" || Number.isInteger(value)) return undefined;
  const decimal =
    typeof value === "number" && Number.isFinite(value) ? "; for a decimal use parseDecimal" : "";
  return {
    path: [parameter],
    message: `expected a whole number, a bigint or an integer number; got ${received(value)}${decimal}`,
  };
}

/**
 * a + b, exactly.
 *
 * @throws InputError of subject "argument" naming `a` or `b` for a value that is not exact
 * (a plain number, or a denominator of 0 or less).
 */
export function add(a: Rational, b: Rational): Rational {
  checkRationalArgument(a, "a");
  checkRationalArgument(b, "b");
  return exact.add(a, b);
}

/**
 * a − b, exactly.
 *
 * @throws InputError of subject "argument" naming `a` or `b` for a value that is not exact
 * (a plain number, or a denominator of 0 or less).
 */
export function sub(a: Rational, b: Rational): Rational {
  checkRationalArgument(a, "a");
  checkRationalArgument(b, "b");
  return exact.sub(a, b);
}

/**
 * a × b, exactly.
 *
 * @throws InputError of subject "argument" naming `a` or `b` for a value that is not exact
 * (a plain number, or a denominator of 0 or less).
 */
export function mul(a: Rational, b: Rational): Rational {
  checkRationalArgument(a, "a");
  checkRationalArgument(b, "b");
  return exact.mul(a, b);
}

/**
 * a ÷ b, exactly.
 *
 * @throws InputError of subject "argument" naming `a` or `b` for a value that is not exact
 * (a plain number, or a denominator of 0 or less).
 * @throws RangeError when b is zero.
 */
export function div(a: Rational, b: Rational): Rational {
  checkRationalArgument(a, "a");
  checkRationalArgument(b, "b");
  return exact.div(a, b);
}

/**
 * −1, 0 or 1 as a is less than, equal to or greater than b.
 *
 * @throws InputError of subject "argument" naming `a` or `b` for a value that is not exact
 * (a plain number, or a denominator of 0 or less).
 */
export function cmp(a: Rational, b: Rational): -1 | 0 | 1 {
  checkRationalArgument(a, "a");
  checkRationalArgument(b, "b");
  return exact.cmp(a, b);
}

/**
 * Rounds to `decimals` places. "half-up" is 四舍五入 as offices apply it: halves go away from
 * zero (−0.125 → −0.13). "half-even" is banker's rounding, for schemes that ask for it.
 *
 * @throws InputError of subject "argument" naming `a` for a value that is not exact (a plain
 * number, or a denominator of 0 or less).
 * @throws RangeError for a mode other than "half-up" or "half-even", or `decimals` that is not
 * a whole number from 0 up.
 */
export function round(a: Rational, decimals: number, mode: RoundingMode = "half-up"): Rational {
  checkRationalArgument(a, "a");
  return exact.round(a, decimals, mode);
}

/**
 * Exact decimal text with exactly `decimals` places. A value with more places is rounded
 * half-up (away from zero) to them: `round` it first under another mode.
 *
 * @throws InputError of subject "argument" naming `a` for a value that is not exact (a plain
 * number, or a denominator of 0 or less).
 * @throws RangeError for `decimals` that is not a whole number from 0 up.
 */
export function toFixed(a: Rational, decimals: number): string {
  checkRationalArgument(a, "a");
  return exact.toFixed(a, decimals);
}

/**
 * Shortest exact text: a terminating decimal where there is one, otherwise "n/d".
 *
 * @throws InputError of subject "argument" naming `a` for a value that is not exact (a plain
 * number, or a denominator of 0 or less).
 */
export function toExactString(a: Rational): string {
  checkRationalArgument(a, "a");
  return exact.toExactString(a);
}

/**
 * Nearest double, for charts and statistics only, never for official scores.
 *
 * @throws InputError of subject "argument" naming `a` for a value that is not exact (a plain
 * number, or a denominator of 0 or less).
 */
export function toNumber(a: Rational): number {
  checkRationalArgument(a, "a");
  return exact.toNumber(a);
}
