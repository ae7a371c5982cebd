import type { HeldCategory, VoteCategory } from "../ballots-api";
import type { Translate } from "../i18n";
import type { FilterChoice } from "./filter-select";

/**
 * What the Ballots page's category filter offers: the vote categories of the cycle's scheme
 * version, a secret vote marked for every role (an administrator lists its ballots, and should
 * know them for secret); then the categories with ballots the version does not declare a vote,
 * each marked so, with how many. Only an administrator is told of those (`held` lists them to no
 * one else): a forced move left them, no list of the version's categories names them, and they
 * are there to be found and deleted.
 */
export function ballotCategoryChoices(
  voteCategories: readonly VoteCategory[],
  held: readonly HeldCategory[],
  version: number,
  t: Translate,
): FilterChoice[] {
  const votes = voteCategories.map((c) => ({
    id: c.id,
    name: c.secret ? t("ballots.secretMark", { name: c.name }) : c.name,
  }));
  // One the page's scheme read still calls a vote stays as that: the cycle moved after it was read.
  const leftovers = held
    .filter((h) => !h.declared && !votes.some((v) => v.id === h.category))
    .map((h) => ({
      id: h.category,
      name: t(h.ballots === 1 ? "ballots.notVoteOne" : "ballots.notVote", {
        category: h.category,
        version,
        n: h.ballots,
      }),
    }));
  return [...votes, ...leftovers];
}
