import { cmp, mul, type Rational, ratio, round, toExactString, toFixed } from "../../rational.js";

const HUNDRED = ratio(100);

/** Exact text; a non-terminating value (e.g. 2500/27) also gets "≈ 92.59" so it can be read. */
export function exact(value: Rational): string {
  return exactFrom(value, toExactString(value));
}

/** `exact(value)` from `toExactString(value)` already made. */
export function exactFrom(value: Rational, text: string): string {
  return value.d !== 1n && text.includes("/") ? `${text} (≈ ${toFixed(value, 2)})` : text;
}

/** A share as an exact percentage, "97.75%" or "200/3%". */
export function percentExact(share: Rational): string {
  return percentText(mul(share, HUNDRED));
}

function percentText(percentage: Rational): string {
  return `${toExactString(percentage)}%`;
}

/** A share as a percentage: exact, then "→ 92.59%" when two decimals (half-up) change it. */
export function percent(share: Rational): string {
  const p = mul(share, HUNDRED);
  const shown = percentText(p);
  const rounded = round(p, 2, "half-up");
  return cmp(rounded, p) === 0 ? shown : `${shown} → ${toFixed(rounded, 2)}% (half-up)`;
}

/** The published form of a rate: a percentage with two decimals, rounded half-up (四舍五入). */
export function percentFixed(share: Rational): string {
  return toFixed(round(mul(share, HUNDRED), 2, "half-up"), 2);
}
