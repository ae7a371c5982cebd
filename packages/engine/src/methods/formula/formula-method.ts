import type { DecimalValue } from "../../dataset/dataset.js";
import { unknownId } from "../../exact-id.js";
import { type InputIssue, received } from "../../input-error.js";
import { cmp, parseDecimal, type Rational, toExactString, ZERO } from "../../rational.js";
import type { FormulaParams, Scheme } from "../../scheme/scheme-schema.js";
import { type TraceStep, traceStep } from "../../trace.js";
import { exact } from "../exact-text.js";
import type { MethodOutcome, ScoringMethod } from "../scoring-method.js";
import {
  type CompiledExpression,
  compileFormula,
  describeProblem,
  evaluateFormula,
  substituteFormula,
} from "./formula-compiler.js";
import { isFormulaName } from "./formula-names.js";

/** What `formulaMethod.compile` prepares once per scheme. */
export interface CompiledFormula {
  /** Undefined when the expression was rejected; the scheme then has issues and is not scored. */
  formula: CompiledExpression | undefined;
  max: Rational;
}

/** A unit's value of one input: exact, or why it cannot be used. */
type InputValue = Rational | "duplicate" | "invalid";

/** An administrator's formula over named per-unit inputs and other categories' points. */
export const formulaMethod: ScoringMethod<FormulaParams, CompiledFormula> = {
  kind: "formula",

  compile(params, { category, scheme, path }) {
    const issues: InputIssue[] = [];
    const max = parseDecimal(params.max);
    // Exact: a max such as 1e-330 written out is positive though it reads as 0 as a JavaScript number.
    if (cmp(max, ZERO) <= 0) issues.push({ path: [...path, "max"], message: "must be greater than 0" });
    const declared = new Set<string>();
    params.inputs.forEach(({ name }, i) => {
      const at = [...path, "inputs", i, "name"];
      if (declared.has(name)) issues.push({ path: at, message: `input "${name}" is declared twice` });
      if (!isFormulaName(name))
        issues.push({
          path: at,
          // The schema admits only identifiers: what is left are words the expression syntax takes.
          message: /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
            ? `"${name}" cannot be written in an expression: it is a reserved word (such as and, or, mod, true, NaN)`
            : `"${name}" cannot be written in an expression: use letters, digits and _, starting with a letter`,
        });
      declared.add(name);
    });
    const compiled = compileFormula(params.expression, {
      inputs: [...declared],
      categories: categoryIds(scheme),
      self: category.id,
    });
    if (!compiled.ok) {
      for (const problem of compiled.problems)
        issues.push({ path: [...path, "expression"], message: describeProblem(problem) });
      return { issues, compiled: { formula: undefined, max }, dependsOn: [] };
    }
    const formula = compiled.formula;
    return { issues, compiled: { formula, max }, dependsOn: [...formula.categories] };
  },

  validateData({ params, dataset, unitIds }) {
    const issues: InputIssue[] = [];
    const declared = new Set(params.inputs.map((i) => i.name));
    // Unit and name → the row of the first value, for naming it beside a duplicate.
    const seen = new Map<string, number>();
    const rows = dataset.inputs ?? [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (!declared.has(row.name)) continue;
      if (!unitIds.has(row.unit))
        issues.push({
          path: ["inputs", i, "unit"],
          message: row.unit == null ? "unit is missing (required)" : unknownId("unit", row.unit, unitIds),
        });
      const key = JSON.stringify([row.unit, row.name]);
      const first = seen.get(key);
      if (first !== undefined) issues.push({ path: ["inputs", i], message: `duplicate of inputs[${first}]` });
      else seen.set(key, i);
      if (row.value == null)
        issues.push({ path: ["inputs", i, "value"], message: "value is missing (required)" });
      else {
        const problem = valueProblem(row.value);
        if (problem !== undefined) issues.push({ path: ["inputs", i, "value"], message: problem });
      }
    }
    return issues;
  },

  score({ compiled: { formula, max }, dataset, units, categoryPoints }) {
    const out = new Map<string, MethodOutcome>();
    if (!formula) {
      for (const unit of units)
        out.set(unit.id, { status: "insufficient", reason: "the formula was rejected", trace: [] });
      return out;
    }
    const inputs = indexInputs(dataset.inputs ?? [], new Set(formula.inputs));
    for (const unit of units) {
      const scope = new Map<string, Rational>();
      const problems: string[] = [];
      const mine = inputs.get(unit.id);
      for (const name of formula.inputs) {
        const v = mine?.get(name);
        if (v === undefined) problems.push(`input "${name}" missing`);
        else if (v === "duplicate") problems.push(`input "${name}" given more than once`);
        else if (v === "invalid") problems.push(`input "${name}" is not a decimal number`);
        else scope.set(name, v);
      }
      for (const id of formula.categories) {
        const v = categoryPoints.get(id)?.get(unit.id);
        if (v === undefined) problems.push(`category "${id}" missing`);
        else scope.set(id, v);
      }
      out.set(unit.id, scoreUnit(formula, scope, problems, max));
    }
    return out;
  },
};

// One list per scheme, so that the compiler indexes it once: built per formula, a chain of
// 5,000 formula categories built and indexed 25 million ids.
const categoryIdLists = new WeakMap<Scheme["categories"], readonly string[]>();

function categoryIds(scheme: Scheme): readonly string[] {
  let ids = categoryIdLists.get(scheme.categories);
  if (!ids) {
    ids = Object.freeze(scheme.categories.map((c) => c.id));
    categoryIdLists.set(scheme.categories, ids);
  }
  return ids;
}

function scoreUnit(
  formula: CompiledExpression,
  scope: Map<string, Rational>,
  problems: string[],
  max: Rational,
) {
  const trace: TraceStep[] = [traceStep("formula", formula.expression)];
  if (scope.size > 0)
    trace.push(traceStep("values", [...scope].map(([k, v]) => `${k} = ${exact(v)}`).join(", ")));
  if (problems.length > 0) {
    const reason = problems.join("; ");
    return {
      status: "insufficient",
      reason,
      trace: [...trace, traceStep("result", reason)],
    } satisfies MethodOutcome;
  }
  const result = evaluateFormula(formula, scope);
  const shown = substituteFormula(formula, scope);
  if (!result.ok)
    return {
      status: "insufficient",
      reason: result.reason,
      trace: [...trace, traceStep("result", `${shown}: ${result.reason}`)],
    } satisfies MethodOutcome;
  trace.push(traceStep("result", `${shown} = ${exact(result.value)}`));
  const low = cmp(result.value, ZERO) < 0;
  const high = cmp(result.value, max) > 0;
  if (!low && !high)
    return { status: "scored", value: result.value, scale: max, trace } satisfies MethodOutcome;
  const bound = low ? ZERO : max;
  trace.push(traceStep("clamp", `formula gave ${exact(result.value)}, clamped to ${toExactString(bound)}`));
  return {
    status: "scored",
    value: bound,
    scale: max,
    trace,
    details: { unclamped: toExactString(result.value) },
  } satisfies MethodOutcome;
}

/** Why an input's value is no decimal, in the words a score's is refused with, or `undefined`. */
function valueProblem(value: DecimalValue): string | undefined {
  try {
    parseDecimal(value);
    return undefined;
  } catch (e) {
    return e instanceof RangeError ? e.message : `not a decimal number: ${received(value)}`;
  }
}

function readValue(value: DecimalValue): Rational | undefined {
  try {
    return parseDecimal(value);
  } catch {
    return undefined;
  }
}

/** Values by unit, then input name; duplicates are marked so the result never depends on row order. */
function indexInputs(
  rows: readonly { unit: string; name: string; value: DecimalValue }[],
  used: ReadonlySet<string>,
) {
  const byUnit = new Map<string, Map<string, InputValue>>();
  for (const row of rows) {
    if (!used.has(row.name)) continue;
    let mine = byUnit.get(row.unit);
    if (!mine) {
      mine = new Map();
      byUnit.set(row.unit, mine);
    }
    mine.set(row.name, mine.has(row.name) ? "duplicate" : (readValue(row.value) ?? "invalid"));
  }
  return byUnit;
}
