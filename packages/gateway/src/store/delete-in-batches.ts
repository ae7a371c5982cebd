import type { Db } from "./db.js";
import { eventLoopTurn } from "./event-loop-turn.js";
import type { BallotRow } from "./records.js";

/** Ballots one statement of deleteBallots takes at most, about: a voter's are taken whole. */
export const DELETE_BATCH = 5_000;

const RETURNING = "RETURNING category, voter, role, unit_id, score::text AS score, grade";

/**
 * A category's ballots (or one voter's there) deleted a batch of voters at a time, the event
 * loop given a turn between batches. On PGlite a statement runs synchronously inside WASM: one
 * DELETE of a province's 200,000 ballots held every other request, `/health` included, for
 * 6–8 s (import/event-loop-turns.ts says the same of imports). Other requests' queries still
 * wait for this transaction; a turn lets them be answered or queued. Each batch reads the
 * primary key's prefix (cycle, category, voter).
 */
export async function deleteInBatches(
  tx: Db,
  cycleId: string,
  category: string,
  voter: string | undefined,
  batchSize = DELETE_BATCH,
): Promise<BallotRow[]> {
  if (voter !== undefined)
    return tx.query<BallotRow>(
      `DELETE FROM ballots WHERE cycle_id = $1 AND category = $2 AND voter = $3 ${RETURNING}`,
      [cycleId, category, voter],
    );
  const voters = await tx.query<{ voter: string; n: number }>(
    "SELECT voter, count(*)::int AS n FROM ballots WHERE cycle_id = $1 AND category = $2 GROUP BY voter",
    [cycleId, category],
  );
  const rows: BallotRow[] = [];
  let batch: string[] = [];
  let size = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    if (rows.length > 0) await eventLoopTurn();
    const deleted = await tx.query<BallotRow>(
      `DELETE FROM ballots WHERE cycle_id = $1 AND category = $2 AND voter = ANY($3::text[]) ${RETURNING}`,
      [cycleId, category, batch],
    );
    for (const r of deleted) rows.push(r);
    batch = [];
    size = 0;
  };
  for (const v of voters) {
    if (size > 0 && size + v.n > batchSize) await flush();
    batch.push(v.voter);
    size += v.n;
  }
  await flush();
  return rows;
}
