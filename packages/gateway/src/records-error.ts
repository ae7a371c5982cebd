import { formatPath, type InputIssue } from "@pingyi/engine";
import { ValidationError } from "./store/index.js";

/** Issues listed in one error; the rest are counted. */
const LISTED_ISSUES = 100;
/** Issues repeated in the error's message. */
const MESSAGE_ISSUES = 3;

/**
 * The engine's objections to a cycle's records as one error, counted, with the first ones in its
 * message. The engine names each record in its message (`score for unit "U01" in category
 * "business": 31 is outside 0–30`): its path indexes into the dataset the gateway assembled,
 * which no file or screen shows.
 */
export function recordsError(issues: readonly InputIssue[], what: string, advice?: string): ValidationError {
  const n = issues.length;
  const counted = `${n} problem${n === 1 ? "" : "s"}${n > LISTED_ISSUES ? `, the first ${LISTED_ISSUES} listed` : ""}`;
  const listed = issues.slice(0, LISTED_ISSUES).map((i) => ({
    path: `dataset.${formatPath(i.path)}`,
    message: i.message,
  }));
  // The first few in the message too: a client that shows only the message still says what is wrong.
  const shown = listed
    .slice(0, MESSAGE_ISSUES)
    .map((i) => i.message)
    .join("; ");
  const more = n > MESSAGE_ISSUES ? "; …" : "";
  return new ValidationError(listed, `${what} (${counted}): ${shown}${more}${advice ? `. ${advice}` : ""}`);
}
