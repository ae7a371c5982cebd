/**
 * The order of a comparison's rows: largest |rank delta| first (units without one last),
 * then largest |total delta|, then unit id. Units are bucketed by |rank delta| at once
 * (a counting pass), and a bucket is sorted the first time one of its rows is read: a first
 * screen reads the fifty largest moves, which sit in a few small buckets, while the big
 * buckets of units that barely moved are ordered only for a caller who pages that far.
 */
export interface RowOrder {
  readonly length: number;
  /** The unit index of row k (0 ≤ k < length). */
  unitAt(k: number): number;
}

/**
 * `rankDelta` holds NaN for units without a rank delta and `totalDelta` NaN for units
 * without a total delta (both in whole 10^−decimals units); `idOrder[i]` is unit i's
 * position in id order and `byIdOrder` its inverse.
 */
export function rowOrder(
  rankDelta: Float64Array,
  totalDelta: Float64Array,
  idOrder: Int32Array,
  byIdOrder: Int32Array,
): RowOrder {
  const U = rankDelta.length;
  let maxRank = 0;
  let maxDelta = 0;
  for (let i = 0; i < U; i++) {
    const r = Math.abs(rankDelta[i]!);
    const d = Math.abs(totalDelta[i]!);
    if (r > maxRank) maxRank = r;
    if (d > maxDelta) maxDelta = d;
  }
  // Bucket 0 holds the largest |rank delta|, bucket maxRank a delta of 0, the last bucket none.
  const B = maxRank + 2;
  const bucketOf = (i: number) => (Number.isNaN(rankDelta[i]!) ? B - 1 : maxRank - Math.abs(rankDelta[i]!));
  const start = new Int32Array(B + 1);
  for (let i = 0; i < U; i++) start[bucketOf(i) + 1]!++;
  for (let b = 0; b < B; b++) start[b + 1]! += start[b]!;
  const order = new Int32Array(U);
  const fill = start.slice(0, B);
  for (let i = 0; i < U; i++) order[fill[bucketOf(i)]!++] = i;
  const sorted = new Uint8Array(B);
  const sizeKey = (i: number) => (Number.isNaN(totalDelta[i]!) ? 0 : Math.abs(totalDelta[i]!));
  // Within a bucket: one packed number per unit, sorted natively, when it fits in 2^53.
  const packs = (maxDelta + 1) * U < 2 ** 53;
  let packed: Float64Array | null = null;
  const sortBucket = (b: number) => {
    const rows = order.subarray(start[b]!, start[b + 1]!);
    if (!packs) {
      rows.sort((x, y) => sizeKey(y) - sizeKey(x) || idOrder[x]! - idOrder[y]!);
      return;
    }
    packed ??= new Float64Array(U);
    const keys = packed.subarray(0, rows.length);
    for (let p = 0; p < rows.length; p++) keys[p] = (maxDelta - sizeKey(rows[p]!)) * U + idOrder[rows[p]!]!;
    keys.sort();
    for (let p = 0; p < rows.length; p++) rows[p] = byIdOrder[keys[p]! % U]!;
  };
  return {
    length: U,
    unitAt(k: number): number {
      // The bucket holding row k: the last b with start[b] ≤ k (buckets may be empty).
      let lo = 0;
      let hi = B - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (start[mid]! <= k) lo = mid;
        else hi = mid - 1;
      }
      if (sorted[lo] === 0) {
        sortBucket(lo);
        sorted[lo] = 1;
      }
      return order[k]!;
    },
  };
}
