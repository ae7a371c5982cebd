import type { EligibilityReason } from "../adjustments/vetoes.js";
import { cmp, type Rational, toExactString, ZERO } from "../rational.js";
import { withOptionsOf } from "./analysis-options.js";
import type { Baseline } from "./baseline.js";
import { checkBaselineArgument } from "./baseline-argument.js";
import { GroupSweep, type PointValues, type SweepUnits } from "./group-sweep.js";
import { linear, type PiecewiseLinear, restrict, valueAt } from "./piecewise-linear.js";
import { boundaryGrades, boundaryWalkRule } from "./quota-boundary.js";
import { mergeRankAndGrade, textValues } from "./segment-merge.js";
import { holds } from "./stretch.js";
import { Crossings } from "./sweep-crossings.js";
import type { SweepBounds } from "./sweep-events.js";
import { sweepFunctions } from "./sweep-functions.js";
import { sweepRange, type WeightSweepOptions } from "./sweep-options.js";
import {
  fromWalk,
  GroupSegments,
  growColumns,
  pointAt,
  segmentColumns,
  sweepRow,
  whenRead,
} from "./sweep-segments.js";
import { thresholdSweep } from "./threshold-sweep.js";
import type { OthersMode, RollupSkip } from "./unit-functions.js";

/** A stretch of the swept range, exact, saying whether it holds at each of its ends. */
export interface ExactInterval {
  from: string;
  to: string;
  /** Whether `from` itself belongs to the stretch. */
  includesFrom: boolean;
  /** Whether `to` itself belongs to the stretch. */
  includesTo: boolean;
}

/**
 * A stretch of the swept range where a unit's rank and grade stay the same. Every point of the
 * range lies in exactly one of a unit's segments: an end two segments share belongs to the one
 * that includes it. Where a rank or grade holds at a single point (units tied there, e.g. for
 * a quota's last place, or three units meeting), that point is a segment of its own, with
 * `from` equal to `to` and both ends included.
 */
export interface RankSegment extends ExactInterval {
  /** null for a unit of an unranked group, whose segments follow its threshold grade alone. */
  rank: number | null;
  grade: string | null;
}

export interface UnitSweep {
  unit: string;
  name: string;
  group: string;
  /**
   * Rank and grade as functions of the swept points. A unit of an unranked group has its
   * threshold grade's segments (rank null); a unit without a total has none.
   */
  segments: RankSegment[];
  /**
   * Exact points where the unit's rank or grade changes: the segments' inner ends, each once
   * (a single-point segment is both ends of its point).
   */
  breakpoints: string[];
  /** Rank and grade at the nominal points, under the sweep's (unrounded) convention. */
  nominal: { rank: number | null; grade: string | null } | null;
  /**
   * The interval around the nominal points where the nominal rank and grade hold (the segment
   * holding the nominal, ends included or not as there); null when the nominal lies outside the sweep.
   */
  stability: ExactInterval | null;
}

export interface WeightSweepResult {
  category: string;
  others: OthersMode;
  /** The category that gives the points under others "transfer"; null otherwise. */
  donor: string | null;
  from: string;
  to: string;
  /** The category's nominal points. */
  nominal: string;
  /** The groups swept, in the scheme's order; null when every group is. */
  groups: string[] | null;
  /**
   * Breakpoints are where exact, unrounded totals cross: the scheme's rounding stages are
   * left out, because rounded totals are step functions with ties on whole intervals.
   * Exactly at a breakpoint the units concerned tie (and share the better rank); the segments
   * say what each unit's rank and grade are there.
   */
  rounding: "unrounded";
  units: UnitSweep[];
}

/**
 * One-at-a-time weight sweep with exact breakpoints: each unit's total is an exact
 * piecewise-linear function of the category's points (kinks where a deduction or the total
 * floor reaches zero), pairwise crossings within a group are found with doubles and
 * confirmed in fractions, and ranks are updated crossing by crossing. Grades follow quotas
 * (group scope, from the top or the bottom), thresholds, lines and vetoes as the pipeline
 * applies them.
 *
 * @throws InputError of subject "argument" when `baseline` is not a baseline from
 * `createBaseline`, and of subject "scenario" (paths into `options`) for options it refuses: an
 * unknown category or group, a range outside what the category can take, a misspelt option.
 * @throws SweepNotLinearError when the scheme's structure would make totals not piecewise
 * linear in the swept points, or the sweep cannot grade them: `reason`
 * "formula-reads-moving-points", one of the three "rollup-…" reasons, or "mixed-quota-scopes".
 */
export function weightSweep(baseline: Baseline, options: WeightSweepOptions): WeightSweepResult {
  checkBaselineArgument(baseline);
  return withOptionsOf("weight sweep", () => sweepCategory(baseline, options));
}

function sweepCategory(baseline: Baseline, options: WeightSweepOptions): WeightSweepResult {
  const { compiled, dataset } = baseline;
  const { scheme } = compiled;
  const range = sweepRange(baseline, options);
  const { category, others, donor, from, to, nominal, groups, pooledGrades } = range;
  const swept = groups ? new Set(groups) : null;
  // The units swept, by index; every per-unit step below visits these only, so that a sweep
  // of one group of a province does not pay for the others (a roll-up may still read them).
  const selected: number[] = [];
  dataset.units.forEach((u, i) => {
    if (!swept || swept.has(u.group)) selected.push(i);
  });
  const fns = sweepFunctions(baseline, range, selected, false);
  const U = dataset.units.length;
  const forced: boolean[] = new Array(U).fill(false);
  const excellence: boolean[] = new Array(U).fill(true);
  const units: UnitSweep[] = new Array(U);
  dataset.units.forEach((u, i) => {
    if (!pooledGrades && swept && !swept.has(u.group)) return;
    const veto = baseline.adjustments.vetoes.get(u.id);
    if (!veto) return;
    forced[i] = veto.forceLast;
    excellence[i] = !veto.reasons.some(withdrawsExcellence);
  });
  for (const i of selected) {
    const u = dataset.units[i]!;
    units[i] = sweepRow(u.id, u.name, u.group);
  }
  const ranked = new Map(scheme.groups.map((g) => [g.id, g.ranked]));
  const sweepUnits: SweepUnits = {
    ...fns,
    forced,
    excellence,
    ids: dataset.units.map((u) => u.id),
    // Where last place bars excellence, a walk of every ranked unit (an overall quota's) takes
    // each group's last apart; read nowhere else, so not made otherwise.
    ...(scheme.ranking.lastLosesExcellence ? { groups: dataset.units.map((u) => u.group) } : {}),
  };
  // Where a roll-up reads a category worth 0 points at an end, the evaluation skips it there.
  const skipAt = (x: Rational) => fns.skips.find((k) => cmp(k.x, x) === 0) ?? null;
  const ends = { from: skippedValues(skipAt(from), from, to), to: skippedValues(skipAt(to), from, to) };
  const endAt = (x: Rational) => (cmp(x, from) === 0 ? ends.from : cmp(x, to) === 0 ? ends.to : null);
  /** Unit i's total where the evaluation skips a roll-up at x, when x is such an end. */
  const endTotal = (x: Rational, i: number) => endAt(x)?.get(i)?.total;

  const members = new Map<string, number[]>();
  selected.forEach((i) => {
    const u = dataset.units[i]!;
    if (!ranked.get(u.group) || !fns.totals[i]) return;
    const list = members.get(u.group);
    if (list) list.push(i);
    else members.set(u.group, [i]);
  });
  const fromText = toExactString(from);
  const toText = toExactString(to);
  const inRange = cmp(nominal, from) >= 0 && cmp(nominal, to) <= 0;
  // One set of columns for every group's crossings, each group done before the next.
  const crossings = new Crossings();
  let walk: { g: GroupSweep; segments: GroupSegments } | null = null;
  for (const list of members.values()) {
    const g = new GroupSweep(list, sweepUnits, scheme);
    const bounds = g.events(from, to, crossings);
    // Where the nominal lies: inside interval `index`, or on bound `index` when `onBound`.
    const at = inRange ? bounds.locate(nominal) : null;
    const rows = list.map((i) => units[i]!);
    const atEnds = { from: pointValues(ends.from, list), to: pointValues(ends.to, list) };
    const segments = recordSweep(g, bounds, atEnds);
    walk = { g, segments };
    if (at) {
      const holding = segments.holding(at);
      g.resetWith(nominal, pointValues(endAt(nominal), list));
      const text = toExactString(nominal);
      rows.forEach((u, l) => {
        const rank = g.rank[l]!;
        const grade = g.gradeId(g.grade[l]!);
        u.nominal = { rank, grade };
        fromWalk(u, segments, l, { rank, grade, text, column: holding[l]! });
      });
    } else
      rows.forEach((u, l) => {
        fromWalk(u, segments, l);
      });
  }
  if (walk && baseline.memo.warm) baseline.memo.warm.walk = walk;
  // Every ranked unit in one walk, for its grades; each reported unit keeps its group's rank.
  const pooled: number[] = [];
  const pooledGroups = new Set<string>();
  if (pooledGrades)
    dataset.units.forEach((u, i) => {
      if (!ranked.get(u.group) || !fns.totals[i]) return;
      pooled.push(i);
      pooledGroups.add(u.group);
    });
  /** Grade segments of `list`'s units from one walk `g` over [a, b]; rank changes are not kept. */
  const gradeWalk = (g: GroupSweep, list: number[], a: Rational, b: Rational, atEnds: WalkEnds) => {
    const segments = recordSweep(g, g.events(a, b, crossings), atEnds, true);
    return list.map((_, l) => segments.segments(l));
  };
  /** Grades from one walk over every ranked unit: any grade rules, at ~n² crossings. */
  const pooledWalk = (): RankSegment[][] =>
    gradeWalk(new GroupSweep(pooled, sweepUnits, scheme), pooled, from, to, {
      from: pointValues(ends.from, pooled),
      to: pointValues(ends.to, pooled),
    });
  // With one ranked group, that group's walk was the walk over every ranked unit.
  if (pooledGroups.size > 1) {
    const boundary = boundaryWalkRule(baseline);
    // The boundary walk declines where the units near the boundary are too many.
    const graded =
      (boundary &&
        boundaryGrades({
          rule: boundary,
          units: pooled.map((i) => ({
            total: fns.totals[i]!,
            eligible: excellence[i]!,
            atFrom: endTotal(from, i),
            atTo: endTotal(to, i),
          })),
          from,
          to,
          thresholds: thresholdSweep(scheme.grades),
          walk: (near, places, a, b, first, last) => {
            const list = near.map((k) => pooled[k]!);
            const slabUnits: SweepUnits = {
              totals: list.map((i) => restrict(fns.totals[i]!, a, b)),
              tieKeys: list.map((i) => fns.tieKeys[i]!.map((k) => k && restrict(k, a, b))),
              forced: list.map(() => false),
              excellence: list.map(() => true),
              ids: list.map((i) => dataset.units[i]!.id),
            };
            // The places the sure ones leave, tied as the rule ties them (quota-boundary.ts).
            const rule = {
              ...boundary,
              quota: { count: places, scope: "overall" as const, ties: boundary.quota!.ties },
            };
            const only = {
              ...scheme,
              grades: { rules: [{ ...rule, requiresExcellenceEligibility: false }] },
            };
            const g = new GroupSweep(
              list.map((_, l) => l),
              slabUnits,
              only,
            );
            return gradeWalk(g, list, a, b, {
              from: first ? pointValues(ends.from, list) : null,
              to: last ? pointValues(ends.to, list) : null,
            });
          },
        })) ??
      pooledWalk();
    const value = textValues();
    const holdsNominal = (s: RankSegment) => holds({ ...s, from: value(s.from), to: value(s.to) }, nominal);
    pooled.forEach((i, l) => {
      const row = units[i];
      if (!row) return;
      row.segments = mergeRankAndGrade(row.segments, graded[l]!, value);
      row.breakpoints = innerEnds(row.segments);
      if (!row.nominal) return;
      const at = graded[l]!.find(holdsNominal);
      const nom = { rank: row.nominal.rank, grade: at?.grade ?? null };
      row.nominal = nom;
      const seg = row.segments.find(holdsNominal);
      row.stability =
        seg && seg.rank === nom.rank && seg.grade === nom.grade
          ? intervalOf(seg)
          : pointAt(toExactString(nominal));
    });
  }
  // Units of unranked groups: their grade by threshold, unit by unit (no quota reaches them).
  const byThreshold = thresholdSweep(scheme.grades);
  selected.forEach((i) => {
    const u = dataset.units[i]!;
    const total = fns.totals[i];
    if (ranked.get(u.group) || !total) return;
    const row = units[i]!;
    const grade = inRange
      ? byThreshold.gradeAt(endTotal(nominal, i) ?? valueAt(total, nominal), excellence[i]!)
      : null;
    if (inRange) row.nominal = { rank: null, grade };
    // Exact cuts and their texts, made when the row is read (a province has ~1,000 such units).
    whenRead(row, () => {
      const range = { from, to, totalAtFrom: endTotal(from, i), totalAtTo: endTotal(to, i) };
      const cuts = byThreshold.segments(total, excellence[i]!, range);
      const segments: RankSegment[] = cuts.map((s) => ({
        from: toExactString(s.from),
        to: toExactString(s.to),
        includesFrom: s.includesFrom,
        includesTo: s.includesTo,
        rank: null,
        grade: s.grade,
      }));
      if (!inRange) return { segments, breakpoints: innerEnds(segments), stability: null };
      const seg = segments[cuts.findIndex((s) => holds(s, nominal))];
      const stability = seg && seg.grade === grade ? intervalOf(seg) : pointAt(toExactString(nominal));
      return { segments, breakpoints: innerEnds(segments), stability };
    });
  });
  return {
    category: category,
    others,
    donor: donor ?? null,
    from: fromText,
    to: toText,
    nominal: toExactString(nominal),
    groups,
    rounding: "unrounded",
    units: selected.map((i) => units[i]!),
  };
}

function withdrawsExcellence(reason: EligibilityReason): boolean {
  return reason.excellence;
}

/** A unit's values at a skipped end where they are not its functions' (constants there), by unit index. */
type SkippedValues = Map<number, { total: Rational; fn: PiecewiseLinear; keys: (PiecewiseLinear | null)[] }>;

function skippedValues(skip: RollupSkip | null, from: Rational, to: Rational): SkippedValues | null {
  if (!skip) return null;
  const constant = (v: Rational) => linear(v, ZERO, from, to);
  return new Map(
    skip.units.map((i, j) => {
      const total = skip.totals[j]!;
      return [i, { total, fn: constant(total), keys: skip.tieKeys[j]!.map((v) => v && constant(v)) }];
    }),
  );
}

/** A group's members' values at a skipped end, by index in the group; null when none differ there. */
function pointValues(values: SkippedValues | null, list: readonly number[]): PointValues | null {
  if (!values) return null;
  const out = {
    members: [] as number[],
    totals: [] as PiecewiseLinear[],
    keys: [] as (PiecewiseLinear | null)[][],
  };
  list.forEach((i, l) => {
    const v = values.get(i);
    if (!v) return;
    out.members.push(l);
    out.totals.push(v.fn);
    out.keys.push(v.keys);
  });
  return out.members.length > 0 ? out : null;
}

function intervalOf({ from, to, includesFrom, includesTo }: ExactInterval): ExactInterval {
  return { from, to, includesFrom, includesTo };
}

/** Each segment's end but the last one's, once: a single-point segment ends where its predecessor does. */
function innerEnds(segments: readonly RankSegment[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < segments.length; i++) {
    const to = segments[i]!.to;
    if (out[out.length - 1] !== to) out.push(to);
  }
  return out;
}

/** Members' values at the range's ends where the evaluation skips a roll-up there. */
interface WalkEnds {
  from: PointValues | null;
  to: PointValues | null;
}

/**
 * Walks one group from its start to its end into its members' segments, kept in columns
 * (made into objects when read). The state is taken at every bound as well as between
 * bounds: units tied at a bound can give a rank or grade held there only.
 *
 * With `gradesOnly`, segments are cut where the grade changes only: the walk over every
 * ranked unit under an overall quota is read for grades alone, and cutting at each of its ~n²
 * rank changes made that many segments, their texts, and a merge that parsed them all back.
 * A segment's rank is then the rank where it opened, and only its grade is read.
 */
function recordSweep(
  g: GroupSweep,
  bounds: SweepBounds,
  atEnds: WalkEnds,
  gradesOnly = false,
): GroupSegments {
  const n = g.rank.length;
  const last = bounds.count + 1;
  // The range's ends are no events (crossings there are left out): each end and the stretch
  // next to it are worked out whole, each end with the evaluation's values there.
  g.resetWith(bounds.x(0), atEnds.from);
  const openFrom = new Int32Array(n);
  const openIn = new Uint8Array(n).fill(1);
  const openRank = Int32Array.from(g.rank);
  const openGrade = Int16Array.from(g.grade);
  // A walk closes about one segment per member and one per member at an event (a province
  // group: ~4,600, where 4n grew three times, copying each column); grade walks close fewer.
  const cols = segmentColumns(gradesOnly ? 4 * n : n + bounds.members.length + (n >> 2) + 16);
  const close = (l: number, b: number, includesB: number) => {
    if (cols.size === cols.member.length) growColumns(cols);
    const k = cols.size++;
    cols.member[k] = l;
    cols.from[k] = openFrom[l]!;
    cols.fromIn[k] = openIn[l]!;
    cols.to[k] = b;
    cols.toIn[k] = includesB;
    cols.rank[k] = openRank[l]!;
    cols.grade[k] = openGrade[l]!;
  };
  // A change at a bound closes the open segment just before the bound; a change in the
  // stretch after a bound closes it at the bound, which it then holds.
  const cut = (l: number, b: number, onBound: boolean) => {
    if ((gradesOnly || openRank[l] === g.rank[l]) && openGrade[l] === g.grade[l]) return;
    close(l, b, onBound ? 0 : 1);
    openFrom[l] = b;
    openIn[l] = onBound ? 1 : 0;
    openRank[l] = g.rank[l]!;
    openGrade[l] = g.grade[l]!;
  };
  g.reset(bounds.mid(0));
  for (let l = 0; l < n; l++) cut(l, 0, false);
  for (let b = 1; b < last; b++) {
    g.reach(b);
    for (let c = 0; c < g.changedCount; c++) cut(g.changed[c]!, b, true);
    g.advance(b);
    for (let c = 0; c < g.changedCount; c++) cut(g.changed[c]!, b, false);
  }
  g.resetWith(bounds.x(last), atEnds.to);
  for (let l = 0; l < n; l++) cut(l, last, true);
  for (let l = 0; l < n; l++) close(l, last, 1);
  return new GroupSegments(cols, bounds, g.gradeIds(), n);
}
