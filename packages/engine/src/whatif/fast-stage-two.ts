import { bonusesByUnit } from "../adjustments/bonuses.js";
import { deductionsByUnit } from "../adjustments/deductions.js";
import { vetoesByUnit } from "../adjustments/vetoes.js";
import type { Dataset, Unit } from "../dataset/dataset.js";
import type { MethodOutcome } from "../methods/scoring-method.js";
import { div, parseDecimal, type Rational } from "../rational.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import type { MethodOutcomes } from "../evaluation/score-records.js";
import { type Frac, FRAC_ZERO, frac, fracAdd, fracMax0, fracMul, fracRound, fracSub } from "./frac.js";
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
  const { scheme } = compiled;
  const hits = new Map<string, Map<string, Rational>>();
  const totalDeducted = new Map<string, Rational>();
  for (const [unit, d] of deductionsByUnit(scheme.findingTypes, dataset.findings ?? [])) {
    for (const [target, amount] of d.byTarget) {
      if (target === "") totalDeducted.set(unit, amount);
      else {
        let m = hits.get(target);
        if (!m) hits.set(target, (m = new Map()));
        m.set(unit, amount);
      }
    }
  }
  const bonus = new Map<string, Rational>();
  for (const [unit, b] of bonusesByUnit(scheme.bonusTypes, parseDecimal(scheme.bonusCap), dataset.bonusEvents ?? []))
    bonus.set(unit, b.total);
  return { hits, totalDeducted, bonus, vetoes: vetoesByUnit(scheme.vetoTypes, dataset.vetoEvents ?? []) };
}

/** True when the fast stage two gives exactly what `compose` gives: no roll-ups, no formulas over categories. */
export function fastPathApplies(compiled: CompiledScheme): boolean {
  return compiled.scheme.rollups.length === 0 && [...compiled.dependsOn.values()].every((d) => d.length === 0);
}

const shareCache = new WeakMap<Map<string, MethodOutcome>, WeakMap<readonly Unit[], (Frac | null)[]>>();

/**
 * Each unit's method value as a share of the method's scale (null: insufficient), aligned
 * with `units`; cached per outcome map and unit list, so re-weighting never re-divides.
 */
export function sharesOf(results: Map<string, MethodOutcome> | undefined, units: readonly Unit[]): (Frac | null)[] {
  if (!results) return units.map(() => null);
  let byUnits = shareCache.get(results);
  if (!byUnits) shareCache.set(results, (byUnits = new WeakMap()));
  let out = byUnits.get(units);
  if (out) return out;
  out = units.map((u) => {
    const o = results.get(u.id);
    return o?.status === "scored" ? (o.scale.n === 0n ? FRAC_ZERO : frac(div(o.value, o.scale))) : null;
  });
  byUnits.set(units, out);
  return out;
}

/**
 * Stage two for schemes where every category is points × share − deductions: the same
 * values, ranks, grades and eligibility as `compose`, without traces, in exact fractions
 * that are never normalised. Callers check `fastPathApplies` first.
 */
export function fastStageTwo(compiled: CompiledScheme, dataset: Dataset, outcomes: MethodOutcomes, adj: Adjustments): Standing[] {
  const { scheme } = compiled;
  const { decimals, mode, stages } = scheme.rounding;
  const roundCat = stages.includes("category");
  const roundAdj = stages.includes("adjustment");
  const roundTotal = stages.includes("total");
  const adjust = (r: Rational | undefined): Frac => {
    if (!r) return FRAC_ZERO;
    const f = frac(r);
    return roundAdj ? fracRound(f, decimals, mode) : f;
  };
  const cats = scheme.categories.map((c) => ({
    points: frac(compiled.points.get(c.id)!),
    shares: sharesOf(outcomes.get(c.id), dataset.units),
    hits: adj.hits.get(c.id),
  }));
  const out: Standing[] = new Array(dataset.units.length);
  for (let i = 0; i < dataset.units.length; i++) {
    const unit = dataset.units[i]!;
    const points: (Frac | null)[] = new Array(cats.length);
    let sum = FRAC_ZERO;
    let missing = false;
    for (let k = 0; k < cats.length; k++) {
      const c = cats[k]!;
      const share = c.shares[i];
      if (share == null) {
        points[k] = null;
        missing = true;
        continue;
      }
      let p = share.n === 0n ? FRAC_ZERO : fracMul(share, c.points);
      const hit = c.hits?.get(unit.id);
      if (hit && hit.n !== 0n) p = fracMax0(fracSub(p, adjust(hit)));
      if (roundCat) p = fracRound(p, decimals, mode);
      points[k] = p;
      sum = fracAdd(sum, p);
    }
    const bonus = adjust(adj.bonus.get(unit.id));
    const totalDeducted = adjust(adj.totalDeducted.get(unit.id));
    let total: Frac | null = null;
    if (!missing) {
      total = fracMax0(fracSub(fracAdd(sum, bonus), totalDeducted));
      if (roundTotal) total = fracRound(total, decimals, mode);
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
      excellence: !missing && !reasons.some((r) => r.excellence),
      award: !missing && !reasons.some((r) => r.award),
      forcedLast: v?.forceLast ?? false,
    };
  }
  rankStandings(scheme, out);
  return out;
}
