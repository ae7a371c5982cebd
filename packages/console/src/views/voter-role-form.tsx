import { type FormEvent, useId } from "react";
import { type Ballot, type BallotChoices, countVoterBallots, setVoterRole } from "../ballots-api";
import { useI18n } from "../i18n";
import { useQuery } from "../use-query";
import { DraftNote } from "./draft-note";
import { Field } from "./labelled-field";
import { RowRefusal, staleRefusal } from "./row-refusal";
import { useDraft } from "./use-draft";
import { useWrite } from "./use-write";

const ROLE_FIELDS = ["role"] as const;

/**
 * A voter's role changed under one of their ballots, with setVoterRole: the engine weighs a voter
 * by one role in a category, so the role is theirs on every ballot of the category at once, and
 * the form says how many that is. Emptied, the role is removed. The gateway's refusal of the role
 * stands beside its box; the voter's ballots gone or the cycle finalised meanwhile, at the row.
 */
export function VoterRoleForm(props: {
  /** Where what is typed is kept (useDraft) until it is saved or the form closed. */
  draft: string;
  cycleId: string;
  choices: BallotChoices;
  ballot: Ballot;
  /** The category by its name. */
  categoryName: string;
  onSaved: (changed: Ballot[]) => void;
  onClose: (refused: boolean) => void;
}) {
  const { t } = useI18n();
  const b = props.ballot;
  const draft = useDraft(props.draft, { role: b.role ?? "" });
  const { role } = draft.value;
  const write = useWrite(ROLE_FIELDS);
  const rolesId = useId();
  const roles = props.choices.voteCategories.find((c) => c.id === b.category)?.roles ?? [];
  const count = useQuery(`${props.cycleId}\u0000${b.category}\u0000${b.voter}`, (signal) =>
    countVoterBallots(props.cycleId, b.category, b.voter, signal),
  );
  const n = count.current;
  const stale = staleRefusal(write.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void write.run(async () => {
      props.onSaved(await setVoterRole(props.cycleId, b.category, b.voter, role.trim() || null));
    });
  };
  const names = { voter: b.voter, category: props.categoryName };
  return (
    // Escape closes it, as it closes a delete's confirmation.
    <form
      className="stack"
      data-testid="role-form"
      onSubmit={submit}
      onKeyDown={(e) => e.key === "Escape" && props.onClose(write.error !== null)}
    >
      <strong>{t("ballots.roleTitle", names)}</strong>
      <DraftNote
        name="role"
        restored={draft.restored}
        onDiscard={() => {
          draft.reset();
          write.edited();
        }}
      />
      <div className="toolbar">
        <Field testId="role-role" label={t("role")} problem={write.problems.fields.role}>
          {(a) => (
            <input
              {...a}
              size={12}
              list={roles.length ? rolesId : undefined}
              value={role}
              onChange={(e) => {
                draft.edit({ role: e.target.value });
                write.edited();
              }}
            />
          )}
        </Field>
        {roles.length > 0 && (
          <datalist id={rolesId}>
            {roles.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
        )}
        {!stale && (
          <button type="submit" className="primary" data-testid="role-submit" disabled={write.busy}>
            {t("ballots.roleSave")}
          </button>
        )}
        <button type="button" data-testid="role-cancel" onClick={() => props.onClose(write.error !== null)}>
          {write.error ? t("close") : t("cancel")}
        </button>
      </div>
      <p className="muted" data-testid="role-applies">
        {n === null
          ? t("ballots.roleAppliesAll", names)
          : t(n === 1 ? "ballots.roleAppliesOne" : "ballots.roleApplies", { ...names, n })}
      </p>
      {write.problems.elsewhere && write.error && (
        <RowRefusal
          testId="ballot-role-refused"
          error={write.error}
          reasons={{
            gone: t("ballots.roleRefused.gone"),
            finalised: t("ballots.deleteRefused.finalised"),
            forbidden: t("ballots.refused.forbidden"),
          }}
          refusedText={(reason) => t("ballots.roleRefused", { voter: b.voter, reason })}
        />
      )}
    </form>
  );
}
