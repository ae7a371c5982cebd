import { type Dataset, formatPath, type InputIssue } from "@pingyi/engine";
import { ValidationError } from "./store/index.js";

const NOUNS: Record<string, string> = {
  units: "unit",
  findings: "finding",
  bonusEvents: "bonus event",
  vetoEvents: "veto event",
};
const LABELLED = ["unit", "category", "voter", "name", "respondentGroup", "answer"] as const;

/** The record an issue is about, as an administrator finds it: "unit A, category business". */
export function recordLabel(dataset: Dataset, issue: InputIssue): string {
  const [collection, index] = issue.path;
  const row = (dataset as unknown as Record<string, readonly Record<string, unknown>[] | undefined>)[
    String(collection)
  ]?.[Number(index)];
  if (!row || typeof row !== "object") return formatPath(issue.path.slice(0, 2));
  if (typeof row.id === "string") return `${NOUNS[String(collection)] ?? "record"} ${row.id}`;
  return LABELLED.filter((k) => typeof row[k] === "string")
    .map((k) => `${k === "respondentGroup" ? "respondent group" : k} ${String(row[k])}`)
    .join(", ");
}

/** Issues listed in one error; the rest are counted. */
const LISTED_ISSUES = 100;
/** Issues repeated in the error's message. */
const MESSAGE_ISSUES = 3;

/**
 * The engine's objections to a cycle's records as an administrator reads them: each names its
 * record ("unit U01, category business: 31 is outside 0–30"), not only its place in the dataset
 * the gateway assembled, which no file or screen shows.
 */
export function recordsError(
  dataset: Dataset,
  issues: readonly InputIssue[],
  what: string,
  advice?: string,
): ValidationError {
  const n = issues.length;
  const counted = `${n} problem${n === 1 ? "" : "s"}${n > LISTED_ISSUES ? `, the first ${LISTED_ISSUES} listed` : ""}`;
  const listed = issues.slice(0, LISTED_ISSUES).map((i) => ({
    path: `dataset.${formatPath(i.path)}`,
    message: `${recordLabel(dataset, i)}: ${i.message}`,
  }));
  // The first few in the message too: a client that shows only the message still says what is wrong.
  const shown = listed
    .slice(0, MESSAGE_ISSUES)
    .map((i) => i.message)
    .join("; ");
  const more = n > MESSAGE_ISSUES ? "; …" : "";
  return new ValidationError(listed, `${what} (${counted}): ${shown}${more}${advice ? `. ${advice}` : ""}`);
}
