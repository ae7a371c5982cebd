import { describe, expect, it } from "vitest";
import { parseDecimal, type Rational, toExactString } from "../../rational.js";
import {
  type CompiledExpression,
  compileFormula,
  evaluateFormula,
  type FormulaNames,
  substituteFormula,
} from "./formula-compiler.js";
import { isFormulaName } from "./formula-names.js";

const names: FormulaNames = {
  inputs: ["cases", "target", "x", "y"],
  categories: ["business", "organ", "public"],
  self: "composite",
};

function compiled(expression: string, given: FormulaNames = names): CompiledExpression {
  const r = compileFormula(expression, given);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("; "));
  return r.formula;
}

function scope(values: Record<string, string | number>): Map<string, Rational> {
  return new Map(Object.entries(values).map(([k, v]) => [k, parseDecimal(v)]));
}

/** The exact result as text, or "insufficient: reason". */
function value(expression: string, values: Record<string, string | number> = {}): string {
  const r = evaluateFormula(compiled(expression), scope(values));
  return r.ok ? toExactString(r.value) : `insufficient: ${r.reason}`;
}

describe("compileFormula: exact arithmetic", () => {
  it("reads literals from their text, so 0.1 + 0.2 == 0.3", () => {
    expect(value("0.1 + 0.2 == 0.3 ? 1 : 0")).toBe("1");
    expect(value("0.1 + 0.2")).toBe("0.3");
    expect(value("0.30000000000000000001 - 0.3")).toBe("0.00000000000000000001");
  });

  it("rescales 30.86 of 40 to 50 points as exactly 38.575", () => {
    expect(value("public / 40 * 50", { public: "30.86" })).toBe("38.575");
  });

  it("keeps non-terminating quotients exact", () => {
    expect(value("x / 3 * 3 == x ? 1 : 0", { x: "0.1" })).toBe("1");
    expect(value("1 / 3")).toBe("1/3");
  });

  it("reads literal forms mathjs accepts: .5, 2., 1e3, 2.5e-2", () => {
    expect(value(".5 + 2. + 1e3 + 2.5e-2")).toBe("1002.525");
  });
});

describe("compileFormula: every allowed construct", () => {
  const v = { x: "2.5", y: "-3", cases: 12, target: 16 };
  it.each([
    ["x + y", "-0.5"],
    ["x - y", "5.5"],
    ["x * y", "-7.5"],
    ["cases / target * 30", "22.5"],
    ["-x", "-2.5"],
    ["+x", "2.5"],
    ["-(-x)", "2.5"],
    ["(x + 1) * 2", "7"],
    ["x ^ 2", "6.25"],
    ["y ^ 3", "-27"],
    ["x ^ 0", "1"],
    ["(x) ^ (2)", "6.25"],
    ["-x ^ 2", "-6.25"], // mathjs precedence: -(x^2)
    ["x < 3 ? 1 : 0", "1"],
    ["x <= 2.5 ? 1 : 0", "1"],
    ["x > 2.5 ? 1 : 0", "0"],
    ["x >= 2.5 ? 1 : 0", "1"],
    ["x == 2.5 ? 1 : 0", "1"],
    ["x != 2.5 ? 1 : 0", "0"],
    ["x > 0 and y > 0 ? 1 : 0", "0"],
    ["x > 0 or y > 0 ? 1 : 0", "1"],
    ["not (y > 0) ? 1 : 0", "1"],
    ["x > 3 ? 1 : y > -4 ? 2 : 3", "2"],
    ["min(x, y, 1)", "-3"],
    ["max(x, y, 1)", "2.5"],
    ["min(x)", "2.5"],
    ["abs(y)", "3"],
    ["floor(x)", "2"],
    ["floor(-x)", "-3"],
    ["floor(y)", "-3"],
    ["ceil(x)", "3"],
    ["ceil(-x)", "-2"],
    ["clamp(x, 0, 2)", "2"],
    ["clamp(y, 0, 2)", "0"],
    ["clamp(x, 0, 10)", "2.5"],
    ["clamp(x, 2, 2)", "2"], // equal bounds are a fixed value, not inverted ones
    ["round(cases / target * 30.86, 2)", "23.15"], // 23.145 half-up
    ["round(-0.125, 2)", "-0.13"], // halves away from zero, as rational.round's half-up
    ["round(x)", "3"],
    ["x # a comment is ignored", "2.5"],
  ])("%s = %s", (expression, expected) => {
    expect(value(expression, v)).toBe(expected);
  });

  it("evaluates only the branch a condition selects, so a guard avoids division by zero", () => {
    expect(value("target != 0 ? cases / target : 0", { cases: 3, target: 0 })).toBe("0");
    expect(value("target == 0 or cases / target > 1 ? 1 : 0", { cases: 3, target: 0 })).toBe("1");
  });

  it("reports division by zero and inverted clamp bounds as reasons, not throws", () => {
    expect(value("cases / (target - 16)", { cases: 3, target: 16 })).toBe(
      'insufficient: division by zero in "cases / (target - 16)"',
    );
    expect(value("clamp(x, cases, 1)", { x: 2, cases: 3 })).toBe(
      "insufficient: clamp: lower bound 3 exceeds upper bound 1",
    );
  });
});

describe("compileFormula: what can never give a value", () => {
  const problems = (expression: string) => {
    const r = compileFormula(expression, names);
    return r.ok ? "accepted" : r.problems;
  };

  it.each([
    ["x / 0", "x / 0", 5],
    ["cases/0.0", "cases / 0.0", 7],
    ["(x + 1) / (-0) * 2", "(x + 1) / (-0)", 11],
    ["x > 0 ? 1 : x / 0e3", "x / 0e3", 17],
  ])("refuses %s, a division by a literal 0, at the divisor", (expression, shown, position) => {
    expect(problems(expression)).toEqual([
      { message: `division by zero in "${shown}": the divisor is 0, so it can never give a value`, position },
    ]);
  });

  it.each([
    ["clamp(x, 5, 1)", "5", "1", 10],
    ["clamp(x, -1, -(5))", "-1", "-(5)", 10],
    ["2 * clamp(x, 0.5, 0.25)", "0.5", "0.25", 14],
  ])("refuses %s, literal bounds the wrong way round, at the lower one", (expression, lo, hi, position) => {
    expect(problems(expression)).toEqual([
      {
        message: `clamp: lower bound ${lo} exceeds upper bound ${hi}, so it can never give a value; write clamp(x, lo, hi) with lo ≤ hi`,
        position,
      },
    ]);
  });

  it("leaves what only a unit's values decide to the unit, and folds nothing", () => {
    for (const expression of [
      "x / 0.5",
      "x / target",
      "x / (1 - 1)",
      "clamp(x, 1, 1)",
      "clamp(x, 5, y)",
      "clamp(x, 1 + 4, 1)",
    ])
      expect(problems(expression)).toBe("accepted");
  });

  it("reports a missing value by name", () => {
    expect(value("cases + business", { cases: 1 })).toBe('insufficient: category "business" missing');
    expect(value("cases + 1")).toBe('insufficient: input "cases" missing');
  });
});

describe("compileFormula: long flat expressions", () => {
  it("sums 60 indicators: a chain written flat is not nesting", () => {
    const indicators = Array.from({ length: 60 }, (_, i) => `k${i + 1}`);
    const f = compiled(indicators.join(" + "), { inputs: indicators, categories: [] });
    const values = new Map(indicators.map((k, i) => [k, parseDecimal(i + 1)]));
    expect(evaluateFormula(f, values)).toEqual({ ok: true, value: parseDecimal(1830) });
  });

  it("keeps left-to-right order in long chains of -, / and `and`", () => {
    expect(value(`1000${" - 1".repeat(100)}`)).toBe("900");
    expect(value(`9${" / 3".repeat(50)}`)).toBe(`1/${3n ** 48n}`);
    expect(value(`${"x > 0 and ".repeat(50)}x > 0 ? 1 : 0`, { x: 1 })).toBe("1");
    expect(value(`1${" + 1".repeat(249)}`)).toBe("250"); // 499 parts
  });

  it("lists the declared names once for an unknown name used again and again", () => {
    // The listing reads `self` once per declared name: before, it did so at each use of the
    // unknown name (100 uses × 1,000 ids here; 300 × 60,000 took 426 ms).
    const categories = Array.from({ length: 1000 }, (_, i) => `c${i}`);
    let reads = 0;
    const counted = {
      inputs: [],
      categories,
      get self() {
        reads++;
        return undefined;
      },
    };
    const r = compileFormula(Array(100).fill("zz").join(" + "), counted);
    expect(r.ok ? [] : r.problems.map((p) => p.message.slice(0, 45))).toEqual([
      'unknown name "zz" (100 times); allowed: categ',
    ]);
    expect(reads).toBeLessThan(3 * categories.length);
  });
});

describe("compileFormula: line breaks around one expression", () => {
  it("reads an expression with a line break before or after it, as a text area leaves it", () => {
    expect(value("x * 2\n", { x: 3 })).toBe("6");
    expect(value("\n  x * 2", { x: 3 })).toBe("6");
    expect(value("x * 2 # doubled\n\n", { x: 3 })).toBe("6");
    expect(compileFormula("\n  x + nope", names)).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/^unknown name "nope"/), position: 8 }],
    });
  });

  it("calls a formula of comments alone empty, as it calls an empty one", () => {
    for (const expression of ["# note", "  # x * 2\n", "#a\n#b"])
      expect(compileFormula(expression, names)).toEqual({
        ok: false,
        problems: [{ message: "the expression is empty: it holds only a comment (# …)" }],
      });
    expect(compileFormula("", names)).toEqual({
      ok: false,
      problems: [{ message: "the expression is empty" }],
    });
  });

  it("still refuses two statements, and a semicolon anywhere", () => {
    for (const expression of ["x\ny", "x;", "x\n;", "x;\n"])
      expect(compileFormula(expression, names)).toMatchObject({
        ok: false,
        problems: [{ message: expect.stringMatching(/^several statements/) }],
      });
  });
});

describe("compileFormula: Windows line endings", () => {
  it("reads \\r\\n as it reads \\n", () => {
    expect(value("x * 2\r\n", { x: 3 })).toBe("6");
    expect(value("\r\n  x * 2\r\n\r\n", { x: 3 })).toBe("6");
    expect(value("x * 2 # doubled\r\n", { x: 3 })).toBe("6");
    expect(value("(x +\r\n 2)", { x: 3 })).toBe("5");
    expect(compileFormula("\r\n  x + nope", names)).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/^unknown name "nope"/), position: 9 }],
    });
    for (const expression of ["x\r\ny", "x\ry", "x;\r\n"])
      expect(compileFormula(expression, names)).toMatchObject({
        ok: false,
        problems: [{ message: expect.stringMatching(/^several statements/) }],
      });
  });
});

describe("compileFormula: characters a Chinese input method types", () => {
  const problems = (expression: string) => {
    const r = compileFormula(expression, names);
    return r.ok ? "accepted" : r.problems;
  };

  it.each([
    ["（x + 2)", "（", "(", 1],
    ["(x + 2）", "）", ")", 7],
    ["x ＋ 2", "＋", "+", 3],
    ["x － 2", "－", "-", 3],
    ["x ＊ 2", "＊", "*", 3],
    ["x ／ 2", "／", "/", 3],
    ["max(x，2)", "，", ",", 6],
    ["x * 0．5", "．", ".", 6],
    ["x * ０.5", "０", "0", 5],
    ["x * 1９", "９", "9", 6],
    ["x ＞ 0 ? 1 : 0", "＞", ">", 3],
    ["x > 0 ？ 1 : 0", "？", "?", 7],
    ["x > 0 ? 1 ： 0", "：", ":", 11],
    ["x ！= 0 ? 1 : 0", "！", "!", 3],
    ["x ＝= 0 ? 1 : 0", "＝", "=", 3],
  ])("names the full-width character in %s", (expression, typed, half, position) => {
    expect(problems(expression)).toEqual([
      { message: `full-width "${typed}": type "${half}" instead`, position },
    ]);
  });

  it.each([
    ["x × 2", "×", "*", 3],
    ["x ÷ 2", "÷", "/", 3],
    ["x * 0。5", "。", ".", 6],
    ["x 》 0 ? 1 : 0", "》", ">", 3],
    ["x……2", "……", "^", 2],
    ["x + two——words", "——", "_", 8],
    ["x − 2", "−", "-", 3],
    ["x – 2", "–", "-", 3],
    ["x ≤ 2 ? 1 : 0", "≤", "<=", 3],
    ["x ≥ 2 ? 1 : 0", "≥", ">=", 3],
    ["x ≠ 2 ? 1 : 0", "≠", "!=", 3],
  ])("names the input method's sign in %s", (expression, typed, half, position) => {
    expect(problems(expression)).toEqual([{ message: `"${typed}": type "${half}" instead`, position }]);
  });

  it("names the ideographic space, which looks like an ordinary one", () => {
    expect(problems("x\u3000+ 2")).toEqual([
      { message: "full-width space (U+3000): type an ordinary space instead", position: 2 },
    ]);
  });

  it.each([
    ["x\u200b+1", "U+200B zero-width space: delete it", 2],
    ["\ufeffx+1", "U+FEFF byte-order mark: delete it", 1],
    ["x\u00ad+1", "U+00AD soft hyphen: delete it", 2],
    ["x + 1\u200e", "U+200E left-to-right mark: delete it", 6],
    ["x\u2009+ 1", "U+2009 thin space: type a plain space instead", 2],
    ["x +\u202f1", "U+202F narrow no-break space: type a plain space instead", 4],
    ["x\u200b+\u200b1", "U+200B zero-width space (2 times): delete it", 2],
  ])("names an invisible character pasted into %j", (expression, message, position) => {
    expect(problems(expression)).toEqual([{ message, position }]);
  });

  it("takes a no-break space, which mathjs reads as a space, and leaves invisible ones in comments", () => {
    expect(value("x\u00a0+ 1", { x: 1 })).toBe("2");
    // Refused, so that the invisible characters are looked for: the comment's is not named.
    expect(problems("zz + 1 # \u200b")).toMatchObject([
      { message: expect.stringMatching(/^unknown name "zz"/), position: 1 },
    ]);
  });

  it("names each character once, at its first place, with how often it occurs", () => {
    expect(problems("（x ＋ 2）＊（y ＋ 1）")).toEqual([
      { message: 'full-width "（" (2 times): type "(" instead', position: 1 },
      { message: 'full-width "＋" (2 times): type "+" instead', position: 4 },
      { message: 'full-width "）" (2 times): type ")" instead', position: 7 },
      { message: 'full-width "＊": type "*" instead', position: 8 },
    ]);
  });

  it("does not convert them: the expression is refused until retyped", () => {
    expect(compileFormula("x ＋ 2", names).ok).toBe(false);
  });

  it("leaves comments alone, where Chinese punctuation is ordinary text", () => {
    expect(value("x * 2 # 满分（百分制），折算", { x: 3 })).toBe("6");
    expect(problems("x + nope # 说明（一）")).toMatchObject([
      { message: expect.stringMatching(/^unknown name "nope"/), position: 5 },
    ]);
  });
});

describe("compileFormula: what it tells the caller", () => {
  it("lists referenced inputs and categories in order of first use, once each", () => {
    const f = compiled("public / 40 * cases + business - cases + public");
    expect(f.inputs).toEqual(["cases"]);
    expect(f.categories).toEqual(["public", "business"]);
  });

  it("substitutes values for traces, bracketing negative and fractional ones", () => {
    const f = compiled("cases / target * 30 + (y) ^ 2 + business");
    const s = new Map([...scope({ cases: 12, target: 16, y: -3 }), ["business", { n: 1n, d: 3n }]]);
    expect(substituteFormula(f, s)).toBe("12 / 16 * 30 + (-3) ^ 2 + (1/3)");
    const g = compiled("not (x > 1) ? min(x, 2) : round(y, 1)");
    expect(substituteFormula(g, scope({ x: "2.5", y: -3 }))).toBe(
      "not (2.5 > 1) ? min(2.5, 2) : round((-3), 1)",
    );
  });

  it("does not call a word of the expression syntax a formula name", () => {
    // mathjs reads these as constants wherever they stand: a name so spelt can never be referred to.
    for (const word of ["not", "true", "false", "null", "undefined", "NaN", "Infinity"]) {
      expect(isFormulaName(word)).toBe(false);
      expect(compileFormula(`${word} + 1`, { inputs: [], categories: [word] }).ok).toBe(false);
    }
    // Operator words read as names only where an operand stands ("x mod 2" is the operator): kept out.
    for (const word of ["and", "or", "xor", "mod", "to", "in"]) expect(isFormulaName(word)).toBe(false);
    for (const word of ["public-eval", "2x", "x y", "得分", ""]) expect(isFormulaName(word)).toBe(false);
    for (const word of ["x", "cases_2", "résumé", "min", "constructor", "__proto__", "e", "pi"]) {
      expect(isFormulaName(word)).toBe(true);
      expect(compileFormula(`${word} + 1`, { inputs: [], categories: [word] }).ok).toBe(true);
    }
  });

  it("says a category id the syntax reads as its own word cannot be written, and how to read it", () => {
    const reserved = (word: string) =>
      `"${word}" cannot be written in a formula because it is a word of the formula syntax (as true, NaN, and, mod are), not a name; give the category another id, such as ${word}_points, to read it (its name can stay as it is)`;
    const problems = (expression: string, categories: string[]) => {
      const r = compileFormula(expression, { inputs: ["x"], categories });
      return r.ok ? "accepted" : r.problems;
    };
    for (const word of ["NaN", "Infinity", "true", "false", "null", "undefined"])
      expect(problems(`x + ${word}`, [word])).toEqual([{ message: reserved(word), position: 5 }]);
    // Each once, where it first stands; the walk goes on to the next.
    expect(problems("NaN * 2 + true * NaN", ["NaN", "true"])).toEqual([
      { message: reserved("NaN"), position: 1 },
      { message: reserved("true"), position: 11 },
    ]);
    // An operator word that stops the parser is named the same way.
    expect(problems("not * 2", ["not"])).toContainEqual({ message: reserved("not"), position: 1 });
    // Not declared: the literal is refused as before.
    expect(problems("x + NaN", [])).toEqual([
      { message: 'number "NaN" is not allowed; write a plain decimal such as 12.5', position: 5 },
    ]);
    // An input so named is refused where it is declared, so no id is suggested.
    expect(compileFormula("true", { inputs: ["true"], categories: [] })).toEqual({
      ok: false,
      problems: [
        {
          message:
            '"true" cannot be written in a formula because it is a word of the formula syntax (as true, NaN, and, mod are), not a name',
          position: 1,
        },
      ],
    });
  });

  it("can be used on its own without a scheme, e.g. by the gateway", () => {
    expect(compileFormula("a * 2", { inputs: ["a"], categories: [] }).ok).toBe(true);
  });

  it("reads a list of names the caller changed between two calls afresh", () => {
    const categories = ["business"];
    expect(compileFormula("organ", { inputs: [], categories }).ok).toBe(false);
    categories.push("organ");
    expect(compileFormula("organ", { inputs: [], categories }).ok).toBe(true);
  });
});
