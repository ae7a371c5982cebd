import { add, div, type Rational, ratio, smallLcm, toExactString, ZERO } from "../../rational.js";
import type { VoteAggregation } from "../../scheme/scheme-schema.js";
import { exact } from "../exact-text.js";
import { joinLimited, plural, TRACE_LIST_LIMIT } from "../trace-list.js";

/** An aggregation over one list of ballots: mean, median or trimmed mean. */
export type PlainAggregation = Exclude<VoteAggregation, { type: "role-weighted" }>;

/** The result of aggregating a list of ballot values, with the arithmetic shown. */
export interface Aggregate {
  value: Rational;
  /** The arithmetic a person can check, e.g. "mean of 3: (85 + 88 + 90) / 3 = 263/3 (≈ 87.67)". */
  text: string;
  /** What trimming dropped, e.g. "highest 98 (v3), lowest 60 (v7)"; absent when nothing was dropped. */
  dropped?: string;
}

// Ballot values are nearly always integers (same denominator): compare numerators directly.
function compare(a: Rational, b: Rational): number {
  if (a.d === b.d) return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Positions of `values` in ascending order; ties keep input order (the sort is stable). */
export function ascending(values: readonly Rational[]): number[] {
  return packedAscending(values) ?? values.map((_, i) => i).sort((i, j) => compare(values[i]!, values[j]!));
}

/**
 * `ascending` for the usual ballots: small denominators (whole and half points) and small
 * numerators. Over the common denominator L, (numerator × L / d − lowest) × n + position
 * is a whole number below 2^53, so exact in a double, and sorting those numbers gives the
 * stable order without comparing fractions: a unit's 20 ballots are sorted in a fraction
 * of the time. Null when the values do not fit.
 */
function packedAscending(values: readonly Rational[]): number[] | null {
  const n = values.length;
  const keys: number[] = new Array(n);
  const denominators: number[] = new Array(n);
  let common = 1;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    // Converting first and checking the doubles is exact enough: past the limits a double
    // stays past them.
    const x = Number(v.n);
    const d = Number(v.d);
    if (!(x <= SMALL_NUMERATOR && x >= -SMALL_NUMERATOR && d <= SMALL_DENOMINATOR)) return null;
    keys[i] = x;
    denominators[i] = d;
    if (common % d !== 0) common = smallLcm(common, d);
    if (common > SMALL_DENOMINATOR) return null;
  }
  // |numerator| ≤ 2^32 and L ≤ 2^16: each scaled numerator is below 2^48 in magnitude.
  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const x = keys[i]! * (common / denominators[i]!);
    keys[i] = x;
    if (x < lowest) lowest = x;
    if (x > highest) highest = x;
  }
  if ((highest - lowest + 1) * n > Number.MAX_SAFE_INTEGER) return null;
  for (let i = 0; i < n; i++) keys[i] = (keys[i]! - lowest) * n + i;
  if (n <= INSERTION_LIMIT) {
    for (let i = 1; i < n; i++) {
      const k = keys[i]!;
      let j = i - 1;
      while (j >= 0 && keys[j]! > k) {
        keys[j + 1] = keys[j]!;
        j--;
      }
      keys[j + 1] = k;
    }
  } else keys.sort((a, b) => a - b);
  for (let i = 0; i < n; i++) keys[i] = keys[i]! % n;
  return keys;
}

const SMALL_DENOMINATOR = 2 ** 16;
const SMALL_NUMERATOR = 2 ** 32;
// Below this many ballots an insertion sort beats the native sort with a comparator.
const INSERTION_LIMIT = 48;

function requireValues(values: readonly Rational[], what: string): void {
  if (values.length === 0) throw new RangeError(`${what} of no ballots`);
}

function total(values: readonly Rational[]): Rational {
  // Ballots are whole or share one denominator (half points: n/2), the usual case: they sum
  // as bigint numerators, without a fraction per step; other denominators add as fractions.
  let whole = 0n;
  let shared = 0n;
  let numerators = 0n;
  let rest = ZERO;
  for (const v of values) {
    if (v.d === 1n) whole += v.n;
    else if (v.d === shared || shared === 0n) {
      shared = v.d;
      numerators += v.n;
    } else rest = add(rest, v);
  }
  const sum = shared === 0n ? ratio(whole) : ratio(whole * shared + numerators, shared);
  return rest.n === 0n ? sum : add(sum, rest);
}

function plainMean(values: readonly Rational[]): { value: Rational; arithmetic: string } {
  const sum = total(values);
  const n = values.length;
  // sum / n in one reduction (sum.d > 0, n > 0).
  const value = ratio(sum.n, sum.d * BigInt(n));
  if (n === 1) return { value, arithmetic: exact(value) };
  const terms = joinLimited(values, " + ", toExactString);
  // With terms elided the sum is what lets a reader check the division.
  const sumShown = n > TRACE_LIST_LIMIT ? ` = ${toExactString(sum)} / ${n}` : "";
  return { value, arithmetic: `(${terms}) / ${n}${sumShown} = ${exact(value)}` };
}

/** Arithmetic mean. Throws on an empty list: callers check the quorum first. */
export function mean(values: readonly Rational[]): Aggregate {
  requireValues(values, "mean");
  const { value, arithmetic } = plainMean(values);
  return { value, text: `mean of ${values.length}: ${arithmetic}` };
}

/** Median; for an even count, the mean of the two middle values. */
export function median(values: readonly Rational[]): Aggregate {
  requireValues(values, "median");
  const sorted = ascending(values).map((i) => values[i]!);
  const n = sorted.length;
  const list = joinLimited(sorted, ", ", toExactString);
  if (n % 2 === 1) {
    const mid = sorted[(n - 1) / 2]!;
    return { value: mid, text: `median of ${n} (${list}): middle value ${exact(mid)}` };
  }
  const lo = sorted[n / 2 - 1]!;
  const hi = sorted[n / 2]!;
  const value = div(add(lo, hi), ratio(2));
  return {
    value,
    text: `median of ${n} (${list}): middle values ${toExactString(lo)} and ${toExactString(hi)}, (${toExactString(lo)} + ${toExactString(hi)}) / 2 = ${exact(value)}`,
  };
}

/**
 * Trimmed mean (去掉最高分和最低分): drops the `trim` highest and `trim` lowest values, by
 * position after sorting, so of several values tied at an extreme only one goes per trim
 * step. Applies only when there are more than `minVoters` values; otherwise, and when
 * trimming would leave nothing, it is the plain mean and the text says why.
 * `labels` (voter ids, parallel to `values`) name the dropped ballots.
 */
export function trimmedMean(
  values: readonly Rational[],
  rule: { trim: number; minVoters: number },
  labels?: readonly string[],
): Aggregate {
  requireValues(values, "trimmed mean");
  const n = values.length;
  const { trim, minVoters } = rule;
  if (n <= minVoters) {
    const { value, arithmetic } = plainMean(values);
    const text = `${plural(n, "ballot")}, trimming needs more than ${minVoters}: plain mean ${arithmetic}`;
    return { value, text };
  }
  if (n - 2 * trim < 1) {
    const { value, arithmetic } = plainMean(values);
    const text = `${plural(n, "ballot")}, dropping ${trim} highest and ${trim} lowest would leave none: plain mean ${arithmetic}`;
    return { value, text };
  }
  const order = ascending(values);
  const named = (i: number): string =>
    labels ? `${toExactString(values[i]!)} (${labels[i]})` : toExactString(values[i]!);
  const low = order.slice(0, trim);
  const high = order.slice(n - trim).reverse();
  const kept = order.slice(trim, n - trim).map((i) => values[i]!);
  const { value, arithmetic } = plainMean(kept);
  const highText = joinLimited(high, ", ", named);
  const lowText = joinLimited(low, ", ", named);
  // With several per side, "; " keeps the two lists apart.
  const dropped = `highest ${highText}${trim > 1 ? ";" : ","} lowest ${lowText}`;
  // A reader seeing 98 dropped and 98 kept should know that is the rule, not a mistake.
  const tied =
    compare(values[high[high.length - 1]!]!, kept[kept.length - 1]!) === 0 ||
    compare(values[low[low.length - 1]!]!, kept[0]!) === 0;
  const tieNote = tied ? " (tied values at an extreme: one dropped per trim step)" : "";
  return {
    value,
    text: `trimmed mean of ${n} ballots, dropped highest ${highText} and lowest ${lowText}${tieNote}: ${arithmetic}`,
    dropped,
  };
}

/** Applies a mean, median or trimmed-mean rule; `labels` (voter ids) name trimmed ballots. */
export function aggregate(
  values: readonly Rational[],
  rule: PlainAggregation,
  labels?: readonly string[],
): Aggregate {
  switch (rule.type) {
    case "mean":
      return mean(values);
    case "median":
      return median(values);
    case "trimmed-mean":
      return trimmedMean(values, rule, labels);
  }
}

/**
 * The value `aggregate` gives, without the explanation: for ranking-only runs
 * (`traces: false`), where building trace text would cost more than the arithmetic.
 */
export function aggregateValue(values: readonly Rational[], rule: PlainAggregation): Rational {
  const n = values.length;
  if (n === 0) throw new RangeError(`${rule.type} of no ballots`);
  if (rule.type === "mean") return div(total(values), ratio(n));
  const sorted = ascending(values).map((i) => values[i]!);
  if (rule.type === "median")
    return n % 2 === 1 ? sorted[(n - 1) / 2]! : div(add(sorted[n / 2 - 1]!, sorted[n / 2]!), ratio(2));
  const { trim, minVoters } = rule;
  const kept = n <= minVoters || n - 2 * trim < 1 ? sorted : sorted.slice(trim, n - trim);
  return div(total(kept), ratio(kept.length));
}
