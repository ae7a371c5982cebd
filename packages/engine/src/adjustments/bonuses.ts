import type { BonusEvent } from "../dataset/dataset.js";
import { add, cmp, parseDecimal, type Rational, toExactString, ZERO } from "../rational.js";
import type { BonusType } from "../scheme/scheme-schema.js";

export interface BonusLine {
  record: string;
  type: string;
  level: string;
  amount: Rational;
  /**
   * False when the event did not count: under `count: "highest"`, another award of its type
   * counted instead, worth more or (the smaller record id) as much.
   */
  counted: boolean;
  /** For a line not counted, the award of its type that counted instead. */
  countedInstead?: { record: string; level: string; amount: Rational };
}

export interface UnitBonuses {
  lines: BonusLine[];
  /** After per-type caps and the scheme's overall cap. */
  total: Rational;
  /** Explanations of caps that cut the sum, e.g. "commendation capped at 5". */
  capped: string[];
}

/**
 * Bonus points (加分) per unit. "highest": only the highest-level award of a type counts
 * (ties: the smallest record id, so the choice is reproducible). Per-type caps apply
 * first, then the scheme's overall cap, which is also part of the scheme's maximum.
 */
export function bonusesByUnit(
  types: readonly BonusType[],
  overallCap: Rational,
  events: readonly BonusEvent[],
): Map<string, UnitBonuses> {
  const typeById = new Map(types.map((t) => [t.id, t]));
  const byUnit = new Map<string, BonusEvent[]>();
  for (const e of events) {
    const list = byUnit.get(e.unit);
    if (list) list.push(e);
    else byUnit.set(e.unit, [e]);
  }
  const out = new Map<string, UnitBonuses>();
  for (const [unit, list] of byUnit) {
    list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const lines: BonusLine[] = [];
    const capped: string[] = [];
    let total = ZERO;
    const byType = new Map<string, BonusEvent[]>();
    for (const e of list) {
      const typed = byType.get(e.type);
      if (typed) typed.push(e);
      else byType.set(e.type, [e]);
    }
    for (const typeId of [...byType.keys()].sort()) {
      const type = typeById.get(typeId);
      if (!type) continue;
      const typed = byType.get(typeId)!.map((e) => ({ e, amount: parseDecimal(type.levels[e.level] ?? 0) }));
      let best = typed[0]!;
      for (const t of typed) if (cmp(t.amount, best.amount) > 0) best = t;
      let sum = ZERO;
      for (const t of typed) {
        const counted = type.count === "sum" || t === best;
        if (counted) sum = add(sum, t.amount);
        const line: BonusLine = { record: t.e.id, type: typeId, level: t.e.level, amount: t.amount, counted };
        if (!counted) line.countedInstead = { record: best.e.id, level: best.e.level, amount: best.amount };
        lines.push(line);
      }
      if (type.cap !== undefined && cmp(sum, parseDecimal(type.cap)) > 0) {
        capped.push(`${type.name} capped at ${toExactString(parseDecimal(type.cap))}`);
        sum = parseDecimal(type.cap);
      }
      total = add(total, sum);
    }
    if (cmp(total, overallCap) > 0) {
      capped.push(`bonuses capped at ${toExactString(overallCap)}`);
      total = overallCap;
    }
    out.set(unit, { lines, total, capped });
  }
  return out;
}
