import type { VetoEvent } from "../dataset/dataset.js";
import type { VetoType } from "../scheme/scheme-schema.js";

/** Why a unit cannot be excellent or receive an award; kept with the record it came from. */
export interface EligibilityReason {
  kind: "veto" | "last-ranked" | "insufficient";
  /** The veto event id, when a veto caused it. */
  record?: string;
  /**
   * For an earlier year's veto, how many years before (ids are unique only within one year's
   * register, so the record id alone may name two events).
   */
  yearsAgo?: number;
  type?: string;
  excellence: boolean;
  award: boolean;
  text: string;
}

export interface UnitVetoes {
  reasons: EligibilityReason[];
  forceLast: boolean;
}

/**
 * One-vote vetoes (一票否决): an eligibility gate with a reason, never a zero score, so the
 * unit's real total stays visible beside the veto.
 */
export function vetoesByUnit(
  types: readonly VetoType[],
  events: readonly VetoEvent[],
): Map<string, UnitVetoes> {
  const typeById = new Map(types.map((t) => [t.id, t]));
  // Ids repeat across years' registers: the year decides between two events of one id, so the
  // order of input rows never changes the reasons' order.
  const sorted = [...events].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : (a.yearsAgo ?? 0) - (b.yearsAgo ?? 0),
  );
  const out = new Map<string, UnitVetoes>();
  for (const e of sorted) {
    const type = typeById.get(e.type);
    const yearsAgo = e.yearsAgo ?? 0;
    // An earlier year's veto of a type this year's rules drop, or whose term has run, no longer bars.
    if (!type || yearsAgo >= type.yearsInForce) continue;
    const effects = yearsAgo > 0 && type.inLaterYears ? { ...type, ...defined(type.inLaterYears) } : type;
    // A later year's veto that no longer does anything is not a reason to print.
    if (yearsAgo > 0 && !effects.forceLast && !effects.ineligibleForExcellence && !effects.ineligibleForAward)
      continue;
    let unit = out.get(e.unit);
    if (!unit) {
      unit = { reasons: [], forceLast: false };
      out.set(e.unit, unit);
    }
    unit.forceLast ||= effects.forceLast;
    unit.reasons.push({
      kind: "veto",
      record: e.id,
      ...(yearsAgo > 0 ? { yearsAgo } : {}),
      type: e.type,
      excellence: effects.ineligibleForExcellence,
      award: effects.ineligibleForAward,
      text: `${type.name}${yearsAgo === 0 ? "" : yearsAgo === 1 ? " (previous year)" : ` (${yearsAgo} years earlier)`}: ${e.reason}`,
    });
  }
  return out;
}

/** The keys given a value: a later year's effect left out (or undefined) is the incident year's. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
