import { add, type Rational, toExactString, ZERO } from "../../rational.js";
import { type TraceStep, traceStep } from "../../trace.js";
import { joinLimited, plural } from "../trace-list.js";
import { exact, percent, percentExact, percentFixed } from "./survey-format.js";
import type { SurveyRules } from "./survey-rules.js";
import type { GroupResult, OptionTally, SurveyUnitScore } from "./survey-score.js";

/**
 * "(612 × 100 + 170 × 70 + 18 × 30) / 800 valid forms (42 '不了解' excluded) = 92.05":
 * the mean as a person would recompute it from the published counts.
 */
export function meanText(rules: SurveyRules, tally: OptionTally, mean: Rational): string {
  const terms: string[] = [];
  tally.counts.forEach((c, o) => {
    const p = rules.points[o];
    if (p && c > 0) terms.push(`${c} × ${constantText(rules, p)}`);
  });
  return `(${joinLimited(terms, " + ")}) / ${plural(tally.valid, "valid form")}${excludedText(rules, tally)} = ${exact(mean)}`;
}

/** "(612 + 170) / 800 valid forms = 97.75%". */
export function satisfactionText(rules: SurveyRules, tally: OptionTally, share: Rational): string {
  const terms: string[] = [];
  tally.counts.forEach((c, o) => {
    if (rules.satisfied[o]) terms.push(`${c} '${rules.options[o]}'`);
  });
  return `(${joinLimited(terms, " + ")}) / ${plural(tally.valid, "valid form")} = ${percent(share)}`;
}

function excludedText(rules: SurveyRules, tally: OptionTally): string {
  const parts: string[] = [];
  tally.counts.forEach((c, o) => {
    if (rules.points[o] === null && c > 0) parts.push(`${c} '${rules.options[o]}'`);
  });
  return parts.length === 0 ? "" : ` (${parts.join(", ")} excluded)`;
}

/** The explanation of one unit's survey result, step by step. */
export function surveyTrace(rules: SurveyRules, result: SurveyUnitScore): TraceStep[] {
  const steps: TraceStep[] = [];
  const { total } = result;
  steps.push(
    traceStep(
      "survey forms",
      `${plural(total.forms, "form")}: ${total.valid} valid${excludedText(rules, total)}; minimum ${rules.minValidForms} valid` +
        (result.weighting ? " per weighted group" : ""),
    ),
  );
  if (!result.weighting) {
    if (result.status === "scored") {
      steps.push(traceStep("pooled score", meanText(rules, total, result.value)));
      if (result.satisfaction)
        steps.push(traceStep("satisfaction rate", satisfactionText(rules, total, result.satisfaction)));
    }
  } else {
    const { groups, unitKind, missingGroup } = result.weighting;
    // Groups are in the rules' order, so a group's index finds its step name.
    for (let k = 0; k < groups.length; k++) {
      const text = groupText(rules, groups[k]!, missingGroup);
      if (text) steps.push(traceStep(rules.groupSteps[k]!, text));
    }
    if (result.status === "scored") {
      const used = groups.filter((g) => g.use === "weighted");
      const source = unitKind === undefined ? "default weights" : `weights for unit kind "${unitKind}"`;
      steps.push(
        traceStep(
          "weighted score",
          `${weightedText(rules, used, (g) => toExactString(g.score!))} = ${exact(result.value)} (${source})`,
        ),
      );
      if (result.satisfaction)
        steps.push(
          traceStep(
            "satisfaction rate",
            `${weightedText(rules, used, (g) => percentExact(g.satisfaction!))} = ${percent(result.satisfaction)}`,
          ),
        );
    }
  }
  if (result.status === "scored") steps.push(traceStep("scale", scaleText(rules)));
  else steps.push(traceStep("insufficient", result.reason));
  return steps;
}

function groupText(
  rules: SurveyRules,
  g: GroupResult,
  missingGroup: "insufficient" | "renormalize",
): string | null {
  const weight = `weight ${constantText(rules, g.weight)}`;
  if (g.use === "unweighted")
    return g.tally.forms === 0 ? null : `${weight}: ${plural(g.tally.forms, "form")} shown but not scored`;
  if (g.use === "short")
    return (
      `${weight}: ${plural(g.tally.valid, "valid form")}, minimum ${rules.minValidForms}: ` +
      (missingGroup === "renormalize"
        ? "dropped, weights renormalised over the other groups"
        : "unit insufficient")
    );
  return `${weight}: ${meanText(rules, g.tally, g.score!)}`;
}

/** "(0.4 × 90 + 0.6 × 80) / (0.4 + 0.6)"; terms stay exact, each group's step shows its ≈. */
function weightedText(
  rules: SurveyRules,
  used: readonly GroupResult[],
  value: (g: GroupResult) => string,
): string {
  const weights = used.map((g) => constantText(rules, g.weight));
  const terms = used.map((g, k) => `${weights[k]} × ${value(g)}`);
  const sum = used.reduce((s, g) => add(s, g.weight), ZERO);
  const divisor = used.length === 1 ? weights[0]! : `(${joinLimited(weights, " + ")})`;
  return (
    `(${joinLimited(terms, " + ")}) / ${divisor}` +
    (used.length > LIMIT_FOR_SUM ? ` [Σ = ${exact(sum)}]` : "")
  );
}

/** `exact(value)`, looked up when the value is one of the rules' constants. */
function constantText(rules: SurveyRules, value: Rational): string {
  return rules.constantTexts.get(value) ?? exact(value);
}

// Past this many weights the sum is no longer checkable at a glance, so state it.
const LIMIT_FOR_SUM = 3;

function scaleText(rules: SurveyRules): string {
  return `out of ${constantText(rules, rules.scale)}`;
}

/** Figures shown beside a scored unit: forms, valid, excluded, rate, count per option, per group. */
export function surveyDetails(
  rules: SurveyRules,
  result: SurveyUnitScore & { status: "scored" },
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
    if (group.use === "weighted") details[keys.groupScore[g]!] = toExactString(group.score!);
  }
  return details;
}
