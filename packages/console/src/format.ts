import type { Lang } from "./i18n";

/**
 * Shows an exact decimal ("-1.3", "7.72", "0") with at least as many places as the published
 * totals beside it ("-1.30"), so a column of deltas lines up with the totals. Fractions
 * ("1/3") are left as they are: padding cannot make them exact.
 */
export function padDecimals(exact: string, places: number): string {
  if (exact.includes("/") || places <= 0) return exact;
  const [whole, fraction = ""] = exact.split(".");
  return fraction.length >= places ? exact : `${whole}.${fraction.padEnd(places, "0")}`;
}

/**
 * An exact fraction ("40/3") as its decimal rounded to `places` after "≈" ("≈ 13.33"); null for a
 * decimal, which is exact as written. `approx` is the gateway's own approximation where it gave
 * one; otherwise the fraction's value, which is only ever shown, never computed with.
 */
export function approximateFraction(exact: string, places: number, approx?: number): string | null {
  if (!exact.includes("/")) return null;
  const [numerator, denominator] = exact.split("/");
  const rounded = (approx ?? Number(numerator) / Number(denominator)).toFixed(Math.max(places, 0));
  // -1/1000 rounds to "-0.00": no sign on a zero.
  return `≈ ${/^-0(\.0*)?$/.test(rounded) ? rounded.slice(1) : rounded}`;
}

/** "104470/2929 ≈ 35.67" for exact fractions, keeping the exact value beside its decimal; decimals as they are. */
export function exactLabel(exact: string, places: number, approx?: number): string {
  const approximate = approximateFraction(exact, places, approx);
  return approximate === null ? exact : `${exact} ${approximate}`;
}

/** How many decimals a published value shows ("82.94" → 2). */
export function placesOf(published: string | null | undefined, fallback = 2): number {
  if (!published) return fallback;
  return published.split(".")[1]?.length ?? 0;
}

/**
 * A moment (an ISO string from the gateway) as a date and time in the console's language, not
 * the browser's: a console switched to 中文 on an English browser shows Chinese dates.
 * `timeZone` defaults to the browser's own; tests give one so their output is fixed.
 */
export function formatDateTime(moment: string | Date, lang: Lang, timeZone?: string): string {
  const date = typeof moment === "string" ? new Date(moment) : moment;
  if (Number.isNaN(date.getTime())) return String(moment);
  return new Intl.DateTimeFormat(lang, {
    dateStyle: "medium",
    timeStyle: "short",
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

/**
 * A share of samples (0 to 1) as a percentage with one decimal. Only none and all are shown as
 * 0% and 100%: a unit excellent in 2 of 5,000 samples is not "never" (0.0%), but "<0.1%".
 */
export function formatShare(share: number): string {
  if (share <= 0) return "0%";
  if (share >= 1) return "100%";
  const percent = (share * 100).toFixed(1);
  if (percent === "0.0") return "<0.1%";
  if (percent === "100.0") return ">99.9%";
  return `${percent}%`;
}

/**
 * A Monte-Carlo rank (a median or percentile, interpolated between two samples' ranks) as the
 * console's language writes numbers: at most 2 decimals, no trailing zeros — 25.049999999999955
 * is 25.05, and 9 is 9.
 */
export function formatRank(rank: number, lang: Lang): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(rank);
}
