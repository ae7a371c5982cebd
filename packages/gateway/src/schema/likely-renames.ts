import { closestField, type SchemeChange } from "@pingyi/engine";

/**
 * An entry that one scheme removes from a list matched by id (`categories`, `groups`,
 * `grades.rules`) and the other most likely adds back under another id: a guess, for a reader
 * of a diff, where matching by id can only say "removed" and "added".
 */
export interface LikelyRename {
  /** The list, as a change's path names it: `categories`, `grades.rules`. */
  list: string;
  from: string;
  to: string;
}

/** A change with the entry it is likely a rename of or to, when it removes or adds one. */
export type HintedChange = SchemeChange & { renamedTo?: string; renamedFrom?: string };

/** `categories[id=public]` as its list and id; null for a path that is no whole entry of a list by id. */
function entryOf(path: string): { list: string; id: string } | null {
  const at = path.lastIndexOf("[id=");
  if (at <= 0 || !path.endsWith("]")) return null;
  return { list: path.slice(0, at), id: path.slice(at + "[id=".length, -1) };
}

/** A value as text with its objects' keys sorted: two documents written in another key order match. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

/**
 * What an entry does, without the id and name a rename changes: a category's points and method.
 * Null for an entry that is nothing else (a group of one name), whose likeness would pair any two.
 */
function content(entry: unknown): string | null {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return null;
  const { id: _id, name: _name, ...rest } = entry as Record<string, unknown>;
  return Object.keys(rest).length === 0 ? null : canonical(rest);
}

interface Entry {
  id: string;
  value: unknown;
}

/**
 * The removed entries of each list paired, each at most once, with an added entry of the same
 * list that is likely the same one renamed: first a close spelling (as a misspelt field is told
 * of: case, a letter or two, two letters swapped, one id inside the other), then the same content
 * but for id and name (a category's points and method). Changes in the order they are listed.
 */
export function likelyRenames(changes: readonly SchemeChange[]): LikelyRename[] {
  const removed = new Map<string, Entry[]>();
  const added = new Map<string, Entry[]>();
  for (const c of changes) {
    const entry = c.kind === "changed" ? null : entryOf(c.path);
    if (entry === null) continue;
    const into = c.kind === "removed" ? removed : added;
    const list = into.get(entry.list) ?? [];
    list.push({ id: entry.id, value: c.kind === "removed" ? c.before : c.after });
    into.set(entry.list, list);
  }
  const renames: LikelyRename[] = [];
  for (const [list, gone] of removed) {
    const free = [...(added.get(list) ?? [])];
    if (free.length === 0) continue;
    const take = (from: Entry, to: Entry | undefined) => {
      if (to === undefined) return false;
      free.splice(free.indexOf(to), 1);
      renames.push({ list, from: from.id, to: to.id });
      return true;
    };
    const unpaired = gone.filter((from) => {
      const meant = closestField(
        from.id,
        free.map((e) => e.id),
      );
      return !take(
        from,
        free.find((e) => e.id === meant),
      );
    });
    for (const from of unpaired) {
      const like = content(from.value);
      if (like !== null)
        take(
          from,
          free.find((e) => content(e.value) === like),
        );
    }
  }
  return renames;
}

/** The changes, each removed or added entry with the entry it is likely a rename of or to. */
export function withLikelyRenames(changes: readonly SchemeChange[]): HintedChange[] {
  const renames = likelyRenames(changes);
  if (renames.length === 0) return [...changes];
  const to = new Map(renames.map((r) => [`${r.list}[id=${r.from}]`, r.to]));
  const from = new Map(renames.map((r) => [`${r.list}[id=${r.to}]`, r.from]));
  return changes.map((c) => {
    const other = c.kind === "removed" ? to.get(c.path) : c.kind === "added" ? from.get(c.path) : undefined;
    if (other === undefined) return c;
    return c.kind === "removed" ? { ...c, renamedTo: other } : { ...c, renamedFrom: other };
  });
}
