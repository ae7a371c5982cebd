import type { ExactEvaluation } from "../evaluation/compose.js";
import { ZERO } from "../rational.js";
import { type Frac, frac } from "./frac.js";

/**
 * What a scenario compares for one unit: its official values and standing. Both the
 * baseline and every scenario are reduced to this, whichever way they were computed.
 */
export interface Standing {
  unit: string;
  name: string;
  group: string;
  /** Final category points, in scheme category order; null when insufficient. */
  points: (Frac | null)[];
  /** Bonus added to the total, after caps. */
  bonus: Frac;
  /** Deductions taken from the total (not from a category), after caps. */
  totalDeducted: Frac;
  total: Frac | null;
  rank: number | null;
  rankedInGroup: number;
  grade: string | null;
  excellence: boolean;
  award: boolean;
  forcedLast: boolean;
}

/** Reduces an exact evaluation (from `compose`) to standings, in dataset unit order. */
export function standingsFromExact(exact: ExactEvaluation): Standing[] {
  const ids = exact.compiled.scheme.categories.map((c) => c.id);
  return exact.units.map((u) => {
    const byId = new Map(u.categories.map((c) => [c.category, c.points]));
    return {
      unit: u.unit.id,
      name: u.unit.name,
      group: u.unit.group,
      points: ids.map((id) => {
        const p = byId.get(id);
        return p == null ? null : frac(p);
      }),
      bonus: frac(u.bonusTotal ?? ZERO),
      totalDeducted: frac(u.totalDeducted ?? ZERO),
      total: u.total === null ? null : frac(u.total),
      rank: u.rank,
      rankedInGroup: u.rankedInGroup,
      grade: u.grade?.grade.id ?? null,
      excellence: u.eligibleForExcellence,
      award: u.eligibleForAward,
      forcedLast: u.forcedLast,
    };
  });
}
