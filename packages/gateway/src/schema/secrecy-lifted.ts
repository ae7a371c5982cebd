import type { CompiledScheme } from "@pingyi/engine";
import type { Dataset, ValidationIssue } from "../store/index.js";

function secretVotes(compiled: CompiledScheme): Set<string> {
  return new Set(
    compiled.scheme.categories
      .filter((c) => c.method.kind === "vote" && c.method.secret === true)
      .map((c) => c.id),
  );
}

/**
 * The secret votes (`vote.secret`, 无记名投票) with ballots in the cycle that `next` still scores
 * as votes but no longer keeps secret: their voters were promised secrecy when they voted, and
 * under `next` every reader lists their ballots and reads them by name in breakdowns. One issue
 * per vote, at `dataset.ballots`, counting its ballots. A vote `next` drops or scores otherwise is
 * not one: its ballots are refused as records, by category and not by voter, which the records
 * check already reports.
 */
export function secrecyLifted(
  current: CompiledScheme | null,
  next: CompiledScheme,
  dataset: Dataset,
): ValidationIssue[] {
  if (!current) return [];
  const secret = secretVotes(current);
  if (secret.size === 0) return [];
  const keptSecret = secretVotes(next);
  const named = new Set(
    next.scheme.categories
      .filter((c) => c.method.kind === "vote" && secret.has(c.id) && !keptSecret.has(c.id))
      .map((c) => c.id),
  );
  if (named.size === 0) return [];
  const ballots = new Map<string, number>();
  for (const b of dataset.ballots ?? [])
    if (named.has(b.category)) ballots.set(b.category, (ballots.get(b.category) ?? 0) + 1);
  return [...ballots].map(([category, n]) => ({
    path: "dataset.ballots",
    message: `the secret vote "${category}" (${n === 1 ? "1 ballot" : `${n.toLocaleString("en")} ballots`}) would name its voters to every reader, in its ballot lists and each unit's breakdown`,
  }));
}

/** The lifted votes as a refusal's message says them, `label` being the version moved to. */
export function liftedSentence(label: string, cycleId: string, lifted: readonly ValidationIssue[]): string {
  return `moving cycle '${cycleId}' to ${label} would lift the secrecy its voters were promised: ${lifted.map((i) => i.message).join("; ")}`;
}
