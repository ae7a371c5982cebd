import { add, cmp, div, mul, neg, ONE, parseDecimal, type Rational, sub, ZERO } from "../rational.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import type { Baseline } from "./baseline.js";
import { memoHierarchy, memoShares } from "./baseline-memo.js";
import { sumOf } from "./piecewise-arithmetic.js";
import {
  floorAtZero,
  isLinear,
  linear,
  type PiecewiseLinear,
  plus,
  sumOfAll,
  times,
  valueAt,
} from "./piecewise-linear.js";

/** How the other categories move while one category's points are swept. */
export type OthersMode = "fixed" | "rescale";

/** Each unit's unrounded total and tie-breaker keys as exact functions of the swept points. */
export interface UnitFunctions {
  /** null: the unit has no total (an insufficient category). */
  totals: (PiecewiseLinear | null)[];
  /** Per unit, one function per tie-breaker category. */
  tieKeys: (PiecewiseLinear | null)[][];
}

/** Thrown when a scheme's structure makes totals non-linear in the swept points (see message). */
export class SweepNotLinearError extends Error {
  override readonly name = "SweepNotLinearError";
}

/**
 * Builds every unit's total as a function of x, the swept category's points, with all
 * rounding left out (the sweep's convention). Other categories stay at their points
 * ("fixed") or share what is left of the scheme's total in their nominal proportions
 * ("rescale"). Roll-ups are linear in x when sub-units' shares do not depend on x, when a
 * category rolls into itself (mean), or when a total rolls into a total (mean) with a
 * constant or absent bonus cap; anything else raises SweepNotLinearError rather than
 * reporting breakpoints that are not exact.
 */
export function unitFunctions(
  baseline: Baseline,
  category: string,
  others: OthersMode,
  from: Rational,
  to: Rational,
): UnitFunctions {
  const { compiled, dataset, outcomes, adjustments: adj } = baseline;
  const { scheme } = compiled;
  const ids = scheme.categories.map((c) => c.id);
  const swept = ids.indexOf(category);
  const P = ids.map((id) => compiled.points.get(id)!);
  const T = P.reduce(add, ZERO);
  const rest = sub(T, P[swept]!);
  // p_c(x) = alpha_c + beta_c·x
  const alpha = P.map((p, k) => (k === swept ? ZERO : others === "fixed" ? p : div(mul(p, T), rest)));
  const beta = P.map((p, k) => (k === swept ? ONE : others === "fixed" ? ZERO : neg(div(p, rest))));
  const constantPoints = (k: number) => beta[k]!.n === 0n;
  const categorySum = linear(alpha.reduce(add, ZERO), beta.reduce(add, ZERO), from, to);
  const bonusCap = parseDecimal(scheme.bonusCap);
  const shares = ids.map((id) => memoShares(baseline.memo, outcomes.get(id), dataset.units));
  // The baseline's hierarchy (deepest units first) and, once each, every category's points
  // function, roll-up share and deduction table: a province builds 30,000 functions.
  const { order, children } = memoHierarchy(baseline.memo, dataset.units);
  const pointsFns = ids.map((_, k) => linear(alpha[k]!, beta[k]!, from, to));
  const hitsById = ids.map((id) => adj.hits.get(id));
  const rollupShares = new Map(scheme.rollups.map((r) => [r, parseDecimal(r.share)]));
  const U = dataset.units.length;
  const cats: (PiecewiseLinear | null)[][] = Array.from({ length: U }, () => []);
  const shareConstant: boolean[][] = Array.from({ length: U }, () => []);
  // The share itself where a category's function is exactly share × points (no deduction).
  const plainShare: (Rational | null)[][] = Array.from({ length: U }, () => []);
  const totals: (PiecewiseLinear | null)[] = new Array(U).fill(null);
  const fail = (why: string): never => {
    throw new SweepNotLinearError(`totals are not piecewise linear in the points of "${category}": ${why}`);
  };
  const context = {
    ids,
    P,
    alpha,
    beta,
    from,
    to,
    bonusCap,
    categorySum,
    cats,
    shareConstant,
    plainShare,
    totals,
    fail,
  };

  for (const i of order) {
    const unit = dataset.units[i]!;
    const kids = children[i]!;
    const rollups =
      kids.length === 0 ? [] : scheme.rollups.filter((r) => !r.parents || r.parents.includes(unit.id));
    const unitCats = cats[i]!;
    for (let k = 0; k < ids.length; k++) {
      const s = shares[k]![i];
      if (s == null) {
        unitCats[k] = null;
        continue;
      }
      const hit = hitsById[k]?.get(unit.id);
      const share = { n: s.n, d: s.d };
      let f = times(pointsFns[k]!, share);
      const plain = !hit || hit.n === 0n;
      if (!plain) f = floorAtZero(plus(f, linear(neg(hit), ZERO, from, to)));
      unitCats[k] = f;
      shareConstant[i]![k] = plain || constantPoints(k);
      plainShare[i]![k] = plain ? share : null;
    }
    for (const r of rollups) {
      if (!("category" in r.into)) continue;
      const k = ids.indexOf(r.into.category);
      const own = unitCats[k];
      if (own == null) continue;
      const share = rollupShares.get(r)!;
      const part = fromChildren(context, r, share, kids, pointsFns[k]!, k);
      if (part) unitCats[k] = plus(times(own, sub(ONE, share)), part);
      shareConstant[i]![k] = false;
      plainShare[i]![k] = null;
    }
    if (unitCats.some((c) => c == null)) continue;
    const b = adj.bonus.get(unit.id) ?? ZERO;
    const t = adj.totalDeducted.get(unit.id) ?? ZERO;
    let total = floorAtZero(sumOfAll(sub(b, t), unitCats as PiecewiseLinear[], from, to));
    for (const r of rollups) {
      if ("category" in r.into) continue;
      const share = rollupShares.get(r)!;
      const part = fromChildren(context, r, share, kids, categorySum, -1);
      if (part) total = plus(times(total, sub(ONE, share)), part);
    }
    totals[i] = total;
  }
  const tieIdx = scheme.ranking.tieBreakers.map((t) => ids.indexOf(t.category));
  return { totals, tieKeys: cats.map((c) => tieIdx.map((k) => c[k] ?? null)) };
}

/** What the sub-units' contribution reads of the sweep being built. */
interface SweepContext {
  ids: readonly string[];
  P: readonly Rational[];
  alpha: readonly Rational[];
  beta: readonly Rational[];
  from: Rational;
  to: Rational;
  bonusCap: Rational;
  categorySum: PiecewiseLinear;
  cats: (PiecewiseLinear | null)[][];
  shareConstant: boolean[][];
  plainShare: (Rational | null)[][];
  totals: (PiecewiseLinear | null)[];
  fail: (why: string) => never;
}

/** Sub-units' contribution × the target's maximum, as a function of x (null: no sub-unit has a value). */
function fromChildren(
  cx: SweepContext,
  r: Scheme["rollups"][number],
  share: Rational,
  kids: readonly number[],
  targetMax: PiecewiseLinear,
  targetIndex: number,
): PiecewiseLinear | null {
  const { ids, P, alpha, beta, from, to, cats, shareConstant, plainShare, totals, bonusCap, categorySum } =
    cx;
  if ("category" in r.source) {
    const k = ids.indexOf(r.source.category);
    const present = kids.filter((c) => cats[c]![k] != null && P[k]!.n !== 0n);
    if (present.length === 0) return null;
    if (present.every((c) => shareConstant[c]![k])) {
      // A constant share is the same wherever the points are nonzero; read it there.
      const at = pointsAt(alpha[k]!, beta[k]!, from).n !== 0n ? from : to;
      const points = pointsAt(alpha[k]!, beta[k]!, at);
      const values = present.map((c) => plainShare[c]![k] ?? div(valueAt(cats[c]![k]!, at), points));
      return times(targetMax, mul(share, aggregate(r.aggregation, values)));
    }
    if (r.aggregation === "mean" && k === targetIndex) {
      let sum: PiecewiseLinear | null = null;
      for (const c of present) sum = sum ? plus(sum, cats[c]![k]!) : cats[c]![k]!;
      return times(sum!, div(share, { n: BigInt(present.length), d: 1n }));
    }
    return cx.fail(
      `roll-up "${r.id}" reads sub-units' ${r.source.category} share, which varies with the sweep`,
    );
  }
  const present = kids.filter((c) => totals[c] != null);
  if (present.length === 0) return null;
  if (r.aggregation !== "mean") return cx.fail(`roll-up "${r.id}" takes the median of sub-unit totals`);
  let sum: PiecewiseLinear | null = null;
  for (const c of present) sum = sum ? plus(sum, totals[c]!) : totals[c]!;
  const mean = times(sum!, div(share, { n: BigInt(present.length), d: 1n }));
  if (
    targetIndex < 0 &&
    (bonusCap.n === 0n || (isLinear(categorySum) && categorySum.pieces[0]!.b.n === 0n))
  ) {
    // total / maxTotal × categorySum, with maxTotal = categorySum + bonusCap
    const cs = categorySum.pieces[0]!;
    return bonusCap.n === 0n ? mean : times(mean, div(cs.a, add(cs.a, bonusCap)));
  }
  return cx.fail(`roll-up "${r.id}" divides sub-unit totals by a maximum that varies with the sweep`);
}

function pointsAt(a: Rational, b: Rational, x: Rational): Rational {
  return add(a, mul(b, x));
}

function aggregate(kind: "mean" | "median", values: Rational[]): Rational {
  if (kind === "mean") return div(values.reduce(sumOf, ZERO), { n: BigInt(values.length), d: 1n });
  const s = [...values].sort(cmp);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : div(add(s[mid - 1]!, s[mid]!), { n: 2n, d: 1n });
}
