import { add, cmp, div, mul, type Rational, sub, toNumber, ZERO } from "../rational.js";

/** One piece: value = a + b·x for x from `from` up to the next piece's `from`. */
export interface LinearPiece {
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

function piece(from: Rational, a: Rational, b: Rational): LinearPiece {
  return { from, a, b, ff: toNumber(from), af: toNumber(a), bf: toNumber(b) };
}

export function linear(a: Rational, b: Rational, from: Rational, to: Rational): PiecewiseLinear {
  return { pieces: [piece(from, a, b)], to };
}

export function valueAt(f: PiecewiseLinear, x: Rational): Rational {
  const ps = f.pieces;
  let p = ps[0]!;
  if (ps.length > 1) for (const q of ps) if (cmp(q.from, x) <= 0) p = q;
  return p.b.n === 0n ? p.a : add(p.a, mul(p.b, x));
}

/** Pointwise sum, splitting at the union of both functions' kinks. */
export function plus(f: PiecewiseLinear, g: PiecewiseLinear): PiecewiseLinear {
  const out: LinearPiece[] = [];
  let i = 0;
  let j = 0;
  let from = f.pieces[0]!.from;
  while (i < f.pieces.length && j < g.pieces.length) {
    const p = f.pieces[i]!;
    const q = g.pieces[j]!;
    out.push(piece(from, add(p.a, q.a), add(p.b, q.b)));
    const pEnd = f.pieces[i + 1]?.from ?? f.to;
    const qEnd = g.pieces[j + 1]?.from ?? g.to;
    const c = cmp(pEnd, qEnd);
    from = c <= 0 ? pEnd : qEnd;
    if (c <= 0) i++;
    if (c >= 0) j++;
  }
  return merge({ pieces: out, to: f.to });
}

export function times(f: PiecewiseLinear, k: Rational): PiecewiseLinear {
  return { pieces: f.pieces.map((p) => piece(p.from, mul(p.a, k), mul(p.b, k))), to: f.to };
}

/** max(0, f): splits each piece where it crosses zero. */
export function floorAtZero(f: PiecewiseLinear): PiecewiseLinear {
  const out: LinearPiece[] = [];
  f.pieces.forEach((p, i) => {
    const end = f.pieces[i + 1]?.from ?? f.to;
    const at = (x: Rational) => add(p.a, mul(p.b, x));
    const s0 = cmp(at(p.from), ZERO);
    const s1 = cmp(at(end), ZERO);
    if (s0 >= 0 && s1 >= 0) out.push(p);
    else if (s0 <= 0 && s1 <= 0) out.push(piece(p.from, ZERO, ZERO));
    else {
      const root = div(sub(ZERO, p.a), p.b);
      if (s0 < 0) out.push(piece(p.from, ZERO, ZERO), piece(root, p.a, p.b));
      else out.push(p, piece(root, ZERO, ZERO));
    }
  });
  return merge({ pieces: out, to: f.to });
}

/** Drops empty pieces and joins neighbours on the same line. */
function merge(f: PiecewiseLinear): PiecewiseLinear {
  const out: LinearPiece[] = [];
  for (let i = 0; i < f.pieces.length; i++) {
    const p = f.pieces[i]!;
    const end = f.pieces[i + 1]?.from ?? f.to;
    if (cmp(p.from, end) >= 0 && i < f.pieces.length - 1) continue;
    const last = out[out.length - 1];
    if (last && cmp(last.a, p.a) === 0 && cmp(last.b, p.b) === 0) continue;
    out.push(p);
  }
  return { pieces: out, to: f.to };
}

/** True when f is the same line everywhere (a kink-free, constant-slope function). */
export function isLinear(f: PiecewiseLinear): boolean {
  return f.pieces.length === 1;
}

/**
 * (an / ad) / (bn / bd) in lowest terms with one gcd, not three: a sweep computes one root
 * per crossing, ~10^5 of them at province scale. Parts that fit in doubles take the gcd there.
 */
function quotient(an: bigint, ad: bigint, bn: bigint, bd: bigint): Rational {
  let n = an * bd;
  let d = ad * bn;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  if (n === 0n) return ZERO;
  const g =
    n > -SAFE && n < SAFE && d < SAFE ? BigInt(smallGcd(Math.abs(Number(n)), Number(d))) : bigGcd(n, d);
  return g === 1n ? { n, d } : { n: n / g, d: d / g };
}

const SAFE = 1n << 53n;

function smallGcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

function bigGcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) {
    if (x < SAFE && y < SAFE) return BigInt(smallGcd(Number(x), Number(y)));
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/**
 * Points strictly inside (from, to) where f − g changes sign or touches zero, exactly.
 * Doubles walk both functions' kinks and skip stretches where they are clearly apart;
 * each candidate root is then computed and checked in fractions, from the two pieces
 * that hold it. Stretches where f ≡ g are not reported.
 */
export function crossings(f: PiecewiseLinear, g: PiecewiseLinear): Rational[] {
  const out: Rational[] = [];
  const lo = f.pieces[0]!.from;
  const hi = f.to;
  const hif = toNumber(hi);
  let i = 0;
  let j = 0;
  let startf = f.pieces[0]!.ff;
  while (i < f.pieces.length && j < g.pieces.length) {
    const p = f.pieces[i]!;
    const q = g.pieces[j]!;
    const pEnd = f.pieces[i + 1];
    const qEnd = g.pieces[j + 1];
    const pEndf = pEnd ? pEnd.ff : hif;
    const qEndf = qEnd ? qEnd.ff : hif;
    const endf = Math.min(pEndf, qEndf);
    const db = p.bf - q.bf;
    const d0 = p.af - q.af + db * startf;
    const d1 = p.af - q.af + db * endf;
    const tol = 1e-9 * (1 + Math.abs(p.af) + Math.abs(q.af) + Math.abs(p.bf * endf));
    if (!((d0 > tol && d1 > tol) || (d0 < -tol && d1 < -tol))) {
      const b = p.b.n * q.b.d - q.b.n * p.b.d;
      if (b !== 0n) {
        const root = quotient(q.a.n * p.a.d - p.a.n * q.a.d, p.a.d * q.a.d, b, p.b.d * q.b.d);
        const from = cmp(p.from, q.from) >= 0 ? p.from : q.from;
        const ends = [pEnd?.from ?? hi, qEnd?.from ?? hi];
        const end = cmp(ends[0]!, ends[1]!) <= 0 ? ends[0]! : ends[1]!;
        if (cmp(root, from) >= 0 && cmp(root, end) <= 0 && cmp(root, lo) > 0 && cmp(root, hi) < 0) {
          const last = out[out.length - 1];
          if (!last || cmp(last, root) !== 0) out.push(root);
        }
      }
    }
    startf = endf;
    // Advance on exact kinks: two kinks one double apart must not be merged.
    const c = pEnd && qEnd ? cmp(pEnd.from, qEnd.from) : pEnd ? -1 : qEnd ? 1 : 0;
    if (c <= 0) i++;
    if (c >= 0) j++;
  }
  return out;
}
