import { admitsTotal, linesOf } from "../ranking/grades.js";
import { add, cmp, div, type Rational, sub } from "../rational.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import { type PiecewiseLinear, valueAt } from "./piecewise-linear.js";

/**
 * A stretch of the swept range where a unit's grade stays the same, saying whether it holds at
 * each end; a grade held at one point only (a total touching a threshold) is a segment of its own.
 */
export interface ThresholdSegment {
  from: Rational;
  to: Rational;
  includesFrom: boolean;
  includesTo: boolean;
  grade: string | null;
}

/** Grades by threshold for units outside the ranking, read from the scheme once per sweep. */
export interface ThresholdSweep {
  /** The grade a unit's (unrounded) total gets: threshold rules only, then the fallback. */
  gradeAt(total: Rational, eligible: boolean): string | null;
  /** The unit's grade over the range, cut where its total crosses a threshold or line. */
  segments(total: PiecewiseLinear, eligible: boolean, range: ThresholdRange): ThresholdSegment[];
}

export interface ThresholdRange {
  from: Rational;
  to: Rational;
  /** The total at `from` (or `to`) where it is not the function's value there (a skipped roll-up). */
  totalAtFrom?: Rational | undefined;
  totalAtTo?: Rational | undefined;
}

/**
 * A unit outside the ranking (a group with `ranked: false`) is graded by thresholds alone,
 * as the evaluation grades it: the first rule without a quota that admits its total (lines
 * and eligibility as `assignGrades` reads them), else the fallback. Its grade can change
 * only where its total crosses one of those levels; the crossings, exact, cut the range
 * into segments, and neighbouring segments with the same grade are one.
 */
export function thresholdSweep(grades: Scheme["grades"]): ThresholdSweep {
  const rules = grades.rules.filter((r) => !r.quota).map((rule) => ({ rule, line: linesOf(rule) }));
  const levels: Rational[] = [];
  for (const { line } of rules) {
    if (line.min !== undefined) levels.push(line.min);
    if (line.below !== undefined) levels.push(line.below);
  }
  const fallback = grades.fallback?.id ?? null;
  const gradeAt = (total: Rational, eligible: boolean): string | null => {
    for (const { rule, line } of rules) if (admitsTotal(rule, line, total, eligible)) return rule.id;
    return fallback;
  };
  const segments = (total: PiecewiseLinear, eligible: boolean, range: ThresholdRange) => {
    const { from, to } = range;
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
    // Each cut and each stretch between cuts in turn: at a cut the total meets a level, and
    // "at or above" can give the cut a grade of its own (a total touching a threshold).
    const out: ThresholdSegment[] = [];
    const extend = (a: Rational, b: Rational, grade: string | null, onPoint: boolean) => {
      const last = out[out.length - 1];
      if (last && last.grade === grade) {
        last.to = b;
        last.includesTo = onPoint;
      } else out.push({ from: a, to: b, includesFrom: onPoint, includesTo: onPoint, grade });
    };
    for (let i = 0; i < points.length; i++) {
      const a = points[i]!;
      const end = i === 0 ? range.totalAtFrom : i === points.length - 1 ? range.totalAtTo : undefined;
      extend(a, a, gradeAt(end ?? valueAt(total, a), eligible), true);
      const b = points[i + 1];
      if (b) extend(a, b, gradeAt(valueAt(total, div(add(a, b), { n: 2n, d: 1n })), eligible), false);
    }
    return out;
  };
  return { gradeAt, segments };
}
