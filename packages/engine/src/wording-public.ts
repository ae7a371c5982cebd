/**
 * `formatPath`, `closestField` and `unknownId` as the package exports them, for a system that
 * words its own messages as the engine does: each checks its arguments first. The engine's own
 * modules call input-error.ts's, unknown-field.ts's and exact-id.ts's, for each problem of a
 * file of thousands of rows, with arguments they made.
 */

import * as ids from "./exact-id.js";
import * as errors from "./input-error.js";
import { InputError, type InputIssue, received } from "./input-error.js";
import * as misspelt from "./unknown-field.js";

/**
 * `ballots[17].score` — the notation JSON Schema editors and zod use; `(root)` for an empty path.
 *
 * @throws InputError of subject "argument" naming `path` for other than a list, or `path.<i>`
 * for each entry that is neither a field name (text) nor a row index (a number).
 */
export function formatPath(path: readonly (string | number)[]): string {
  const issues = listIssues(
    "path",
    path,
    'a list of field names and row indexes, such as ["ballots", 17, "score"]',
    (p) =>
      typeof p === "string" || typeof p === "number"
        ? undefined
        : "a field name (text) or a row index (a number)",
  );
  if (issues.length > 0) throw new InputError("argument", issues);
  return errors.formatPath(path);
}

/**
 * The field `key` most likely misspells: the nearest by edit distance (a swap of two letters
 * counts one; case is ignored) within a quarter of its length, or one that contains the other
 * ("unit_id" for "unit", "group" for "respondentGroup"). Undefined when none is.
 *
 * @throws InputError of subject "argument" naming `key` for other than text, `fields` for other
 * than a list, and `fields.<i>` for each entry that is not text.
 */
export function closestField(key: string, fields: readonly string[]): string | undefined {
  const issues = textIssues("key", key, "the key as written");
  issues.push(...listIssues("fields", fields, "a list of the field names", textExpected));
  if (issues.length > 0) throw new InputError("argument", issues);
  return misspelt.closestField(key, fields);
}

/**
 * `unknown unit "U09 "`, with `; did you mean "U09"?` where the known id is the same without
 * spaces around it or but for case, or, with `spelling` (words, and few: a scheme's categories
 * and groups), where one is a slip of the keyboard away ("busines"); with `spelling`, up to 12
 * known ids are listed when none is meant. `what` names the kind of id ("unit", "group"); `id`
 * is shown as JSON, cut at 40 characters.
 *
 * @throws InputError of subject "argument" naming `what` for other than text, `known` for
 * other than a Set of ids (a list is the usual slip: `new Set(list)`), or `spelling` for other
 * than true or false.
 */
export function unknownId(what: string, id: unknown, known: ReadonlySet<string>, spelling = false): string {
  const issues = textIssues("what", what, 'the kind of id, such as "unit"');
  const k = known as Partial<ReadonlySet<string>> | null | undefined;
  if (
    k instanceof Map ||
    typeof k?.has !== "function" ||
    typeof k.size !== "number" ||
    typeof k[Symbol.iterator] !== "function"
  )
    issues.push({
      path: ["known"],
      message: `expected a Set of the known ids, new Set(["U01", "U02"]); got ${k instanceof Map ? "a Map" : received(known)}`,
    });
  else {
    // Read once per message, not per unit: the ids are compared as text.
    for (const entry of known)
      if (typeof entry !== "string") {
        issues.push({
          path: ["known"],
          message: `expected a Set of ids as text; got ${received(entry)} among them`,
        });
        break;
      }
  }
  if (typeof spelling !== "boolean")
    issues.push({
      path: ["spelling"],
      message: `expected true (ids that are words: a slip of the keyboard is looked for) or false; got ${received(spelling)}`,
    });
  if (issues.length > 0) throw new InputError("argument", issues);
  return ids.unknownId(what, id, known, spelling);
}

const textExpected = (value: unknown) => (typeof value === "string" ? undefined : "text");

function textIssues(parameter: string, value: unknown, expected: string): InputIssue[] {
  return typeof value === "string"
    ? []
    : [{ path: [parameter], message: `expected ${expected}; got ${received(value)}` }];
}

/** The issues of a list argument: not a list at all, or each entry `entryIssue` refuses. */
function listIssues(
  parameter: string,
  value: unknown,
  expected: string,
  entryIssue: (entry: unknown) => string | undefined,
): InputIssue[] {
  if (!Array.isArray(value))
    return [{ path: [parameter], message: `expected ${expected}; got ${received(value)}` }];
  const issues: InputIssue[] = [];
  value.forEach((entry, i) => {
    const wanted = entryIssue(entry);
    if (wanted !== undefined)
      issues.push({ path: [parameter, i], message: `expected ${wanted}; got ${received(entry)}` });
  });
  return issues;
}
