import type { Db } from "./db.js";
import { eventLoopTurn } from "./event-loop-turn.js";

/** Units one read names: a few dozen thousand forms, some tens of milliseconds. */
const UNITS_A_READ = 100;

/**
 * How many of the cycle's survey forms (of `category`, `unit` and `importIds`, when given) hold
 * each value of `column`, read a hundred units at a time with a turn of the event loop between
 * reads: their one index is by unit (import_id has none: one would cost every form an import
 * writes), so this is a pass over the cycle's forms, which on PGlite in one statement held every
 * other request (2,000,000 forms: seconds).
 */
export async function surveyFormsHeld(
  db: Db,
  cycleId: string,
  column: "category" | "respondent_group" | "import_id",
  of: { category?: string | undefined; unit?: string | undefined; importIds?: readonly string[] } = {},
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (of.importIds?.length === 0) return counts;
  const units =
    of.unit === undefined
      ? (await db.query<{ id: string }>("SELECT id FROM units WHERE cycle_id = $1", [cycleId])).map(
          (u) => u.id,
        )
      : [of.unit];
  // After $1 (the cycle) and $2 (a read's units).
  const filters: unknown[] = [];
  const param = (value: unknown) => `$${filters.push(value) + 2}`;
  let where = "";
  if (of.category !== undefined) where += ` AND category = ${param(of.category)}`;
  if (of.importIds !== undefined) where += ` AND import_id = ANY(${param(of.importIds)}::text[])`;
  for (let i = 0; i < units.length; i += UNITS_A_READ) {
    if (i > 0) await eventLoopTurn();
    const rows = await db.query<{ value: string; n: number }>(
      `SELECT ${column} AS value, count(*)::int AS n FROM survey_forms
       WHERE cycle_id = $1 AND unit_id = ANY($2::text[])${where} GROUP BY ${column}`,
      [cycleId, units.slice(i, i + UNITS_A_READ), ...filters],
    );
    for (const r of rows) counts.set(r.value, (counts.get(r.value) ?? 0) + r.n);
  }
  return counts;
}
