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

/** How many decimals a published value shows ("82.94" → 2). */
export function placesOf(published: string | null | undefined, fallback = 2): number {
  if (!published) return fallback;
  return published.split(".")[1]?.length ?? 0;
}
