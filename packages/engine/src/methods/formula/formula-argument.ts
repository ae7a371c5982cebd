import { wrongArgument } from "../../argument-kind.js";
import { InputError, type InputIssue, received } from "../../input-error.js";
import { notExactValue } from "../../rational-argument.js";
import { unknownField } from "../../unknown-field.js";
import type { CompiledExpression, FormulaNames, FormulaProblem, FormulaScope } from "./formula-compiler.js";

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

const NAME_FIELDS = ["inputs", "categories", "self"];

/**
 * Throws the engine's InputError, every issue at once, when `compileFormula` is given an
 * expression that is no text or names that are not `{ inputs, categories, self? }`: JavaScript
 * would stop at "expression.trim is not a function" or "names is not iterable". The lists'
 * entries are checked where they are indexed (`nameList`), once per list.
 */
export function checkCompileArguments(expression: unknown, names: unknown): asserts names is FormulaNames {
  const issues: InputIssue[] = [];
  if (typeof expression !== "string")
    issues.push({
      path: ["expression"],
      message: `expected the expression's text; got ${received(expression)}`,
    });
  if (typeof names !== "object" || names === null || Array.isArray(names))
    issues.push({
      path: ["names"],
      message: `expected { inputs, categories, self? }, the names the expression may read; got ${received(names)}`,
    });
  else {
    const n = names as Record<string, unknown>;
    for (const field of ["inputs", "categories"])
      if (!Array.isArray(n[field]))
        issues.push({
          path: ["names", field],
          message: `expected a list of names (an empty list for none); got ${received(n[field])}`,
        });
    if (n.self !== undefined && typeof n.self !== "string")
      issues.push({
        path: ["names", "self"],
        message: `expected the formula's own category id, or nothing; got ${received(n.self)}`,
      });
    for (const key of Object.keys(n))
      if (!NAME_FIELDS.includes(key))
        issues.push({ path: ["names", key], message: unknownField(key, NAME_FIELDS) });
  }
  if (issues.length > 0) throw new InputError("argument", issues);
}

/**
 * Throws the engine's InputError when a scope is not a Map from name to exact value: a plain
 * object would fail as "s.get is not a function", a plain number in it as "Cannot mix BigInt
 * and other types". Every value is checked, read or not: each is the caller's slip.
 */
export function checkScopeArgument(scope: unknown): asserts scope is FormulaScope {
  const s = scope as Partial<FormulaScope> | null | undefined;
  if (typeof s?.get !== "function" || typeof s.forEach !== "function")
    throw new InputError("argument", [
      {
        path: ["scope"],
        message: `expected a Map from name to exact value, new Map([["x", parseDecimal("12")]]); got ${received(scope)}`,
      },
    ]);
  const issues: InputIssue[] = [];
  s.forEach((value, name) => {
    const message = notExactValue(value);
    if (message !== undefined) issues.push({ path: ["scope", String(name)], message });
  });
  if (issues.length > 0) throw new InputError("argument", issues);
}
