import type { SeededRandom } from "./seeded-random.js";

/**
 * How a uniform draw that keeps the scheme's total is proposed, and how often a proposal is
 * kept.
 *
 * The points that keep the total are, less each category's lowest reachable point, the y with
 * 0 ≤ y_k ≤ w_k and Σ y_k = S, a slice of the box of widths w. Three proposals are uniform over
 * a region holding all of them, so keeping only the proposals that land among them leaves the
 * draw uniform:
 *   - "box": every category but one drawn within its width, the last solved for; good when the
 *     total cuts through the middle of the widths;
 *   - "slack": S split by a flat Dirichlet draw; good near the lows' corner, where S is small
 *     beside the widths (9 categories held near their lows kept one box draw in 8! = 40,320, and
 *     every split one);
 *   - "shortfall": the widths less D = Σ w − S split the same way; the same near the highs'
 *     corner, which is the lows' reflected (y → w − y).
 * All are (m − 1)-dimensional for m categories that move and the region is the same in each, so
 * the proposal with the least volume is kept most often. How often is counted before any draw, so
 * that whether bounds are drawable depends on neither the seed nor the number of samples.
 */
export type KeepTotalProposal = "box" | "slack" | "shortfall";

export interface KeepTotalPlan {
  proposal: KeepTotalProposal;
  /**
   * The share of proposals kept, in (0, 1]: counted exactly where the region has at most 2^16
   * corners on its nearer side and its numbers are of like size, else estimated from
   * PILOT_PROPOSALS proposals of a fixed seed (many categories through the middle of their widths,
   * or widths of 10^−300 beside a total of 100).
   */
  accept: number;
  /** Whether `accept` is an estimate. */
  estimated: boolean;
}

/** Sets of widths summed before the count gives up: 2^16, every subset of 16 categories. */
const MAX_TERMS = 1 << 16;
/** Bits of the widths on their common power of two past which the count would take seconds. */
const MAX_BITS = 192;
/** Proposals that estimate the share kept where it is not counted: ±1% of it at one in ten. */
const PILOT_PROPOSALS = 100_000;
/** The pilot's own seed: the estimate, and so whether bounds are refused, is the same for every run. */
const PILOT_SEED = 0x5eed;

/**
 * The plan for widths `w` (each > 0, two or more) and the slack S (0 < S < Σ w) of the total
 * above the lowest reachable points; `free` is the category the box proposal solves for.
 */
export function keepTotalPlan(
  w: Float64Array,
  S: number,
  free: number,
  pilot: (seed: number) => SeededRandom,
): KeepTotalPlan {
  const m = w.length;
  let sumW = 0;
  for (let k = 0; k < m; k++) sumW += w[k]!;
  // Volumes compared in logarithms: (m − 1)! and S^(m−1) leave doubles past ~170 categories.
  let logFactorial = 0;
  for (let k = 2; k < m; k++) logFactorial += Math.log(k);
  let logBox = 0;
  for (let k = 0; k < m; k++) if (k !== free) logBox += Math.log(w[k]!);
  const logSlack = (m - 1) * Math.log(S) - logFactorial;
  const logShortfall = (m - 1) * Math.log(sumW - S) - logFactorial;
  const least = Math.min(logBox, logSlack, logShortfall);
  const proposal: KeepTotalProposal = least === logBox ? "box" : least === logSlack ? "slack" : "shortfall";
  const counted = countedShare(w, S, free, proposal);
  if (counted !== null) return { proposal, accept: counted, estimated: false };
  const propose = proposer(proposal, w, S, free, pilot(PILOT_SEED));
  const y = new Float64Array(m);
  let kept = 0;
  for (let t = 0; t < PILOT_PROPOSALS; t++) if (propose(y)) kept++;
  return { proposal, accept: kept / PILOT_PROPOSALS, estimated: true };
}

/**
 * A proposal into y (m entries, y[free] solved for so that they sum to S); true when it lands
 * among the points that keep the total.
 */
export function proposer(
  proposal: KeepTotalProposal,
  w: Float64Array,
  S: number,
  free: number,
  rnd: SeededRandom,
): (y: Float64Array) => boolean {
  const m = w.length;
  let sumW = 0;
  for (let k = 0; k < m; k++) sumW += w[k]!;
  const D = sumW - S;
  const within = (y: Float64Array, rest: number): boolean => {
    y[free] = rest;
    for (let k = 0; k < m; k++) if (!(y[k]! >= 0 && y[k]! <= w[k]!)) return false;
    return true;
  };
  if (proposal === "box")
    return (y) => {
      let rest = S;
      for (let k = 0; k < m; k++) if (k !== free) rest -= y[k] = rnd.next() * w[k]!;
      return within(y, rest);
    };
  // A flat Dirichlet draw: exponential variates over their sum; 1 − u keeps the logarithm finite.
  const split = new Float64Array(m);
  const amount = proposal === "slack" ? S : D;
  return (y) => {
    let sum = 0;
    for (let k = 0; k < m; k++) sum += split[k] = -Math.log(1 - rnd.next());
    let rest = S;
    for (let k = 0; k < m; k++) {
      if (k === free) continue;
      const part = (amount * split[k]!) / sum;
      rest -= y[k] = proposal === "slack" ? part : w[k]! - part;
    }
    return within(y, rest);
  };
}

/**
 * The share of `proposal`'s draws kept, counted exactly; null where that would take long.
 *
 * The region's volume, projected onto all coordinates but one, is by inclusion–exclusion
 * V = Σ_J (−1)^|J| (S − Σ_{j∈J} w_j)₊^(m−1) / (m − 1)! over the sets J of categories, and the same
 * with D = Σ w − S for S (the region reflected): summed on the side with fewer terms. In doubles
 * its terms cancel to nothing near a corner (2^m terms of size S^(m−1) for a V a million times
 * smaller), so it is summed exactly: the widths and S are doubles, each an integer times a power
 * of two, and the sum is of integers on their common power.
 */
function countedShare(w: Float64Array, S: number, free: number, proposal: KeepTotalProposal): number | null {
  const m = w.length;
  const ints = onCommonPower([S, ...w]);
  if (ints === null) return null;
  const s = ints[0]!;
  const W = ints.slice(1);
  const d = W.reduce((a, b) => a + b, 0n) - s;
  // Bigints: Math.min takes none.
  let near = s;
  if (d < near) near = d;
  const widths = [...W].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const e = BigInt(m - 1);
  // Σ_J (−1)^|J| (near − Σ_J w)₊^(m−1), over the sets whose widths sum below `near`: with the
  // widths in ascending order, a set that reaches it ends the widths after it too.
  let sum = 0n;
  let terms = 0;
  const walk = (from: number, rest: bigint, sign: bigint): boolean => {
    if (++terms > MAX_TERMS) return false;
    sum += sign * rest ** e;
    for (let j = from; j < m; j++) {
      const left = rest - widths[j]!;
      if (left <= 0n) break;
      if (!walk(j + 1, left, -sign)) return false;
    }
    return true;
  };
  if (!walk(0, near, 1n) || sum <= 0n) return null;
  // V (times (m − 1)!) over the proposal's volume (likewise), each on the same power of two.
  let over: bigint;
  if (proposal === "box") {
    over = factorial(m - 1);
    for (let k = 0; k < m; k++) if (k !== free) over *= W[k]!;
  } else over = (proposal === "slack" ? s : d) ** e;
  return Math.min(1, ratio(sum, over));
}

function factorial(n: number): bigint {
  let f = 1n;
  for (let k = 2n; k <= BigInt(n); k++) f *= k;
  return f;
}

/**
 * Non-negative finite doubles as integers over one power of two (left out: it is the same in
 * every volume compared), exact, since a double is its significand times a power of two; null
 * when they would take more than MAX_BITS (numbers of very unlike size).
 */
function onCommonPower(xs: readonly number[]): bigint[] | null {
  const scaled = xs.map((x) => {
    let k = 0;
    let y = x;
    // Doubling is exact (a double with a fraction is below 2^52), and a fraction's last bit is
    // at most 1074 places down.
    for (; !Number.isInteger(y); y *= 2) k++;
    return { int: BigInt(y), k };
  });
  const power = Math.max(...scaled.map((x) => x.k));
  const ints = scaled.map(({ int, k }) => int << BigInt(power - k));
  return ints.some((n) => n.toString(2).length > MAX_BITS) ? null : ints;
}

/** n / d as a double, for positive integers of any size. */
function ratio(n: bigint, d: bigint): number {
  const bits = Math.max(n.toString(2).length, d.toString(2).length);
  const cut = BigInt(Math.max(0, bits - 1000));
  return Number(n >> cut) / Number(d >> cut);
}
