import { type CompiledScheme, countRefusedBallots, type InputIssue, isSecretVote } from "@pingyi/engine";
import { ballotsCounted } from "./ballots-counted.js";
import { isNamedVote } from "./named-vote.js";
import type { Dataset } from "./store/index.js";

/** What a category's ballots are to the version, as a reader's counting issue says it. */
function ofCategory(compiled: CompiledScheme, id: string): string {
  const category = compiled.scheme.categories.find((c) => c.id === id);
  if (isSecretVote(category?.method)) return `the secret vote "${id}"`;
  const version = `scheme ${compiled.scheme.id} v${compiled.scheme.version}`;
  return category
    ? `"${id}", a ${category.method.kind} category in ${version},`
    : `"${id}", which is not in ${version},`;
}

/**
 * A scoring's issues as someone below admin reads them, who reads by voter only the ballots of
 * the version's named votes (`isNamedVote`). The engine names each refused ballot by voter and
 * value, and its path's index follows the voters' order within a unit, so each other category's
 * (a secret vote's, or one the version drops, renames or scores by another method after a forced
 * move) are replaced by one issue per category, where its first stood, that only counts them
 * (`countRefusedBallots`). Null when no issue is such a ballot.
 */
export function secretBallotsUnnamed(
  compiled: CompiledScheme,
  dataset: Dataset,
  issues: readonly InputIssue[],
): InputIssue[] | null {
  const named = new Set(compiled.scheme.categories.filter((c) => isNamedVote(c.method)).map((c) => c.id));
  const counted = countRefusedBallots(dataset, issues, (category) => !named.has(category));
  if (counted === null) return null;
  return counted.map((c) => {
    if ("path" in c) return c;
    const n = ballotsCounted(c.ballots);
    return {
      path: ["ballots"],
      message: `${n} of ${ofCategory(compiled, c.category)} cannot be scored as ${c.ballots === 1 ? "it stands" : "they stand"}: an admin sees which`,
    };
  });
}
