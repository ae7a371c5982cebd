import type { Db } from "./db.js";
import { ValidationError } from "./errors.js";
import { compact, writeAudit } from "./internal.js";
import { noSuchSurveyForms } from "./no-such-survey-forms.js";
import { deleteFormsInBatches } from "./survey-forms-in-batches.js";
import type { SurveyFormSet } from "./types.js";

/** "1 survey form", "2,000,000 survey forms". */
const formsCounted = (n: number) => (n === 1 ? "1 survey form" : `${n.toLocaleString("en")} survey forms`);

/** `"public" for unit "U01" of respondent group "residents"`: the forms a refusal speaks of. */
const described = (set: SurveyFormSet) =>
  `${JSON.stringify(set.category)}${set.unit === undefined ? "" : ` for unit ${JSON.stringify(set.unit)}`}${
    set.respondentGroup === undefined ? "" : ` of respondent group ${JSON.stringify(set.respondentGroup)}`
  }`;

/**
 * Deletes the forms of `set` in a transaction holding the cycle's lock, and writes the one audit
 * entry that keeps them; returns how many. Survey forms have no id and alike ones cannot be told
 * apart, so the entry keeps them as tallies (unit, respondent group, answer, import, count), in
 * surveyTallies' order, which is every form, ready to be added again. What the entry says once
 * (the category, a unit or group named) is not repeated on each tally.
 */
export async function deleteSurveyForms(
  tx: Db,
  change: { actor: string; cycleId: string; set: SurveyFormSet; expected: number; reason: string | null },
): Promise<number> {
  const { actor, cycleId, set, expected, reason } = change;
  const tallies = await deleteFormsInBatches(tx, cycleId, set);
  if (tallies.length === 0) throw await noSuchSurveyForms(tx, cycleId, set);
  const count = tallies.reduce((n, t) => n + t.count, 0);
  // Checked after the delete, under the cycle's lock, so that forms added between the count a
  // caller confirmed and this write are not deleted unseen: the transaction rolls back.
  if (count !== expected)
    throw new ValidationError([
      {
        path: "expectedForms",
        message: `cycle '${cycleId}' holds ${formsCounted(count)} of ${described(set)}, not ${expected.toLocaleString("en")}: none was deleted; read the count again (surveyTallies' formCount, with the same category, unitId and respondentGroup) and confirm it`,
      },
    ]);
  await writeAudit(tx, {
    actor,
    action: "delete",
    entity: "survey_forms",
    // The category, however narrowed: the one thing every such deletion names, so that
    // auditLog(entity: "survey_forms", entityId: "public") finds each of that category's.
    entityId: set.category,
    cycleId,
    before: {
      ...compact({ category: set.category, unit: set.unit, respondentGroup: set.respondentGroup }),
      count,
      tallies: tallies.map((t) =>
        compact({
          unit: set.unit === undefined ? t.unit : undefined,
          respondentGroup: set.respondentGroup === undefined ? t.respondentGroup : undefined,
          answer: t.answer,
          importId: t.importId,
          count: t.count,
        }),
      ),
    },
    reason,
  });
  return count;
}
