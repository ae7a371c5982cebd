import { cmp, mul, type Rational, ratio, round, toExactString, toFixed } from "../../rational.js";

const HUNDRED = ratio(100);

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
