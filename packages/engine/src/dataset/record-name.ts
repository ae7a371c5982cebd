import { type InputIssue, quoted } from "../input-error.js";
import type { Dataset } from "./dataset.js";

/** The words before a field's value in a record's name: `of voter`, `for unit`, … */
type Part = { readonly field: string; readonly before: string };
const id: Part = { field: "id", before: " " };
const forUnit: Part = { field: "unit", before: " for unit " };
const inCategory: Part = { field: "category", before: " in category " };
const ofGroup: Part = { field: "respondentGroup", before: " of respondent group " };

/**
 * How each kind of record is named in a message: its noun, then the fields that tell one
 * record from another. Every list of a dataset is here, so a caller that shows an issue's
 * message (the gateway, over records it assembled) needs no naming of its own.
 */
const NAMED: Readonly<Record<string, { noun: string; by: readonly Part[] }>> = {
  units: { noun: "unit", by: [id] },
  scores: { noun: "score", by: [forUnit, inCategory] },
  ballots: { noun: "ballot", by: [{ field: "voter", before: " of voter " }, forUnit, inCategory] },
  surveyForms: { noun: "survey form", by: [ofGroup, forUnit, inCategory] },
  surveyTallies: { noun: "survey tally", by: [ofGroup, forUnit, inCategory] },
  inputs: { noun: "input", by: [{ field: "name", before: " " }, forUnit] },
  findings: { noun: "finding", by: [id, forUnit] },
  bonusEvents: { noun: "bonus event", by: [id, forUnit] },
  vetoEvents: { noun: "veto event", by: [id, forUnit] },
};

/**
 * A record as a reader finds it: `ballot of voter "m03" for unit "U09" in category "organ"`.
 * `except` is the field the message is about: a unit that is unknown or missing names nothing,
 * and the message quotes it already. Fields that are not text are left out (quoting one could
 * throw, and the message about it says what it holds). `undefined` for a list whose rows are
 * not named, a row that is no object, or one with none of those fields to name it by.
 */
function recordName(list: string, row: unknown, except?: string): string | undefined {
  const how = Object.hasOwn(NAMED, list) ? NAMED[list] : undefined;
  if (how === undefined || typeof row !== "object" || row === null || Array.isArray(row)) return undefined;
  let name = how.noun;
  // Index loops: a province's 200,000 refused ballots are each named.
  for (let k = 0; k < how.by.length; k++) {
    const { field, before } = how.by[k]!;
    if (field === except) continue;
    const value = (row as Record<string, unknown>)[field];
    if (typeof value === "string" && value !== "") name += before + quoted(value);
  }
  // "ballot: …" would tell no more than the path does.
  return name === how.noun ? undefined : name;
}

/**
 * Each issue at a row of `dataset` (`["ballots", 0, "score"]`) with the row's name before its
 * message. A path alone indexes into records a caller may never have seen (a what-if's baseline,
 * records a store assembled): the name says which one is meant. Paths are kept as they are.
 */
export function withRecordNames(dataset: Dataset, issues: readonly InputIssue[]): InputIssue[] {
  const lists = dataset as unknown as Record<string, unknown>;
  return issues.map((issue) => {
    const list = issue.path[0];
    const index = issue.path[1];
    const field = issue.path[2];
    if (typeof list !== "string" || typeof index !== "number" || !Object.hasOwn(NAMED, list)) return issue;
    const rows = lists[list];
    const row = Array.isArray(rows) ? rows[index] : undefined;
    const name = recordName(list, row, typeof field === "string" ? field : undefined);
    return name === undefined ? issue : { path: issue.path, message: `${name}: ${issue.message}` };
  });
}
