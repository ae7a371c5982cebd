import { parseDecimal, toNumber } from "../rational.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import { memoHierarchy, memoShares, withSubUnits } from "./baseline-memo.js";
import { memoAdjusted, type StageTwoInput } from "./fast-stage-two.js";
import { meanOrMedianOf } from "./mean-or-median.js";

/**
 * Every unit's coefficients, precomputed once, so that a total under any category points
 * is a handful of float multiplications: share of maximum per category, deductions due,
 * bonus, roll-up structure. For sampling and statistics only — official values never go
 * through here. Rounding is imitated in doubles (halves recognised within 1e-9); what the
 * scheme leaves unrounded is read to `TIE_DECIMALS`.
 */
export interface FloatModel {
  readonly units: number;
  readonly categories: number;
  /** shares[k * units + i]; NaN when insufficient. */
  readonly shares: Float64Array;
  readonly hits: Float64Array;
  readonly bonus: Float64Array;
  readonly totalDeducted: Float64Array;
  readonly forcedLast: Uint8Array;
  readonly excellence: Uint8Array;
  /** Processing order (deepest first) and children by unit index, for roll-ups. */
  readonly order: Int32Array;
  readonly children: readonly (readonly number[])[];
  /** The units with sub-units, in processing order: every other unit reads no other. */
  readonly parents: Int32Array;
  /** 1 for a unit with sub-units. */
  readonly isParent: Uint8Array;
  /** The most sub-units of any unit (the size of a roll-up's scratch). */
  readonly mostChildren: number;
  readonly rollups: readonly {
    share: number;
    source: number;
    into: number;
    median: boolean;
    /** missingSubUnit: 0 "renormalize", 1 "zero", 2 "insufficient" (a number for the sample loop). */
    missing: 0 | 1 | 2;
    parents: ReadonlySet<number> | null;
  }[];
  readonly tieIndex: readonly number[];
  readonly rounding: {
    decimals: number;
    halfEven: boolean;
    category: boolean;
    total: boolean;
    /** 10^k: unrounded totals and tie-breaker points are read to 10^−k (`TIE_DECIMALS`). */
    tieScale: number;
  };
  readonly bonusCap: number;
}

export function floatModel(compiled: CompiledScheme, input: StageTwoInput): FloatModel {
  const { dataset, outcomes, adjustments: adj, memo } = input;
  const { scheme } = compiled;
  const { units } = dataset;
  const U = units.length;
  const C = scheme.categories.length;
  const shares = new Float64Array(U * C);
  const hits = new Float64Array(U * C);
  const { decimals, mode, stages } = scheme.rounding;
  const rounding = {
    decimals,
    halfEven: mode === "half-even",
    category: stages.includes("category"),
    total: stages.includes("total"),
    tieScale: 10 ** Math.max(TIE_DECIMALS, decimals),
  };
  // Adjustments as stage two adds them (rounded exactly where the scheme rounds them), and the
  // hierarchy compose walks: a baseline's memo holds both, so a run for one group of a
  // province does not spend a third of its time re-deriving them for every unit.
  const adjusted = memoAdjusted(memo, scheme, units, adj);
  const { order, children } = memoHierarchy(memo, units);
  scheme.categories.forEach((c, k) => {
    const s = memoShares(memo, outcomes.get(c.id), units);
    const h = adjusted.hits.get(c.id);
    for (let i = 0; i < U; i++) {
      const x = s[i];
      shares[k * U + i] = x == null ? Number.NaN : x.f;
      hits[k * U + i] = h?.[i]?.f ?? 0;
    }
  });
  const bonus = new Float64Array(U);
  const totalDeducted = new Float64Array(U);
  const forcedLast = new Uint8Array(U);
  const excellence = new Uint8Array(U);
  // Loops, not TypedArray.from with a mapper: that iterates generically, a tenth of a one-group run.
  for (let i = 0; i < U; i++) {
    bonus[i] = adjusted.bonus[i]!.f;
    totalDeducted[i] = adjusted.totalDeducted[i]!.f;
    const veto = adj.vetoes.get(units[i]!.id);
    forcedLast[i] = veto?.forceLast ? 1 : 0;
    excellence[i] = veto?.reasons.some((r) => r.excellence) ? 0 : 1;
  }
  const catIndex = new Map(scheme.categories.map((c, k) => [c.id, k]));
  // Unit indices by id, made only when a roll-up names its parents.
  let index: Map<string, number> | null = null;
  const indexOf = (id: string) => {
    index ??= new Map(units.map((u, i) => [u.id, i]));
    return index.get(id) ?? -1;
  };
  return {
    units: U,
    categories: C,
    shares,
    hits,
    bonus,
    totalDeducted,
    forcedLast,
    excellence,
    order: new Int32Array(order),
    children,
    parents: Int32Array.from(order.filter((i) => children[i]!.length > 0)),
    isParent: Uint8Array.from(children, (k) => (k.length > 0 ? 1 : 0)),
    mostChildren: children.reduce((most, k) => Math.max(most, k.length), 0),
    rollups: scheme.rollups.map((r) => ({
      share: toNumber(parseDecimal(r.share)),
      source: "category" in r.source ? catIndex.get(r.source.category)! : -1,
      into: "category" in r.into ? catIndex.get(r.into.category)! : -1,
      median: r.aggregation === "median",
      missing: MISSING_SUB_UNIT[r.missingSubUnit],
      parents: r.parents ? new Set(r.parents.map(indexOf)) : null,
    })),
    tieIndex: scheme.ranking.tieBreakers.map((t) => catIndex.get(t.category)!),
    rounding,
    bonusCap: toNumber(parseDecimal(scheme.bonusCap)),
  };
}

const MISSING_SUB_UNIT = { renormalize: 0, zero: 1, insufficient: 2 } as const;

/** What `childShare` gives for a roll-up that makes its target insufficient (shares are never negative). */
const INSUFFICIENT = -1;

/**
 * Sums in doubles carry noise: 26.23 + 24.04 + 36.28 is 86.55 but 27.26 + 29.33 + 29.96 is
 * 86.55000000000001. Rounding to the scheme's decimals removes it; a total the scheme leaves
 * unrounded (and a tie-breaker's unrounded points) is read to this many decimals instead, or
 * to the scheme's if more, before it is compared, so that values equal in exact arithmetic
 * tie as they do officially. The noise is near 1e-14 for totals of a hundred points, far
 * below the grid's half-step; a real difference under 1e-9 is read as a tie (statistics,
 * not official values).
 */
export const TIE_DECIMALS = 9;

/**
 * x on the 1/scale grid. Exact values with at most that many decimals lie on it, far from where
 * it splits; NaN stays NaN. The split is not at the half step (SNAP_SPLIT): a value with one
 * decimal more, ending in 5 (70.1234567895), sat on the half and its doubles fell either side,
 * splitting an exact tie. Math.round costs three times as much.
 */
function snapScaled(x: number, scale: number): number {
  return Math.floor(x * scale + SNAP_SPLIT) / scale;
}

/**
 * ½ + 1/π: the split falls at 0.18 of a step, an irrational point no terminating decimal lands
 * on, and at least ~6e-5 of a step from any value with up to three decimals, or a binary share
 * down to 1/1024, beyond the grid; the noise is ~1e-5 of a step.
 */
export const SNAP_SPLIT = 0.5 + 1 / Math.PI;

/** Half-up (away from zero) or half-even rounding in doubles; a value within 1e-9 of a half counts as the half. */
export function roundF(x: number, decimals: number, halfEven = false): number {
  return roundScaled(x, 10 ** decimals, halfEven);
}

/** `roundF` with 10^decimals given: a power per call was a tenth of a Monte-Carlo sample. */
function roundScaled(x: number, scale: number, halfEven: boolean): number {
  const y = Math.abs(x) * scale;
  // Nearly every value is far from a half: the nearest whole number then agrees with the
  // rule below, and the test is a branch the processor predicts, where the rule's own were
  // coin flips. The band is twice the rule's, so values at its edge take the rule itself.
  // (floor(y + 0.5) may be one off just below a half; the test sends that case on too.
  // Math.round costs three times as much here.)
  const nearest = Math.floor(y + 0.5);
  if (Math.abs(nearest - y) < 0.5 - 2e-9 * Math.max(1, y)) return (x < 0 ? -nearest : nearest) / scale;
  const fl = Math.floor(y);
  const rem = y - fl;
  const eps = 1e-9 * Math.max(1, y);
  let q: number;
  if (rem > 0.5 + eps) q = fl + 1;
  else if (rem < 0.5 - eps) q = fl;
  else q = halfEven ? (fl % 2 === 0 ? fl : fl + 1) : fl + 1;
  return (x < 0 ? -q : q) / scale;
}

/** Some units and every unit below them: all that their totals read. */
export interface FloatSubset {
  /** Ascending. */
  units: Int32Array;
  /** Those with sub-units, deepest first (the model's processing order). */
  parents: Int32Array;
}

/** The subset of `m` that `wanted`'s totals need: those units and their sub-units, all the way down. */
export function floatSubset(m: FloatModel, wanted: Iterable<number>): FloatSubset {
  const needed = withSubUnits(m.children, wanted);
  const units: number[] = [];
  for (let i = 0; i < m.units; i++) if (needed[i] === 1) units.push(i);
  return { units: Int32Array.from(units), parents: m.parents.filter((i) => needed[i] === 1) };
}

/**
 * Totals (and final category points, for tie-breakers) under the given points, rounded where
 * the scheme rounds them; unrounded totals and tie-breakers' points are read to `TIE_DECIMALS`.
 * NaN marks a unit without a total. Writes into `totals` and `points` (points[k * U + i]).
 *
 * Runs for every unit of every sample, so it works in passes over whole columns in memory
 * order: raw points of every unit, then units without sub-units (most of them, and they
 * read no other unit), then parents deepest first, once their sub-units are final. With a
 * subset, only its units are computed (the others' values are left as they were).
 */
export function floatTotals(
  m: FloatModel,
  P: ArrayLike<number>,
  totals: Float64Array,
  points: Float64Array,
  subset: FloatSubset | null = null,
): void {
  const U = m.units;
  const C = m.categories;
  const { shares, hits, children, isParent } = m;
  const parents = subset ? subset.parents : m.parents;
  // Every unit, or the subset's (the list is read only when there is one).
  const list = subset ? subset.units : null;
  const n = list ? list.length : U;
  for (let k = 0; k < C; k++) {
    const base = k * U;
    const pk = P[k]!;
    // An insufficient unit's NaN share stays NaN through the product and Math.max.
    for (let j = 0; j < n; j++) {
      const i = list === null ? j : list[j]!;
      const h = hits[base + i]!;
      const p = shares[base + i]! * pk;
      points[base + i] = h === 0 ? p : Math.max(0, p - h);
    }
  }
  const { decimals, halfEven } = m.rounding;
  const scale = 10 ** decimals;
  const { tieScale } = m.rounding;
  if (m.rounding.category)
    for (let k = 0; k < C; k++) {
      const base = k * U;
      for (let j = 0; j < n; j++) {
        const i = list === null ? j : list[j]!;
        const p = points[base + i]!;
        if (isParent[i] === 0 && !Number.isNaN(p)) points[base + i] = roundScaled(p, scale, halfEven);
      }
    }
  else
    for (const k of m.tieIndex) {
      const base = k * U;
      for (let j = 0; j < n; j++) {
        const i = list === null ? j : list[j]!;
        if (isParent[i] === 0) points[base + i] = snapScaled(points[base + i]!, tieScale);
      }
    }
  const { bonus, totalDeducted } = m;
  const roundTotal = m.rounding.total;
  for (let j = 0; j < n; j++) {
    const i = list === null ? j : list[j]!;
    if (isParent[i] !== 0) continue;
    let sum = 0;
    for (let k = 0; k < C; k++) sum += points[k * U + i]!;
    // Only a missing category (a NaN share) makes the sum NaN.
    if (Number.isNaN(sum)) totals[i] = Number.NaN;
    else {
      const t = Math.max(0, sum + bonus[i]! - totalDeducted[i]!);
      totals[i] = roundTotal ? roundScaled(t, scale, halfEven) : snapScaled(t, tieScale);
    }
  }
  if (parents.length === 0) return;
  const { rollups } = m;
  const scratch = new Float64Array(m.mostChildren);
  // A roll-up's aggregate of the sub-units' shares (of a category's points or of the total):
  // NaN when it is skipped (nothing to read, or a source worth 0 points), INSUFFICIENT when a
  // sub-unit without a result leaves the target none, as applyRollup decides.
  const childShare = (r: FloatModel["rollups"][number], i: number, maxTotal: number): number => {
    const kids = children[i]!;
    const of = r.source >= 0 ? P[r.source]! : maxTotal;
    let n = 0;
    let without = 0;
    for (let c = 0; c < kids.length; c++) {
      const k = kids[c]!;
      const v = r.source >= 0 ? points[r.source * U + k]! : totals[k]!;
      if (!Number.isNaN(v)) scratch[n++] = v / of;
      else {
        without++;
        if (r.missing === 1) scratch[n++] = 0;
      }
    }
    if (without > 0 && r.missing === 2) return INSUFFICIENT;
    return of === 0 ? Number.NaN : meanOrMedianOf(scratch, n, r.median);
  };
  let categorySum = 0;
  for (let k = 0; k < C; k++) categorySum += P[k]!;
  const maxTotal = categorySum + m.bonusCap;
  for (let o = 0; o < parents.length; o++) {
    const i = parents[o]!;
    for (const r of rollups) {
      if (r.into < 0 || (r.parents && !r.parents.has(i))) continue;
      const own = points[r.into * U + i]!;
      if (Number.isNaN(own)) continue;
      const agg = childShare(r, i, maxTotal);
      if (agg === INSUFFICIENT) points[r.into * U + i] = Number.NaN;
      else if (!Number.isNaN(agg)) points[r.into * U + i] = (1 - r.share) * own + r.share * agg * P[r.into]!;
    }
    let sum = 0;
    for (let k = 0; k < C; k++) {
      let p = points[k * U + i]!;
      if (m.rounding.category) {
        if (!Number.isNaN(p)) points[k * U + i] = p = roundScaled(p, scale, halfEven);
      } else if (m.tieIndex.includes(k)) points[k * U + i] = p = snapScaled(p, tieScale);
      sum += p;
    }
    if (Number.isNaN(sum)) {
      totals[i] = Number.NaN;
      continue;
    }
    let total = Math.max(0, sum + bonus[i]! - totalDeducted[i]!);
    for (const r of rollups) {
      if (r.into >= 0 || (r.parents && !r.parents.has(i))) continue;
      const agg = childShare(r, i, maxTotal);
      if (agg === INSUFFICIENT) {
        total = Number.NaN;
        break;
      }
      if (!Number.isNaN(agg))
        total = (1 - r.share) * total + r.share * agg * (r.source < 0 ? maxTotal : categorySum);
    }
    if (!roundTotal) totals[i] = snapScaled(total, tieScale);
    else totals[i] = Number.isNaN(total) ? total : roundScaled(total, scale, halfEven);
  }
}
