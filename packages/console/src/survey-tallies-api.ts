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
