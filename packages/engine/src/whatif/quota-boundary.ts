import { quotaLimiter } from "../ranking/grade-quota.js";
import { add, div, mul, type Rational, ratio, sub, toExactString, toNumber } from "../rational.js";
import type { GradeRule, Scheme } from "../scheme/scheme-schema.js";
import type { Baseline } from "./baseline.js";
import type { PiecewiseLinear } from "./piecewise-linear.js";
import { mergeRankAndGrade, textValues } from "./segment-merge.js";
import type { ThresholdSweep } from "./threshold-sweep.js";
import type { RankSegment } from "./weight-sweep.js";

/**
 * Grades under the usual quota over all ranked units — "the best 25 of the city's units are
 * excellent", the first rule, filled from the top among the units it admits — found without
 * ordering every ranked unit at every crossing. Only the unit at the quota's boundary decides
 * who is in, and only units near it can change places with it: the range is cut into slabs,
 * and in each slab a unit whose total stays clearly above the boundary's is in throughout, one
 * clearly below it is out throughout, and the few left are walked exactly, with the places
 * the sure ones leave. A walk over every ranked unit meets each of the ~n² crossings of their
 * totals; this one meets those of the units near the boundary only: ~n^1.5 when totals spread,
 * but nearly n² again where they are bunched within a point of each other (every unit is near).
 */

/** The quota rule when grades can be found at its boundary alone, else null. */
export function boundaryQuotaRule(scheme: Scheme): GradeRule | null {
  const rules = scheme.grades.rules;
  const first = rules[0];
  if (!first?.quota || rules.some((r, k) => k > 0 && r.quota)) return null;
  // Thresholds or a line on the quota rule would let its admitted units change inside a slab.
  if (first.quota.from === "bottom" || first.minTotal !== undefined || first.belowTotal !== undefined)
    return null;
  return first;
}

/**
 * The quota rule when a sweep of this baseline grades at its boundary, else null: also not
 * when a veto places last a ranked unit the rule would admit, which the walk of every ranked
 * unit orders apart. A host pricing a sweep asks this too (sweepWalks).
 */
export function boundaryWalkRule(baseline: Baseline): GradeRule | null {
  const { scheme } = baseline.compiled;
  const rule = boundaryQuotaRule(scheme);
  if (!rule) return null;
  const ranked = new Set(scheme.groups.filter((g) => g.ranked).map((g) => g.id));
  for (const u of baseline.dataset.units) {
    const veto = baseline.adjustments.vetoes.get(u.id);
    if (!veto?.forceLast || !ranked.has(u.group)) continue;
    if (!rule.requiresExcellenceEligibility || !veto.reasons.some((r) => r.excellence)) return null;
  }
  return rule;
}

/** What the boundary walk reads about one ranked unit with a total. */
export interface BoundaryUnit {
  total: PiecewiseLinear;
  /** False when a veto withdraws its excellence eligibility. */
  eligible: boolean;
  /** Its totals at the range's ends where they are not its function's values (a skipped roll-up). */
  atFrom?: Rational | undefined;
  atTo?: Rational | undefined;
}

/**
 * Walks some units exactly over [a, b] with `places` places of the quota among them: each
 * unit's segments there, graded with the quota rule's id where it is in, null where it is out.
 * `first` and `last` say whether a or b is an end of the swept range.
 */
export type SlabWalk = (
  units: readonly number[],
  places: number,
  a: Rational,
  b: Rational,
  first: boolean,
  last: boolean,
) => RankSegment[][];

export interface BoundaryInput {
  rule: GradeRule;
  units: readonly BoundaryUnit[];
  from: Rational;
  to: Rational;
  walk: SlabWalk;
  thresholds: ThresholdSweep;
}

/** Each unit's grade over the range, as segments whose `grade` carries it (their ranks mean nothing). */
export function boundaryGrades(input: BoundaryInput): RankSegment[][] {
  const { rule, units, from, to } = input;
  // The quota rule, first and without thresholds, admits every unit it finds eligible.
  const admitted: number[] = [];
  units.forEach((u, i) => {
    if (u.eligible || !rule.requiresExcellenceEligibility) admitted.push(i);
  });
  const quota = rule.quota!;
  const places = quotaLimiter(quota)(quota.of === "admitted" ? admitted.length : units.length);
  const whole = (grade: string | null): RankSegment[] => [
    {
      from: toExactString(from),
      to: toExactString(to),
      includesFrom: true,
      includesTo: true,
      rank: 0,
      grade,
    },
  ];
  const membership: RankSegment[][] = units.map(() => whole(null));
  if (places >= admitted.length) for (const i of admitted) membership[i] = whole(rule.id);
  else if (places > 0) {
    // Each slab costs a pass over every admitted unit, and its walk the square of the units
    // near the boundary, fewer as slabs narrow: √n slabs balance the two (0.25 s at 3,600
    // units, where one slab per 8 or per 64 units each took twice as long, measured).
    const m = Math.max(1, Math.min(4096, Math.ceil(Math.sqrt(admitted.length))));
    for (const i of admitted) membership[i] = [];
    const span = sub(to, from);
    let a = from;
    for (let s = 0; s < m; s++) {
      const b = s === m - 1 ? to : add(from, div(mul(span, ratio(s + 1)), ratio(m)));
      slab(input, admitted, places, a, b, s === 0, s === m - 1, membership);
      a = b;
    }
  }
  const value = textValues();
  return units.map((u, i) => {
    const range = { from, to, totalAtFrom: u.atFrom, totalAtTo: u.atTo };
    const byThreshold = input.thresholds.segments(u.total, u.eligible, range);
    const threshold = byThreshold.map((t) => ({
      from: toExactString(t.from),
      to: toExactString(t.to),
      includesFrom: t.includesFrom,
      includesTo: t.includesTo,
      rank: 0,
      grade: t.grade,
    }));
    // Membership rides as the rank, the threshold grade as the grade: in the quota, the rule's.
    const inQuota = membership[i]!.map((s) => ({ ...s, rank: s.grade === null ? 0 : 1 }));
    return mergeRankAndGrade(inQuota, threshold, value).map((s) => ({
      ...s,
      rank: 0,
      grade: s.rank === 1 ? rule.id : s.grade,
    }));
  });
}

/**
 * One slab: each admitted unit's lowest and highest total there bound the boundary's total
 * (the `places`-th highest) from below and above; a unit whose lowest is above that bound is in
 * throughout and takes a place, one whose highest is below the other bound is out throughout.
 */
function slab(
  input: BoundaryInput,
  admitted: readonly number[],
  places: number,
  a: Rational,
  b: Rational,
  first: boolean,
  last: boolean,
  membership: RankSegment[][],
): void {
  const { units } = input;
  const n = admitted.length;
  const af = toNumber(a);
  const bf = toNumber(b);
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const u = units[admitted[j]!]!;
    const ps = u.total.pieces;
    // A piecewise-linear total is highest and lowest at the slab's ends or a kink inside it.
    let k = 0;
    while (k + 1 < ps.length && ps[k + 1]!.ff <= af) k++;
    let min = ps[k]!.af + ps[k]!.bf * af;
    let max = min;
    for (k++; k < ps.length && ps[k]!.ff < bf; k++) {
      const v = ps[k]!.af + ps[k]!.bf * ps[k]!.ff;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const end = ps[k - 1]!.af + ps[k - 1]!.bf * bf;
    if (end < min) min = end;
    if (end > max) max = end;
    // A skipped roll-up's totals at the range's ends.
    for (const skipped of [first ? u.atFrom : undefined, last ? u.atTo : undefined]) {
      if (!skipped) continue;
      const v = toNumber(skipped);
      if (v < min) min = v;
      if (v > max) max = v;
    }
    // Far wider than the doubles' error, so that "clearly above" is above exactly.
    lo[j] = min - 1e-9 * (1 + Math.abs(min));
    hi[j] = max + 1e-9 * (1 + Math.abs(max));
  }
  const floor = kthLargest(Float64Array.from(lo), places);
  const ceiling = kthLargest(Float64Array.from(hi), places);
  const near: number[] = [];
  let sure = 0;
  const aText = toExactString(a);
  const bText = toExactString(b);
  const whole = (i: number, grade: string | null) => {
    const list = membership[i]!;
    const last = list[list.length - 1];
    // Joined to the segment before, which holds this slab's start, when the grade is the same.
    if (last && last.grade === grade) {
      last.to = bText;
      last.includesTo = true;
    } else list.push({ from: aText, to: bText, includesFrom: first, includesTo: true, rank: 0, grade });
  };
  for (let j = 0; j < n; j++) {
    const i = admitted[j]!;
    if (lo[j]! > ceiling) {
      sure++;
      whole(i, input.rule.id);
    } else if (hi[j]! < floor) whole(i, null);
    else near.push(i);
  }
  // At most places − 1 units are above every unit's highest but places − 1 others, so a place is left.
  const walked = input.walk(near, places - sure, a, b, first, last);
  near.forEach((i, c) => {
    const segments = walked[c]!;
    // The slab's start was the previous slab's end, where this unit's state is already said.
    const start = first ? 0 : segments[0]!.from === segments[0]!.to ? 1 : 0;
    for (let k = start; k < segments.length; k++) {
      const s = segments[k]!;
      append(membership[i]!, k === 0 && !first ? { ...s, includesFrom: false } : s);
    }
  });
}

/** Adds a segment, joined to the one before when the grade is the same. */
function append(list: RankSegment[], s: RankSegment): void {
  const last = list[list.length - 1];
  if (last && last.grade === s.grade && last.to === s.from && (last.includesTo || s.includesFrom)) {
    last.to = s.to;
    last.includesTo = s.includesTo;
  } else list.push({ ...s });
}

/** The k-th largest value (k from 1), by selection: the array is reordered. */
function kthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const want = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else return values[want]!;
  }
  return values[want]!;
}
