import { type CompiledScheme, isSecretVote } from "@pingyi/engine";
import { ValidationError, type ValidationIssue } from "../store/index.js";
import type { CycleSecretVotes } from "./cycle-secret-votes.js";

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
 * What becomes under `next` of a secret vote an earlier version declared, which the current one
 * (brought by a forced move) does not declare a vote: lifted only by a named vote of the same id.
 * A version that still drops it, or scores it otherwise, leaves its ballots an admin's, as now.
 */
function liftingEarlier(
  id: string,
  next: CompiledScheme,
  earlier: { declaredBy: string; now: string },
): ((ballots: string) => string) | null {
  const kept = next.scheme.categories.find((c) => c.id === id);
  if (kept?.method.kind !== "vote" || isSecretVote(kept.method)) return null;
  return (ballots) =>
    `the secret vote "${id}" (${ballots}, secret under ${earlier.declaredBy}; ${earlier.now}) would name its voters to every reader, in its ballot lists and each unit's breakdown`;
}

/**
 * The cycle's secret votes (`vote.secret`, 无记名投票, see `cycleSecretVotes`) whose secrecy a move
 * to `next` would lift, `label` being how the issues name it. A secret vote of the current
 * version is lifted by one that keeps it but not secret, drops it, renames it or scores it by
 * another method; one only an earlier version declared secret (a forced move dropped, renamed or
 * rescored it since) by one declaring it a named vote. Their voters were promised secrecy when
 * they voted, and under `next` every reader would read their ballots by voter. One issue per vote,
 * at `dataset.ballots`, counting its ballots; said beside the records check's refusal of the
 * ballots a dropped vote leaves, which does not say that forcing the move names their voters.
 */
export function secrecyLifted(
  secret: CycleSecretVotes,
  next: CompiledScheme,
  label: string,
): ValidationIssue[] {
  return [...secret].flatMap(([id, vote]) => {
    const say = vote.earlier ? liftingEarlier(id, next, vote.earlier) : lifting(id, next, label);
    return say ? [{ path: "dataset.ballots", message: say(counted(vote.ballots)) }] : [];
  });
}

/**
 * The secret votes of the current version, with ballots in the cycle, that `next` has no vote for
 * (dropped, renamed or scored by another method): it refuses each of their ballots, and deleting
 * them, the one correction, leaves nothing of the vote to lift.
 */
export function secretVotesGone(secret: CycleSecretVotes, next: CompiledScheme): Set<string> {
  const votes = new Set(next.scheme.categories.filter((c) => c.method.kind === "vote").map((c) => c.id));
  return new Set(
    [...secret].filter(([id, vote]) => vote.earlier === null && !votes.has(id)).map(([id]) => id),
  );
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
