import { wrongArgument } from "../../argument-kind.js";
import type { SurveyCounts } from "./survey-tally.js";

/** Throws the engine's InputError when `toSurveyTallies` is given other than countSurveyForms' counts. */
export function checkSurveyCountsArgument(counts: unknown): asserts counts is SurveyCounts {
  const c = counts as Partial<SurveyCounts> | null | undefined;
  if (
    !Array.isArray(c?.units) ||
    !Array.isArray(c?.groups) ||
    !Array.isArray(c?.options) ||
    !(c?.cells instanceof Float64Array)
  )
    throw wrongArgument("counts", "survey counts from countSurveyForms(input)", counts);
}
