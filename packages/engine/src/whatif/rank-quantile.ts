/**
 * The type-7 quantile (R's default, NumPy's "linear") of n whole values given by their counts
 * (counts[v] = how many equal v), at `percent` of 100: with h = (n − 1) · percent / 100, the
 * value x[⌊h⌋] + (h − ⌊h⌋) · (x[⌊h⌋ + 1] − x[⌊h⌋]) of the sorted values. Null when n is 0.
 *
 * The result is the double nearest that exact value. Computed in doubles, h = 999 × 0.95 is
 * 949.0499999999999545…, and a 95th percentile of 25 and 26 came out 25.049999999999955; here
 * h stays the fraction (n − 1) · percent over 100 and the value is one division of two whole
 * numbers, (100 · a + f · (b − a)) / 100 with f the remainder of h's numerator, which IEEE
 * division rounds to the nearest double (25.05). Exact while 100 · a and (n − 1) · percent
 * are below 2^53: ranks and sample counts are far from it.
 */
export function rankQuantile(counts: Int32Array, n: number, percent: number): number | null {
  if (n === 0) return null;
  // h · 100, a whole number: its remainder and quotient by 100 are exact.
  const h = (n - 1) * percent;
  const f = h % 100;
  const lo = (h - f) / 100;
  const a = orderStatistic(counts, lo);
  if (f === 0) return a;
  const b = orderStatistic(counts, lo + 1);
  return (100 * a + f * (b - a)) / 100;
}

/** The k-th smallest counted value (k from 0). */
function orderStatistic(counts: Int32Array, k: number): number {
  let seen = 0;
  for (let v = 0; v < counts.length; v++) {
    seen += counts[v]!;
    if (seen > k) return v;
  }
  return counts.length - 1;
}
