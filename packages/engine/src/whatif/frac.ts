import { type Rational, type RoundingMode, roundedNumerator } from "../rational.js";

/**
 * An exact fraction that is not kept in lowest terms, with its nearest double beside it.
 * What-if runs add and compare many values that are never shown; skipping the gcd and
 * deciding most comparisons from the double (confirmed exactly when close) is what makes
 * a province-scale scenario take milliseconds. Values are exact; `f` only steers.
 */
export interface Frac {
  readonly n: bigint;
  readonly d: bigint;
  readonly f: number;
}

export const FRAC_ZERO: Frac = { n: 0n, d: 1n, f: 0 };

export function frac(r: Rational): Frac {
  return { n: r.n, d: r.d, f: Number(r.n) / Number(r.d) };
}

export function fracAdd(a: Frac, b: Frac): Frac {
  if (b.n === 0n) return a;
  if (a.n === 0n) return b;
  if (a.d === b.d) return { n: a.n + b.n, d: a.d, f: a.f + b.f };
  return { n: a.n * b.d + b.n * a.d, d: a.d * b.d, f: a.f + b.f };
}

export function fracSub(a: Frac, b: Frac): Frac {
  if (b.n === 0n) return a;
  if (a.d === b.d) return { n: a.n - b.n, d: a.d, f: a.f - b.f };
  return { n: a.n * b.d - b.n * a.d, d: a.d * b.d, f: a.f - b.f };
}

export function fracMul(a: Frac, b: Frac): Frac {
  return { n: a.n * b.n, d: a.d * b.d, f: a.f * b.f };
}

/** Exact sign of a − b; the double decides unless the two are within rounding noise. */
export function fracCmp(a: Frac, b: Frac): number {
  const diff = a.f - b.f;
  if (diff > 1e-9 * (1 + Math.abs(a.f))) return 1;
  if (diff < -1e-9 * (1 + Math.abs(a.f))) return -1;
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function fracMax0(a: Frac): Frac {
  if (a.f > 1e-9) return a;
  return a.n > 0n ? a : FRAC_ZERO;
}

const SCALES: bigint[] = Array.from({ length: 11 }, (_, i) => 10n ** BigInt(i));

/** Same rule as the engine's `round`, with one division and no normalisation. */
export function fracRound(a: Frac, decimals: number, mode: RoundingMode): Frac {
  const scale = SCALES[decimals] ?? 10n ** BigInt(decimals);
  if (a.d === scale) return { n: a.n, d: a.d, f: Number(a.n) / Number(scale) };
  const n = roundedNumerator(a.n, a.d, scale, mode);
  return { n, d: scale, f: Number(n) / Number(scale) };
}

export function fracEq(a: Frac, b: Frac): boolean {
  return a.n * b.d === b.n * a.d;
}
