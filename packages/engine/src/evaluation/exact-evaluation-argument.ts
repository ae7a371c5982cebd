import { wrongArgument } from "../argument-kind.js";
import { isCompiled } from "../scheme/compile-scheme.js";
import type { ExactEvaluation } from "./compose.js";

/**
 * Throws the engine's InputError when a function that takes an exact evaluation is given
 * anything else (a published evaluation from evaluate() most often, which has no fractions).
 */
export function checkExactEvaluationArgument(
  exact: unknown,
  parameter = "exact",
): asserts exact is ExactEvaluation {
  const e = exact as Partial<ExactEvaluation> | null | undefined;
  if (!isCompiled(e?.compiled) || !Array.isArray(e?.units))
    throw wrongArgument(parameter, "an exact evaluation from evaluateExact(compiled, dataset)", exact);
}
