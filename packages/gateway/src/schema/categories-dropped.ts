import { type Dataset, type InputIssue, schemeChanges } from "@pingyi/engine";
import { likelyRenames } from "./likely-renames.js";

/** The scheme a cycle is scored under and the one it would be scored under instead. */
export interface SchemesCompared {
  /** The cycle's current version's document (or its compiled scheme). */
  from: unknown;
  /** The version moved to, or the draft previewed. */
  to: unknown;
}

/** The categories `from` has and `to` has not, each with the one `to` likely renamed it to (or null). */
export function droppedCategories(from: unknown, to: unknown): Map<string, string | null> {
  const changes = schemeChanges(from, to);
  const renamed = new Map(
    likelyRenames(changes)
      .filter((r) => r.list === "categories")
      .map((r) => [r.from, r.to]),
  );
  const dropped = new Map<string, string | null>();
  for (const c of changes) {
    const id = c.kind === "removed" ? /^categories\[id=(.*)\]$/s.exec(c.path)?.[1] : undefined;
    if (id !== undefined) dropped.set(id, renamed.get(id) ?? null);
  }
  return dropped;
}

/** Where the engine's words for a record's category it does not know begin. */
const UNKNOWN = "unknown category ";

/**
 * The records' issues, those of a record naming a category the cycle's version has and `to`
 * drops said as what they are: the scheme changed, not the record. The engine, which sees only
 * `to`, calls the category unknown and offers the renamed one as the one meant ('unknown
 * category "public"; did you mean "pubilc"?'), which tells an administrator to change good
 * records to match a draft's typo. Worded alike for a move and a preview, whose refusals name
 * `to` in their message: a draft is refused as the move to it would be, word for word.
 */
export function namingDropped(
  issues: readonly InputIssue[],
  dataset: Dataset,
  schemes: SchemesCompared | undefined,
): InputIssue[] {
  if (schemes === undefined) return [...issues];
  const lists = dataset as unknown as Record<string, readonly { category?: unknown }[] | undefined>;
  let dropped: Map<string, string | null> | undefined;
  return issues.map((issue) => {
    const [list, index, field] = issue.path;
    const at = issue.message.indexOf(UNKNOWN);
    if (typeof list !== "string" || typeof index !== "number" || field !== "category" || at < 0) return issue;
    const category = lists[list]?.[index]?.category;
    // Worked out once, and only for a refusal that has such a record.
    dropped ??= droppedCategories(schemes.from, schemes.to);
    if (typeof category !== "string" || !dropped.has(category)) return issue;
    const to = dropped.get(category);
    const record = issue.message.slice(0, at).replace(/:\s*$/, "") || "a record";
    const renamed = to ? ` (renamed to ${JSON.stringify(to)}?)` : "";
    return {
      ...issue,
      message: `${record} names category ${JSON.stringify(category)}, which the cycle's version has and this version drops${renamed}`,
    };
  });
}
