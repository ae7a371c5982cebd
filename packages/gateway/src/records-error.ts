import { formatPath, type InputIssue } from "@pingyi/engine";
import { ValidationError } from "./store/index.js";

/** Issues listed in one error; the rest are counted. */
const LISTED_ISSUES = 100;
/** Issues repeated in the error's message. */
const MESSAGE_ISSUES = 3;

/**
 * How a caller tells kinds of issue apart so that each shows among those listed: `of` gives an
 * issue's kind (null for the rest, whose first shows too when others have a kind), `said` how the
 * count says them when they are not all among the first (`rest`: whether any issue is of the rest).
 */
export interface IssueKinds {
  of: (issue: InputIssue) => string | null;
  said: (rest: boolean) => string;
}

/**
 * The issues an error lists: the first `limit`, except that the first of each kind (`kinds`) is
 * among them, taking the place of the last of the others; in their order either way. A kind told
 * only past the limit would leave a client reading the list blind to it (the console's hints).
 * More kinds than `limit` cannot all be listed; the move's kinds are votes, and a scheme has at
 * most 100 categories, so that takes a version dropping 100 votes and refusing other records.
 */
export function listedIssues<T extends InputIssue>(
  issues: readonly T[],
  limit: number,
  kinds?: IssueKinds,
): T[] {
  if (issues.length <= limit || !kinds) return issues.slice(0, limit);
  const firsts = new Set<number>();
  const seen = new Set<string | null>();
  issues.forEach((issue, i) => {
    const kind = kinds.of(issue);
    if (!seen.has(kind)) firsts.add(i);
    seen.add(kind);
  });
  // Only when some issue has a kind: otherwise all are the rest, and the first ones are listed.
  if (seen.size === 1 && seen.has(null)) return issues.slice(0, limit);
  let others = Math.max(0, limit - firsts.size);
  return issues.filter((_, i) => firsts.has(i) || others-- > 0).slice(0, limit);
}

/**
 * The engine's objections to a cycle's records as one error, counted, with the first ones in its
 * message. The engine names each record in its message (`score for unit "U01" in category
 * "business": 31 is outside 0–30`): its path indexes into the dataset the gateway assembled,
 * which no file or screen shows.
 */
export function recordsError(
  issues: readonly InputIssue[],
  what: string,
  advice?: string,
  kinds?: IssueKinds,
): ValidationError {
  const n = issues.length;
  const picked = listedIssues(issues, LISTED_ISSUES, kinds);
  const prefix = picked.every((issue, i) => issue === issues[i]);
  const which =
    prefix || !kinds
      ? `the first ${LISTED_ISSUES} listed`
      : `${LISTED_ISSUES} listed: the first ones and ${kinds.said(issues.some((i) => kinds.of(i) === null))}`;
  const counted = `${n} problem${n === 1 ? "" : "s"}${n > LISTED_ISSUES ? `, ${which}` : ""}`;
  const listed = picked.map((i) => ({
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
