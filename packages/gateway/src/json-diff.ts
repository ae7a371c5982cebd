export interface JsonChange {
  /**
   * e.g. `categories[id=public].points`; arrays of objects with an `id` are matched by id, others by
   * index. `grades.rules[ids]` is the id order of such an array, listed when it changed other than by
   * removals and additions at the end (order decides, e.g., which grade rule applies first).
   */
  path: string;
  kind: "added" | "removed" | "changed";
  before: unknown;
  after: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const byId = (a: unknown[]): a is { id: string }[] =>
  a.every((x) => isObject(x) && typeof x.id === "string") &&
  new Set(a.map((x) => (x as { id: string }).id)).size === a.length;

/** A structural diff of two JSON documents, in document order (keys of `before` first). */
export function jsonDiff(before: unknown, after: unknown, path = ""): JsonChange[] {
  if (Array.isArray(before) && Array.isArray(after)) {
    if (byId(before) && byId(after)) {
      const b = new Map(before.map((x) => [x.id, x]));
      const a = new Map(after.map((x) => [x.id, x]));
      const ids = [...b.keys(), ...[...a.keys()].filter((k) => !b.has(k))];
      const entries = ids.flatMap((id) =>
        diffEntry(b.get(id), a.get(id), `${path}[id=${id}]`, b.has(id), a.has(id)),
      );
      // Matching by id alone hides a reordering: compare the order with what removals and
      // additions at the end would give.
      const expected = ids.filter((id) => a.has(id));
      const actual = after.map((x) => x.id);
      if (expected.some((id, i) => id !== actual[i])) {
        entries.unshift({
          path: `${path}[ids]`,
          kind: "changed",
          before: before.map((x) => x.id),
          after: actual,
        });
      }
      return entries;
    }
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) =>
      diffEntry(before[i], after[i], `${path}[${i}]`, i < before.length, i < after.length),
    ).flat();
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))];
    return keys.flatMap((k) =>
      diffEntry(before[k], after[k], path ? `${path}.${k}` : k, k in before, k in after),
    );
  }
  return Object.is(before, after) || JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [{ path: path || "(root)", kind: "changed", before, after }];
}

function diffEntry(
  before: unknown,
  after: unknown,
  path: string,
  inBefore: boolean,
  inAfter: boolean,
): JsonChange[] {
  if (!inBefore) return [{ path, kind: "added", before: null, after }];
  if (!inAfter) return [{ path, kind: "removed", before, after: null }];
  return jsonDiff(before, after, path);
}
