import { atLeast, type Role } from "./auth";
import type { BallotChoices, VoteCategory } from "./ballots-api";

/*
 * A secret vote's (无记名投票) ballots are listed to administrators only: one voter's ballots side by
 * side say how that voter scored each unit. The gateway refuses anyone else naming such a category
 * and leaves its ballots out of a list of every category; the page says so before it asks.
 */

/** The vote categories whose ballots `role` is not listed: none for an administrator. */
export function unlistedSecretVotes(role: Role, choices: BallotChoices | null): VoteCategory[] {
  if (atLeast(role, "admin")) return [];
  return choices?.voteCategories.filter((c) => c.secret) ?? [];
}

/**
 * What the list does under the category chosen: `read` it; `wait` for the scheme's categories to
 * say whether the vote is secret (a refusal would flash, and the gateway be asked for nothing);
 * or say the vote is `secret` and ask nothing. When the categories could not be read, the list is
 * read anyway: a refusal then shows as the gateway words it.
 */
export function ballotListing(
  role: Role,
  category: string | null,
  choices: { current: BallotChoices | null; failed: boolean },
): "read" | "wait" | "secret" {
  if (!category || atLeast(role, "admin")) return "read";
  if (!choices.current) return choices.failed ? "read" : "wait";
  return unlistedSecretVotes(role, choices.current).some((c) => c.id === category) ? "secret" : "read";
}
