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
  const small = smallSum(Number(a.n), Number(a.d), Number(b.n), Number(b.d));
  if (small !== null) return small;
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
  const small = smallProduct(Number(a.n), Number(a.d), Number(b.n), Number(b.d));
  if (small !== null) return small;
  const g1 = gcdOf(a.n, b.d);
  const g2 = gcdOf(b.n, a.d);
  const n = (g1 === 1n ? a.n : a.n / g1) * (g2 === 1n ? b.n : b.n / g2);
  const d = (g2 === 1n ? a.d : a.d / g2) * (g1 === 1n ? b.d : b.d / g1);
  return { n, d };
}

/**
 * sumOf's steps in doubles, while every part and product is an integer below 2^53 (a double
 * result below 2^53 is then exact: rounding cannot bring a larger product under it); null
 * when one is not. Same steps, same gcds, so the same fraction, with two bigints made at the
 * end instead of one per step: building a province's totals took ~10^5 sums.
 */
function smallSum(an: number, ad: number, bn: number, bd: number): Rational | null {
  return sumParts(SCRATCH, an, ad, bn, bd) ? fromParts(SCRATCH) : null;
}

/** productOf's steps in doubles (as smallSum); null when a part or product is past 2^53. */
function smallProduct(an: number, ad: number, bn: number, bd: number): Rational | null {
  return productParts(SCRATCH, an, ad, bn, bd) ? fromParts(SCRATCH) : null;
}

/** A fraction as two double-exact integers (d > 0), while a sum is made in doubles. */
export interface Parts {
  n: number;
  d: number;
}

/** smallSum's and smallProduct's parts, read back at once (nothing runs in between). */
const SCRATCH: Parts = { n: 0, d: 1 };

/** The Rational of parts made by sumParts or productParts (0 as ZERO). */
export function fromParts(p: Parts): Rational {
  return p.n === 0 ? ZERO : { n: BigInt(p.n), d: BigInt(p.d) };
}

/**
 * smallSum into `out` (which may be one of the operands' holder): a sum that stays in doubles
 * over several steps makes its bigints once. False, `out` unchanged, when a part is past 2^53.
 */
function sumParts(out: Parts, an: number, ad: number, bn: number, bd: number): boolean {
  if (!(Math.abs(an) < SAFE_F && ad < SAFE_F && Math.abs(bn) < SAFE_F && bd < SAFE_F)) return false;
  if (ad === bd) {
    const n = an + bn;
    if (!(Math.abs(n) < SAFE_F)) return false;
    if (n === 0) return zeroParts(out);
    const g = smallGcd(Math.abs(n), ad);
    out.n = n / g;
    out.d = ad / g;
    return true;
  }
  const g = smallGcd(ad, bd);
  const bdg = bd / g;
  const x = an * bdg;
  const y = bn * (ad / g);
  const t = x + y;
  const d = ad * bdg;
  if (!(Math.abs(x) < SAFE_F && Math.abs(y) < SAFE_F && Math.abs(t) < SAFE_F && d < SAFE_F)) return false;
  if (g === 1) {
    out.n = t;
    out.d = d;
    return true;
  }
  if (t === 0) return zeroParts(out);
  const g2 = smallGcd(Math.abs(t), g);
  out.n = t / g2;
  out.d = (ad / g2) * bdg;
  return true;
}

/** smallProduct into `out`, as sumParts. */
function productParts(out: Parts, an: number, ad: number, bn: number, bd: number): boolean {
  if (!(Math.abs(an) < SAFE_F && ad < SAFE_F && Math.abs(bn) < SAFE_F && bd < SAFE_F)) return false;
  const g1 = smallGcd(Math.abs(an), bd);
  const g2 = smallGcd(Math.abs(bn), ad);
  const n = (an / g1) * (bn / g2);
  const d = (ad / g2) * (bd / g1);
  if (!(Math.abs(n) < SAFE_F && d < SAFE_F)) return false;
  out.n = n;
  out.d = d;
  return true;
}

function zeroParts(out: Parts): true {
  out.n = 0;
  out.d = 1;
  return true;
}

/** productOf(a, b) into `out`, its steps and shortcuts in doubles; false when a part is past 2^53. */
export function productOfParts(out: Parts, a: Rational, b: Rational): boolean {
  if (a.n === 0n || b.n === 0n) return zeroParts(out);
  if (b.n === 1n && b.d === 1n) return setParts(out, Number(a.n), Number(a.d));
  if (a.n === 1n && a.d === 1n) return setParts(out, Number(b.n), Number(b.d));
  return productParts(out, Number(a.n), Number(a.d), Number(b.n), Number(b.d));
}

/** acc + n/d as sumOf(acc, n/d) makes it (its shortcuts for zeros included), in doubles. */
export function addTo(acc: Parts, n: number, d: number): boolean {
  if (n === 0) return true;
  if (acc.n === 0) return setParts(acc, n, d);
  return sumParts(acc, acc.n, acc.d, n, d);
}

function setParts(out: Parts, n: number, d: number): boolean {
  if (!(Math.abs(n) < SAFE_F && d < SAFE_F)) return false;
  out.n = n;
  out.d = d;
  return true;
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

/**
 * A root in lowest terms as n1·n2 / (d1·d2), each factor a double-exact integer (d1, d2 > 0):
 * the product may pass 2^53, where it is made once in bigints, with no gcd.
 */
export interface RootParts {
  n1: number;
  n2: number;
  d1: number;
  d2: number;
}

const SAFE_F = 2 ** 53;

/** Below this, a product of two parts is exact and a difference of two such products too. */
const EXACT_PRODUCT = 2 ** 52;

/**
 * The usual crossing in doubles: when the cross products of the two lines' parts are below
 * 2^52 (the slopes' over their least common denominator), the differences of the lines are exact, and reducing each before the division
 * (Knuth, TAOCP 4.5.1) leaves the root in lowest terms as a product of two factors, with
 * no bigint gcd. A sweep computes one root per event, ~10^5 of them, and most are only
 * printed. Fills `out` and returns true; false when a part is too large or the lines are
 * parallel (lineCrossing then decides in bigints).
 */
export function smallCrossing(p: LineParts, q: LineParts, out: RootParts): boolean {
  const a0 = q.an * p.ad;
  const a1 = p.an * q.ad;
  let ad = p.ad * q.ad;
  // Every part is in a product here (numerators with the other's denominator ≥ 1), so a part
  // that a double does not hold exactly fails the check.
  if (!(Math.abs(a0) < EXACT_PRODUCT && Math.abs(a1) < EXACT_PRODUCT && ad < EXACT_PRODUCT)) return false;
  if (!(Math.abs(p.bn) < SAFE_F && Math.abs(q.bn) < SAFE_F && p.bd < SAFE_F && q.bd < SAFE_F)) return false;
  // The slopes' difference over their common denominator (Knuth's addition): slopes' parts
  // reach 2^27 but their denominators share factors, so the products mostly fit, and the
  // difference shares with that denominator only factors of the common one (g) — a gcd of
  // 52-bit numbers saved on every root.
  const g = smallGcd(p.bd, q.bd);
  const b0 = p.bn * (q.bd / g);
  const b1 = q.bn * (p.bd / g);
  let bd = p.bd * (q.bd / g);
  if (!(Math.abs(b0) < EXACT_PRODUCT && Math.abs(b1) < EXACT_PRODUCT && bd < EXACT_PRODUCT)) return false;
  let bn = b0 - b1;
  if (bn === 0) return false;
  let an = a0 - a1;
  if (an === 0) {
    out.n1 = 0;
    out.n2 = 1;
    out.d1 = 1;
    out.d2 = 1;
    return true;
  }
  const g1 = smallGcd(Math.abs(an), ad);
  an /= g1;
  ad /= g1;
  const g2 = g === 1 ? 1 : smallGcd(Math.abs(bn), g);
  bn /= g2;
  bd /= g2;
  const g3 = smallGcd(Math.abs(an), Math.abs(bn));
  const g4 = smallGcd(ad, bd);
  const sign = bn < 0 ? -1 : 1;
  out.n1 = (sign * an) / g3;
  out.n2 = bd / g4;
  out.d1 = ad / g4;
  out.d2 = (sign * bn) / g3;
  return true;
}

/** The root as a Rational (bigint products only when the doubles' would not be exact). */
export function rootOf(r: RootParts): Rational {
  const n = r.n1 * r.n2;
  const d = r.d1 * r.d2;
  if (n === 0) return ZERO;
  if (Math.abs(n) < SAFE_F && d < SAFE_F) return { n: BigInt(n), d: BigInt(d) };
  return { n: BigInt(r.n1) * BigInt(r.n2), d: BigInt(r.d1) * BigInt(r.d2) };
}

/**
 * The root's text as `toExactString` prints it, from its factors; null when it prints as a
 * decimal (a denominator of 2s and 5s only), which the caller leaves to `toExactString`.
 */
export function rootText(r: RootParts): string | null {
  const { n1, n2, d1, d2 } = r;
  const fits = Math.abs(n1 * n2) < SAFE_F && d1 * d2 < SAFE_F;
  if (d1 === 1 && d2 === 1) return fits ? integerText(n1 * n2) : String(BigInt(n1) * BigInt(n2));
  if (onlyTwosAndFives(d1) && onlyTwosAndFives(d2)) return null;
  return fits
    ? `${integerText(n1 * n2)}/${integerText(d1 * d2)}`
    : `${BigInt(n1) * BigInt(n2)}/${BigInt(d1) * BigInt(d2)}`;
}

/**
 * An integer below 2^53 as String prints it. Past int32, String takes the shortest-digits
 * algorithm for doubles (~275 ns a root's two parts); eight digits at a time in int32 take
 * about half, on ~10^5 printed roots a sweep.
 */
function integerText(v: number): string {
  if (v < 0) return `-${integerText(-v)}`;
  if (v <= 0x7fffffff) return String(v | 0);
  // Below 2^53 < 10^16 the high part has at most eight digits and fits in int32.
  const high = Math.floor(v / 1e8);
  return String(high) + String(v - high * 1e8 + 1e8).slice(1);
}

/**
 * d (a positive integer below 2^53) has no prime factor but 2 and 5. Asked for every printed
 * root, ~10^5 a sweep: % on a double past int32 is a call into the runtime, so large parts
 * divide by a floored quotient (exact below 2^53) until they fit in int32.
 */
function onlyTwosAndFives(d: number): boolean {
  let rest = d;
  while (rest > 0x7fffffff) {
    const half = Math.floor(rest / 2);
    if (half * 2 === rest) rest = half;
    else {
      const fifth = Math.floor(rest / 5);
      if (fifth * 5 !== rest) return false;
      rest = fifth;
    }
  }
  let r = rest | 0;
  while ((r & 1) === 0) r >>= 1;
  while (r % 5 === 0) r = (r / 5) | 0;
  return r === 1;
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
