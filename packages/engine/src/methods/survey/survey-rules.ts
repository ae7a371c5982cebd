import type { InputIssue } from "../../input-error.js";
import { add, cmp, isZero, lcm, parseDecimal, type Rational, toExactString, ZERO } from "../../rational.js";
import type { SurveyParams } from "../../scheme/scheme-schema.js";
import { exact } from "../exact-text.js";

/** A weight per respondent group, by the group's index in `SurveyRules.groups` (every one is listed). */
export type GroupWeights = readonly Rational[];

export type SurveyWeighting =
  | { readonly type: "pooled" }
  | {
      readonly type: "group-weighted";
      readonly weights: GroupWeights;
      readonly byUnitKind: ReadonlyMap<string, GroupWeights>;
      readonly missingGroup: "insufficient" | "renormalize";
    };

/**
 * A survey category's parameters read once into exact, index-addressed form: options and
 * groups get small integer indices so that counting and scoring never look names up.
 */
export interface SurveyRules {
  /** Answer options in declaration order; the index is the option's cell offset. */
  readonly options: readonly string[];
  /** Points per option; `null` for options that are not a valid vote (不了解 "don't know"). */
  readonly points: readonly (Rational | null)[];
  /** Whether each option counts towards the satisfaction rate (满意率). */
  readonly satisfied: readonly boolean[];
  readonly reportsSatisfaction: boolean;
  readonly groups: readonly string[];
  readonly weighting: SurveyWeighting;
  readonly minValidForms: number;
  /** `max`, or else the highest option points. */
  readonly scale: Rational;
  /**
   * Points over one common denominator (`pointsDenominator`) as plain integers, null for
   * options without points, or null altogether when they would not stay exact in doubles.
   * Lets a mean over thousands of forms be summed in integers with one fraction at the end.
   */
  readonly integerPoints: readonly (number | null)[] | null;
  readonly pointsDenominator: bigint;
  /**
   * The exact text (as traces write it) of each constant that every unit's trace repeats:
   * option points, group weights and the scale, by identity.
   */
  readonly constantTexts: ReadonlyMap<Rational, string>;
  /**
   * The keys of a unit's `details`, by option or group index ("count.满意",
   * "group.residents.valid", "group.residents.score"): made once, not per unit.
   */
  readonly detailKeys: {
    readonly count: readonly string[];
    readonly groupValid: readonly string[];
    readonly groupScore: readonly string[];
  };
  /** Each group's trace step name, `group "residents"`, by group index. */
  readonly groupSteps: readonly string[];
}

/**
 * Reads survey parameters into {@link SurveyRules} and lists every problem with them
 * (paths start at `path`, the category's `method`). The rules are usable even with issues:
 * names that do not resolve are ignored, so that one scheme error yields one message.
 */
export function compileSurveyRules(
  params: SurveyParams,
  path: readonly (string | number)[] = [],
): { rules: SurveyRules; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const options = Object.keys(params.options);
  const points = options.map((o) => {
    const p = params.options[o];
    return p === null || p === undefined ? null : parseDecimal(p);
  });

  const scored = points.filter((p): p is Rational => p !== null);
  let highest: Rational | null = null;
  for (const p of scored) if (highest === null || cmp(p, highest) > 0) highest = p;
  if (highest === null)
    issues.push({
      path: [...path, "options"],
      message: "no option has points; at least one must be a scored answer",
    });

  const scale = params.max === undefined ? (highest ?? ZERO) : parseDecimal(params.max);
  if (params.max !== undefined && isZero(scale))
    issues.push({ path: [...path, "max"], message: "must be greater than 0" });
  else if (params.max === undefined && highest !== null && isZero(highest))
    issues.push({
      path: [...path, "options"],
      message: "every option scores 0, so there is no scale; give `max`",
    });
  else if (params.max !== undefined && highest !== null && cmp(scale, highest) < 0)
    issues.push({
      path: [...path, "max"],
      message: `${toExactString(scale)} is below the highest option points ${toExactString(highest)}`,
    });

  const satisfied = options.map(() => false);
  params.satisfiedOptions.forEach((name, i) => {
    const o = options.indexOf(name);
    if (o < 0)
      issues.push({ path: [...path, "satisfiedOptions", i], message: `"${name}" is not one of the options` });
    // A satisfied answer must be a valid vote, or the rate could exceed 100%.
    else if (points[o] === null)
      issues.push({
        path: [...path, "satisfiedOptions", i],
        message: `"${name}" has no points, so it is not a valid vote`,
      });
    else satisfied[o] = true;
  });

  const groups: string[] = [];
  params.respondentGroups.forEach((g, i) => {
    if (groups.includes(g))
      issues.push({ path: [...path, "respondentGroups", i], message: `duplicate group "${g}"` });
    else groups.push(g);
  });

  let weighting: SurveyWeighting = { type: "pooled" };
  const w = params.weighting;
  if (w.type === "group-weighted") {
    const read = (table: Record<string, number | string>, at: (string | number)[]) =>
      readWeights(table, groups, at, issues);
    const weights = read(w.weights, [...path, "weighting", "weights"]);
    const byUnitKind = new Map<string, GroupWeights>();
    for (const [kind, table] of Object.entries(w.byUnitKind))
      byUnitKind.set(kind, read(table, [...path, "weighting", "byUnitKind", kind]));
    weighting = {
      type: "group-weighted",
      weights,
      byUnitKind,
      missingGroup: w.missingGroup,
    };
  }

  return {
    rules: {
      options,
      points,
      satisfied,
      reportsSatisfaction: satisfied.includes(true),
      groups,
      weighting,
      minValidForms: params.minValidForms,
      scale,
      ...integerPointsOf(points),
      constantTexts: constantTextsOf([...points, scale, ...weightsOf(weighting)]),
      detailKeys: {
        count: options.map((o) => `count.${o}`),
        groupValid: groups.map((g) => `group.${g}.valid`),
        groupScore: groups.map((g) => `group.${g}.score`),
      },
      groupSteps: groups.map((g) => `group "${g}"`),
    },
    issues,
  };
}

function weightsOf(weighting: SurveyWeighting): Rational[] {
  if (weighting.type === "pooled") return [];
  return [...weighting.weights, ...[...weighting.byUnitKind.values()].flat()];
}

function constantTextsOf(values: readonly (Rational | null)[]): Map<Rational, string> {
  const texts = new Map<Rational, string>();
  for (const v of values) if (v && !texts.has(v)) texts.set(v, exact(v));
  return texts;
}

function integerPointsOf(points: readonly (Rational | null)[]): {
  integerPoints: (number | null)[] | null;
  pointsDenominator: bigint;
} {
  let denominator = 1n;
  for (const p of points) if (p) denominator = lcm(denominator, p.d);
  const scaled = points.map((p) => (p ? (p.n * denominator) / p.d : null));
  // Sums of count × points must stay below 2^53 for thousands of forms: keep the parts small.
  const small = scaled.every((v) => v === null || (v >= 0n && v < 1n << 32n));
  return {
    integerPoints: small ? scaled.map((v) => (v === null ? null : Number(v))) : null,
    pointsDenominator: denominator,
  };
}

function readWeights(
  table: Record<string, number | string>,
  groups: readonly string[],
  path: (string | number)[],
  issues: InputIssue[],
): GroupWeights {
  const weights = groups.map(() => ZERO);
  let total = ZERO;
  for (const [group, value] of Object.entries(table)) {
    const g = groups.indexOf(group);
    if (g < 0) {
      issues.push({ path: [...path, group], message: `"${group}" is not a declared respondent group` });
      continue;
    }
    weights[g] = parseDecimal(value);
    total = add(total, weights[g]);
  }
  // As a ballot's role missing from a vote's roles is refused: a group left out is most likely
  // a misspelt or forgotten one, and its forms would be shown but never scored without a word.
  const missing = groups.filter((g) => !Object.hasOwn(table, g));
  if (missing.length > 0)
    issues.push({
      path,
      message: `gives no weight to respondent group${missing.length === 1 ? "" : "s"} ${missing.map((g) => `"${g}"`).join(", ")}: give every declared group one (0 for forms shown but not scored)`,
    });
  else if (isZero(total))
    issues.push({ path, message: "every weight is 0; at least one group needs a weight above 0" });
  return weights;
}
