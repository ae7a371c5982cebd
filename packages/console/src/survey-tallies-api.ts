import { ApiError, ERROR_FIELDS, gql, unwrap } from "./api";
import type { CycleList } from "./cycle-list-page";

/**
 * How many of the stored survey forms (开门评议) of one category, unit and respondent group give
 * one answer. Forms are anonymous and have no id: these counts are what is checked against the
 * paper forms, and they change only by import.
 */
export interface SurveyTally {
  category: string;
  unitId: string;
  respondentGroup: string;
  answer: string;
  /** At least 1: an answer no form gave has no tally. */
  count: number;
}

/** What the list is narrowed to; null: not narrowed by it. */
export interface TallyFilter {
  category: string | null;
  unitId: string | null;
  respondentGroup: string | null;
}

/** Cycle.surveyTallies, read a page at a time, in the gateway's order: category, unit, group, answer. */
export const TALLIES_LIST: CycleList<TallyFilter> = {
  operation: "SurveyTallies",
  field: "surveyTallies",
  filters: { category: "ID", unitId: "ID", respondentGroup: "String" },
  node: "category unitId respondentGroup answer count",
};

export const TALLY_FILTER_FIELDS = ["category", "unitId", "respondentGroup"] as const;

/**
 * How many survey forms pass `filter` (every page's): what deleting the forms it names takes,
 * and the number deleteSurveyForms confirms.
 */
export async function countSurveyForms(
  cycleId: string,
  filter: TallyFilter,
  signal?: AbortSignal,
): Promise<number> {
  const data = await gql<{ cycle: { __typename: string; surveyTallies: { formCount: number } } }>(
    `query SurveyFormCount($id: ID!, $category: ID, $unitId: ID, $respondentGroup: String) { cycle(id: $id) {
      __typename ${ERROR_FIELDS} ... on Cycle {
        surveyTallies(category: $category, unitId: $unitId, respondentGroup: $respondentGroup, first: 1) { formCount } } } }`,
    { id: cycleId, ...filter },
    signal ? { signal } : {},
  );
  return unwrap(data.cycle, "Cycle").surveyTallies.formCount;
}

/** A category the cycle has survey forms in (Cycle.surveyCategories). */
export interface HeldSurveyCategory {
  category: string;
  forms: number;
  /** The cycle's scheme version declares it a survey; false: a forced move left these forms. */
  declared: boolean;
}

/**
 * The categories the cycle has survey forms in, each with how many: those a forced move left in a
 * category the version no longer declares a survey among them, which no list of the version's
 * categories names. A pass over the cycle's forms, seconds on a province's.
 */
export async function loadSurveyCategories(
  cycleId: string,
  signal?: AbortSignal,
): Promise<HeldSurveyCategory[]> {
  const data = await gql<{ cycle: { __typename: string; surveyCategories: HeldSurveyCategory[] } }>(
    `query SurveyCategories($id: ID!) { cycle(id: $id) { __typename ${ERROR_FIELDS} ... on Cycle {
      surveyCategories { category forms declared } } } }`,
    { id: cycleId },
    signal ? { signal } : {},
  );
  return unwrap(data.cycle, "Cycle").surveyCategories;
}

/** The forms deleteSurveyForms takes: a category's, narrowed to a unit and a respondent group when named. */
export interface FormsToDelete {
  category: string;
  unitId: string | null;
  respondentGroup: string | null;
  /** How many there are, as read: the gateway deletes none unless it holds exactly that many. */
  expected: number;
}

/**
 * Deletes the survey forms `which` names, keeping `reason` in their audit entry; returns how many
 * went. Refused for deleting nothing (at the category, unit or group the forms are no longer
 * in), it is said as NOT_FOUND: they are gone, as one ballot deleted meanwhile is.
 */
export async function deleteSurveyForms(
  cycleId: string,
  which: FormsToDelete,
  reason?: string,
): Promise<number> {
  const data = await gql<{ deleteSurveyForms: { __typename: string; forms: number } }>(
    `mutation DeleteSurveyForms($cycleId: ID!, $category: String!, $unitId: ID, $respondentGroup: String, $expectedForms: Int!, $reason: String) {
      deleteSurveyForms(cycleId: $cycleId, category: $category, unitId: $unitId, respondentGroup: $respondentGroup, expectedForms: $expectedForms, reason: $reason) {
        __typename ${ERROR_FIELDS} ... on DeletedSurveyForms { forms } } }`,
    {
      cycleId,
      category: which.category,
      unitId: which.unitId,
      respondentGroup: which.respondentGroup,
      expectedForms: which.expected,
      ...(reason === undefined ? {} : { reason }),
    },
  );
  try {
    return unwrap(data.deleteSurveyForms, "DeletedSurveyForms").forms;
  } catch (e) {
    throw noneLeft(e as ApiError) ?? e;
  }
}

const WHICH = new Set(TALLY_FILTER_FIELDS as readonly string[]);

function noneLeft(e: ApiError): ApiError | null {
  const gone = e.code === "VALIDATION" && e.issues.length > 0 && e.issues.every((i) => WHICH.has(i.path));
  return gone ? new ApiError(e.message, "NOT_FOUND", e.issues) : null;
}
