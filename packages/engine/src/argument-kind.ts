import { RECORD_LISTS } from "./dataset/dataset.js";
import { InputError, received } from "./input-error.js";
import { isCompiled } from "./scheme/compile-scheme.js";

/**
 * What a caller passed where the engine expected one of its own objects, named by the call that
 * makes it: plain JavaScript hands one kind where another is due (an evaluation for a baseline),
 * and "got an object" would not say which mistake it was. Shared by the engine's argument
 * guards, not part of the package's API.
 */
export function argumentKind(value: unknown): string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return received(value);
  const v = value as Record<string, unknown>;
  if (isCompiled(value)) return "a compiled scheme from compileScheme()";
  if (isCompiled(v.compiled) && "exact" in v && "standings" in v) return "a baseline from createBaseline()";
  if (isCompiled(v.compiled) && Array.isArray(v.units)) return "an exact evaluation from evaluateExact()";
  if (isCompiled(v.compiled) && "scenario" in v && "restage" in v)
    return "an applied scenario from applyScenario()";
  if (Array.isArray(v.units) && typeof v.scheme === "object" && v.scheme !== null)
    return "an evaluation from evaluate()";
  // Only a dataset's lists: another answer with `units` (a comparison's) has other keys too.
  if (
    Array.isArray(v.units) &&
    Object.keys(v).every((k) => k === "units" || RECORD_LISTS.includes(k as never))
  )
    return "a dataset";
  if (Array.isArray(v.categories) && Array.isArray(v.groups)) return "a scheme document, not compiled";
  if (typeof v.ok === "boolean" && ("formula" in v || "problems" in v))
    return "compileFormula's answer itself";
  if (value instanceof Map) return "a Map";
  return received(value);
}

/** The InputError of an argument that is not the engine object expected, naming its parameter. */
export function wrongArgument(parameter: string, expected: string, value: unknown): InputError {
  return new InputError("argument", [
    { path: [parameter], message: `expected ${expected}; got ${argumentKind(value)}` },
  ]);
}
