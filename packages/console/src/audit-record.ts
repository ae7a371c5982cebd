import { isObject } from "./json-object";

/*
 * A record an audit entry keeps (its `before` or `after`) as the History page lists it: field by
 * field. A large one (every ballot of a vote deleted at once, 200,000 of them; a deleted cycle's
 * units) has its long lists counted instead of shown: the page offers the whole of it as a file.
 */

/** A field's value, or, in a large record, how many items or fields it holds. */
export type FieldValue = { value: unknown } | { items: number } | { fields: number };

/** One field of a record, named by its path. */
export type RecordField = { path: string } & FieldValue;

/** A record longer than this, as JSON, is large: its long lists and wide objects are counted. */
export const LARGE_CHARS = 20_000;
/** In a large record, a list written longer than this is counted rather than shown. */
const COUNTED_CHARS = 200;
/** In a large record, an object of more fields than this, written long, is counted too. */
const COUNTED_FIELDS = 50;

/** The length of a value written as JSON: what a record's size is measured by. */
export const jsonLength = (value: unknown): number => JSON.stringify(value)?.length ?? 0;

/**
 * Whether a value, written as JSON, is longer than `limit` characters: walked only until it is,
 * as writing a vote's 200,000 ballots out takes half a second each time it is asked.
 */
export function longerThan(value: unknown, limit: number): boolean {
  let left = limit;
  const walk = (v: unknown): boolean => {
    if (Array.isArray(v)) {
      left -= 1 + Math.max(v.length, 1);
      for (const item of v) if (left < 0 || walk(item)) return true;
    } else if (typeof v === "object" && v !== null) {
      const entries = Object.entries(v);
      left -= 1 + Math.max(entries.length, 1);
      for (const [key, item] of entries) {
        left -= key.length + 3;
        if (left < 0 || walk(item)) return true;
      }
    } else left -= typeof v === "string" ? JSON.stringify(v).length : String(v).length;
    return left < 0;
  };
  return walk(value);
}

export const isLarge = (record: unknown): boolean => longerThan(record, LARGE_CHARS);

/**
 * What a record's walk makes of one value: a field, or an object's keys to walk into, each a
 * field of its own (`tables.units`); a list is one field, its items together. `counted`: lists
 * and objects too long to show are counted instead.
 */
export function fieldOrKeys(value: unknown, counted: boolean): { field: FieldValue } | { keys: string[] } {
  const long = counted && longerThan(value, COUNTED_CHARS);
  if (Array.isArray(value) && long) return { field: { items: value.length } };
  if (isObject(value) && Object.keys(value).length > 0) {
    const keys = Object.keys(value);
    // A move's rows by table are walked, each a count; something keyed by id, by thousands, is not.
    return long && keys.length > COUNTED_FIELDS ? { field: { fields: keys.length } } : { keys };
  }
  return { field: { value } };
}

/** The path of a field of the object at `path`. */
export const fieldPath = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** A record's fields, nested objects' fields named by their path (fieldOrKeys). */
export function recordFields(record: unknown, counted: boolean): RecordField[] {
  const fields: RecordField[] = [];
  const walk = (value: unknown, path: string) => {
    const taken = fieldOrKeys(value, counted);
    if ("keys" in taken)
      for (const key of taken.keys) walk((value as Record<string, unknown>)[key], fieldPath(path, key));
    else fields.push({ path, ...taken.field });
  };
  walk(record, "");
  return fields;
}

/** How many characters of a value the page writes in a cell; the rest is in the whole record. */
export const SHOWN_CHARS = 300;

/**
 * A field's value as a cell shows it: text as it is, anything else as JSON, cut after
 * SHOWN_CHARS (`cut`: how many characters were left out). Null is `null`: the view words it.
 */
export function valueText(value: unknown): { text: string; cut: number } {
  const whole = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  if (whole.length <= SHOWN_CHARS) return { text: whole, cut: 0 };
  // Not between the two halves of a character outside the BMP (𠀀).
  const end = /[\uD800-\uDBFF]/.test(whole[SHOWN_CHARS - 1]!) ? SHOWN_CHARS - 1 : SHOWN_CHARS;
  return { text: whole.slice(0, end), cut: whole.length - end };
}

/** A size in characters as KB or MB (1,024 to a KB), for a record too large to show. */
export function sizeText(chars: number): string {
  if (chars < 1024 * 1024) return `${Math.max(1, Math.round(chars / 1024))} KB`;
  return `${(chars / 1024 / 1024).toFixed(1)} MB`;
}
