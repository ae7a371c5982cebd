import { quotaLimiter } from "../ranking/grade-quota.js";
import { add, div, mul, type Rational, ratio, sub, toExactString, toNumber } from "../rational.js";
import type { GradeRule, Scheme } from "../scheme/scheme-schema.js";
import type { Baseline } from "./baseline.js";
import { dominanceCounts } from "./dominance-count.js";
import { lowerBound, upperBound } from "./lower-bound.js";
import type { PiecewiseLinear } from "./piecewise-linear.js";
import { mergeRankAndGrade, textValues } from "./segment-merge.js";
import type { ThresholdSweep } from "./threshold-sweep.js";
import type { RankSegment } from "./weight-sweep.js";

/**
 * Grades under the usual quota over all ranked units — "the best 25 of the city's units are
 * excellent", the first rule, filled from the top among the units it admits — found without
 * ordering every ranked unit at every crossing. Only the unit at the quota's boundary decides
 * who is in, and only units near it can change places with it: the range is cut into slabs,
 * and in each slab a unit that fewer than the quota's places can reach is in throughout, one
 * that as many stay above is out throughout, and the few left are walked exactly, with the
 * places the sure ones leave. A walk over every ranked unit meets each of the ~n² crossings of
 * their totals; this one meets those of the units near the boundary only. Units whose totals
 * are bunched but keep their order are settled too (who can reach whom comes from the order of
 * the totals at a slab's ends, not from how close they are); where many units cross near the
 * boundary in many slabs, so that walking them would order more pairs than the walk of every
 * unit, that walk is made instead: never more than it, and usually far less.
 */

/** The quota rule when grades can be found at its boundary alone, else null. */
export function boundaryQuotaRule(scheme: Scheme): GradeRule | null {
  const rules = scheme.grades.rules;
  const first = rules[0];
  if (!first?.quota || rules.some((r, k) => k > 0 && r.quota)) return null;
  // Thresholds or a line on the quota rule would let its admitted units change inside a slab.
  if (first.quota.from === "bottom" || first.minTotal !== undefined || first.belowTotal !== undefined)
    return null;
  // Where last place bars excellence, each group's last moves with the points, and with it who
  // the quota admits, or the grade a later rule gives (the walk reads vetoes' eligibility only).
  if (scheme.ranking.lastLosesExcellence && rules.some((r) => r.requiresExcellenceEligibility)) return null;
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

/** Where the quota's boundary is followed: the admitted units, their places and each slab's plan. */
export interface BoundaryPlan {
  /** The units the quota rule admits (indices into the units). */
  admitted: number[];
  /** The quota's places among them. */
  places: number;
  /** The slabs in order, when some but not all admitted units are in (else none). */
  slabs: SlabPlan[];
  /** Σ over slabs of the square of the units walked there: the pairs the walks order. */
  pairs: number;
}

/** Which units are in, out or near the boundary in each slab, before any walk. */
export function planBoundary(input: Omit<BoundaryInput, "walk" | "thresholds">): BoundaryPlan {
  const { rule, units, from, to } = input;
  // The quota rule, first and without thresholds, admits every unit it finds eligible.
  const admitted: number[] = [];
  units.forEach((u, i) => {
    if (u.eligible || !rule.requiresExcellenceEligibility) admitted.push(i);
  });
  const quota = rule.quota!;
  const places = quotaLimiter(quota)(quota.of === "admitted" ? admitted.length : units.length);
  const slabs: SlabPlan[] = [];
  let pairs = 0;
  if (places > 0 && places < admitted.length) {
    // Each slab costs sorts and passes over every admitted unit, and its walk the square of the
    // units near the boundary, fewer as slabs narrow. Few are near once who can reach whom is
    // counted: on a province (9,000 ranked units) 95 slabs walked 16,000 pairs and 20 slabs
    // 108,000, both a fraction of the 1.5 s the 95 slabs' sorts took; ∛n slabs, measured.
    const m = Math.max(1, Math.min(4096, Math.ceil(Math.cbrt(admitted.length))));
    const span = sub(to, from);
    let order: Int32Array = Int32Array.from(admitted, (_, j) => j);
    let a = from;
    for (let s = 0; s < m; s++) {
      const b = s === m - 1 ? to : add(from, div(mul(span, ratio(s + 1)), ratio(m)));
      const plan = planSlab(units, admitted, places, a, b, s === 0, s === m - 1, order);
      order = plan.order;
      pairs += plan.near.length * plan.near.length;
      slabs.push(plan);
      a = b;
    }
  }
  return { admitted, places, slabs, pairs };
}

/**
 * Each unit's grade over the range, as segments whose `grade` carries it (their ranks mean
 * nothing); null when the units near the boundary are so many that the walk of every ranked
 * unit would order fewer pairs, which the caller then makes.
 */
export function boundaryGrades(input: BoundaryInput): RankSegment[][] | null {
  const { rule, units, from, to } = input;
  const { admitted, places, slabs, pairs } = planBoundary(input);
  // Where the units near the boundary are many in many slabs (totals bunched and crossing
  // near it), walking them slab by slab would order more pairs than the walk of every unit.
  if (pairs > units.length * units.length) return null;
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
    for (const i of admitted) membership[i] = [];
    for (const plan of slabs) walkSlab(input, admitted, plan, membership);
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

/** What one slab's walk needs: who is in or out throughout, who is near the boundary. */
export interface SlabPlan {
  a: Rational;
  b: Rational;
  first: boolean;
  last: boolean;
  /** Per admitted unit (by its place in `admitted`): IN or OUT throughout, or NEAR. */
  state: Uint8Array;
  /** The units near the boundary (indices into the units), walked exactly. */
  near: number[];
  /** The quota's places left to them. */
  places: number;
  /** The admitted units (by place) in the order of their totals at b, for the next slab. */
  order: Int32Array;
}

export const OUT = 0;
export const IN = 1;
export const NEAR = 2;

/** Far wider than the doubles' error, so that "clearly above" is above exactly. */
const margin = (v: number) => 1e-9 * (1 + Math.abs(v));

/**
 * One slab: a unit is in throughout when fewer than `places` others can reach its total
 * anywhere in the slab, and out throughout when `places` others stay above it all along. Both
 * hold under either `ties`: fewer than `places` reaching a unit means it fits in the places with
 * every unit tied with it (and every tie above it fits too), so "exclude" leaves it in; `places`
 * above it leave it none. The near ones are walked with the rule's `ties` and the places the
 * sure ones leave, which decides them as the walk of every unit does (quota-boundary-ties.test.ts). A
 * unit whose total is a line there can be reached by another line only if it is reached at
 * one of the slab's ends, so those counts come from the totals at the ends (dominanceCounts);
 * a unit with a kink inside the slab (or a skipped roll-up's total at a range's end) is
 * counted by its lowest and highest total there instead, which only ever counts more
 * units as reaching it and fewer as above it.
 */
function planSlab(
  units: readonly BoundaryUnit[],
  admitted: readonly number[],
  places: number,
  a: Rational,
  b: Rational,
  first: boolean,
  last: boolean,
  order: Int32Array,
): SlabPlan {
  const n = admitted.length;
  const af = toNumber(a);
  const bf = toNumber(b);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  const line = new Uint8Array(n);
  let kinked = 0;
  for (let j = 0; j < n; j++) {
    const u = units[admitted[j]!]!;
    const ps = u.total.pieces;
    // A piecewise-linear total is highest and lowest at the slab's ends or a kink inside it.
    let k = 0;
    while (k + 1 < ps.length && ps[k + 1]!.ff <= af) k++;
    const at = ps[k]!.af + ps[k]!.bf * af;
    let min = at;
    let max = at;
    let straight = true;
    for (k++; k < ps.length && ps[k]!.ff < bf; k++) {
      const v = ps[k]!.af + ps[k]!.bf * ps[k]!.ff;
      if (v < min) min = v;
      if (v > max) max = v;
      straight = false;
    }
    const atEnd = ps[k - 1]!.af + ps[k - 1]!.bf * bf;
    if (atEnd < min) min = atEnd;
    if (atEnd > max) max = atEnd;
    // A skipped roll-up's totals at the range's ends.
    for (const skipped of [first ? u.atFrom : undefined, last ? u.atTo : undefined]) {
      if (!skipped) continue;
      const v = toNumber(skipped);
      if (v < min) min = v;
      if (v > max) max = v;
      straight = false;
    }
    start[j] = at;
    end[j] = atEnd;
    lo[j] = min - margin(min);
    hi[j] = max + margin(max);
    line[j] = straight ? 1 : 0;
    if (!straight) kinked++;
  }
  const counts = dominanceCounts({ start, end, included: line, margin }, order);
  const lines = n - kinked;
  // Every unit's lowest and highest, sorted, for the kinked units' counts; the kinked units'
  // alone, for a line's count of them. Neither is read where no unit is kinked (most slabs).
  const none = new Float64Array(0);
  const los = kinked > 0 ? Float64Array.from(lo).sort() : none;
  const his = kinked > 0 ? Float64Array.from(hi).sort() : none;
  const kinkedLo = kinked > 0 ? lo.filter((_, j) => !line[j]).sort() : none;
  const kinkedHi = kinked > 0 ? hi.filter((_, j) => !line[j]).sort() : none;
  const state = new Uint8Array(n);
  const near: number[] = [];
  let sure = 0;
  for (let j = 0; j < n; j++) {
    let reaching: number;
    let above: number;
    if (line[j]) {
      const least = Math.min(start[j]!, end[j]!);
      const most = Math.max(start[j]!, end[j]!);
      // Lines not below it at both ends reach it somewhere; so may a kinked unit whose highest
      // is not below its lowest.
      reaching = lines - 1 - counts.belowBoth[j]! + kinked - lowerBound(kinkedHi, least - margin(least));
      above = counts.aboveBoth[j]! + kinked - upperBound(kinkedLo, most + margin(most));
    } else {
      // Every other unit whose highest is not below its lowest (its own is not: minus one).
      reaching = n - lowerBound(his, lo[j]!) - 1;
      above = n - upperBound(los, hi[j]!);
    }
    if (reaching < places) {
      state[j] = IN;
      sure++;
    } else if (above >= places) state[j] = OUT;
    else {
      state[j] = NEAR;
      near.push(admitted[j]!);
    }
  }
  return { a, b, first, last, state, near, places: places - sure, order: counts.byEnd };
}

/** Grades one slab: the sure ones whole, the near ones by an exact walk with the places left. */
function walkSlab(
  input: BoundaryInput,
  admitted: readonly number[],
  plan: SlabPlan,
  membership: RankSegment[][],
): void {
  const { a, b, first, last, state, near, places } = plan;
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
  admitted.forEach((i, j) => {
    if (state[j] !== NEAR) whole(i, state[j] === IN ? input.rule.id : null);
  });
  if (near.length === 0) return;
  // Every place taken by units in throughout: the near ones are out throughout.
  if (places === 0) {
    for (const i of near) whole(i, null);
    return;
  }
  const walked = input.walk(near, places, a, b, first, last);
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
