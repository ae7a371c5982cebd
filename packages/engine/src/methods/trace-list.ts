/** Most items a trace lists before eliding: keeps traces readable with 200 voters or 20 options. */
export const TRACE_LIST_LIMIT = 12;

/**
 * Joins at most `TRACE_LIST_LIMIT` items; a longer list keeps its head and its last two
 * around "… N more …", so the first and last (e.g. lowest and highest) stay checkable.
 * Only the items shown are formatted; texts need no formatting.
 */
export function joinLimited(items: readonly string[], sep: string): string;
export function joinLimited<T>(items: readonly T[], sep: string, format: (item: T) => string): string;
export function joinLimited<T>(items: readonly T[], sep: string, format?: (item: T) => string): string {
  const n = items.length;
  // Texts are joined as they are, without a formatted copy of the list.
  if (n <= TRACE_LIST_LIMIT) return format ? items.map(format).join(sep) : items.join(sep);
  const show = format ?? String;
  const shown = items.slice(0, TRACE_LIST_LIMIT - 2).map(show);
  shown.push(`… ${n - TRACE_LIST_LIMIT} more …`, show(items[n - 2]!), show(items[n - 1]!));
  return shown.join(sep);
}

/** "1 ballot", "4 ballots", "800 valid forms". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** "a", "a and b", "a, b and c": a short list as a sentence says it. */
export function andList(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)!}`;
}
