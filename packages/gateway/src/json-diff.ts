export interface JsonChange {
  /** e.g. `categories[id=public].points`; arrays of objects with an `id` are matched by id, others by index. */
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
      return ids.flatMap((id) => diffEntry(b.get(id), a.get(id), `${path}[id=${id}]`, b.has(id), a.has(id)));
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
