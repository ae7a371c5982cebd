import type { MoveRefusal, SchemeTarget } from "../cycles-api";
import type { Translate } from "../i18n";

/** The page's hint for each refusal of a move it has one for (moveRefusals). */
const MOVE_HINTS = {
  records: "cycles.moveRecords",
  voteGone: "cycles.moveVoteGone",
  totals: "cycles.moveTotalsLost",
  secrecy: "cycles.moveSecrecy",
  budget: "cycles.moveTooCostly",
} as const satisfies Record<MoveRefusal, Parameters<Translate>[0]>;

/**
 * The hint under a refused move, one sentence group per kind, in the gateway's order: a secrecy
 * refusal beside records or totals is said too, as forcing past those would lift it as well.
 * Null when the page has none.
 */
export function moveHint(kinds: readonly MoveRefusal[], t: Translate): string | null {
  if (kinds.length === 0) return null;
  const force = t("cycles.moveForce");
  return kinds.map((kind) => t(MOVE_HINTS[kind], { force })).join(" ");
}

/** A move's versions as the form names them in its question. */
export interface MoveTexts {
  cycle: string;
  from: string;
  to: string;
}

/**
 * The question before a move. Forced onto a version the gateway said would lift a secret vote's
 * secrecy, it says so: that is the one thing a forced move does that no later correction undoes
 * for those who read the voters' names meanwhile.
 */
export function moveQuestion(
  texts: MoveTexts,
  move: { force: boolean; liftsSecrecy: boolean },
  t: Translate,
): string {
  if (!move.force) return t("cycles.confirmMove", { ...texts });
  const question = t("cycles.confirmMoveForced", { ...texts });
  return move.liftsSecrecy ? `${question} ${t("cycles.confirmMoveLiftsSecrecy", { ...texts })}` : question;
}

/** Which version a secrecy refusal was for: the form keeps it so as to say so when forcing. */
export const targetKey = (target: SchemeTarget): string => `${target.schemeId}@${target.version}`;
