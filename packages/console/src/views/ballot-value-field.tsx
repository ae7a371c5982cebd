import type { VoteCategory } from "../ballots-api";
import { useI18n } from "../i18n";
import { Field } from "./labelled-field";

/**
 * A ballot's score box, or its grade picked from the category's grades, whichever it takes. A
 * stored grade the category no longer has stays offered, for the gateway to name.
 */
export function BallotValueField(props: {
  /** The box's test id: `${form}-score` or `${form}-grade` is made of it. */
  form: string;
  takes: "score" | "grade";
  category: VoteCategory | undefined;
  value: string;
  problem: string | undefined;
  onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  const { category, value } = props;
  const range = category?.ballot.type === "score" ? category.ballot : null;
  const grades = category?.ballot.type === "grade" ? category.ballot.grades : [];
  const gradeOptions = value && !grades.includes(value) ? [...grades, value] : grades;
  if (props.takes === "score")
    return (
      <Field testId={`${props.form}-score`} label={t("ballots.score")} problem={props.problem}>
        {(a) => (
          <input
            {...a}
            size={8}
            inputMode="decimal"
            placeholder={range?.min != null && range.max != null ? `${range.min}–${range.max}` : undefined}
            value={value}
            onChange={(e) => props.onChange(e.target.value)}
          />
        )}
      </Field>
    );
  return (
    <Field testId={`${props.form}-grade`} label={t("grade")} problem={props.problem}>
      {(a) => (
        <select {...a} value={value} onChange={(e) => props.onChange(e.target.value)}>
          <option value="">—</option>
          {gradeOptions.map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
