import type { ZodError } from "zod";
import { formatPath, type InputIssue } from "./input-error.js";

type Path = (string | number)[];

/**
 * A JSON document's problems against its zod schema (scheme or scenario), as the engine lists
 * them: one issue per misspelt key at the key itself (the path an editor jumps to, not the
 * object holding it, which is the root for a misspelt top-level key), and every own
 * "__proto__" key. JSON.parse makes that key an own key, and zod's records drop it without a
 * word: a level or id of that name would vanish. A strict object has named it already.
 */
export function documentIssues(document: unknown, error: ZodError | undefined): InputIssue[] {
  const issues: InputIssue[] = (error?.issues ?? []).flatMap((i) => {
    const path = i.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    if (i.code === "unrecognized_keys")
      return i.keys.map((key) => ({ path: [...path, key], message: "unknown field (misspelt?)" }));
    return [{ path, message: i.message }];
  });
  const named = new Set(issues.map((i) => formatPath(i.path)));
  for (const path of protoKeys(document))
    if (!named.has(formatPath(path)))
      issues.push({
        path,
        message: '"__proto__" cannot be a name: it would be dropped without a word; choose another',
      });
  return issues;
}

/**
 * Where a JSON value holds an own "__proto__" key. A loop over nodes that link to their parent,
 * not recursion over copied paths: a hostile document nested 100,000 deep must neither
 * overflow the stack nor take quadratic time before the schema names it.
 */
function protoKeys(document: unknown): Path[] {
  interface Node {
    value: unknown;
    key: string | number;
    parent: Node | undefined;
  }
  const pathOf = (node: Node | undefined): Path => {
    const path: Path = [];
    for (let n = node; n?.parent !== undefined; n = n.parent) path.push(n.key);
    return path.reverse();
  };
  const out: Path[] = [];
  const stack: Node[] = [{ value: document, key: "", parent: undefined }];
  // JSON has no cycles, but a caller's object may: each object is walked once.
  const seen = new Set<object>();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const { value } = node;
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (key === "__proto__") out.push([...pathOf(node), key]);
      else stack.push({ value: (value as Record<string | number, unknown>)[key], key, parent: node });
    }
  }
  return out;
}
