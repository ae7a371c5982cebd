import { closestField } from "@pingyi/engine";
import type { Db } from "./db.js";
import { ValidationError } from "./errors.js";
import { quoted } from "./no-such-ballots.js";
import { surveyFormsHeld } from "./survey-forms-held.js";
import type { SurveyFormSet } from "./types.js";

/** Categories or respondent groups named when the one asked for has no forms; the rest are "…". */
const LISTED = 20;

/** Byte order, as COLLATE "C" sorts (the lists of a refusal, whatever their characters). */
const inByteOrder = (values: Iterable<string>) =>
  [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

/** The values of `column` among the cycle's forms (of `category` and `unit`, when given). */
const held = async (...args: Parameters<typeof surveyFormsHeld>) =>
  new Set((await surveyFormsHeld(...args)).keys());

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
