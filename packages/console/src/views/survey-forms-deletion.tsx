import { useRef, useState } from "react";
import { fieldProblems } from "../field-problems";
import { type Translate, useI18n } from "../i18n";
import { deleteSurveyForms, type FormsToDelete } from "../survey-tallies-api";
import { ReasonField, useReason } from "./cycle-form-parts";
import { DeleteConfirmation } from "./delete-confirmation";

/** What the confirmation says a refusal of itself: the reason, and the number changed meanwhile. */
const SAID_HERE = ["reason", "expectedForms"] as const;

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
 * the question counts them, every page's, and exactly that number goes: the gateway refuses
 * another (an import meanwhile), and the count is read again (`onStale`) for the question to say
 * the new one. The reason goes to the one audit entry that keeps them, counted. Any refusal goes
 * to `onRefused`, for the page to name the filter box it is at (none left there).
 */
export function SurveyFormsDeletion(props: {
  cycleId: string;
  which: FormsNamed;
  onDeleted: (deleted: number) => void;
  onRefused: (refused: Error | null) => void;
  onStale: () => void;
  /** `refused`: the page is read again (the forms may be gone, the cycle finalised). */
  onClose: (refused: boolean) => void;
}) {
  const { t } = useI18n();
  const { expected } = props.which;
  const [open, setOpen] = useState(false);
  const [refused, setRefused] = useState<Error | null>(null);
  const reason = useReason(props.cycleId);
  const given = useRef<string | undefined>(undefined);
  const deleted = useRef(0);
  const button = useRef<HTMLButtonElement>(null);
  const refusal = (error: Error | null) => {
    setRefused(error);
    props.onRefused(error);
  };
  const said = fieldProblems(refused, SAID_HERE).fields;
  const one = expected === 1;
  const names = { scope: formsScope(props.which, t), n: expected };
  const close = (wasRefused: boolean) => {
    setOpen(false);
    reason.clear();
    refusal(null);
    button.current?.focus();
    props.onClose(wasRefused);
  };
  return (
    <div className="card stack fit" data-testid="forms-delete">
      <div>
        <button
          type="button"
          ref={button}
          data-testid="forms-delete-open"
          aria-expanded={open}
          onClick={() => (open ? close(refused !== null) : setOpen(true))}
        >
          {t(one ? "tallies.deleteOne" : "tallies.delete", names)}
        </button>
      </div>
      {open && (
        <DeleteConfirmation
          name="forms"
          question={t(one ? "tallies.deleteQuestionOne" : "tallies.deleteQuestion", names)}
          detail={t("tallies.deleteDetail")}
          warning={t("tallies.deleteWarning")}
          confirm={t(one ? "tallies.deleteConfirmOne" : "tallies.deleteConfirm", names)}
          reasons={{
            gone: t("tallies.deleteRefused.gone"),
            finalised: t("tallies.deleteRefused.finalised"),
            forbidden: t("tallies.deleteRefused.forbidden"),
          }}
          refusedText={(text) => t("tallies.deleteRefused", { ...names, reason: text })}
          fields={
            <>
              <ReasonField
                form="forms-delete"
                label={t("tallies.deleteReason")}
                problem={reason.problem ?? said.reason}
                value={reason.text}
                onChange={(text) => {
                  reason.change(text);
                  if (refused) refusal(null);
                }}
              />
              {said.expectedForms && (
                <div
                  className="error"
                  role="alert"
                  data-testid="forms-delete-changed"
                  title={said.expectedForms}
                >
                  {t("tallies.deleteChanged")}
                </div>
              )}
            </>
          }
          fieldPaths={SAID_HERE}
          ready={() => {
            const taken = reason.take();
            given.current = taken?.value;
            return taken !== null;
          }}
          remove={async () => {
            refusal(null);
            try {
              deleted.current = await deleteSurveyForms(props.cycleId, props.which, given.current);
            } catch (e) {
              refusal(e as Error);
              if (fieldProblems(e as Error, ["expectedForms"]).fields.expectedForms) props.onStale();
              throw e;
            }
          }}
          onDeleted={() => {
            setOpen(false);
            reason.clear();
            props.onDeleted(deleted.current);
          }}
          onClose={close}
        />
      )}
    </div>
  );
}
