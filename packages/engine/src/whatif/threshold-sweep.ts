import { add, cmp, div, parseDecimal, type Rational, sub } from "../rational.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import { type PiecewiseLinear, valueAt } from "./piecewise-linear.js";

/** A stretch of the swept range (open at both ends) where a unit's grade stays the same. */
export interface ThresholdSegment {
  from: Rational;
  to: Rational;
  grade: string | null;
}

/**
 * Grades of a unit outside the ranking (a group with `ranked: false`) as the swept points
 * move. Such a unit is graded by thresholds alone, as the evaluation grades it: the first
 * rule without a quota whose `minTotal` and `belowTotal` admit its total (and whose
 * eligibility it meets), else the fallback. Its grade can change only where its total
 * crosses one of those levels; the crossings, exact, cut the range into segments, and
 * neighbouring segments with the same grade are one.
 */
export function thresholdSegments(
  total: PiecewiseLinear,
  grades: Scheme["grades"],
  eligible: boolean,
  from: Rational,
  to: Rational,
): ThresholdSegment[] {
  const gradeAt = thresholdGrader(grades, eligible);
  const levels = thresholdLevels(grades);
  const cuts: Rational[] = [];
  total.pieces.forEach((p, k) => {
    if (p.b.n === 0n) return; // a flat piece crosses no level inside it
    const end = total.pieces[k + 1]?.from ?? total.to;
    for (const level of levels) {
      const x = div(sub(level, p.a), p.b);
      if (cmp(x, p.from) >= 0 && cmp(x, end) <= 0 && cmp(x, from) > 0 && cmp(x, to) < 0) cuts.push(x);
    }
  });
  cuts.sort(cmp);
  const points = [from, ...cuts.filter((x, i) => i === 0 || cmp(x, cuts[i - 1]!) !== 0), to];
  const out: ThresholdSegment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const grade = gradeAt(valueAt(total, div(add(a, b), { n: 2n, d: 1n })));
    const last = out[out.length - 1];
    if (last && last.grade === grade) last.to = b;
    else out.push({ from: a, to: b, grade });
  }
  return out;
}

/** The grade an unranked unit's (unrounded) total gets: threshold rules only, then the fallback. */
export function thresholdGrader(
  grades: Scheme["grades"],
  eligible: boolean,
): (total: Rational) => string | null {
  const rules = grades.rules
    .filter((r) => !r.quota && (eligible || !r.requiresExcellenceEligibility))
    .map((r) => ({
      id: r.id,
      min: r.minTotal === undefined ? null : parseDecimal(r.minTotal),
      below: r.belowTotal === undefined ? null : parseDecimal(r.belowTotal),
    }));
  const fallback = grades.fallback?.id ?? null;
  return (t) => {
    for (const r of rules)
      if ((r.min === null || cmp(t, r.min) >= 0) && (r.below === null || cmp(t, r.below) < 0)) return r.id;
    return fallback;
  };
}

function thresholdLevels(grades: Scheme["grades"]): Rational[] {
  const levels: Rational[] = [];
  for (const r of grades.rules) {
    if (r.quota) continue;
    if (r.minTotal !== undefined) levels.push(parseDecimal(r.minTotal));
    if (r.belowTotal !== undefined) levels.push(parseDecimal(r.belowTotal));
  }
  return levels;
}
