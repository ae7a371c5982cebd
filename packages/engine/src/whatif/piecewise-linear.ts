import { cmp, div, neg, type Rational, toNumber, ZERO } from "../rational.js";
import {
  equal,
  fromParts,
  type LineParts,
  type Parts,
  productOf,
  rootOf,
  signAt,
  smallCrossing,
  sumOf,
} from "./piecewise-arithmetic.js";

/** One piece: value = a + b·x for x from `from` up to the next piece's `from`. */
export interface LinearPiece extends LineParts {
  readonly from: Rational;
  readonly a: Rational;
  readonly b: Rational;
  /** Doubles of from, a, b: for prefiltering only. */
  readonly ff: number;
  readonly af: number;
  readonly bf: number;
}

/**
 * An exact piecewise-linear function on [from, to]. A unit's unrounded total is one, as a
 * function of a swept category's points: linear between the kinks where a deduction or the
 * total floor reaches zero. Pieces are in order and cover the domain.
 */
export interface PiecewiseLinear {
  readonly pieces: readonly LinearPiece[];
  readonly to: Rational;
}

/**
 * A piece whose fractions may be made only when read. A province sweep makes ~21,000 pieces
 * and reads the fractions of about a quarter (the rest are steered and crossed in doubles
 * from their parts): a piece made from double-exact parts makes its four bigints on demand.
 */
class Piece implements LinearPiece {
  constructor(
    readonly from: Rational,
    readonly ff: number,
    readonly an: number,
    readonly ad: number,
    readonly bn: number,
    readonly bd: number,
    readonly af: number,
    readonly bf: number,
    private exactA: Rational | null,
    private exactB: Rational | null,
  ) {}

  get a(): Rational {
    // Made from parts that are exact (see linearOfParts), in lowest terms as the parts are.
    if (this.exactA === null) this.exactA = fromParts({ n: this.an, d: this.ad });
    return this.exactA;
  }

  get b(): Rational {
    if (this.exactB === null) this.exactB = fromParts({ n: this.bn, d: this.bd });
    return this.exactB;
  }
}

function piece(from: Rational, a: Rational, b: Rational): LinearPiece {
  const an = Number(a.n);
  const ad = Number(a.d);
  const bn = Number(b.n);
  const bd = Number(b.d);
  return new Piece(from, near(from), an, ad, bn, bd, near(a, an / ad), near(b, bn / bd), a, b);
}

/**
 * A double within a few ulps: coefficients have 100-bit parts, where `toNumber` takes a
 * bigint division, and the doubles only steer (with margins far above a few ulps).
 */
function near(x: Rational, f = Number(x.n) / Number(x.d)): number {
  return Number.isFinite(f) ? f : toNumber(x);
}

export function linear(a: Rational, b: Rational, from: Rational, to: Rational): PiecewiseLinear {
  return { pieces: [piece(from, a, b)], to };
}

function wholeParts(p: Parts): boolean {
  return Number.isSafeInteger(p.n) && Number.isSafeInteger(p.d) && p.d > 0;
}

/**
 * The line a + b·x from the parts sumParts and productParts make (integers below 2^53, in
 * lowest terms, d > 0): the same function as `linear` of their fractions, whose bigints are
 * made only if read.
 */
export function linearOfParts(a: Parts, b: Parts, from: Rational, to: Rational): PiecewiseLinear {
  // Checked here, where a caller's mistake is made, rather than when a fraction is first read.
  if (!wholeParts(a) || !wholeParts(b))
    throw new Error("linearOfParts: parts must be integers below 2^53 with positive denominators");
  return {
    pieces: [new Piece(from, near(from), a.n, a.d, b.n, b.d, a.n / a.d, b.n / b.d, null, null)],
    to,
  };
}

export function valueAt(f: PiecewiseLinear, x: Rational): Rational {
  const p = pieceAt(f, x);
  return p.b.n === 0n ? p.a : sumOf(p.a, productOf(p.b, x));
}

/** f(x) in doubles, from the pieces' doubles: to estimate with, never to decide. */
export function approxValueAt(f: PiecewiseLinear, x: number): number {
  const ps = f.pieces;
  let k = ps.length - 1;
  while (k > 0 && ps[k]!.ff > x) k--;
  const p = ps[k]!;
  return p.af + p.bf * x;
}

function pieceAt(f: PiecewiseLinear, x: Rational): LinearPiece {
  const ps = f.pieces;
  let p = ps[0]!;
  if (ps.length > 1) for (const q of ps) if (cmp(q.from, x) <= 0) p = q;
  return p;
}

/** Exact sign of f(x) − g(x), with no gcd. */
export function signOfDifference(f: PiecewiseLinear, g: PiecewiseLinear, x: Rational): number {
  const p = pieceAt(f, x);
  const q = pieceAt(g, x);
  const a = p.a.n * q.a.d - q.a.n * p.a.d;
  const b = p.b.n * q.b.d - q.b.n * p.b.d;
  const v = a * p.b.d * q.b.d * x.d + b * x.n * p.a.d * q.a.d;
  return v > 0n ? 1 : v < 0n ? -1 : 0;
}

/** Exact sign of f(x) − m. */
export function signAtPoint(f: PiecewiseLinear, m: Rational, x: Rational): number {
  const p = pieceAt(f, x);
  const a = p.a.n * m.d - m.n * p.a.d;
  const v = a * p.b.d * x.d + p.b.n * x.n * p.a.d * m.d;
  return v > 0n ? 1 : v < 0n ? -1 : 0;
}

/** Pointwise sum, splitting at the union of both functions' kinks. */
export function plus(f: PiecewiseLinear, g: PiecewiseLinear): PiecewiseLinear {
  if (f.pieces.length === 1 && g.pieces.length === 1) {
    // Two lines on one domain, the usual case: nothing to split or merge.
    const p = f.pieces[0]!;
    const q = g.pieces[0]!;
    return { pieces: [piece(p.from, sumOf(p.a, q.a), sumOf(p.b, q.b))], to: f.to };
  }
  const out: LinearPiece[] = [];
  let i = 0;
  let j = 0;
  let from = f.pieces[0]!.from;
  while (i < f.pieces.length && j < g.pieces.length) {
    const p = f.pieces[i]!;
    const q = g.pieces[j]!;
    out.push(piece(from, sumOf(p.a, q.a), sumOf(p.b, q.b)));
    const pEnd = f.pieces[i + 1]?.from ?? f.to;
    const qEnd = g.pieces[j + 1]?.from ?? g.to;
    const c = cmp(pEnd, qEnd);
    from = c <= 0 ? pEnd : qEnd;
    if (c <= 0) i++;
    if (c >= 0) j++;
  }
  return merge({ pieces: out, to: f.to });
}

/**
 * c + f₁ + … + fₙ on [from, to]. When every f is one line, the sum is made as one piece
 * rather than one per addition: a province sweep sums ~40,000 category functions.
 */
export function sumOfAll(
  c: Rational,
  fs: readonly PiecewiseLinear[],
  from: Rational,
  to: Rational,
): PiecewiseLinear {
  let a = c;
  let b = ZERO;
  for (const f of fs) {
    if (f.pieces.length !== 1) {
      let total = linear(c, ZERO, from, to);
      for (const g of fs) total = plus(total, g);
      return total;
    }
    a = sumOf(a, f.pieces[0]!.a);
    b = sumOf(b, f.pieces[0]!.b);
  }
  return linear(a, b, from, to);
}

export function times(f: PiecewiseLinear, k: Rational): PiecewiseLinear {
  return { pieces: f.pieces.map((p) => piece(p.from, productOf(p.a, k), productOf(p.b, k))), to: f.to };
}

/** max(0, f): splits each piece where it crosses zero. */
export function floorAtZero(f: PiecewiseLinear): PiecewiseLinear {
  const to = toNumber(f.to);
  if (f.pieces.length === 1) {
    // A line, as every unit's total is floored: unchanged unless it crosses zero (~10^4 a sweep).
    const p = f.pieces[0]!;
    if (signNear(p, p.from, p.ff) >= 0 && signNear(p, f.to, to) >= 0) return f;
  }
  const out: LinearPiece[] = [];
  f.pieces.forEach((p, i) => {
    const next = f.pieces[i + 1];
    const end = next?.from ?? f.to;
    const s0 = signNear(p, p.from, p.ff);
    const s1 = signNear(p, end, next ? next.ff : to);
    if (s0 >= 0 && s1 >= 0) out.push(p);
    else if (s0 <= 0 && s1 <= 0) out.push(piece(p.from, ZERO, ZERO));
    else {
      const root = div(neg(p.a), p.b);
      if (s0 < 0) out.push(piece(p.from, ZERO, ZERO), piece(root, p.a, p.b));
      else out.push(p, piece(root, ZERO, ZERO));
    }
  });
  return merge({ pieces: out, to: f.to });
}

/** Sign of a piece's value at x (whose double is xf): the double decides unless it is near zero. */
function signNear(p: LinearPiece, x: Rational, xf: number): number {
  const v = p.af + p.bf * xf;
  const tol = 1e-9 * (1 + Math.abs(p.af) + Math.abs(p.bf * xf));
  return v > tol ? 1 : v < -tol ? -1 : signAt(p.a, p.b, x);
}

/** Drops empty pieces and joins neighbours on the same line. */
function merge(f: PiecewiseLinear): PiecewiseLinear {
  if (f.pieces.length === 1) return f;
  const out: LinearPiece[] = [];
  for (let i = 0; i < f.pieces.length; i++) {
    const p = f.pieces[i]!;
    const end = f.pieces[i + 1]?.from ?? f.to;
    if (cmp(p.from, end) >= 0 && i < f.pieces.length - 1) continue;
    const last = out[out.length - 1];
    if (last && equal(last.a, p.a) && equal(last.b, p.b)) continue;
    out.push(p);
  }
  return { pieces: out, to: f.to };
}

/** f on [a, b] only, a ≤ b inside its domain: its pieces there, the first starting at a. */
export function restrict(f: PiecewiseLinear, a: Rational, b: Rational): PiecewiseLinear {
  const ps = f.pieces;
  let first = 0;
  while (first + 1 < ps.length && cmp(ps[first + 1]!.from, a) <= 0) first++;
  let last = first;
  while (last + 1 < ps.length && cmp(ps[last + 1]!.from, b) < 0) last++;
  const p = ps[first]!;
  const pieces = [cmp(p.from, a) === 0 ? p : piece(a, p.a, p.b)];
  for (let k = first + 1; k <= last; k++) pieces.push(ps[k]!);
  return { pieces, to: b };
}

/** True when f is the same line everywhere (a kink-free, constant-slope function). */
export function isLinear(f: PiecewiseLinear): boolean {
  return f.pieces.length === 1;
}

/** Where the lines of two pieces meet, exactly; null when they are parallel. */
export function lineCrossing(p: LinearPiece, q: LinearPiece): Rational | null {
  const parts = { n1: 0, n2: 1, d1: 1, d2: 1 };
  if (smallCrossing(p, q, parts)) return rootOf(parts);
  // (q.a − p.a) / (p.b − q.b): differences and quotient in lowest terms by Knuth's
  // algorithms (TAOCP 4.5.1), whose gcds are of single parts, not of ~100-bit products.
  const slopes = sumOf(p.b, neg(q.b));
  if (slopes.n === 0n) return null;
  const inverse = slopes.n < 0n ? { n: -slopes.d, d: -slopes.n } : { n: slopes.d, d: slopes.n };
  return productOf(sumOf(q.a, neg(p.a)), inverse);
}
