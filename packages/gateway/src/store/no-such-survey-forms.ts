import { closestField } from "@pingyi/engine";
import type { Db } from "./db.js";
import { ValidationError } from "./errors.js";
import { eventLoopTurn } from "./event-loop-turn.js";
import { quoted } from "./no-such-ballots.js";
import type { SurveyFormSet } from "./types.js";

/** Categories or respondent groups named when the one asked for has no forms; the rest are "…". */
const LISTED = 20;

/** Units one read of the refusal names: a few dozen thousand forms, some tens of milliseconds. */
const UNITS_A_READ = 100;

/** Byte order, as COLLATE "C" sorts (the lists of a refusal, whatever their characters). */
const inByteOrder = (values: Iterable<string>) =>
  [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

/**
 * The distinct values of `column` among the cycle's forms (of `category` and `unit`, when given),
 * read a hundred units at a time with a turn of the event loop between reads: their one index is
 * by unit, so this is a pass over the cycle's forms, which on PGlite in one statement held every
 * other request (2,000,000 forms: seconds) for a misspelt category.
 */
async function held(
  tx: Db,
  cycleId: string,
  column: "category" | "respondent_group",
  of: { category?: string; unit?: string | undefined },
): Promise<Set<string>> {
  const units =
    of.unit === undefined
      ? (await tx.query<{ id: string }>("SELECT id FROM units WHERE cycle_id = $1", [cycleId])).map(
          (u) => u.id,
        )
      : [of.unit];
  const category = of.category === undefined ? "" : " AND category = $3";
  const values = new Set<string>();
  for (let i = 0; i < units.length; i += UNITS_A_READ) {
    if (i > 0) await eventLoopTurn();
    const rows = await tx.query<{ value: string }>(
      `SELECT DISTINCT ${column} AS value FROM survey_forms WHERE cycle_id = $1 AND unit_id = ANY($2::text[])${category}`,
      [cycleId, units.slice(i, i + UNITS_A_READ), ...(of.category === undefined ? [] : [of.category])],
    );
    for (const r of rows) values.add(r.value);
  }
  return values;
}

/** `; did you mean "residents"? Its forms there are of "deputies", "residents"`, or `; its …` */
function meantAmong(asked: string, held: ReadonlySet<string>, what: string): string {
  const values = inByteOrder(held);
  const meant = closestField(asked, values);
  const listed = `${values.slice(0, LISTED).map(quoted).join(", ")}${values.length > LISTED ? ", …" : ""}`;
  return `; ${meant === undefined ? "its" : `did you mean ${quoted(meant)}? Its`} ${what} ${listed}`;
}

/**
 * Why deleteSurveyForms found nothing to delete, at the argument to correct: `category` when the
 * cycle has no forms in it (with the categories it has forms in, the one meant among them), else
 * `unitId` when the unit has none there, else `respondentGroup` (with the groups the category's
 * forms, or the unit's, are of). Deleting nothing is refused rather than answered 0: a misspelt
 * group would read as done. Read under the cycle's lock, as the delete was.
 */
export async function noSuchSurveyForms(
  tx: Db,
  cycleId: string,
  set: SurveyFormSet,
): Promise<ValidationError> {
  const { category, unit, respondentGroup } = set;
  const refuse = (path: string, message: string) => new ValidationError([{ path, message }]);
  const categories = await held(tx, cycleId, "category", {});
  if (!categories.has(category)) {
    const none = `cycle '${cycleId}' has no survey forms in category ${quoted(category)}, so none was deleted`;
    return refuse(
      "category",
      categories.size === 0
        ? `${none}: it has no survey forms`
        : `${none}${meantAmong(category, categories, "survey forms are in")}`,
    );
  }
  const inCategory = ` in category ${quoted(category)} of cycle '${cycleId}'`;
  if (unit !== undefined) {
    const any = await tx.query(
      "SELECT 1 FROM survey_forms WHERE cycle_id = $1 AND unit_id = $2 AND category = $3 LIMIT 1",
      [cycleId, unit, category],
    );
    if (any.length === 0) {
      const known = await tx.query("SELECT 1 FROM units WHERE cycle_id = $1 AND id = $2", [cycleId, unit]);
      return refuse(
        "unitId",
        `unit ${quoted(unit)} has no survey forms${inCategory}, so none was deleted${known.length === 0 ? ": the cycle has no such unit" : ""}`,
      );
    }
  }
  const asked = String(respondentGroup);
  const groups = await held(tx, cycleId, "respondent_group", { category, unit });
  const forUnit = unit === undefined ? "" : ` for unit ${quoted(unit)}`;
  return refuse(
    "respondentGroup",
    `respondent group ${quoted(asked)} has no survey forms${forUnit}${inCategory}, so none was deleted${meantAmong(asked, groups, "forms there are of")}`,
  );
}
