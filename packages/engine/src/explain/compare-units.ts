import type { Evaluation } from "../evaluation/evaluate.js";
import { InputError } from "../input-error.js";
import { cmp, parseDecimal, sub, toExactString, ZERO } from "../rational.js";
import { checkEvaluationArgument } from "./evaluation-argument.js";

export interface CategoryDifference {
  category: string;
  name: string;
  a: string | null;
  b: string | null;
  /** a − b, exact; null when either is insufficient. */
  difference: string | null;
}

/** One side of a comparison: the unit, its published total and its rank. */
export interface ComparedUnit {
  unit: string;
  name: string;
  total: string | null;
  rank: number | null;
}

export interface UnitComparison {
  a: ComparedUnit;
  b: ComparedUnit;
  /** a − b of the totals. */
  totalDifference: string | null;
  categories: CategoryDifference[];
  /** Bonuses minus deductions on the total, after caps and as far as the floor at zero took them, a − b. */
  adjustmentDifference: string;
  /**
   * What the categories and `adjustmentDifference` leave of `totalDifference`: sub-unit
   * roll-ups into the total, rounding (the floor at zero is in what the deductions took). Null
   * when either has no total.
   */
  otherDifference: string | null;
  /** One sentence a reader can repeat: where A gains and where it loses against B. */
  summary: string;
}

/**
 * "Why is A above B": the total difference split by category, largest first in the
 * summary, plus what bonuses and deductions on the total contributed.
 */
export function compareUnits(evaluation: Evaluation, unitA: string, unitB: string): UnitComparison {
  // From JavaScript or a store anything may come; a TypeError would read as the engine's bug.
  checkEvaluationArgument(evaluation);
  const a = evaluation.units.find((u) => u.unit === unitA);
  const b = evaluation.units.find((u) => u.unit === unitB);
  const issues = [];
  if (!a) issues.push({ path: ["unitA"], message: `unknown unit "${unitA}"` });
  if (!b) issues.push({ path: ["unitB"], message: `unknown unit "${unitB}"` });
  // The evaluation was valid: the ids are what was asked of it.
  if (!a || !b) throw new InputError("argument", issues);

  const categories = a.categories.map((ca) => {
    const cb = b.categories.find((c) => c.category === ca.category);
    const diff =
      ca.points !== null && cb?.points != null ? sub(parseDecimal(ca.points), parseDecimal(cb.points)) : null;
    return {
      category: ca.category,
      name: ca.name,
      a: ca.points,
      b: cb?.points ?? null,
      difference: diff === null ? null : toExactString(diff),
    };
  });
  // What the caps let through, not the sum of the lines: two +3 awards under a cap of 2 count 2.
  const totalAdjustment = (u: typeof a) => sub(parseDecimal(u.bonus), parseDecimal(u.deducted));
  const adjustment = sub(totalAdjustment(a), totalAdjustment(b));
  const totalDifference =
    a.total !== null && b.total !== null ? sub(parseDecimal(a.total), parseDecimal(b.total)) : null;
  // The parts named must add up to the difference stated: a parent 4 below a peer with the
  // same categories only because of its sub-units would otherwise be given no reason at all.
  const other =
    totalDifference === null
      ? null
      : categories.reduce(
          (rest, c) => (c.difference === null ? rest : sub(rest, parseDecimal(c.difference))),
          sub(totalDifference, adjustment),
        );

  const ranked = categories
    .filter((c) => c.difference !== null && c.difference !== "0")
    .sort((x, y) => cmp(abs(parseDecimal(y.difference!)), abs(parseDecimal(x.difference!))));
  const phrase = (c: CategoryDifference) =>
    `${c.name} ${c.difference!.startsWith("-") ? "" : "+"}${c.difference}`;
  const gains = ranked.filter((c) => !c.difference!.startsWith("-")).map(phrase);
  const losses = ranked.filter((c) => c.difference!.startsWith("-")).map(phrase);
  let summary: string;
  if (totalDifference === null) summary = `${a.name} and ${b.name} cannot be compared: one has no total`;
  else {
    const verb =
      cmp(totalDifference, ZERO) > 0 ? "above" : cmp(totalDifference, ZERO) < 0 ? "below" : "level with";
    // "below by 4", not "below by -4": the verb carries the sign.
    summary =
      `${a.name} is ${verb} ${b.name} by ${toExactString(abs(totalDifference))}` +
      (gains.length ? `; ahead on ${gains.join(", ")}` : "") +
      (losses.length ? `; behind on ${losses.join(", ")}` : "") +
      (adjustment.n !== 0n ? `; bonuses and deductions on the total ${toExactString(adjustment)}` : "") +
      (other !== null && other.n !== 0n
        ? `; roll-ups into the total and rounding ${toExactString(other)}`
        : "");
  }
  return {
    a: { unit: a.unit, name: a.name, total: a.total, rank: a.rank },
    b: { unit: b.unit, name: b.name, total: b.total, rank: b.rank },
    totalDifference: totalDifference === null ? null : toExactString(totalDifference),
    categories,
    adjustmentDifference: toExactString(adjustment),
    otherDifference: other === null ? null : toExactString(other),
    summary,
  };
}

function abs(r: ReturnType<typeof parseDecimal>) {
  return r.n < 0n ? { n: -r.n, d: r.d } : r;
}
