import { InputError, type InputSubject } from "./input-error.js";

/**
 * The options of a call (or of one of its options, at `at`) as another system passes them
 * from JSON: an object, every key of which the call reads. A misspelt key ("form" for "from",
 * "trace" for "traces") would otherwise leave its option at the default without a word, and
 * options that are no object would fail unnamed. What-if analyses report them as part of the
 * scenario; other calls (`evaluate`, `countSurveyForms`) as an argument.
 */
export function knownOptions(
  options: unknown,
  known: readonly string[],
  at: string[] = [],
  subject: InputSubject = "scenario",
): void {
  const list = known.join(", ");
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new InputError(subject, [{ path: at, message: `must be an object of options (${list})` }]);
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length > 0)
    throw new InputError(
      subject,
      unknown.map((key) => ({ path: [...at, key], message: `unknown option (misspelt?); known: ${list}` })),
    );
}
