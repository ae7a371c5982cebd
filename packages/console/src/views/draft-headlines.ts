import type { SchemeChange } from "../rules-api";

/** A category as an approval names it: its id, and its name where the change carries one. */
export interface CategoryLabel {
  id: string;
  name: string | null;
}

/**
 * What an approval reads first of a draft's changes: the categories it adds, drops or likely
 * renames, and the points each category gives (its weight, and the most it adds to a total) or
 * the bonus cap moved. Every change, these too, is in the table under them.
 */
export interface DraftHeadlines {
  added: CategoryLabel[];
  dropped: CategoryLabel[];
  renamed: { from: string; to: string }[];
  points: { id: string; before: string; after: string }[];
  bonusCap: { before: string; after: string } | null;
  /** The changes not said above. */
  others: number;
}

// An id holds no "]": a path inside a category may end in one (`…satisfiedOptions["satisfied"]`).
const CATEGORY = /^categories\[id=([^\]]+)\]$/;
const POINTS = /^categories\[id=([^\]]+)\]\.points$/;

const nameOf = (entry: unknown): string | null =>
  typeof entry === "object" && entry !== null && typeof (entry as { name?: unknown }).name === "string"
    ? (entry as { name: string }).name
    : null;

// The engine writes an exact value as a string or a number; absent, it is the default (none).
const said = (v: unknown): string => (v === null || v === undefined ? "—" : String(v));

/** The headlines of `changes`, in the order the gateway listed them. */
export function draftHeadlines(changes: readonly SchemeChange[]): DraftHeadlines {
  const out: DraftHeadlines = { added: [], dropped: [], renamed: [], points: [], bonusCap: null, others: 0 };
  // A likely rename is one removal and one addition: said once, from the removal.
  const renames = new Set(
    changes.flatMap((c) => {
      const id = CATEGORY.exec(c.path)?.[1];
      return c.kind === "REMOVED" && id && c.renamedTo ? [`${id}→${c.renamedTo}`] : [];
    }),
  );
  for (const c of changes) {
    const category = CATEGORY.exec(c.path)?.[1];
    const points = POINTS.exec(c.path)?.[1];
    if (category && c.kind === "REMOVED" && c.renamedTo)
      out.renamed.push({ from: category, to: c.renamedTo });
    else if (category && c.kind === "ADDED" && c.renamedFrom && renames.has(`${c.renamedFrom}→${category}`))
      continue;
    else if (category && c.kind === "ADDED") out.added.push({ id: category, name: nameOf(c.after) });
    else if (category && c.kind === "REMOVED") out.dropped.push({ id: category, name: nameOf(c.before) });
    else if (points) out.points.push({ id: points, before: said(c.before), after: said(c.after) });
    else if (c.path === "bonusCap") out.bonusCap = { before: said(c.before), after: said(c.after) };
    else out.others += 1;
  }
  return out;
}
