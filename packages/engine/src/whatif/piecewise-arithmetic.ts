import { cmp, type Rational, ZERO } from "../rational.js";

/**
 * Sums and products of piece coefficients in lowest terms. Building a province's totals
 * takes ~10^5 of them on 100-bit parts, where a gcd of the full products is the cost: the
 * gcd of the denominators alone (often 1) or cross-cancelled factors are much smaller
 * (Knuth, TAOCP 4.5.1), and zeros and ones, which fixed categories make common, need none.
 */
export function sumOf(a: Rational, b: Rational): Rational {
  if (b.n === 0n) return a;
  if (a.n === 0n) return b;
  if (a.d === b.d) return reduced(a.n + b.n, a.d);
  const g = gcdOf(a.d, b.d);
  if (g === 1n) return { n: a.n * b.d + b.n * a.d, d: a.d * b.d };
  const bd = b.d / g;
  const t = a.n * bd + b.n * (a.d / g);
  if (t === 0n) return ZERO;
  const g2 = gcdOf(t, g);
  return g2 === 1n ? { n: t, d: a.d * bd } : { n: t / g2, d: (a.d / g2) * bd };
}

export function productOf(a: Rational, b: Rational): Rational {
  if (a.n === 0n || b.n === 0n) return ZERO;
  if (b.n === 1n && b.d === 1n) return a;
  if (a.n === 1n && a.d === 1n) return b;
  const g1 = gcdOf(a.n, b.d);
  const g2 = gcdOf(b.n, a.d);
  const n = (g1 === 1n ? a.n : a.n / g1) * (g2 === 1n ? b.n : b.n / g2);
  const d = (g2 === 1n ? a.d : a.d / g2) * (g1 === 1n ? b.d : b.d / g1);
  return { n, d };
}

/** Exact sign of a + b·x, with no gcd. */
export function signAt(a: Rational, b: Rational, x: Rational): number {
  const v = a.n * b.d * x.d + b.n * x.n * a.d;
  return v > 0n ? 1 : v < 0n ? -1 : 0;
}

export function equal(a: Rational, b: Rational): boolean {
  return a.n === b.n && a.d === b.d ? true : cmp(a, b) === 0;
}

function reduced(n: bigint, d: bigint): Rational {
  if (n === 0n) return ZERO;
  const g = gcdOf(n, d);
  return g === 1n ? { n, d } : { n: n / g, d: d / g };
}

const SAFE = 1n << 53n;

/** Euclid in bigints until both parts fit in doubles, then in doubles. */
export function gcdOf(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    if (x < SAFE && y < SAFE) return BigInt(smallGcd(Number(x), Number(y)));
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** A line a + b·x by the doubles of its coefficients' numerators and denominators (exact when small). */
export interface LineParts {
  readonly an: number;
  readonly ad: number;
  readonly bn: number;
  readonly bd: number;
}

/** A number's numerator and denominator as doubles. */
export interface RootParts {
  n: number;
  d: number;
}

const SMALL = 2 ** 26;
const SAFE_F = 2 ** 53;

/**
 * The usual crossing in doubles: with every part below 2^26 the differences of the two lines
 * are exact, and reducing each before the division (Knuth, TAOCP 4.5.1) leaves the root in
 * lowest terms with no bigint at all. A sweep computes one root per event, ~10^5 of them, and
 * most are only printed. Fills `out` and returns true; false when a part or the root's parts
 * are too large, or the lines are parallel (lineCrossing then decides in bigints).
 */
export function smallCrossing(p: LineParts, q: LineParts, out: RootParts): boolean {
  const biggest = Math.max(
    Math.abs(p.an),
    p.ad,
    Math.abs(q.an),
    q.ad,
    Math.abs(p.bn),
    p.bd,
    Math.abs(q.bn),
    q.bd,
  );
  if (!(biggest < SMALL)) return false;
  let bn = p.bn * q.bd - q.bn * p.bd;
  if (bn === 0) return false;
  let an = q.an * p.ad - p.an * q.ad;
  if (an === 0) {
    out.n = 0;
    out.d = 1;
    return true;
  }
  let ad = p.ad * q.ad;
  let bd = p.bd * q.bd;
  const g1 = smallGcd(Math.abs(an), ad);
  an /= g1;
  ad /= g1;
  const g2 = smallGcd(Math.abs(bn), bd);
  bn /= g2;
  bd /= g2;
  const g3 = smallGcd(Math.abs(an), Math.abs(bn));
  const g4 = smallGcd(ad, bd);
  const sign = bn < 0 ? -1 : 1;
  const n = ((sign * an) / g3) * (bd / g4);
  const d = (ad / g4) * ((sign * bn) / g3);
  if (!(n < SAFE_F && n > -SAFE_F && d < SAFE_F)) return false;
  out.n = n;
  out.d = d;
  return true;
}

/**
 * Euclid on nonnegative integers below 2^53. Remainders come from a floored double quotient
 * (off by at most one, then corrected: every product is exact below 2^52) rather than %,
 * which on doubles is a call into the runtime; in int32 once both fit.
 */
function smallGcd(a: number, b: number): number {
  while (b > 0x7fffffff) {
    let t: number;
    if (a < 2 ** 52) {
      t = a - Math.floor(a / b) * b;
      if (t < 0) t += b;
      else if (t >= b) t -= b;
    } else t = a % b;
    a = b;
    b = t;
  }
  if (b === 0) return a;
  let x = b | 0;
  let y = (a % b) | 0;
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}
