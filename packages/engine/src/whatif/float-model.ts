import { parseDecimal, type Rational, toNumber } from "../rational.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import { memoShares } from "./baseline-memo.js";
import type { StageTwoInput } from "./fast-stage-two.js";
import { meanOrMedian } from "./mean-or-median.js";

/**
 * Every unit's coefficients, precomputed once, so that a total under any category points
 * is a handful of float multiplications: share of maximum per category, deductions due,
 * bonus, roll-up structure. For sampling and statistics only — official values never go
 * through here. Rounding is imitated in doubles (halves recognised within 1e-9).
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
  readonly children: readonly Int32Array[];
  readonly rollups: readonly {
    share: number;
    source: number;
    into: number;
    median: boolean;
    parents: ReadonlySet<number> | null;
  }[];
  readonly tieIndex: readonly number[];
  readonly rounding: {
    decimals: number;
    halfEven: boolean;
    category: boolean;
    adjustment: boolean;
    total: boolean;
  };
  readonly bonusCap: number;
}

export function floatModel(compiled: CompiledScheme, input: StageTwoInput): FloatModel {
  const { dataset, outcomes, adjustments: adj, memo } = input;
  const { scheme } = compiled;
  const U = dataset.units.length;
  const C = scheme.categories.length;
  const shares = new Float64Array(U * C);
  const hits = new Float64Array(U * C);
  const f = (r: Rational | undefined) => (r ? toNumber(r) : 0);
  const { decimals, mode, stages } = scheme.rounding;
  const rounding = {
    decimals,
    halfEven: mode === "half-even",
    category: stages.includes("category"),
    adjustment: stages.includes("adjustment"),
    total: stages.includes("total"),
  };
  const adjust = (r: Rational | undefined) =>
    rounding.adjustment ? roundF(f(r), decimals, rounding.halfEven) : f(r);
  scheme.categories.forEach((c, k) => {
    const s = memoShares(memo, outcomes.get(c.id), dataset.units);
    const h = adj.hits.get(c.id);
    dataset.units.forEach((u, i) => {
      const x = s[i];
      shares[k * U + i] = x == null ? Number.NaN : x.f;
      hits[k * U + i] = adjust(h?.get(u.id));
    });
  });
  const index = new Map(dataset.units.map((u, i) => [u.id, i]));
  const kids: number[][] = dataset.units.map(() => []);
  dataset.units.forEach((u, i) => {
    const p = u.parent ? index.get(u.parent) : undefined;
    if (p !== undefined) kids[p]!.push(i);
  });
  for (const list of kids) list.sort((a, b) => (dataset.units[a]!.id < dataset.units[b]!.id ? -1 : 1));
  const depth = dataset.units.map((u) => {
    let d = 0;
    for (let p = u.parent; p && d <= U; p = dataset.units[index.get(p) ?? -1]?.parent) d++;
    return d;
  });
  const order = Int32Array.from(
    dataset.units
      .map((_, i) => i)
      .sort((a, b) => depth[b]! - depth[a]! || (dataset.units[a]!.id < dataset.units[b]!.id ? -1 : 1)),
  );
  const catIndex = new Map(scheme.categories.map((c, k) => [c.id, k]));
  return {
    units: U,
    categories: C,
    shares,
    hits,
    bonus: Float64Array.from(dataset.units, (u) => adjust(adj.bonus.get(u.id))),
    totalDeducted: Float64Array.from(dataset.units, (u) => adjust(adj.totalDeducted.get(u.id))),
    forcedLast: Uint8Array.from(dataset.units, (u) => (adj.vetoes.get(u.id)?.forceLast ? 1 : 0)),
    excellence: Uint8Array.from(dataset.units, (u) =>
      (adj.vetoes.get(u.id)?.reasons ?? []).some((r) => r.excellence) ? 0 : 1,
    ),
    order,
    children: kids.map((k) => Int32Array.from(k)),
    rollups: scheme.rollups.map((r) => ({
      share: toNumber(parseDecimal(r.share)),
      source: "category" in r.source ? catIndex.get(r.source.category)! : -1,
      into: "category" in r.into ? catIndex.get(r.into.category)! : -1,
      median: r.aggregation === "median",
      parents: r.parents ? new Set(r.parents.map((id) => index.get(id) ?? -1)) : null,
    })),
    tieIndex: scheme.ranking.tieBreakers.map((t) => catIndex.get(t.category)!),
    rounding,
    bonusCap: toNumber(parseDecimal(scheme.bonusCap)),
  };
}

/** Half-up (away from zero) or half-even rounding in doubles; a value within 1e-9 of a half counts as the half. */
export function roundF(x: number, decimals: number, halfEven = false): number {
  return roundScaled(x, 10 ** decimals, halfEven);
}

/** `roundF` with 10^decimals given: a power per call was a tenth of a Monte-Carlo sample. */
function roundScaled(x: number, scale: number, halfEven: boolean): number {
  const y = Math.abs(x) * scale;
  const fl = Math.floor(y);
  const rem = y - fl;
  const eps = 1e-9 * Math.max(1, y);
  let q: number;
  if (rem > 0.5 + eps) q = fl + 1;
  else if (rem < 0.5 - eps) q = fl;
  else q = halfEven ? (fl % 2 === 0 ? fl : fl + 1) : fl + 1;
  return (x < 0 ? -q : q) / scale;
}

/**
 * Totals (and final category points, for tie-breakers) under the given points. NaN
 * marks a unit without a total. Writes into `totals` and `points` (points[k * U + i]).
 */
export function floatTotals(
  m: FloatModel,
  P: ArrayLike<number>,
  totals: Float64Array,
  points: Float64Array,
): void {
  const U = m.units;
  const C = m.categories;
  const { decimals, halfEven } = m.rounding;
  const scale = 10 ** decimals;
  let categorySum = 0;
  for (let k = 0; k < C; k++) categorySum += P[k]!;
  const maxTotal = categorySum + m.bonusCap;
  const childShare = (r: FloatModel["rollups"][number], i: number): number => {
    const kids = m.children[i]!;
    const values: number[] = [];
    for (let c = 0; c < kids.length; c++) {
      const k = kids[c]!;
      const v =
        r.source >= 0
          ? P[r.source] === 0
            ? Number.NaN
            : points[r.source * U + k]! / P[r.source]!
          : totals[k]! / maxTotal;
      if (!Number.isNaN(v)) values.push(v);
    }
    return meanOrMedian(values, r.median);
  };
  // Locals for the model's columns and flags: this loop runs for every unit of every sample.
  const { order, shares, hits, children, rollups, bonus, totalDeducted } = m;
  const roundCategory = m.rounding.category;
  const roundTotal = m.rounding.total;
  for (let o = 0; o < U; o++) {
    const i = order[o]!;
    let missing = false;
    for (let k = 0; k < C; k++) {
      const s = shares[k * U + i]!;
      if (Number.isNaN(s)) {
        missing = true;
        points[k * U + i] = Number.NaN;
        continue;
      }
      let p = s * P[k]!;
      const h = hits[k * U + i]!;
      if (h !== 0) p = Math.max(0, p - h);
      points[k * U + i] = p;
    }
    const hasKids = children[i]!.length > 0;
    if (hasKids)
      for (const r of rollups) {
        if (r.into < 0 || (r.parents && !r.parents.has(i))) continue;
        const own = points[r.into * U + i]!;
        const agg = childShare(r, i);
        if (!Number.isNaN(own) && !Number.isNaN(agg))
          points[r.into * U + i] = (1 - r.share) * own + r.share * agg * P[r.into]!;
      }
    let sum = 0;
    for (let k = 0; k < C; k++) {
      let p = points[k * U + i]!;
      if (roundCategory && !Number.isNaN(p)) points[k * U + i] = p = roundScaled(p, scale, halfEven);
      sum += p;
    }
    if (missing) {
      totals[i] = Number.NaN;
      continue;
    }
    let t = Math.max(0, sum + bonus[i]! - totalDeducted[i]!);
    if (hasKids)
      for (const r of rollups) {
        if (r.into >= 0 || (r.parents && !r.parents.has(i))) continue;
        const agg = childShare(r, i);
        if (!Number.isNaN(agg)) t = (1 - r.share) * t + r.share * agg * categorySum;
      }
    totals[i] = roundTotal ? roundScaled(t, scale, halfEven) : t;
  }
}
