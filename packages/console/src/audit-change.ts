import { isLarge, type RecordField, recordFields } from "./audit-record";
import { isObject } from "./json-object";

/** A field's value, or its count in a large record, without its path; undefined: the field is not there. */
export type FieldValue = { value: unknown } | { items: number } | { fields: number };

/** One field whose value differs between the record before and after. */
export interface FieldChange {
  path: string;
  before: FieldValue | undefined;
  after: FieldValue | undefined;
}

/**
 * What an audit entry changed, as its History row opens to: of an update, the fields that
 * differ; of a record made, or deleted, the record. `counted`: the record is large, and its long
 * lists are counted rather than shown (audit-record.ts).
 */
export type AuditChange =
  | { kind: "update"; counted: boolean; changed: FieldChange[]; unchanged: number }
  | { kind: "create" | "delete"; counted: boolean; fields: RecordField[] }
  | { kind: "none" };

const withoutPath = (f: RecordField): FieldValue => {
  const { path: _path, ...rest } = f;
  return rest;
};

/**
 * Told by what the entry holds rather than its action: a move, a publication, a withdrawal, a
 * finalisation and a rectification keep the record before and after (an update), an import or a
 * copy of units only what it made, a delete only what was deleted.
 */
export function auditChange(entry: { before: unknown; after: unknown }): AuditChange {
  const { before, after } = entry;
  const has = (v: unknown) => v !== null && v !== undefined;
  // Both sides alike: a list counted on one side is compared with its count on the other.
  const counted = (has(before) && isLarge(before)) || (has(after) && isLarge(after));
  if (has(before) && has(after)) return { kind: "update", counted, ...changedFields(before, after, counted) };
  if (has(after)) return { kind: "create", counted, fields: recordFields(after, counted) };
  if (has(before)) return { kind: "delete", counted, fields: recordFields(before, counted) };
  return { kind: "none" };
}

/**
 * The fields whose values differ, in the order the record before has them, then those only the
 * record after has; and how many are the same on both sides.
 */
export function changedFields(
  before: unknown,
  after: unknown,
  counted: boolean,
): { changed: FieldChange[]; unchanged: number } {
  const was = new Map(recordFields(before, counted).map((f) => [f.path, withoutPath(f)]));
  const is = new Map(recordFields(after, counted).map((f) => [f.path, withoutPath(f)]));
  // A field that was null and is an object now (a version withdrawn: who, when, why) is one
  // change, null to the object: not the null "removed" and each of the object's fields "added".
  for (const { path, side, value } of filledOrEmptied(before, after)) {
    const whole = side === "after" ? is : was;
    for (const p of [...whole.keys()]) if (p.startsWith(`${path}.`)) whole.delete(p);
    whole.set(path, { value });
  }
  const changed: FieldChange[] = [];
  let unchanged = 0;
  for (const path of new Set([...was.keys(), ...is.keys()])) {
    const b = was.get(path);
    const a = is.get(path);
    if (b !== undefined && a !== undefined && JSON.stringify(b) === JSON.stringify(a)) unchanged++;
    else changed.push({ path, before: b, after: a });
  }
  return { changed, unchanged };
}

const isFilledObject = (v: unknown): v is Record<string, unknown> => isObject(v) && Object.keys(v).length > 0;

/**
 * The fields null on one side and an object on the other, named by their path as recordFields
 * names them, with the object and the side it is on.
 */
function filledOrEmptied(
  before: unknown,
  after: unknown,
): { path: string; side: "before" | "after"; value: Record<string, unknown> }[] {
  const found: { path: string; side: "before" | "after"; value: Record<string, unknown> }[] = [];
  const walk = (b: unknown, a: unknown, path: string) => {
    if (isFilledObject(b) && isFilledObject(a)) {
      for (const key of new Set([...Object.keys(b), ...Object.keys(a)]))
        walk(b[key], a[key], path ? `${path}.${key}` : key);
    } else if (b === null && isFilledObject(a)) found.push({ path, side: "after", value: a });
    else if (a === null && isFilledObject(b)) found.push({ path, side: "before", value: b });
  };
  walk(before, after, "");
  return found;
}
