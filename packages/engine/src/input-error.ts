/**
 * One problem in an input (a scheme, a dataset, a scenario or options, an argument), located by
 * its path (e.g. ["ballots", 17, "score"]).
 */
export interface InputIssue {
  path: (string | number)[];
  message: string;
}

/**
 * What an InputError blames: a scheme, a dataset, a what-if scenario (with a what-if
 * analysis's options), or an argument of another call: its options (`evaluate`'s `traces`)
 * or a value it was given (`compareUnits`' unit ids), each issue's path starting at the option
 * or the parameter's name.
 */
export type InputSubject = "scheme" | "dataset" | "scenario" | "argument";

/**
 * Thrown when an input is invalid: a scheme or a dataset, a what-if scenario or analysis's
 * options (subject "scenario"), or an argument of a call (subject "argument": a misspelt
 * option, an unknown unit id, a value that is not the engine object the call takes, such as an
 * evaluation where a baseline is due or a plain number where an exact value is). `subject` says
 * which. Lists every problem found, not just the first, so an administrator can fix a file in
 * one pass.
 */
export class InputError extends Error {
  readonly issues: readonly InputIssue[];
  readonly subject: InputSubject;

  /**
   * `what` names the input in the message's first line where the subject alone would mislead:
   * a Monte-Carlo run's options are part of the scenario (subject "scenario", so that a caller
   * places their paths as it places a scenario's), but read `invalid Monte-Carlo options (…)`.
   */
  constructor(subject: InputSubject, issues: readonly InputIssue[], what: string = subject) {
    const shown = issues.slice(0, 20).map((i) => `  ${formatPath(i.path)}: ${i.message}`);
    const more = issues.length > 20 ? [`  … and ${issues.length - 20} more`] : [];
    super(
      [
        `invalid ${what} (${issues.length} problem${issues.length === 1 ? "" : "s"}):`,
        ...shown,
        ...more,
      ].join("\n"),
    );
    this.name = "InputError";
    this.issues = issues;
    this.subject = subject;
  }
}

/** `ballots[17].score` — the notation JSON Schema editors and zod use. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out || "(root)";
}

/**
 * Text from the input quoted in a message, cut short: a key or value of a megabyte would
 * otherwise be copied into every message. Shared by the engine's modules, not part of the
 * package's API.
 */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * A bigint quoted in a message, in full up to 20 digits (`suffix` after it, such as "n"), else
 * by its length and sign: a denominator or a flag of 10n ** 200000n would otherwise put 200,001
 * digits into the message. Counting the digits costs what printing them did; only the message
 * is bounded. Shared by the engine's modules, not part of the package's API.
 */
export function shownBigint(value: bigint, suffix = ""): string {
  const digits = value.toString().replace("-", "").length;
  if (digits <= 20) return `${value}${suffix}`;
  return `a ${digits.toLocaleString("en-US")}-digit ${value < 0n ? "negative " : ""}number`;
}

/**
 * What the input gave where a message says what was asked instead: text quoted and called
 * text (`text "12"`, where a number was asked, reads apart from the number 12), a number,
 * true, false or null as itself, a bigint as `shownBigint` shows it, a list or an object by its kind. Shared by the engine's
 * modules, not part of the package's API.
 */
export function received(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return `text ${quoted(value)}`;
    case "bigint":
      return shownBigint(value);
    case "number":
    case "boolean":
      return String(value);
    case "undefined":
      return "nothing";
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}
