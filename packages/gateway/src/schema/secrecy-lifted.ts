import { type CompiledScheme, isSecretVote } from "@pingyi/engine";
import { type Dataset, ValidationError, type ValidationIssue } from "../store/index.js";

function counted(n: number): string {
  return n === 1 ? "1 ballot" : `${n.toLocaleString("en")} ballots`;
}

/**
 * What becomes of a secret vote under `next`, as its issue says it, or null while it stays secret.
 * A vote `next` drops (or renames: to the check, the same) or scores by another method declares
 * its ballots secret no more, so readers are then shown them by voter too: in the ballot lists,
 * and in the unscorable error that names each ballot the version cannot score.
 */
function lifting(id: string, next: CompiledScheme, label: string): ((ballots: string) => string) | null {
  const kept = next.scheme.categories.find((c) => c.id === id);
  if (!kept)
    return (ballots) =>
      `the secret vote "${id}" (${ballots}) is not in ${label}: its ballots would be named to every reader`;
  if (kept.method.kind !== "vote")
    return (ballots) =>
      `the secret vote "${id}" (${ballots}) is a ${kept.method.kind} category in ${label}: its ballots would be named to every reader`;
  if (!isSecretVote(kept.method))
    return (ballots) =>
      `the secret vote "${id}" (${ballots}) would name its voters to every reader, in its ballot lists and each unit's breakdown`;
  return null;
}

/**
 * The secret votes (`vote.secret`, 无记名投票) with ballots in the cycle that are not secret votes
 * under `next`, `label` being how the issues name it: kept but no longer secret, dropped, renamed,
 * or scored by another method. Their voters were promised secrecy when they voted, and under `next`
 * every reader would read their ballots by voter. One issue per vote, at `dataset.ballots`,
 * counting its ballots; said beside the records check's refusal of the ballots a dropped vote
 * leaves, which does not say that forcing the move names their voters.
 */
export function secrecyLifted(
  current: CompiledScheme | null,
  next: CompiledScheme,
  dataset: Dataset,
  label: string,
): ValidationIssue[] {
  if (!current) return [];
  const lifted = new Map<string, (ballots: string) => string>();
  for (const c of current.scheme.categories.filter((c) => isSecretVote(c.method))) {
    const say = lifting(c.id, next, label);
    if (say) lifted.set(c.id, say);
  }
  if (lifted.size === 0) return [];
  const ballots = new Map<string, number>();
  for (const b of dataset.ballots ?? [])
    if (lifted.has(b.category)) ballots.set(b.category, (ballots.get(b.category) ?? 0) + 1);
  return [...ballots].map(([category, n]) => ({
    path: "dataset.ballots",
    message: lifted.get(category)!(counted(n)),
  }));
}

/**
 * The secret votes with ballots in the cycle that `next` has no vote for (dropped, renamed or
 * scored by another method): it refuses each of their ballots, and deleting them, the one
 * correction, leaves nothing of the vote to lift.
 */
export function secretVotesGone(
  current: CompiledScheme | null,
  next: CompiledScheme,
  dataset: Dataset,
): Set<string> {
  if (!current) return new Set();
  const votes = new Set(next.scheme.categories.filter((c) => c.method.kind === "vote").map((c) => c.id));
  const gone = new Set(
    current.scheme.categories.filter((c) => isSecretVote(c.method) && !votes.has(c.id)).map((c) => c.id),
  );
  return new Set((dataset.ballots ?? []).map((b) => b.category).filter((c) => gone.has(c)));
}

/** The lifted votes as a refusal's message says them, `label` being the version moved to. */
export function liftedSentence(label: string, cycleId: string, lifted: readonly ValidationIssue[]): string {
  return `moving cycle '${cycleId}' to ${label} would lift the secrecy its voters were promised: ${lifted.map((i) => i.message).join("; ")}`;
}

/**
 * Another refusal of the move (its records, or the cost of checking them) with the lifted votes
 * beside its issues and in its message: forcing past it would lift them as well.
 */
export function withLifted(
  error: ValidationError,
  move: { label: string; cycleId: string; lifted: readonly ValidationIssue[] },
): ValidationError {
  const { label, cycleId, lifted } = move;
  if (lifted.length === 0) return error;
  return new ValidationError(
    [...error.issues, ...lifted],
    `${error.message}; and ${liftedSentence(label, cycleId, lifted)}`,
  );
}
