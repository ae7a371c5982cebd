import type { Db } from "./db.js";
import { eventLoopTurn } from "./event-loop-turn.js";
import type { SurveyFormSet } from "./types.js";

/** Forms one statement of deleteSurveyForms aims to take, about: a unit's are taken whole. */
export const FORMS_BATCH = 5_000;

/**
 * Units one statement names at most: the index gives each unit's forms of every category, read
 * even when none is of this one (1,000 units of 600 forms: a second's statement on PGlite).
 */
const MOST_UNITS = 100;

/** Forms a unit holds of a category at province scale, about: the first batch's guess. */
const FORMS_PER_UNIT = 200;

/** How many of the forms deleted were alike: forms have no id, so this is each of them. */
export interface DeletedTally {
  unit: string;
  respondentGroup: string;
  answer: string;
  /** The import that loaded them; null for forms added otherwise (the seed's). */
  importId: string | null;
  count: number;
}

/**
 * The forms of `set` deleted a batch of units at a time, the event loop given a turn between
 * batches, and returned as tallies in unit, group, answer and import order (COLLATE "C", as
 * surveyTallies lists them). On PGlite a statement runs synchronously inside WASM, so one
 * DELETE of a province's 2,000,000 forms would hold every request, `/health` included. Each
 * batch is a range of the only index, (cycle_id, unit_id); units come from the units table
 * (every form's unit is one), as counting the category's forms per unit first would read all
 * of the cycle's forms in one statement. The batch's size follows the forms the last one held.
 */
export async function deleteFormsInBatches(
  tx: Db,
  cycleId: string,
  set: SurveyFormSet,
  batchSize = FORMS_BATCH,
): Promise<DeletedTally[]> {
  const units =
    set.unit === undefined
      ? (
          await tx.query<{ id: string }>(`SELECT id FROM units WHERE cycle_id = $1 ORDER BY id COLLATE "C"`, [
            cycleId,
          ])
        ).map((u) => u.id)
      : [set.unit];
  const tallies: DeletedTally[] = [];
  let size = Math.max(1, Math.floor(batchSize / FORMS_PER_UNIT));
  for (let start = 0; start < units.length; ) {
    if (start > 0) await eventLoopTurn();
    const batch = units.slice(start, start + size);
    start += batch.length;
    const deleted = await deleteBatch(tx, cycleId, set, batch);
    let forms = 0;
    for (const t of deleted) {
      tallies.push(t);
      forms += t.count;
    }
    size = nextSize(batch.length, forms, batchSize);
  }
  return tallies;
}

/** Units for the next batch: as many as held `batchSize` forms in the last, twice as many after none. */
export function nextSize(units: number, forms: number, batchSize: number): number {
  const next = forms === 0 ? units * 2 : Math.floor((units * batchSize) / forms);
  return Math.max(1, Math.min(MOST_UNITS, next));
}

async function deleteBatch(
  tx: Db,
  cycleId: string,
  set: SurveyFormSet,
  units: readonly string[],
): Promise<DeletedTally[]> {
  const params: unknown[] = [cycleId, units, set.category];
  const group =
    set.respondentGroup === undefined ? "" : ` AND respondent_group = $${params.push(set.respondentGroup)}`;
  // Counted in SQL: a batch returns a few dozen tallies, not thousands of forms.
  const rows = await tx.query<{
    unit_id: string;
    respondent_group: string;
    answer: string;
    import_id: string | null;
    count: number;
  }>(
    `WITH deleted AS (
       DELETE FROM survey_forms WHERE cycle_id = $1 AND unit_id = ANY($2::text[]) AND category = $3${group}
       RETURNING unit_id, respondent_group, answer, import_id)
     SELECT unit_id, respondent_group, answer, import_id, count(*)::int AS count FROM deleted
     GROUP BY unit_id, respondent_group, answer, import_id
     ORDER BY unit_id COLLATE "C", respondent_group COLLATE "C", answer COLLATE "C", import_id COLLATE "C" NULLS FIRST`,
    params,
  );
  return rows.map((r) => ({
    unit: r.unit_id,
    respondentGroup: r.respondent_group,
    answer: r.answer,
    importId: r.import_id,
    count: r.count,
  }));
}
