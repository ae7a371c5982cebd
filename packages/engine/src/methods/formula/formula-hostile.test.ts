import { describe, expect, it } from "vitest";
import { parseDecimal, ratio } from "../../rational.js";
import { compileFormula, describeProblem, evaluateFormula, type FormulaNames } from "./formula-compiler.js";

const names: FormulaNames = {
  inputs: ["cases", "x", "y"],
  categories: ["business", "public"],
  self: "composite",
};

function rejection(expression: string, given: FormulaNames = names): string {
  const r = compileFormula(expression, given);
  if (r.ok) throw new Error(`accepted: ${expression}`);
  return r.problems.map(describeProblem).join(" | ");
}

describe("compileFormula rejects hostile and unsupported expressions", () => {
  it.each([
    // known mathjs escape attempts
    ['cos.constructor("return process")()', /syntax error/],
    [
      'cos.constructor("return process")',
      /calling the result of an expression .* is not allowed \(at character 1\)/,
    ],
    [
      "[].map.constructor",
      /property access or indexing "\[\]\.map\.constructor" is not allowed \(at character 1\)/,
    ],
    ['x["constructor"]', /property access or indexing/],
    ["f(x) = x", /function definition "f\(x\) = x" is not allowed/],
    ["a = 1", /assignment "a = 1" is not allowed/],
    ["import({}, {})", /function "import" is disabled in formulas; allowed functions: min/],
    ['evaluate("1")', /function "evaluate" is disabled/],
    ['parse("1")', /function "parse" is disabled/],
    ['simplify("x")', /function "simplify" is disabled/],
    ['derivative("x", "x")', /function "derivative" is disabled/],
    ['resolve("x")', /function "resolve" is disabled/],
    ['createUnit("foo")', /function "createUnit" is disabled/],
    ["x.y", /property access or indexing "x\.y" is not allowed \(at character 1\)/],
    ["x[1]", /property access or indexing/],
    ['"str"', /text string "str" is not allowed/],
    ["'str'", /text string "str" is not allowed/],
    ["1 cm", /implicit multiplication before "cm" .*units.* \(at character 3\)/],
    ["2i", /implicit multiplication before "i" .* imaginary numbers .* \(at character 2\)/],
    ["2 x", /implicit multiplication/],
    ["3 to cm", /operator "to" is not allowed/],
    ["1:3", /range "1:3" is not allowed/],
    ["{a: 1}", /object .* is not allowed/],
    ["[1, 2]", /array "\[1, 2\]" is not allowed/],
    ["x; y", /several statements/],
    ["x\ny", /several statements/],
    ["true", /constant true is not allowed/],
    ["null", /constant null is not allowed/],
    ["NaN", /number "NaN" is not allowed/],
    ["Infinity", /number "Infinity" is not allowed/],
    ["0x1F", /number "0x1F" is not allowed/],
    ["1e999999", /out of range/],
    [`1${"0".repeat(1000)}`, /number "10000000000000000000…" has more than 1000 digits \(at character 1\)/],
    [
      `x + 0.${"0".repeat(999)}1`,
      /number "0.000000000000000000…" has more than 1000 digits \(at character 5\)/,
    ],
    ["50%", /percent sign .* \(at character 3\)/],
    ["x mod 2", /operator "mod" is not allowed \(at character 3\)/],
    ["x!", /operator "!" is not allowed \(at character 2\)/],
    ["x'", /operator "'" is not allowed/],
    ["x xor y", /operator "xor"/],
    ["x & y", /operator "&"/],
    ["x | y", /operator "\|"/],
    ["x << 2", /operator "<<"/],
    ["~x", /operator "~" is not allowed \(at character 1\)/],
    ["x ?? y", /operator "\?\?"/],
    ["x .* y", /operator "\.\*"/],
    ["x < y < 3", /chained comparison .*write a < b and b < c/],
    ["cos(x)", /function "cos" is not allowed; allowed functions: .*clamp\(x, lo, hi\)/],
    ["x + sqrt(2)", /function "sqrt" is not allowed.*\(at character 5\)/],
    ["constructor(1)", /function "constructor" is not allowed/],
    ["x ^ y", /exponent after "\^" must be a whole number from 0 to 16/],
    ["x ^ -1", /exponent after "\^"/],
    ["x ^ 0.5", /exponent after "\^"/],
    ["x ^ 17", /exponent after "\^"/],
    ["((x ^ 16) ^ 16)", /powers are nested too high/],
    ["round(x, y)", /round\(x, n\) needs n to be a whole number/],
    ["round(x, 11)", /round\(x, n\) needs n/],
    ["max()", /max takes max\(a, b, …\), not 0 argument/],
    ["abs(x, y)", /abs takes abs\(x\), not 2 argument/],
    ["clamp(x, 1)", /clamp takes clamp\(x, lo, hi\)/],
    ["x + (y > 1)", /"\+" needs numbers on both sides/],
    ["x and y", /"and" needs conditions/],
    ["not x", /"not" needs a condition/],
    ["-(x > 1)", /^"-" needs a number, not a condition \(at character 1\)$/],
    ["x * +(x > 1)", /^"\+" needs a number, not a condition \(at character 5\)$/],
    ["x ? 1 : 2", /the condition before "\?" must be a comparison/],
    ["x > 1 ? 1 : y > 2", /both branches/],
    ["x > 1", /gives a condition \(true\/false\), not a number/],
    ["", /empty/],
    ["   ", /empty/],
    ["1 +", /syntax error: Unexpected end of expression/],
    ["(x", /syntax error/],
  ])("%s", (expression, message) => {
    expect(rejection(expression)).toMatch(message);
  });

  it("names an unknown symbol, where it is, and what is allowed", () => {
    expect(rejection("x + foo")).toBe(
      'unknown name "foo"; allowed: inputs cases, x, y; categories business, public (at character 5)',
    );
    expect(rejection("pi * x")).toMatch(/unknown name "pi"/);
    expect(rejection("e")).toMatch(/unknown name "e"/);
    expect(rejection("__proto__")).toMatch(/unknown name "__proto__"/);
    expect(rejection("a", { inputs: [], categories: [] })).toMatch(/no names are declared/);
  });

  it("reports every unknown symbol in one pass", () => {
    expect(rejection("  x +  foo *  bar")).toBe(
      [
        'unknown name "foo"; allowed: inputs cases, x, y; categories business, public (at character 8)',
        'unknown name "bar"; allowed: inputs cases, x, y; categories business, public (at character 15)',
      ].join(" | "),
    );
  });

  it("explains why a hyphenated category id cannot be written", () => {
    expect(rejection("public-eval / 2", { inputs: [], categories: ["public-eval"] })).toMatch(
      /"public-eval" cannot be written in a formula because it is not a plain identifier/,
    );
    // Only an id the unknown name is part of: another one that cannot be written is no hint.
    expect(rejection("organ", { inputs: [], categories: ["public-eval", "organ-work"] })).toBe(
      'unknown name "organ"; allowed: no names are declared; "organ-work" cannot be written in a formula because it is not a plain identifier; give the category an id of letters, digits and _ to read it (its name can stay as it is) (at character 1)',
    );
    expect(rejection("nope", { inputs: ["x"], categories: ["public-eval"] })).toBe(
      'unknown name "nope"; allowed: inputs x (at character 1)',
    );
  });

  it("blames an id that cannot be written only for a whole part of it, not a letter inside it", () => {
    // "e" is in "public-eval", but mathjs would read that id as "public" and "eval", never "e".
    expect(rejection("x + e", { inputs: ["x"], categories: ["public-eval"] })).toBe(
      'unknown name "e"; allowed: inputs x (at character 5)',
    );
    expect(rejection("x + eval", { inputs: ["x"], categories: ["public-eval"] })).toMatch(
      /^unknown name "eval"; allowed: inputs x; "public-eval" cannot be written/,
    );
  });

  it("names a Chinese category id where mathjs gives only a syntax error", () => {
    const chinese = { inputs: ["x"], categories: ["业务", "业务工作"] };
    const hint = (id: string, at: number) =>
      `"${id}" cannot be written in a formula because it is not a plain identifier; give the category an id of letters, digits and _ to read it (its name can stay as it is) (at character ${at})`;
    expect(rejection("业务 * 2", chinese)).toBe(hint("业务", 1));
    expect(rejection("x + 业务工作 / 2", chinese)).toBe(hint("业务工作", 5));
    // A syntax error elsewhere is kept, in order of position; a comment is text.
    expect(rejection("(x + 2)) + 业务 # 业务工作", chinese)).toBe(
      ["syntax error: Unexpected operator ) (at character 8)", hint("业务", 12)].join(" | "),
    );
    expect(rejection("x + 得分", chinese)).toBe('syntax error: Syntax error in part "得分" (at character 5)');
  });

  it("lists every allowed function, round included, for a function it does not know", () => {
    expect(rejection("cos(x)")).toBe(
      'function "cos" is not allowed; allowed functions: min(a, b, …), max(a, b, …), abs(x), floor(x), ceil(x), clamp(x, lo, hi), round(x, n) (at character 1)',
    );
  });

  it("rejects a reference to the formula's own category", () => {
    expect(rejection("composite + 1")).toBe(
      'the formula cannot refer to its own category "composite" (at character 1)',
    );
  });

  it("rejects a name that is both an input and a category", () => {
    expect(rejection("a", { inputs: ["a"], categories: ["a"] })).toMatch(/"a" is ambiguous/);
  });

  it("rejects over-long and over-deep expressions without overflowing the stack", () => {
    expect(rejection("x + ".repeat(600) + "x")).toMatch(/longer than 2000 characters/);
    expect(rejection("(".repeat(900) + "x" + ")".repeat(900))).toMatch(/longer than 2000|nested more than/);
    expect(rejection("(".repeat(60) + "x" + ")".repeat(60))).toMatch(/brackets nested more than 40 deep/);
    expect(rejection("-".repeat(900) + "x")).toMatch(/nested more than 40 levels deep/);
    expect(rejection("1+".repeat(20) + "min(" + "x+".repeat(300) + "x)")).toMatch(
      /nested more than|more than 500 parts/,
    );
  });

  it("leaves no mathjs evaluation surface: a rejected call never runs", () => {
    // If any of these ran, the mathjs instance's stubs would throw or the test process would change.
    for (const e of ["import({evaluate: 1}, {override: true})", 'evaluate("2+2")', "createUnit('x')"])
      expect(compileFormula(e, names).ok).toBe(false);
  });

  it("stops values from growing past 1000 digits instead of computing for seconds per unit", () => {
    const digits = "7".repeat(450);
    // Without a bound the first took ~9 s for one unit: 86,000-digit parts and their gcd.
    const cases: [expression: string, x: string, reason: RegExp][] = [
      [
        `((${digits}.${digits}1)^16)^4 / ((1.${"3".repeat(400)}7)^16)^4`,
        "1",
        /^"\(7{36}\.\.\." gives a number of more than 1000 digits$/,
      ],
      [`x${" * x".repeat(200)}`, "123456.789", /^"x \* x \* .*" gives a number of more than 1000 digits$/],
      ["(x ^ 16) ^ 4", `1${"0".repeat(100)}.5`, /^"x \^ 16" gives a number of more than 1000 digits$/],
      ["x + 1", `0.${"1".repeat(1000)}`, /^input "x" has more than 1000 digits$/],
    ];
    for (const [expression, x, reason] of cases) {
      const compiled = compileFormula(expression, names);
      if (!compiled.ok) throw new Error(compiled.problems.map(describeProblem).join("; "));
      // A value longer than parseDecimal reads can still reach a formula from another category.
      const [whole, frac = ""] = x.split(".");
      const value = ratio(BigInt(whole! + frac), 10n ** BigInt(frac.length));
      const result = evaluateFormula(compiled.formula, new Map([["x", value]]));
      // The refusal is the bound at work: without it, this is the 9 s computation.
      expect(result.ok ? "ok" : result.reason).toMatch(reason);
    }
    // Values a scheme can need stay exact: 64th powers of everyday figures are well within.
    const ok = compileFormula("((x / 3) ^ 16) ^ 4", names);
    expect(ok.ok && evaluateFormula(ok.formula, new Map([["x", parseDecimal("12345.678")]])).ok).toBe(true);
  });
});
