import type { Db } from "./db.js";
import type { BallotCount } from "./types.js";

/**
 * The categories of the ballots `where` finds, each with how many, by category (COLLATE "C",
 * as the ballots list sorts them), at most `limit`: one GROUP BY however many there are. What a
 * refused deleteBallots lists, and where an admin finds the ballots a forced move left behind.
 */
export async function ballotsByCategory(
  db: Db,
  where: { sql: string; params: unknown[] },
  limit?: number,
): Promise<BallotCount[]> {
  return db.query<BallotCount>(
    `SELECT category, count(*)::int AS ballots FROM ballots${where.sql}
     GROUP BY category ORDER BY category COLLATE "C"${limit === undefined ? "" : ` LIMIT ${limit}`}`,
    where.params,
  );
}
