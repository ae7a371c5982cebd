import { cmp, parseExact, type Rational, toExactString } from "../rational.js";
import { holds } from "./stretch.js";
import type { RankSegment } from "./weight-sweep.js";

/**
 * A unit's segments with the rank of one walk and the grade of another, over the same range:
 * under a quota over all ranked units (scope "overall") a unit's rank comes from its group's
 * order and its grade from the order of every ranked unit. The result is the coarsest
 * partition finer than both: a new segment wherever either the rank or the grade changes,
 * and none where neither does.
 */
export function mergeRankAndGrade(
  rankSegments: readonly RankSegment[],
  gradeSegments: readonly RankSegment[],
): RankSegment[] {
  const a = rankSegments.map(parsed);
  const b = gradeSegments.map(parsed);
  // Every end of either partition; the pieces between are the points themselves and the open
  // stretches between neighbours, each inside exactly one segment of each partition.
  const ends = [...a, ...b].flatMap((s) => [s.from, s.to]).sort(cmp);
  const points = ends.filter((x, i) => i === 0 || cmp(x, ends[i - 1]!) !== 0);
  const out: RankSegment[] = [];
  let open: { from: Rational; includesFrom: boolean; to: Rational; includesTo: boolean; key: Key } | null =
    null;
  let i = 0;
  let j = 0;
  const piece = (from: Rational, to: Rational, isPoint: boolean) => {
    while (!contains(a[i]!, from, to, isPoint)) i++;
    while (!contains(b[j]!, from, to, isPoint)) j++;
    const key = { rank: a[i]!.rank, grade: b[j]!.grade };
    if (open && open.key.rank === key.rank && open.key.grade === key.grade) {
      open.to = to;
      open.includesTo = isPoint;
      return;
    }
    if (open) out.push(closed(open));
    open = { from, includesFrom: isPoint, to, includesTo: isPoint, key };
  };
  for (let k = 0; k < points.length; k++) {
    piece(points[k]!, points[k]!, true);
    if (k + 1 < points.length) piece(points[k]!, points[k + 1]!, false);
  }
  if (open) out.push(closed(open));
  return out;
}

type Key = { rank: number | null; grade: string | null };

interface Parsed {
  from: Rational;
  to: Rational;
  includesFrom: boolean;
  includesTo: boolean;
  rank: number | null;
  grade: string | null;
}

function parsed(s: RankSegment): Parsed {
  return { ...s, from: parseExact(s.from), to: parseExact(s.to) };
}

/** Whether a segment holds a piece: the point `from` (= `to`), or the open stretch between them. */
function contains(s: Parsed, from: Rational, to: Rational, isPoint: boolean): boolean {
  if (isPoint) return holds(s, from);
  return cmp(s.from, from) <= 0 && cmp(to, s.to) <= 0 && cmp(s.from, s.to) < 0;
}

function closed(o: {
  from: Rational;
  includesFrom: boolean;
  to: Rational;
  includesTo: boolean;
  key: Key;
}): RankSegment {
  return {
    from: toExactString(o.from),
    to: toExactString(o.to),
    includesFrom: o.includesFrom,
    includesTo: o.includesTo,
    rank: o.key.rank,
    grade: o.key.grade,
  };
}
