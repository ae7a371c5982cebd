import type { Evaluation, UnitResult } from "../evaluation/evaluate.js";
import { unknownId } from "../exact-id.js";
import { InputError } from "../input-error.js";
import { knownOptions } from "../known-options.js";
import {
  add,
  div,
  lcm,
  mul,
  parseDecimal,
  parseExact,
  type Rational,
  ratio,
  round,
  sub,
  toExactString,
  toFixed,
  toNumber,
  ZERO,
} from "../rational.js";
import { type CompiledScheme, compiledOrCompile } from "../scheme/compile-scheme.js";
import { ADJUSTMENT_NAMES } from "./adjustment-names.js";
import { checkEvaluationArgument } from "./evaluation-argument.js";

/** The lines a total is made of besides its categories, in the order they are listed. */
export type EffectiveWeightAdjustment = "bonus" | "total-deductions" | "roll-ups-and-rounding";

export interface EffectiveWeightLine {
  /** A category id, or one of the adjustment lines. */
  part: string;
  kind: "category" | "adjustment";
  name: string;
  /** The category's points / the categories' points together, exact; null for an adjustment line. */
  nominal: string | null;
  /** `nominal` as a percent, 2 decimals, half-up. */
  nominalPercent: string | null;
  /** cov(line, total) / var(total), exact; null when the group has no spread (see `reason`). */
  effective: string | null;
  /** `effective` as a percent, 2 decimals, half-up (the exact shares add to 1; these may not add to 100). */
  effectivePercent: string | null;
  /** Population covariance (÷ units) of the line with the total, exact; null with fewer than 2 units. */
  covariance: string | null;
  /**
   * Pearson's correlation of the line with the total: a statistic in floating point, as COINr
   * reports it, never an official figure. Null when either does not vary within the group.
   */
  correlation: number | null;
}

export interface GroupEffectiveWeights {
  group: string;
  name: string;
  ranked: boolean;
  /** Units with a total: the figures are computed from these. */
  units: number;
  /** Units of the group without a total (a category or roll-up insufficient), left out. */
  leftOut: number;
  /** Mean of the totals, exact; null without units. */
  meanTotal: string | null;
  /** Population variance (÷ units) of the totals, exact; null with fewer than 2 units. */
  variance: string | null;
  /** Its square root, a statistic in floating point; null with `variance`. */
  standardDeviation: number | null;
  /** Why `effective` is null on every line; null when the shares are given. */
  reason: string | null;
  /** The categories in the scheme's order, then bonus, total-deductions, roll-ups-and-rounding. */
  lines: EffectiveWeightLine[];
}

export interface EffectiveWeights {
  scheme: { id: string; version: number };
  /** Always "unrounded": categories count with their points before roll-ups and rounding. */
  basis: "unrounded";
  groups: GroupEffectiveWeights[];
}

export interface EffectiveWeightsOptions {
  /** One group by id; every group of the scheme when left out. */
  group?: string;
}

const ADJUSTMENTS: readonly { part: EffectiveWeightAdjustment; name: string }[] = [
  { part: "bonus", name: ADJUSTMENT_NAMES.bonus },
  { part: "total-deductions", name: ADJUSTMENT_NAMES.deductions },
  { part: "roll-ups-and-rounding", name: ADJUSTMENT_NAMES.rest },
];

/**
 * Effective weights (有效权重): in each comparability group, how much of the spread of the
 * units' totals each category accounts for, beside its nominal weight. A category worth 40 of
 * 100 points in which every unit scores about the same moves nobody: its nominal weight is 40%,
 * its effective weight near 0.
 *
 * A total is its categories' points plus adjustments, so Σ cov(line, total) = var(total) over
 * the lines, and each line's share cov(line, total) / var(total) adds up to exactly 1 (a line can
 * be negative: it narrows the spread). Categories count with their unrounded points (the
 * method's points less the deductions that hit them), the same values a what-if rescales; the
 * deductions from the total count as far as the floor at zero took them (the published
 * `deducted`); what the total holds beyond these — sub-unit roll-ups, the scheme's rounding — is
 * the line `roll-ups-and-rounding`. Every share is exact; only the correlations and the standard
 * deviation are floating point.
 *
 * Every group is reported, ranked or not: an unranked group's totals still meet the grade
 * thresholds, and `ranked` says which it is. Pass the scheme the evaluation was scored under (a
 * document or a compiled scheme): nominal weights are read from its exact points.
 *
 * @throws InputError of subject "scheme" for an invalid scheme document, of subject "argument"
 * for an unknown `group`, an evaluation scored under another scheme (path `evaluation`), a
 * misspelt option, or an `evaluation` that is no evaluation.
 */
export function effectiveWeights(
  scheme: unknown,
  evaluation: Evaluation,
  options: EffectiveWeightsOptions = {},
): EffectiveWeights {
  checkEvaluationArgument(evaluation);
  knownOptions(options, ["group"], [], "argument");
  const compiled: CompiledScheme = compiledOrCompile(scheme);
  const { group } = options;
  checkArguments(compiled, evaluation, group);
  const categoryTotal = [...compiled.points.values()].reduce(add, ZERO);
  const names = new Map(compiled.scheme.categories.map((c) => [c.id, c.name]));
  const nominal = new Map(
    [...compiled.points].map(([id, p]) => [id, categoryTotal.n === 0n ? null : div(p, categoryTotal)]),
  );
  const groups = compiled.scheme.groups
    .filter((g) => group === undefined || g.id === group)
    .map((g) => {
      const members = evaluation.units.filter((u) => u.group === g.id);
      const scored = members.filter((u) => u.total !== null);
      const parts = [...compiled.points.keys()];
      const series = lineSeries(parts, scored);
      const totals = scored.map((u) => parseDecimal(u.total!));
      const n = scored.length;
      const variance = n < 2 ? null : covariance(totals, totals);
      const reason =
        n < 2
          ? `fewer than 2 units with a total (${n})`
          : variance!.n === 0n
            ? "every unit has the same total: there is no spread to share"
            : null;
      const lines = [
        ...parts.map((id) => ({ part: id, kind: "category" as const, name: names.get(id) ?? id })),
        ...ADJUSTMENTS.map((a) => ({ ...a, kind: "adjustment" as const })),
      ].map((line, i): EffectiveWeightLine => {
        const values = series[i]!;
        const cov = n < 2 ? null : covariance(values, totals);
        const weight = line.kind === "category" ? (nominal.get(line.part) ?? null) : null;
        const share = reason === null ? div(cov!, variance!) : null;
        return {
          part: line.part,
          kind: line.kind,
          name: line.name,
          nominal: weight && toExactString(weight),
          nominalPercent: weight && percent(weight),
          effective: share && toExactString(share),
          effectivePercent: share && percent(share),
          covariance: cov && toExactString(cov),
          correlation: reason === null ? correlation(cov!, covariance(values, values), variance!) : null,
        };
      });
      const mean = n === 0 ? null : div(totals.reduce(add, ZERO), ratio(n));
      return {
        group: g.id,
        name: g.name,
        ranked: g.ranked,
        units: n,
        leftOut: members.length - n,
        meanTotal: mean && toExactString(mean),
        variance: variance && toExactString(variance),
        standardDeviation: variance && Math.sqrt(toNumber(variance)),
        reason,
        lines,
      };
    });
  return { scheme: { id: compiled.scheme.id, version: compiled.scheme.version }, basis: "unrounded", groups };
}

function checkArguments(compiled: CompiledScheme, evaluation: Evaluation, group: string | undefined): void {
  const issues = [];
  if (group !== undefined && typeof group !== "string")
    issues.push({ path: ["group"], message: "must be a group id (a string)" });
  else if (group !== undefined && !compiled.scheme.groups.some((g) => g.id === group))
    issues.push({
      path: ["group"],
      message: unknownId("group", group, new Set(compiled.scheme.groups.map((g) => g.id)), true),
    });
  const { id, version } = compiled.scheme;
  if (evaluation.scheme.id !== id || evaluation.scheme.version !== version)
    issues.push({
      path: ["evaluation"],
      message: `was scored under scheme ${evaluation.scheme.id} v${evaluation.scheme.version}, not ${id} v${version}`,
    });
  else {
    // A scenario's evaluation keeps the scheme's id and version: its categories tell it apart
    // when they differ, and its points cannot be checked from the evaluation at all.
    const ids = [...compiled.points.keys()].join(", ");
    const other = evaluation.units.find((u) => u.categories.map((c) => c.category).join(", ") !== ids);
    if (other)
      issues.push({
        path: ["evaluation"],
        message: `unit ${other.unit} has the categories ${other.categories.map((c) => c.category).join(", ") || "(none)"}, not the scheme's ${ids}`,
      });
  }
  if (issues.length) throw new InputError("argument", issues);
}

/**
 * Each line's value for every unit, in line order: the categories' unrounded points, bonuses,
 * deductions from the total (negative), and what is left of the total. The lines of a unit add
 * up to its total exactly.
 */
function lineSeries(categories: readonly string[], units: readonly UnitResult[]): Rational[][] {
  const series: Rational[][] = Array.from({ length: categories.length + ADJUSTMENTS.length }, () => []);
  for (const u of units) {
    let rest = parseDecimal(u.total!);
    categories.forEach((id, i) => {
      const c = u.categories[i]!;
      // A unit with a total has every category's points (checked against the scheme's ids above).
      const points = sub(exactText(c.methodPoints!, id), exactText(c.deducted, id));
      series[i]!.push(points);
      rest = sub(rest, points);
    });
    const bonus = exactText(u.bonus, "bonus");
    const deducted = exactText(u.deducted, "deducted");
    rest = add(sub(rest, bonus), deducted);
    const k = categories.length;
    series[k]!.push(bonus);
    series[k + 1]!.push(sub(ZERO, deducted));
    series[k + 2]!.push(rest);
  }
  return series;
}

/** An exact value as evaluations write it: a decimal, or "n/d" in lowest terms. */
function exactText(text: string, field: string): Rational {
  try {
    return parseExact(text);
  } catch (e) {
    throw new InputError("argument", [
      { path: ["evaluation", field], message: `${JSON.stringify(text)} is not an exact value (${e})` },
    ]);
  }
}

/**
 * Population covariance (÷ n) of two equally long series, exactly. Each series is brought to
 * one denominator first, so the sums are of whole numbers: fractions with many different
 * denominators (survey scores over each unit's valid forms) would otherwise reduce a growing
 * fraction at every step. Shared with the tests, not part of the package's API.
 */
export function covariance(xs: readonly Rational[], ys: readonly Rational[]): Rational {
  const n = BigInt(xs.length);
  if (n === 0n || ys.length !== xs.length)
    throw new RangeError("covariance of series of unequal or no length");
  const x = onDenominator(xs);
  const y = x.values === ys ? x : onDenominator(ys);
  let sx = 0n;
  let sy = 0n;
  let sxy = 0n;
  for (let i = 0; i < xs.length; i++) {
    const a = x.numerators[i]!;
    const b = y.numerators[i]!;
    sx += a;
    sy += b;
    sxy += a * b;
  }
  return ratio(n * sxy - sx * sy, n * n * x.denominator * y.denominator);
}

function onDenominator(values: readonly Rational[]): {
  values: readonly Rational[];
  numerators: bigint[];
  denominator: bigint;
} {
  let denominator = 1n;
  for (const v of values) if (denominator % v.d !== 0n) denominator = lcm(denominator, v.d);
  return { values, numerators: values.map((v) => v.n * (denominator / v.d)), denominator };
}

/** cov / √(var_x var_t), signed; null when the line does not vary. */
function correlation(cov: Rational, lineVariance: Rational, totalVariance: Rational): number | null {
  if (lineVariance.n === 0n) return null;
  // r² exactly, then one square root: a line that is the total up to scale gives exactly ±1.
  const squared = toNumber(div(mul(cov, cov), mul(lineVariance, totalVariance)));
  return Math.sign(Number(cov.n)) * Math.sqrt(squared);
}

function percent(share: Rational): string {
  return toFixed(round(mul(share, ratio(100)), 2, "half-up"), 2);
}
