import { cmp, parseExact, type Rational } from "../rational.js";
import type { RankSegment } from "./weight-sweep.js";

/**
 * A unit's segments with the rank of one walk and the grade of another, over the same range:
 * under a quota over all ranked units (scope "overall") a unit's rank comes from its group's
 * order and its grade from the order of every ranked unit. The result is the coarsest
 * partition finer than both: a new segment wherever either the rank or the grade changes,
 * and none where neither does.
 *
 * Both partitions are walked once, side by side, end against end: a province's units have
 * ~20 rank segments each, and sorting every end of both exactly was most of a merge.
 */
export function mergeRankAndGrade(
  rankSegments: readonly RankSegment[],
  gradeSegments: readonly RankSegment[],
  value: (text: string) => Rational = textValues(),
): RankSegment[] {
  const out: RankSegment[] = [];
  // Which of two segments' ends comes first: −1 a's, 1 b's, 0 the same end.
  const firstEnd = (a: RankSegment, b: RankSegment) => {
    const c = a.to === b.to ? 0 : cmp(value(a.to), value(b.to));
    if (c !== 0) return c;
    // At one point, an end without it comes before an end with it.
    return a.includesTo === b.includesTo ? 0 : a.includesTo ? 1 : -1;
  };
  let i = 0;
  let j = 0;
  let from = rankSegments[0]!.from;
  let includesFrom = rankSegments[0]!.includesFrom;
  while (i < rankSegments.length && j < gradeSegments.length) {
    const a = rankSegments[i]!;
    const b = gradeSegments[j]!;
    const c = firstEnd(a, b);
    const end = c <= 0 ? a : b;
    const piece: RankSegment = {
      from,
      to: end.to,
      includesFrom,
      includesTo: end.includesTo,
      rank: a.rank,
      grade: b.grade,
    };
    const last = out[out.length - 1];
    if (last && last.rank === piece.rank && last.grade === piece.grade) {
      last.to = piece.to;
      last.includesTo = piece.includesTo;
    } else out.push(piece);
    // What follows an end: the same point when the end left it out, else just past it.
    from = end.to;
    includesFrom = !end.includesTo;
    if (c <= 0) i++;
    if (c >= 0) j++;
  }
  return out;
}

/**
 * Exact values of a sweep's texts, each parsed once: the units of one sweep share their
 * bounds' texts, and a merge or a look-up of the nominal point reads each many times.
 */
export function textValues(): (text: string) => Rational {
  const values = new Map<string, Rational>();
  return (text) => {
    let v = values.get(text);
    if (v === undefined) {
      v = parseExact(text);
      values.set(text, v);
    }
    return v;
  };
}
