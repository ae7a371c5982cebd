import { isSecretVote } from "@pingyi/engine";

/**
 * Whether a category's ballots are read by voter by anyone who reads the cycle: a vote of the
 * cycle's scheme version that is not secret, compiled or as the stored document has it. Other
 * ballots stay an admin's: a secret vote's, and those a forced move left in a category the
 * version drops, renames or scores by another method, whose voters an earlier version may have
 * promised secrecy. Only a version that declares the category a named vote (a lift, which a
 * move needs force for) shows them.
 */
export function isNamedVote(
  method: { readonly kind?: unknown; readonly secret?: unknown } | undefined,
): boolean {
  return method?.kind === "vote" && !isSecretVote(method);
}
