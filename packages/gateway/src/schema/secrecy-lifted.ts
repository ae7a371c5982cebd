import type { CompiledScheme } from "@pingyi/engine";
import { ballotsCounted } from "../ballots-counted.js";
import { isNamedVote } from "../named-vote.js";
import { ValidationError, type ValidationIssue } from "../store/index.js";
import type { CycleSecretVote, CycleSecretVotes } from "./cycle-secret-votes.js";

/**
 * The issue of a secret vote whose secrecy `next` lifts, or null when it lifts none: only a
 * version declaring the vote named does, for every reader would then list its ballots and read
 * their voters in each unit's breakdown. One that keeps it secret, drops it, renames it (to the
 * check, the same) or scores it by another method names nobody: readers list only a named vote's
 * ballots, and the unscorable error counts the others for them, so those stay an admin's. A vote
 * an earlier version declared secret (`earlier`) is said with that version and what the current
 * one makes of it.
 */
function lifting(id: string, next: CompiledScheme, vote: CycleSecretVote): ValidationIssue | null {
  const kept = next.scheme.categories.find((c) => c.id === id);
  if (!isNamedVote(kept?.method)) return null;
  const { earlier } = vote;
  // A version no longer stored may have made the promise: said as such, not as a fact.
  const by = earlier?.unread
    ? `perhaps secret under ${earlier.declaredBy}, no longer stored`
    : `secret under ${earlier?.declaredBy}`;
  const promised = earlier ? `, ${by}; ${earlier.now}` : "";
  const what = earlier?.unread ? "the vote" : "the secret vote";
  return {
    path: "dataset.ballots",
    message: `${what} "${id}" (${ballotsCounted(vote.ballots)}${promised}) would name its voters to every reader, in its ballot lists and each unit's breakdown`,
  };
}

/**
 * The cycle's secret votes (`vote.secret`, 无记名投票, see `cycleSecretVotes`) whose secrecy a move
 * to `next` would lift: those it declares named votes. Their voters were promised secrecy when
 * they voted, and under `next` every reader would read their ballots by voter. One issue per vote,
 * at `dataset.ballots`, counting its ballots. A move that drops, renames or rescores a secret vote
 * lifts nothing: the records check refuses it for the vote's ballots (`votesGone`).
 */
export function secrecyLifted(secret: CycleSecretVotes, next: CompiledScheme): ValidationIssue[] {
  return [...secret].flatMap(([id, vote]) => lifting(id, next, vote) ?? []);
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
