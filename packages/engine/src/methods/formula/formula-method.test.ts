import { describe, expect, it } from "vitest";
import type { FormulaInput } from "../../dataset/dataset.js";
import { parseDecimal, type Rational, toExactString } from "../../rational.js";
import {
  type Category,
  type FormulaParams,
  formulaMethodSchema,
  schemeSchema,
} from "../../scheme/scheme-schema.js";
import type { MethodOutcome } from "../scoring-method.js";
import { formulaMethod } from "./formula-method.js";

const PATH = ["categories", 2, "method"];

function setup(expression: string, inputs: string[] = ["cases", "target"], max: string | number = 100) {
  const params: FormulaParams = formulaMethodSchema.parse({
    kind: "formula",
    expression,
    inputs: inputs.map((name) => ({ name })),
    max,
  });
  const category: Category = { id: "composite", name: "Composite", points: 20, method: params };
  const scheme = schemeSchema.parse({
    id: "s",
    version: 1,
    name: "s",
    categories: [
      { id: "business", name: "Business", points: 30, method: { kind: "direct" } },
      { id: "public", name: "Public", points: 40, method: { kind: "direct" } },
      category,
    ],
    groups: [{ id: "g", name: "g" }],
  });
  const compiled = formulaMethod.compile(params, { category, scheme, path: PATH });
  return { params, category, compiled };
}

const units = ["u1", "u2", "u3"].map((id) => ({ id, name: id, group: "g" }));

function score(
  expression: string,
  inputs: FormulaInput[],
  points: Record<string, Record<string, string>> = {},
  max: string | number = 100,
): Map<string, MethodOutcome> {
  const { params, category, compiled } = setup(expression, ["cases", "target"], max);
  expect(compiled.issues).toEqual([]);
  const categoryPoints = new Map(
    Object.entries(points).map(([c, byUnit]) => [
      c,
      new Map(Object.entries(byUnit).map(([u, v]) => [u, parseDecimal(v)] as [string, Rational])),
    ]),
  );
  const dataset = { units, inputs };
  const ctx = { category, params, dataset, unitIds: new Set(units.map((u) => u.id)) };
  expect(formulaMethod.validateData(ctx)).toEqual([]);
  return formulaMethod.score({ ...ctx, compiled: compiled.compiled, units, categoryPoints });
}

function scored(outcome: MethodOutcome | undefined): string {
  if (outcome?.status !== "scored") throw new Error(`not scored: ${JSON.stringify(outcome)}`);
  return `${toExactString(outcome.value)} of ${toExactString(outcome.scale)}`;
}

describe("formulaMethod.compile", () => {
  it("depends on the categories the expression reads", () => {
    const { compiled } = setup("public / 40 * 50 + business * 0 + cases");
    expect(compiled.issues).toEqual([]);
    expect(compiled.dependsOn).toEqual(["public", "business"]);
  });

  it("reports expression problems at the expression's path, with positions", () => {
    const { compiled } = setup("cases + evaluate('1')");
    expect(compiled.issues).toEqual([
      {
        path: [...PATH, "expression"],
        message: expect.stringMatching(/^function "evaluate" is disabled in formulas;.*\(at character 9\)$/),
      },
    ]);
    expect(compiled.dependsOn).toEqual([]);
  });

  it("rejects self-reference and unknown names", () => {
    const { compiled } = setup("composite + nope");
    expect(compiled.issues.map((i) => i.message)).toEqual([
      'the formula cannot refer to its own category "composite" (at character 1)',
      'unknown name "nope"; allowed: inputs cases, target; categories business, public (at character 13)',
    ]);
  });

  it("flags twice-declared inputs at compile time", () => {
    const { compiled } = setup("1", ["cases", "target", "cases"]);
    expect(compiled.issues).toEqual([
      { path: [...PATH, "inputs", 2, "name"], message: 'input "cases" is declared twice' },
    ]);
  });

  it("says an input named like an operator or a constant is a reserved word", () => {
    const { compiled } = setup("cases + 1", ["cases", "mod", "NaN"]);
    expect(compiled.issues).toEqual(
      [1, 2].map((i) => ({
        path: [...PATH, "inputs", i, "name"],
        message: `"${["", "mod", "NaN"][i]}" cannot be written in an expression: it is a reserved word (such as and, or, mod, true, NaN)`,
      })),
    );
  });

  it("checks max exactly: 0 and a negative are refused, the tiniest positive decimal is taken", () => {
    const tiny = `0.${"0".repeat(330)}1`;
    const category: Category = { id: "c", name: "c", points: 1, method: { kind: "direct" } };
    const scheme = schemeSchema.parse({
      id: "s",
      version: 1,
      name: "s",
      categories: [category],
      groups: [{ id: "g", name: "g" }],
    });
    // Params built directly: this is the method's own check, whatever the schema lets through.
    const issuesFor = (max: string) =>
      formulaMethod.compile(
        { kind: "formula", expression: "1", inputs: [], max },
        { category, scheme, path: PATH },
      ).issues;
    expect(issuesFor(tiny)).toEqual([]);
    expect(issuesFor("0.000")).toEqual([{ path: [...PATH, "max"], message: "must be greater than 0" }]);
    expect(issuesFor(`-${tiny}`)).toEqual([{ path: [...PATH, "max"], message: "must be greater than 0" }]);
  });

  it("rejects input names that cannot be written in an expression, and max 0, when the scheme is read", () => {
    const parsed = formulaMethodSchema.safeParse({
      kind: "formula",
      expression: "1",
      inputs: [{ name: "cases" }, { name: "case-count" }],
      max: 0,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["inputs.1.name", "must be an identifier: letters, digits and _, not starting with a digit"],
      ["max", "must be greater than 0"],
    ]);
  });

  it("reads max by its digits when the scheme is read: a tiny positive scale is kept, 0 and negatives refused once", () => {
    const issues = (max: string) =>
      formulaMethodSchema
        .safeParse({ kind: "formula", expression: "1", max })
        .error?.issues.map((i) => [i.path.join("."), i.message]) ?? [];
    expect(issues(`0.${"0".repeat(330)}1`)).toEqual([]);
    expect(issues("0.000")).toEqual([["max", "must be greater than 0"]]);
    expect(issues("-1")).toEqual([["max", "must be greater than 0"]]);
  });
});

describe("formulaMethod.score", () => {
  const rows: FormulaInput[] = [
    { unit: "u1", name: "cases", value: 12 },
    { unit: "u1", name: "target", value: "16" },
    { unit: "u2", name: "cases", value: "3" },
    { unit: "u2", name: "target", value: 0 },
    { unit: "u3", name: "cases", value: "20" },
  ];

  it("scores each unit exactly on the scale `max`, and traces expression, values and result", () => {
    const out = score("cases / target * 30", rows, {}, 30);
    expect(scored(out.get("u1"))).toBe("22.5 of 30");
    expect(out.get("u1")?.trace).toEqual([
      { step: "formula", text: "cases / target * 30" },
      { step: "values", text: "cases = 12, target = 16" },
      { step: "result", text: "12 / 16 * 30 = 22.5" },
    ]);
  });

  it("makes division by zero and missing inputs insufficient for that unit only", () => {
    const out = score("cases / target * 30", rows, {}, 30);
    expect(out.get("u2")).toMatchObject({
      status: "insufficient",
      reason: 'division by zero in "cases / target"',
    });
    expect(out.get("u3")).toMatchObject({ status: "insufficient", reason: 'input "target" missing' });
    expect(scored(out.get("u1"))).toBe("22.5 of 30");
  });

  it("reads other categories' exact unrounded points", () => {
    const out = score("public / 40 * 50 + business", [], {
      public: { u1: "30.86", u2: "40" },
      business: { u1: "0", u2: "0.5" },
    });
    expect(scored(out.get("u1"))).toBe("38.575 of 100");
    expect(scored(out.get("u2"))).toBe("50.5 of 100");
    expect(out.get("u3")).toMatchObject({
      status: "insufficient",
      reason: 'category "public" missing; category "business" missing',
    });
  });

  it("clamps results outside [0, max] and says so", () => {
    const out = score("cases * 10 - 15.5", rows);
    expect(scored(out.get("u1"))).toBe("100 of 100");
    expect(out.get("u1")?.trace.at(-1)).toEqual({
      step: "clamp",
      text: "formula gave 104.5, clamped to 100",
    });
    expect(out.get("u1")).toMatchObject({ details: { unclamped: "104.5" } });
    expect(scored(out.get("u2"))).toBe("14.5 of 100");
    const low = score("0 - cases", rows);
    expect(scored(low.get("u2"))).toBe("0 of 100");
    expect(low.get("u2")?.trace.at(-1)).toEqual({ step: "clamp", text: "formula gave -3, clamped to 0" });
  });

  it("puts ≈ beside a value that does not terminate, as survey traces do", () => {
    // u1: 12 * 100 / 11 = 1200/11, above 100; u2: 3 * 100 / 11 = 300/11.
    const out = score("cases * 100 / 11", rows);
    expect(out.get("u1")?.trace.slice(-2)).toEqual([
      { step: "result", text: "12 * 100 / 11 = 1200/11 (≈ 109.09)" },
      { step: "clamp", text: "formula gave 1200/11 (≈ 109.09), clamped to 100" },
    ]);
    expect(out.get("u1")).toMatchObject({ details: { unclamped: "1200/11" } });
    expect(out.get("u2")?.trace.at(-1)).toEqual({ step: "result", text: "3 * 100 / 11 = 300/11 (≈ 27.27)" });
  });

  it("takes a result of exactly 0 or exactly max as it is, with no clamp step", () => {
    // u1: 12 * 10 - 20 = 100; u2: 3 * 10 - 30 = 0.
    const out = score("cases * 10 - (cases > 5 ? 20 : 30)", rows);
    for (const [unit, value, shown] of [
      ["u1", "100", "12 * 10 - (12 > 5 ? 20 : 30) = 100"],
      ["u2", "0", "3 * 10 - (3 > 5 ? 20 : 30) = 0"],
    ] as const) {
      expect(scored(out.get(unit))).toBe(`${value} of 100`);
      expect(out.get(unit)?.trace.at(-1)).toEqual({ step: "result", text: shown });
      expect(out.get(unit)).not.toHaveProperty("details");
    }
  });

  it("traces a missing input as the reason, not as a failed evaluation, and a constant without values", () => {
    const out = score("cases / target * 30", rows, {}, 30);
    expect(out.get("u3")?.trace).toEqual([
      { step: "formula", text: "cases / target * 30" },
      { step: "values", text: "cases = 20" },
      { step: "result", text: 'input "target" missing' },
    ]);
    expect(score("12.5", rows).get("u1")?.trace).toEqual([
      { step: "formula", text: "12.5" },
      { step: "result", text: "12.5 = 12.5" },
    ]);
  });

  it("names every missing value at once", () => {
    const out = score("cases + target + public", [{ unit: "u1", name: "cases", value: 1 }], {});
    expect(out.get("u1")).toMatchObject({
      status: "insufficient",
      reason: 'input "target" missing; category "public" missing',
    });
  });

  it("refuses a value given twice or not a decimal, in any row order, even unvalidated", () => {
    // validateData reports these rows; scoring must not pick one of them if it runs regardless.
    const { params, category, compiled } = setup("cases + target");
    const bad: FormulaInput[] = [
      { unit: "u1", name: "cases", value: 1 },
      { unit: "u1", name: "cases", value: 2 },
      { unit: "u1", name: "target", value: 1 },
      { unit: "u2", name: "cases", value: 1 },
      { unit: "u2", name: "target", value: "1,5" },
    ];
    for (const inputs of [bad, [...bad].reverse()]) {
      const dataset = { units, inputs };
      const out = formulaMethod.score({
        category,
        params,
        dataset,
        unitIds: new Set(units.map((u) => u.id)),
        compiled: compiled.compiled,
        units,
        categoryPoints: new Map(),
      });
      expect(out.get("u1")).toMatchObject({
        status: "insufficient",
        reason: 'input "cases" given more than once',
      });
      expect(out.get("u2")).toMatchObject({
        status: "insufficient",
        reason: 'input "target" is not a decimal number',
      });
    }
  });

  it("does not depend on row order", () => {
    const a = score("cases / target * 30", rows, {}, 30);
    const b = score("cases / target * 30", [...rows].reverse(), {}, 30);
    expect(b).toEqual(a);
  });
});

describe("formulaMethod.validateData", () => {
  it("checks rows of declared inputs: unknown unit, non-decimal value, duplicates", () => {
    const { params, category } = setup("cases + target");
    const inputs: FormulaInput[] = [
      { unit: "u1", name: "cases", value: 1 },
      { unit: "ghost", name: "cases", value: 1 },
      { unit: "u2", name: "cases", value: "1,5" },
      { unit: "u1", name: "cases", value: 2 },
      { unit: "u1", name: "other", value: "not mine" }, // declared by no formula here: reported centrally
      { unit: "u3", name: "target", value: Number.NaN },
      { unit: "u3", name: "cases", value: true as unknown as number },
    ];
    const issues = formulaMethod.validateData({
      category,
      params,
      dataset: { units, inputs },
      unitIds: new Set(units.map((u) => u.id)),
    });
    expect(issues).toEqual([
      { path: ["inputs", 1, "unit"], message: 'unknown unit "ghost"' },
      { path: ["inputs", 2, "value"], message: 'not a decimal number: "1,5"' },
      { path: ["inputs", 3], message: "duplicate of inputs[0]" },
      { path: ["inputs", 5, "value"], message: "not a finite number: NaN" },
      { path: ["inputs", 6, "value"], message: "must be a decimal number, not true" },
    ]);
  });

  it("tells unit and name apart when looking for duplicates", () => {
    // Joined without a separator, unit "xb" with "a" and unit "x" with "ba" would both read "xba".
    const { params, category } = setup("a + ba", ["a", "ba"]);
    const pair = [
      { id: "xb", name: "xb", group: "g" },
      { id: "x", name: "x", group: "g" },
    ];
    const issues = formulaMethod.validateData({
      category,
      params,
      dataset: {
        units: pair,
        inputs: [
          { unit: "xb", name: "a", value: 1 },
          { unit: "x", name: "ba", value: 1 },
        ],
      },
      unitIds: new Set(["xb", "x"]),
    });
    expect(issues).toEqual([]);
  });
});
