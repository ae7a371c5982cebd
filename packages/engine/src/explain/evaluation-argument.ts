import type { Evaluation } from "../evaluation/evaluate.js";
import { InputError } from "../input-error.js";

/**
 * Throws the engine's InputError when a caller (plain JavaScript, or data that lost its shape on
 * the way) passes something other than an evaluation, rather than a TypeError from deep inside.
 */
export function checkEvaluationArgument(evaluation: unknown): asserts evaluation is Evaluation {
  const e = evaluation as Partial<Evaluation> | null | undefined;
  if (!Array.isArray(e?.units) || typeof e?.scheme !== "object" || e.scheme === null)
    throw new InputError("argument", [
      {
        path: ["evaluation"],
        message: "must be an evaluation, as evaluate returns it (with its scheme and units)",
      },
    ]);
}
