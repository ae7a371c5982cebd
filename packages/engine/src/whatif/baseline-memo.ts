import type { Unit } from "../dataset/dataset.js";
import type { MethodOutcomes } from "../evaluation/score-records.js";
import type { MethodOutcome } from "../methods/scoring-method.js";
import { div } from "../rational.js";
import type { AdjustedByUnit } from "./fast-stage-two.js";
import { FRAC_ZERO, type Frac, frac } from "./frac.js";

/** Processing order (deepest units first, then by id) and children by index, as compose uses them. */
export interface Hierarchy {
  readonly order: readonly number[];
  readonly children: readonly (readonly number[])[];
}

/**
 * What stage two derives from a baseline's own units and outcomes and never changes:
 * computed once in `createBaseline` and reused by every scenario, sweep and sample that
 * keeps those units and outcome maps (matched by identity, so a re-read category or moved
 * units are always recomputed).
 */
export interface StageTwoMemo {
  readonly units: readonly Unit[];
  /** Shares (see `sharesOf`) by the baseline's outcome map of each category. */
  readonly shares: ReadonlyMap<Map<string, MethodOutcome>, readonly (Frac | null)[]>;
  readonly hierarchy: Hierarchy;
  /** The baseline's adjustments by unit index, under its rounding. */
  readonly adjusted?: AdjustedByUnit;
}

export function stageTwoMemo(units: readonly Unit[], outcomes: MethodOutcomes): StageTwoMemo {
  const shares = new Map<Map<string, MethodOutcome>, readonly (Frac | null)[]>();
  for (const results of outcomes.values()) shares.set(results, sharesOf(results, units));
  return { units, shares, hierarchy: hierarchyOf(units) };
}

/** The memo's shares when it holds them for these results and units; computed otherwise. */
export function memoShares(
  memo: StageTwoMemo | undefined,
  results: Map<string, MethodOutcome> | undefined,
  units: readonly Unit[],
): readonly (Frac | null)[] {
  const kept = results && memo?.units === units ? memo.shares.get(results) : undefined;
  return kept ?? sharesOf(results, units);
}

/**
 * 1 for each unit of `wanted` and every unit below it (children by index): all that those
 * units' totals read, since a roll-up reads a unit's sub-units and nothing else.
 */
export function withSubUnits(children: readonly ArrayLike<number>[], wanted: Iterable<number>): Uint8Array {
  const needed = new Uint8Array(children.length);
  const stack = [...wanted];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (needed[i] === 1) continue;
    needed[i] = 1;
    const kids = children[i]!;
    for (let c = 0; c < kids.length; c++) stack.push(kids[c]!);
  }
  return needed;
}

export function memoHierarchy(memo: StageTwoMemo | undefined, units: readonly Unit[]): Hierarchy {
  return memo?.units === units ? memo.hierarchy : hierarchyOf(units);
}

/** Each unit's method value as a share of the method's scale (null: insufficient), aligned with `units`. */
export function sharesOf(
  results: Map<string, MethodOutcome> | undefined,
  units: readonly Unit[],
): (Frac | null)[] {
  if (!results) return units.map(() => null);
  return units.map((u) => {
    const o = results.get(u.id);
    return o?.status === "scored" ? (o.scale.n === 0n ? FRAC_ZERO : frac(div(o.value, o.scale))) : null;
  });
}

export function hierarchyOf(units: readonly Unit[]): Hierarchy {
  const index = new Map(units.map((u, i) => [u.id, i]));
  const children: number[][] = units.map(() => []);
  units.forEach((u, i) => {
    const p = u.parent ? index.get(u.parent) : undefined;
    if (p !== undefined) children[p]!.push(i);
  });
  for (const list of children) list.sort((a, b) => (units[a]!.id < units[b]!.id ? -1 : 1));
  const depth = units.map((u) => {
    let d = 0;
    for (let p = u.parent; p && d <= units.length; p = units[index.get(p) ?? -1]?.parent) d++;
    return d;
  });
  const order = units
    .map((_, i) => i)
    .sort((a, b) => depth[b]! - depth[a]! || (units[a]!.id < units[b]!.id ? -1 : 1));
  return { order, children };
}
