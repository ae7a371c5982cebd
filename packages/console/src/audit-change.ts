import {
  type FieldValue,
  fieldOrKeys,
  fieldPath,
  isLarge,
  type RecordField,
  recordFields,
} from "./audit-record";
import { isObject } from "./json-object";

// A change's side is a field's value without its path (undefined: the field is not there).
export type { FieldValue };

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
 * record after has; and how many are the same on both sides. Both records are walked together,
 * once: a field null on one side and an object on the other is seen where it is.
 */
export function changedFields(
  before: unknown,
  after: unknown,
  counted: boolean,
): { changed: FieldChange[]; unchanged: number } {
  const was = new Map<string, FieldValue>();
  const is = new Map<string, FieldValue>();
  /** A side's value at `path` as a field, or the keys to walk into; undefined where it has none. */
  const take = (side: Side, path: string, fields: Map<string, FieldValue>) => {
    if (side === undefined) return undefined;
    const taken = fieldOrKeys(side.value, counted);
    if ("keys" in taken) return taken.keys;
    fields.set(path, taken.field);
    return undefined;
  };
  const walk = (b: Side, a: Side, path: string) => {
    // A field that was null and is an object now (a version withdrawn: who, when, why) is one
    // change, null to the object: not the null "removed" and each of the object's fields "added".
    if (
      b &&
      a &&
      ((b.value === null && isFilledObject(a.value)) || (a.value === null && isFilledObject(b.value)))
    ) {
      was.set(path, { value: b.value });
      is.set(path, { value: a.value });
      return;
    }
    const bKeys = take(b, path, was);
    const aKeys = take(a, path, is);
    // Only into a side walked into: an object counted whole (`fields: n`) or a list is one field.
    for (const key of new Set([...(bKeys ?? []), ...(aKeys ?? [])]))
      walk(member(bKeys && b, key), member(aKeys && a, key), fieldPath(path, key));
  };
  walk({ value: before }, { value: after }, "");
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

/** One record's value at a path; undefined: the record has no field there. */
type Side = { value: unknown } | undefined;

/** The member `key` of an object walked into, if it has one. */
const member = (object: Side, key: string): Side =>
  object && Object.hasOwn(object.value as object, key)
    ? { value: (object.value as Record<string, unknown>)[key] }
    : undefined;

const isFilledObject = (v: unknown): v is Record<string, unknown> => isObject(v) && Object.keys(v).length > 0;
