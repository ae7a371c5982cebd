import { cmp, type Rational, round, toExactString, toFixed } from "../rational.js";

/**
 * Exact text for an explanation; a non-terminating value (e.g. 2500/27) also gets "≈ 92.59",
 * since a reader cannot place a fraction of three-digit terms on the scale at a glance. Every
 * method's and stage's trace line uses it for the value the line arrives at; a value used as a
 * term of the arithmetic, or rounded on the same line ("→ 32.08"), goes without.
 */
export function exact(value: Rational): string {
  return exactFrom(value, toExactString(value));
}

/** `exact(value)` from `toExactString(value)` already made. */
export function exactFrom(value: Rational, text: string): string {
  return value.d !== 1n && text.includes("/") ? `${text} (≈ ${toFixed(value, 2)})` : text;
}

/**
 * A value the scheme's `decimals` hold exactly, shown as published ("41.30", "89.40": "→ 41.3"
 * beside a rule of 2 decimals reads as a rounding to one); any other value as it is.
 */
export function asPublished(value: Rational, decimals: number): string {
  return cmp(round(value, decimals, "half-up"), value) === 0
    ? toFixed(value, decimals)
    : toExactString(value);
}
