import { InputError } from "../input-error.js";

/**
 * The options of an analysis (or of one of its options, at `at`) as another system passes
 * them from JSON: an object, every key of which the analysis reads. A misspelt key ("form"
 * for "from") would otherwise leave its option at the default without a word, and options
 * that are no object would fail unnamed.
 */
export function knownOptions(options: unknown, known: readonly string[], at: string[] = []): void {
  const list = known.join(", ");
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new InputError("scenario", [{ path: at, message: `must be an object of options (${list})` }]);
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length > 0)
    throw new InputError(
      "scenario",
      unknown.map((key) => ({ path: [...at, key], message: `unknown option (misspelt?); known: ${list}` })),
    );
}
