import type { SurveyCategory } from "../ballots-api";
import type { Translate } from "../i18n";
import type { HeldSurveyCategory } from "../survey-tallies-api";
import type { FilterChoice } from "./filter-select";

/**
 * What the Survey forms tab's category filter offers: the survey categories of the cycle's scheme
 * version; then the categories with forms the version does not declare a survey, each marked so,
 * with how many. A forced move left them, no list of the version's categories names them, and an
 * administrator is to find them, count them and delete them.
 */
export function surveyCategoryChoices(
  surveys: readonly SurveyCategory[],
  held: readonly HeldSurveyCategory[],
  version: number,
  t: Translate,
): FilterChoice[] {
  const declared = surveys.map((c) => ({ id: c.id, name: c.name }));
  // One the page's scheme read still calls a survey stays as that: the cycle moved after it was read.
  const leftovers = held
    .filter((h) => !h.declared && !declared.some((d) => d.id === h.category))
    .map((h) => ({
      id: h.category,
      name: t(h.forms === 1 ? "tallies.notSurveyOne" : "tallies.notSurvey", {
        category: h.category,
        version,
        n: h.forms,
      }),
    }));
  return [...declared, ...leftovers];
}
