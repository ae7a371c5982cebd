import { type CompiledScheme, countSecretBallots, type InputIssue } from "@pingyi/engine";
import type { Dataset } from "./store/index.js";

/**
 * A scoring's issues as someone who may not list a secret vote's ballots reads them. The engine
 * names each refused ballot by voter and value, and its path's index follows the voters' order
 * within a unit, so each of a secret category's is replaced by one issue per category, where its
 * first stood, that only counts them (`countSecretBallots`). Null when no issue is a secret
 * vote's ballot.
 */
export function secretBallotsUnnamed(
  compiled: CompiledScheme,
  dataset: Dataset,
  issues: readonly InputIssue[],
): InputIssue[] | null {
  const counted = countSecretBallots(compiled.scheme, dataset, issues);
  if (counted === null) return null;
  return counted.map((c) => {
    if (!("secretVote" in c)) return c;
    const n = c.ballots === 1 ? "1 ballot" : `${c.ballots} ballots`;
    return {
      path: ["ballots"],
      message: `${n} of the secret vote "${c.secretVote}" cannot be scored as ${c.ballots === 1 ? "it stands" : "they stand"}: an admin sees which`,
    };
  });
}
