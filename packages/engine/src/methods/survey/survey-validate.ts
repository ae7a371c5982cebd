import type { Dataset } from "../../dataset/dataset.js";
import { unknownId } from "../../exact-id.js";
import { type InputIssue, received } from "../../input-error.js";
import { joinLimited } from "../trace-list.js";
import { isCount } from "./survey-tally.js";

export interface SurveyDataInput {
  readonly category: string;
  readonly groups: readonly string[];
  readonly options: readonly string[];
  readonly dataset: Pick<Dataset, "surveyForms" | "surveyTallies">;
  readonly unitIds: ReadonlySet<string>;
}

/**
 * Every problem in one category's survey forms and tallies, with its dataset path
 * (e.g. ["surveyForms", 12, "respondentGroup"]): unknown unit, undeclared respondent group,
 * answer not among the options, tally count not a non-negative safe integer, and a grand
 * total too large to count exactly. One pass over the rows, like the count itself.
 */
export function validateSurveyData(input: SurveyDataInput): InputIssue[] {
  const { category, unitIds } = input;
  // Sets, not the params records: "__proto__" or "toString" must not pass as an option.
  const groups = new Set(input.groups);
  const options = new Set(input.options);
  const declaredGroups = joinLimited(input.groups, ", ");
  const declaredOptions = joinLimited(input.options, ", ");
  const issues: InputIssue[] = [];

  // The last value of each field found valid: forms come in runs of one unit and repeat a
  // few groups and answers, so most rows need no set look-up at all.
  // (Starting from a value no row can hold, so a missing field is still looked up.)
  const none = Symbol("none");
  let goodUnit: unknown = none;
  let goodGroup: unknown = none;
  let goodAnswer: unknown = none;
  const check = (table: "surveyForms" | "surveyTallies", i: number, row: SurveyRowLike) => {
    if (row.unit !== goodUnit) {
      if (unitIds.has(row.unit)) goodUnit = row.unit;
      else issues.push({ path: [table, i, "unit"], message: refusal("unit", row.unit, "", unitIds) });
    }
    if (row.respondentGroup !== goodGroup) {
      if (groups.has(row.respondentGroup)) goodGroup = row.respondentGroup;
      else
        issues.push({
          path: [table, i, "respondentGroup"],
          message: refusal("respondentGroup", row.respondentGroup, declaredGroups),
        });
    }
    if (row.answer !== goodAnswer) {
      if (options.has(row.answer)) goodAnswer = row.answer;
      else
        issues.push({ path: [table, i, "answer"], message: refusal("answer", row.answer, declaredOptions) });
    }
  };

  const forms = input.dataset.surveyForms ?? [];
  let total = 0;
  for (let i = 0; i < forms.length; i++) {
    const row = forms[i]!;
    if (row.category !== category) continue;
    total++;
    check("surveyForms", i, row);
  }

  const tallies = input.dataset.surveyTallies ?? [];
  for (let i = 0; i < tallies.length; i++) {
    const row = tallies[i]!;
    if (row.category !== category) continue;
    check("surveyTallies", i, row);
    if (!isCount(row.count))
      issues.push({
        path: ["surveyTallies", i, "count"],
        message: refusal("count", row.count, ""),
      });
    else total += row.count;
  }
  // No cell exceeds the grand total, so a safe total keeps every count exact.
  if (total > Number.MAX_SAFE_INTEGER)
    issues.push({
      path: ["surveyTallies"],
      message: `category "${category}" has more than ${Number.MAX_SAFE_INTEGER} forms in total; counts would not be exact`,
    });
  return issues;
}

/**
 * Why a form's or tally's unit, group or answer is refused. Every field is required: a misspelt
 * one is missing, and said so (the dataset check names the misspelling), never quoted as
 * "undefined". Out of line: the per-row check runs once per form (2,000,000 at province scale)
 * and is kept small, so that V8 can inline it.
 */
function refusal(
  field: "unit" | "respondentGroup" | "answer" | "count",
  value: unknown,
  declared: string,
  unitIds?: ReadonlySet<string>,
): string {
  if (value == null) return `${field} is missing (required)`;
  if (field === "unit") return unknownId("unit", value, unitIds ?? new Set());
  if (field === "respondentGroup")
    return `respondent group "${value}" is not declared (declared: ${declared})`;
  if (field === "answer") return `answer "${value}" is not an option (options: ${declared})`;
  // "12" from a text column is shown as text: printed bare, it would read as the number it should be.
  return `count must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got ${received(value)}`;
}

interface SurveyRowLike {
  unit: string;
  respondentGroup: string;
  answer: string;
}
