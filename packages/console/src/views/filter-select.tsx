import { Field } from "./labelled-field";

/** What a filter offers: an id, and how the page names it. */
export interface FilterChoice {
  id: string;
  name: string;
}

/** A unit as a filter names it: its name and id, or the id alone where the two are one. */
export function unitChoice(u: { id: string; name: string }): FilterChoice {
  return { id: u.id, name: u.name === u.id ? u.id : `${u.name} (${u.id})` };
}

/**
 * One filter of a cycle's list (Findings, Ballots, Survey forms): "any" (the filter left out)
 * or one of its choices, with the gateway's refusal of the value beside it. A change is read
 * into the link by `onPick`, so Back and a shared link show the same list.
 */
export function FilterSelect(props: {
  testId: string;
  label: string;
  problem: string | undefined;
  value: string | null | undefined;
  /** The option that leaves the filter out ("Any unit"). */
  any: string;
  choices: readonly FilterChoice[];
  onPick: (id: string | null) => void;
}) {
  return (
    <Field testId={props.testId} label={props.label} problem={props.problem}>
      {(a) => (
        <select {...a} value={props.value ?? ""} onChange={(e) => props.onPick(e.target.value || null)}>
          <option value="">{props.any}</option>
          {props.choices.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
