import type { CompiledScheme, InputIssue } from "@pingyi/engine";
import type { Dataset } from "./store/index.js";

/** The secret vote category (`vote.secret`, 无记名投票) of the ballot an issue is about, if any. */
function secretCategoryOf(
  issue: InputIssue,
  dataset: Dataset,
  secret: ReadonlySet<string>,
): string | undefined {
  const [list, row] = issue.path;
  if (list !== "ballots" || typeof row !== "number") return undefined;
  const category = (dataset.ballots?.[row] as { category?: unknown } | undefined)?.category;
  return typeof category === "string" && secret.has(category) ? category : undefined;
}

function counted(category: string, ballots: number): InputIssue {
  const n = ballots === 1 ? "1 ballot" : `${ballots} ballots`;
  return {
    path: ["ballots"],
    message: `${n} of the secret vote "${category}" cannot be scored as ${ballots === 1 ? "it stands" : "they stand"}: an admin sees which`,
  };
}

/**
 * A scoring's issues as someone who may not list a secret vote's ballots reads them. The engine
 * names each refused ballot by voter and value, and its path's index follows the voters' order
 * within a unit, so each of a secret category's is replaced by one issue per category, where its
 * first stood, that only counts them. Null when no issue is a secret vote's ballot.
 */
export function secretBallotsUnnamed(
  compiled: CompiledScheme,
  dataset: Dataset,
  issues: readonly InputIssue[],
): InputIssue[] | null {
  const secret = new Set(
    compiled.scheme.categories
      .filter((c) => c.method.kind === "vote" && c.method.secret === true)
      .map((c) => c.id),
  );
  if (secret.size === 0) return null;
  // Rows, not issues: one ballot may be refused for its score and its role.
  const rows = new Map<string, Set<number>>();
  const kept: (InputIssue | string)[] = [];
  for (const issue of issues) {
    const category = secretCategoryOf(issue, dataset, secret);
    if (category === undefined) {
      kept.push(issue);
      continue;
    }
    let seen = rows.get(category);
    if (!seen) {
      seen = new Set();
      rows.set(category, seen);
      kept.push(category);
    }
    seen.add(issue.path[1] as number);
  }
  if (rows.size === 0) return null;
  return kept.map((k) => (typeof k === "string" ? counted(k, rows.get(k)!.size) : k));
}
