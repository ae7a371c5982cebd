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
  let p = f.pieces[0]!;
  for (const q of f.pieces) if (cmp(q.from, x) <= 0) p = q;
  return add(p.a, mul(p.b, x));
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
 * Points strictly inside (from, to) where f − g changes sign or touches zero from one
 * side, exactly. Doubles skip pieces that are clearly apart; every root reported is
 * computed and checked in fractions. Intervals where f ≡ g are not reported.
 */
export function crossings(f: PiecewiseLinear, g: PiecewiseLinear): Rational[] {
  const d = plus(f, times(g, { n: -1n, d: 1n }));
  const out: Rational[] = [];
  const lo = d.pieces[0]!.from;
  const hi = d.to;
  const lof = toNumber(lo);
  const hif = toNumber(hi);
  d.pieces.forEach((p, i) => {
    if (p.b.n === 0n) return; // constant difference: no isolated crossing on this piece
    const end = d.pieces[i + 1]?.from;
    const endf = end ? d.pieces[i + 1]!.ff : hif;
    const v0 = p.af + p.bf * p.ff;
    const v1 = p.af + p.bf * endf;
    const tol = 1e-9 * (1 + Math.abs(v0) + Math.abs(v1));
    if ((v0 > tol && v1 > tol) || (v0 < -tol && v1 < -tol)) return;
    const root = div(sub(ZERO, p.a), p.b);
    if (cmp(root, p.from) < 0 || cmp(root, end ?? hi) > 0) return;
    if (cmp(root, lo) <= 0 || cmp(root, hi) >= 0) return;
    if (lof === hif) return;
    out.push(root);
  });
  return out;
}
