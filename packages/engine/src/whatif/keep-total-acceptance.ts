/**
 * How a uniform draw that keeps the scheme's total is proposed, and how often a proposal is
 * kept, exactly.
 *
 * The points that keep the total are, less each category's lowest reachable point, the y with
 * 0 ≤ y_k ≤ w_k and Σ y_k = S. Two proposals are uniform over a region holding all of them, so
 * keeping only the proposals that land among them leaves the draw uniform:
 *   - "box": every category but one drawn within its width, the last solved for (kept when it
 *     falls within its own); good when the total cuts through the middle of the widths;
 *   - "simplex": y = S × a flat Dirichlet draw (kept when no y_k passes its width); good near a
 *     corner, where S is small beside the widths: 9 categories held near their lows kept one box
 *     draw in 8! = 40,320, and every simplex draw.
 * Both are (m − 1)-dimensional for m categories that move, and the region is the same in both,
 * so the proposal with the smaller volume is kept more often. How often exactly decides before
 * any draw whether bounds are drawable at all, so that neither the seed nor the number of
 * samples can make the same bounds drawable once and refused the next time.
 */
export interface KeepTotalPlan {
  proposal: "box" | "simplex";
  /**
   * The share of proposals kept, in (0, 1]; null when the region has too many corners to count
   * (more than 2^16 sets of widths below S; only with many categories).
   */
  accept: number | null;
}

/** Sets of widths summed before the count gives up: 2^16, every subset of 16 categories. */
const MAX_TERMS = 1 << 16;

/**
 * The plan for widths `w` (each > 0, two or more) and the slack S (0 < S < Σ w) of the total
 * above the lowest reachable points; `free` is the category the box proposal solves for.
 *
 * The region's volume, projected onto all coordinates but one, is by inclusion–exclusion
 * V = Σ_J (−1)^|J| (S − Σ_{j∈J} w_j)₊^(m−1) / (m − 1)! over the sets J of categories. In
 * doubles its terms cancel to nothing near a corner (2^m terms of size S^(m−1) for a V a
 * million times smaller), so it is summed exactly: the widths and S are doubles, each an
 * integer times a power of two, and the sum is of integers on their common power.
 */
export function keepTotalPlan(w: ArrayLike<number>, S: number, free: number): KeepTotalPlan {
  const m = w.length;
  // Volumes compared in logarithms: (m − 1)! and S^(m−1) leave doubles past ~170 categories.
  let logBox = 0;
  for (let k = 0; k < m; k++) if (k !== free) logBox += Math.log(w[k]!);
  let logFactorial = 0;
  for (let k = 2; k < m; k++) logFactorial += Math.log(k);
  const logSimplex = (m - 1) * Math.log(S) - logFactorial;
  const proposal = logSimplex < logBox ? "simplex" : "box";

  const ints = onCommonPower([S, ...Array.from(w)]);
  const s = ints[0]!;
  const widths = ints.slice(1).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const e = BigInt(m - 1);
  // Σ_J (−1)^|J| (S − Σ_J w)₊^(m−1), over the sets whose widths sum below S: with the widths
  // in ascending order, a set that reaches S ends the widths after it too.
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
  if (!walk(0, s, 1n) || sum <= 0n) return { proposal, accept: null };
  // V over the proposal's volume, each on the same power of two: the simplex's is
  // S^(m−1) / (m − 1)!, the box's the product of the widths drawn in.
  let over = s ** e;
  if (proposal === "box") {
    over = factorial(m - 1);
    for (let k = 0; k < m; k++) if (k !== free) over *= ints[k + 1]!;
  }
  return { proposal, accept: Math.min(1, ratio(sum, over)) };
}

function factorial(n: number): bigint {
  let f = 1n;
  for (let k = 2n; k <= BigInt(n); k++) f *= k;
  return f;
}

/**
 * Non-negative finite doubles as integers over one power of two (left out: it is the same
 * in every volume compared): exact, since a double is its significand times a power of two.
 */
function onCommonPower(xs: readonly number[]): bigint[] {
  const scaled = xs.map((x) => {
    let k = 0;
    let y = x;
    // Doubling is exact (these are far below the largest double), and a fraction's last bit
    // is at most 1074 places down.
    for (; !Number.isInteger(y); y *= 2) k++;
    return { int: BigInt(y), k };
  });
  const power = Math.max(...scaled.map((x) => x.k));
  return scaled.map(({ int, k }) => int << BigInt(power - k));
}

/** n / d as a double, for positive integers of any size. */
function ratio(n: bigint, d: bigint): number {
  const bits = Math.max(n.toString(2).length, d.toString(2).length);
  const cut = BigInt(Math.max(0, bits - 1000));
  return Number(n >> cut) / Number(d >> cut);
}
