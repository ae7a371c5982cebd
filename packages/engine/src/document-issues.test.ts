import { describe, expect, it } from "vitest";
import { z } from "zod";
import { documentIssues, PARSE_OPTIONS, plainIssues } from "./document-issues.js";
import { formatPath, InputError } from "./input-error.js";
import { compileScheme } from "./scheme/compile-scheme.js";
import { schemeSchema } from "./scheme/scheme-schema.js";
import { parseScenario } from "./whatif/apply-scenario.js";
import { scenarioSchema } from "./whatif/scenario.js";

const base = {
  id: "s",
  version: 1,
  name: "Scheme",
  categories: [{ id: "a", name: "A", points: 30, method: { kind: "direct" } }],
  groups: [{ id: "g", name: "G" }],
};

const withMethod = (method: unknown) => ({ ...base, categories: [{ ...base.categories[0], method }] });

/** Each problem as the engine lists it: `path: message`. */
function lines(schema: z.ZodType, document: unknown): string[] {
  return documentIssues(document, schema.safeParse(document).error).map(
    (i) => `${formatPath(i.path)}: ${i.message}`,
  );
}

describe("documentIssues words zod's own issues as sentences", () => {
  it.each<[string, unknown, string[]]>([
    ["a missing list", { ...base, categories: undefined }, ["categories: is required"]],
    ["a missing text", { ...base, id: undefined }, ["id: is required"]],
    [
      "a missing decimal, as a missing name",
      { ...base, categories: [{ id: "a", method: { kind: "direct" } }] },
      ["categories[0].name: is required", "categories[0].points: is required"],
    ],
    ["a scheme that is text", "scheme.json", ['(root): must be an object (got text "scheme.json")']],
    [
      "a list given as text",
      { ...base, rounding: { stages: "total" } },
      ['rounding.stages: must be a list (got text "total")'],
    ],
    [
      "a flag given as text",
      { ...base, groups: [{ id: "g", name: "G", ranked: "yes" }] },
      ['groups[0].ranked: must be true or false (got text "yes")'],
    ],
    ["a name given as a number", { ...base, name: 5 }, ["name: must be text (got 5)"]],
    ["a number given as text", { ...base, version: "1" }, ['version: must be a number (got text "1")']],
    [
      "a fraction for a whole number",
      { ...base, version: 1.5 },
      ["version: must be a whole number (got 1.5)"],
    ],
    [
      "a method that is text",
      withMethod("direct"),
      ['categories[0].method: must be an object (got text "direct")'],
    ],
    ["an object given as a list", withMethod([]), ["categories[0].method: must be an object (got a list)"]],
    [
      "a record given as null",
      { ...base, bonusTypes: [{ id: "b", name: "B", levels: null }] },
      ["bonusTypes[0].levels: must be an object (got null)"],
    ],
    ["a number below its minimum", { ...base, version: 0 }, ["version: must be at least 1"]],
    [
      "a number above its maximum",
      { ...base, rounding: { decimals: 11 } },
      ["rounding.decimals: must be at most 10"],
    ],
    [
      "an integer beyond the safe range",
      { ...base, version: 2 ** 60 },
      ["version: must be at most 9007199254740991"],
    ],
    ["an empty list", { ...base, groups: [] }, ["groups: must have at least 1 item"]],
    ["an empty text", { ...base, name: "" }, ["name: must not be empty"]],
    [
      "a text too long",
      withMethod({ kind: "formula", expression: "x".repeat(2001), max: 1 }),
      ["categories[0].method.expression: must be at most 2000 characters long"],
    ],
    [
      "an unknown option",
      { ...base, rounding: { mode: "up" } },
      ['rounding.mode: must be one of "half-up", "half-even"'],
    ],
    [
      "an unknown method kind",
      withMethod({ kind: "score" }),
      ['categories[0].method.kind: must be one of "direct", "vote", "survey", "formula"'],
    ],
    [
      "a method without a kind",
      withMethod({}),
      ['categories[0].method.kind: is required and must be one of "direct", "vote", "survey", "formula"'],
    ],
    [
      "an aggregation of no known type, across the union of plain and role-weighted ones",
      withMethod({ kind: "vote", ballot: { type: "score" }, aggregation: { type: "max" } }),
      [
        'categories[0].method.aggregation.type: must be one of "mean", "median", "trimmed-mean", "role-weighted"',
      ],
    ],
    [
      "a role-weighted aggregation without its roles",
      withMethod({ kind: "vote", ballot: { type: "score" }, aggregation: { type: "role-weighted" } }),
      ["categories[0].method.aggregation.roles: is required"],
    ],
    [
      "a rollup into a total that is not true",
      { ...base, rollups: [{ id: "r", source: { total: true }, share: 0.1, into: { total: false } }] },
      ["rollups[0].into.total: must be true"],
    ],
    [
      "a rollup source of neither form",
      { ...base, rollups: [{ id: "r", source: {}, share: 0.1, into: { total: true } }] },
      [
        "rollups[0].source: matches none of its forms: category is required; or total is required and must be true",
      ],
    ],
    [
      "a rollup source of the category form with a bad category",
      { ...base, rollups: [{ id: "r", source: { category: 5 }, share: 0.1, into: { total: true } }] },
      ["rollups[0].source.category: must be text (got 5)"],
    ],
    [
      "a role-weighted aggregation with problems inside it",
      withMethod({
        kind: "vote",
        ballot: { type: "score" },
        aggregation: { type: "role-weighted", roles: { mayor: 1 }, within: { type: "max" } },
      }),
      ['categories[0].method.aggregation.within.type: must be one of "mean", "median", "trimmed-mean"'],
    ],
    [
      "a rollup source that is not an object",
      { ...base, rollups: [{ id: "r", source: "total", share: 0.1, into: { total: true } }] },
      ['rollups[0].source: must be an object (got text "total")'],
    ],
    [
      "a record key its schema refuses",
      { ...base, bonusTypes: [{ id: "b", name: "B", levels: { "": 1 } }] },
      ['bonusTypes[0].levels.: the key "" must not be empty'],
    ],
  ])("%s", (_, document, expected) => {
    expect(lines(schemeSchema, document)).toEqual(expected);
  });

  it("words a scenario's issues the same way", () => {
    expect(lines(scenarioSchema, null)).toEqual(["(root): must be an object (got null)"]);
    expect(lines(scenarioSchema, { patch: { rounding: { decimals: -1 } } })).toEqual([
      "name: is required",
      "patch.rounding.decimals: must be at least 0",
    ]);
  });

  it("keeps the messages the engine's schemas set themselves", () => {
    expect(
      lines(schemeSchema, {
        ...base,
        id: "",
        bonusCap: null,
        categories: [{ ...base.categories[0], points: -1 }],
      }),
    ).toEqual([
      "id: must not be empty",
      "categories[0].points: must not be negative",
      "bonusCap: must be a decimal number such as 26.94, not null",
    ]);
    expect(
      lines(schemeSchema, {
        ...base,
        rollups: [{ id: "r", source: { total: true }, share: 0.1, into: { total: true }, parents: [] }],
      }),
    ).toEqual([
      "rollups[0].parents: must list at least one parent unit; leave parents out to blend into every unit with sub-units",
    ]);
  });

  it("leaves no zod wording in any issue of a badly broken scheme", () => {
    const broken = {
      version: "x",
      name: 3,
      categories: [
        { id: 5, points: "x", method: { kind: "vote", ballot: { type: "rank" }, quorum: 0, validity: [] } },
        { id: "b", name: "B", points: 1, method: { kind: "survey", options: [], respondentGroups: [] } },
      ],
      groups: "g",
      rounding: { decimals: 2.5, mode: null, stages: ["x"] },
      grades: { rules: [{ id: "r", name: "R", quota: { count: -1, scope: "all" } }] },
    };
    const messages = lines(schemeSchema, broken);
    expect(messages.length).toBeGreaterThan(10);
    for (const m of messages) expect(m).not.toMatch(/Invalid|Too (small|big)|expected|received|Unrecognized/);
  });
});

describe("plainIssues on issue codes the engine's schemas do not produce today", () => {
  const said = (schema: z.ZodType, input: unknown) =>
    plainIssues(input, schema.safeParse(input).error).map((i) => i.message);

  it("words exclusive and exact bounds", () => {
    expect(said(z.number().gt(0), 0)).toEqual(["must be greater than 0"]);
    expect(said(z.number().lt(5), 5)).toEqual(["must be less than 5"]);
    expect(said(z.string().length(3), "ab")).toEqual(["must be exactly 3 characters long"]);
    expect(said(z.array(z.number()).length(1), [])).toEqual(["must have exactly 1 item"]);
    expect(said(z.array(z.number()).max(2), [1, 2, 3])).toEqual(["must have at most 2 items"]);
    expect(said(z.string().min(2), "a")).toEqual(["must be at least 2 characters long"]);
  });

  it("words formats, multiples, elements, custom checks and types of both kinds", () => {
    expect(said(z.string().regex(/^a/), "b")).toEqual(["must match the pattern /^a/"]);
    expect(said(z.string().startsWith("x"), "b")).toEqual(['must start with "x"']);
    expect(said(z.number().multipleOf(5), 7)).toEqual(["must be a multiple of 5"]);
    expect(said(z.map(z.string(), z.number()), new Map([["k", "x"]]))).toEqual([
      'must be a number (got text "x")',
    ]);
    // zod 4.6 names a map's or set's bad element at its own path; an older or newer one may not.
    const element = {
      code: "invalid_element",
      origin: "map",
      key: "k",
      path: ["k"],
      message: "Invalid value in map",
    };
    const elementIssues = [
      {
        code: "too_small",
        origin: "number",
        minimum: 1,
        inclusive: true,
        path: [],
        message: "Too small: expected number to be >=1",
      },
    ];
    expect(
      plainIssues(new Map([["k", 0]]), { issues: [{ ...element, issues: elementIssues } as never] }),
    ).toEqual([{ path: ["k"], message: "has an element that must be at least 1" }]);
    expect(
      said(
        z.number().refine((n) => n > 1),
        0,
      ),
    ).toEqual(["is not valid"]);
    expect(said(z.union([z.number(), z.boolean()]), "x")).toEqual([
      'must be a number or true or false (got text "x")',
    ]);
    expect(said(z.literal("a"), "b")).toEqual(['must be "a"']);
  });

  it("names the field a misspelt key meant when parsed with PARSE_OPTIONS", () => {
    const schema = z.strictObject({ points: z.number(), name: z.string() });
    const document = { points: 1, name: "n", pionts: 2, colour: "red" };
    const said = (options: typeof PARSE_OPTIONS) =>
      documentIssues(document, schema.safeParse(document, options).error).map((i) => i.message);
    expect(said(PARSE_OPTIONS)).toEqual([
      'unknown field (misspelt?); did you mean "points"?',
      "unknown field (misspelt?); the fields are points, name",
    ]);
    // A caller's own parse has no field list.
    expect(plainIssues(document, schema.safeParse(document).error).map((i) => i.message)).toEqual([
      "unknown field (misspelt?)",
      "unknown field (misspelt?)",
    ]);
  });

  it("takes the value from the issue when zod reports it", () => {
    const r = z.object({ n: z.number() }).safeParse({ n: "x" }, { reportInput: true });
    expect(plainIssues(undefined, r.error)).toEqual([
      { path: ["n"], message: 'must be a number (got text "x")' },
    ]);
  });

  it("keeps a message set at the parse", () => {
    const r = z.number().safeParse("x", { error: () => "a count, please" });
    expect(plainIssues("x", r.error).map((i) => i.message)).toEqual(["a count, please"]);
  });
});

describe("the engine's messages under a host's own zod settings", () => {
  const messages = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof InputError) return e.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
      throw e;
    }
    return [];
  };
  const badScheme = { ...base, name: 5, categories: [{ ...base.categories[0], points: "many" }] };
  const badScenario = { name: "x", patch: { categories: { a: { points: "many" } } } };

  it("stay the engine's own when the host sets a custom error map or another locale", () => {
    const scheme = messages(() => compileScheme(badScheme));
    const scenario = messages(() => parseScenario(badScenario));
    expect(scheme).toContain("name: must be text (got 5)");
    try {
      z.config({ customError: () => "the host's message" });
      expect(messages(() => compileScheme(badScheme))).toEqual(scheme);
      expect(messages(() => parseScenario(badScenario))).toEqual(scenario);
      z.config({ customError: undefined, ...z.locales.de() });
      expect(messages(() => compileScheme(badScheme))).toEqual(scheme);
      expect(messages(() => parseScenario(badScenario))).toEqual(scenario);
    } finally {
      z.config({ customError: undefined, ...z.locales.en() });
    }
  });
});
