import type { z } from "zod";
import englishLocale from "zod/v4/locales/en.js";
import { formatPath, type InputIssue, quoted, received } from "./input-error.js";
import { unknownField } from "./unknown-field.js";

type Path = (string | number)[];
type Issue = z.core.$ZodIssue;

/**
 * A JSON document's problems against its zod schema (scheme or scenario), as the engine lists
 * them: zod's own wording turned into sentences (see `plainIssues`), and every own
 * "__proto__" key. JSON.parse makes that key an own key, and zod's records drop it without a
 * word: a level or id of that name would vanish. A strict object has named it already.
 */
export function documentIssues(document: unknown, error: ZodIssues | undefined): InputIssue[] {
  const issues = plainIssues(document, error);
  const named = new Set(issues.map((i) => formatPath(i.path)));
  for (const path of protoKeys(document))
    if (!named.has(formatPath(path)))
      issues.push({
        path,
        message: '"__proto__" cannot be a name: it would be dropped without a word; choose another',
      });
  return issues;
}

/** What `plainIssues` reads of a zod error: its issues. */
export interface ZodIssues {
  readonly issues: readonly Issue[];
}

/**
 * A zod error's issues as the engine words its own: one plain sentence per problem, at its path
 * ("is required", "must be a list (got text "a")", "must be one of "mean", "median"", "must be at
 * least 1"), where zod's defaults read "Invalid input: expected array, received undefined" or
 * "Too small: expected number to be >=1". A message the schema or the parse set itself is kept
 * as it is. A misspelt key is named at the key itself (the path an editor jumps to), and a
 * union that nothing matched is worded from the form the input came closest to.
 *
 * `input` is the value that was parsed: a missing value and the type that was given instead
 * are read from it (zod keeps them on the issue only when parsed with `reportInput`). For
 * systems that check their own input with zod and want the engine's wording.
 */
export function plainIssues(input: unknown, error: ZodIssues | undefined): InputIssue[] {
  return (error?.issues ?? []).flatMap((i) => plain(i, input, []));
}

/** One issue of a value (`root`) found at `base` in the document. */
function plain(issue: Issue, root: unknown, base: Path): InputIssue[] {
  const rel = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  const path = [...base, ...rel];
  if (issue.code === "unrecognized_keys") {
    const fields = objectFields.get(issue.keys);
    return issue.keys.map((key) => ({
      path: [...path, key],
      message: fields === undefined ? "unknown field (misspelt?)" : unknownField(key, fields),
    }));
  }
  const value = "input" in issue ? issue.input : valueAt(root, rel);
  if (!isZodDefault(issue, value)) return [{ path, message: issue.message }];
  if (issue.code === "invalid_union") return unionIssues(issue, value, path);
  return [{ path, message: sentence(issue, value) }];
}

/**
 * Whether zod wrote the message itself (its locale's text) rather than the schema or the
 * caller: only its own wording is replaced.
 */
function isZodDefault(issue: Issue, value: unknown): boolean {
  if (issue.message === "Invalid input") return true;
  const own = english()({ ...issue, input: value } as z.core.$ZodRawIssue);
  return issue.message === (typeof own === "string" ? own : own?.message);
}

/**
 * Options for every parse of a document whose issues `documentIssues` reads (schemes and
 * scenarios). A per-parse map outranks the global one, so a host's `z.config({ customError })`
 * or another locale changes its own messages, not the engine's. They also keep the fields of
 * each strict object that refused a key, so that the key is named with the field it most likely
 * meant (`did you mean "points"?`), as a dataset row's is.
 */
export const PARSE_OPTIONS = {
  error: (issue: z.core.$ZodRawIssue) => {
    keepFields(issue);
    return english()(issue);
  },
};

/**
 * The fields of the object behind each unknown-keys issue, by the issue's list of keys: zod
 * drops the object's schema from the issue it reports but keeps that list, and only the error
 * map sees both. Weak: an issue's fields go with the issue.
 */
const objectFields = new WeakMap<readonly string[], readonly string[]>();

function keepFields(issue: z.core.$ZodRawIssue): void {
  if (issue.code !== "unrecognized_keys") return;
  const inst = issue.inst as { _zod?: { def?: { shape?: object } } } | undefined;
  const shape = inst?._zod?.def?.shape;
  if (shape !== undefined) objectFields.set(issue.keys, offered.get(inst!) ?? Object.keys(shape));
}

/** The fields an unknown key's message offers, for an object that takes more than it offers. */
const offered = new WeakMap<object, readonly string[]>();

/**
 * Offers only `fields` of a strict object for a key it refuses: one that accepts a field only to
 * say why it cannot change (a roll-up patch's `source`) must not suggest it.
 */
export function offering<T extends z.ZodObject>(
  schema: T,
  fields: readonly (keyof T["shape"] & string)[],
): T {
  offered.set(schema, fields);
  return schema;
}

let en: z.core.$ZodErrorMap | undefined;
/**
 * zod sets its English locale when it builds its first schema; before that, this one (one
 * locale, not `z.locales`, which would bring every language into a bundle).
 */
const english = () => (en ??= englishLocale().localeError);

function sentence(
  issue: Exclude<Issue, { code: "unrecognized_keys" | "invalid_union" }>,
  value: unknown,
): string {
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined && issue.expected !== "undefined") return "is required";
      return `must be ${typeName(issue.expected)} (got ${received(value)})`;
    case "invalid_value":
      return value === undefined
        ? `is required and must be ${oneOf(issue.values)}`
        : `must be ${oneOf(issue.values)}`;
    case "too_small":
      return bound(issue, "small");
    case "too_big":
      return bound(issue, "big");
    case "invalid_format":
      switch (issue.format) {
        case "regex":
          return `must match the pattern ${issue.pattern}`;
        case "starts_with":
          return `must start with ${JSON.stringify((issue as z.core.$ZodIssueStringStartsWith).prefix)}`;
        case "ends_with":
          return `must end with ${JSON.stringify((issue as z.core.$ZodIssueStringEndsWith).suffix)}`;
        case "includes":
          return `must include ${JSON.stringify((issue as z.core.$ZodIssueStringIncludes).includes)}`;
        default:
          return `must be a valid ${issue.format}`;
      }
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "invalid_key": {
      // The key is the path's last step; its own issues are about the key, not the value.
      const key = String(issue.path.at(-1) ?? "");
      return `the key ${quoted(key)} ${inner(issue.issues, key)}`;
    }
    case "invalid_element":
      return `has an element that ${inner(issue.issues, undefined)}`;
    default:
      return "is not valid";
  }
}

/** Issues about one value (a key, an element), as one phrase. */
function inner(issues: readonly Issue[], value: unknown): string {
  const said = issues.flatMap((i) => plain(i, value, []));
  return said.length === 0 ? "is not valid" : said.map((i) => i.message).join(" and ");
}

const SIZED: Record<string, [string, string]> = {
  string: ["character", "characters"],
  array: ["item", "items"],
  set: ["item", "items"],
  map: ["entry", "entries"],
  file: ["byte", "bytes"],
};

/** A bound, inclusive or not, of a number or a size; zod calls a bound exclusive unless told. */
function bound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, side: "small" | "big"): string {
  const n =
    side === "small"
      ? (issue as z.core.$ZodIssueTooSmall).minimum
      : (issue as z.core.$ZodIssueTooBig).maximum;
  const units = SIZED[issue.origin];
  if (!units) {
    if (issue.exact) return `must be exactly ${n}`;
    if (side === "small") return issue.inclusive ? `must be at least ${n}` : `must be greater than ${n}`;
    return issue.inclusive ? `must be at most ${n}` : `must be less than ${n}`;
  }
  if (issue.origin === "string" && side === "small" && issue.inclusive && !issue.exact && n === 1)
    return "must not be empty";
  const count = (k: number | bigint) => `${k} ${units[Number(k) === 1 ? 0 : 1]}`;
  const how = issue.exact
    ? `exactly ${count(n)}`
    : side === "small"
      ? issue.inclusive
        ? `at least ${count(n)}`
        : `more than ${count(n)}`
      : issue.inclusive
        ? `at most ${count(n)}`
        : `fewer than ${count(n)}`;
  return issue.origin === "string" ? `must be ${how} long` : `must have ${how}`;
}

/**
 * A union nothing matched. Worded, in this order: by the types it takes when the value is of
 * none of them; by every value of the key that tells its forms apart; by the form the value
 * came closest to (its problems at their own paths); by every form's problems.
 */
function unionIssues(issue: z.core.$ZodIssueInvalidUnion, value: unknown, path: Path): InputIssue[] {
  if (issue.inclusive === false) return [{ path, message: "matches more than one of its forms" }];
  const options = optionsOf(issue);
  if (options !== undefined) {
    // A discriminated union: the path is the discriminating key's already.
    const allowed = oneOf(options);
    return [
      { path, message: value === undefined ? `is required and must be ${allowed}` : `must be ${allowed}` },
    ];
  }
  const forms = issue.errors;
  if (forms.length === 0) return [{ path, message: "is not valid" }];
  if (value === undefined) return [{ path, message: "is required" }];
  const types = forms.map((f) =>
    f.length === 1 && f[0]!.code === "invalid_type" && f[0]!.path.length === 0 ? f[0]!.expected : undefined,
  );
  if (types.every((t) => t !== undefined)) {
    const names = [...new Set(types.map((t) => typeName(t!)))];
    return [{ path, message: `must be ${names.join(" or ")} (got ${received(value)})` }];
  }
  const tags = forms.map(tagOf);
  const key = tags[0]?.key;
  if (key !== undefined && tags.every((t) => t?.key === key)) {
    const values = [...new Set(tags.flatMap((t) => t!.values))];
    const at = valueAt(value, [key]);
    const allowed = oneOf(values);
    return [
      {
        path: [...path, key],
        message: at === undefined ? `is required and must be ${allowed}` : `must be ${allowed}`,
      },
    ];
  }
  const distances = forms.map((f) => f.reduce((sum, i) => sum + distance(i, value), 0));
  const nearest = Math.min(...distances);
  if (distances.filter((d) => d === nearest).length === 1)
    return forms[distances.indexOf(nearest)]!.flatMap((i) => plain(i, value, path));
  const said = forms.map((f) =>
    f
      .flatMap((i) =>
        i.code === "unrecognized_keys"
          ? i.keys.map((key) => `${formatPath([...i.path.map(String), key])} is not one of its fields`)
          : plain(i, value, []).map((p) =>
              p.path.length === 0 ? p.message : `${formatPath(p.path)} ${p.message}`,
            ),
      )
      .join(" and "),
  );
  return [{ path, message: `matches none of its forms: ${said.join("; or ")}` }];
}

/** The values a discriminated union takes at its key, when the issue is one's. */
function optionsOf(issue: z.core.$ZodIssueInvalidUnion): readonly unknown[] | undefined {
  const options = "options" in issue ? issue.options : undefined;
  return options !== undefined && options.length > 0 ? options : undefined;
}

/** The key a form is told apart by, and the values it takes there (a literal or an enum of them). */
function tagOf(form: readonly Issue[]): { key: string | number; values: readonly unknown[] } | undefined {
  for (const i of form) {
    if (i.path.length !== 1 || typeof i.path[0] === "symbol") continue;
    if (i.code === "invalid_value") return { key: i.path[0]!, values: i.values };
    const options = i.code === "invalid_union" ? optionsOf(i) : undefined;
    if (options !== undefined) return { key: i.path[0]!, values: options };
  }
  return undefined;
}

/**
 * How far a value is from a form, by one issue. Forms differ in their keys: a value of another
 * type is far; a key whose value tells another form apart is nearer; a missing or unknown key
 * nearer still; a bad value under a key the form has is in the form already.
 */
function distance(issue: Issue, value: unknown): number {
  const own = issue.path.length === 1;
  switch (issue.code) {
    case "invalid_type":
      if (issue.path.length === 0) return 10;
      return valueAt(
        value,
        issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
      ) === undefined
        ? 1
        : 0;
    case "invalid_union":
      return own && optionsOf(issue) !== undefined ? 3 : 0;
    case "unrecognized_keys":
      return issue.keys.length;
    case "invalid_value":
      return own ? 1 : 0;
    default:
      return 0;
  }
}

function typeName(expected: string): string {
  switch (expected) {
    case "string":
      return "text";
    case "number":
      return "a number";
    case "int":
    case "bigint":
      return "a whole number";
    case "boolean":
      return "true or false";
    case "object":
    case "record":
    case "map":
      return "an object";
    case "array":
    case "tuple":
    case "set":
      return "a list";
    case "date":
      return "a date";
    default:
      return expected;
  }
}

function oneOf(values: readonly unknown[]): string {
  const shownValues = values.map((v) => (typeof v === "string" ? quoted(v) : String(v)));
  return shownValues.length === 1 ? shownValues[0]! : `one of ${shownValues.join(", ")}`;
}

/** The value at a path of a parsed JSON value; own keys only, so "constructor" is no value. */
function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let at = root;
  for (const step of path) {
    if (typeof at !== "object" || at === null) return undefined;
    if (at instanceof Map) {
      at = at.get(step);
      continue;
    }
    if (!Object.hasOwn(at, step)) return undefined;
    at = (at as Record<string | number, unknown>)[step];
  }
  return at;
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
