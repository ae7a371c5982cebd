import type { DecimalValue } from "../dataset/dataset.js";
import { InputError } from "../input-error.js";
import { add, cmp, div, parseDecimal, type Rational, toExactString, ZERO } from "../rational.js";
import type { Baseline } from "./baseline.js";
import { crossings, linear, type PiecewiseLinear, valueAt } from "./piecewise-linear.js";
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
  const excellence = dataset.units.map((u) => !(baseline.adjustments.vetoes.get(u.id)?.reasons ?? []).some((r) => r.excellence));
  const thresholds = scheme.grades.rules.map((r) => (r.minTotal === undefined ? null : parseDecimal(r.minTotal)));
  const ranked = new Map(scheme.groups.map((g) => [g.id, g.ranked]));
  const units: UnitSweep[] = dataset.units.map((u) => ({ unit: u.id, name: u.name, group: u.group, segments: [], breakpoints: [], nominal: null, stability: null }));
  const text = memoText();

  const members = new Map<string, number[]>();
  dataset.units.forEach((u, i) => {
    if (ranked.get(u.group) && fns.totals[i]) members.set(u.group, [...(members.get(u.group) ?? []), i]);
  });
  for (const list of members.values()) {
    const g = new GroupSweep(list, fns, forced, excellence, thresholds, scheme, dataset.units.map((u) => u.id));
    const events = g.events(from, to);
    const bounds = [from, ...events.map((e) => e.x), to];
    const mid = (j: number) => div(add(bounds[j]!, bounds[j + 1]!), { n: 2n, d: 1n });
    g.reset(mid(0));
    const open = new Map(list.map((i) => [i, { from: from, rank: g.rank.get(i)!, grade: g.grade.get(i)! }]));
    const close = (i: number, at: Rational) => {
      const s = open.get(i)!;
      units[i]!.segments.push({ from: text(s.from), to: text(at), rank: s.rank, grade: s.grade });
    };
    events.forEach((e, j) => {
      g.advance(e.units, mid(j + 1));
      for (const i of list) {
        const s = open.get(i)!;
        const r = g.rank.get(i)!;
        const gr = g.grade.get(i)!;
        if (s.rank === r && s.grade === gr) continue;
        close(i, e.x);
        units[i]!.breakpoints.push(text(e.x));
        open.set(i, { from: e.x, rank: r, grade: gr });
      }
    });
    for (const i of list) close(i, to);
    if (cmp(nominal, from) >= 0 && cmp(nominal, to) <= 0) {
      g.reset(nominal);
      for (const i of list) {
        const n = { rank: g.rank.get(i)!, grade: g.grade.get(i)! };
        units[i]!.nominal = n;
        units[i]!.stability = stability(units[i]!.segments, n, nominal, text);
      }
    }
  }
  return { category: options.category, others, from: text(from), to: text(to), nominal: text(nominal), rounding: "unrounded", units };
}

function memoText(): (r: Rational) => string {
  const cache = new Map<string, string>();
  return (r) => {
    const key = `${r.n}/${r.d}`;
    let s = cache.get(key);
    if (s === undefined) cache.set(key, (s = toExactString(r)));
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
    if (cmp(read(s.from), x0) <= 0 && cmp(read(s.to), x0) >= 0 && s.rank === n.rank && s.grade === n.grade) return { from: s.from, to: s.to };
  return { from: text(x0), to: text(x0) };
}

/** One ranked group's order, ranks and grades, kept current as the swept points move. */
class GroupSweep {
  order: number[] = [];
  rank = new Map<number, number>();
  grade = new Map<number, string | null>();
  private above = new Map<number, boolean[]>();
  private at: Rational = ZERO;
  private cache = new Map<number, Rational>();

  constructor(
    private readonly list: number[],
    private readonly fns: { totals: (PiecewiseLinear | null)[]; tieKeys: (PiecewiseLinear | null)[][] },
    private readonly forced: boolean[],
    private readonly excellence: boolean[],
    private readonly thresholds: (Rational | null)[],
    private readonly scheme: Baseline["compiled"]["scheme"],
    private readonly ids: string[],
  ) {}

  /** Every x where two members' totals (or, for identical totals, tie-breakers) cross, or a total crosses a grade threshold. */
  events(from: Rational, to: Rational): { x: Rational; units: number[] }[] {
    const byX = new Map<string, { x: Rational; units: Set<number> }>();
    const note = (x: Rational, ...us: number[]) => {
      const key = `${x.n}/${x.d}`;
      let e = byX.get(key);
      if (!e) byX.set(key, (e = { x, units: new Set() }));
      for (const u of us) e.units.add(u);
    };
    const { totals, tieKeys } = this.fns;
    const L = this.list;
    for (let a = 0; a < L.length; a++) {
      const u = L[a]!;
      const fu = totals[u]!;
      for (let b = a + 1; b < L.length; b++) {
        const v = L[b]!;
        if (this.forced[u] !== this.forced[v]) continue;
        const fv = totals[v]!;
        if (!mayMeet(fu, fv)) continue;
        for (const x of crossings(fu, fv)) note(x, u, v);
        if (tieKeys[u]!.length > 0 && sameSomewhere(fu, fv))
          tieKeys[u]!.forEach((k, t) => {
            const kv = tieKeys[v]![t];
            if (k && kv) for (const x of crossings(k, kv)) note(x, u, v);
          });
      }
      this.thresholds.forEach((m) => {
        if (m) for (const x of crossings(fu, linear(m, ZERO, from, to))) note(x, u);
      });
    }
    return [...byX.values()].sort((p, q) => cmp(p.x, q.x)).map((e) => ({ x: e.x, units: [...e.units] }));
  }

  private value(i: number): Rational {
    let v = this.cache.get(i);
    if (!v) this.cache.set(i, (v = valueAt(this.fns.totals[i]!, this.at)));
    return v;
  }

  private compare(a: number, b: number): number {
    if (this.forced[a] !== this.forced[b]) return this.forced[a] ? 1 : -1;
    const c = cmp(this.value(b), this.value(a));
    if (c !== 0) return c;
    const ka = this.fns.tieKeys[a]!;
    const kb = this.fns.tieKeys[b]!;
    for (let t = 0; t < ka.length; t++) {
      const x = ka[t];
      const y = kb[t];
      if (!x || !y) continue;
      const d = cmp(valueAt(y, this.at), valueAt(x, this.at));
      if (d !== 0) return d;
    }
    return 0;
  }

  private moveTo(x: Rational): void {
    this.at = x;
    this.cache.clear();
  }

  /** Full recomputation at x. */
  reset(x: Rational): void {
    this.moveTo(x);
    this.order = [...this.list].sort((a, b) => this.compare(a, b) || (this.ids[a]! < this.ids[b]! ? -1 : 1));
    this.reRank(0, this.order.length - 1);
    for (const i of this.list) this.above.set(i, this.thresholds.map((m) => m === null || cmp(this.value(i), m) >= 0));
    this.regrade();
  }

  /** After an event at which `involved` crossed: re-sort only them, in the positions they hold. */
  advance(involved: number[], x: Rational): void {
    this.moveTo(x);
    const set = new Set(involved);
    const positions: number[] = [];
    this.order.forEach((u, p) => {
      if (set.has(u)) positions.push(p);
    });
    const sorted = positions.map((p) => this.order[p]!).sort((a, b) => this.compare(a, b) || (this.ids[a]! < this.ids[b]! ? -1 : 1));
    positions.forEach((p, k) => {
      this.order[p] = sorted[k]!;
    });
    this.reRank(positions[0]!, positions[positions.length - 1]!);
    for (const i of involved) this.above.set(i, this.thresholds.map((m) => m === null || cmp(this.value(i), m) >= 0));
    this.regrade();
  }

  private reRank(lo: number, hi: number): void {
    for (let p = lo; p < this.order.length; p++) {
      const u = this.order[p]!;
      const prev = p > 0 ? this.order[p - 1]! : -1;
      const r = prev >= 0 && this.compare(prev, u) === 0 ? this.rank.get(prev)! : p + 1;
      const unchanged = this.rank.get(u) === r;
      this.rank.set(u, r);
      if (p > hi && unchanged) break;
    }
  }

  /** The pipeline's grade rules over the current order (quotas within the group). */
  private regrade(): void {
    const n = this.order.length;
    for (const u of this.order) this.grade.set(u, null);
    this.scheme.grades.rules.forEach((rule, ri) => {
      const quota = rule.quota;
      const limit = !quota ? Infinity : quota.count !== undefined ? quota.count : percentOf(quota.percent ?? 0, n);
      let taken = 0;
      let prev = -1;
      for (const u of this.order) {
        if (this.grade.get(u) !== null) continue;
        if (rule.requiresExcellenceEligibility && !this.excellence[u]) continue;
        if (!this.above.get(u)![ri]) continue;
        const tied = prev >= 0 && this.grade.get(prev) === rule.id && this.rank.get(prev) === this.rank.get(u);
        if (taken >= limit && !tied) break;
        taken++;
        this.grade.set(u, rule.id);
        prev = u;
      }
    });
    const fb = this.scheme.grades.fallback;
    if (fb) for (const u of this.order) if (this.grade.get(u) === null) this.grade.set(u, fb.id);
  }
}

function percentOf(percent: DecimalValue, population: number): number {
  const p = parseDecimal(percent);
  return Number((p.n * BigInt(population)) / (p.d * 100n));
}

/** Doubles say whether f − g can reach zero anywhere; false only when clearly apart at every kink. */
function mayMeet(f: PiecewiseLinear, g: PiecewiseLinear): boolean {
  const xs: number[] = [];
  for (const p of f.pieces) xs.push(p.ff);
  for (const p of g.pieces) xs.push(p.ff);
  xs.push(Number(f.to.n) / Number(f.to.d));
  let sign = 0;
  for (const x of xs) {
    const d = at(f, x) - at(g, x);
    if (Math.abs(d) < 1e-9 * (1 + Math.abs(at(f, x)))) return true;
    const s = d > 0 ? 1 : -1;
    if (sign !== 0 && s !== sign) return true;
    sign = s;
  }
  return false;
}

function at(f: PiecewiseLinear, x: number): number {
  let p = f.pieces[0]!;
  for (const q of f.pieces) if (q.ff <= x) p = q;
  return p.af + p.bf * x;
}

function sameSomewhere(f: PiecewiseLinear, g: PiecewiseLinear): boolean {
  return f.pieces.some((p) => g.pieces.some((q) => cmp(p.a, q.a) === 0 && cmp(p.b, q.b) === 0));
}
