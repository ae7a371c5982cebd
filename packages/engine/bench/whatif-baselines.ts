/**
 * Baselines for the what-if figures, computed from one exact evaluation (the "computed
 * baseline"): each unit's category shares, the deductions due per category, its bonus minus
 * total deductions, and for parents the sub-units' mean public share (roll-up 10%).
 *
 * A weight change then costs, per unit,
 *   t = max(0, Σ_c round₂(max(0, share_c × w_c − due_c)) + adj);  total = (1 − r) t + r × cs × Σ_c w_c
 * rounded to 2 places, then a competition ranking per group. Two ways to do that:
 *   - the obvious way: a mathjs expression, compiled once, evaluated per unit with a scope;
 *   - the floor: the same arithmetic over Float64Arrays, plus the per-group ranking.
 */
import { compile } from "mathjs";
import type { ExactEvaluation } from "../src/index.js";
import { parseDecimal, toNumber } from "../src/index.js";

export interface Columns {
  categories: string[];
  /** Baseline maxima, by category. */
  points: Float64Array;
  units: number;
  /** share[c * units + u]: method value / scale; NaN when insufficient. */
  share: Float64Array;
  /** due[c * units + u]: deductions due in the category (before the floor at zero). */
  due: Float64Array;
  /** Bonus − deductions from the total. */
  adj: Float64Array;
  /** Roll-up share (0 for units without sub-units) and the sub-units' mean public share. */
  rollShare: Float64Array;
  childShare: Float64Array;
  /** Units by group, ranked groups only. */
  groups: Int32Array[];
  /** 1 when a veto places the unit last in its group. */
  last: Uint8Array;
  /** The tie-breaker category (public evaluation), by index. */
  tie: number;
  /** 1 when no veto bars the unit from excellence. */
  eligible: Uint8Array;
  /** How the scheme grades, where the floor's sweep can follow it; null where it cannot. */
  grading: FloorGrading | null;
}

/**
 * The grading the floor's sweep follows, the province scheme's: a first grade given to the
 * best eligible units of each group up to a percent of its ranked units (rounded down), then
 * grades by minimum total, then the fallback.
 */
export interface FloorGrading {
  /** Grade ids: the quota's, then each threshold's in rule order, then the fallback's. */
  ids: (string | null)[];
  quotaPercent: number;
  /** The thresholds' minimum totals, highest first. */
  minTotals: Float64Array;
}

function gradingOf(scheme: ExactEvaluation["compiled"]["scheme"]): FloorGrading | null {
  const [first, ...rest] = scheme.grades.rules;
  const quota = first?.quota;
  if (
    !first ||
    !quota ||
    quota.percent === undefined ||
    quota.scope !== "group" ||
    quota.from === "bottom" ||
    quota.of === "admitted" ||
    first.minTotal !== undefined ||
    first.belowTotal !== undefined ||
    !first.requiresExcellenceEligibility ||
    scheme.ranking.lastLosesExcellence
  )
    return null;
  if (rest.some((r) => r.quota || r.belowTotal !== undefined || r.minTotal === undefined)) return null;
  const minTotals = Float64Array.from(rest, (r) => toNumber(parseDecimal(r.minTotal!)));
  if (minTotals.some((t, k) => k > 0 && t >= minTotals[k - 1]!)) return null;
  return {
    ids: [first.id, ...rest.map((r) => r.id), scheme.grades.fallback?.id ?? null],
    quotaPercent: toNumber(parseDecimal(quota.percent)),
    minTotals,
  };
}

export function columnsFrom(exact: ExactEvaluation): Columns {
  const { compiled } = exact;
  const scheme = compiled.scheme;
  const categories = scheme.categories.map((c) => c.id);
  const C = categories.length;
  const U = exact.units.length;
  const points = Float64Array.from(categories, (c) => toNumber(compiled.points.get(c)!));
  const share = new Float64Array(C * U).fill(Number.NaN);
  const due = new Float64Array(C * U);
  const adj = new Float64Array(U);
  const rollShare = new Float64Array(U);
  const childShare = new Float64Array(U);
  const index = new Map(exact.units.map((u, i) => [u.unit.id, i]));
  const rollup = scheme.rollups[0];
  const source = rollup && "category" in rollup.source ? categories.indexOf(rollup.source.category) : -1;
  const kids = new Map<number, number[]>();
  let groups: Int32Array[] = [];
  exact.units.forEach((u, i) => {
    u.categories.forEach((cat) => {
      const c = categories.indexOf(cat.category);
      if (cat.outcome.status === "scored" && cat.methodPoints !== null)
        share[c * U + i] = toNumber(cat.outcome.value) / toNumber(cat.outcome.scale);
    });
    adj[i] = toNumber(u.bonusTotal) - toNumber(u.totalDeducted);
    if (u.unit.parent !== undefined) {
      const p = index.get(u.unit.parent)!;
      kids.set(p, [...(kids.get(p) ?? []), i]);
    }
  });
  // Deductions due per category, from the lines and caps the engine kept.
  {
    const byUnit = deductionsByUnitFromExact(exact);
    for (const [unit, byTarget] of byUnit) {
      const i = index.get(unit)!;
      for (const [target, amount] of byTarget) {
        const c = categories.indexOf(target);
        if (c >= 0) due[c * U + i] = amount;
      }
    }
    if (rollup && source >= 0) {
      for (const [p, list] of kids) {
        const shares = list.map((k) => share[source * U + k]!).filter((s) => !Number.isNaN(s));
        if (shares.length === 0) continue;
        rollShare[p] = toNumber(parseDecimal(rollup.share));
        childShare[p] = shares.reduce((s, x) => s + x, 0) / shares.length;
      }
    }
    const members = new Map<string, number[]>();
    exact.units.forEach((u, i) => {
      const list = members.get(u.unit.group);
      if (list) list.push(i);
      else members.set(u.unit.group, [i]);
    });
    groups = scheme.groups.filter((g) => g.ranked).map((g) => Int32Array.from(members.get(g.id) ?? []));
  }
  const last = Uint8Array.from(exact.units, (u) => (u.forcedLast ? 1 : 0));
  const tieBreaker = scheme.ranking.tieBreakers[0]?.category;
  const tie = tieBreaker === undefined ? -1 : categories.indexOf(tieBreaker);
  const eligible = Uint8Array.from(exact.units, (u) => (u.eligibleForExcellence ? 1 : 0));
  return {
    categories,
    points,
    units: U,
    share,
    due,
    adj,
    rollShare,
    childShare,
    groups,
    last,
    tie,
    eligible,
    grading: gradingOf(scheme),
  };
}

/** Capped deductions due per unit and target (category id, or "" for the total), as numbers. */
function deductionsByUnitFromExact(exact: ExactEvaluation): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const u of exact.units) {
    // ExactCategory.deducted is what the floor let through; the due amount is methodPoints − points
    // only when not floored, so recompute from the lines and caps the engine kept.
    const byType = new Map<string, number>();
    for (const line of u.deductions)
      byType.set(line.type, (byType.get(line.type) ?? 0) - Number(line.points));
    for (const cap of u.deductionCaps) byType.set(cap.type, toNumber(cap.after));
    const targets = new Map<string, number>();
    for (const line of u.deductions) {
      const target = line.category ?? "";
      if (!byType.has(line.type)) continue;
      targets.set(target, (targets.get(target) ?? 0) + byType.get(line.type)!);
      byType.delete(line.type);
    }
    out.set(u.unit.id, targets);
  }
  return out;
}

const r2 = (x: number) => Math.round(x * 100 + 1e-9) / 100;

/** The floor: totals for one weight vector over Float64Arrays. */
export function floorTotals(col: Columns, w: Float64Array, out: Float64Array): Float64Array {
  const { units: U, share, due, adj, rollShare, childShare } = col;
  const C = w.length;
  let wsum = 0;
  for (let c = 0; c < C; c++) wsum += w[c]!;
  for (let u = 0; u < U; u++) {
    let t = adj[u]!;
    for (let c = 0; c < C; c++) {
      const p = share[c * U + u]! * w[c]! - due[c * U + u]!;
      t += p > 0 ? r2(p) : 0; // categories are rounded before they are summed, as the scheme says
      if (Number.isNaN(p)) t = Number.NaN;
    }
    if (t < 0) t = 0;
    const r = rollShare[u]!;
    out[u] = r2(r > 0 ? (1 - r) * t + r * childShare[u]! * wsum : t);
  }
  return out;
}

/** The tie-breaker's points per unit (rounded as the scheme rounds categories). */
export function tieKeys(col: Columns, w: ArrayLike<number>, out: Float64Array): Float64Array {
  const U = col.units;
  const c = col.tie;
  for (let u = 0; u < U; u++)
    out[u] = c < 0 ? 0 : r2(Math.max(0, col.share[c * U + u]! * w[c]! - col.due[c * U + u]!));
  return out;
}

/**
 * Competition ranks ("1224") within each ranked group, vetoed-last units after the others,
 * ties broken by the tie-breaker category; NaN totals get rank 0.
 */
export function floorRanks(
  col: Columns,
  totals: Float64Array,
  tie: Float64Array,
  rank: Int32Array,
  scratch: Int32Array,
): Int32Array {
  const last = col.last;
  const order = (a: number, b: number) => last[a]! - last[b]! || totals[b]! - totals[a]! || tie[b]! - tie[a]!;
  for (const members of col.groups) {
    let n = 0;
    for (let k = 0; k < members.length; k++) {
      const u = members[k]!;
      if (Number.isNaN(totals[u]!)) rank[u] = 0;
      else scratch[n++] = u;
    }
    const list = scratch.subarray(0, n).sort((a, b) => order(a, b) || a - b);
    for (let k = 0; k < n; k++) {
      const u = list[k]!;
      rank[u] = k > 0 && order(list[k - 1]!, u) === 0 ? rank[list[k - 1]!]! : k + 1;
    }
  }
  return rank;
}

/** Buffers for `floorComparison`, allocated once outside the timed runs. */
export interface ComparisonBuffers {
  rankDelta: Float64Array;
  totalDelta: Float64Array;
  keys: Float64Array;
  x: Float64Array;
  y: Float64Array;
  rx: Float64Array;
  ry: Float64Array;
  a: Float64Array;
  b: Float64Array;
}

export function comparisonBuffers(U: number): ComparisonBuffers {
  const f = () => new Float64Array(U);
  return {
    rankDelta: f(),
    totalDelta: f(),
    keys: f(),
    x: f(),
    y: f(),
    rx: f(),
    ry: f(),
    a: f(),
    b: f(),
  };
}

/** What the floor's comparison gives: the numbers a first screen shows. */
export interface FloorComparison {
  swapCount: number;
  groups: { spearman: number; kendallTauB: number; meanShift: number }[];
  spearman: number;
  kendallTauB: number;
  /** The 50 largest moves, by unit index. */
  top: Int32Array;
}

/**
 * Mid-ranks of whole numbers v[0 … n) (0 ≤ v, (max + 1) × n < 2^53) into out: one packed
 * key (value × n + position) per entry, sorted natively. Ascending; Spearman does not mind
 * the direction as long as both sides share it.
 */
function floorMidRanks(v: Float64Array, n: number, out: Float64Array, keys: Float64Array): void {
  const k = keys.subarray(0, n);
  for (let i = 0; i < n; i++) k[i] = v[i]! * n + i;
  k.sort();
  for (let p = 0; p < n; ) {
    const value = Math.floor(k[p]! / n);
    let e = p + 1;
    while (e < n && Math.floor(k[e]! / n) === value) e++;
    for (let t = p; t < e; t++) out[k[t]! % n] = (p + 1 + e) / 2;
    p = e;
  }
}

function floorPearson(x: Float64Array, y: Float64Array, n: number): number {
  let mx = 0;
  let my = 0;
  for (let k = 0; k < n; k++) {
    mx += x[k]!;
    my += y[k]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    sxy += (x[k]! - mx) * (y[k]! - my);
    sxx += (x[k]! - mx) ** 2;
    syy += (y[k]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? 1 : sxy / Math.sqrt(sxx * syy);
}

/**
 * Kendall's tau-b of whole numbers in n log n (Knight): pairs packed as x × (ymax + 1) + y
 * and sorted natively, ties counted on the sorted keys, discordant pairs counted as the
 * inversions of y by a merge sort. Returns tau-b and the discordant pairs.
 */
function floorTauB(
  x: Float64Array,
  y: Float64Array,
  n: number,
  bf: ComparisonBuffers,
): { tau: number; discordant: number } {
  let S = 1;
  for (let k = 0; k < n; k++) if (y[k]! + 1 > S) S = y[k]! + 1;
  const keys = bf.keys.subarray(0, n);
  for (let k = 0; k < n; k++) keys[k] = x[k]! * S + y[k]!;
  keys.sort();
  let tx = 0;
  let txy = 0;
  let a = bf.a;
  let b = bf.b;
  for (let p = 0; p < n; ) {
    const xv = Math.floor(keys[p]! / S);
    let e = p + 1;
    while (e < n && Math.floor(keys[e]! / S) === xv) e++;
    tx += ((e - p) * (e - p - 1)) / 2;
    for (let t = p; t < e; ) {
      let f = t + 1;
      while (f < e && keys[f] === keys[t]) f++;
      txy += ((f - t) * (f - t - 1)) / 2;
      t = f;
    }
    p = e;
  }
  for (let k = 0; k < n; k++) a[k] = keys[k]! % S;
  let d = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (a[i]! <= a[j]!) b[k++] = a[i++]!;
        else {
          d += mid - i;
          b[k++] = a[j++]!;
        }
      }
      while (i < mid) b[k++] = a[i++]!;
      while (j < hi) b[k++] = a[j++]!;
    }
    const t = a;
    a = b;
    b = t;
  }
  let ty = 0;
  for (let k = 0; k < n; ) {
    let e = k + 1;
    while (e < n && a[e] === a[k]) e++;
    ty += ((e - k) * (e - k - 1)) / 2;
    k = e;
  }
  const total = (n * (n - 1)) / 2;
  const denom = Math.sqrt((total - tx) * (total - ty));
  return { tau: denom === 0 ? 1 : (total - tx - ty + txy - 2 * d) / denom, discordant: d };
}

/**
 * The floor of a scenario's comparison with its baseline, the same arithmetic as ours for
 * what a first screen shows: rank and total deltas, per group Spearman, Kendall's tau-b
 * (the discordant pairs are the swaps) and mean rank shift, the pooled Spearman and tau-b
 * of the totals, and the 50 largest moves (|rank delta|, then |total delta|, then unit).
 * No grades, no exact parts, no objects.
 */
export function floorComparison(
  col: Columns,
  beforeTotals: Float64Array,
  beforeRank: Int32Array,
  afterTotals: Float64Array,
  afterRank: Int32Array,
  bf: ComparisonBuffers,
): FloorComparison {
  const U = col.units;
  const { rankDelta, totalDelta, keys, x, y, rx, ry } = bf;
  let maxDelta = 0;
  for (let u = 0; u < U; u++) {
    rankDelta[u] = beforeRank[u] !== 0 && afterRank[u] !== 0 ? afterRank[u]! - beforeRank[u]! : 0;
    totalDelta[u] = Math.round((afterTotals[u]! - beforeTotals[u]!) * 100) || 0;
    maxDelta = Math.max(maxDelta, Math.abs(totalDelta[u]!));
  }
  const groups: FloorComparison["groups"] = [];
  let swapCount = 0;
  for (const members of col.groups) {
    let n = 0;
    let shift = 0;
    for (let k = 0; k < members.length; k++) {
      const u = members[k]!;
      if (beforeRank[u] === 0 || afterRank[u] === 0) continue;
      x[n] = beforeRank[u]!;
      y[n++] = afterRank[u]!;
      shift += Math.abs(rankDelta[u]!);
    }
    if (n === 0) continue;
    floorMidRanks(x, n, rx, bf.keys);
    floorMidRanks(y, n, ry, bf.keys);
    const { tau, discordant } = floorTauB(x, y, n, bf);
    swapCount += discordant;
    groups.push({ spearman: floorPearson(rx, ry, n), kendallTauB: tau, meanShift: shift / n });
  }
  let n = 0;
  for (let u = 0; u < U; u++)
    if (!Number.isNaN(beforeTotals[u]!) && !Number.isNaN(afterTotals[u]!)) {
      // Totals in whole hundredths: whole numbers pack into sort keys.
      x[n] = Math.round(beforeTotals[u]! * 100);
      y[n++] = Math.round(afterTotals[u]! * 100);
    }
  floorMidRanks(x, n, rx, bf.keys);
  floorMidRanks(y, n, ry, bf.keys);
  const spearman = floorPearson(rx, ry, n);
  const kendallTauB = floorTauB(x, y, n, bf).tau;
  // Rows: one packed key per unit, sorted natively.
  for (let u = 0; u < U; u++)
    keys[u] =
      ((U - Math.abs(rankDelta[u]!)) * (maxDelta + 1) + (maxDelta - Math.abs(totalDelta[u]!))) * U + u;
  keys.sort();
  const top = new Int32Array(Math.min(50, U));
  for (let k = 0; k < top.length; k++) top[k] = keys[k]! % U;
  return { swapCount, groups, spearman, kendallTauB, top };
}

/** The obvious way: one mathjs expression per unit, a scope object per evaluation. */
export function mathjsWay(col: Columns) {
  const [b, o, p] = [0, 1, 2];
  const expr = compile(
    "round((1 - r) * max(0, round(max(0, sb * wb - db), 2) + round(max(0, so * wo - do), 2) + round(max(0, sp * wp - dp), 2) + adj)" +
      " + r * cs * (wb + wo + wp), 2)",
  );
  const U = col.units;
  return (w: Float64Array): { total: number[]; rank: number[] } => {
    const total: number[] = [];
    for (let u = 0; u < U; u++) {
      const sb = col.share[b * U + u]!;
      const so = col.share[o * U + u]!;
      const sp = col.share[p * U + u]!;
      if (Number.isNaN(sb) || Number.isNaN(so) || Number.isNaN(sp)) {
        total.push(Number.NaN);
        continue;
      }
      total.push(
        expr.evaluate({
          sb,
          so,
          sp,
          db: col.due[b * U + u],
          do: col.due[o * U + u],
          dp: col.due[p * U + u],
          adj: col.adj[u],
          r: col.rollShare[u],
          cs: col.childShare[u],
          wb: w[b],
          wo: w[o],
          wp: w[p],
        }) as number,
      );
    }
    const rank: number[] = new Array(U).fill(0);
    const tie = tieKeys(col, w, new Float64Array(U));
    const order = (x: number, y: number) =>
      col.last[x]! - col.last[y]! || total[y]! - total[x]! || tie[y]! - tie[x]!;
    for (const members of col.groups) {
      const list = [...members].filter((u) => !Number.isNaN(total[u]!));
      list.sort((x, y) => order(x, y) || x - y);
      list.forEach((u, k) => {
        rank[u] = k > 0 && order(list[k - 1]!, u) === 0 ? rank[list[k - 1]!]! : k + 1;
      });
    }
    return { total, rank };
  };
}

/**
 * The floor of an exact sweep of category `c` over [lo, hi]: with the other maxima fixed,
 * every total is linear in w_c (ignoring the floors at zero), so two units of a group swap
 * where their lines cross. Collects every crossing inside the range, per group, sorted.
 * Returns the number of breakpoints.
 */
export function floorSweep(col: Columns, base: Float64Array, c: number, lo: number, hi: number): number {
  const U = col.units;
  const C = base.length;
  const a = new Float64Array(U);
  const s = new Float64Array(U);
  let others = 0;
  for (let k = 0; k < C; k++) if (k !== c) others += base[k]!;
  for (let u = 0; u < U; u++) {
    let t = col.adj[u]!;
    for (let k = 0; k < C; k++)
      if (k !== c) t += Math.max(0, col.share[k * U + u]! * base[k]! - col.due[k * U + u]!);
    const r = col.rollShare[u]!;
    // total(w) = (1 − r)(t − due_c + share_c w) + r cs (others + w)
    a[u] = (1 - r) * (t - col.due[c * U + u]!) + r * col.childShare[u]! * others;
    s[u] = (1 - r) * col.share[c * U + u]! + r * col.childShare[u]!;
  }
  let count = 0;
  let cross = new Float64Array(1024);
  for (const members of col.groups) {
    let n = 0;
    for (let i = 0; i < members.length; i++) {
      const ui = members[i]!;
      if (Number.isNaN(s[ui]!)) continue;
      for (let j = i + 1; j < members.length; j++) {
        const uj = members[j]!;
        const ds = s[ui]! - s[uj]!;
        if (ds === 0 || Number.isNaN(ds)) continue;
        const w = (a[uj]! - a[ui]!) / ds;
        if (w > lo && w < hi) {
          if (n === cross.length) {
            const next = new Float64Array(n * 2);
            next.set(cross);
            cross = next;
          }
          cross[n++] = w;
        }
      }
    }
    cross.subarray(0, n).sort();
    count += n;
  }
  return count;
}

/** Median rank and 5th–95th percentile ranks per unit from a rank histogram. */
export interface RankBands {
  median: Int32Array;
  p5: Int32Array;
  p95: Int32Array;
}

/**
 * The floor of a Monte-Carlo run: `samples` weight vectors, each maximum drawn uniformly
 * within ±`spread` of the baseline, totals and per-group ranks per sample, and each unit's
 * median and 5th–95th percentile rank from a rank histogram (ranks are ≤ the group size).
 */
export function floorMonteCarlo(
  col: Columns,
  base: Float64Array,
  samples: number,
  spread: number,
  rand: () => number,
): RankBands {
  const U = col.units;
  let maxGroup = 1;
  for (const g of col.groups) maxGroup = Math.max(maxGroup, g.length);
  const H = maxGroup + 1;
  const hist = new Int32Array(U * H);
  const w = new Float64Array(base.length);
  const totals = new Float64Array(U);
  const tie = new Float64Array(U);
  const rank = new Int32Array(U);
  const scratch = new Int32Array(maxGroup);
  for (let s = 0; s < samples; s++) {
    for (let c = 0; c < base.length; c++) w[c] = base[c]! * (1 - spread + 2 * spread * rand());
    floorTotals(col, w, totals);
    tieKeys(col, w, tie);
    floorRanks(col, totals, tie, rank, scratch);
    for (let u = 0; u < U; u++) hist[u * H + rank[u]!]!++;
  }
  const bands: RankBands = { median: new Int32Array(U), p5: new Int32Array(U), p95: new Int32Array(U) };
  for (let u = 0; u < U; u++) {
    let acc = 0;
    let p5 = -1;
    let p50 = -1;
    let p95 = -1;
    for (let r = 0; r < H; r++) {
      acc += hist[u * H + r]!;
      if (p5 < 0 && acc >= 0.05 * samples) p5 = r;
      if (p50 < 0 && acc >= 0.5 * samples) p50 = r;
      if (p95 < 0 && acc >= 0.95 * samples) p95 = r;
    }
    bands.p5[u] = p5;
    bands.median[u] = p50;
    bands.p95[u] = p95;
  }
  return bands;
}

/** Every unit's rank (and grade) as a piecewise-constant function of the swept points, in columns. */
export interface FloorSegments {
  /** Unit u's segments are segStart[u] … segStart[u + 1] − 1 (none for units not ranked). */
  segStart: Int32Array;
  segFrom: Float64Array;
  segTo: Float64Array;
  segRank: Int32Array;
  /** Each segment's grade, by its index in `col.grading.ids`; null for a walk of ranks alone. */
  segGrade: Int8Array | null;
  /** The segment around the nominal points (its ends), NaN for units not ranked. */
  stableFrom: Float64Array;
  stableTo: Float64Array;
  /** Pairwise crossings in the range (threshold crossings not counted). */
  breakpoints: number;
}

/**
 * The floor of what an exact sweep returns, in doubles: per group, the pairwise crossings of
 * the units' lines (as floorSweep), sorted, then walked in order, swapping the two units'
 * places at each crossing; each unit's rank is its place (no ties in doubles), and every
 * change of rank closes a segment. Then each unit's segments together, and the segment
 * holding the nominal points `x0` as its stability interval. No kinks, fixed others.
 *
 * With `grades` (and a scheme the floor can grade, `col.grading`), it also does what the
 * exact sweep does for grades, so that its stability interval is the one the issue asks for
 * (where rank and grade hold): each unit's crossings of the grade thresholds join the walk,
 * and a segment closes where the grade changes as well. The quota grade goes to a group's
 * best eligible units, so a swap of two eligible units across the quota's edge trades it.
 */
export function floorSweepSegments(
  col: Columns,
  base: Float64Array,
  c: number,
  range: { lo: number; hi: number; x0: number },
  grades = false,
): FloorSegments {
  const { lo, hi, x0 } = range;
  const U = col.units;
  const C = base.length;
  const grading = grades ? col.grading : null;
  if (grades && !grading)
    throw new Error("floorSweepSegments: the scheme grades in a way the floor does not follow");
  const a = new Float64Array(U);
  const s = new Float64Array(U);
  let others = 0;
  for (let k = 0; k < C; k++) if (k !== c) others += base[k]!;
  for (let u = 0; u < U; u++) {
    let t = col.adj[u]!;
    for (let k = 0; k < C; k++)
      if (k !== c) t += Math.max(0, col.share[k * U + u]! * base[k]! - col.due[k * U + u]!);
    const r = col.rollShare[u]!;
    a[u] = (1 - r) * (t - col.due[c * U + u]!) + r * col.childShare[u]! * others;
    s[u] = (1 - r) * col.share[c * U + u]! + r * col.childShare[u]!;
  }
  const last = col.last;
  const eligible = col.eligible;
  const minTotals = grading?.minTotals ?? new Float64Array(0);
  const T = minTotals.length;
  // Grade numbers: 0 the quota's, 1 … T the thresholds', T + 1 the fallback's.
  const byThreshold = new Int8Array(U);
  const grade = new Int8Array(U);
  const eligibleRank = new Int32Array(U);
  let limit = 0;
  const thresholdGrade = (u: number, x: number) => {
    const v = a[u]! + s[u]! * x;
    let g = 0;
    // At a threshold exactly, the open stretch after x decides (the slope's sign).
    while (g < T && (v < minTotals[g]! || (v === minTotals[g]! && s[u]! < 0))) g++;
    return g + 1;
  };
  const gradeOf = (u: number) => (eligible[u] === 1 && eligibleRank[u]! < limit ? 0 : byThreshold[u]!);
  // Segments as they close, in sweep order (unit, from, to, rank, grade).
  let cap = 4 * U;
  let segUnit = new Int32Array(cap);
  let segFrom = new Float64Array(cap);
  let segTo = new Float64Array(cap);
  let segRank = new Int32Array(cap);
  let segGrade = new Int8Array(grading ? cap : 0);
  let segs = 0;
  const stableFrom = new Float64Array(U).fill(Number.NaN);
  const stableTo = new Float64Array(U).fill(Number.NaN);
  const position = new Int32Array(U);
  const openFrom = new Float64Array(U);
  let breakpoints = 0;
  const grow = <X extends Int32Array | Float64Array | Int8Array>(x: X, y: X): X => {
    y.set(x as never);
    return y;
  };
  const close = (u: number, to: number) => {
    if (segs === cap) {
      cap *= 2;
      segUnit = grow(segUnit, new Int32Array(cap));
      segFrom = grow(segFrom, new Float64Array(cap));
      segTo = grow(segTo, new Float64Array(cap));
      segRank = grow(segRank, new Int32Array(cap));
      if (grading) segGrade = grow(segGrade, new Int8Array(cap));
    }
    segUnit[segs] = u;
    segFrom[segs] = openFrom[u]!;
    segTo[segs] = to;
    segRank[segs] = position[u]! + 1;
    if (grading) segGrade[segs] = grade[u]!;
    segs++;
    if (openFrom[u]! <= x0 && x0 <= to) {
      stableFrom[u] = openFrom[u]!;
      stableTo[u] = to;
    }
    openFrom[u] = to;
  };
  // Events: a crossing of units ci and cj ≥ 0, or unit ci crossing threshold −1 − cj.
  let ci = new Int32Array(1024);
  let cj = new Int32Array(1024);
  let cw = new Float64Array(1024);
  let n = 0;
  const push = (i: number, j: number, w: number) => {
    if (n === cw.length) {
      ci = grow(ci, new Int32Array(2 * n));
      cj = grow(cj, new Int32Array(2 * n));
      cw = grow(cw, new Float64Array(2 * n));
    }
    ci[n] = i;
    cj[n] = j;
    cw[n] = w;
    n++;
  };
  for (const group of col.groups) {
    const members = Array.from(group).filter((u) => !Number.isNaN(s[u]!));
    // Order just after lo: vetoed-last units after the others, by value at lo, then by slope.
    members.sort((u, v) => last[u]! - last[v]! || a[v]! + s[v]! * lo - (a[u]! + s[u]! * lo) || s[v]! - s[u]!);
    let e = 0;
    members.forEach((u, p) => {
      position[u] = p;
      openFrom[u] = lo;
      if (eligible[u] === 1) eligibleRank[u] = e++;
    });
    n = 0;
    for (let i = 0; i < members.length; i++) {
      const ui = members[i]!;
      for (let j = i + 1; j < members.length; j++) {
        const uj = members[j]!;
        const ds = s[ui]! - s[uj]!;
        if (ds === 0 || last[ui] !== last[uj]) continue;
        const w = (a[uj]! - a[ui]!) / ds;
        if (w > lo && w < hi) push(ui, uj, w);
      }
    }
    breakpoints += n;
    if (grading) {
      limit = Math.floor((grading.quotaPercent * members.length) / 100 + 1e-9);
      for (const u of members) {
        byThreshold[u] = thresholdGrade(u, lo);
        grade[u] = gradeOf(u);
        if (s[u] === 0) continue;
        for (let k = 0; k < T; k++) {
          const w = (minTotals[k]! - a[u]!) / s[u]!;
          if (w > lo && w < hi) push(u, -1 - k, w);
        }
      }
    }
    const order = new Int32Array(n);
    for (let k = 0; k < n; k++) order[k] = k;
    order.sort((x, y) => cw[x]! - cw[y]!);
    for (let k = 0; k < n; k++) {
      const ev = order[k]!;
      const u = ci[ev]!;
      const v = cj[ev]!;
      if (v < 0) {
        // Past threshold −1 − v: upwards it is the threshold's grade, downwards the next one's.
        byThreshold[u] = s[u]! > 0 ? -v : 1 - v;
        if (gradeOf(u) !== grade[u]) {
          close(u, cw[ev]!);
          grade[u] = gradeOf(u);
        }
        continue;
      }
      close(u, cw[ev]!);
      close(v, cw[ev]!);
      const p = position[u]!;
      position[u] = position[v]!;
      position[v] = p;
      if (grading && eligible[u] === 1 && eligible[v] === 1) {
        const r = eligibleRank[u]!;
        eligibleRank[u] = eligibleRank[v]!;
        eligibleRank[v] = r;
        grade[u] = gradeOf(u);
        grade[v] = gradeOf(v);
      }
    }
    for (const u of members) close(u, hi);
  }
  // Each unit's segments together, in sweep order (a counting sort by unit).
  const segStart = new Int32Array(U + 1);
  for (let k = 0; k < segs; k++) segStart[segUnit[k]! + 1]!++;
  for (let u = 0; u < U; u++) segStart[u + 1]! += segStart[u]!;
  const next = segStart.slice(0, U);
  const from = new Float64Array(segs);
  const to = new Float64Array(segs);
  const rank = new Int32Array(segs);
  const gradeCol = grading ? new Int8Array(segs) : null;
  for (let k = 0; k < segs; k++) {
    const at = next[segUnit[k]!]!++;
    from[at] = segFrom[k]!;
    to[at] = segTo[k]!;
    rank[at] = segRank[k]!;
    if (gradeCol) gradeCol[at] = segGrade[k]!;
  }
  return {
    segStart,
    segFrom: from,
    segTo: to,
    segRank: rank,
    segGrade: gradeCol,
    stableFrom,
    stableTo,
    breakpoints,
  };
}

/** A unit's segment at x by the floor's segments (−1 when the unit has none). */
function floorSegmentAt(f: FloorSegments, u: number, x: number): number {
  for (let k = f.segStart[u]!; k < f.segStart[u + 1]!; k++)
    if (f.segFrom[k]! < x && x < f.segTo[k]!) return k;
  return -1;
}

interface SweepLike {
  units: { segments: { from: string; to: string; rank: number | null; grade: string | null }[] }[];
}

/** How many sample points ours and a segments floor agree at, of how many compared. */
export interface SweepAgreement {
  same: number;
  total: number;
  /** Points of units in unranked groups: they have no rank, and the floor makes no segment for them. */
  unranked: number;
}

/**
 * Where ours and a segments floor agree on rank (and, where the floor grades, on grade), at 9
 * points across the range (units in dataset order in both).
 */
export function sweepAgreementCounts(
  r: unknown,
  f: FloorSegments,
  range: { lo: number; hi: number },
  gradeIds: readonly (string | null)[] | null,
): SweepAgreement {
  const { lo, hi } = range;
  const num = (t: string) => {
    const [n, d] = t.split("/");
    return d === undefined ? Number(n) : Number(n) / Number(d);
  };
  const out = { same: 0, total: 0, unranked: 0 };
  (r as SweepLike).units.forEach((u, i) => {
    for (let k = 1; k <= SAMPLE_POINTS; k++) {
      const x = lo + ((hi - lo) * (k - 0.5)) / SAMPLE_POINTS;
      const seg = u.segments.find((s) => num(s.from) < x && x < num(s.to));
      if (!seg) continue;
      if (seg.rank === null) {
        out.unranked++;
        continue;
      }
      out.total++;
      const at = floorSegmentAt(f, i, x);
      const sameRank = at >= 0 && seg.rank === f.segRank[at];
      const sameGrade = !f.segGrade || !gradeIds || (at >= 0 && seg.grade === gradeIds[f.segGrade[at]!]);
      if (sameRank && sameGrade) out.same++;
    }
  });
  return out;
}

const SAMPLE_POINTS = 9;

/** `sweepAgreementCounts` as the bench prints it. */
export function sweepAgreement(
  r: unknown,
  f: FloorSegments,
  range: { lo: number; hi: number },
  gradeIds: readonly (string | null)[] | null,
): string {
  const { same, total, unranked } = sweepAgreementCounts(r, f, range, gradeIds);
  const what = f.segGrade ? "rank and grade" : "rank";
  return `sweep segments floor (${what}) vs ours, ${what} at ${SAMPLE_POINTS} points across the range: ${same} of ${total} agree (the floor leaves out zero floors of deductions and totals, and tie-breakers; ${unranked} points of units in unranked groups, which have no rank, not compared)`;
}
