import { InputError, type InputIssue, received } from "../../input-error.js";

// What mathjs reads as a name: its first character, then any of these or a digit.
const NAME_START = "A-Za-z_$\\u00C0-\\u02AF\\u0370-\\u03FF\\u2100-\\u214F";
const NAME_RUN = `[${NAME_START}][0-9${NAME_START}]*`;
const IDENTIFIER = new RegExp(`^${NAME_RUN}$`);
// The runs of a name mathjs would read as names of their own: "public" and "eval" of "public-eval".
const IDENTIFIER_PART = new RegExp(NAME_RUN, "g");
const RESERVED = new Set([
  "and",
  "or",
  "not",
  "xor",
  "mod",
  "to",
  "in",
  "true",
  "false",
  "null",
  "undefined",
  "NaN",
  "Infinity",
]);

/** Whether a name can be written in an expression as it stands (no hyphen, space, CJK, …). */
export function isFormulaName(name: string): boolean {
  return IDENTIFIER.test(name) && !RESERVED.has(name);
}

/** Whether the expression syntax reads `name` as one of its own words (true, NaN, and, mod, …). */
export function isReservedWord(name: string): boolean {
  return RESERVED.has(name);
}

/** Declared names as the compiler looks them up. */
export interface NameList {
  readonly all: ReadonlySet<string>;
  /** Those an expression can hold, in declared order: the ones a refusal lists. */
  readonly writable: readonly string[];
  /** Each part of a name that cannot be written ("eval" of "public-eval") → the first such name. */
  readonly unwritableByPart: ReadonlyMap<string, string>;
  /** Names that cannot be written, by their first character, to find them in the text. */
  readonly unwritableByFirst: ReadonlyMap<string, readonly string[]>;
}

// A scheme's category ids are one list for all its formulas: indexed once, not per formula, nor
// per unknown name (250 of them against 50,000 names once took seconds and a 100 MB answer).
// Only a frozen list is kept: another could change under the index between two calls.
const lists = new WeakMap<readonly string[], NameList>();

/**
 * The index of `names`: built once per frozen list, else on each call. An entry that is no
 * text is the caller's slip, refused here, where the entries are read anyway, so that a
 * scheme's long list of ids is not checked again for each of its formulas.
 *
 * @throws InputError of subject "argument", path `names.<field>[i]`, for an entry that is not text.
 */
export function nameList(names: readonly string[], field: "inputs" | "categories"): NameList {
  let list = lists.get(names);
  if (list) return list;
  const writable: string[] = [];
  const unwritableByPart = new Map<string, string>();
  const unwritableByFirst = new Map<string, string[]>();
  const issues: InputIssue[] = [];
  for (const [i, name] of names.entries()) {
    if (typeof name !== "string") {
      issues.push({ path: ["names", field, i], message: `expected a name; got ${received(name)}` });
      continue;
    }
    if (isFormulaName(name)) {
      writable.push(name);
      continue;
    }
    for (const [part] of name.matchAll(IDENTIFIER_PART))
      if (!unwritableByPart.has(part)) unwritableByPart.set(part, name);
    const first = name.charAt(0);
    const same = unwritableByFirst.get(first);
    if (same) same.push(name);
    else if (first !== "") unwritableByFirst.set(first, [name]);
  }
  if (issues.length > 0) throw new InputError("argument", issues);
  list = { all: new Set(names), writable, unwritableByPart, unwritableByFirst };
  if (Object.isFrozen(names)) lists.set(names, list);
  return list;
}

const NAME_CHARACTER = /[\p{L}\p{N}_$]/u;

/**
 * The declared names that cannot be written and yet stand in `text` as whole words (not inside a
 * longer one: "业务" in "业务工作" is not it), each with its first 1-based position. mathjs stops at
 * a Chinese id with a bare "syntax error"; the name is what the administrator can act on.
 */
export function unwritableIn(text: string, lists: readonly NameList[]): { name: string; position: number }[] {
  const found = new Map<string, number>();
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "#") {
      // A comment runs to the end of its line and may hold any text.
      const end = text.indexOf("\n", i);
      if (end < 0) break;
      i = end;
      continue;
    }
    if (i > 0 && NAME_CHARACTER.test(text[i - 1]!)) continue;
    for (const list of lists)
      for (const name of list.unwritableByFirst.get(text[i]!) ?? []) {
        if (found.has(name) || !text.startsWith(name, i)) continue;
        const after = text[i + name.length];
        if (after === undefined || !NAME_CHARACTER.test(after)) found.set(name, i + 1);
      }
  }
  return [...found].map(([name, position]) => ({ name, position }));
}
