/**
 * `evaluateFormula` and `substituteFormula` as the package exports them: each checks its
 * arguments first. The engine's own code calls formula-compiler.ts's, once for every unit, with
 * a formula it compiled and a scope it built.
 */

import { checkFormulaArgument, checkScopeArgument } from "./formula-argument.js";
import type { CompiledExpression, FormulaEvaluation, FormulaScope } from "./formula-compiler.js";
import * as compiler from "./formula-compiler.js";

/**
 * Evaluates a compiled formula for one set of values. A missing value or a division by zero is
 * a reason (`ok: false`), never a throw.
 *
 * @throws InputError of subject "argument" naming `formula` for other than a compiled formula
 * (compileFormula's whole answer is the usual slip), or `scope` for other than a Map, and
 * `scope.<name>` for each value in it that is not exact (a plain number: use parseDecimal).
 */
export function evaluateFormula(formula: CompiledExpression, scope: FormulaScope): FormulaEvaluation {
  checkFormulaArgument(formula);
  checkScopeArgument(scope);
  return compiler.evaluateFormula(formula, scope);
}

/**
 * The expression with each name replaced by its value, as traces show it: "12 / 16 * 30". A
 * name without a value stays as written.
 *
 * @throws InputError of subject "argument" naming `formula` for other than a compiled formula,
 * or `scope` for other than a Map, and `scope.<name>` for each value in it that is not exact.
 */
export function substituteFormula(formula: CompiledExpression, scope: FormulaScope): string {
  checkFormulaArgument(formula);
  checkScopeArgument(scope);
  return compiler.substituteFormula(formula, scope);
}
