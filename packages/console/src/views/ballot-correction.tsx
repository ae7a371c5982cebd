import type { FormEvent } from "react";
import { type Ballot, type BallotChoices, correctionInput, recordBallot } from "../ballots-api";
import { useI18n } from "../i18n";
import { BallotValueField } from "./ballot-value-field";
import { DraftNote } from "./draft-note";
import { RowRefusal, staleRefusal } from "./row-refusal";
import { useDraft } from "./use-draft";
import { useWrite } from "./use-write";

const CORRECTION_FIELDS = ["score", "grade"] as const;

/**
 * A stored ballot's score or grade corrected under its row; its category, unit, voter and role
 * are kept (a voter's role is changed for all their ballots in the category, not here). Sent
 * with `replaceOnly`, so that a ballot deleted meanwhile is refused, at the row as a delete's
 * refusal is, rather than made again. A refusal of the value stands beside its box.
 */
export function BallotCorrection(props: {
  /** Where what is typed is kept (useDraft) until it is saved or the correction closed. */
  draft: string;
  cycleId: string;
  choices: BallotChoices;
  stored: Ballot;
  title: string;
  onSaved: (saved: Ballot) => void;
  /** `refused`: the page is read again (the row may be gone, the page read-only). */
  onClose: (refused: boolean) => void;
}) {
  const { t } = useI18n();
  const { stored } = props;
  const draft = useDraft(props.draft, { value: stored.score ?? stored.grade ?? "" });
  const { value } = draft.value;
  const write = useWrite(CORRECTION_FIELDS);
  const category = props.choices.voteCategories.find((c) => c.id === stored.category);
  // A category the scheme no longer has (moved to another version meanwhile) takes what the
  // ballot has; the gateway says what is wrong with it.
  const takes = category?.ballot.type ?? (stored.grade != null ? "grade" : "score");
  const stale = staleRefusal(write.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void write.run(async () => {
      props.onSaved(
        await recordBallot(props.cycleId, correctionInput(stored, takes, value), { replaceOnly: true }),
      );
    });
  };
  const p = write.problems.fields;
  return (
    // Escape closes it, as it closes a delete's confirmation.
    <form
      className="stack"
      data-testid="edit-form"
      onSubmit={submit}
      onKeyDown={(e) => e.key === "Escape" && props.onClose(write.error !== null)}
    >
      <strong>{props.title}</strong>
      <DraftNote
        name="edit"
        restored={draft.restored}
        onDiscard={() => {
          draft.reset();
          write.edited();
        }}
      />
      <div className="toolbar">
        <BallotValueField
          form="edit"
          takes={takes}
          category={category}
          value={value}
          problem={[p.score, p.grade].filter(Boolean).join("; ") || undefined}
          onChange={(v) => {
            draft.edit({ value: v });
            write.edited();
          }}
        />
        {/* A refusal that says the page is out of date is not tried again from it. */}
        {!stale && (
          <button type="submit" className="primary" data-testid="edit-submit" disabled={write.busy}>
            {t("ballots.save")}
          </button>
        )}
        <button type="button" data-testid="edit-cancel" onClick={() => props.onClose(write.error !== null)}>
          {write.error ? t("close") : t("cancel")}
        </button>
      </div>
      <p className="muted">{t("ballots.correctHelp", { role: stored.role ?? "—" })}</p>
      {write.problems.elsewhere && write.error && (
        <RowRefusal
          testId="ballot-edit-refused"
          error={write.error}
          reasons={{
            gone: t("ballots.deleteRefused.gone"),
            finalised: t("ballots.deleteRefused.finalised"),
            forbidden: t("ballots.refused.forbidden"),
          }}
          refusedText={(reason) => t("ballots.correctRefused", { voter: stored.voter, reason })}
        />
      )}
    </form>
  );
}
