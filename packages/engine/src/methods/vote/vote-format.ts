import { type Rational, toExactString } from "../../rational.js";

/** Most values a trace lists before eliding; keeps traces readable with 200 voters. */
export const TRACE_LIST_LIMIT = 12;

/**
 * Exact text of a value. Integers (nearly every ballot) skip the general path, which
 * matters when a category has hundreds of thousands of ballots.
 */
export function show(value: Rational): string {
  return value.d === 1n ? value.n.toString() : toExactString(value);
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
