import type { Dataset, InputIssue } from "@pingyi/engine";

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
 * named vote or secret alike. No correction of a ballot makes it read them; deleting them is
 * the one, and a forced move leaves them in the cycle, listed to admins only.
 */
export function votesGone(records: readonly InputIssue["path"][], dataset: Dataset): VotesGone {
  const votes = new Set<string>();
  let others = false;
  for (const [collection, index, field] of records) {
    const ballot =
      collection === "ballots" && typeof index === "number" && field === "category"
        ? dataset.ballots?.[index]
        : undefined;
    if (typeof ballot?.category === "string") votes.add(ballot.category);
    else others = true;
  }
  return { votes: [...votes], onlyTheirs: !others };
}
