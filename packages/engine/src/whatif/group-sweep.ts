import type { DecimalValue } from "../dataset/dataset.js";
import { add, cmp, div, parseDecimal, type Rational, toNumber, ZERO } from "../rational.js";

const TWO: Rational = { n: 2n, d: 1n };

import type { Scheme } from "../scheme/scheme-schema.js";
import { crossings, linear, type PiecewiseLinear, valueAt } from "./piecewise-linear.js";

/** A swept value with its double (which only steers; the exact value decides). */
export interface SweepPoint {
  x: Rational;
  xf: number;
}

/** Where members cross: each member involved once. */
export interface SweepEvent extends SweepPoint {
  units: number[];
}

/**
 * One ranked group's order, ranks and grades, kept current as the swept points move.
 * Members are addressed by their index in the group (0..n−1) and kept in typed arrays:
 * a province sweep processes hundreds of thousands of crossings.
 */
export class GroupSweep {
  readonly order: Int32Array;
  readonly position: Int32Array;
  readonly rank: Int32Array;
  /** Index of the grade rule, rules.length for the fallback, −1 for none. */
  readonly grade: Int16Array;
  private readonly above: Uint8Array;
  private readonly totals: PiecewiseLinear[];
  private readonly R: number;
  /** The point the order is for: exact on demand (most comparisons are settled in doubles). */
  private atExact: Rational | null = ZERO;
  private atLo: Rational = ZERO;
  private atHi: Rational = ZERO;
  private atf = 0;
  private readonly thresholdF: number[];
  /** Position of the last unit admitted by each quota rule at the last regrade. */
  private boundary: number[] = [];
  /** Scratch for regrade, and each rule's quota over this group: both fixed for the sweep. */
  private readonly oldGrade: Int16Array;
  private readonly limits: number[];

  constructor(
    private readonly list: number[],
    private readonly fns: { totals: (PiecewiseLinear | null)[]; tieKeys: (PiecewiseLinear | null)[][] },
    private readonly forced: boolean[],
    private readonly excellence: boolean[],
    private readonly thresholds: (Rational | null)[],
    private readonly scheme: Scheme,
    private readonly ids: string[],
  ) {
    const n = list.length;
    this.order = new Int32Array(n);
    this.position = new Int32Array(n);
    this.rank = new Int32Array(n);
    this.grade = new Int16Array(n);
    this.R = thresholds.length;
    this.above = new Uint8Array(n * Math.max(1, this.R));
    this.totals = list.map((i) => fns.totals[i]!);
    this.thresholdF = thresholds.map((m) => (m === null ? 0 : toNumber(m)));
    this.oldGrade = new Int16Array(n);
    this.limits = scheme.grades.rules.map(({ quota }) =>
      !quota ? Infinity : quota.count !== undefined ? quota.count : percentOf(quota.percent ?? 0, n),
    );
  }

  gradeId(g: number): string | null {
    if (g < 0) return null;
    return g < this.R ? this.scheme.grades.rules[g]!.id : (this.scheme.grades.fallback?.id ?? null);
  }

  /** Every x where two members' totals (or, for identical totals, tie-breakers) cross, or a total crosses a grade threshold. */
  events(from: Rational, to: Rational): SweepEvent[] {
    const xs: Rational[] = [];
    const xf: number[] = [];
    const us: number[] = [];
    const vs: number[] = [];
    const note = (x: Rational, u: number, v: number) => {
      xs.push(x);
      const f = Number(x.n) / Number(x.d);
      // Equal roots are equal in lowest terms, so they get the same double either way.
      xf.push(Number.isFinite(f) ? f : toNumber(x));
      us.push(u);
      vs.push(v);
    };
    const L = this.list;
    const T = this.totals;
    const keys = this.fns.tieKeys;
    const limits = this.thresholds.map((m) => (m ? linear(m, ZERO, from, to) : null));
    for (let a = 0; a < L.length; a++) {
      const fu = T[a]!;
      const ku = keys[L[a]!]!;
      for (let b = a + 1; b < L.length; b++) {
        if (this.forced[L[a]!] !== this.forced[L[b]!]) continue;
        const fv = T[b]!;
        for (const x of crossings(fu, fv)) note(x, a, b);
        if (ku.length > 0 && sameSomewhere(fu, fv)) {
          const kv = keys[L[b]!]!;
          for (let t = 0; t < ku.length; t++) {
            const p = ku[t];
            const q = kv[t];
            if (p && q) for (const x of crossings(p, q)) note(x, a, b);
          }
        }
      }
      for (const m of limits) if (m) for (const x of crossings(fu, m)) note(x, a, -1);
    }
    // Doubles order the crossings; fractions decide whenever two are too close to tell apart.
    const order = xs.map((_, i) => i);
    order.sort((p, q) => {
      const d = xf[p]! - xf[q]!;
      return Math.abs(d) > 1e-12 * (1 + Math.abs(xf[p]!)) ? d : cmp(xs[p]!, xs[q]!);
    });
    const out: SweepEvent[] = [];
    for (const i of order) {
      const last = out[out.length - 1];
      const same =
        last !== undefined &&
        Math.abs(last.xf - xf[i]!) <= 1e-12 * (1 + Math.abs(xf[i]!)) &&
        cmp(last.x, xs[i]!) === 0;
      const e = same ? last : { x: xs[i]!, xf: xf[i]!, units: [] };
      if (!same) out.push(e);
      e.units.push(us[i]!);
      if (vs[i]! >= 0) e.units.push(vs[i]!);
    }
    for (const e of out) if (e.units.length > 2) e.units = [...new Set(e.units)];
    return out;
  }

  private compare(a: number, b: number): number {
    const fa = this.forced[this.list[a]!];
    if (fa !== this.forced[this.list[b]!]) return fa ? 1 : -1;
    const va = valueAtF(this.totals[a]!, this.atf);
    const vb = valueAtF(this.totals[b]!, this.atf);
    const tol = 1e-9 * (1 + Math.abs(va));
    if (vb - va > tol) return 1;
    if (va - vb > tol) return -1;
    const c = cmp(valueAt(this.totals[b]!, this.at), valueAt(this.totals[a]!, this.at));
    if (c !== 0) return c;
    const ka = this.fns.tieKeys[this.list[a]!]!;
    const kb = this.fns.tieKeys[this.list[b]!]!;
    for (let t = 0; t < ka.length; t++) {
      const x = ka[t];
      const y = kb[t];
      if (!x || !y) continue;
      const d = cmp(valueAt(y, this.at), valueAt(x, this.at));
      if (d !== 0) return d;
    }
    return 0;
  }

  private byStanding = (a: number, b: number): number =>
    this.compare(a, b) || (this.ids[this.list[a]!]! < this.ids[this.list[b]!]! ? -1 : 1);

  private moveTo(x: Rational): void {
    this.atExact = x;
    this.atf = toNumber(x);
  }

  /** Moves to the midpoint of (lo, hi) without computing it in fractions until needed. */
  private moveBetween(lo: SweepPoint, hi: SweepPoint): void {
    this.atExact = null;
    this.atLo = lo.x;
    this.atHi = hi.x;
    this.atf = (lo.xf + hi.xf) / 2;
  }

  private get at(): Rational {
    this.atExact ??= div(add(this.atLo, this.atHi), TWO);
    return this.atExact;
  }

  /** Updates a member's side of each grade threshold; true when any changed. */
  private setAbove(l: number): boolean {
    let changed = false;
    for (let r = 0; r < this.R; r++) {
      const m = this.thresholds[r]!;
      const f = m === null ? 0 : valueAtF(this.totals[l]!, this.atf) - this.thresholdF[r]!;
      const v =
        m === null ||
        f > 1e-9 * (1 + Math.abs(f)) ||
        (f > -1e-9 * (1 + Math.abs(f)) && cmp(valueAt(this.totals[l]!, this.at), m) >= 0)
          ? 1
          : 0;
      if (this.above[l * this.R + r] !== v) changed = true;
      this.above[l * this.R + r] = v;
    }
    return changed;
  }

  /** Full recomputation at x. */
  reset(x: Rational): void {
    this.moveTo(x);
    const sorted = Array.from({ length: this.list.length }, (_, l) => l).sort(this.byStanding);
    sorted.forEach((l, p) => {
      this.order[p] = l;
      this.position[l] = p;
    });
    this.rank.fill(0);
    this.reRank(0, this.list.length - 1, []);
    for (let l = 0; l < this.list.length; l++) this.setAbove(l);
    this.regrade([]);
  }

  /** After an event at which `involved` crossed: re-sort only them, in the positions they hold. Returns members whose rank or grade may have changed. */
  advance(involved: number[], from: SweepPoint, to: SweepPoint): number[] {
    this.moveBetween(from, to);
    const positions = new Int32Array(involved.length);
    for (let k = 0; k < involved.length; k++) positions[k] = this.position[involved[k]!]!;
    positions.sort();
    const sorted = involved.length === 2 ? this.pair(involved) : [...involved].sort(this.byStanding);
    for (let k = 0; k < positions.length; k++) {
      this.order[positions[k]!] = sorted[k]!;
      this.position[sorted[k]!] = positions[k]!;
    }
    const changed = [...involved];
    const lo = positions[0]!;
    const hi = positions[positions.length - 1]!;
    this.reRank(lo, hi, changed);
    let thresholdCrossed = false;
    for (const l of involved) thresholdCrossed = this.setAbove(l) || thresholdCrossed;
    // Grades move only when a threshold is crossed, a quota's boundary lies among the
    // re-sorted positions, or ties form or break there; skipping the rest keeps a sweep linear.
    const tie = (p: number) => p > 0 && this.rank[this.order[p]!] === this.rank[this.order[p - 1]!];
    let needed = thresholdCrossed || this.boundary.some((b) => b >= lo - 1 && b <= hi);
    for (let p = lo; !needed && p <= Math.min(hi + 1, this.order.length - 1); p++) needed = tie(p);
    if (needed) this.regrade(changed);
    return changed;
  }

  /** Two units (the usual crossing) ordered without a sort. */
  private pair(two: number[]): number[] {
    const [a, b] = two as [number, number];
    return this.byStanding(a, b) <= 0 ? two : [b, a];
  }

  private reRank(lo: number, hi: number, changed: number[]): void {
    for (let p = lo; p < this.order.length; p++) {
      const u = this.order[p]!;
      const prev = p > 0 ? this.order[p - 1]! : -1;
      const r = prev >= 0 && this.compare(prev, u) === 0 ? this.rank[prev]! : p + 1;
      const unchanged = this.rank[u] === r;
      this.rank[u] = r;
      if (!unchanged) changed.push(u);
      if (p > hi && unchanged) break;
    }
  }

  /** The pipeline's grade rules over the current order (quotas within the group). */
  private regrade(changed: number[]): void {
    const n = this.order.length;
    const old = this.oldGrade;
    old.set(this.grade);
    this.grade.fill(-1);
    this.boundary = [];
    this.scheme.grades.rules.forEach((rule, ri) => {
      const quota = rule.quota;
      const limit = this.limits[ri]!;
      let taken = 0;
      let prev = -1;
      for (let p = 0; p < n; p++) {
        const u = this.order[p]!;
        if (this.grade[u] !== -1) continue;
        if (rule.requiresExcellenceEligibility && !this.excellence[this.list[u]!]) continue;
        if (!this.above[u * this.R + ri]) continue;
        const tied = prev >= 0 && this.grade[prev] === ri && this.rank[prev] === this.rank[u];
        if (taken >= limit && !tied) break;
        taken++;
        this.grade[u] = ri;
        prev = u;
      }
      if (quota) this.boundary.push(prev >= 0 ? this.position[prev]! : -1);
    });
    if (this.scheme.grades.fallback)
      for (let u = 0; u < n; u++) if (this.grade[u] === -1) this.grade[u] = this.R;
    for (let u = 0; u < n; u++) if (old[u] !== this.grade[u]) changed.push(u);
  }
}

function valueAtF(f: PiecewiseLinear, x: number): number {
  const ps = f.pieces;
  let k = ps.length - 1;
  while (k > 0 && ps[k]!.ff > x) k--;
  const p = ps[k]!;
  return p.af + p.bf * x;
}

function percentOf(percent: DecimalValue, population: number): number {
  const p = parseDecimal(percent);
  return Number((p.n * BigInt(population)) / (p.d * 100n));
}

function sameSomewhere(f: PiecewiseLinear, g: PiecewiseLinear): boolean {
  for (const p of f.pieces)
    for (const q of g.pieces)
      if (p.af === q.af && p.bf === q.bf && cmp(p.a, q.a) === 0 && cmp(p.b, q.b) === 0) return true;
  return false;
}
