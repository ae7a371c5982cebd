import { type Translate, useI18n } from "../i18n";
import { deleteSurveyForms, type FormsToDelete } from "../survey-tallies-api";
import { CountedDeletion, type CountedDeletionEvents } from "./counted-deletion";

/** The forms to delete, as the page names them: the category, and the unit and group when chosen. */
export interface FormsNamed extends FormsToDelete {
  categoryName: string;
  unitName: string | null;
}

/** The forms' category, unit and respondent group, in words: what the question and the note name. */
export function formsScope(which: Omit<FormsNamed, "expected">, t: Translate): string {
  return [
    which.categoryName,
    ...(which.unitName === null ? [] : [which.unitName]),
    ...(which.respondentGroup === null ? [] : [t("tallies.scopeGroup", { group: which.respondentGroup })]),
  ].join(t("tallies.scopeSeparator"));
}

/** What the page says once `n` of them are deleted. */
export function deletedFormsNote(which: Omit<FormsNamed, "expected">, n: number, t: Translate): string {
  return t(n === 1 ? "tallies.deletedOne" : "tallies.deleted", { scope: formsScope(which, t), n });
}

/**
 * The survey forms the list's filters name (a category's, or one unit's or respondent group's in
 * it), deleted at once with deleteSurveyForms, asked first as a category's ballots are: a unit
 * that filled in its own forms (刷票), or a group's forms collected wrongly. Forms have no id, so
 * the question counts them, every page's, and exactly that number goes (CountedDeletion): an
 * import meanwhile is refused and counted again.
 */
export function SurveyFormsDeletion(props: CountedDeletionEvents & { which: FormsNamed }) {
  const { t } = useI18n();
  const { which, ...events } = props;
  const one = which.expected === 1;
  const names = { scope: formsScope(which, t), n: which.expected };
  return (
    <CountedDeletion
      {...events}
      name="forms"
      testId="forms-delete"
      countField="expectedForms"
      words={{
        open: t(one ? "tallies.deleteOne" : "tallies.delete", names),
        question: t(one ? "tallies.deleteQuestionOne" : "tallies.deleteQuestion", names),
        detail: t("tallies.deleteDetail"),
        warning: t("tallies.deleteWarning"),
        confirm: t(one ? "tallies.deleteConfirmOne" : "tallies.deleteConfirm", names),
        reasons: {
          gone: t("tallies.deleteRefused.gone"),
          finalised: t("tallies.deleteRefused.finalised"),
          forbidden: t("tallies.deleteRefused.forbidden"),
        },
        refusedText: (text) => t("tallies.deleteRefused", { ...names, reason: text }),
        reason: t("tallies.deleteReason"),
        changed: t("tallies.deleteChanged"),
      }}
      remove={(reason) => deleteSurveyForms(props.cycleId, which, reason)}
    />
  );
}
