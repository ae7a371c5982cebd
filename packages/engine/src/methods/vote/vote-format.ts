import { type Rational, toExactString } from "../../rational.js";

/** Most values a trace lists before eliding; keeps traces readable with 200 voters. */
export const TRACE_LIST_LIMIT = 12;

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Exact text of a value, the same as `toExactString`: a terminating decimal, otherwise
 * "n/d". Ballot values and their means are small, so this works in plain numbers where
 * exact: a trace formats hundreds of thousands of values, and bigint arithmetic
 * allocates on every step.
 */
export function show(value: Rational): string {
  const { n, d } = value;
  if (n > SAFE || n < -SAFE || d > SAFE) return toExactString(value);
  const num = Number(n);
  const den = Number(d);
  if (den === 1) return String(num);
  let rest = den;
  let twos = 0;
  let fives = 0;
  while (rest % 2 === 0) {
    rest /= 2;
    twos++;
  }
  while (rest % 5 === 0) {
    rest /= 5;
    fives++;
  }
  if (rest !== 1) return `${num}/${den}`;
  const places = Math.max(twos, fives);
  // 10^places / den is an exact integer up to 10^15; the product is exact while it is a safe integer.
  const scaled = places <= 15 ? num * (10 ** places / den) : Number.NaN;
  if (!Number.isSafeInteger(scaled)) return toExactString(value);
  // In lowest terms the last digit is never 0, so there is nothing to trim.
  const digits = String(Math.abs(scaled)).padStart(places + 1, "0");
  const cut = digits.length - places;
  return `${scaled < 0 ? "-" : ""}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/**
 * Joins at most `TRACE_LIST_LIMIT` items with `sep`; longer lists keep their head and
 * tail around "…" so the first and last (e.g. lowest and highest) stay checkable. Only
 * the items shown are formatted.
 */
export function joinLimited<T>(items: readonly T[], sep: string, format: (item: T) => string): string {
  const n = items.length;
  if (n <= TRACE_LIST_LIMIT) return items.map(format).join(sep);
  const shown = items.slice(0, TRACE_LIST_LIMIT - 2).map(format);
  shown.push("…", format(items[n - 2]!), format(items[n - 1]!));
  return shown.join(sep);
}

/** "1 ballot", "4 ballots". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
