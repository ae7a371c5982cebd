/**
 * The exact-arithmetic helpers as the package exports them: each checks that it was given exact
 * values first. The engine's own code calls rational.ts directly, where a sweep adds and compares
 * millions of times and every value is already known to be exact.
 */

import type { Rational, RoundingMode } from "./rational.js";
import * as exact from "./rational.js";
import { checkRationalArgument } from "./rational-argument.js";

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
