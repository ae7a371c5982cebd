import { type FormEvent, useId, useState } from "react";
import {
  BALLOT_FORM_FIELDS,
  type Ballot,
  type BallotChoices,
  type BallotEdit,
  type BallotFilter,
  ballotInput,
  recordBallot,
  valueAcross,
} from "../ballots-api";
import { useI18n } from "../i18n";
import { BallotValueField } from "./ballot-value-field";
import { ErrorNote } from "./cycle-picker";
import { DraftNote } from "./draft-note";
import { Field } from "./labelled-field";
import { showsStart, useDraft } from "./use-draft";
import { useWrite } from "./use-write";

/** The category and unit a new ballot starts in: those the list is narrowed to, else the first category and no unit. */
function startOf(
  choices: BallotChoices,
  filter: BallotFilter | undefined,
): Pick<BallotEdit, "category" | "unitId"> {
  const narrowed = choices.voteCategories.find((c) => c.id === filter?.category);
  return { category: (narrowed ?? choices.voteCategories[0])?.id ?? "", unitId: filter?.unitId ?? "" };
}

/**
 * A whole ballot (category, unit, voter, role, score or grade), written with recordBallot: it
 * replaces one the voter already has for that unit in that category. Saved at once, no
 * confirmation: nothing is lost that cannot be set again, and the audit keeps what it was. A
 * refusal stands beside the box it names (`input.score`, `input.role` …), what names none under
 * the form.
 *
 * Its category and unit follow the list's filters, as the form of a page opened with that link
 * would start, until the user picks one of them: narrowing the list to a unit to check its
 * ballots, then recording the one missing, needs no second pick.
 */
export function BallotForm(props: {
  cycleId: string;
  choices: BallotChoices;
  filter?: BallotFilter;
  onSaved: (saved: Ballot) => void;
}) {
  const { t } = useI18n();
  const { choices, filter } = props;
  const categoryOf = (id: string) => choices.voteCategories.find((c) => c.id === id);
  // What is typed is kept until it is saved (useDraft), with the boxes the user picked, which the
  // filters then leave alone. A box picked on what the filter gives shows the form's start: kept
  // as picked, but nothing on screen came back.
  const initial = {
    edit: { ...startOf(choices, filter), voter: "", role: "", value: "" } as BallotEdit,
    picked: { category: false, unitId: false },
  };
  const draft = useDraft(`ballots.record.${props.cycleId}`, initial, {
    atStart: showsStart(initial, (d) => d.edit),
  });
  const { edit, picked } = draft.value;
  const setEdit = (next: BallotEdit | ((e: BallotEdit) => BallotEdit)) =>
    draft.edit((d) => ({ ...d, edit: typeof next === "function" ? next(d.edit) : next }));
  const pick = (box: keyof typeof picked) =>
    draft.edit((d) => ({ ...d, picked: { ...d.picked, [box]: true } }));
  /**
   * Another category's value goes when that category takes another kind of ballot, and the role
   * when that category weighs roles and not this one: its box would offer neither.
   */
  const withCategory = (e: BallotEdit, category: string): BallotEdit => {
    if (category === e.category) return e;
    const to = categoryOf(category);
    const roles = to?.roles ?? [];
    return {
      ...e,
      category,
      value: valueAcross(e.value, categoryOf(e.category), to),
      role: roles.length === 0 || roles.includes(e.role.trim()) ? e.role : "",
    };
  };
  const write = useWrite(BALLOT_FORM_FIELDS);
  // Followed while rendering, not in an effect, so that no frame shows the old unit.
  const filterKey = `${filter?.category ?? ""}\u0000${filter?.unitId ?? ""}`;
  const [followed, setFollowed] = useState(filterKey);
  if (followed !== filterKey) {
    setFollowed(filterKey);
    const start = startOf(choices, filter);
    const moved = picked.category ? edit : withCategory(edit, start.category);
    const next = picked.unitId ? moved : { ...moved, unitId: start.unitId };
    if (next.category !== edit.category || next.unitId !== edit.unitId) {
      setEdit(next);
      // A refusal was of what was sent: it is not left beside a box now showing another value.
      write.edited();
    }
  }
  const category = categoryOf(edit.category);
  const takes = category?.ballot.type ?? "score";
  const rolesId = useId();
  const change = (patch: Partial<BallotEdit>) => {
    setEdit((e) => ({ ...e, ...patch }));
    write.edited();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void write.run(async () => {
      const saved = await recordBallot(props.cycleId, ballotInput(edit, takes));
      // The next ballot is most often the same category's and unit's, another voter's.
      draft.reset((v) => ({ ...v, edit: { ...v.edit, voter: "", role: "", value: "" } }));
      props.onSaved(saved);
    });
  };
  const p = write.problems.fields;
  // The gateway names the box of what was sent: score or grade, whichever the category took.
  const valueProblem = [p.score, p.grade].filter(Boolean).join("; ") || undefined;
  return (
    <form className="stack" data-testid="ballot-form" onSubmit={submit}>
      <DraftNote
        name="ballot"
        restored={draft.restored}
        onDiscard={() => {
          draft.reset();
          write.edited();
        }}
      />
      <div className="toolbar">
        <Field testId="ballot-category" label={t("category")} problem={p.category}>
          {(a) => (
            <select
              {...a}
              value={edit.category}
              onChange={(e) => {
                const next = e.target.value;
                pick("category");
                setEdit((ed) => withCategory(ed, next));
                write.edited();
              }}
            >
              {choices.voteCategories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field testId="ballot-unitId" label={t("unit")} problem={p.unitId}>
          {(a) => (
            <select
              {...a}
              value={edit.unitId}
              onChange={(e) => {
                pick("unitId");
                change({ unitId: e.target.value });
              }}
            >
              <option value="">—</option>
              {choices.units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.id})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field testId="ballot-voter" label={t("ballots.voter")} problem={p.voter}>
          {(a) => (
            <input {...a} size={14} value={edit.voter} onChange={(e) => change({ voter: e.target.value })} />
          )}
        </Field>
        <Field testId="ballot-role" label={t("role")} problem={p.role}>
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
        <BallotValueField
          form="ballot"
          takes={takes}
          category={category}
          value={edit.value}
          problem={valueProblem}
          onChange={(value) => change({ value })}
        />
        <button type="submit" className="primary" data-testid="ballot-submit" disabled={write.busy}>
          {t("ballots.recordSubmit")}
        </button>
      </div>
      <p className="muted">{t("ballots.recordHelp")}</p>
      {/* What names no box (the ballot's cycle finalised meanwhile, the gateway out of reach) is shown whole. */}
      {write.problems.elsewhere && <ErrorNote error={write.error} />}
    </form>
  );
}
