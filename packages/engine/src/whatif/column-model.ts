import type { Dataset } from "../dataset/dataset.js";
import type { MethodOutcomes } from "../evaluation/score-records.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import type { Hierarchy } from "./baseline-memo.js";
import type { AdjustedByUnit, Adjustments } from "./fast-stage-two.js";
import type { Frac } from "./frac.js";
import { idOrderOf } from "./rank-standings.js";

/**
 * What a weight-only scenario reads of a baseline, laid out once as typed columns: each
 * unit's share of every category's maximum, its deductions, bonus and vetoes in whole
 * 10^−decimals units, the roll-up hierarchy and the id order. Only category points vary
 * between such scenarios, so each one is a pass over these arrays (`columnStageTwo`).
 */
export interface ColumnModel {
  readonly dataset: Dataset;
  readonly outcomes: MethodOutcomes;
  readonly adjustments: Adjustments;
  readonly categoryIds: readonly string[];
  readonly decimals: number;
  /** The rounding the adjustments below were taken under (`roundingKey`). */
  readonly rounding: string;
  /** shares[k × units + i] as doubles (NaN: insufficient), and exactly for the rare close call. */
  readonly shares: Float64Array;
  readonly exactShares: readonly (readonly (Frac | null)[])[];
  /** Whole 10^−decimals units, as stage two applies them (rounded when the scheme says so). */
  readonly hits: Float64Array;
  readonly bonus: Float64Array;
  readonly totalDeducted: Float64Array;
  readonly forcedLast: Uint8Array;
  /** 1 when no veto bars the unit (before the missing-score rule). */
  readonly vetoExcellence: Uint8Array;
  readonly vetoAward: Uint8Array;
  /** Deepest units first, so sub-units are done before their parents. */
  readonly order: Int32Array;
  /** Children of unit i: childList[childStart[i] … childStart[i + 1]). */
  readonly childStart: Int32Array;
  readonly childList: Int32Array;
  readonly idOrder: Int32Array;
  /** The unit at each position of ascending id order (the inverse of `idOrder`). */
  readonly byIdOrder: Int32Array;
  /** Each unit's group as an index into `groupNames` (the distinct groups of the units). */
  readonly unitGroup: Int32Array;
  readonly groupNames: readonly string[];
}

/** Each unit's group as an index into the scheme's groups (−1 when the scheme does not list it). */
export function schemeGroupOf(model: ColumnModel, scheme: CompiledScheme["scheme"]): Int32Array {
  const index = new Map(scheme.groups.map((g, k) => [g.id, k]));
  const remap = Int32Array.from(model.groupNames, (g) => index.get(g) ?? -1);
  const out = new Int32Array(model.unitGroup.length);
  for (let i = 0; i < out.length; i++) out[i] = remap[model.unitGroup[i]!]!;
  return out;
}

/**
 * The baseline's columns; null when its adjustments are not whole 10^−decimals units (a
 * scheme that neither rounds adjustments nor uses decimal amounts), where scenarios keep
 * to the fraction path.
 */
export function columnModel(
  compiled: CompiledScheme,
  dataset: Dataset,
  outcomes: MethodOutcomes,
  shares: (categoryId: string) => readonly (Frac | null)[],
  hierarchy: Hierarchy,
  adjusted: AdjustedByUnit,
): ColumnModel | null {
  const { scheme } = compiled;
  const decimals = scheme.rounding.decimals;
  const scale = 10n ** BigInt(decimals);
  const units = dataset.units;
  const U = units.length;
  const C = scheme.categories.length;
  const whole = (f: Frac | null | undefined): number => {
    if (!f || f.n === 0n) return 0;
    if (f.d !== scale || f.n >= 1n << 50n || f.n <= -(1n << 50n)) return Number.NaN;
    return Number(f.n);
  };
  const shareF = new Float64Array(C * U);
  const hits = new Float64Array(C * U);
  const exactShares: (readonly (Frac | null)[])[] = [];
  for (let k = 0; k < C; k++) {
    const id = scheme.categories[k]!.id;
    const s = shares(id);
    exactShares.push(s);
    const h = adjusted.hits.get(id);
    for (let i = 0; i < U; i++) {
      const x = s[i];
      shareF[k * U + i] = x == null ? Number.NaN : x.f;
      hits[k * U + i] = whole(h?.[i]);
    }
  }
  const bonus = Float64Array.from(adjusted.bonus, whole);
  const totalDeducted = Float64Array.from(adjusted.totalDeducted, whole);
  if (hits.some(Number.isNaN) || bonus.some(Number.isNaN) || totalDeducted.some(Number.isNaN)) return null;
  const vetoes = adjusted.adjustments.vetoes;
  const idOrder = idOrderOf(units.map((u) => u.id));
  const byIdOrder = new Int32Array(U);
  for (let i = 0; i < U; i++) byIdOrder[idOrder[i]!] = i;
  const groupNames = [...new Set(units.map((u) => u.group))];
  const groupIndex = new Map(groupNames.map((g, k) => [g, k]));
  const childStart = new Int32Array(U + 1);
  for (let i = 0; i < U; i++) childStart[i + 1] = childStart[i]! + hierarchy.children[i]!.length;
  return {
    dataset,
    outcomes,
    adjustments: adjusted.adjustments,
    categoryIds: scheme.categories.map((c) => c.id),
    decimals,
    rounding: adjusted.rounding,
    shares: shareF,
    exactShares,
    hits,
    bonus,
    totalDeducted,
    forcedLast: Uint8Array.from(units, (u) => (vetoes.get(u.id)?.forceLast ? 1 : 0)),
    vetoExcellence: Uint8Array.from(units, (u) =>
      (vetoes.get(u.id)?.reasons ?? []).some((r) => r.excellence) ? 0 : 1,
    ),
    vetoAward: Uint8Array.from(units, (u) =>
      (vetoes.get(u.id)?.reasons ?? []).some((r) => r.award) ? 0 : 1,
    ),
    order: Int32Array.from(hierarchy.order),
    childStart,
    childList: Int32Array.from(hierarchy.children.flat()),
    idOrder,
    byIdOrder,
    unitGroup: Int32Array.from(units, (u) => groupIndex.get(u.group)!),
    groupNames,
  };
}
