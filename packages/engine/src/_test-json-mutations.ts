import fc from "fast-check";

/**
 * Test support: JSON documents mutated the way a careless or hostile caller would send them
 * (a value replaced, a key added, an entry deleted or repeated), for the properties that the
 * engine's entry points return or name the field (hostile-input.test.ts, whatif-input.test.ts).
 */

export type Path = (string | number)[];

export type Mutation =
  | { op: "replace" | "add"; at: number; key: string; value: unknown }
  | { op: "delete" | "duplicate"; at: number };

/** Mutations at any path (`at` picks one modulo the paths there are), keys and values drawn from the given ones. */
export function mutationOf(key: fc.Arbitrary<string>, value: fc.Arbitrary<unknown>): fc.Arbitrary<Mutation> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant("replace" as const), at: fc.nat(), key, value }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("add" as const), at: fc.nat(), key, value }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), at: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("duplicate" as const), at: fc.nat() }) },
  );
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Every path into a JSON-like value, the root first. */
export function pathsOf(v: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  const children: [string | number, unknown][] = Array.isArray(v)
    ? v.map((x, i) => [i, x])
    : isObject(v)
      ? Object.entries(v)
      : [];
  for (const [k, x] of children) out.push(...pathsOf(x, [...at, k]));
  return out;
}

/** A copy in which every key is an own property, as JSON.parse makes them ("__proto__" too). */
export function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) setOwn(out, k, copy(x));
  return out;
}

export function setOwn(o: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The value at a path; undefined where the path leads nowhere. */
export function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const k of path) {
    if (typeof v !== "object" || v === null || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** A copy of the base with each mutation applied at the path it picks. */
export function mutate(base: unknown, mutations: readonly Mutation[]): unknown {
  let root = copy(base);
  for (const m of mutations) {
    const paths = pathsOf(root);
    const path = paths[m.at % paths.length]!;
    const here = valueAt(root, path);
    const parent = valueAt(root, path.slice(0, -1)) as Record<string, unknown> | unknown[];
    const last = path[path.length - 1]!;
    if (m.op === "add") {
      if (Array.isArray(here)) here.push(copy(m.value));
      else if (isObject(here)) setOwn(here, m.key, copy(m.value));
    } else if (m.op === "duplicate") {
      if (Array.isArray(here) && here.length > 0) here.push(copy(here[0]));
    } else if (path.length === 0) root = m.op === "replace" ? copy(m.value) : undefined;
    else if (Array.isArray(parent)) {
      if (m.op === "replace") parent[last as number] = copy(m.value);
      else parent.splice(last as number, 1);
    } else if (m.op === "replace") setOwn(parent, last as string, copy(m.value));
    else delete parent[last as string];
  }
  return root;
}
