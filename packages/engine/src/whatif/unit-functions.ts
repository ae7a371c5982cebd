import type { Unit } from "../dataset/dataset.js";
import { add, cmp, div, max, mul, neg, ONE, parseDecimal, type Rational, sub, ZERO } from "../rational.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import type { Baseline } from "./baseline.js";
import { memoHierarchy, memoShares, sharesOf, withSubUnits } from "./baseline-memo.js";
import { exactByUnit } from "./fast-stage-two.js";
import { addTo, fromParts, type Parts, productOf, productOfParts, sumOf } from "./piecewise-arithmetic.js";
import {
  floorAtZero,
  linear,
  linearOfParts,
  type PiecewiseLinear,
  plus,
  sumOfAll,
  times,
  valueAt,
} from "./piecewise-linear.js";
import { type SweepNotLinearDetail, SweepNotLinearError } from "./sweep-not-linear-error.js";

/**
 * How the other categories move while one category's points are swept: "fixed", they keep
 * their points; "rescale", they share what is left of the total in their nominal proportions;
 * "transfer", one category (the donor) gives what the swept one gains and takes back what it
 * loses, the rest keep theirs — a reform that moves points from one category to another
 * (organ construction 30 → 20, public evaluation 40 → 50) is one point of such a sweep.
 */
export type OthersMode = "fixed" | "rescale" | "transfer";

/** Each unit's unrounded total and tie-breaker keys as exact functions of the swept points. */
export interface UnitFunctions {
  /** null: the unit has no total (an insufficient category), or is not among the units asked for. */
  totals: (PiecewiseLinear | null)[];
  /** Per unit, one function per tie-breaker category. */
  tieKeys: (PiecewiseLinear | null)[][];
  /** The range's ends where a fresh evaluation skips a roll-up the functions carry on (see RollupSkip). */
  skips: RollupSkip[];
}

/**
 * Where a roll-up's source category is worth 0 points, a fresh evaluation has no share to
 * read and skips the roll-up, while the functions carry its line on to that point (the limit
 * from inside the range). What the evaluation gives there, unrounded as the sweep's totals
 * are, for the units where it differs.
 */
export interface RollupSkip {
  x: Rational;
  /** Units whose total or a tie-breaker key at x is not their function's value there. */
  units: number[];
  /** Their totals and tie-breaker keys at x, in the order of `units`. */
  totals: Rational[];
  tieKeys: (Rational | null)[][];
}

/**
 * Builds every unit's total as a function of x, the swept category's points, with all
 * rounding left out (the sweep's convention). Other categories stay at their points
 * ("fixed") or share what is left of the scheme's total in their nominal proportions
 * ("rescale"), or the donor alone gives and takes what x moves ("transfer"). Roll-ups are
 * linear in x when sub-units' shares do not depend on x, when a category rolls into itself
 * (mean), or when a total rolls into a total (mean: a sub-unit's share of the maximum,
 * applied to the same maximum, is its total); anything else raises SweepNotLinearError
 * rather than reporting breakpoints that are not exact.
 */
export function unitFunctions(
  baseline: Baseline,
  category: string,
  others: OthersMode,
  from: Rational,
  to: Rational,
  only?: readonly number[],
  donor?: string,
): UnitFunctions {
  const { compiled, dataset, adjustments: adj } = baseline;
  const { scheme } = compiled;
  const ids = scheme.categories.map((c) => c.id);
  const swept = ids.indexOf(category);
  const P = ids.map((id) => compiled.points.get(id)!);
  const { alpha, beta } = pointsLines(P, swept, others, others === "transfer" ? ids.indexOf(donor!) : -1);
  const categorySum = linear(alpha.reduce(add, ZERO), beta.reduce(add, ZERO), from, to);
  const units = dataset.units;
  const U = units.length;
  // The baseline's hierarchy (deepest units first) and, once each, every category's points
  // function, roll-up share and deduction table: a province builds 30,000 functions.
  const hierarchy = memoHierarchy(baseline.memo, units);
  const kept = baseline.memo.adjusted;
  const byUnit =
    kept && kept.adjustments === adj && kept.units === units ? kept.exact : exactByUnit(units, adj);
  const { children } = hierarchy;
  // A unit's functions read its sub-units' and nothing else's: the units asked for and those
  // below them are all a sweep of some groups needs; the others stay null.
  const needed = only ? withSubUnits(children, only) : null;
  const order = needed ? hierarchy.order.filter((i) => needed[i] === 1) : hierarchy.order;
  const fail: Fail = (why, detail) => {
    throw new SweepNotLinearError(`totals are not piecewise linear in the points of "${category}": ${why}`, {
      ...detail,
      category,
    });
  };
  // One object literal (see SweepContext): the per-unit functions below are called 10^4 times
  // a sweep and optimised as such, rather than as one long loop compiled on stack replacement
  // and deoptimised at the first parent it meets.
  const cx: SweepContext = {
    ids,
    alpha,
    beta,
    from,
    to,
    categorySum,
    units,
    children,
    shares: ids.map((id) => sharesFor(baseline, id, beta, fail)),
    hits: ids.map((id) => byUnit.hits.get(id)),
    pointsFns: ids.map((_, k) => linear(alpha[k]!, beta[k]!, from, to)),
    bonus: byUnit.bonus,
    totalDeducted: byUnit.totalDeducted,
    rollups: scheme.rollups.map((r) => ({ rule: r, share: parseDecimal(r.share) })),
    // Per-unit lists, made as each unit is reached (a sweep of one group reaches a few hundred).
    cats: new Array(U),
    constantOnly: ids.map(
      (id, k) =>
        beta[k]!.n === 0n &&
        !scheme.ranking.tieBreakers.some((t) => t.category === id) &&
        !scheme.rollups.some(
          (r) =>
            ("category" in r.source && r.source.category === id) ||
            ("category" in r.into && r.into.category === id),
        ),
    ),
    constants: new Array(U).fill(null),
    constantN: new Float64Array(U),
    constantD: new Float64Array(U).fill(1),
    value: { n: 0, d: 1 },
    constant: { n: 0, d: 1 },
    slope: { n: 0, d: 1 },
    shareConstant: new Uint8Array(U * ids.length),
    plainShare: new Array(U * ids.length).fill(null),
    totals: new Array(U).fill(null),
    fail,
  };
  // Indexed loops over units here and below: an iterator's result, and a closure for `some`,
  // were made per unit (~1 MB a province sweep).
  for (let o = 0; o < order.length; o++) {
    const i = order[o]!;
    // Sized once: an empty literal's first store gives it room for 17 (~5 MB a province sweep, all kept).
    cx.cats[i] = new Array(ids.length).fill(null);
    categoryFunctions(cx, i);
    if (children[i]!.length > 0) rollUpIntoCategories(cx, i);
    if (missingSome(cx.cats[i]!)) continue;
    cx.totals[i] = children[i]!.length > 0 ? rollUpIntoTotal(cx, i, totalOf(cx, i)) : totalOf(cx, i);
  }
  const tieIdx = scheme.ranking.tieBreakers.map((t) => ids.indexOf(t.category));
  // A category's points are linear in x and never negative over the range: unless they are 0
  // throughout (no roll-up reads them then), they are 0 at one of its ends at most.
  const skips = [from, to]
    .filter((x) => skipsAt(cx, x))
    .map((x) => rollupSkip(cx, order, tieIdx, x))
    .filter((s) => s.units.length > 0);
  const none = tieIdx.map(() => null);
  const tieKeys: (PiecewiseLinear | null)[][] = new Array(U);
  for (let i = 0; i < U; i++) {
    const c = cx.cats[i];
    // A function, not a closure per unit: the unit's categories are map's `this`.
    tieKeys[i] = c ? tieIdx.map(categoryOrNull, c) : none;
  }
  return { totals: cx.totals, tieKeys, skips };
}

/**
 * Each category's points as a line in x, p_c(x) = alpha_c + beta_c·x, the swept one's being x.
 * Each mode keeps the scheme's total at every x but "fixed", which adds to it what x adds.
 */
function pointsLines(
  P: readonly Rational[],
  swept: number,
  others: OthersMode,
  donor: number,
): { alpha: Rational[]; beta: Rational[] } {
  const T = P.reduce(add, ZERO);
  const rest = sub(T, P[swept]!);
  const line = (p: Rational, k: number): [Rational, Rational] => {
    if (k === swept) return [ZERO, ONE];
    switch (others) {
      case "fixed":
        return [p, ZERO];
      case "rescale":
        return [div(mul(p, T), rest), neg(div(p, rest))];
      case "transfer":
        if (donor < 0 || donor === swept)
          throw new Error('unitFunctions: "transfer" needs another category as donor');
        return k === donor ? [add(p, P[swept]!), neg(ONE)] : [p, ZERO];
    }
  };
  const lines = P.map(line);
  return { alpha: lines.map((l) => l[0]), beta: lines.map((l) => l[1]) };
}

/** Whether some roll-up reads a category that is worth 0 points at x but not everywhere. */
function skipsAt(cx: SweepContext, x: Rational): boolean {
  return cx.rollups.some(({ rule }) => {
    if (!("category" in rule.source)) return false;
    const k = cx.ids.indexOf(rule.source.category);
    const moving = cx.alpha[k]!.n !== 0n || cx.beta[k]!.n !== 0n;
    return moving && pointsAt(cx.alpha[k]!, cx.beta[k]!, x).n === 0n;
  });
}

/**
 * Every parent's categories and total at x as a fresh evaluation composes them (only parents
 * can differ from their functions: a roll-up is all that is skipped), deepest first.
 */
function rollupSkip(
  cx: SweepContext,
  order: readonly number[],
  tieIdx: readonly number[],
  x: Rational,
): RollupSkip {
  const { ids, children, cats } = cx;
  const P = ids.map((_, k) => pointsAt(cx.alpha[k]!, cx.beta[k]!, x));
  const categorySum = P.reduce(add, ZERO);
  const catsAt = new Map<number, (Rational | null)[]>();
  const totalAt = new Map<number, Rational | null>();
  const catOf = (c: number, k: number): Rational | null => {
    const own = catsAt.get(c);
    if (own) return own[k]!;
    const f = cats[c]![k];
    return f == null ? null : valueAt(f, x);
  };
  const totalOfAt = (c: number): Rational | null => {
    if (totalAt.has(c)) return totalAt.get(c)!;
    const f = cx.totals[c];
    return f == null ? null : valueAt(f, x);
  };
  // A roll-up's part as applyRollup takes it: null where it has nothing to read, "none"
  // where a sub-unit without a result leaves the target none.
  const part = (
    r: Scheme["rollups"][number],
    share: Rational,
    kids: readonly number[],
    targetMax: Rational,
  ): Rational | null | "none" => {
    const category = "category" in r.source ? ids.indexOf(r.source.category) : -1;
    const values = kids.map((c) => (category >= 0 ? catOf(c, category) : totalOfAt(c)));
    if (r.missingSubUnit === "insufficient" && values.includes(null)) return "none";
    if (category >= 0 && P[category]!.n === 0n) return null;
    const shares: Rational[] = [];
    for (const v of values) {
      // A sub-unit's total, read as a share of the maximum and applied to it, counts as it is.
      if (v) shares.push(category >= 0 ? div(v, P[category]!) : v);
      else if (r.missingSubUnit === "zero") shares.push(ZERO);
    }
    if (shares.length === 0) return null;
    const agg = aggregate(r.aggregation, shares);
    return category >= 0 ? mul(mul(share, agg), targetMax) : mul(share, agg);
  };
  const out: RollupSkip = { x, units: [], totals: [], tieKeys: [] };
  for (let o = 0; o < order.length; o++) {
    const i = order[o]!;
    const kids = children[i]!;
    if (kids.length === 0) continue;
    const values = ids.map((_, k): Rational | null => {
      const s = cx.shares[k]![i];
      if (s == null || cx.constantOnly[k]) return null;
      const hit = cx.hits[k]?.[i];
      const own = mul({ n: s.n, d: s.d }, P[k]!);
      return !hit || hit.n === 0n ? own : max(ZERO, sub(own, hit));
    });
    const rollups = rollupsOf(cx, i);
    for (const { rule: r, share } of rollups) {
      if (!("category" in r.into)) continue;
      const k = ids.indexOf(r.into.category);
      const own = values[k];
      if (own == null) continue;
      const p = part(r, share, kids, P[k]!);
      if (p === "none") values[k] = null;
      else if (p) values[k] = add(mul(sub(ONE, share), own), p);
    }
    catsAt.set(i, values);
    let total: Rational | null = null;
    // The functions have no total where a roll-up leaves a category none: at x too, since
    // whether a sub-unit has a result does not depend on x.
    if (!missingSome(cats[i]!)) {
      let gross = sub(add(cx.bonus[i] ?? ZERO, constantOf(cx, i)), cx.totalDeducted[i] ?? ZERO);
      for (const v of values) if (v) gross = add(gross, v);
      let t: Rational | null = max(ZERO, gross);
      for (const { rule: r, share } of rollups) {
        if ("category" in r.into) continue;
        const p = part(r, share, kids, categorySum);
        if (p === "none") {
          t = null;
          break;
        }
        if (p) t = add(mul(sub(ONE, share), t), p);
      }
      total = t;
    }
    totalAt.set(i, total);
    const f = cx.totals[i];
    if (f == null || total == null) continue;
    const keys = tieIdx.map((k) => values[k] ?? null);
    const differs =
      cmp(valueAt(f, x), total) !== 0 ||
      tieIdx.some((k, t) => {
        const g = cats[i]![k];
        return g != null && cmp(valueAt(g, x), keys[t]!) !== 0;
      });
    if (!differs) continue;
    out.units.push(i);
    out.totals.push(total);
    out.tieKeys.push(keys);
  }
  return out;
}

/**
 * Each unit's share of a category's maximum. A formula that reads other categories is scored
 * in stage two from their points, so the baseline's outcomes lack it (read as "insufficient",
 * every unit would silently drop out of the sweep): while nothing it reads moves with x, its
 * value is the evaluation's own; when something does, the formula may bend the total anyhow.
 */
function sharesFor(
  baseline: Baseline,
  id: string,
  beta: readonly Rational[],
  fail: Fail,
): readonly ({ n: bigint; d: bigint } | null)[] {
  const { compiled, dataset, outcomes, exact } = baseline;
  if ((compiled.dependsOn.get(id) ?? []).length === 0)
    return memoShares(baseline.memo, outcomes.get(id), dataset.units);
  const ids = compiled.scheme.categories.map((c) => c.id);
  const moving = (c: string): string | undefined =>
    (compiled.dependsOn.get(c) ?? []).find((d) => beta[ids.indexOf(d)]!.n !== 0n || moving(d) !== undefined);
  const moved = moving(id);
  if (moved !== undefined)
    fail(`formula "${id}" reads "${moved}", whose points move with the sweep`, {
      reason: "formula-reads-moving-points",
      categories: [id, moved],
      rollup: null,
    });
  const results = new Map(
    exact.units.map((u) => [u.unit.id, u.categories.find((c) => c.category === id)!.outcome]),
  );
  return sharesOf(results, dataset.units);
}

/** `this`'s function of category k, or null: a unit's tie-breaker key, by `map` over tie-breaker indices. */
function categoryOrNull(this: readonly (PiecewiseLinear | null)[], k: number): PiecewiseLinear | null {
  return this[k] ?? null;
}

/** Whether some category of a unit has no function (insufficient): then it has no total. */
function missingSome(cats: readonly (PiecewiseLinear | null)[]): boolean {
  for (let k = 0; k < cats.length; k++) if (cats[k] == null) return true;
  return false;
}

/** Stands for a constantOnly category's function, which is never made. */
const IN_CONSTANTS: PiecewiseLinear = { pieces: [], to: ZERO };

/** A unit's category points as functions of x: share × points, less its deduction, floored at zero. */
function categoryFunctions(cx: SweepContext, i: number): void {
  const unitCats = cx.cats[i]!;
  for (let k = 0; k < cx.ids.length; k++) {
    const s = cx.shares[k]![i];
    if (s == null) {
      unitCats[k] = null;
      continue;
    }
    const hit = cx.hits[k]?.[i];
    const plain = !hit || hit.n === 0n;
    if (cx.constantOnly[k]) {
      // Its points (floored at zero after a deduction) join the unit's constant: no function is
      // made (and no roll-up reads its share: shareConstant and plainShare stay unset).
      addConstant(cx, i, cx.alpha[k]!, s, plain ? null : hit!);
      unitCats[k] = IN_CONSTANTS;
      continue;
    }
    const share = { n: s.n, d: s.d };
    const at = i * cx.ids.length + k;
    cx.shareConstant[at] = plain || cx.beta[k]!.n === 0n ? 1 : 0;
    cx.plainShare[at] = plain ? share : null;
    // share × (alpha + beta·x) − hit, made as one piece: ~10,000 of them a province sweep.
    // In doubles while the parts fit, by productOf's and sumOf's steps (the same fractions).
    const pa = cx.value;
    const pb = cx.slope;
    if (
      productOfParts(pa, cx.alpha[k]!, share) &&
      productOfParts(pb, cx.beta[k]!, share) &&
      (plain || addTo(pa, -Number(hit!.n), Number(hit!.d)))
    ) {
      const f = linearOfParts(pa, pb, cx.from, cx.to);
      unitCats[k] = plain ? f : floorAtZero(f);
      continue;
    }
    const a = productOf(cx.alpha[k]!, share);
    const b = productOf(cx.beta[k]!, share);
    unitCats[k] = plain
      ? linear(a, b, cx.from, cx.to)
      : floorAtZero(linear(sumOf(a, neg(hit)), b, cx.from, cx.to));
  }
}

/**
 * Adds share × alpha, less the deduction when there is one, to unit i's constant where it is
 * above zero. While every part fits in a double the sums are sumOf's and productOf's own steps
 * in doubles (the same fraction), kept in constantN/D: a province's 20,000 such points made
 * ~80,000 bigints that only fed the next sum. Past 2^53, in fractions from there on.
 */
function addConstant(cx: SweepContext, i: number, alpha: Rational, s: Rational, hit: Rational | null): void {
  if (cx.constants[i] === null) {
    const v = cx.value;
    if (productOfParts(v, alpha, s) && (hit === null || addTo(v, -Number(hit.n), Number(hit.d)))) {
      if (hit !== null && v.n <= 0) return;
      const c = cx.constant;
      c.n = cx.constantN[i]!;
      c.d = cx.constantD[i]!;
      if (addTo(c, v.n, v.d)) {
        cx.constantN[i] = c.n;
        cx.constantD[i] = c.d;
        return;
      }
    }
    cx.constants[i] = constantOf(cx, i);
  }
  const a = productOf(alpha, { n: s.n, d: s.d });
  const value = hit === null ? a : sumOf(a, neg(hit));
  if (hit === null || value.n > 0n) cx.constants[i] = sumOf(cx.constants[i]!, value);
}

/** Unit i's constant as a fraction. */
function constantOf(cx: SweepContext, i: number): Rational {
  return cx.constants[i] ?? fromParts({ n: cx.constantN[i]!, d: cx.constantD[i]! });
}

/** A unit's total before roll-ups into the total: bonus − deductions + categories, floored at zero. */
function totalOf(cx: SweepContext, i: number): PiecewiseLinear {
  const b = cx.bonus[i] ?? ZERO;
  const t = cx.totalDeducted[i] ?? ZERO;
  // The unit's functions are read in place (no list of them is made for the 10^4 units whose
  // parts fit: a list per unit was a twentieth of what a sweep allocates).
  const cats = cx.cats[i]!;
  let lines = true;
  for (let k = 0; k < cats.length; k++) {
    const c = cats[k]!;
    if (c !== IN_CONSTANTS && c.pieces.length !== 1) lines = false;
  }
  // sumOf(sumOf(b, −t), constant), then sumOfAll's sums, in doubles while every part fits.
  const a = cx.constant;
  a.n = 0;
  a.d = 1;
  let fits =
    lines &&
    cx.constants[i] === null &&
    addTo(a, Number(b.n), Number(b.d)) &&
    addTo(a, -Number(t.n), Number(t.d)) &&
    addTo(a, cx.constantN[i]!, cx.constantD[i]!);
  for (let k = 0; fits && k < cats.length; k++) {
    const c = cats[k]!;
    if (c !== IN_CONSTANTS) fits = addTo(a, c.pieces[0]!.an, c.pieces[0]!.ad);
  }
  // The slopes as sumOfAll adds them, in doubles too.
  const slope = cx.slope;
  slope.n = 0;
  slope.d = 1;
  for (let k = 0; fits && k < cats.length; k++) {
    const c = cats[k]!;
    if (c !== IN_CONSTANTS) fits = addTo(slope, c.pieces[0]!.bn, c.pieces[0]!.bd);
  }
  if (fits) return floorAtZero(linearOfParts(a, slope, cx.from, cx.to));
  const fs = cats.filter((c): c is PiecewiseLinear => c !== IN_CONSTANTS);
  return floorAtZero(sumOfAll(sumOf(sumOf(b, neg(t)), constantOf(cx, i)), fs, cx.from, cx.to));
}

function rollupsOf(cx: SweepContext, i: number): SweepContext["rollups"] {
  const id = cx.units[i]!.id;
  return cx.rollups.filter(({ rule }) => !rule.parents || rule.parents.includes(id));
}

function rollUpIntoCategories(cx: SweepContext, i: number): void {
  const unitCats = cx.cats[i]!;
  for (const { rule: r, share } of rollupsOf(cx, i)) {
    if (!("category" in r.into)) continue;
    const k = cx.ids.indexOf(r.into.category);
    const own = unitCats[k];
    if (own == null) continue;
    const part = fromChildren(cx, r, share, cx.children[i]!, cx.pointsFns[k]!, k);
    if (part === NO_RESULT) unitCats[k] = null;
    else if (part) unitCats[k] = plus(times(own, sub(ONE, share)), part);
    cx.shareConstant[i * cx.ids.length + k] = 0;
    cx.plainShare[i * cx.ids.length + k] = null;
  }
}

/** The total with the roll-ups into it; null when one leaves it no result. */
function rollUpIntoTotal(cx: SweepContext, i: number, own: PiecewiseLinear): PiecewiseLinear | null {
  let total = own;
  for (const { rule: r, share } of rollupsOf(cx, i)) {
    if ("category" in r.into) continue;
    const part = fromChildren(cx, r, share, cx.children[i]!, cx.categorySum, -1);
    if (part === NO_RESULT) return null;
    if (part) total = plus(times(total, sub(ONE, share)), part);
  }
  return total;
}

/** What the sub-units' contribution reads of the sweep being built. */
interface SweepContext {
  ids: readonly string[];
  alpha: readonly Rational[];
  beta: readonly Rational[];
  from: Rational;
  to: Rational;
  /** The categories' points summed, as a function of x: what a category's share rolls into a total on. */
  categorySum: PiecewiseLinear;
  units: readonly Unit[];
  children: readonly (readonly number[])[];
  /** Per category, each unit's method value as a share of the method's scale. */
  shares: readonly (readonly ({ n: bigint; d: bigint } | null)[])[];
  /** Per category, deductions due by unit index. */
  hits: readonly (readonly (Rational | undefined)[] | undefined)[];
  /** Each category's points as a function of x. */
  pointsFns: readonly PiecewiseLinear[];
  bonus: readonly (Rational | undefined)[];
  totalDeducted: readonly (Rational | undefined)[];
  rollups: readonly { rule: Scheme["rollups"][number]; share: Rational }[];
  /**
   * Per unit and category, its points as a function of x; null when insufficient, and
   * IN_CONSTANTS for a constantOnly category.
   */
  cats: (PiecewiseLinear | null)[][];
  /**
   * Per category: its points do not move with x and no tie-breaker or roll-up reads its
   * function, so only its value counts, summed into `constants` (in a fixed-others sweep,
   * two of a province's three categories: 20,000 functions not made).
   */
  constantOnly: readonly boolean[];
  /** Per unit, the sum of its constantOnly categories' points; null while in constantN/D. */
  constants: (Rational | null)[];
  /** Per unit, its constant as double-exact parts while `constants` holds null (see addConstant). */
  constantN: Float64Array;
  constantD: Float64Array;
  /** Scratch for addConstant's, categoryFunctions' and totalOf's sums in doubles. */
  value: Parts;
  constant: Parts;
  slope: Parts;
  /** By unit × category count + category: 1 where its share of the points does not move with x. */
  shareConstant: Uint8Array;
  /** By unit × category count + category: its share when no deduction bends it, else null. */
  plainShare: (Rational | null)[];
  totals: (PiecewiseLinear | null)[];
  fail: Fail;
}

/** Raises SweepNotLinearError for the swept category: why in words, and the detail a program reads. */
type Fail = (why: string, detail: Omit<SweepNotLinearDetail, "category">) => never;

/** What fromChildren (and rollupSkip) give for a roll-up that leaves its target no result, by identity. */
const NO_RESULT: PiecewiseLinear = { pieces: [], to: ZERO };

/**
 * Sub-units' contribution × the target's maximum, as a function of x: null when the roll-up
 * is skipped (no sub-unit has a value, or the source is worth 0 points throughout), NO_RESULT
 * when a sub-unit without a value leaves the target none. Whether a sub-unit has a value does
 * not depend on x. A sub-unit counted as 0 ("zero") is a constant share of 0.
 */
function fromChildren(
  cx: SweepContext,
  r: Scheme["rollups"][number],
  share: Rational,
  kids: readonly number[],
  targetMax: PiecewiseLinear,
  targetIndex: number,
): PiecewiseLinear | null {
  const { ids, alpha, beta, from, to, cats, shareConstant, plainShare, totals } = cx;
  const k = "category" in r.source ? ids.indexOf(r.source.category) : -1;
  const present = kids.filter((c) => (k >= 0 ? cats[c]![k] : totals[c]) != null);
  const without = kids.length - present.length;
  if (without > 0 && r.missingSubUnit === "insufficient") return NO_RESULT;
  const zeros = r.missingSubUnit === "zero" ? without : 0;
  const n = present.length + zeros;
  if (n === 0) return null;
  const perSubUnit = div(share, { n: BigInt(n), d: 1n });
  if ("category" in r.source) {
    // A sub-unit's share counts wherever the source's points are not zero: at nominal points
    // of 0 the sweep still moves them (the share is read where they are not zero, below).
    if (alpha[k]!.n === 0n && beta[k]!.n === 0n) return null;
    const K = ids.length;
    if (present.every((c) => shareConstant[c * K + k] === 1)) {
      // A constant share is the same wherever the points are nonzero; read it there.
      const at = pointsAt(alpha[k]!, beta[k]!, from).n !== 0n ? from : to;
      const points = pointsAt(alpha[k]!, beta[k]!, at);
      const values = present.map((c) => plainShare[c * K + k] ?? div(valueAt(cats[c]![k]!, at), points));
      for (let z = 0; z < zeros; z++) values.push(ZERO);
      return times(targetMax, productOf(share, aggregate(r.aggregation, values)));
    }
    if (r.aggregation === "mean" && k === targetIndex) {
      let sum: PiecewiseLinear | null = null;
      for (const c of present) sum = sum ? plus(sum, cats[c]![k]!) : cats[c]![k]!;
      return times(sum!, perSubUnit);
    }
    return cx.fail(
      `roll-up "${r.id}" reads sub-units' ${r.source.category} share, which varies with the sweep`,
      {
        reason: "rollup-reads-moving-share",
        categories: [r.source.category],
        rollup: r.id,
      },
    );
  }
  // Only sub-units counted as 0: a constant contribution of 0, whatever the aggregation.
  if (present.length === 0) return linear(ZERO, ZERO, from, to);
  if (r.aggregation !== "mean")
    return cx.fail(`roll-up "${r.id}" takes the median of sub-unit totals`, {
      reason: "rollup-median-of-totals",
      categories: [],
      rollup: r.id,
    });
  let sum: PiecewiseLinear | null = null;
  for (const c of present) sum = sum ? plus(sum, totals[c]!) : totals[c]!;
  // Into the total: a sub-unit's total counts as it is (its share of the scheme's maximum,
  // applied to that maximum), whatever x.
  if (targetIndex < 0) return times(sum!, perSubUnit);
  return cx.fail(
    `roll-up "${r.id}" reads sub-unit totals as a share of a maximum that varies with the sweep`,
    {
      reason: "rollup-totals-into-moving-maximum",
      categories: [cx.ids[targetIndex]!],
      rollup: r.id,
    },
  );
}

function pointsAt(a: Rational, b: Rational, x: Rational): Rational {
  return add(a, mul(b, x));
}

function aggregate(kind: "mean" | "median", values: Rational[]): Rational {
  // Sums and products with Knuth's smaller gcds: a province has ~1,000 parents to roll up.
  if (kind === "mean") return productOf(values.reduce(sumOf, ZERO), { n: 1n, d: BigInt(values.length) });
  const s = [...values].sort(cmp);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : div(add(s[mid - 1]!, s[mid]!), { n: 2n, d: 1n });
}
