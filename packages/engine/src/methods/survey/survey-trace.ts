import { add, type Rational, toExactString, ZERO } from "../../rational.js";
import { type TraceStep, traceStep } from "../../trace.js";
import { exact, exactFrom } from "../exact-text.js";
import { joinLimited, plural } from "../trace-list.js";
import { percent, percentExact, percentFixed } from "./survey-format.js";
import type { SurveyRules } from "./survey-rules.js";
import type { GroupResult, GroupWeighting, OptionTally, SurveyUnitScore } from "./survey-score.js";

/**
 * Explains one unit's survey result, step by step. `scores` are its groups' mean texts from
 * {@link groupScoreTexts}, when the caller has them already (the details show them too).
 */
export type SurveyTracer = (result: SurveyUnitScore, scores?: readonly string[]) => TraceStep[];

/**
 * Each group's mean as `toExactString` prints it, for the groups counted in the score ("" for
 * the others), by group index: the trace and the details both show them.
 */
export function groupScoreTexts(result: SurveyUnitScore): string[] {
  const groups = result.weighting?.groups ?? [];
  const texts: string[] = [];
  for (const g of groups) texts.push(g.use === "weighted" ? toExactString(g.score!) : "");
  return texts;
}

/**
 * The explainer of one category's results. A province writes 80,000 survey steps, and most
 * of their text repeats from unit to unit: each option's " × 100" and label, the weights of
 * a weighted score, their sum. Those parts are made once per tracer (one scoring call), so
 * a unit's steps format only its own counts and means, each mean once.
 */
export function surveyTracer(rules: SurveyRules): SurveyTracer {
  const parts = partsOf(rules);
  const weightedCache = new Map<string, WeightedParts>();
  return (result, known) => {
    const steps: TraceStep[] = [];
    const { total } = result;
    steps.push(
      traceStep(
        "survey forms",
        `${plural(total.forms, "form")}: ${total.valid} valid${excludedText(parts, total)}; minimum ${rules.minValidForms} valid` +
          (result.weighting ? " per weighted group" : ""),
      ),
    );
    if (!result.weighting) {
      if (result.status === "scored") {
        steps.push(traceStep("pooled score", meanText(parts, total, exact(result.value))));
        if (result.satisfaction)
          steps.push(traceStep("satisfaction rate", satisfactionText(parts, total, result.satisfaction)));
      }
    } else {
      const { groups, unitKind, missedKind, missingGroup } = result.weighting;
      // A weighted group's mean is shown in its own step and again in the weighted score.
      const scores = known ?? groupScoreTexts(result);
      // Groups are in the rules' order, so a group's index finds its step name (its line names it too).
      for (let k = 0; k < groups.length; k++) {
        const text = groupText(rules, parts, k, groups[k]!, scores[k]!, missingGroup);
        if (text) steps.push(traceStep(rules.groupSteps[k]!, text));
      }
      if (result.status === "scored") {
        const weighted = weightedParts(rules, weightedCache, groups, unitKind, missedKind);
        steps.push(
          traceStep(
            "weighted score",
            `${weightedText(weighted, groups, (_, k) => scores[k]!)} = ${exact(result.value)}${weighted.source}`,
          ),
        );
        if (result.satisfaction)
          steps.push(
            traceStep(
              "satisfaction rate",
              `${weightedText(weighted, groups, (g) => percentExact(g.satisfaction!))} = ${percent(result.satisfaction)}`,
            ),
          );
      }
    }
    if (result.status === "scored") steps.push(traceStep("scale", parts.scale));
    else steps.push(traceStep("insufficient", result.reason));
    return steps;
  };
}

/** The rules' texts that every unit's steps repeat, by option index. */
interface TraceParts {
  /** " × 100" after an option's count in a mean; null for an option without points. */
  readonly times: readonly (string | null)[];
  /** " '满意'" after an option's count in a list of counts. */
  readonly labels: readonly string[];
  readonly satisfied: readonly boolean[];
  readonly scale: string;
  /**
   * `group "residents", weight ` before a group's weight, by group index: a group's line names
   * the group itself, read without its step name (a list of lines, a search for a weight).
   */
  readonly groupWeights: readonly string[];
}

function partsOf(rules: SurveyRules): TraceParts {
  return {
    times: rules.points.map((p) => (p ? ` × ${constantText(rules, p)}` : null)),
    labels: rules.options.map((o) => ` '${o}'`),
    satisfied: rules.satisfied,
    scale: `out of ${constantText(rules, rules.scale)}`,
    groupWeights: rules.groupSteps.map((step) => `${step}, weight `),
  };
}

/**
 * "(612 × 100 + 170 × 70 + 18 × 30) / 800 valid forms (42 '不了解' excluded) = 92.05":
 * the mean as a person would recompute it from the published counts.
 */
function meanText(parts: TraceParts, tally: OptionTally, mean: string): string {
  const { counts } = tally;
  const terms: string[] = [];
  for (let o = 0; o < counts.length; o++) {
    const times = parts.times[o];
    const c = counts[o]!;
    if (times && c > 0) terms.push(c + times);
  }
  return `(${joinLimited(terms, " + ")}) / ${plural(tally.valid, "valid form")}${excludedText(parts, tally)} = ${mean}`;
}

/** "(612 '满意' + 170 '基本满意') / 800 valid forms = 97.75%". */
function satisfactionText(parts: TraceParts, tally: OptionTally, share: Rational): string {
  const { counts } = tally;
  const terms: string[] = [];
  for (let o = 0; o < counts.length; o++) if (parts.satisfied[o]) terms.push(counts[o] + parts.labels[o]!);
  return `(${joinLimited(terms, " + ")}) / ${plural(tally.valid, "valid form")} = ${percent(share)}`;
}

/** " (42 '不了解' excluded)", or "" when no form was excluded. */
function excludedText(parts: TraceParts, tally: OptionTally): string {
  const { counts } = tally;
  let listed = "";
  for (let o = 0; o < counts.length; o++) {
    const c = counts[o]!;
    if (parts.times[o] === null && c > 0) listed += (listed === "" ? "" : ", ") + c + parts.labels[o];
  }
  return listed === "" ? "" : ` (${listed} excluded)`;
}

/** `group "residents", weight 0.4: (…) / 800 valid forms = 92.05`, or why the group is not scored. */
function groupText(
  rules: SurveyRules,
  parts: TraceParts,
  k: number,
  g: GroupResult,
  score: string,
  missingGroup: "insufficient" | "renormalize",
): string | null {
  const weight = parts.groupWeights[k] + constantText(rules, g.weight);
  if (g.use === "unweighted")
    return g.tally.forms === 0 ? null : `${weight}: ${plural(g.tally.forms, "form")} shown but not scored`;
  if (g.use === "short")
    return (
      `${weight}: ${plural(g.tally.valid, "valid form")}, minimum ${rules.minValidForms}: ` +
      (missingGroup === "renormalize"
        ? "dropped, weights renormalised over the other groups"
        : "unit insufficient")
    );
  return `${weight}: ${meanText(parts, g.tally, exactFrom(g.score!, score))}`;
}

/**
 * What a weighted score's text takes from the weights alone: the same for every unit with
 * the same unit kind and the same groups counted.
 */
interface WeightedParts {
  /** "0.4 × " before each counted group's value, in group order. */
  readonly times: readonly string[];
  /** ") / (0.4 + 0.6)", with " [Σ = …]" past a few weights. */
  readonly divisor: string;
  /**
   * " (default weights)" or ` (weights for unit kind "…")`, or the default weights with the
   * `byUnitKind` key the unit's kind most likely misspells; nothing when the scheme has no
   * `byUnitKind` (its weights are the only ones).
   */
  readonly source: string;
}

function weightedParts(
  rules: SurveyRules,
  cache: Map<string, WeightedParts>,
  groups: readonly GroupResult[],
  unitKind: string | undefined,
  missed: GroupWeighting["missedKind"],
): WeightedParts {
  // The kind first (marked, so that no kind reads as the default), then one flag per group.
  let key =
    unitKind !== undefined
      ? `+${unitKind}|`
      : missed
        ? `?${JSON.stringify([missed.kind, missed.key])}|`
        : "-|";
  for (const g of groups) key += g.use === "weighted" ? "1" : "0";
  const known = cache.get(key);
  if (known) return known;
  const used = groups.filter((g) => g.use === "weighted");
  const weights = used.map((g) => constantText(rules, g.weight));
  const sum = used.reduce((s, g) => add(s, g.weight), ZERO);
  const made: WeightedParts = {
    times: weights.map((w) => `${w} × `),
    divisor:
      `) / ${used.length === 1 ? weights[0]! : `(${joinLimited(weights, " + ")})`}` +
      (used.length > LIMIT_FOR_SUM ? ` [Σ = ${exact(sum)}]` : ""),
    source:
      unitKind !== undefined
        ? ` (weights for unit kind "${unitKind}")`
        : missed
          ? ` (default weights: byUnitKind has none for unit kind "${missed.kind}"; its "${missed.key}" is no unit's kind: misspelt?)`
          : // "default" only where there are others: with no byUnitKind the weights are the scheme's only ones.
            rules.weighting.type === "group-weighted" && rules.weighting.byUnitKind.size > 0
            ? " (default weights)"
            : "",
  };
  cache.set(key, made);
  return made;
}

/** "(0.4 × 90 + 0.6 × 80) / (0.4 + 0.6)"; terms stay exact, each group's step shows its ≈. */
function weightedText(
  parts: WeightedParts,
  groups: readonly GroupResult[],
  value: (g: GroupResult, index: number) => string,
): string {
  const terms: string[] = [];
  for (let k = 0; k < groups.length; k++) {
    const g = groups[k]!;
    if (g.use === "weighted") terms.push(parts.times[terms.length] + value(g, k));
  }
  return `(${joinLimited(terms, " + ")}${parts.divisor}`;
}

/** `exact(value)`, looked up when the value is one of the rules' constants. */
function constantText(rules: SurveyRules, value: Rational): string {
  return rules.constantTexts.get(value) ?? exact(value);
}

// Past this many weights the sum is no longer checkable at a glance, so state it.
const LIMIT_FOR_SUM = 3;
/** Figures shown beside a scored unit: forms, valid, excluded, rate, count per option, per group. */
export function surveyDetails(
  rules: SurveyRules,
  result: SurveyUnitScore & { status: "scored" },
  scores: readonly string[] = groupScoreTexts(result),
): Record<string, string> {
  const { total } = result;
  const details: Record<string, string> = {
    forms: String(total.forms),
    valid: String(total.valid),
    excluded: String(total.excluded),
  };
  if (result.satisfaction) details.satisfactionRatePercent = percentFixed(result.satisfaction);
  const keys = rules.detailKeys;
  for (let o = 0; o < rules.options.length; o++) details[keys.count[o]!] = String(total.counts[o]);
  const groups = result.weighting?.groups ?? [];
  // Groups are in the rules' order, so a group's index finds its keys.
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    if (group.use === "unweighted") continue;
    details[keys.groupValid[g]!] = String(group.tally.valid);
    if (group.use === "weighted") details[keys.groupScore[g]!] = scores[g]!;
  }
  return details;
}
