import { adjustmentsByUnit, type UnitAdjustments } from "../adjustments/unit-adjustments.js";
import type { vetoesByUnit } from "../adjustments/vetoes.js";
import type { Dataset, Unit } from "../dataset/dataset.js";
import type { MethodOutcomes } from "../evaluation/score-records.js";
import { ONE, parseDecimal, type Rational, sub } from "../rational.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import { memoHierarchy, memoShares, type StageTwoMemo } from "./baseline-memo.js";
import { FRAC_ZERO, type Frac, frac, fracAdd, fracMax0, fracMul, fracRound, fracSub } from "./frac.js";
import { fracMeanOrMedian, meanOrMedian } from "./mean-or-median.js";
import { rankStandings } from "./rank-standings.js";
import type { Standing } from "./standing.js";

/** Deduction, bonus and veto figures per unit, computed once per set of tables and records. */
export interface Adjustments {
  /** Category deduction due (after caps), by category then unit. */
  hits: Map<string, Map<string, Rational>>;
  totalDeducted: Map<string, Rational>;
  bonus: Map<string, Rational>;
  vetoes: ReturnType<typeof vetoesByUnit>;
}

export function computeAdjustments(compiled: CompiledScheme, dataset: Dataset): Adjustments {
  return adjustmentFigures(adjustmentsByUnit(compiled.scheme, dataset));
}

/** The figures scenarios reuse, from adjustment records already read (as `createBaseline` has them). */
export function adjustmentFigures({ deductions, bonuses, vetoes }: UnitAdjustments): Adjustments {
  const hits = new Map<string, Map<string, Rational>>();
  const totalDeducted = new Map<string, Rational>();
  for (const [unit, d] of deductions) {
    for (const [target, amount] of d.byTarget) {
      if (target === "") totalDeducted.set(unit, amount);
      else {
        let m = hits.get(target);
        if (!m) {
          m = new Map();
          hits.set(target, m);
        }
        m.set(unit, amount);
      }
    }
  }
  const bonus = new Map<string, Rational>();
  for (const [unit, b] of bonuses) bonus.set(unit, b.total);
  return { hits, totalDeducted, bonus, vetoes };
}

/** Adjustments as stage two adds them (rounded when the scheme rounds adjustments), by unit index. */
export interface AdjustedByUnit {
  readonly adjustments: Adjustments;
  readonly units: readonly Unit[];
  readonly rounding: string;
  /** By category id; null where the unit has no (or a zero) deduction. */
  readonly hits: ReadonlyMap<string, readonly (Frac | null)[]>;
  readonly bonus: readonly Frac[];
  readonly totalDeducted: readonly Frac[];
  /** The same as read, unrounded (a sweep's convention), by unit index: see `exactByUnit`. */
  readonly exact: ExactByUnit;
}

/** Adjustments as `Adjustments` holds them (undefined where its map has none), by unit index. */
export interface ExactByUnit {
  /** By category id. */
  readonly hits: ReadonlyMap<string, readonly (Rational | undefined)[]>;
  readonly bonus: readonly (Rational | undefined)[];
  readonly totalDeducted: readonly (Rational | undefined)[];
}

/** What adjustments as stage two adds them depend on: decimals, mode, and whether adjustments are rounded. */
export function roundingKey(scheme: CompiledScheme["scheme"]): string {
  const { decimals, mode, stages } = scheme.rounding;
  return `${decimals} ${mode} ${stages.includes("adjustment")}`;
}

export function adjustedByUnit(
  scheme: CompiledScheme["scheme"],
  units: readonly Unit[],
  adj: Adjustments,
): AdjustedByUnit {
  const { decimals, mode, stages } = scheme.rounding;
  const roundAdj = stages.includes("adjustment");
  const scale = 10n ** BigInt(decimals);
  const adjust = (r: Rational | undefined): Frac => {
    if (!r || r.n === 0n) return FRAC_ZERO;
    const f = frac(r);
    if (roundAdj) return fracRound(f, decimals, mode);
    // Table amounts are usually decimals: over 10^decimals they sum as whole units downstream.
    return scale % f.d === 0n ? { n: f.n * (scale / f.d), d: scale, f: f.f } : f;
  };
  const exact = exactByUnit(units, adj);
  const hits = new Map<string, (Frac | null)[]>();
  for (const [id, rs] of exact.hits)
    hits.set(
      id,
      rs.map((r) => (r && r.n !== 0n ? adjust(r) : null)),
    );
  return {
    adjustments: adj,
    units,
    rounding: roundingKey(scheme),
    hits,
    bonus: exact.bonus.map(adjust),
    totalDeducted: exact.totalDeducted.map(adjust),
    exact,
  };
}

/**
 * Each unit's adjustments by index: looked up by id once per baseline rather than per sweep
 * (a province sweep read 50,000 of them from maps keyed by unit id).
 */
export function exactByUnit(units: readonly Unit[], adj: Adjustments): ExactByUnit {
  const hits = new Map<string, (Rational | undefined)[]>();
  for (const [id, m] of adj.hits)
    hits.set(
      id,
      units.map((u) => m.get(u.id)),
    );
  return {
    hits,
    bonus: units.map((u) => adj.bonus.get(u.id)),
    totalDeducted: units.map((u) => adj.totalDeducted.get(u.id)),
  };
}

/** The memo's adjustments when they are these adjustments over these units under this rounding; computed otherwise. */
export function memoAdjusted(
  memo: StageTwoMemo | undefined,
  scheme: CompiledScheme["scheme"],
  units: readonly Unit[],
  adj: Adjustments,
): AdjustedByUnit {
  const kept = memo?.adjusted;
  return kept && kept.adjustments === adj && kept.units === units && kept.rounding === roundingKey(scheme)
    ? kept
    : adjustedByUnit(scheme, units, adj);
}

/** What stage two reads; `memo` (a baseline's) spares re-deriving shares and hierarchy. */
export interface StageTwoInput {
  dataset: Dataset;
  outcomes: MethodOutcomes;
  adjustments: Adjustments;
  memo?: StageTwoMemo;
}

/** True when the fast stage two gives exactly what `compose` gives: no formula reads another category. */
export function fastPathApplies(compiled: CompiledScheme): boolean {
  return [...compiled.dependsOn.values()].every((d) => d.length === 0);
}

/**
 * Stage two for schemes where every category is points × share − deductions (roll-ups
 * included): the same values, ranks, grades and eligibility as `compose`, without traces,
 * in exact fractions that are never normalised. Callers check `fastPathApplies` first.
 */
export function fastStageTwo(compiled: CompiledScheme, input: StageTwoInput): Standing[] {
  const { dataset, outcomes, adjustments: adj, memo } = input;
  const { scheme } = compiled;
  const { decimals, mode, stages } = scheme.rounding;
  const roundCat = stages.includes("category");
  const roundTotal = stages.includes("total");
  const adjusted = memoAdjusted(memo, scheme, dataset.units, adj);
  const catIndex = new Map(scheme.categories.map((c, k) => [c.id, k]));
  const scaleN = 10 ** decimals;
  const scaleB = 10n ** BigInt(decimals);
  const cats = scheme.categories.map((c) => ({
    points: frac(compiled.points.get(c.id)!),
    shares: memoShares(memo, outcomes.get(c.id), dataset.units),
    hits: adjusted.hits.get(c.id),
  }));
  // A category's share rolls into a total on the categories' points; a sub-unit's total is a
  // share of the scheme's maximum and rolls in on that maximum (as in compose).
  let categorySum = FRAC_ZERO;
  for (const c of cats) categorySum = fracAdd(categorySum, c.points);
  const maxTotal = frac(compiled.maxTotal);
  const { order, children } = memoHierarchy(memo, dataset.units);
  const rollups = scheme.rollups.map((r) => ({
    rule: r,
    share: frac(parseDecimal(r.share)),
    keep: frac(sub(ONE, parseDecimal(r.share))),
    source: "category" in r.source ? catIndex.get(r.source.category)! : -1,
    into: "category" in r.into ? catIndex.get(r.into.category)! : -1,
    zero: r.missingSubUnit === "zero",
    insufficient: r.missingSubUnit === "insufficient",
    parents: r.parents ? new Set(r.parents) : null,
  }));
  type Rollup = (typeof rollups)[number];
  const NO_ROLLUPS: Rollup[] = [];
  const out: Standing[] = new Array(dataset.units.length);
  // Rounded points and totals take a few thousand distinct values over 10^4 units; Fracs are
  // immutable, so units share them, which keeps a scenario's garbage (and its GC pauses) small.
  const wholes = new Map<number, Frac>();
  const wholeFrac = (q: number): Frac => {
    let f = wholes.get(q);
    if (f === undefined) {
      f = { n: BigInt(q), d: scaleB, f: q / scaleN };
      wholes.set(q, f);
    }
    return f;
  };
  // The blended value; null when a sub-unit without a result leaves the target none.
  const blend = (r: Rollup, own: Frac, max: Frac, kids: readonly number[]): Frac | null => {
    const agg = childShare(r, kids);
    if (agg === INSUFFICIENT) return null;
    return agg === null ? own : fracAdd(fracMul(r.keep, own), fracMul(r.share, fracMul(agg, max)));
  };
  // Sub-units' mean (or median) share of the source's maximum, a sub-unit without a value
  // left out or counted as 0 as the rule says; null when the roll-up is skipped (nothing to
  // read, or a source worth 0 points), INSUFFICIENT when it leaves the target no result.
  const childShare = (r: Rollup, kids: readonly number[]): Frac | null => {
    const max = r.source >= 0 ? cats[r.source]!.points : maxTotal;
    const inverse = max.n === 0n ? null : { n: max.d, d: max.n, f: 1 / max.f };
    const shares: Frac[] = [];
    let without = 0;
    for (const k of kids) {
      const s = out[k]!;
      const v = r.source >= 0 ? s.points[r.source] : s.total;
      if (v == null) {
        without++;
        if (r.zero) shares.push(FRAC_ZERO);
      } else if (inverse) shares.push(fracMul(v, inverse));
    }
    if (without > 0 && r.insufficient) return INSUFFICIENT;
    return inverse ? fracMeanOrMedian(shares, r.rule.aggregation === "median") : null;
  };
  // childShare in doubles: each share within ~1e−15 (relative) of the exact one, and a mean
  // or a median moves no more than its inputs do. NaN for a roll-up that leaves the target
  // no result: the caller then takes the exact path, which says so.
  const childShareF = (r: Rollup, kids: readonly number[]): number | null => {
    const max = r.source >= 0 ? cats[r.source]!.points : maxTotal;
    const shares: number[] = [];
    let without = 0;
    for (const k of kids) {
      const s = out[k]!;
      const v = r.source >= 0 ? s.points[r.source] : s.total;
      if (v == null) {
        without++;
        if (r.zero) shares.push(0);
      } else shares.push(v.f / max.f);
    }
    if (without > 0 && r.insufficient) return Number.NaN;
    return shares.length === 0 || max.n === 0n ? null : meanOrMedian(shares, r.rule.aggregation === "median");
  };
  // A rolled-up, rounded total decided in doubles when that is safe (as in quickRound); null otherwise.
  const quickBlendedTotal = (
    mine: readonly Rollup[],
    kids: readonly number[],
    before: number,
  ): number | null => {
    let t = Math.max(0, before) / scaleN;
    for (const r of mine) {
      const agg = childShareF(r, kids);
      if (Number.isNaN(agg)) return null;
      if (agg !== null) t = r.keep.f * t + r.share.f * agg * (r.source < 0 ? maxTotal.f : categorySum.f);
    }
    const y = t * scaleN;
    if (!(Math.abs(y) < 2 ** 50)) return null;
    const fl = Math.floor(y);
    const rem = y - fl;
    // Only near a half can the double's noise change the rounding (or half-up vs half-even matter).
    if (Math.abs(rem - 0.5) < 1e-6) return null;
    return rem > 0.5 ? fl + 1 : fl;
  };
  for (const i of order) {
    const unit = dataset.units[i]!;
    const kids = children[i]!;
    const mine = kids.length === 0 ? NO_ROLLUPS : rollups.filter((r) => !r.parents || r.parents.has(unit.id));
    const points: (Frac | null)[] = new Array(cats.length);
    let missing = false;
    const blended = mine.length > 0;
    let blendsCategory = false;
    for (const r of mine) if (r.into >= 0) blendsCategory = true;
    for (let k = 0; k < cats.length; k++) {
      const c = cats[k]!;
      const share = c.shares[i];
      if (share == null) {
        points[k] = null;
        missing = true;
        continue;
      }
      const hit = c.hits ? c.hits[i]! : null;
      if (roundCat && !blendsCategory) {
        const q = quickRound(share, c.points, hit, scaleN);
        if (q !== null) {
          points[k] = wholeFrac(q);
          continue;
        }
      }
      let p = share.n === 0n ? FRAC_ZERO : fracMul(share, c.points);
      if (hit) p = fracMax0(fracSub(p, hit));
      points[k] = p;
    }
    for (const r of mine)
      if (r.into >= 0 && points[r.into] != null) {
        const p = blend(r, points[r.into]!, cats[r.into]!.points, kids);
        points[r.into] = p;
        if (p === null) missing = true;
      }
    // Rounded points are whole hundredths (for 2 decimals): sum them as integers.
    let whole = 0;
    let allWhole = true;
    for (let k = 0; k < cats.length; k++) {
      let p = points[k];
      if (p == null) continue;
      if (roundCat && p.d !== scaleB) points[k] = p = fracRound(p, decimals, mode);
      if (p.d === scaleB && allWhole) whole += Math.round(p.f * scaleN);
      else allWhole = false;
    }
    const bonus = adjusted.bonus[i]!;
    const totalDeducted = adjusted.totalDeducted[i]!;
    let total: Frac | null = null;
    if (!missing) {
      const bw = wholeOf(bonus, scaleB);
      const dw = wholeOf(totalDeducted, scaleB);
      const wholeParts = allWhole && bw !== null && dw !== null && Math.abs(whole) < 2 ** 50;
      const q =
        wholeParts && blended && roundTotal && !blendsCategory
          ? quickBlendedTotal(mine, kids, whole + bw - dw)
          : null;
      if (wholeParts && !blended) total = wholeFrac(Math.max(0, whole + bw - dw));
      else if (q !== null) total = wholeFrac(q);
      else {
        let sum = FRAC_ZERO;
        for (const p of points) if (p != null) sum = fracAdd(sum, p);
        let t: Frac | null = fracMax0(fracSub(fracAdd(sum, bonus), totalDeducted));
        for (const r of mine) {
          if (r.into >= 0) continue;
          t = blend(r, t, r.source < 0 ? maxTotal : categorySum, kids);
          if (t === null) break;
        }
        if (t === null) missing = true;
        else total = roundTotal ? fracRound(t, decimals, mode) : t;
      }
    }
    const v = adj.vetoes.get(unit.id);
    const reasons = v?.reasons ?? [];
    out[i] = {
      unit: unit.id,
      name: unit.name,
      group: unit.group,
      points,
      bonus,
      totalDeducted,
      total,
      rank: null,
      rankedInGroup: 0,
      grade: null,
      excellence: !missing && !anyReason(reasons, "excellence"),
      award: !missing && !anyReason(reasons, "award"),
      forcedLast: v?.forceLast ?? false,
    };
  }
  rankStandings(scheme, out);
  return out;
}

/** What a roll-up's share of its sub-units is when it leaves its target no result (compared by identity). */
const INSUFFICIENT: Frac = { n: -1n, d: 1n, f: -1 };

/** Written as a loop, not `.some(() => …)`: no closure per unit in the hot loop. */
function anyReason(
  reasons: readonly { excellence: boolean; award: boolean }[],
  key: "excellence" | "award",
): boolean {
  for (const r of reasons) if (r[key]) return true;
  return false;
}

/**
 * round(max(0, share × points − hit)) in whole 10^−decimals units, decided in doubles when
 * that is safe: the double is within 1e−9 of the exact value, so any result farther than
 * 1e−6 from a rounding half (or from the floor at zero) is the exact one. Otherwise null,
 * and the caller computes in fractions.
 */
function quickRound(share: Frac, points: Frac, hit: Frac | null, scale: number): number | null {
  return roundedInDoubles((share.f * points.f - (hit ? hit.f : 0)) * scale, hit !== null);
}

/**
 * round(max(0, y)) for y in whole units, when the double decides it: null within 1e−6 of a
 * half (where half-up and half-even differ, and where noise could flip it) or, after a
 * deduction, of zero.
 */
export function roundedInDoubles(y: number, deducted: boolean): number | null {
  if (!(Math.abs(y) < 2 ** 50)) return null;
  if (deducted && Math.abs(y) < 1e-6) return null;
  if (y < 0) return 0;
  const fl = Math.floor(y);
  const rem = y - fl;
  if (Math.abs(rem - 0.5) < 1e-6) return null;
  return rem > 0.5 ? fl + 1 : fl;
}

/** A value in whole 10^−decimals units, when it is one. */
function wholeOf(a: Frac, scaleB: bigint): number | null {
  if (a.n === 0n) return 0;
  if (a.d === scaleB) return Number(a.n);
  if (scaleB % a.d === 0n) return Number(a.n * (scaleB / a.d));
  return null;
}
