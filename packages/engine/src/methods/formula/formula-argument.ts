import { wrongArgument } from "../../argument-kind.js";
import type { CompiledExpression, FormulaProblem } from "./formula-compiler.js";

/**
 * Throws the engine's InputError when `evaluateFormula` or `substituteFormula` is given other
 * than a compiled formula: compileFormula's whole answer ({ ok, formula }) is the usual slip.
 */
export function checkFormulaArgument(formula: unknown): asserts formula is CompiledExpression {
  const f = formula as Partial<CompiledExpression> | null | undefined;
  if (typeof f?.run !== "function" || typeof f.show !== "function")
    throw wrongArgument(
      "formula",
      "a compiled formula, compileFormula(expression, names).formula when ok",
      formula,
    );
}

/** Throws the engine's InputError when `describeFormulaProblem` is given other than a problem. */
export function checkFormulaProblemArgument(problem: unknown): asserts problem is FormulaProblem {
  if (typeof (problem as Partial<FormulaProblem> | null | undefined)?.message !== "string")
    throw wrongArgument("problem", "one of compileFormula(expression, names).problems when not ok", problem);
}
