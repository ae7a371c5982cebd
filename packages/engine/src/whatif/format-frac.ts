import { type RoundingMode, ratio, round, toExactString, toFixed } from "../rational.js";
import type { Frac } from "./frac.js";

const POWERS: bigint[] = Array.from({ length: 11 }, (_, i) => 10n ** BigInt(i));

/** n / 10^places as text with exactly `places` decimals; no gcd, no division. */
function decimalText(n: bigint, places: number): string {
  if (n > -9007199254740991n && n < 9007199254740991n) return smallDecimalText(Number(n), places);
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(places + 1, "0");
  const ip = digits.slice(0, digits.length - places);
  const fp = digits.slice(digits.length - places);
  return (negative ? "-" : "") + ip + (places > 0 ? "." + fp : "");
}

/** The same for a safe integer, without BigInt string conversion (the common case by far). */
function smallDecimalText(n: number, places: number): string {
  if (places === 0) return String(n);
  const abs = Math.abs(n);
  const scale = 10 ** places;
  const ip = Math.floor(abs / scale);
  const fp = String(abs - ip * scale).padStart(places, "0");
  return (n < 0 ? "-" : "") + ip + "." + fp;
}

function trimZeros(s: string): string {
  if (!s.includes(".")) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/** Exact text of n × 10^−places for a safe integer n, trailing zeros dropped ("-1.26", "0", "7.7"). */
export function wholeUnitsText(n: number, places: number): string {
  return n === 0 ? "0" : trimZeros(smallDecimalText(n, places));
}

/** n × 10^−places for a safe integer n with exactly `places` decimals ("38.58", "-1.30"). */
export function wholeUnitsFixed(n: number, places: number): string {
  return smallDecimalText(n, places);
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
    return trimZeros(decimalText(a.n, places));
  }
  return toExactString(ratio(a.n, a.d));
}
