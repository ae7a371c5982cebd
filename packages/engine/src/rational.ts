/**
 * Exact rational arithmetic for official scores.
 *
 * Why not floating point: 30.86 / 40 × 50 is 38.574999… in binary floating point and
 * rounds to 38.57, where the rules say 38.58. Why not a decimal type: rescaling by
 * 30/40 or averaging 3 votes produces non-terminating decimals, and every
 * intermediate truncation is a chance for two systems to disagree. A fraction of two
 * bigints is exact for every operation the schemes use; rounding happens only where
 * the scheme says so (see `round`).
 */
import { quoted, received } from "./input-error.js";

export interface Rational {
  /** Numerator, sign carried here. */
  readonly n: bigint;
  /** Denominator, always > 0; the pair is always in lowest terms. */
  readonly d: bigint;
}

export type RoundingMode = "half-up" | "half-even";

const ZERO_N = 0n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/**
 * gcd of two safe integers in doubles: `%` of integers below 2^53 is exact, and unlike
 * bigint arithmetic it allocates nothing (a bigint gcd allocates on every step). Shared by
 * the engine's modules, not part of the package's API.
 */
export function smallGcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/**
 * Least common multiple of two positive whole numbers (denominators). Shared by the engine's
 * modules, not part of the package's API.
 */
export function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}

/** `lcm` of two positive safe integers in doubles; exact while the result stays below 2^53. */
export function smallLcm(a: number, b: number): number {
  return (a / smallGcd(a, b)) * b;
}

/**
 * Builds n/d in lowest terms from whole numbers: bigints, or numbers that are integers (a
 * number beyond 2^53 is taken as the integer the double holds, not the digits written).
 *
 * @throws RangeError for a zero denominator; for a number that is not an integer (1.5, NaN)
 * JavaScript's own RangeError from `BigInt`, naming neither `n` nor `d`: the engine's sums and
 * products go through here, so it checks nothing more. Use `parseDecimal` for a decimal.
 */
export function ratio(n: bigint | number, d: bigint | number = 1n): Rational {
  let nn = BigInt(n);
  let dd = BigInt(d);
  if (dd === 0n) throw new RangeError("division by zero");
  if (dd < 0n) {
    nn = -nn;
    dd = -dd;
  }
  if (dd === 1n) return { n: nn, d: 1n };
  if (dd <= SAFE && nn <= SAFE && nn >= -SAFE) {
    const g = smallGcd(Number(nn), Number(dd));
    if (g === 1) return { n: nn, d: dd };
    const big = BigInt(g);
    return { n: nn / big, d: dd / big };
  }
  const g = gcd(nn, dd);
  return g === 1n ? { n: nn, d: dd } : { n: nn / g, d: dd / g };
}

export const ZERO: Rational = { n: 0n, d: 1n };
export const ONE: Rational = { n: 1n, d: 1n };

/**
 * The one grammar of a decimal's text, wherever the engine reads one (schemes, scenarios,
 * datasets, sweep and Monte-Carlo bounds): an optional sign, digits, and optionally "." with
 * more digits: "26.94", "-0.5", "+5", "007". Nothing around it: no spaces, no "27." or ".5",
 * no exponent. It is the scheme's JSON Schema pattern too. ("+" stays: schemes have always
 * taken it, and a stored scheme version must keep compiling.) Shared by the engine's modules,
 * not part of the package's API.
 */
export const DECIMAL_TEXT = /^[+-]?\d+(?:\.\d+)?$/;
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * Most digits a decimal may have. Scores need a few dozen; a value of a million digits from a
 * careless export or a hostile file would make every fraction it enters take seconds to reduce.
 */
export const MAX_DECIMAL_DIGITS = 1000;

/**
 * Text that is not a decimal, quoted as the engine quotes input (`quoted`: cut at 40
 * characters), and with the decimal it was meant to be when it is a near miss as spreadsheets
 * and people write them (" 27.1", "27.", ".5"; datasets and sweep bounds read the first until
 * the grammar was made one). Shared by the engine's modules, not part of the package's API.
 */
export function quoteNonDecimal(text: string): string {
  const shown = quoted(text);
  if (text.length > 40 || !/\d/.test(text)) return shown;
  let meant = text
    .trim()
    .replace(/^\+(?=[\d.])/, "")
    .replace(/^(-?)\./, "$10.")
    .replace(/\.$/, "");
  // A spreadsheet's scientific notation (1E-07, 2.5e3): the same value written out, while short.
  const sci = /^(-?\d+(?:\.\d+)?)[eE]([+-]?\d{1,2})$/.exec(meant);
  if (sci) meant = withoutExponent(sci[1]!, Number(sci[2]));
  return DECIMAL_TEXT.test(meant) ? `${shown} (write it as ${meant})` : shown;
}

/**
 * Reads a decimal literal exactly: "26.94" is 2694/100, not the nearest double. Text follows
 * `DECIMAL_TEXT`; a JS number is read through its shortest round-trip string, which is what a
 * person typed for every score with up to 15 significant digits.
 *
 * @throws RangeError for text that is no decimal ("abc", "1e5", more than `MAX_DECIMAL_DIGITS`
 * digits), a number that is NaN or infinite, or a value that is neither text nor a number.
 */
export function parseDecimal(value: string | number): Rational {
  if (typeof value !== "number" && typeof value !== "string")
    throw new RangeError(`must be a decimal number, not ${received(value)}`);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    if (Number.isInteger(value)) return { n: BigInt(value), d: 1n };
    value = numberToPlainString(value);
  }
  const m = DECIMAL.exec(value);
  if (!m) throw new RangeError(`not a decimal number: ${quoteNonDecimal(value)}`);
  const frac = m[3] ?? "";
  if (m[2]!.length + frac.length > MAX_DECIMAL_DIGITS)
    throw new RangeError(
      `has ${m[2]!.length + frac.length} digits, more than the ${MAX_DECIMAL_DIGITS} a decimal may have`,
    );
  const n = BigInt(m[2]! + frac) * (m[1] === "-" ? -1n : 1n);
  return ratio(n, 10n ** BigInt(frac.length));
}

function numberToPlainString(x: number): string {
  const s = String(x);
  if (!/e/i.test(s)) return s;
  // 1e-7 and friends: expand the exponent without going through float again.
  const [mant = "0", expPart = "0"] = s.toLowerCase().split("e");
  return withoutExponent(mant, Number(expPart));
}

/** mant × 10^exp written out without an exponent, digit by digit (no float in between). */
function withoutExponent(mant: string, exp: number): string {
  const neg = mant.startsWith("-");
  const [ip = "0", fp = ""] = mant.replace("-", "").split(".");
  const digits = ip + fp;
  const point = ip.length + exp;
  let out: string;
  if (point <= 0) out = "0." + "0".repeat(-point) + digits;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = digits.slice(0, point) + "." + digits.slice(point);
  return (neg ? "-" : "") + out;
}

export function add(a: Rational, b: Rational): Rational {
  if (a.d === b.d) return ratio(a.n + b.n, a.d);
  return ratio(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function sub(a: Rational, b: Rational): Rational {
  if (a.d === b.d) return ratio(a.n - b.n, a.d);
  return ratio(a.n * b.d - b.n * a.d, a.d * b.d);
}

export function mul(a: Rational, b: Rational): Rational {
  return ratio(a.n * b.n, a.d * b.d);
}

export function div(a: Rational, b: Rational): Rational {
  if (b.n === ZERO_N) throw new RangeError("division by zero");
  return ratio(a.n * b.d, a.d * b.n);
}

export function neg(a: Rational): Rational {
  return { n: -a.n, d: a.d };
}

export function cmp(a: Rational, b: Rational): -1 | 0 | 1 {
  if (a.d === b.d) return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
  // Parts below 2^26 cross-multiply exactly in doubles (products below 2^52), without
  // allocating the two bigint products: ranking sorts compare totals ~10^5 times.
  if (isSmall(a.n) && isSmall(b.n) && a.d <= SMALL_PART && b.d <= SMALL_PART) {
    const l = Number(a.n) * Number(b.d);
    const r = Number(b.n) * Number(a.d);
    return l < r ? -1 : l > r ? 1 : 0;
  }
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

const SMALL_PART = 2n ** 26n;

function isSmall(n: bigint): boolean {
  return n <= SMALL_PART && n >= -SMALL_PART;
}

export function eq(a: Rational, b: Rational): boolean {
  return a.n === b.n && a.d === b.d;
}

export function min(a: Rational, b: Rational): Rational {
  return cmp(a, b) <= 0 ? a : b;
}

export function max(a: Rational, b: Rational): Rational {
  return cmp(a, b) >= 0 ? a : b;
}

export function isZero(a: Rational): boolean {
  return a.n === ZERO_N;
}

export function sum(values: Iterable<Rational>): Rational {
  let acc = ZERO;
  for (const v of values) acc = add(acc, v);
  return acc;
}

/** The median of a non-empty list: its middle value, or the mean of the middle two. */
export function median(values: readonly Rational[]): Rational {
  const sorted = [...values].sort(cmp);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : div(add(sorted[mid - 1]!, sorted[mid]!), { n: 2n, d: 1n });
}

/**
 * Rounds to `decimals` places. "half-up" is 四舍五入 as offices apply it: halves go
 * away from zero (−0.125 → −0.13), so a deduction and its bonus twin round to the
 * same magnitude. "half-even" is banker's rounding, for schemes that ask for it.
 */
export function round(a: Rational, decimals: number, mode: RoundingMode = "half-up"): Rational {
  // Any other mode ("HALF_UP" from another library's vocabulary) would quietly round half-even.
  if (mode !== "half-up" && mode !== "half-even")
    throw new RangeError(`rounding mode must be "half-up" or "half-even", not ${JSON.stringify(mode)}`);
  if (smallDecimals(decimals) && isSmallPair(a)) {
    const d = Number(a.d);
    const grid = 10 ** decimals;
    if (grid % d === 0) return a;
    const q = smallRounded(Number(a.n), d, grid, mode);
    if (q !== null) return ratio(q, grid);
  }
  if (!Number.isInteger(decimals) || decimals < 0)
    throw new RangeError(`decimals must be a whole number of places, 0 or more, not ${decimals}`);
  const scale = powerOfTen(decimals);
  // Already on the grid (the denominator divides 10^decimals): nothing to round, and in
  // lowest terms the result would be `a` itself.
  if (scale % a.d === ZERO_N) return a;
  return ratio(roundedNumerator(a.n, a.d, scale, mode), scale);
}

/**
 * n/d × scale rounded to a whole number by `round`'s rule (signed): the numerator of the
 * rounded value over `scale`. Shared by the engine's modules, not part of the package's API.
 */
export function roundedNumerator(n: bigint, d: bigint, scale: bigint, mode: RoundingMode): bigint {
  const scaled = n * scale; // value × scale = scaled / d
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  let q = abs / d;
  const twiceRem = (abs % d) * 2n;
  if (twiceRem > d || (twiceRem === d && (mode === "half-up" || q % 2n === 1n))) q += 1n;
  return negative ? -q : q;
}

const POWERS_OF_TEN = Array.from({ length: 19 }, (_, k) => 10n ** BigInt(k));

function powerOfTen(decimals: number): bigint {
  return POWERS_OF_TEN[decimals] ?? 10n ** BigInt(decimals);
}

/**
 * Parts below 2^52: their products with a power of ten up to 10^15, when safe, are exact in
 * doubles, and so are the quotient and remainder below. Traces and publication round and
 * print hundreds of thousands of such values; bigint arithmetic allocates on every step.
 */
function isSmallPair(a: Rational): boolean {
  return a.n < SMALL_LIMIT && a.n > -SMALL_LIMIT && a.d < SMALL_LIMIT;
}

const SMALL_LIMIT = 2n ** 52n;

/** 0 to 15 places: 10^15 is exact in doubles. Anything else (−1, 1.5) takes the bigint path, which rejects it. */
function smallDecimals(decimals: number): boolean {
  return Number.isInteger(decimals) && decimals >= 0 && decimals <= 15;
}

/**
 * n/d × grid rounded to a whole number as `round` does (signed), in doubles; null when
 * n × grid is not exact there (the bigint path takes over).
 */
function smallRounded(n: number, d: number, grid: number, mode: RoundingMode): number | null {
  const scaled = n * grid;
  const abs = Math.abs(scaled);
  if (!(abs < 2 ** 52)) return null;
  // The floor of the double quotient is exact: a quotient that is not whole lies at least
  // 1/d from every whole number, and the double nearest to it is less than 1/(2d) off
  // (half an ulp of a value below 2^52 / d). q × d ≤ abs, so the remainder is exact too.
  let q = Math.floor(abs / d);
  const twice = 2 * (abs - q * d);
  if (twice > d || (twice === d && (mode === "half-up" || q % 2 === 1))) q += 1;
  return scaled < 0 ? -q : q;
}

/**
 * Exact decimal text with exactly `decimals` places. A value with more places is rounded
 * half-up (away from zero) to them: `round` it first under another mode.
 */
export function toFixed(a: Rational, decimals: number): string {
  if (smallDecimals(decimals) && isSmallPair(a)) {
    const q = smallRounded(Number(a.n), Number(a.d), 10 ** decimals, "half-up");
    if (q !== null) return pointText(q < 0, String(Math.abs(q)), decimals);
  }
  const r = round(a, decimals);
  const scaled = (r.n * powerOfTen(decimals)) / r.d;
  const negative = scaled < 0n;
  return pointText(negative, (negative ? -scaled : scaled).toString(), decimals);
}

/** A whole number's digits read as `places` decimals: ("5", 2) is "0.05"; a sign when negative. */
function pointText(negative: boolean, digits: string, places: number): string {
  const padded = digits.padStart(places + 1, "0");
  const cut = padded.length - places;
  return (negative ? "-" : "") + padded.slice(0, cut) + (places > 0 ? `.${padded.slice(cut)}` : "");
}

/**
 * The value of a text `toExactString` writes: a decimal, or "n/d". Throws a RangeError for
 * anything else, as `parseDecimal` does.
 */
export function parseExact(text: string): Rational {
  const slash = text.indexOf("/");
  if (slash < 0) return parseDecimal(text);
  return div(parseDecimal(text.slice(0, slash)), parseDecimal(text.slice(slash + 1)));
}

/**
 * Shortest exact text: a terminating decimal when the denominator has only the prime
 * factors 2 and 5, otherwise "n/d". Used in traces so that nothing shown is rounded
 * unless the scheme rounded it.
 */
export function toExactString(a: Rational): string {
  // A safe integer prints the same as a double, and V8 keeps the texts of recent small
  // numbers: half the time of a bigint's text, and often no new string.
  if (a.d === 1n) return a.n <= SAFE && a.n >= -SAFE ? String(Number(a.n)) : a.n.toString();
  return (
    (a.n <= SAFE && a.n >= -SAFE && a.d <= SAFE && smallExactString(Number(a.n), Number(a.d))) ||
    bigExactString(a)
  );
}

/**
 * The common case in plain numbers: traces format hundreds of thousands of small values,
 * and bigint arithmetic allocates on every step. Returns null when a product would stop
 * being exact, and the bigint path takes over.
 */
function smallExactString(num: number, den: number): string | null {
  let rest = den;
  let twos = 0;
  let fives = 0;
  while (rest % 2 === 0) {
    rest /= 2;
    twos++;
  }
  while (rest % 5 === 0) {
    rest /= 5;
    fives++;
  }
  if (rest !== 1) return `${num}/${den}`;
  const places = Math.max(twos, fives);
  // 10^places / den is an exact integer up to 10^15; the product is exact while it is a safe integer.
  const scaled = places <= 15 ? num * (10 ** places / den) : Number.NaN;
  if (!Number.isSafeInteger(scaled)) return null;
  // In lowest terms the last digit is never 0, so there is nothing to trim.
  return pointText(scaled < 0, String(Math.abs(scaled)), places);
}

function bigExactString(a: Rational): string {
  const places = decimalPlaces(a.d);
  return places === undefined ? `${a.n}/${a.d}` : trimZeros(toFixed(a, places));
}

/**
 * The fewest places that write 1/d exactly (d = 2^a × 5^b gives max(a, b)), or undefined when
 * d has another prime factor. Not one division per factor: a 100,000-digit denominator would
 * take 100,000 divisions of 100,000-digit numbers.
 */
function decimalPlaces(d: bigint): number | undefined {
  const twos = (d & -d).toString(2).length - 1;
  const rest = d >> BigInt(twos);
  if (rest === 1n) return twos;
  // rest must be 5^b, and 5^b has floor(b × log2 5) + 1 bits: b is fixed by the bit count
  // (the neighbours guard against rounding in the logarithm).
  const estimate = Math.ceil((rest.toString(2).length - 1) / Math.log2(5));
  for (const fives of [estimate, estimate - 1, estimate + 1])
    if (fives > 0 && 5n ** BigInt(fives) === rest) return Math.max(twos, fives);
  return undefined;
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/** Nearest double, for charts and statistics only, never for official scores. */
export function toNumber(a: Rational): number {
  const n = Number(a.n);
  const d = Number(a.d);
  if (Number.isFinite(n) && Number.isFinite(d) && Math.abs(n) < 2 ** 53 && d < 2 ** 53) return n / d;
  // Huge parts: scale down through a fixed number of digits.
  return Number((a.n * 10n ** 20n) / a.d) / 1e20;
}
