import type { Db } from "./db.js";
import { eventLoopTurn } from "./event-loop-turn.js";
import { UNITS_A_READ } from "./survey-forms-held.js";

/**
 * How many of the cycle's survey forms each of `importIds` still holds, read a hundred units at a
 * time with a turn of the event loop between reads, as surveyFormsHeld reads: import_id has no
 * index (one would cost every form an import writes), so this is a pass over the cycle's forms,
 * which in one statement held every other request on PGlite (2,000,000 forms: over a second).
 */
export async function surveyFormsOfImports(
  db: Db,
  cycleId: string,
  importIds: readonly string[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (importIds.length === 0) return counts;
  const units = (await db.query<{ id: string }>("SELECT id FROM units WHERE cycle_id = $1", [cycleId])).map(
    (u) => u.id,
  );
  for (let i = 0; i < units.length; i += UNITS_A_READ) {
    await eventLoopTurn();
    const rows = await db.query<{ id: string; n: number }>(
      `SELECT import_id AS id, count(*)::int AS n FROM survey_forms
       WHERE cycle_id = $1 AND unit_id = ANY($2::text[]) AND import_id = ANY($3::text[]) GROUP BY import_id`,
      [cycleId, units.slice(i, i + UNITS_A_READ), importIds],
    );
    for (const r of rows) counts.set(r.id, (counts.get(r.id) ?? 0) + r.n);
  }
  return counts;
}
