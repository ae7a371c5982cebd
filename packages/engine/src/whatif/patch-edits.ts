import { DECIMAL_KEYS, sameDecimal } from "../scheme/scheme-changes.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import { sameMembers, unorderedListAt } from "../scheme/unordered-lists.js";
import { PATCHED_LISTS } from "./apply-scenario.js";

/** One edit of a scenario patch: where, and the value it writes there (`null` removes). */
export interface Edit {
  path: readonly string[];
  value: unknown;
}

/**
 * Every edit that takes `from`'s rules towards `to`'s, one per value, in path order (so the
 * documents' order cannot matter). A value `from` lacks, or an object whose `type` changes, is
 * written leaf by leaf: a leaf that only repeats a default (a quota's `scope: "group"`, which a
 * compiled scheme writes out) can then be dropped like any idle edit, so that a document and its
 * compiled form give one patch.
 */
export function patchEdits(from: Scheme, to: Scheme): Edit[] {
  const out: Edit[] = [];
  for (const { key, fields, of } of PATCHED_LISTS) {
    const mine = new Map(of(from).map((x) => [x.id, x as unknown as Record<string, unknown>]));
    for (const theirs of of(to) as readonly Record<string, unknown>[]) {
      const id = theirs.id as string;
      const own = mine.get(id);
      if (!own) continue;
      for (const field of fields) {
        let [a, b] = [ownValue(own, field), ownValue(theirs, field)];
        if (field === "method") {
          // A method's kind cannot change: its parameters are another method's.
          if ((a as { kind: string }).kind !== (b as { kind: string }).kind) continue;
          [a, b] = [withoutScale(a), withoutScale(b)];
        }
        differences(a, b, [...key, id, field], DECIMAL_KEYS.has(field), out);
      }
    }
  }
  out.push(...weightless(from, to));
  for (const k of ["tieBreakers", "lastLosesAward", "lastLosesExcellence"] as const)
    differences(from.ranking[k], to.ranking[k], ["ranking", k], false, out);
  for (const k of ["decimals", "mode", "stages"] as const)
    differences(from.rounding[k], to.rounding[k], ["rounding", k], false, out);
  differences(from.bonusCap, to.bonusCap, ["bonusCap"], true, out);
  return out.sort((x, y) => comparePaths(x.path, y.path));
}

/**
 * A category only `from` has weighs nothing under `to`'s rules: 0 points, so that its weight
 * moves with the rules (a year-on-year split's rule half) rather than stay with the records, and
 * the patched maximum is `to`'s. No patch removes it; its records are still scored, at 0 points,
 * and the category itself is kept. Edits that only say this are never idle (`zeroesAbsent`), though
 * schemeChanges, which lists the category whole, reads the same without them.
 */
function weightless(from: Scheme, to: Scheme): Edit[] {
  const theirs = new Set(to.categories.map((c) => c.id));
  return from.categories
    .filter((c) => !theirs.has(c.id) && !sameDecimal(c.points, 0))
    .map((c) => ({ path: ["categories", c.id, "points"], value: 0 }));
}

/** Whether an edit gives 0 points to a category only `from` has (`weightless`). */
export function zeroesAbsent(edit: Edit, to: Scheme): boolean {
  const [list, id, field] = edit.path;
  return (
    list === "categories" &&
    field === "points" &&
    edit.path.length === 3 &&
    edit.value === 0 &&
    !to.categories.some((c) => c.id === id)
  );
}

/**
 * Paths in code-unit order, key by key: the same order in every locale, and two distinct paths
 * never tie (a collator ignores some characters), so the patch's key order is the paths'.
 */
export function comparePaths(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

/**
 * The patch the edits write, plain JSON sharing nothing with the values given. Keys are defined,
 * not assigned: an id such as `__proto__` or `constructor` is then a key like any other, where
 * `at[id] ??= {}` would read or write what every object inherits.
 */
export function patchOf(edits: readonly Edit[]): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const { path, value } of edits) {
    let at = patch;
    for (const k of path.slice(0, -1)) {
      if (!Object.hasOwn(at, k)) define(at, k, {});
      at = at[k] as Record<string, unknown>;
    }
    define(
      at,
      path.at(-1)!,
      typeof value === "object" && value !== null ? JSON.parse(JSON.stringify(value)) : value,
    );
  }
  return patch;
}

function define(o: Record<string, unknown>, k: string, value: unknown): void {
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
}

/** A key's value only where the object has it itself: an id may be named like what objects inherit. */
function ownValue(o: Record<string, unknown>, k: string): unknown {
  return Object.hasOwn(o, k) ? o[k] : undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A direct method without its scale: see patchBetween on `outOf`. */
function withoutScale(method: unknown): unknown {
  if (!isObject(method) || method.kind !== "direct") return method;
  const { outOf: _, ...rest } = method;
  return rest;
}

/**
 * The edits that make `a` into `b`, merged as applyScenario merges a patch: objects key by key,
 * arrays and scalars replaced (not a list whose order is never read, with the same members in
 * another order, which schemeChanges reads as no change), an object whose `type` changes replaced
 * whole, `null` removing.
 */
function differences(a: unknown, b: unknown, path: string[], decimal: boolean, out: Edit[]): void {
  if (b === undefined || b === null) {
    // `null` in a patch removes a key, so a null `to` has (a survey option not scored) cannot be
    // written by one where `from` has a value: that difference is kept.
    if (b === undefined && a !== undefined) out.push({ path, value: null });
    return;
  }
  if (a === undefined || a === null) return void leaves(b, path, out);
  if (isObject(a) && isObject(b)) {
    if (Object.hasOwn(b, "type") && b.type !== ownValue(a, "type")) return void leaves(b, path, out);
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys)
      differences(ownValue(a, k), ownValue(b, k), [...path, k], decimal || DECIMAL_KEYS.has(k), out);
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b) || (decimal && sameDecimal(a, b))) return;
  const unordered = Array.isArray(a) && Array.isArray(b) && unorderedListAt(shapeOf(path));
  if (unordered && sameMembers(unordered, a, b)) return;
  out.push({ path, value: b });
}

/** A patch path's keys with `*` for the id of a patched list's entry, as unorderedListAt takes them. */
function shapeOf(path: readonly string[]): string[] {
  const list = PATCHED_LISTS.find(
    ({ key }) => path.length > key.length && key.every((k, i) => path[i] === k),
  );
  return list ? path.map((k, i) => (i === list.key.length ? "*" : k)) : [...path];
}

/** A value written whole, as one edit per leaf; a `null` in it has nothing to remove (applyScenario). */
function leaves(b: unknown, path: string[], out: Edit[]): void {
  if (!isObject(b) || Object.keys(b).length === 0) return void out.push({ path, value: b });
  for (const k of Object.keys(b)) if (b[k] !== null && b[k] !== undefined) leaves(b[k], [...path, k], out);
}
