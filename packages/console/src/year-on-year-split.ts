import { ApiError } from "./api";
import type { SchemeChange } from "./rules-api";
import type { WhatIfUnit } from "./whatif-api";
import type { CycleSide } from "./year-on-year-api";

/** The two halves of a year's change, each a comparison of two sides (docs/what-if.md). */
export interface SplitSides {
  /** The records' half: `before` as published → `after`'s records under `before`'s rules. */
  data: { before: CycleSide; after: CycleSide };
  /** The rules' half: that middle → `after` as published. */
  rules: { before: CycleSide; after: CycleSide };
}

/** The data-first split of the change from cycle `before` to cycle `after`. */
export function splitSides(before: string, after: string): SplitSides {
  const middle: CycleSide = { cycleId: after, rulesOf: before };
  return {
    data: { before: { cycleId: before }, after: middle },
    rules: { before: middle, after: { cycleId: after } },
  };
}

/**
 * Whether a half's failure says again what the comparison whole's says (the records' half refused
 * for the units the whole was refused for): the same code, of the same fields, or without issues
 * the same message. The issues' words are not compared: each names its own sides ("cycle '2043'
 * under the rules of cycle '2040' (after) against …"), which is all that differs.
 */
export function repeatsError(half: Error | null, whole: Error | null): boolean {
  if (!half || !whole) return false;
  if (!(half instanceof ApiError && whole instanceof ApiError)) return half.message === whole.message;
  if (half.code !== whole.code) return false;
  if (half.issues.length === 0 && whole.issues.length === 0) return half.message === whole.message;
  const fields = (e: ApiError) => JSON.stringify(e.issues.map((i) => i.path));
  return fields(half) === fields(whole);
}

/** One unit's change split: each half's total change (exact, null without a total in the middle) and its rank there. */
export interface UnitHalves {
  data: { totalDelta: string | null; rank: number | null };
  rules: { totalDelta: string | null };
}

/** Each unit's halves, by unit id, from the rows of each half's comparison. */
export function halvesByUnit(
  data: readonly WhatIfUnit[],
  rules: readonly WhatIfUnit[],
): Map<string, UnitHalves> {
  const ruleRows = new Map(rules.map((u) => [u.unitId, u]));
  const out = new Map<string, UnitHalves>();
  for (const d of data) {
    const r = ruleRows.get(d.unitId);
    out.set(d.unitId, {
      data: { totalDelta: d.totalDelta, rank: d.scenario.rank },
      rules: { totalDelta: r?.totalDelta ?? null },
    });
  }
  return out;
}

/** What `rulesKept` says stays in the records' half: per category, what of it (method, …); other paths whole. */
export interface KeptRules {
  categories: { id: string; aspects: string[] }[];
  others: string[];
}

const IN_CATEGORY = /^categories\[id=(.+?)\](?:\.([^.[]+))?/;
// The scheme's own id, name and description score nothing: kept, they move no unit.
const WORDS_ONLY = new Set(["id", "name", "description"]);

/** The rules the middle could not take back, grouped as a reader names them, in the gateway's order. */
export function keptRules(changes: readonly SchemeChange[]): KeptRules {
  const categories = new Map<string, Set<string>>();
  const others: string[] = [];
  for (const c of changes) {
    const [, id, aspect = ""] = IN_CATEGORY.exec(c.path) ?? [];
    // A category only the compared cycle has is REMOVED from its rules in the middle: given 0
    // points there (patchBetween), its whole weight is in the rules' half, not the records'.
    if (id !== undefined && aspect === "" && c.kind === "REMOVED") continue;
    // A directly assessed category's scale is how its records were written (26.94 of 30), not a
    // rule: the middle reads them on it, as it should (patchBetween never patches it).
    if (id !== undefined && c.path.endsWith("].method.outOf")) continue;
    if (id !== undefined) {
      const aspects = categories.get(id) ?? new Set<string>();
      // The whole category (only one scheme has it) is its own aspect, "".
      aspects.add(aspect);
      categories.set(id, aspects);
    } else if (!WORDS_ONLY.has(c.path) && !others.includes(c.path)) others.push(c.path);
  }
  return {
    categories: [...categories].map(([id, aspects]) => ({ id, aspects: [...aspects] })),
    others: others.filter((path) => !onlyMembersMoved(path, changes)),
  };
}

const ORDER = /^(.*)\[ids\]$/;

/**
 * Whether `path` is a list's order (`grades.rules[ids]`) changed only by members added or removed,
 * each its own line: the members both sides hold are in the same order, and "the order of the
 * grade rules" beside "the grade good" would tell of a reordering there was none of.
 */
function onlyMembersMoved(path: string, changes: readonly SchemeChange[]): boolean {
  const list = ORDER.exec(path)?.[1];
  const order = changes.find((c) => c.path === path);
  if (list === undefined || !Array.isArray(order?.before) || !Array.isArray(order.after)) return false;
  const before: unknown[] = order.before;
  const after: unknown[] = order.after;
  const kept = (ids: unknown[], other: unknown[]) => ids.filter((id) => other.includes(id));
  return (
    JSON.stringify(kept(before, after)) === JSON.stringify(kept(after, before)) &&
    changes.some((c) => c.path.startsWith(`${list}[id=`) && (c.kind === "ADDED" || c.kind === "REMOVED"))
  );
}
