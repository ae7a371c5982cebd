// Test fixtures for the survey method; excluded from the build by the `_test-` prefix.
import type { z } from "zod";
import type { Dataset, SurveyForm, SurveyTally, Unit } from "../../dataset/dataset.js";
import type { InputIssue } from "../../input-error.js";
import { type Category, type SurveyParams, surveyMethodSchema } from "../../scheme/scheme-schema.js";
import type { DataContext, MethodOutcome } from "../scoring-method.js";
import { surveyMethod } from "./survey-method.js";

export type SurveyInput = Omit<z.input<typeof surveyMethodSchema>, "kind">;

export const CATEGORY = "public";

/** The county rule: satisfied 100, basically satisfied 70, dissatisfied 30, don't know excluded. */
export const COUNTY: SurveyInput = {
  options: { 满意: 100, 基本满意: 70, 不满意: 30, 不了解: null },
  satisfiedOptions: ["满意", "基本满意"],
  respondentGroups: ["residents"],
};

export function parseSurvey(input: SurveyInput): SurveyParams {
  return surveyMethodSchema.parse({ kind: "survey", ...input });
}

export function surveyContext(
  input: SurveyInput,
  records: { forms?: readonly SurveyForm[]; tallies?: readonly SurveyTally[] },
  units: readonly (string | Unit)[],
): DataContext<SurveyParams> & { units: readonly Unit[] } {
  const params = parseSurvey(input);
  const category: Category = { id: CATEGORY, name: "Public evaluation", points: 40, method: params };
  const unitList = units.map((u) => (typeof u === "string" ? { id: u, name: u, group: "g" } : u));
  const dataset: Dataset = { units: unitList, surveyForms: records.forms, surveyTallies: records.tallies };
  return { category, params, dataset, unitIds: new Set(unitList.map((u) => u.id)), units: unitList };
}

/** Scores, after checking that the data is valid (as the pipeline does). */
export function scoreSurvey(
  input: SurveyInput,
  records: { forms?: readonly SurveyForm[]; tallies?: readonly SurveyTally[] },
  units: readonly (string | Unit)[],
): Map<string, MethodOutcome> {
  const ctx = surveyContext(input, records, units);
  const issues = surveyMethod.validateData(ctx);
  if (issues.length > 0) throw new Error(`unexpected issues: ${JSON.stringify(issues.slice(0, 5))}`);
  return surveyMethod.score({ ...ctx, compiled: undefined, categoryPoints: new Map() });
}

export function validateSurvey(
  input: SurveyInput,
  records: { forms?: readonly SurveyForm[]; tallies?: readonly SurveyTally[] },
  units: readonly string[],
): InputIssue[] {
  return surveyMethod.validateData(surveyContext(input, records, units));
}

export function compileIssues(input: SurveyInput): InputIssue[] {
  const params = parseSurvey(input);
  const category: Category = { id: CATEGORY, name: "Public evaluation", points: 40, method: params };
  return surveyMethod.compile(params, {
    category,
    scheme: undefined as never,
    path: ["categories", 0, "method"],
  }).issues;
}

/** `n` forms of one unit, group and answer. */
export function forms(unit: string, respondentGroup: string, answer: string, n: number): SurveyForm[] {
  return Array.from({ length: n }, () => ({ category: CATEGORY, unit, respondentGroup, answer }));
}

export function tally(unit: string, respondentGroup: string, answer: string, count: number): SurveyTally {
  return { category: CATEGORY, unit, respondentGroup, answer, count };
}
