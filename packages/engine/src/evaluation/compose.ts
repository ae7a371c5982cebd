import type { BonusLine, UnitBonuses } from "../adjustments/bonuses.js";
import type { DeductionCap, DeductionLine, UnitDeductions } from "../adjustments/deductions.js";
import { adjustmentsByUnit, type UnitAdjustments } from "../adjustments/unit-adjustments.js";
import type { EligibilityReason } from "../adjustments/vetoes.js";
import type { Dataset, Unit } from "../dataset/dataset.js";
import { validateDataset } from "../dataset/validate-dataset.js";
import { asPublished, exact, exactFrom } from "../methods/exact-text.js";
import type { MethodOutcome } from "../methods/scoring-method.js";
import type { GradeAward } from "../ranking/grades.js";
import { rankAndGrade } from "../ranking/rank-and-grade.js";
import { add, cmp, max, type Rational, ratio, round, sub, toExactString, ZERO } from "../rational.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import { checkCompiledArgument } from "../scheme/compiled-argument.js";
import type { Rollup } from "../scheme/scheme-schema.js";
import { type TraceStep, traceStep } from "../trace.js";
import { checkOutcomesArgument } from "./outcomes-argument.js";
import {
  applyRollup,
  type ChildResult,
  type RollupCount,
  sourceMax,
  subUnitsByParent,
  targetMaxOf,
} from "./rollup.js";
import { type MethodOutcomes, readTraces, scoreCategory } from "./score-records.js";

/** One category of one unit, exactly. */
export interface ExactCategory {
  category: string;
  outcome: MethodOutcome;
  /** value / scale × category points, before deductions and roll-ups; null when insufficient. */
  methodPoints: Rational | null;
  /** Deductions that hit this category, after caps, limited by the floor at zero. */
  deducted: Rational;
  /** Final points: after deductions, roll-ups and the scheme's category rounding. */
  points: Rational | null;
  trace: TraceStep[];
}

export interface ExactUnit {
  unit: Unit;
  categories: ExactCategory[];
  deductions: DeductionLine[];
  deductionCaps: DeductionCap[];
  /**
   * Deductions from the total (not from a category), after caps, as due: before the floor at
   * zero, which may take less (the published `deducted` is what it took).
   */
  totalDeducted: Rational;
  bonuses: BonusLine[];
  bonusTotal: Rational;
  /** Notes on bonus caps that cut the sum. */
  bonusCaps: string[];
  /** null when any category is insufficient: such a unit has no total and no rank. */
  total: Rational | null;
  rank: number | null;
  /** Ranked units in the unit's group (the "of 29" in "9th of 29"). */
  rankedInGroup: number;
  grade: GradeAward | null;
  eligibleForExcellence: boolean;
  eligibleForAward: boolean;
  reasons: EligibilityReason[];
  forcedLast: boolean;
  /**
   * Each roll-up applied to the unit: how many sub-units it read and how many had no result
   * (left out, counted as 0 or making the target insufficient, as the rule says). Empty for
   * a unit without sub-units. A roll-up into a category that it leaves with a result also
   * writes these counts into the category's details (`rollup.<id>.subUnits`, `.withoutResult`).
   */
  rollups: readonly RollupCount[];
  trace: TraceStep[];
}

export interface ExactEvaluation {
  compiled: CompiledScheme;
  units: ExactUnit[];
}

/**
 * Stage 2 of an evaluation: from method outcomes to points, deductions, roll-ups,
 * bonuses, totals, ranks, grades and eligibility. Cheap relative to stage 1; a what-if
 * that changes only points, tables or quotas re-runs this stage alone.
 *
 * Categories that read other categories (formulas) are scored here, in dependency order,
 * from the exact unrounded points (after deductions, before roll-ups) of what they read.
 */
export interface ComposeOptions {
  /**
   * Build the readable explanation of every step (default true). Ranking-only callers — a
   * province-wide table, a what-if over thousands of units — skip the strings and get the
   * same numbers.
   */
  traces?: boolean;
}

/**
 * Checks the dataset as `evaluate` does (an InputError lists every problem) before composing:
 * stage 2 reads the units, groups, findings, bonuses and vetoes itself, and a duplicated unit
 * or an unknown finding level would otherwise be ranked without a word.
 */
export function compose(
  compiled: CompiledScheme,
  dataset: Dataset,
  outcomes: MethodOutcomes,
  options: ComposeOptions = {},
): ExactEvaluation {
  checkCompiledArgument(compiled);
  checkOutcomesArgument(outcomes);
  const traces = readTraces(options);
  validateDataset(compiled, dataset);
  return composeValidated(compiled, dataset, outcomes, { traces });
}

/**
 * `compose` of a dataset already checked in the same call (by `evaluate`, or a scenario's
 * records as applied). Not part of the package's API: a caller's dataset may have changed since.
 */
export function composeValidated(
  compiled: CompiledScheme,
  dataset: Dataset,
  outcomes: MethodOutcomes,
  options: { traces: boolean },
): ExactEvaluation {
  return composeWith(compiled, dataset, outcomes, adjustmentsByUnit(compiled.scheme, dataset), options);
}

/**
 * `compose` from deductions, bonuses and vetoes already read from the records (by
 * `adjustmentsByUnit` for the same scheme and dataset): a what-if baseline keeps them
 * for its scenarios instead of reading 300,000 findings twice.
 */
export function composeWith(
  compiled: CompiledScheme,
  dataset: Dataset,
  outcomes: MethodOutcomes,
  adjustments: UnitAdjustments,
  options: ComposeOptions = {},
): ExactEvaluation {
  const { scheme } = compiled;
  const traces = options.traces ?? true;
  // Text is built only when it will be read: at province scale the strings cost more than the arithmetic.
  const note = (trace: TraceStep[], step: string, text: () => string) => {
    if (traces) trace.push(traceStep(step, text()));
  };
  const rounding = scheme.rounding;
  const rounds = {
    category: rounding.stages.includes("category"),
    adjustment: rounding.stages.includes("adjustment"),
    total: rounding.stages.includes("total"),
  };
  const roundingRule = ` (${rounding.mode}, ${rounding.decimals} decimals)`;
  const published = (v: Rational) => asPublished(v, rounding.decimals);
  const roundAt = (stage: "category" | "adjustment" | "total", v: Rational) =>
    rounds[stage] ? round(v, rounding.decimals, rounding.mode) : v;

  const { deductions, bonuses, vetoes } = adjustments;
  // A method's scale is one shared value (as methods return it) that recurs in every unit's
  // trace: format it once while it stays the same.
  let lastScale: Rational | undefined;
  let lastScaleText = "";
  const scaleText = (v: Rational) => {
    if (v !== lastScale) {
      lastScale = v;
      lastScaleText = toExactString(v);
    }
    return lastScaleText;
  };
  const unitIds = new Set(dataset.units.map((u) => u.id));

  // Points per category per unit, after category deductions: what formulas read, so kept
  // only for the categories some formula reads.
  const categoryPoints = new Map<string, Map<string, Rational>>();
  const readByFormulas = new Set([...compiled.dependsOn.values()].flat());
  const byUnit = new Map<string, ExactCategory[]>(dataset.units.map((u) => [u.id, []]));
  // Each unit's list and deductions by its position, looked up once rather than per category.
  const categoriesAt = dataset.units.map((u) => byUnit.get(u.id)!);
  const deductionsAt = dataset.units.map((u) => deductions.get(u.id));
  for (const category of compiled.order) {
    const results =
      outcomes.get(category.id) ??
      scoreCategory(compiled, category, dataset, { unitIds, traces, categoryPoints });
    const maxPoints = compiled.points.get(category.id)!;
    const maxText = traces ? toExactString(maxPoints) : "";
    const pointsOf = readByFormulas.has(category.id) ? new Map<string, Rational>() : undefined;
    for (let i = 0; i < dataset.units.length; i++) {
      const unit = dataset.units[i]!;
      const outcome: MethodOutcome = results.get(unit.id) ?? {
        status: "insufficient",
        reason: "no records for this unit",
        trace: [],
      };
      const trace = traces ? outcome.trace.slice() : [];
      let methodPoints: Rational | null = null;
      let deducted = ZERO;
      let points: Rational | null = null;
      if (outcome.status === "scored") {
        // value / scale × maxPoints in one reduction.
        const { value, scale } = outcome;
        const scaled =
          scale.n === 0n ? ZERO : ratio(value.n * scale.d * maxPoints.n, value.d * scale.n * maxPoints.d);
        methodPoints = scaled;
        // Shown twice when a deduction follows (there as a term, without its ≈): formatted once.
        const shown = traces ? toExactString(scaled) : "";
        note(
          trace,
          "points",
          () => `${toExactString(value)} / ${scaleText(scale)} × ${maxText} = ${exactFrom(scaled, shown)}`,
        );
        const hit = roundAt("adjustment", deductionsAt[i]?.byTarget.get(category.id) ?? ZERO);
        points = methodPoints;
        if (hit.n !== 0n) {
          const after = max(ZERO, sub(methodPoints, hit));
          deducted = sub(methodPoints, after);
          const taken = deducted;
          note(trace, "deductions", () => {
            const due = toExactString(hit);
            const floor =
              cmp(taken, hit) < 0 ? ` (floored at 0: ${due} due, ${toExactString(taken)} taken)` : "";
            return `${shown} − ${due} = ${exact(after)}${floor}`;
          });
          points = after;
        }
        pointsOf?.set(unit.id, points);
      } else if (outcome.trace.at(-1)?.step !== "insufficient") {
        // A method that ends its own explanation with the reason (surveys do) is not repeated.
        note(trace, "insufficient", () => outcome.reason);
      }
      categoriesAt[i]!.push({ category: category.id, outcome, methodPoints, deducted, points, trace });
    }
    if (pointsOf) categoryPoints.set(category.id, pointsOf);
  }

  // Roll-ups and totals, deepest units first so a parent reads its sub-units' final values.
  const children = subUnitsByParent(dataset.units);
  const targetMax = targetMaxOf(compiled);
  const totals = new Map<string, Rational | null>();
  const exactAt: ExactUnit[] = new Array(dataset.units.length);
  for (const i of deepestFirst(dataset.units)) {
    const unit = dataset.units[i]!;
    const cats = categoriesAt[i]!;
    const kids = children.get(unit.id) ?? NO_UNITS;
    const trace: TraceStep[] = [];
    // Most units have no sub-units: no list is made for them.
    const rollups =
      kids.length === 0
        ? NO_ROLLUPS
        : scheme.rollups.filter((r) => !r.parents || r.parents.includes(unit.id));
    const counts: RollupCount[] = rollups.length === 0 ? NO_COUNTS : [];
    for (const r of rollups) {
      if (!("category" in r.into)) continue;
      const target = cats.find((c) => c.category === (r.into as { category: string }).category)!;
      if (target.points === null || target.outcome.status !== "scored") continue;
      const result = applyRollup(
        r,
        target.points,
        targetMax(r),
        sourceMax(r, compiled),
        childResults(r, kids, byUnit, totals),
        target.category,
        traces,
      );
      if (result.trace) target.trace.push(result.trace);
      counts.push({ rollup: r.id, subUnits: result.subUnits, withoutResult: result.withoutResult });
      if (result.status === "insufficient") {
        // The method scored it (methodPoints keeps that), but the category has no result.
        target.points = null;
        target.outcome = { status: "insufficient", reason: result.reason, trace: target.outcome.trace };
        continue;
      }
      target.points = result.value;
      // A copy: the method's outcome (and its details) may be a baseline's, shared by scenarios.
      target.outcome = {
        ...target.outcome,
        details: {
          ...target.outcome.details,
          [`rollup.${r.id}.subUnits`]: String(result.subUnits),
          [`rollup.${r.id}.withoutResult`]: String(result.withoutResult),
        },
      };
    }
    for (const c of cats) {
      if (c.points === null) continue;
      const rounded = roundAt("category", c.points);
      const exact = c.points;
      if (cmp(rounded, exact) !== 0)
        note(c.trace, "rounding", () => `${toExactString(exact)} → ${published(rounded)}${roundingRule}`);
      c.points = rounded;
    }

    const unitDeductions: UnitDeductions | undefined = deductions.get(unit.id);
    const unitBonuses: UnitBonuses | undefined = bonuses.get(unit.id);
    const totalDeducted = roundAt("adjustment", unitDeductions?.byTarget.get("") ?? ZERO);
    const bonusTotal = roundAt("adjustment", unitBonuses?.total ?? ZERO);
    let total: Rational | null = null;
    const veto = vetoes.get(unit.id);
    const reasons: EligibilityReason[] = veto ? [...veto.reasons] : [];
    if (cats.some((c) => c.points === null)) {
      const why = cats
        .filter((c) => c.points === null)
        .map((c) => `${c.category}: ${c.outcome.status === "insufficient" ? c.outcome.reason : "no result"}`)
        .join("; ");
      note(trace, "total", () => `no total: ${why}`);
      reasons.push({ kind: "insufficient", excellence: true, award: true, text: `not scored (${why})` });
    } else {
      const sum = cats.reduce((acc, c) => add(acc, c.points!), ZERO);
      const gross = add(sum, bonusTotal);
      let t = max(ZERO, sub(gross, totalDeducted));
      const before = t;
      note(trace, "total", () => {
        // Rounded category points as published; unrounded ones (no category stage) as they are.
        const parts = cats.map((c) => (rounds.category ? published : toExactString)(c.points!)).join(" + ");
        const adj =
          (bonusTotal.n !== 0n ? ` + ${toExactString(bonusTotal)} bonus` : "") +
          (totalDeducted.n !== 0n ? ` − ${toExactString(totalDeducted)} deducted` : "");
        // Without this the line's own arithmetic would not add up ("70 − 80 = 0").
        const floor =
          cmp(gross, totalDeducted) < 0
            ? ` (floored at 0: ${toExactString(totalDeducted)} due, ${toExactString(gross)} taken)`
            : "";
        // A sum of published points (and of decimal bonuses and deductions) ends as a decimal:
        // `published` shows it with the scheme's decimals when they hold it, exact otherwise.
        return `${parts}${adj} = ${rounds.category ? published(before) : exact(before)}${floor}`;
      });
      let insufficient: string | null = null;
      for (const r of rollups) {
        if (!("total" in r.into)) continue;
        const result = applyRollup(
          r,
          t,
          targetMax(r),
          sourceMax(r, compiled),
          childResults(r, kids, byUnit, totals),
          "total",
          traces,
        );
        if (result.trace) trace.push(result.trace);
        counts.push({ rollup: r.id, subUnits: result.subUnits, withoutResult: result.withoutResult });
        if (result.status === "insufficient") {
          insufficient = result.reason;
          break;
        }
        t = result.value;
      }
      if (insufficient !== null) {
        reasons.push({
          kind: "insufficient",
          excellence: true,
          award: true,
          text: `not scored (${insufficient})`,
        });
      } else {
        const rounded = roundAt("total", t);
        const unrounded = t;
        if (cmp(rounded, unrounded) !== 0)
          note(trace, "rounding", () => `${toExactString(unrounded)} → ${published(rounded)}${roundingRule}`);
        total = rounded;
      }
    }
    totals.set(unit.id, total);
    exactAt[i] = {
      unit,
      categories: cats,
      deductions: unitDeductions?.lines ?? [],
      deductionCaps: unitDeductions?.caps ?? [],
      totalDeducted,
      bonuses: unitBonuses?.lines ?? [],
      bonusTotal,
      bonusCaps: unitBonuses?.capped ?? [],
      total,
      rank: null,
      rankedInGroup: 0,
      grade: null,
      eligibleForExcellence: !reasons.some((r) => r.excellence),
      eligibleForAward: !reasons.some((r) => r.award),
      reasons,
      forcedLast: veto?.forceLast ?? false,
      rollups: counts,
      trace,
    };
  }

  rankAndGrade(compiled, exactAt, note);
  return { compiled, units: exactAt };
}

const NO_ROLLUPS: readonly Rollup[] = [];
const NO_UNITS: readonly Unit[] = [];
// Never pushed to: a unit without roll-ups records none.
const NO_COUNTS: RollupCount[] = [];

/** Each sub-unit's final source value (its category's points or its total), by unit id. */
function childResults(
  rollup: Rollup,
  kids: readonly Unit[],
  byUnit: ReadonlyMap<string, ExactCategory[]>,
  totals: ReadonlyMap<string, Rational | null>,
): ChildResult[] {
  const source = rollup.source;
  return [...kids]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((k) => {
      if ("category" in source) {
        const c = byUnit.get(k.id)!.find((x) => x.category === source.category);
        return { unit: k.id, value: c?.points ?? null };
      }
      return { unit: k.id, value: totals.get(k.id) ?? null };
    });
}

/**
 * Unit positions, deepest in the parent chain first (ties by unit id), so that a parent is
 * composed after every sub-unit whose results roll up into it.
 */
function deepestFirst(units: readonly Unit[]): number[] {
  const parent = new Map(units.map((u) => [u.id, u.parent]));
  const depth = units.map((u) => {
    let d = 0;
    for (let p = parent.get(u.id); p && d <= units.length; p = parent.get(p)) d++;
    return d;
  });
  return units
    .map((_, i) => i)
    .sort((a, b) => depth[b]! - depth[a]! || (units[a]!.id < units[b]!.id ? -1 : 1));
}
