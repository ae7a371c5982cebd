import type { DecimalValue } from "../dataset/dataset.js";
import { InputError } from "../input-error.js";
import { add, cmp, div, parseDecimal, type Rational, toExactString, ZERO } from "../rational.js";
import type { Baseline } from "./baseline.js";
import { GroupSweep } from "./group-sweep.js";
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
  rank: number;
  grade: string | null;
}

export interface UnitSweep {
  unit: string;
  name: string;
  group: string;
  /** Rank and grade as functions of the swept points; empty for units that are not ranked. */
  segments: RankSegment[];
  /** Exact points where the unit's rank or grade changes (the segments' inner ends). */
  breakpoints: string[];
  /** Rank and grade at the nominal points, under the sweep's (unrounded) convention. */
  nominal: { rank: number; grade: string | null } | null;
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
 * (group scope), thresholds and vetoes as the pipeline applies them.
 */
export function weightSweep(baseline: Baseline, options: WeightSweepOptions): WeightSweepResult {
  const { compiled, dataset } = baseline;
  const { scheme } = compiled;
  const others = options.others ?? "fixed";
  const total = [...compiled.points.values()].reduce(add, ZERO);
  const bad = (path: string, message: string) => new InputError("scenario", [{ path: [path], message }]);
  const maybeNominal = compiled.points.get(options.category);
  if (!maybeNominal) throw bad("category", `unknown category "${options.category}"`);
  const nominal: Rational = maybeNominal;
  const from = parseDecimal(options.from ?? 0);
  const to = parseDecimal(options.to ?? toExactString(total));
  if (from.n < 0n) throw bad("from", "must not be negative");
  if (cmp(to, from) <= 0) throw bad("to", "must be greater than from");
  if (others === "rescale" && (cmp(to, total) > 0 || cmp(nominal, total) >= 0))
    throw bad("to", "rescaling the other categories needs the swept points below the scheme's total");
  if (scheme.grades.rules.some((r) => r.quota?.scope === "overall"))
    throw new SweepNotLinearError("grade quotas over all ranked units are not supported by the sweep yet");

  const fns = unitFunctions(baseline, options.category, others, from, to);
  const forced = dataset.units.map((u) => baseline.adjustments.vetoes.get(u.id)?.forceLast ?? false);
  const excellence = dataset.units.map(
    (u) => !(baseline.adjustments.vetoes.get(u.id)?.reasons ?? []).some((r) => r.excellence),
  );
  const thresholds = scheme.grades.rules.map((r) =>
    r.minTotal === undefined ? null : parseDecimal(r.minTotal),
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
  const text = memoText();

  const members = new Map<string, number[]>();
  dataset.units.forEach((u, i) => {
    if (ranked.get(u.group) && fns.totals[i]) members.set(u.group, [...(members.get(u.group) ?? []), i]);
  });
  for (const list of members.values()) {
    const g = new GroupSweep(
      list,
      fns,
      forced,
      excellence,
      thresholds,
      scheme,
      dataset.units.map((u) => u.id),
    );
    const events = g.events(from, to);
    const bounds = [from, ...events.map((e) => e.x), to];
    const mid = (j: number) => div(add(bounds[j]!, bounds[j + 1]!), { n: 2n, d: 1n });
    g.reset(mid(0));
    const n = list.length;
    const openFrom: Rational[] = new Array(n).fill(from);
    const openRank = Int32Array.from(g.rank);
    const openGrade = Int16Array.from(g.grade);
    const close = (l: number, at: Rational) => {
      const gi = openGrade[l]!;
      units[list[l]!]!.segments.push({
        from: text(openFrom[l]!),
        to: text(at),
        rank: openRank[l]!,
        grade: g.gradeId(gi),
      });
    };
    events.forEach((e, j) => {
      let shown: string | null = null;
      for (const l of g.advance(e.units, mid(j + 1))) {
        if (openRank[l] === g.rank[l] && openGrade[l] === g.grade[l]) continue;
        close(l, e.x);
        shown ??= text(e.x);
        units[list[l]!]!.breakpoints.push(shown);
        openFrom[l] = e.x;
        openRank[l] = g.rank[l]!;
        openGrade[l] = g.grade[l]!;
      }
    });
    for (let l = 0; l < n; l++) close(l, to);
    if (cmp(nominal, from) >= 0 && cmp(nominal, to) <= 0) {
      g.reset(nominal);
      for (let l = 0; l < n; l++) {
        const u = units[list[l]!]!;
        u.nominal = { rank: g.rank[l]!, grade: g.gradeId(g.grade[l]!) };
        u.stability = stability(u.segments, u.nominal, nominal, text);
      }
    }
  }
  return {
    category: options.category,
    others,
    from: text(from),
    to: text(to),
    nominal: text(nominal),
    rounding: "unrounded",
    units,
  };
}

function memoText(): (r: Rational) => string {
  const cache = new Map<string, string>();
  return (r) => {
    const key = `${r.n}/${r.d}`;
    let s = cache.get(key);
    if (s === undefined) {
      s = toExactString(r);
      cache.set(key, s);
    }
    return s;
  };
}

/** The segment holding the nominal points with the nominal rank and grade; at a breakpoint, whichever side keeps them. */
function stability(
  segments: RankSegment[],
  n: { rank: number; grade: string | null },
  x0: Rational,
  text: (r: Rational) => string,
): { from: string; to: string } {
  const read = (t: string): Rational => {
    const [num, den] = t.split("/");
    return den === undefined ? parseDecimal(num!) : { n: BigInt(num!), d: BigInt(den) };
  };
  for (const s of segments)
    if (cmp(read(s.from), x0) <= 0 && cmp(read(s.to), x0) >= 0 && s.rank === n.rank && s.grade === n.grade)
      return { from: s.from, to: s.to };
  return { from: text(x0), to: text(x0) };
}
