import { type Rational, toExactString, toFixed } from "../rational.js";

/**
 * Exact text for an explanation; a non-terminating value (e.g. 2500/27) also gets "≈ 92.59",
 * since a reader cannot place a fraction of three-digit terms on the scale at a glance.
 */
export function exact(value: Rational): string {
  return exactFrom(value, toExactString(value));
}

/** `exact(value)` from `toExactString(value)` already made. */
export function exactFrom(value: Rational, text: string): string {
  return value.d !== 1n && text.includes("/") ? `${text} (≈ ${toFixed(value, 2)})` : text;
}
