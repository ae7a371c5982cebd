import { parseDecimal } from "../rational.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import { type ColumnModel, schemeGroupOf } from "./column-model.js";
import { fastPathApplies, roundedInDoubles, roundingKey } from "./fast-stage-two.js";
import { FRAC_ZERO, type Frac, frac, fracAdd, fracMax0, fracMul, fracRound, fracSub } from "./frac.js";
import { fracMeanOrMedian, meanOrMedian } from "./mean-or-median.js";
import { type IndexedRanking, type IndexedUnits, rankIndexed } from "./rank-indexed.js";
import type { StandingColumns } from "./standing-columns.js";
import { wholeFracOf } from "./standing-columns.js";

/**
 * Stage two of a weight-only scenario in columns: every unit's rounded category points,
 * total, rank, grade and eligibility under the scheme's (new) category points, exactly as
 * `fastStageTwo` computes them. Each rounded value is decided in doubles when it is
 * provably the exact one (farther than 1e−6 from a rounding half; the double is within
 * 1e−9), and in exact fractions otherwise — halves are common: 30.86 / 40 × 50 = 38.575.
 *
 * Returns null where columns do not apply and the caller keeps to the fraction path:
 * schemes that do not round both category points and totals, formulas over categories,
 * roll-ups into a category, another category list or rounding than the model's.
 *
 * `hint`, a ranking of the same units (the baseline's), only speeds up ranking: each
 * group's order starts from the hint's, which a scenario changes little.
 */
export function columnStageTwo(
  model: ColumnModel,
  compiled: CompiledScheme,
  hint?: IndexedRanking,
): StandingColumns | null {
  const { scheme } = compiled;
  const { decimals, stages } = scheme.rounding;
  const C = scheme.categories.length;
  if (
    !stages.includes("category") ||
    !stages.includes("total") ||
    decimals !== model.decimals ||
    roundingKey(scheme) !== model.rounding ||
    C !== model.categoryIds.length ||
    scheme.categories.some((c, k) => c.id !== model.categoryIds[k]) ||
    scheme.rollups.some((r) => !("total" in r.into)) ||
    !fastPathApplies(compiled)
  )
    return null;
  const units = model.dataset.units;
  const U = units.length;
  const kernel = kernelOf(model, compiled);
  // Deepest units first, so a parent reads its sub-units' results.
  for (let o = 0; o < U; o++) if (!unitColumns(kernel, model.order[o]!)) return null;
  const { points, total, excellence, award, scored } = kernel;
  const groupOf = schemeGroupOf(model, scheme);
  const ranking = rankIndexed(
    scheme,
    rankable(model, scheme, groupOf, points, total, scored, excellence, kernel.scale),
    hint,
  );
  for (let i = 0; i < U; i++) {
    if (ranking.lostAward[i]) award[i] = 0;
    if (ranking.lostExcellence[i]) excellence[i] = 0;
  }
  return {
    units,
    categories: C,
    decimals,
    points,
    bonus: model.bonus,
    totalDeducted: model.totalDeducted,
    total,
    ranking,
    groupOf,
    excellence,
    award,
    forcedLast: model.forcedLast,
  };
}

interface Rollup {
  share: number;
  keep: number;
  shareFrac: Frac;
  keepFrac: Frac;
  source: number;
  median: boolean;
  /** missingSubUnit: 0 "renormalize", 1 "zero", 2 "insufficient". */
  missing: 0 | 1 | 2;
  parents: ReadonlySet<number> | null;
}

const MISSING_SUB_UNIT = { renormalize: 0, zero: 1, insufficient: 2 } as const;

/** What `childShare` gives for a roll-up that makes its target insufficient (shares are never negative). */
const INSUFFICIENT = -1;

/**
 * What the per-unit functions read, built by one object literal: V8 keeps a literal's
 * shape alive with the code that creates it. The shapes of a class instance or of an
 * object grown field by field die with the last object between two full collections, and
 * the optimised code of every function that read them is discarded with them — which
 * made each scenario after a collection run several times slower.
 */
interface Kernel {
  readonly model: ColumnModel;
  readonly U: number;
  readonly C: number;
  readonly scale: number;
  readonly decimals: number;
  readonly mode: CompiledScheme["scheme"]["rounding"]["mode"];
  readonly P: readonly Frac[];
  readonly Pf: Float64Array;
  /** What a category's share rolls into a total on: the categories' points summed. */
  readonly categorySum: number;
  readonly categorySumFrac: Frac;
  /** The scheme's maximum: a sub-unit's total is read as a share of it and rolls into a total on it. */
  readonly maxTotal: Frac;
  readonly rollups: readonly Rollup[];
  readonly points: Float64Array;
  readonly total: Float64Array;
  readonly excellence: Uint8Array;
  readonly award: Uint8Array;
  /** 1 when the unit has a total. */
  readonly scored: Uint8Array;
  readonly values: number[];
}

function kernelOf(model: ColumnModel, compiled: CompiledScheme): Kernel {
  const { scheme } = compiled;
  const U = model.dataset.units.length;
  const C = scheme.categories.length;
  const P = scheme.categories.map((c) => frac(compiled.points.get(c.id)!));
  // Unit indices by id only when a roll-up names its parents.
  const named = scheme.rollups.some((r) => r.parents);
  const index = named ? new Map(model.dataset.units.map((u, i) => [u.id, i])) : null;
  const indexOf = (id: string) => index?.get(id) ?? -1;
  return {
    model,
    U,
    C,
    scale: 10 ** scheme.rounding.decimals,
    decimals: scheme.rounding.decimals,
    mode: scheme.rounding.mode,
    P,
    Pf: Float64Array.from(P, (p) => p.f),
    categorySum: P.reduce((a, p) => a + p.f, 0),
    categorySumFrac: P.reduce(fracAdd, FRAC_ZERO),
    maxTotal: frac(compiled.maxTotal),
    rollups: scheme.rollups.map((r): Rollup => {
      const share = parseDecimal(r.share);
      const keep = { n: share.d - share.n, d: share.d };
      return {
        share: frac(share).f,
        keep: frac(keep).f,
        shareFrac: frac(share),
        keepFrac: frac(keep),
        source: "category" in r.source ? model.categoryIds.indexOf(r.source.category) : -1,
        median: r.aggregation === "median",
        missing: MISSING_SUB_UNIT[r.missingSubUnit],
        parents: r.parents ? new Set(r.parents.map(indexOf)) : null,
      };
    }),
    points: new Float64Array(C * U),
    total: new Float64Array(U),
    excellence: new Uint8Array(U),
    award: new Uint8Array(U),
    scored: new Uint8Array(U),
    values: [],
  };
}

/** Unit i's points, total and eligibility; false when its total is beyond exact doubles. */
function unitColumns(kn: Kernel, i: number): boolean {
  const { model, U, C, Pf, scale, points } = kn;
  let missing = false;
  let sum = 0;
  for (let k = 0; k < C; k++) {
    const s = model.shares[k * U + i]!;
    if (Number.isNaN(s)) {
      points[k * U + i] = Number.NaN;
      missing = true;
      continue;
    }
    const h = model.hits[k * U + i]!;
    const q =
      roundedInDoubles((s * Pf[k]! - h / scale) * scale, h !== 0) ??
      exactCell(model, k, i, kn.P[k]!, h, kn.decimals, kn.mode);
    points[k * U + i] = q;
    sum += q;
  }
  kn.excellence[i] = missing ? 0 : model.vetoExcellence[i]!;
  kn.award[i] = missing ? 0 : model.vetoAward[i]!;
  if (missing) {
    kn.total[i] = Number.NaN;
    return true;
  }
  const t = Math.max(0, sum + model.bonus[i]! - model.totalDeducted[i]!);
  if (!(t < 2 ** 50)) return false;
  const total = model.childStart[i + 1]! > model.childStart[i]! ? blendedTotal(kn, i, t) : t;
  kn.total[i] = total;
  if (Number.isNaN(total)) {
    // A roll-up left it without a total: as a missing category does.
    kn.excellence[i] = 0;
    kn.award[i] = 0;
  } else kn.scored[i] = 1;
  return true;
}

/**
 * A parent's total with its sub-units' roll-ups, decided in doubles unless within 1e−6 of a
 * half; NaN when a sub-unit without a result leaves it none.
 */
function blendedTotal(kn: Kernel, i: number, t: number): number {
  let blended = false;
  let tf = t / kn.scale;
  for (const r of kn.rollups) {
    if (r.parents && !r.parents.has(i)) continue;
    blended = true;
    const agg = childShare(kn, r, i);
    if (agg === INSUFFICIENT) return Number.NaN;
    if (!Number.isNaN(agg))
      tf = r.keep * tf + r.share * agg * (r.source >= 0 ? kn.categorySum : kn.maxTotal.f);
  }
  if (!blended) return t;
  return roundedInDoubles(tf * kn.scale, false) ?? exactBlendedTotal(kn, i, t);
}

/**
 * Sub-units' mean (or median) share of the source's maximum, in doubles as fastStageTwo
 * decides it: NaN when the roll-up is skipped, INSUFFICIENT when it leaves the target none.
 */
function childShare(kn: Kernel, r: Rollup, i: number): number {
  const { model, values, U, scale } = kn;
  const of = r.source >= 0 ? kn.Pf[r.source]! : kn.maxTotal.f;
  values.length = 0;
  let without = 0;
  for (let c = model.childStart[i]!; c < model.childStart[i + 1]!; c++) {
    const k = model.childList[c]!;
    const v = r.source >= 0 ? kn.points[r.source * U + k]! : kn.total[k]!;
    if (!Number.isNaN(v)) values.push(v / scale / of);
    else {
      without++;
      if (r.missing === 1) values.push(0);
    }
  }
  if (without > 0 && r.missing === 2) return INSUFFICIENT;
  return of === 0 ? Number.NaN : meanOrMedian(values, r.median);
}

/** The rare rolled-up total too close to a half for doubles, in fractions as fastStageTwo does it. */
function exactBlendedTotal(kn: Kernel, i: number, before: number): number {
  const { model, U, decimals } = kn;
  let t = wholeFracOf(before, decimals);
  for (const r of kn.rollups) {
    if (r.parents && !r.parents.has(i)) continue;
    const max = r.source >= 0 ? kn.P[r.source]! : kn.maxTotal;
    if (max.n === 0n) continue;
    // blendedTotal has returned before this for a roll-up that leaves the total none.
    const kids: Frac[] = [];
    for (let c = model.childStart[i]!; c < model.childStart[i + 1]!; c++) {
      const k = model.childList[c]!;
      const v = r.source >= 0 ? kn.points[r.source * U + k]! : kn.total[k]!;
      if (!Number.isNaN(v))
        kids.push(fracMul(wholeFracOf(v, decimals), { n: max.d, d: max.n, f: 1 / max.f }));
      else if (r.missing === 1) kids.push(FRAC_ZERO);
    }
    const agg = fracMeanOrMedian(kids, r.median);
    if (agg === null) continue;
    const onto = r.source >= 0 ? kn.categorySumFrac : kn.maxTotal;
    t = fracAdd(fracMul(r.keepFrac, t), fracMul(r.shareFrac, fracMul(agg, onto)));
  }
  return Number(fracRound(t, decimals, kn.mode).n);
}

/** One category's rounded points for one unit, in exact fractions. */
function exactCell(
  model: ColumnModel,
  k: number,
  i: number,
  points: ReturnType<typeof frac>,
  hit: number,
  decimals: number,
  mode: CompiledScheme["scheme"]["rounding"]["mode"],
): number {
  const share = model.exactShares[k]![i]!;
  let p = fracMul(share, points);
  if (hit !== 0) p = fracMax0(fracSub(p, wholeFracOf(hit, decimals)));
  return Number(fracRound(p, decimals, mode).n);
}

/**
 * One whole number per scored unit in standing order (forced-last, then total descending,
 * then each tie-breaker descending), or null when the mixed radix would pass 2^53.
 */
function standingKeyOf(
  total: Float64Array,
  points: Float64Array,
  tie: readonly number[],
  scored: Uint8Array,
  forcedLast: Uint8Array,
): Float64Array | null {
  const U = total.length;
  let maxTotal = 0;
  const maxTie = tie.map(() => 0);
  for (let i = 0; i < U; i++) {
    if (!scored[i]) continue;
    if (total[i]! > maxTotal) maxTotal = total[i]!;
    for (let t = 0; t < tie.length; t++) {
      const p = points[tie[t]! + i]!;
      if (!(p >= 0)) return null;
      if (p > maxTie[t]!) maxTie[t] = p;
    }
  }
  let span = 2 * (maxTotal + 1);
  for (const m of maxTie) span *= m + 1;
  if (!(span * U < 2 ** 53)) return null;
  const key = new Float64Array(U);
  for (let i = 0; i < U; i++) {
    if (!scored[i]) continue;
    let k = forcedLast[i]! * (maxTotal + 1) + (maxTotal - total[i]!);
    for (let t = 0; t < tie.length; t++) k = k * (maxTie[t]! + 1) + (maxTie[t]! - points[tie[t]! + i]!);
    key[i] = k;
  }
  return key;
}

/** The columns as ranking reads them: totals and tie-breakers are whole units, so doubles compare exactly. */
function rankable(
  model: ColumnModel,
  scheme: CompiledScheme["scheme"],
  groupOf: Int32Array,
  points: Float64Array,
  total: Float64Array,
  scored: Uint8Array,
  excellence: Uint8Array,
  scale: number,
): IndexedUnits {
  const U = total.length;
  const tie = scheme.ranking.tieBreakers.map((t) => model.categoryIds.indexOf(t.category) * U);
  const standingKey = standingKeyOf(total, points, tie, scored, model.forcedLast);
  return {
    standingKey: standingKey ?? undefined,
    byIdOrder: model.byIdOrder,
    count: U,
    groupOf,
    scored,
    forcedLast: model.forcedLast,
    excellence,
    idOrder: model.idOrder,
    compare(a, b) {
      const d = total[b]! - total[a]!;
      if (d !== 0) return d;
      for (const base of tie) {
        const e = points[base + b]! - points[base + a]!;
        if (e !== 0 && !Number.isNaN(e)) return e;
      }
      return 0;
    },
    markAtLeast(min, out) {
      // A whole total is at least min exactly when it is at least ⌈min × scale⌉ (NaN: unscored, never).
      const n = min.n * BigInt(scale);
      markAtLeastWhole(total, Number(n / min.d + (n % min.d > 0n ? 1n : 0n)), out);
    },
  };
}

/** out[i] = 1 where total[i] ≥ threshold. Module-level: see `rankIndexed` on per-call closures. */
function markAtLeastWhole(total: Float64Array, threshold: number, out: Uint8Array): void {
  for (let i = 0; i < total.length; i++) out[i] = total[i]! >= threshold ? 1 : 0;
}
