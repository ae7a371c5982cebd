import { type FormEvent, useId, useState } from "react";
import {
  BALLOT_FORM_FIELDS,
  type Ballot,
  type BallotChoices,
  type BallotEdit,
  type BallotFilter,
  ballotInput,
  editOf,
  recordBallot,
} from "../ballots-api";
import { useI18n } from "../i18n";
import { ErrorNote } from "./cycle-picker";
import { Field } from "./labelled-field";
import { useWrite } from "./use-write";

/** The boxes of a correction under a row: its category, voter and unit are the ballot's own. */
const CORRECTION_FIELDS = ["role", "score", "grade"] as const;

/**
 * One ballot's boxes, written with recordBallot. Under a row (`stored`), its role and its score or
 * grade, the rest being the ballot's; below the list, a whole ballot, which replaces one the
 * voter already has for that unit in that category. Saved at once, no confirmation: nothing is
 * lost that cannot be set again, and the audit keeps what it was. A refusal stands beside the box
 * it names (`input.score`, `input.unitId` …), what names none under the form.
 */
export function BallotForm(props: {
  /** Names the form's boxes: `${form}-score` … (the record form and an open correction may both show). */
  form: "ballot" | "edit";
  cycleId: string;
  choices: BallotChoices;
  stored?: Ballot;
  title?: string;
  /** The list's filters: a new ballot starts in the category and unit the list is narrowed to. */
  filter?: BallotFilter;
  onSaved: (saved: Ballot) => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const { form, stored, choices } = props;
  const [edit, setEdit] = useState<BallotEdit>(() => {
    if (stored) return editOf(stored);
    const narrowed = choices.voteCategories.find((c) => c.id === props.filter?.category);
    return {
      category: (narrowed ?? choices.voteCategories[0])?.id ?? "",
      unitId: props.filter?.unitId ?? "",
      voter: "",
      role: "",
      value: "",
    };
  });
  const write = useWrite(stored ? CORRECTION_FIELDS : BALLOT_FORM_FIELDS);
  const category = choices.voteCategories.find((c) => c.id === edit.category);
  // A category the scheme no longer has (moved to another version meanwhile) takes what the
  // stored ballot has; the gateway says what is wrong with it.
  const takes = category?.ballot.type ?? (stored?.grade != null ? "grade" : "score");
  const rolesId = useId();
  const change = (patch: Partial<BallotEdit>) => {
    setEdit((e) => ({ ...e, ...patch }));
    write.edited();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void write.run(async () => {
      const saved = await recordBallot(props.cycleId, ballotInput(edit, takes, stored ?? null));
      // The next ballot is most often the same category's and unit's, another voter's.
      if (!stored) setEdit((e) => ({ ...e, voter: "", role: "", value: "" }));
      props.onSaved(saved);
    });
  };
  const p = write.problems.fields;
  const box = (name: string) => `${form}-${name}`;
  // The gateway names the box of what was sent: score or grade, whichever the category took.
  const valueProblem = [p.score, p.grade].filter(Boolean).join("; ") || undefined;
  const range = category?.ballot.type === "score" ? category.ballot : null;
  const grades = category?.ballot.type === "grade" ? category.ballot.grades : [];
  // A stored grade the category no longer has stays offered, for the gateway to name.
  const gradeOptions = edit.value && !grades.includes(edit.value) ? [...grades, edit.value] : grades;
  return (
    <form className="stack" data-testid={`${form}-form`} onSubmit={submit}>
      {props.title && <strong>{props.title}</strong>}
      <div className="toolbar">
        {!stored && (
          <>
            <Field testId={box("category")} label={t("category")} problem={p.category}>
              {(a) => (
                <select {...a} value={edit.category} onChange={(e) => change({ category: e.target.value })}>
                  {choices.voteCategories.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field testId={box("unitId")} label={t("unit")} problem={p.unitId}>
              {(a) => (
                <select {...a} value={edit.unitId} onChange={(e) => change({ unitId: e.target.value })}>
                  <option value="">—</option>
                  {choices.units.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name} ({u.id})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field testId={box("voter")} label={t("ballots.voter")} problem={p.voter}>
              {(a) => (
                <input
                  {...a}
                  size={14}
                  value={edit.voter}
                  onChange={(e) => change({ voter: e.target.value })}
                />
              )}
            </Field>
          </>
        )}
        <Field testId={box("role")} label={t("role")} problem={p.role}>
          {(a) => (
            <input
              {...a}
              size={12}
              list={category?.roles.length ? rolesId : undefined}
              value={edit.role}
              onChange={(e) => change({ role: e.target.value })}
            />
          )}
        </Field>
        {category && category.roles.length > 0 && (
          <datalist id={rolesId}>
            {category.roles.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
        )}
        {takes === "score" ? (
          <Field testId={box("score")} label={t("ballots.score")} problem={valueProblem}>
            {(a) => (
              <input
                {...a}
                size={8}
                inputMode="decimal"
                placeholder={
                  range?.min != null && range.max != null ? `${range.min}–${range.max}` : undefined
                }
                value={edit.value}
                onChange={(e) => change({ value: e.target.value })}
              />
            )}
          </Field>
        ) : (
          <Field testId={box("grade")} label={t("grade")} problem={valueProblem}>
            {(a) => (
              <select {...a} value={edit.value} onChange={(e) => change({ value: e.target.value })}>
                <option value="">—</option>
                {gradeOptions.map((g) => (
                  <option key={g} value={g}>
                    {g}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <button type="submit" className="primary" data-testid={box("submit")} disabled={write.busy}>
          {stored ? t("ballots.save") : t("ballots.recordSubmit")}
        </button>
        {props.onCancel && (
          <button type="button" data-testid={box("cancel")} onClick={props.onCancel}>
            {t("cancel")}
          </button>
        )}
      </div>
      {!stored && <p className="muted">{t("ballots.recordHelp")}</p>}
      {/* What names no box (the ballot's cycle finalised meanwhile, the gateway out of reach) is shown whole. */}
      {write.problems.elsewhere && <ErrorNote error={write.error} />}
    </form>
  );
}
