import type { Dataset, InputIssue } from "@pingyi/engine";
import type { IssueKinds } from "../records-error.js";

/** The votes a move's target cannot read the ballots of, among the records it refuses. */
export interface VotesGone {
  /** Their categories, in the order their first ballot is refused. */
  votes: string[];
  /** Whether they are all the move refuses: deleting their ballots alone lets it through. */
  onlyTheirs: boolean;
}

/**
 * The categories whose ballots the target refuses for their category alone
 * (`["ballots", 3, "category"]`): it drops the vote, renames it or scores it by another method,
 * named vote or secret alike. No correction of a ballot makes it read them: dropped or rescored,
 * deleting them is the correction; renamed, they are recorded again under the new id after a
 * forced move, then deleted. A forced move leaves them in the cycle, listed to admins only.
 */
export function votesGone(records: readonly InputIssue["path"][], dataset: Dataset): VotesGone {
  const votes = new Set<string>();
  let others = false;
  for (const path of records) {
    const vote = goneVote(path, dataset);
    if (vote !== null) votes.add(vote);
    else others = true;
  }
  return { votes: [...votes], onlyTheirs: !others };
}

/** The category of the ballot a record's path refuses for its category alone, or null. */
function goneVote([collection, index, field]: InputIssue["path"], dataset: Dataset): string | null {
  const ballot =
    collection === "ballots" && typeof index === "number" && field === "category"
      ? dataset.ballots?.[index]
      : undefined;
  return typeof ballot?.category === "string" ? ballot.category : null;
}

/**
 * The kinds a refusal's listed records show one of each of: each vote the version cannot read the
 * ballots of, and the other records. Past the first 100 a kind would go unlisted (the engine lists
 * scores before ballots), and a client advising from the list would miss it.
 */
export function votesGoneKinds(dataset: Dataset): IssueKinds {
  return {
    of: (issue) => goneVote(issue.path, dataset),
    said: (rest) =>
      `the first of each vote's ballots this version cannot read${rest ? ", and of the other records" : ""}`,
  };
}

/** Past this many votes the advice gives the call's shape once, "for each vote". */
const CALLS_SPELT = 3;

/**
 * The write an admin deletes the votes' ballots with, as the advice names it: deleteBallots, a
 * vote's ballots in one step (deleteBallot, one at a time, was no advice for a province's
 * 200,000), with the count it confirms, so that the call can be made as written.
 */
export function deleteBallotsCall(cycleId: string, votes: readonly string[], dataset: Dataset): string {
  const wanted = new Set(votes);
  const counts = new Map<string, number>();
  for (const b of dataset.ballots ?? [])
    if (wanted.has(b.category)) counts.set(b.category, (counts.get(b.category) ?? 0) + 1);
  const call = (category: string, expected: string) =>
    `deleteBallots(cycleId: ${JSON.stringify(cycleId)}, category: ${category}, expectedBallots: ${expected})`;
  if (votes.length <= CALLS_SPELT)
    return votes.map((v) => call(JSON.stringify(v), String(counts.get(v) ?? 0))).join(" and ");
  return `${call("…", "…")} for each vote`;
}
