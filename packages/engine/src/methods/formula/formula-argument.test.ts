import { describe, expect, it } from "vitest";
import {
  compileFormula,
  describeFormulaProblem,
  evaluateFormula,
  InputError,
  substituteFormula,
} from "../../index.js";
import { parseDecimal } from "../../rational.js";

// What plain JavaScript can pass the exported formula functions: each is refused with the
// documented InputError naming the argument, never a TypeError from inside.

/** The refusal's subject and each issue as "path: message". */
function refusal(call: () => unknown): string[] {
  try {
    call();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    expect(e.subject).toBe("argument");
    return e.message
      .split("\n")
      .slice(1)
      .map((line) => line.trim());
  }
  throw new Error("expected an InputError");
}

const wrong = (value: unknown) => value as never;
const none = { inputs: [], categories: [] };
const compiled = compileFormula("a * 2", { inputs: ["a"], categories: [] });
if (!compiled.ok) throw new Error("the formula compiles");
const formula = compiled.formula;

describe("compileFormula's arguments", () => {
  it("refuses an expression that is not text", () => {
    expect(refusal(() => compileFormula(wrong(12), none))).toEqual([
      "expression: expected the expression's text; got 12",
    ]);
  });

  it("refuses names that are no object, or lack a list, every issue at once", () => {
    expect(refusal(() => compileFormula(wrong(undefined), wrong(null)))).toEqual([
      "expression: expected the expression's text; got nothing",
      "names: expected { inputs, categories, self? }, the names the expression may read; got null",
    ]);
    expect(refusal(() => compileFormula("1", wrong({ inputs: [] })))).toEqual([
      "names.categories: expected a list of names (an empty list for none); got nothing",
    ]);
    expect(refusal(() => compileFormula("1", wrong(["a"])))).toEqual([
      "names: expected { inputs, categories, self? }, the names the expression may read; got a list",
    ]);
  });

  it("says which field a misspelt one meant", () => {
    expect(refusal(() => compileFormula("x", wrong({ input: ["x"], categories: [] })))).toEqual([
      "names.inputs: expected a list of names (an empty list for none); got nothing",
      'names.input: unknown field (misspelt?); did you mean "inputs"?',
    ]);
  });

  it("refuses an entry that is not text, and a self that is not an id", () => {
    expect(refusal(() => compileFormula("x", wrong({ inputs: ["x", 2, null], categories: [] })))).toEqual([
      "names.inputs[1]: expected a name; got 2",
      "names.inputs[2]: expected a name; got null",
    ]);
    expect(refusal(() => compileFormula("x", wrong({ inputs: ["x"], categories: [], self: 3 })))).toEqual([
      "names.self: expected the formula's own category id, or nothing; got 3",
    ]);
  });

  it("still answers a refused expression with its problems, not a throw", () => {
    expect(compileFormula("", none)).toEqual({
      ok: false,
      problems: [{ message: "the expression is empty" }],
    });
    expect(compileFormula("x", { ...none, self: undefined }).ok).toBe(false);
  });
});

describe("evaluateFormula's and substituteFormula's scope", () => {
  const calls = [
    ["evaluateFormula", evaluateFormula],
    ["substituteFormula", substituteFormula],
  ] as const;

  it.each(calls)("%s refuses a plain object for a Map", (_, call) => {
    expect(refusal(() => call(formula, wrong({ a: parseDecimal("1") })))).toEqual([
      'scope: expected a Map from name to exact value, new Map([["x", parseDecimal("12")]]); got an object',
    ]);
    expect(refusal(() => call(formula, wrong(undefined)))).toHaveLength(1);
  });

  it.each(calls)("%s refuses each value that is not exact, by its name", (_, call) => {
    const scope = new Map<string, unknown>([
      ["a", 1],
      ["b", parseDecimal("2")],
      ["业务", { n: 1n, d: 0n }],
    ]);
    expect(refusal(() => call(formula, wrong(scope)))).toEqual([
      'scope.a: expected an exact value ({ n, d } bigints) from parseDecimal("…") or ratio(n, d); got 1',
      'scope.业务: expected an exact value whose denominator d is above 0, as parseDecimal("…") and ratio(n, d) make it; got d = 0n',
    ]);
  });

  it.each(calls)("%s names a long denominator by its length, not its digits", (_, call) => {
    const scope = new Map([["a", { n: 1n, d: -(10n ** 200000n) }]]);
    expect(refusal(() => call(formula, wrong(scope)))).toEqual([
      'scope.a: expected an exact value whose denominator d is above 0, as parseDecimal("…") and ratio(n, d) make it; got d = a 200,001-digit negative number',
    ]);
  });

  it("still evaluates a good scope, and a missing value is a reason", () => {
    expect(evaluateFormula(formula, new Map([["a", parseDecimal("1.5")]]))).toEqual({
      ok: true,
      value: parseDecimal("3"),
    });
    expect(evaluateFormula(formula, new Map())).toEqual({ ok: false, reason: 'input "a" missing' });
    expect(substituteFormula(formula, new Map([["a", parseDecimal("1.5")]]))).toBe("1.5 * 2");
  });
});

describe("describeFormulaProblem's argument", () => {
  it("refuses other than a problem", () => {
    expect(refusal(() => describeFormulaProblem(wrong("oops")))).toEqual([
      'problem: expected one of compileFormula(expression, names).problems when not ok; got text "oops"',
    ]);
  });
});
