import type { Db } from "./db.js";
import type { BallotKey } from "./types.js";

/**
 * The roles on a voter's other ballots of a category (those for units other than `key.unit`),
 * each with how many ballots have it; none counts as a role (null). A role-weighted category
 * needs one role per voter on all their ballots.
 */
export type OtherRoles = ReadonlyMap<string | null, number>;

/**
 * Why a ballot cannot have `role` (given, kept from the stored ballot, or none): it differs from
 * the one the voter has on their other ballots of the category. Where the category weighs by
 * role the engine refuses it too, but in words that point at one other ballot by index ("the
 * voter is "mayor" at ballots[37]"), and the remedy is not a correction of this ballot but
 * setVoterRole; elsewhere one voter's roles would disagree unnoticed. Other ballots that
 * disagree among themselves are left to the engine: there is no one role to name. Null when
 * the role fits.
 */
export function voterRoleConflict(key: BallotKey, others: OtherRoles, role: string | null): string | null {
  const [first, ...rest] = others;
  if (!first || rest.length > 0) return null;
  const [theirs, n] = first;
  if (theirs === role) return null;
  const ballots = n === 1 ? "their other ballot" : `their ${n.toLocaleString("en")} other ballots`;
  return theirs == null
    ? `voter "${key.voter}" has no role on ${ballots} in "${key.category}": give a voter a role on all their ballots with setVoterRole`
    : `voter "${key.voter}" is "${theirs}" on ${ballots} in "${key.category}"${role == null ? ", and this ballot would have no role" : ""}: change a voter's role on all their ballots with setVoterRole`;
}

/**
 * The roles on the voter's other ballots of the category as stored, read under the cycle's lock
 * by a write of one ballot: a check against a read made before the write's transaction let two
 * ballots of one voter sent at once, each with its own role, both in. Two roles at most: a third
 * changes nothing.
 */
export async function storedOtherRoles(tx: Db, cycleId: string, key: BallotKey): Promise<OtherRoles> {
  const rows = await tx.query<{ role: string | null; n: number }>(
    `SELECT role, count(*)::int AS n FROM ballots
     WHERE cycle_id = $1 AND category = $2 AND voter = $3 AND unit_id <> $4 GROUP BY role LIMIT 2`,
    [cycleId, key.category, key.voter, key.unit],
  );
  return new Map(rows.map((r) => [r.role, r.n]));
}
