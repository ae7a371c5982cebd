import {
  ensureWork,
  inversions,
  midRanks,
  pearson,
  type RankWork,
  rankCorrelations,
  tauB,
  zeroedCounts,
} from "./rank-statistics.js";

/**
 * The baseline's side of the pooled rank agreement (every scored unit's total, across
 * groups), worked out once per baseline: scenarios that score the same units then only
 * rank their own totals.
 */
export interface PooledBaseline {
  /** Units with a total, by total ascending, then index. */
  readonly order: Int32Array;
  /** Each unit's mid-rank among them, highest total = 1 (NaN without a total). */
  readonly mid: Float64Array;
  /** 1 where order[p] starts a run of equal totals (read instead of comparing totals again). */
  readonly runStart: Uint8Array;
  /** Pairs of units with equal totals. */
  readonly ties: number;
}

/** `total` in whole 10^−decimals units, NaN for a unit without one. */
export function pooledBaseline(total: Float64Array): PooledBaseline {
  const U = total.length;
  const scored: number[] = [];
  for (let i = 0; i < U; i++) if (!Number.isNaN(total[i]!)) scored.push(i);
  const order = Int32Array.from(scored).sort((a, b) => total[a]! - total[b]! || a - b);
  const ranks = midRanks(scored.map((i) => total[i]!));
  const mid = new Float64Array(U).fill(Number.NaN);
  scored.forEach((i, k) => {
    mid[i] = ranks[k]!;
  });
  let ties = 0;
  const runStart = new Uint8Array(order.length);
  for (let p = 0; p < order.length; ) {
    let e = p + 1;
    while (e < order.length && total[order[e]!] === total[order[p]!]) e++;
    ties += ((e - p) * (e - p - 1)) / 2;
    runStart[p] = 1;
    p = e;
  }
  return { order, mid, runStart, ties };
}

/**
 * Spearman and Kendall's tau-b of the baseline's totals against a scenario's, over the
 * units scored on both sides: `rankCorrelations` of the two total vectors, with the
 * baseline's order and mid-ranks taken from `base`. When the scenario scores other units
 * than the baseline, or its totals are not whole numbers in a narrow span, it falls back to
 * `rankCorrelations` itself; either way the numbers are the same.
 */
export function pooledAgreement(
  base: PooledBaseline,
  before: Float64Array,
  after: Float64Array,
  w: RankWork,
): { units: number; spearman: number; kendallTauB: number } {
  const U = before.length;
  const n = base.order.length;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let same = true;
  for (let i = 0; i < U && same; i++) {
    const y = after[i]!;
    if (Number.isNaN(y) !== Number.isNaN(before[i]!)) same = false;
    else if (!Number.isNaN(y)) {
      if (!Number.isInteger(y)) same = false;
      if (y < lo) lo = y;
      if (y > hi) hi = y;
    }
  }
  const span = hi - lo + 1;
  if (!same || n < 2 || !(span <= 8 * n + 1024)) return generic(before, after);
  ensureWork(w, U);
  // Scenario mid-ranks by counting, in index order as rankCorrelations lays them out.
  const below = zeroedCounts(w, span + 1);
  for (let i = 0; i < U; i++) if (!Number.isNaN(after[i]!)) below[after[i]! - lo + 1]!++;
  let tiesY = 0;
  for (let v = 1; v <= span; v++) {
    tiesY += (below[v]! * (below[v]! - 1)) / 2;
    below[v]! += below[v - 1]!;
  }
  const { rx, ry } = w;
  // Each unit's scenario total as a whole number (1 … span) in an Int32Array: the inversion
  // count's bit operations on doubles would convert them at every step.
  const yAt = w.ys;
  for (let i = 0, k = 0; i < U; i++) {
    if (Number.isNaN(after[i]!)) continue;
    const v = after[i]! - lo;
    yAt[i] = v + 1;
    rx[k] = base.mid[i]!;
    ry[k++] = n + 1 - (below[v]! + 1 + below[v + 1]!) / 2;
  }
  const spearman = pearson(rx, ry, n);
  // Kendall: scenario totals in baseline order (equal baseline totals by scenario total,
  // so that they never count); a pair out of order there is discordant.
  const seq = w.byY;
  const { order, runStart } = base;
  let tiesXY = 0;
  // Within a run of equal baseline totals, by scenario total (runs are short: insertion sort).
  for (let k = 0, from = 0; k < n; k++) {
    const y = yAt[order[k]!]!;
    if (runStart[k] === 1) from = k;
    let s = k;
    while (s > from && seq[s - 1]! > y) {
      seq[s] = seq[s - 1]!;
      s--;
    }
    seq[s] = y;
    // Pairs tied on both sides: the run's earlier units with the same scenario total.
    if (runStart[k] !== 1) {
      let t = s;
      while (t > from && seq[t - 1] === y) t--;
      tiesXY += s - t;
    }
  }
  const discordant = inversions(seq, n, span, w);
  return { units: n, spearman, kendallTauB: tauB(n, base.ties, tiesY, tiesXY, discordant) };
}

function generic(
  before: Float64Array,
  after: Float64Array,
): { units: number; spearman: number; kendallTauB: number } {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < before.length; i++)
    if (!Number.isNaN(before[i]!) && !Number.isNaN(after[i]!)) {
      x.push(before[i]!);
      y.push(after[i]!);
    }
  const { spearman, kendallTauB } = rankCorrelations(x, y);
  return { units: x.length, spearman, kendallTauB };
}
