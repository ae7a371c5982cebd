import type { DecimalValue } from "../dataset/dataset.js";
import { InputError } from "../input-error.js";
import { add, cmp, parseDecimal, type Rational, toExactString, ZERO } from "../rational.js";
import type { Baseline } from "./baseline.js";
import { GroupSweep } from "./group-sweep.js";
import { valueAt } from "./piecewise-linear.js";
import { Crossings } from "./sweep-crossings.js";
import type { SweepBounds } from "./sweep-events.js";
import { thresholdSweep } from "./threshold-sweep.js";
import { type OthersMode, SweepNotLinearError, unitFunctions } from "./unit-functions.js";

export interface WeightSweepOptions {
  /** The category whose points are swept. */
  category: string;
  /** Default 0. */
  from?: DecimalValue;
  /** Default: the sum of all categories' points (the whole range the category could take). */
  to?: DecimalValue;
  /** "fixed" (default): other categories keep their points. "rescale": they share the rest of the total in proportion. */
  others?: OthersMode;
}

/** A stretch of the swept range where a unit's rank and grade stay the same (open at both ends). */
export interface RankSegment {
  from: string;
  to: string;
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
  /** Exact points where the unit's rank or grade changes (the segments' inner ends). */
  breakpoints: string[];
  /** Rank and grade at the nominal points, under the sweep's (unrounded) convention. */
  nominal: { rank: number | null; grade: string | null } | null;
  /** The interval around the nominal points where the nominal rank and grade hold; null when the nominal lies outside the sweep. */
  stability: { from: string; to: string } | null;
}

export interface WeightSweepResult {
  category: string;
  others: OthersMode;
  from: string;
  to: string;
  /** The category's nominal points. */
  nominal: string;
  /**
   * Breakpoints are where exact, unrounded totals cross: the scheme's rounding stages are
   * left out, because rounded totals are step functions with ties on whole intervals.
   * Exactly at a breakpoint the units concerned tie (and share the better rank).
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
 */
export function weightSweep(baseline: Baseline, options: WeightSweepOptions): WeightSweepResult {
  const { compiled, dataset } = baseline;
  const { scheme } = compiled;
  const others = options.others ?? "fixed";
  const total = [...compiled.points.values()].reduce(add, ZERO);
  const bad = (path: string, message: string) => new InputError("scenario", [{ path: [path], message }]);
  if (others !== "fixed" && others !== "rescale") throw bad("others", 'must be "fixed" or "rescale"');
  const read = (path: "from" | "to", value: string | number): Rational => {
    try {
      return parseDecimal(value);
    } catch (e) {
      throw bad(path, (e as Error).message);
    }
  };
  const maybeNominal = compiled.points.get(options.category);
  if (!maybeNominal) throw bad("category", `unknown category "${options.category}"`);
  const nominal: Rational = maybeNominal;
  const from = read("from", options.from ?? 0);
  const to = read("to", options.to ?? toExactString(total));
  if (from.n < 0n) throw bad("from", "must not be negative");
  if (cmp(to, from) <= 0) throw bad("to", "must be greater than from");
  if (others === "rescale" && cmp(nominal, total) >= 0)
    throw bad(
      "others",
      `"${options.category}" holds all of the scheme's ${toExactString(total)} points: no other category has points to rescale`,
    );
  if (others === "rescale" && cmp(to, total) > 0)
    throw bad(
      "to",
      `must be at most the scheme's total of ${toExactString(total)} when the others are rescaled`,
    );
  if (scheme.grades.rules.some((r) => r.quota?.scope === "overall"))
    throw new SweepNotLinearError("grade quotas over all ranked units are not supported by the sweep yet");

  const fns = unitFunctions(baseline, options.category, others, from, to);
  const forced = dataset.units.map((u) => baseline.adjustments.vetoes.get(u.id)?.forceLast ?? false);
  const excellence = dataset.units.map(
    (u) => !(baseline.adjustments.vetoes.get(u.id)?.reasons ?? []).some((r) => r.excellence),
  );
  const ranked = new Map(scheme.groups.map((g) => [g.id, g.ranked]));
  const units: UnitSweep[] = dataset.units.map((u) => ({
    unit: u.id,
    name: u.name,
    group: u.group,
    segments: [],
    breakpoints: [],
    nominal: null,
    stability: null,
  }));
  const sweepUnits = { ...fns, forced, excellence, ids: dataset.units.map((u) => u.id) };

  const members = new Map<string, number[]>();
  dataset.units.forEach((u, i) => {
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
  for (const list of members.values()) {
    const g = new GroupSweep(list, sweepUnits, scheme);
    const bounds = g.events(from, to, crossings);
    // Where the nominal lies: inside interval `index`, or on bound `index` when `onBound`.
    const at = inRange ? bounds.locate(nominal) : null;
    const rows = list.map((i) => units[i]!);
    const around = recordSweep(g, bounds, { rows, at });
    if (at) {
      g.reset(nominal);
      const nominalText = toExactString(nominal);
      rows.forEach((u, l) => {
        const nom = { rank: g.rank[l]!, grade: g.gradeId(g.grade[l]!) };
        u.nominal = nom;
        const seg = around[l]!.find((s) => s.rank === nom.rank && s.grade === nom.grade);
        u.stability = seg ? { from: seg.from, to: seg.to } : { from: nominalText, to: nominalText };
      });
    }
  }
  // Units of unranked groups: their grade by threshold, unit by unit (no quota reaches them).
  const byThreshold = thresholdSweep(scheme.grades);
  dataset.units.forEach((u, i) => {
    const total = fns.totals[i];
    if (ranked.get(u.group) || !total) return;
    const row = units[i]!;
    const segments = byThreshold.segments(total, excellence[i]!, from, to);
    row.segments = segments.map((s) => ({
      from: toExactString(s.from),
      to: toExactString(s.to),
      rank: null,
      grade: s.grade,
    }));
    row.breakpoints = row.segments.slice(0, -1).map((s) => s.to);
    if (!inRange) return;
    const grade = byThreshold.gradeAt(valueAt(total, nominal), excellence[i]!);
    row.nominal = { rank: null, grade };
    // The segment holding the nominal point (either one when it sits on a breakpoint) with its grade.
    const seg = segments.find(
      (s) => s.grade === grade && cmp(s.from, nominal) <= 0 && cmp(nominal, s.to) <= 0,
    );
    const at = toExactString(nominal);
    row.stability = seg ? { from: toExactString(seg.from), to: toExactString(seg.to) } : { from: at, to: at };
  });
  return {
    category: options.category,
    others,
    from: fromText,
    to: toText,
    nominal: toExactString(nominal),
    rounding: "unrounded",
    units,
  };
}

interface GroupRecord {
  /** The members' results, in member order. */
  rows: UnitSweep[];
  at: { index: number; onBound: boolean } | null;
}

/** A group's closed segments in columns, in the order they close: each member's in order. */
interface SegmentColumns {
  size: number;
  member: Int32Array;
  from: Int32Array;
  to: Int32Array;
  rank: Int32Array;
  grade: Int16Array;
}

/**
 * Sweeps one group from its start to its end, filling each member's segments and breakpoints;
 * returns, per member, the segments that hold the nominal point.
 */
function recordSweep(g: GroupSweep, bounds: SweepBounds, { rows, at }: GroupRecord): RankSegment[][] {
  const n = rows.length;
  const last = bounds.count + 1;
  g.reset(bounds.mid(0));
  const openFrom = new Int32Array(n);
  const openRank = Int32Array.from(g.rank);
  const openGrade = Int16Array.from(g.grade);
  const count = new Int32Array(n);
  const cols = segmentColumns(4 * n);
  const close = (l: number, b: number) => {
    if (cols.size === cols.member.length) growColumns(cols);
    const k = cols.size++;
    cols.member[k] = l;
    cols.from[k] = openFrom[l]!;
    cols.to[k] = b;
    cols.rank[k] = openRank[l]!;
    cols.grade[k] = openGrade[l]!;
    count[l]!++;
  };
  for (let b = 1; b < last; b++) {
    g.advance(b);
    for (let c = 0; c < g.changedCount; c++) {
      const l = g.changed[c]!;
      if (openRank[l] === g.rank[l] && openGrade[l] === g.grade[l]) continue;
      close(l, b);
      openFrom[l] = b;
      openRank[l] = g.rank[l]!;
      openGrade[l] = g.grade[l]!;
    }
  }
  for (let l = 0; l < n; l++) close(l, last);
  return segmentsOf(g, bounds, cols, count, { rows, at });
}

/**
 * Each member's segments and breakpoints from the columns, in arrays of their final size
 * (growing ~20,000 arrays by pushes was a tenth of a sweep's allocation); a breakpoint is
 * the end of each of a member's segments but the last.
 */
function segmentsOf(
  g: GroupSweep,
  bounds: SweepBounds,
  cols: SegmentColumns,
  count: Int32Array,
  { rows, at }: GroupRecord,
): RankSegment[][] {
  const n = rows.length;
  const last = bounds.count + 1;
  const segments = rows.map((r, l) => {
    r.segments = new Array(count[l]!);
    r.breakpoints = new Array(count[l]! - 1);
    return r.segments;
  });
  const breakpoints = rows.map((r) => r.breakpoints);
  const filled = new Int32Array(n);
  const around: RankSegment[][] = rows.map(() => []);
  for (let k = 0; k < cols.size; k++) {
    const l = cols.member[k]!;
    const start = cols.from[k]!;
    const b = cols.to[k]!;
    const to = bounds.text(b);
    const seg = { from: bounds.text(start), to, rank: cols.rank[k]!, grade: g.gradeId(cols.grade[k]!) };
    const i = filled[l]!++;
    segments[l]![i] = seg;
    if (b !== last) breakpoints[l]![i] = to;
    if (at && start <= at.index && (at.index < b || (at.onBound && at.index === b))) around[l]!.push(seg);
  }
  return around;
}

function segmentColumns(capacity: number): SegmentColumns {
  return {
    size: 0,
    member: new Int32Array(capacity),
    from: new Int32Array(capacity),
    to: new Int32Array(capacity),
    rank: new Int32Array(capacity),
    grade: new Int16Array(capacity),
  };
}

function growColumns(cols: SegmentColumns): void {
  const bigger = segmentColumns(2 * cols.member.length);
  bigger.member.set(cols.member);
  bigger.from.set(cols.from);
  bigger.to.set(cols.to);
  bigger.rank.set(cols.rank);
  bigger.grade.set(cols.grade);
  cols.member = bigger.member;
  cols.from = bigger.from;
  cols.to = bigger.to;
  cols.rank = bigger.rank;
  cols.grade = bigger.grade;
}
