import type { MoveRefusal } from "../cycles-api";

/**
 * The move form's choices, kept as a draft with its reason: null, the cycle's own scheme at its
 * latest version. `liftsAt`: the version (targetKey) the gateway last said would lift a secret
 * vote's secrecy; ticking force clears the refusal, and a reload or an expired session the page,
 * yet the question before the forced move must still say so.
 */
export interface MoveChoice {
  schemeId: string | null;
  version: string | null;
  force: boolean;
  liftsAt: string | null;
}

export const NO_MOVE_CHOICE: MoveChoice = { schemeId: null, version: null, force: false, liftsAt: null };

/**
 * The refusals that say whether the version lifts the secrecy: the gateway checks it before the
 * records and before the cost of checking them.
 */
const CHECKED: readonly MoveRefusal[] = ["records", "voteGone", "totals", "secrecy", "budget"];

/**
 * The choice after a move to `target` (its targetKey) was refused for `kinds` (moveRefusals). A
 * refusal from the check says whether that version lifts the secrecy now: ballots deleted since,
 * it no longer does. Any other (a forced move, a lost connection) says
 * nothing of it, and what was known stays.
 */
export function afterRefusal(choice: MoveChoice, target: string, kinds: readonly MoveRefusal[]): MoveChoice {
  if (!kinds.some((kind) => CHECKED.includes(kind))) return choice;
  if (kinds.includes("secrecy")) return { ...choice, liftsAt: target };
  return choice.liftsAt === target ? { ...choice, liftsAt: null } : choice;
}
