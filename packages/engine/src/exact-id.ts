/**
 * Ids are matched exactly: "U09 " is not "U09". A space a spreadsheet cell or a pasted name
 * carries at its ends is unseen, so an id written with one is refused where it is declared
 * (a unit, a voter, a scheme's category), and a reference that misses only by such spaces or by
 * case says which id it most likely meant. Shared by the engine's modules, not part of the
 * package's API.
 */
import { closestField } from "./unknown-field.js";

/**
 * Whether a character code is one a spreadsheet cell or a pasted name carries at its ends
 * unseen: ASCII blanks and controls, no-break, typographic and ideographic (全角) spaces, BOM.
 */
export function isSpace(c: number): boolean {
  return c <= 32 || c === 0xa0 || (c >= 0x2000 && c <= 0x200b) || c === 0x3000 || c === 0xfeff;
}

/** Whether text starts or ends with such a space (two comparisons: cheap for every row). */
export function hasSpacesAround(text: string): boolean {
  return text.length > 0 && (isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(text.length - 1)));
}

/** The text without the spaces `isSpace` names at its ends (String#trim keeps U+200B and controls). */
export function withoutSpacesAround(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** `unit id "U09 " has spaces around it: a unit is one exact id`. */
export function spacedId(what: string, id: string): string {
  return `${what} id ${JSON.stringify(id)} has spaces around it: a ${what} is one exact id`;
}

/**
 * Known ids by their lower-case form without spaces around, made once per set of ids (a
 * dataset's 10,000 unit ids, for each of hundreds of rows that miss): null where two share one.
 * Made again when the set's size has changed since, or when asked (see `unknownId`).
 */
const folded = new WeakMap<ReadonlySet<string>, { size: number; ids: Map<string, string | null> }>();

function foldedIds(known: ReadonlySet<string>, again = false): Map<string, string | null> {
  const kept = folded.get(known);
  if (kept && kept.size === known.size && !again) return kept.ids;
  const ids = new Map<string, string | null>();
  for (const id of known) {
    const key = withoutSpacesAround(id).toLowerCase();
    ids.set(key, ids.has(key) && ids.get(key) !== id ? null : id);
  }
  folded.set(known, { size: known.size, ids });
  return ids;
}

/**
 * The known id an unknown one most likely means: the same without spaces around it, or the
 * same but for case. Undefined when none is, or when two are (which is not ours to guess).
 */
export function sameIdAs(id: unknown, known: ReadonlySet<string>): string | undefined {
  if (typeof id !== "string") return undefined;
  const trimmed = withoutSpacesAround(id);
  if (trimmed !== id && known.has(trimmed)) return trimmed;
  const key = trimmed.toLowerCase();
  const meant = foldedIds(known).get(key);
  // An id deleted and another added leave the size, and the kept map, as they were.
  if (meant == null || known.has(meant)) return meant ?? undefined;
  return foldedIds(known, true).get(key) ?? undefined;
}

/** Known categories or groups up to this many are listed when none is the one meant. */
const LISTED_KNOWN = 12;

/** A word one can misspell ("busines"), not a code ("g9", "G002") whose neighbours are other codes. */
const isWord = (id: unknown): id is string => typeof id === "string" && id.length >= 4 && !/\d/.test(id);

/**
 * `unknown unit "U09 "`, with `; did you mean "U09"?` where `sameIdAs` finds the id meant, or,
 * with `spelling` (a scheme's categories and groups: words, and few), where one is a slip of the
 * keyboard away ("busines"), as a misspelt field is told. Not for codes such as unit ids, where
 * "U99" is no slip for "U09", nor for a province's 10,000 of them.
 *
 * What it makes of `known` (its ids by lower case, without spaces around) is kept for the next
 * call with the same set, and made again when the set's size has changed since or when the id
 * it would name is no longer in the set: a hint names only an id the set holds now. One
 * changed without its size changing (an id deleted and another added) may still miss a hint
 * for the id added: pass a new set then.
 */
export function unknownId(what: string, id: unknown, known: ReadonlySet<string>, spelling = false): string {
  const meant = sameIdAs(id, known) ?? (spelling && isWord(id) ? closestField(id, [...known]) : undefined);
  // Quoted as JSON and cut: an id of a megabyte, or with quotes in it, is shown as what it is.
  const text = String(id);
  const unknown = `unknown ${what} ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`;
  if (meant !== undefined) return `${unknown}; did you mean "${meant}"?`;
  // A scheme's few categories or groups, listed: the one meant is among them.
  if (spelling && known.size === 0) return `${unknown} (there are none)`;
  return spelling && known.size <= LISTED_KNOWN ? `${unknown} (known: ${[...known].join(", ")})` : unknown;
}
