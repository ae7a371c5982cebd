import { describe, expect, it } from "vitest";
import { parseDecimal, toExactString } from "../../rational.js";
import { compileFormula, describeProblem, evaluateFormula, type FormulaNames } from "./formula-compiler.js";
import { parseExpression } from "./formula-parser.js";

const names: FormulaNames = { inputs: ["x", "y"], categories: ["résumé", "public-eval"] };

/** The exact value for x = 2.5, or the problems joined. */
function outcome(expression: string): string {
  const r = compileFormula(expression, names);
  if (!r.ok) return r.problems.map(describeProblem).join(" | ");
  const v = evaluateFormula(r.formula, new Map([["x", parseDecimal("2.5")]]));
  return v.ok ? `= ${toExactString(v.value)}` : v.reason;
}

/** Conditions nested `levels` times in the true branch (bracketed, as mathjs needs) or the false one. */
function ternaries(levels: number, branch: "true" | "false"): string {
  let e = "1";
  for (let i = 0; i < levels; i++) e = branch === "true" ? `x > 0 ? (${e}) : 0` : `x < 0 ? 0 : ${e}`;
  return e;
}

describe("formula limits, at their bounds", () => {
  it("takes brackets 40 deep, refuses 41, and counts depth, not brackets in total", () => {
    expect(outcome(`${"(".repeat(40)}x${")".repeat(40)}`)).toBe("= 2.5");
    expect(outcome(`${"(".repeat(41)}x${")".repeat(41)}`)).toBe(
      "brackets nested more than 40 deep (at character 41)",
    );
    expect(outcome(Array(60).fill("(x)").join(" + "))).toBe("= 150");
  });

  it("counts the brackets after a transposing ', which mathjs reads as no text string", () => {
    // Before: the ' opened a text to the end, hiding the brackets; mathjs overflowed instead.
    expect(outcome(`x' + ${"(".repeat(300)}1${")".repeat(300)}`)).toBe(
      "brackets nested more than 40 deep (at character 46)",
    );
    expect(outcome(`"a"' + ${"(".repeat(300)}1${")".repeat(300)}`)).toBe(
      "brackets nested more than 40 deep (at character 48)",
    );
    // Where an operand is due, a ' opens a text string, whose brackets nest nothing.
    expect(parseExpression(`x + '${"(".repeat(41)}'`)).toMatchObject({ ok: true });
  });

  it("takes operations nested 40 deep and refuses 41, wherever the nesting is", () => {
    expect(outcome(`${"-".repeat(40)}x`)).toBe("= 2.5");
    expect(outcome(`${"-".repeat(41)}x`)).toMatch(/^the expression is nested more than 40 levels deep/);
    expect(outcome(`x * ${"-".repeat(39)}x`)).toBe("= -6.25");
    expect(outcome(`x * ${"-".repeat(40)}x`)).toMatch(/^the expression is nested more than 40 levels deep/);
    // A bracketed branch is two levels: the bracket and the condition in it.
    expect(outcome(ternaries(20, "true"))).toBe("= 1");
    expect(outcome(ternaries(21, "true"))).toMatch(/^the expression is nested more than 40 levels deep/);
    expect(outcome(ternaries(39, "false"))).toBe("= 1");
    expect(outcome(ternaries(40, "false"))).toMatch(/^the expression is nested more than 40 levels deep/);
  });

  it("takes 500 parts and refuses 501", () => {
    expect(outcome(`-1${" + 1".repeat(249)}`)).toBe("= 248");
    expect(outcome(`--1${" + 1".repeat(249)}`)).toBe(
      "the expression has more than 500 parts (at character 999)",
    );
  });

  it("takes 2000 characters and refuses 2001", () => {
    expect(outcome(`x${" ".repeat(1999)}`)).toBe("= 2.5");
    expect(outcome(`x${" ".repeat(2000)}`)).toBe("the expression is longer than 2000 characters");
  });

  it("takes literal exponents up to 30 either way, and round places up to 10", () => {
    expect(outcome("1e30")).toBe(`= 1${"0".repeat(30)}`);
    expect(outcome("1e-30")).toBe(`= 0.${"0".repeat(29)}1`);
    expect(outcome("1e31")).toBe('number "1e31" is out of range (at character 1)');
    expect(outcome("round(1 / 3, 10)")).toBe("= 0.3333333333");
    expect(outcome("round(1 / 3, 11)")).toBe(
      "round(x, n) needs n to be a whole number from 0 to 10 (at character 1)",
    );
    expect(outcome("round(x, 2, 3)")).toBe("round takes round(x, n), not 3 argument(s) (at character 1)");
  });

  it("bounds powers through function calls as through brackets", () => {
    expect(outcome("(x ^ 16) ^ 4")).toMatch(/^= /);
    expect(outcome("min(x ^ 16) ^ 16")).toBe(
      "powers are nested too high (more than 64 in total) (at character 7)",
    );
    expect(outcome("round(x ^ 16, 2) ^ 16")).toMatch(/^powers are nested too high/);
  });

  it("says a nesting deeper than the parser can follow is too deep, rather than overflowing", () => {
    // The compiler's length limit keeps this from mathjs; the parser guards itself all the same.
    expect(parseExpression(`${"-".repeat(50_000)}x`)).toEqual({
      ok: false,
      message: "expression is nested too deeply",
    });
  });
});

describe("formula positions", () => {
  it("points a syntax error at the offending token, in the parser's words without its own position", () => {
    expect(outcome("x + * 2")).toBe("syntax error: Value expected (at character 5)");
    expect(outcome("x + )")).toBe("syntax error: Value expected (at character 5)");
    expect(outcome("(x")).toBe("syntax error: Parenthesis ) expected (at character 3)");
  });

  it.each([
    ["résumé + foo", 10], // an accented identifier is one token
    ["1e3 + foo", 7], // so is a literal with an exponent
    ["2.5e-2 + foo", 10],
    ["x <= 1 ? foo : 0", 10], // and each two-character comparison
    ["x >= 1 ? foo : 0", 10],
    ["x != 1 ? foo : 0", 10],
    ["x == 1 ? foo : 0", 10],
  ])("finds the unknown name in %s at character %i", (expression, position) => {
    const r = compileFormula(expression, names);
    expect(r.ok ? [] : r.problems.map((p) => p.position)).toEqual([position]);
  });

  it("counts no bracket in a # comment toward the depth limit: comment text is ordinary text", () => {
    expect(outcome(`x # ${"(".repeat(41)}`)).toBe("= 2.5");
    expect(outcome(`x + (1 # ${"(".repeat(41)}\n)`)).toBe("= 3.5");
    expect(outcome(`${"(".repeat(41)}x${")".repeat(41)} # (`)).toBe(
      "brackets nested more than 40 deep (at character 41)",
    );
  });
});

describe("formula refusals that say what to do", () => {
  it("reports an unknown name once, at its first place, with how often it stands", () => {
    expect(outcome("x + foo * 2 - foo / foo")).toBe(
      'unknown name "foo" (3 times); allowed: inputs x, y; categories résumé (at character 5)',
    );
  });

  it("lists a few of a long list of names and counts the rest, so a refusal stays short", () => {
    const many = Array.from({ length: 5000 }, (_, i) => `a${i}`);
    const r = compileFormula(Array(250).fill("q").join("+"), { inputs: many, categories: many.slice(0, 20) });
    const text = r.ok ? "" : r.problems.map(describeProblem).join(" | ");
    expect(text).toBe(
      'unknown name "q" (250 times); allowed: inputs a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 … and 4,988 more; categories a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 … and 8 more (at character 1)',
    );
    // The formula's own category is never offered, nor counted.
    const own = compileFormula("q", { inputs: [], categories: many.slice(0, 13), self: "a0" });
    expect(own.ok ? "" : own.problems[0]!.message).toBe(
      'unknown name "q"; allowed: categories a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12',
    );
  });

  it("says to bracket a conditional written in another's true branch", () => {
    expect(outcome("x > 0 ? x > 1 ? 1 : 2 : 3")).toBe(
      "syntax error: a conditional in another's true branch must be in brackets: write (x > 1 ? 1 : 2) (at character 9)",
    );
    expect(outcome("x > 0 ? (x > 1 ? 1 : 2) : 3")).toBe("= 1");
    expect(outcome("x > 0 ? 1 : x > 1 ? 2 : 3")).toBe("= 1");
    // Inside brackets of its own, e.g. a function's argument, and with a comment in the branch.
    expect(outcome("max(x > 0 ? y > 1 # big\n ? 1 : 2 : 3, 0)")).toBe(
      "syntax error: a conditional in another's true branch must be in brackets: write c ? (d ? a : b) : e (at character 13)",
    );
  });

  it('says to bracket what "not" should apply to when a comparison follows it', () => {
    expect(outcome("x > 0 and not x > 5 ? 1 : 0")).toBe(
      '"not" needs a condition, not a number; it applies to what follows it alone: write not (x > 5) (at character 11)',
    );
    expect(outcome("x > 0 and not (x > 5) ? 1 : 0")).toBe("= 1");
    expect(outcome("not x")).toBe('"not" needs a condition, not a number (at character 1)');
  });
});
