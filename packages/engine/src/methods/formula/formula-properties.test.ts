import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { add, mul, parseDecimal, type Rational, sub } from "../../rational.js";
import { compileFormula, evaluateFormula, type FormulaScope } from "./formula-compiler.js";

const VARS = ["a", "b", "c", "d"] as const;

type Expr =
  | { kind: "var"; name: string }
  | { kind: "lit"; text: string }
  | { kind: "op"; op: "+" | "-" | "*"; l: Expr; r: Expr };

const decimalText = fc
  .tuple(fc.bigInt({ min: -(10n ** 8n), max: 10n ** 8n }), fc.integer({ min: 0, max: 4 }))
  .map(([n, places]) => {
    const digits = (n < 0n ? -n : n).toString().padStart(places + 1, "0");
    const int = digits.slice(0, digits.length - places);
    const frac = digits.slice(digits.length - places);
    return `${n < 0n ? "-" : ""}${int}${places > 0 ? `.${frac}` : ""}`;
  });

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...VARS).map((name): Expr => ({ kind: "var", name })),
    decimalText.map((text): Expr => ({ kind: "lit", text })),
    fc.record({
      kind: fc.constant("op" as const),
      op: fc.constantFrom("+", "-", "*"),
      l: tie("expr"),
      r: tie("expr"),
    }),
  ),
}));

function print(e: Expr): string {
  if (e.kind === "var") return e.name;
  if (e.kind === "lit") return e.text.startsWith("-") ? `(${e.text})` : e.text;
  return `(${print(e.l)} ${e.op} ${print(e.r)})`;
}

function direct(e: Expr, scope: FormulaScope): Rational {
  if (e.kind === "var") return scope.get(e.name)!;
  if (e.kind === "lit") return parseDecimal(e.text);
  const [l, r] = [direct(e.l, scope), direct(e.r, scope)];
  return e.op === "+" ? add(l, r) : e.op === "-" ? sub(l, r) : mul(l, r);
}

const scopeArb = fc
  .tuple(...VARS.map(() => decimalText))
  .map((values) => new Map(VARS.map((v, i) => [v, parseDecimal(values[i]!)])) as FormulaScope);

const names = { inputs: [...VARS], categories: [] };

describe("formula properties", () => {
  it("a compiled + − × formula equals the same arithmetic done with rational.ts", () => {
    fc.assert(
      fc.property(expr, scopeArb, (e, scope) => {
        const compiled = compileFormula(print(e), names);
        if (!compiled.ok) return false;
        const result = evaluateFormula(compiled.formula, scope);
        expect(result).toEqual({ ok: true, value: direct(e, scope) });
        return true;
      }),
      { seed: 20240601, numRuns: 300 },
    );
  });

  it("compiling once and evaluating for N units equals compiling per unit", () => {
    fc.assert(
      fc.property(expr, fc.array(scopeArb, { minLength: 1, maxLength: 8 }), (e, scopes) => {
        const text = print(e);
        const once = compileFormula(text, names);
        if (!once.ok) return false;
        const shared = scopes.map((s) => evaluateFormula(once.formula, s));
        const fresh = scopes.map((s) => {
          const each = compileFormula(text, names);
          return each.ok ? evaluateFormula(each.formula, s) : undefined;
        });
        expect(shared).toEqual(fresh);
        return true;
      }),
      { seed: 20240602, numRuns: 200 },
    );
  });
});
