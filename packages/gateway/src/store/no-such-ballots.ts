import { closestField } from "@pingyi/engine";
import { ballotsByCategory } from "./ballots-by-category.js";
import type { Db } from "./db.js";
import { ValidationError } from "./errors.js";

/** Categories named when the one asked for has no ballots; the rest are "…". */
const LISTED = 20;

/** Quoted as JSON and cut: a mistyped megabyte, or quotes, shown as what it is. */
export const quoted = (text: string): string =>
  JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Why deleteBallots found nothing to delete, at the argument to correct: `category` when the
 * cycle has no ballots in it (with the categories it has ballots in, the one meant among them),
 * else `voter`. Deleting nothing is refused rather than answered 0: a misspelt category or voter
 * would read as done. Read under the cycle's lock, as the delete was.
 */
export async function noSuchBallots(
  tx: Db,
  cycleId: string,
  which: { category: string; voter?: string | undefined },
): Promise<ValidationError> {
  const { category, voter } = which;
  const inCategory = await tx.query("SELECT 1 FROM ballots WHERE cycle_id = $1 AND category = $2 LIMIT 1", [
    cycleId,
    category,
  ]);
  if (voter !== undefined && inCategory.length > 0)
    return new ValidationError([
      {
        path: "voter",
        message: `voter ${quoted(voter)} has no ballot in category ${quoted(category)} of cycle '${cycleId}', so none was deleted`,
      },
    ]);
  const held = (
    await ballotsByCategory(tx, { sql: " WHERE cycle_id = $1", params: [cycleId] }, LISTED + 1)
  ).map((r) => r.category);
  const none = `cycle '${cycleId}' has no ballots in category ${quoted(category)}, so none was deleted`;
  if (held.length === 0)
    return new ValidationError([{ path: "category", message: `${none}: it has no ballots` }]);
  const meant = closestField(category, held);
  const listed = `${held.slice(0, LISTED).map(quoted).join(", ")}${held.length > LISTED ? ", …" : ""}`;
  return new ValidationError([
    {
      path: "category",
      message: `${none}; ${meant === undefined ? "its" : `did you mean ${quoted(meant)}? Its`} ballots are in ${listed}`,
    },
  ]);
}
