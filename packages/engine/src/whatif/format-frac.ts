import { ratio, round, type RoundingMode, toExactString, toFixed } from "../rational.js";
import type { Frac } from "./frac.js";

const POWERS: bigint[] = Array.from({ length: 11 }, (_, i) => 10n ** BigInt(i));

/** n / 10^places as text with exactly `places` decimals; no gcd, no division. */
function decimalText(n: bigint, places: number): string {
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(places + 1, "0");
  const ip = digits.slice(0, digits.length - places);
  const fp = digits.slice(digits.length - places);
  return (negative ? "-" : "") + ip + (places > 0 ? "." + fp : "");
}

/** Official text: exactly `decimals` places, rounded as the scheme says. */
export function showFrac(a: Frac, decimals: number, mode: RoundingMode): string {
  if (a.d === POWERS[decimals]) return decimalText(a.n, decimals);
  return toFixed(round(ratio(a.n, a.d), decimals, mode), decimals);
}

/** Exact text: a terminating decimal, or "n/d" in lowest terms. */
export function exactFrac(a: Frac): string {
  if (a.n === 0n) return "0";
  const places = POWERS.indexOf(a.d);
  if (places >= 0) {
    const s = decimalText(a.n, places);
    return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
  }
  return toExactString(ratio(a.n, a.d));
}
