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

export type NumberProblem = "required" | "notNumber" | "notInteger" | "outOfRange";

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
export function rangeText({ min, max, minExclusive }: NumberRule): string {
  if (min !== undefined && max !== undefined) return `${min} – ${max}`;
  if (min !== undefined) return `${minExclusive ? ">" : "≥"} ${min}`;
  return max !== undefined ? `≤ ${max}` : "";
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
