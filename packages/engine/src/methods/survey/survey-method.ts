import type { Dataset, Unit } from "../../dataset/dataset.js";
import type { SurveyParams } from "../../scheme/scheme-schema.js";
import type { MethodOutcome, ScoringMethod } from "../scoring-method.js";
import { missedUnitKinds } from "./missed-unit-kinds.js";
import { compileSurveyRules, type SurveyRules } from "./survey-rules.js";
import { scoreSurveyUnit } from "./survey-score.js";
import { type CountedSurvey, countSurveyForms, type SurveyCounts } from "./survey-tally.js";
import { groupScoreTexts, surveyDetails, surveyTracer } from "./survey-trace.js";
import { validateSurveyData } from "./survey-validate.js";

/**
 * Public evaluation from survey forms (开门评议 / 万人评议): raw forms and pre-counted
 * tallies are counted together, then each unit's mean option points (pooled, or per
 * respondent group and weighted) is its value on the scale `max ?? highest option points`.
 *
 * The rules are re-read from `params` in each call rather than carried as `compiled`:
 * reading a handful of options is negligible beside counting the forms, and it keeps the
 * method's type `ScoringMethod<SurveyParams>` like its siblings.
 */
export const surveyMethod: ScoringMethod<SurveyParams> = {
  kind: "survey",

  compile(params, { path }) {
    return { issues: compileSurveyRules(params, path).issues, compiled: undefined, dependsOn: [] };
  },

  validateData({ category, params, dataset, unitIds, read }) {
    const { rules } = compileSurveyRules(params);
    // When every unit id is valid and distinct, a count that skipped no row and stays exact
    // is the whole check, and scoring in the same call takes the counts from here.
    if (read && unitIds.size === dataset.units.length) {
      const counts = countIfExact(category.id, dataset.units, dataset, rules);
      if (counts && counts.skipped === 0 && counts.total <= Number.MAX_SAFE_INTEGER) {
        read.set(countsKey(category.id), counts);
        return [];
      }
    }
    return validateSurveyData({
      category: category.id,
      groups: rules.groups,
      options: rules.options,
      dataset,
      unitIds,
    });
  },

  score({ category, params, dataset, units, traces = true, read }) {
    const { rules } = compileSurveyRules(params);
    const counts =
      (read?.get(countsKey(category.id)) as SurveyCounts | undefined) ??
      count(category.id, units, dataset, rules);
    const out = new Map<string, MethodOutcome>();
    const explain = traces ? surveyTracer(rules) : undefined;
    // Only explanations say it: a key no unit has is no error (see missedUnitKinds).
    const missed =
      explain && rules.weighting.type === "group-weighted"
        ? missedUnitKinds(rules.weighting.byUnitKind, units)
        : undefined;
    units.forEach((unit, index) => {
      // A repeated unit id was counted under its first index only.
      if (out.has(unit.id)) return;
      const missedKey = unit.kind === undefined ? undefined : missed?.get(unit.kind);
      const result = scoreSurveyUnit(rules, counts, { index, kind: unit.kind, missedKey });
      // Nobody reads the arithmetic of a ranking-only run: skip its text, keep the figures.
      // Group means are printed once for the trace and the details.
      const scores = explain || result.status === "scored" ? groupScoreTexts(result) : undefined;
      const trace = explain ? explain(result, scores) : [];
      out.set(
        unit.id,
        result.status === "scored"
          ? {
              status: "scored",
              value: result.value,
              scale: rules.scale,
              trace,
              details: surveyDetails(rules, result, scores),
            }
          : { status: "insufficient", reason: result.reason, trace },
      );
    });
    return out;
  },
};

function countsKey(category: string): string {
  return `survey:${category}`;
}

/** The category's forms and tallies counted by unit (in `units` order), group and answer. */
function count(
  category: string,
  units: readonly Unit[],
  dataset: Dataset,
  rules: SurveyRules,
): CountedSurvey {
  return countSurveyForms({
    category,
    units: units.map((u) => u.id),
    groups: rules.groups,
    options: rules.options,
    forms: dataset.surveyForms,
    tallies: dataset.surveyTallies,
  });
}

/** `count`, or undefined when a tally would make a cell inexact (validation then says which). */
function countIfExact(
  category: string,
  units: readonly Unit[],
  dataset: Dataset,
  rules: SurveyRules,
): CountedSurvey | undefined {
  try {
    return count(category, units, dataset, rules);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}
