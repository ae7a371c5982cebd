import { isObject } from "./json-object";
import type { NumberRule } from "./number-field";
import type { SchemeDocument } from "./whatif-api";

/**
 * A roll-up's knob: how much and how its sub-units count toward their parent, the parts of a
 * roll-up a scenario may change besides `parents` (a list, which no knob shows).
 */
export interface RollupKnob {
  /** The part of the parent's target that comes from the sub-units, as the scheme writes it (0.1 = 10%). */
  share: number;
  aggregation: string;
  missingSubUnit: string;
}

/** A roll-up's fields its knob shows and sets, as a scenario's patch names them. */
export const ROLLUP_KNOB_FIELDS = [
  "share",
  "aggregation",
  "missingSubUnit",
] as const satisfies readonly (keyof RollupKnob)[];

/** The engine's choices; the first of each is the default a scheme that says none gets. */
export const ROLLUP_AGGREGATIONS = ["mean", "median"] as const;
export const MISSING_SUB_UNITS = ["renormalize", "zero", "insufficient"] as const;

/** A share the engine takes: a part of the parent's target, from none of it to all of it. */
export const SHARE_RULE: NumberRule = { min: 0, max: 1 };

/** The roll-ups' knobs at the scheme's own values; undefined for a scheme without roll-ups. */
export function nominalRollups(scheme: SchemeDocument): Record<string, RollupKnob> | undefined {
  const rollups = scheme.rollups ?? [];
  if (rollups.length === 0) return undefined;
  return Object.fromEntries(
    rollups.map((r) => [
      r.id,
      {
        share: Number(r.share),
        aggregation: r.aggregation ?? ROLLUP_AGGREGATIONS[0],
        missingSubUnit: r.missingSubUnit ?? MISSING_SUB_UNITS[0],
      },
    ]),
  );
}

/** A roll-up's path in a patch. */
export const rollupPath = (id: string) => ["rollups", id];

/** A saved share the knob can show: a number, or a decimal written as text, 0 to 1. */
export function shareValue(v: unknown): number | undefined {
  if ((typeof v !== "number" && typeof v !== "string") || String(v).trim() === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= (SHARE_RULE.min ?? 0) && n <= (SHARE_RULE.max ?? 1) ? n : undefined;
}

/**
 * Whether the knob can show a saved roll-up patch: an object whose share, aggregation and
 * missingSubUnit, where it gives them, are ones the engine takes. Its `parents` (and anything
 * else) stay the scenario's, named among what the knobs do not show.
 */
export function rollupShown(saved: unknown): boolean {
  if (saved === undefined) return true;
  if (!isObject(saved)) return false;
  const known = (v: unknown, list: readonly string[]) => v === undefined || list.includes(v as string);
  return (
    (saved.share === undefined || shareValue(saved.share) !== undefined) &&
    known(saved.aggregation, ROLLUP_AGGREGATIONS) &&
    known(saved.missingSubUnit, MISSING_SUB_UNITS)
  );
}

/** The knob a saved roll-up patch sets: `nominal` with what the patch changes; null when it cannot show it. */
export function rollupFromPatch(saved: unknown, nominal: RollupKnob): RollupKnob | null {
  if (!rollupShown(saved)) return null;
  if (!isObject(saved)) return { ...nominal };
  return {
    share: shareValue(saved.share) ?? nominal.share,
    aggregation: typeof saved.aggregation === "string" ? saved.aggregation : nominal.aggregation,
    missingSubUnit: typeof saved.missingSubUnit === "string" ? saved.missingSubUnit : nominal.missingSubUnit,
  };
}

/** A kept knob (sessionStorage) read back: only one the engine takes, else undefined. */
export function keptRollup(v: unknown): RollupKnob | undefined {
  // All three given, of the knob's types; rollupShown then holds the share to 0..1 and the choices to the engine's.
  if (
    !isObject(v) ||
    typeof v.share !== "number" ||
    typeof v.aggregation !== "string" ||
    typeof v.missingSubUnit !== "string" ||
    !rollupShown(v)
  )
    return undefined;
  return { share: v.share, aggregation: v.aggregation, missingSubUnit: v.missingSubUnit };
}
