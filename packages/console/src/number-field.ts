/**
 * Reading the numeric boxes of a form before anything is sent. `Number("")` is 0: an emptied box
 * would otherwise be sent as 0 and refused by the gateway, far from the box. An empty optional box
 * is left out of the request so that the gateway applies its own documented default.
 */
export interface NumberRule {
  /** Empty means "the gateway's default" rather than a missing value. */
  optional?: boolean;
  /** The gateway takes an Int: 2.5 is refused here, at the box. */
  integer?: boolean;
  /** The gateway's limits, checked here so that a value outside them is named at its box. */
  min?: number;
  max?: number;
  /** Whether `min` itself is refused (a concentration must be above 0). */
  minExclusive?: boolean;
}

/** `notDecimal`: a number the gateway does not take as an exact decimal ("1e3", ".5", "5."). */
export type NumberProblem = "required" | "notNumber" | "notInteger" | "outOfRange" | "notDecimal";

/**
 * A box's text: `null` when the browser holds text in it that is not a number (a number input
 * reports such text as "", which must not read as empty).
 */
export type NumberText = string | null;

export type NumberReading = { value: number | undefined } | { problem: NumberProblem };

export function readNumber(text: NumberText, rule: NumberRule): NumberReading {
  if (text === null) return { problem: "notNumber" };
  const trimmed = text.trim();
  if (trimmed === "") return rule.optional ? { value: undefined } : { problem: "required" };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { problem: "notNumber" };
  if (rule.integer && !Number.isInteger(value)) return { problem: "notInteger" };
  if (!inRange(value, rule)) return { problem: "outOfRange" };
  return { value };
}

function inRange(value: number, { min, max, minExclusive }: NumberRule): boolean {
  if (min !== undefined && (minExclusive ? value <= min : value < min)) return false;
  return max === undefined || value <= max;
}

/** "0 – 2147483647", "> 0", "1 – 5000": the range a box takes, for its message and hint. */
export function rangeText({
  min,
  max,
  minExclusive,
  maxExclusive,
}: Pick<NumberRule, "minExclusive"> & {
  min?: number | string;
  max?: number | string;
  maxExclusive?: boolean;
}): string {
  if (min !== undefined && max !== undefined) return `${min} – ${max}`;
  if (min !== undefined) return `${minExclusive ? ">" : "≥"} ${min}`;
  return max !== undefined ? `${maxExclusive ? "<" : "≤"} ${max}` : "";
}

/** Every box of a form: the values to send (empty optional ones left out), or each box's problem. */
export function readNumbers<K extends string>(
  texts: Record<K, NumberText>,
  rules: Record<K, NumberRule>,
): { values: Partial<Record<K, number>>; problems: Partial<Record<K, NumberProblem>> } {
  const values: Partial<Record<K, number>> = {};
  const problems: Partial<Record<K, NumberProblem>> = {};
  for (const key of Object.keys(rules) as K[]) {
    const reading = readNumber(texts[key], rules[key]);
    if ("problem" in reading) problems[key] = reading.problem;
    else if (reading.value !== undefined) values[key] = reading.value;
  }
  return { values, problems };
}

/**
 * A box whose text is sent as it is, an exact decimal (a sweep's bounds). It is never read through
 * a float: that would take 1e3, which the gateway refuses, and read 123456789.123456789 and
 * 123456789.123456788 as one number.
 */
export interface DecimalRule {
  optional?: boolean;
  /** An exact decimal ("0", or a sweep's from for its to), compared exactly. */
  min?: string;
  minExclusive?: boolean;
  /** An exact decimal upper limit (the scheme's total for a sweep's bound), compared exactly. */
  max?: string;
  maxExclusive?: boolean;
}

// The gateway's exact decimals, the engine's grammar (a "+" allowed; a minus is out of range
// wherever these are read): digits, then optionally a point and digits, 1,000 digits at most.
const GATEWAY_DECIMAL = /^\+?\d+(\.\d+)?$/;
const MAX_DECIMAL_DIGITS = 1000;
const SIGNED_DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

export function readDecimal(
  text: string,
  rule: DecimalRule,
): { value: string | undefined } | { problem: NumberProblem } {
  const trimmed = text.trim();
  if (trimmed === "") return rule.optional ? { value: undefined } : { problem: "required" };
  const m = SIGNED_DECIMAL.exec(trimmed);
  // A number written otherwise (1e3, 0x10) cannot be compared digit by digit, nor sent.
  if (!m || (m[2] === "" && !m[3]))
    return { problem: Number.isFinite(Number(trimmed)) ? "notDecimal" : "notNumber" };
  if (rule.min !== undefined) {
    const c = compareDecimals(trimmed, rule.min);
    if (rule.minExclusive ? c <= 0 : c < 0) return { problem: "outOfRange" };
  }
  if (rule.max !== undefined) {
    const c = compareDecimals(trimmed, rule.max);
    if (rule.maxExclusive ? c >= 0 : c > 0) return { problem: "outOfRange" };
  }
  return GATEWAY_DECIMAL.test(trimmed) && trimmed.replace(/\D/g, "").length <= MAX_DECIMAL_DIGITS
    ? { value: trimmed }
    : { problem: "notDecimal" };
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`: both plain decimals, signed or not. */
export function compareDecimals(a: string, b: string): number {
  const [x, y] = [a, b].map((t) => SIGNED_DECIMAL.exec(t.trim())!);
  const places = Math.max(x![3]?.length ?? 0, y![3]?.length ?? 0);
  const d = scaled(x!, places) - scaled(y!, places);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** A plain decimal's digits as an integer of `places` decimals (its own at most). */
const scaled = (m: RegExpExecArray, places: number): bigint =>
  BigInt((m[2] || "0") + (m[3] ?? "").padEnd(places, "0")) * (m[1] === "-" ? -1n : 1n);

/**
 * The exact sum of a scheme's points, as the gateway writes it ("100", not "100.00"); undefined
 * when one of them is not a plain decimal. Summed as integers, never as floats: 99.99 + 0.01 is
 * 100 exactly, and a bound of 100 must be compared with 100, not 99.99999999999999.
 * A number is read as it prints, which is how the gateway reads a scheme's number too.
 */
export function sumDecimals(values: readonly (number | string)[]): string | undefined {
  const parts = values.map((v) => SIGNED_DECIMAL.exec(String(v).trim()));
  if (parts.some((m) => !m || (m[2] === "" && !m[3]))) return undefined;
  const places = Math.max(0, ...parts.map((m) => m![3]?.length ?? 0));
  const sum = parts.reduce((s, m) => s + scaled(m!, places), 0n);
  const digits = (sum < 0n ? -sum : sum).toString().padStart(places + 1, "0");
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places).replace(/0+$/, "");
  return `${sum < 0n ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}
