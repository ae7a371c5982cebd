import type { BonusLine } from "../adjustments/bonuses.js";
import type { Dataset } from "../dataset/dataset.js";
import { validateAndRead } from "../dataset/validate-dataset.js";
import { add, cmp, type Rational, round, toExactString, toFixed } from "../rational.js";
import { type CompiledScheme, compiledOrCompile } from "../scheme/compile-scheme.js";
import { checkCompiledArgument } from "../scheme/compiled-argument.js";
import type { TraceStep } from "../trace.js";
import { composeValidated, type ExactEvaluation, type ExactUnit } from "./compose.js";
import { checkExactEvaluationArgument } from "./exact-evaluation-argument.js";
import { readTraces, scoreRecordsRead } from "./score-records.js";

/** A decimal as published: exactly `decimals` places, rounded as the scheme says. */
export type DecimalString = string;

export interface CategoryResult {
  category: string;
  name: string;
  status: "scored" | "insufficient";
  /** Final points (after deductions, roll-ups and rounding); null when insufficient. */
  points: DecimalString | null;
  /** The category's maximum. */
  maxPoints: DecimalString;
  /** Points from the method alone, exact (a fraction "n/d" when not a terminating decimal). */
  methodPoints: string | null;
  deducted: string;
  reason: string | null;
  details: Record<string, string>;
  trace: TraceStep[];
}

/** Read-only: a deduction line is the same object in every publication of an exact evaluation. */
export interface AdjustmentResult {
  readonly kind: "deduction" | "bonus";
  /** The id of the finding or bonus event this line came from. */
  readonly record: string;
  readonly type: string;
  readonly level: string;
  /** The category hit, or null for the total. */
  readonly category: string | null;
  /** Signed: negative for deductions. Exact. */
  readonly points: string;
  /**
   * Why this amount: escalation basis for findings; for a bonus, "counted", or "not counted"
   * naming the award of the same type that counts instead (a higher one, or one as high).
   */
  readonly basis: string;
}

export interface EligibilityResult {
  excellence: boolean;
  award: boolean;
  reasons: EligibilityReasonResult[];
}

/** Why a unit may not be rated excellent or receive an award, as published. */
export interface EligibilityReasonResult {
  kind: "veto" | "last-ranked" | "insufficient";
  /** The veto event's id for a veto; null otherwise. */
  record: string | null;
  /** For an earlier year's veto only: how many years before this one it was recorded. */
  yearsAgo?: number;
  text: string;
}

/** A unit's grade as published: the scheme's grade id and name. */
export interface GradeResult {
  id: string;
  name: string;
}

export interface UnitResult {
  unit: string;
  name: string;
  group: string;
  parent: string | null;
  status: "scored" | "insufficient";
  categories: CategoryResult[];
  adjustments: AdjustmentResult[];
  /**
   * Bonus points added to the total, exact, after the caps: what the `adjustments` lines of
   * kind "bonus" came to ("0" for none).
   */
  bonus: string;
  /**
   * Points deducted from the total (findings of types that hit no category), exact, after the
   * per-type caps and the floor at zero ("0" for none): what the total lost, so that the
   * categories' points + `bonus` − `deducted` is the total before roll-ups into it and rounding.
   * Where the floor cut the deductions, the total's trace says what was due. Deductions from a
   * category are in its `deducted`, which the floor limits alike.
   */
  deducted: string;
  /** Notes on caps that limited deductions or bonuses. */
  caps: string[];
  total: DecimalString | null;
  rank: number | null;
  rankedInGroup: number;
  grade: GradeResult | null;
  eligibility: EligibilityResult;
  trace: TraceStep[];
}

export interface Evaluation {
  scheme: { id: string; version: number; name: string };
  maxTotal: DecimalString;
  decimals: number;
  groups: EvaluationGroup[];
  /** Grouped in scheme group order, then by rank (unranked last), then by unit id. */
  units: UnitResult[];
}

/** One comparability group of an evaluation, in the scheme's order. */
export interface EvaluationGroup {
  id: string;
  name: string;
  /** False for a group evaluated but not ranked. */
  ranked: boolean;
  /** Its units, ranked or not. */
  units: number;
  /** Its units with a rank. */
  rankedUnits: number;
}

/**
 * Scores one evaluation cycle (考评): pure and deterministic. Validates the scheme and the
 * dataset first and throws an `InputError` listing every problem; nothing is scored from
 * invalid input.
 *
 * @example
 * const result = evaluate(scheme, { units, scores, ballots, surveyTallies, findings });
 * result.units.find((u) => u.unit === "U09")?.total; // "84.20", the 2018 seed year's U09
 */
export function evaluate(scheme: unknown, dataset: Dataset, options: EvaluateOptions = {}): Evaluation {
  // Before the scheme is compiled: a misspelt option is the caller's to fix whatever the scheme holds.
  const traces = readTraces(options);
  return toEvaluation(evaluateExact(compiledOrCompile(scheme), dataset, { traces }));
}

export interface EvaluateOptions {
  /**
   * Build every unit's explanation trace (default true). With false, results are the same
   * numbers, ranks, grades and figures with empty traces (and without the vote detail
   * `dropped`, which names trimmed ballots): for ranking tables at province scale, where
   * explanations are fetched per unit when someone asks.
   */
  traces?: boolean;
}

/**
 * The exact form of an evaluation, for what-if analysis and embedders who need fractions.
 *
 * @throws InputError of subject "dataset" for an invalid dataset (every problem), of subject
 * "argument" for a `compiled` that is no compiled scheme (a scheme document: `compileScheme` it
 * first) or a misspelt option.
 */
export function evaluateExact(
  compiled: CompiledScheme,
  dataset: Dataset,
  options: EvaluateOptions = {},
): ExactEvaluation {
  checkCompiledArgument(compiled);
  const traces = { traces: readTraces(options) };
  const read = validateAndRead(compiled, dataset);
  return composeValidated(
    compiled,
    dataset,
    scoreRecordsRead(compiled, dataset, read, undefined, traces),
    traces,
  );
}

/**
 * Publishes an exact evaluation: decimal strings, groups in order, units by rank.
 *
 * @throws InputError of subject "argument" (path `exact`) for anything but an exact evaluation
 * from `evaluateExact` (an `evaluate` result included).
 */
export function toEvaluation(exact: ExactEvaluation): Evaluation {
  checkExactEvaluationArgument(exact);
  const { scheme } = exact.compiled;
  const decimals = scheme.rounding.decimals;
  const show = (v: Rational) => toFixed(round(v, decimals, scheme.rounding.mode), decimals);
  const groupIndex = new Map(scheme.groups.map((g, i) => [g.id, i]));
  const sorted = [...exact.units].sort(
    (a, b) =>
      groupIndex.get(a.unit.group)! - groupIndex.get(b.unit.group)! ||
      (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
      (a.unit.id < b.unit.id ? -1 : a.unit.id > b.unit.id ? 1 : 0),
  );
  const counts = new Map<string, { units: number; ranked: number }>();
  for (const u of exact.units) {
    const c = counts.get(u.unit.group) ?? { units: 0, ranked: 0 };
    c.units++;
    if (u.rank !== null) c.ranked++;
    counts.set(u.unit.group, c);
  }
  const texts: PublishTexts = {
    show,
    names: new Map(scheme.categories.map((c) => [c.id, c.name])),
    maxPoints: new Map([...exact.compiled.points].map(([id, p]) => [id, show(p)])),
  };
  return {
    scheme: { id: scheme.id, version: scheme.version, name: scheme.name },
    maxTotal: show(exact.compiled.maxTotal),
    decimals,
    groups: scheme.groups.map((g) => ({
      id: g.id,
      name: g.name,
      ranked: g.ranked,
      units: counts.get(g.id)?.units ?? 0,
      rankedUnits: counts.get(g.id)?.ranked ?? 0,
    })),
    units: sorted.map((u) => unitResult(u, texts)),
  };
}

/**
 * What the deductions on the total took: the total is floored at zero, so a unit owing more
 * than its points and bonus loses what it has (compose's trace: "80 due, 70 taken").
 */
function takenFromTotal(u: ExactUnit): Rational {
  if (u.totalDeducted.n === 0n || u.categories.some((c) => c.points === null)) return u.totalDeducted;
  let gross = u.bonusTotal;
  for (const c of u.categories) gross = add(gross, c.points!);
  return cmp(gross, u.totalDeducted) < 0 ? gross : u.totalDeducted;
}

/** What every unit's publication shares, read once per evaluation. */
interface PublishTexts {
  show: (v: Rational) => string;
  names: ReadonlyMap<string, string>;
  /** Each category's maximum, as published. */
  maxPoints: ReadonlyMap<string, string>;
}

/**
 * Why a bonus line counts or not, naming the award of its type that counted instead: "a higher
 * award" was wrong of a second award at the same level, which lost only to the smaller record id.
 */
function bonusBasis(b: BonusLine): string {
  const other = b.countedInstead;
  if (b.counted || !other) return b.counted ? "counted" : "not counted";
  if (cmp(other.amount, b.amount) > 0)
    return `not counted (a higher award of this type, ${other.record}, counts)`;
  const as = other.level === b.level ? "at the same level" : `worth as much (${other.level})`;
  return `not counted (an award of this type ${as}, ${other.record}, counts: only one does, the first by record id)`;
}

function unitResult(u: ExactUnit, texts: PublishTexts): UnitResult {
  const { show, names } = texts;
  // Deduction lines come in their published shape. The list is copied because bonus lines
  // are appended; the line objects stay shared with the exact evaluation (and a baseline's
  // scenarios), which is why they are read-only.
  const adjustments: AdjustmentResult[] = u.deductions.slice();
  for (const b of u.bonuses)
    adjustments.push({
      kind: "bonus",
      record: b.record,
      type: b.type,
      level: b.level,
      category: null,
      points: b.counted ? toExactString(b.amount) : "0",
      basis: bonusBasis(b),
    });
  const caps = [
    ...u.deductionCaps.map(
      (c) => `deductions for ${c.type} capped: ${toExactString(c.before)} → ${toExactString(c.after)}`,
    ),
    ...u.bonusCaps,
  ];
  return {
    unit: u.unit.id,
    name: u.unit.name,
    group: u.unit.group,
    parent: u.unit.parent ?? null,
    status: u.total === null ? "insufficient" : "scored",
    categories: u.categories.map((c) => ({
      category: c.category,
      name: names.get(c.category) ?? c.category,
      status: c.outcome.status,
      points: c.points === null ? null : show(c.points),
      maxPoints: texts.maxPoints.get(c.category)!,
      methodPoints: c.methodPoints === null ? null : toExactString(c.methodPoints),
      deducted: toExactString(c.deducted),
      reason: c.outcome.status === "insufficient" ? c.outcome.reason : null,
      details: c.outcome.status === "scored" ? (c.outcome.details ?? {}) : {},
      trace: c.trace,
    })),
    adjustments,
    bonus: toExactString(u.bonusTotal),
    deducted: toExactString(takenFromTotal(u)),
    caps,
    total: u.total === null ? null : show(u.total),
    rank: u.rank,
    rankedInGroup: u.rankedInGroup,
    grade: u.grade ? { id: u.grade.grade.id, name: u.grade.grade.name } : null,
    eligibility: publishedEligibility(u),
    trace: u.trace,
  };
}

/**
 * A unit's eligibility as published, its reasons in the order compose gave them: one
 * wording for an evaluation and for a what-if's two sides (`ScenarioResult.eligibility`).
 */
export function publishedEligibility(u: ExactUnit): EligibilityResult {
  return {
    excellence: u.eligibleForExcellence,
    award: u.eligibleForAward,
    reasons: u.reasons.map((r) => ({
      kind: r.kind,
      record: r.record ?? null,
      ...(r.yearsAgo === undefined ? {} : { yearsAgo: r.yearsAgo }),
      text: r.text,
    })),
  };
}
