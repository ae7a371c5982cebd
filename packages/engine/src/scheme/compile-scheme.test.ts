import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../input-error.js";
import { compileScheme } from "./compile-scheme.js";

function scheme(extra: Record<string, unknown> = {}, method: Record<string, unknown> = { kind: "direct" }) {
  return {
    id: "s",
    version: 1,
    name: "s",
    categories: [{ id: "work", name: "work", points: 100, method }],
    groups: [{ id: "g", name: "g" }],
    ...extra,
  };
}

function issues(document: unknown): string[] {
  try {
    compileScheme(document);
  } catch (e) {
    if (e instanceof InputError) return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw e;
  }
  return [];
}

describe("compileScheme: every object refuses fields it does not know", () => {
  it.each([
    [
      { ranking: { tieBreaker: [{ category: "work" }] } },
      'ranking.tieBreaker: unknown field (misspelt?); did you mean "tieBreakers"?',
    ],
    [{ grades: { rule: [] } }, 'grades.rule: unknown field (misspelt?); did you mean "rules"?'],
    [
      { grades: { rules: [{ id: "x", name: "x", quota: { count: 1, scpoe: "overall" } }] } },
      'grades.rules.0.quota.scpoe: unknown field (misspelt?); did you mean "scope"?',
    ],
  ])("%j", (extra, issue) => {
    expect(issues(scheme(extra))).toEqual([issue]);
  });

  it("in a vote's validity rules too", () => {
    const vote = {
      kind: "vote",
      ballot: { type: "score" },
      validity: { rejectUniforms: true },
    };
    expect(issues(scheme({}, vote))).toEqual([
      'categories.0.method.validity.rejectUniforms: unknown field (misspelt?); did you mean "rejectUniform"?',
    ]);
  });

  it("names the field a misspelt key most likely meant, as a dataset row's are named", () => {
    const misspelt = scheme();
    const { points, ...category } = misspelt.categories[0]!;
    misspelt.categories = [{ ...category, pionts: points } as never];
    let message = "";
    try {
      compileScheme(misspelt);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split("\n")).toEqual([
      "invalid scheme (2 problems):",
      "  categories[0].points: is required",
      '  categories[0].pionts: unknown field (misspelt?); did you mean "points"?',
    ]);
  });

  it("names it in the form of a union its value takes, and lists the fields when none is close", () => {
    expect(issues(scheme({}, { kind: "vote", ballot: { type: "score", mxa: 90 } }))).toEqual([
      'categories.0.method.ballot.mxa: unknown field (misspelt?); did you mean "max"?',
    ]);
    expect(issues(scheme({ rounding: { places: 2 } }))).toEqual([
      "rounding.places: unknown field (misspelt?); the fields are decimals, mode, stages",
    ]);
  });
});

describe('compileScheme: a record key "__proto__"', () => {
  const message = '"__proto__" cannot be a name: it would be dropped without a word; choose another';

  it("is named, not dropped by the schema's record with the level it defined", () => {
    const scheme = (levels: string) =>
      JSON.parse(`{
        "id": "s", "version": 1, "name": "s",
        "categories": [{ "id": "work", "name": "work", "points": 100, "method": { "kind": "direct" } }],
        "groups": [{ "id": "g", "name": "g" }],
        "findingTypes": [{ "id": "visit", "name": "visit", "levels": ${levels} }]
      }`);
    expect(issues(scheme('{ "city": { "perFinding": 1 }, "__proto__": { "perFinding": 2 } }'))).toEqual([
      `findingTypes.0.levels.__proto__: ${message}`,
    ]);
    // Listed with the schema's own problems; named once where a strict object (a level's
    // points) names it already.
    expect(
      issues(scheme('{ "city": { "perFinding": -1, "__proto__": 1 }, "__proto__": { "perFinding": 2 } }')),
    ).toEqual([
      "findingTypes.0.levels.city.perFinding: must not be negative",
      "findingTypes.0.levels.city.__proto__: unknown field (misspelt?); the fields are perFinding, late, notRectified, repeated",
      `findingTypes.0.levels.__proto__: ${message}`,
    ]);
  });
});

describe("compileScheme: ids with spaces around them", () => {
  it("refuses them where they are written, as records name ids exactly", () => {
    const survey = {
      kind: "survey",
      options: { "满意 ": 100, 不满意: 0 },
      satisfiedOptions: ["满意 "],
      respondentGroups: ["residents\u3000"],
      weighting: { type: "group-weighted", weights: { "residents\u3000": 1 } },
    };
    expect(
      issues(
        scheme({ groups: [{ id: " g", name: "g" }], vetoTypes: [{ id: "fire ", name: "fire" }] }, survey),
      ),
    ).toEqual([
      'categories.0.method.options.满意 : the key "满意 " has spaces around it ("满意 "): records name it exactly',
      'categories.0.method.satisfiedOptions.0: has spaces around it ("满意 "): records name it exactly',
      'categories.0.method.respondentGroups.0: has spaces around it ("residents\u3000"): an id is one exact text',
      'categories.0.method.weighting.weights.residents\u3000: the key "residents\u3000" has spaces around it ("residents\u3000"): an id is one exact text',
      'vetoTypes.0.id: has spaces around it ("fire "): an id is one exact text',
      'groups.0.id: has spaces around it (" g"): an id is one exact text',
    ]);
    expect(
      issues(
        scheme({ categories: [{ id: "work ", name: "work", points: 100, method: { kind: "direct" } }] }),
      ),
    ).toEqual(['categories.0.id: has spaces around it ("work "): an id is one exact text']);
  });
});

describe("compileScheme: cross-checks", () => {
  const formula = (expression: string) => ({ kind: "formula", expression, max: 100 });
  const category = (id: string, method: Record<string, unknown> = { kind: "direct" }) => ({
    id,
    name: id,
    points: 10,
    method,
  });

  it.each([
    ["categories", { categories: [category("a"), category("b"), category("a")] }, "categories.2.id", "a"],
    [
      "groups",
      {
        groups: [
          { id: "g", name: "g" },
          { id: "g", name: "again" },
        ],
      },
      "groups.1.id",
      "g",
    ],
    [
      "findingTypes",
      { findingTypes: [1, 2].map(() => ({ id: "f", name: "f", levels: { city: { perFinding: 1 } } })) },
      "findingTypes.1.id",
      "f",
    ],
    [
      "bonusTypes",
      { bonusCap: 1, bonusTypes: [1, 2].map(() => ({ id: "b", name: "b", levels: { city: 1 } })) },
      "bonusTypes.1.id",
      "b",
    ],
    ["vetoTypes", { vetoTypes: [1, 2].map(() => ({ id: "v", name: "v" })) }, "vetoTypes.1.id", "v"],
    [
      "rollups",
      {
        rollups: [1, 2].map(() => ({ id: "r", source: { total: true }, share: 0.1, into: { total: true } })),
      },
      "rollups.1.id",
      "r",
    ],
    [
      "grade rules",
      { grades: { rules: [1, 2].map(() => ({ id: "x", name: "x" })) } },
      "grades.rules.1.id",
      "x",
    ],
  ])("refuses a duplicate id among %s, at the second one's id", (_, extra, path, id) => {
    expect(issues(scheme(extra))).toEqual([`${path}: duplicate id "${id}"`]);
  });

  it("bounds a roll-up's share at 1 and checks the categories it reads and writes", () => {
    const rollup = (share: number, source: object, into: object) => ({ id: "r", source, share, into });
    expect(issues(scheme({ rollups: [rollup(1, { category: "work" }, { category: "work" })] }))).toEqual([]);
    expect(issues(scheme({ rollups: [rollup(1.01, { total: true }, { total: true })] }))).toEqual([
      "rollups.0.share: must be at most 1",
    ]);
    expect(issues(scheme({ rollups: [rollup(0.1, { category: "ghost" }, { category: "nope" })] }))).toEqual([
      'rollups.0.source.category: unknown category "ghost" (known: work)',
      'rollups.0.into.category: unknown category "nope" (known: work)',
    ]);
  });

  it("refuses a roll-up whose parents list is empty: it would apply to no unit", () => {
    const rollup = (parents: string[]) => ({
      id: "r",
      source: { total: true },
      share: 0.1,
      into: { total: true },
      parents,
    });
    expect(issues(scheme({ rollups: [rollup(["city-police"])] }))).toEqual([]);
    expect(issues(scheme({ rollups: [rollup([])] }))).toEqual([
      "rollups.0.parents: must list at least one parent unit; leave parents out to blend into every unit with sub-units",
    ]);
  });

  it("refuses a finding type with no level, and a fallback grade sharing a rule's id", () => {
    expect(
      issues(
        scheme({
          findingTypes: [{ id: "f", name: "f", levels: {} }],
          grades: { rules: [{ id: "ok", name: "ok" }], fallback: { id: "ok", name: "ok" } },
        }),
      ),
    ).toEqual([
      "findingTypes.0.levels: must name at least one level",
      "grades.fallback.id: must differ from every rule's id",
    ]);
  });

  it("refuses a grade line that equals its threshold", () => {
    const rule = (belowTotal: number) => ({ id: "x", name: "x", minTotal: 60, belowTotal });
    expect(issues(scheme({ grades: { rules: [rule(60.01)] } }))).toEqual([]);
    expect(issues(scheme({ grades: { rules: [rule(60)] } }))).toEqual([
      "grades.rules.0.belowTotal: must be greater than minTotal 60: no total could get this grade",
    ]);
  });

  it("refuses a line at or below 0: totals are floored there, so it admits no one", () => {
    const line = (belowTotal: number | string, minTotal?: number) => ({
      grades: {
        rules: [{ id: "poor", name: "poor", belowTotal, ...(minTotal === undefined ? {} : { minTotal }) }],
      },
    });
    expect(issues(scheme(line(0)))).toEqual([
      "grades.rules.0.belowTotal: must be greater than 0: totals are floored at 0, so no total is below 0",
    ]);
    // Said once, not again as a band with no room under its threshold.
    expect(issues(scheme(line("-5", 0)))).toEqual([
      "grades.rules.0.belowTotal: must be greater than 0: totals are floored at 0, so no total is below -5",
    ]);
    expect(issues(scheme(line("0.01")))).toEqual([]);
  });

  it("orders categories after those their formulas read", () => {
    const compiled = compileScheme(
      scheme({
        categories: [category("c", formula("a + 1")), category("a", formula("b * 2")), category("b")],
      }),
    );
    expect(compiled.order.map((c) => c.id)).toEqual(["b", "a", "c"]);
    expect(Object.fromEntries(compiled.dependsOn)).toEqual({ c: ["a"], a: ["b"], b: [] });
  });

  it("names a circular reference at the category that closes it", () => {
    const cyclic = scheme({
      categories: [category("c", formula("a + 1")), category("a", formula("b")), category("b", formula("a"))],
    });
    expect(issues(cyclic)).toEqual(["categories.1.method: circular reference: c → a → b → a"]);
  });

  describe("lists a cycle with the scheme's other problems, not once they are fixed", () => {
    const cycle = [category("a", formula("b + 1")), category("b", formula("a"))];
    const CYCLE = "categories.0.method: circular reference: a → b → a";

    it("with a value the schema refuses in another category", () => {
      const bad = { ...category("c"), points: -5 };
      expect(issues(scheme({ categories: [...cycle, bad] }))).toEqual([
        "categories.2.points: must not be negative",
        CYCLE,
      ]);
    });

    it("with a cross-check and another category's formula problem", () => {
      const extra = {
        ranking: { tieBreakers: [{ category: "nope" }] },
        categories: [...cycle, category("c", formula("a +"))],
      };
      expect(issues(scheme(extra))).toEqual([
        'ranking.tieBreakers.0.category: unknown category "nope" (known: a, b, c)',
        expect.stringMatching(/^categories\.2\.method\.expression: syntax error/),
        CYCLE,
      ]);
    });

    it("but not through a category whose formula did not compile or that the schema refused", () => {
      const broken = category("b", formula("a +"));
      expect(issues(scheme({ categories: [cycle[0], broken] }))).toEqual([
        expect.stringMatching(/^categories\.1\.method\.expression: syntax error/),
      ]);
      const refused = { ...cycle[1]!, points: "ten" };
      expect(issues(scheme({ categories: [cycle[0], refused] }))).toEqual([
        'categories.1.points: must be a decimal number such as 26.94, not "ten"',
      ]);
    });

    it("takes a duplicated id at its first category", () => {
      const categories = [...cycle, category("b")];
      expect(issues(scheme({ categories }))).toEqual(['categories.2.id: duplicate id "b"', CYCLE]);
    });

    const unrelated: Record<string, unknown>[] = [
      { categories: [category("c"), { ...category("d"), points: -1 }] },
      { categories: [category("c", formula("a + b + nope"))] },
      { categories: [category("c", formula("(a"))] },
      { categories: [category("c", { kind: "formula", expression: "1", max: 0 })] },
      { groups: [{ id: "g", name: "g" }, { id: "g" }] },
      { ranking: { tieBreakers: [{ category: "ghost" }] } },
      { bonusTypes: [{ id: "x", name: "x", levels: { city: 1 } }] },
      { rollups: [{ id: "r", source: { total: true }, share: 2, into: { total: true } }] },
      { grades: { rules: [{ id: "x", name: "x", minTotal: 60, belowTotal: 60 }] } },
      { findingTypes: [{ id: "f", name: "f", levels: {} }] },
      { vetoTypes: [{ id: "v", name: "v", typo: true }] },
    ];

    it("property: unrelated problems never hide a cycle or change how it is reported", () => {
      const chain = fc.integer({ min: 2, max: 5 }).map((n) => {
        const ids = Array.from({ length: n }, (_, i) => `k${i}`);
        return ids.map((id, i) => category(id, formula(`${ids[(i + 1) % n]} * 2`)));
      });
      fc.assert(
        fc.property(chain, fc.subarray(unrelated), (cyclic, extras) => {
          const alone = issues(scheme({ categories: cyclic }));
          expect(alone).toHaveLength(1);
          const merged: Record<string, unknown> = { categories: [...cyclic] };
          for (const extra of extras)
            for (const [key, value] of Object.entries(extra))
              merged[key] =
                key === "categories" ? [...(merged[key] as unknown[]), ...(value as unknown[])] : value;
          const all = issues(scheme(merged));
          expect(all.filter((i) => i === alone[0])).toHaveLength(1);
          expect(all.filter((i) => i.includes("circular"))).toHaveLength(1);
        }),
      );
    });
  });

  it("orders a chain of 10,000 formulas, each reading the next, without running out of stack", () => {
    const n = 10_000;
    const ids = Array.from({ length: n }, (_, i) => `k${i}`);
    const categories = ids.map((id, i) =>
      i === n - 1 ? category(id) : category(id, formula(`${ids[i + 1]} * 0.5`)),
    );
    const compiled = compileScheme(scheme({ categories }));
    expect(compiled.order.map((c) => c.id)).toEqual([...ids].reverse());
    // Closed into a cycle, it is named once, at the category that closes it.
    categories[n - 1] = category(ids[n - 1]!, formula("k0 + 1"));
    const cyclic = issues(scheme({ categories }));
    expect(cyclic).toHaveLength(1);
    expect(cyclic[0]).toMatch(/^categories\.0\.method: circular reference: k0 → k1 → .* → k9999 → k0$/);
  });

  it("refuses a formula declaring more than 500 inputs at inputs, before any message lists them", () => {
    const inputs = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `a${i}` }));
    // 250 uses of an undeclared name against 55,000 inputs once gave 250 issues, 107 MB of text.
    const hostile = { ...formula(Array(250).fill("q").join("+")), inputs: inputs(55_000), max: 1 };
    const refused = issues(scheme({ categories: [category("f", hostile)] }));
    expect(refused).toEqual([
      "categories.0.method.inputs: a formula may declare at most 500 inputs: an expression of at most 500 parts cannot read more",
    ]);
    // At the bound, the unknown name is one issue however often it stands, listing a few names.
    const atBound = issues(scheme({ categories: [category("f", { ...hostile, inputs: inputs(500) })] }));
    expect(atBound).toEqual([
      'categories.0.method.expression: unknown name "q" (250 times); allowed: inputs a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 … and 488 more (at character 1)',
    ]);
  });

  it("checks tie-breakers' categories, and wants a bonus cap when there are bonus types", () => {
    const bonus = { id: "b", name: "b", levels: { city: 1 } };
    expect(
      issues(
        scheme({
          ranking: { tieBreakers: [{ category: "work" }, { category: "nope" }] },
          bonusTypes: [bonus],
        }),
      ),
    ).toEqual([
      'ranking.tieBreakers.1.category: unknown category "nope" (known: work)',
      "bonusCap: must be greater than 0 when bonus types are defined",
    ]);
    expect(issues(scheme({ bonusTypes: [bonus], bonusCap: 0.5 }))).toEqual([]);
  });

  it("refuses a scheme whose categories' points add up to 0: every unit would total 0 and share first place", () => {
    const zero = (points: number[]) =>
      scheme({
        categories: points.map((p, k) => ({
          id: `c${k}`,
          name: `c${k}`,
          points: p,
          method: { kind: "direct", outOf: 100 },
        })),
      });
    expect(issues(zero([0]))).toEqual([
      "categories: the categories' points add up to 0: no unit could score",
    ]);
    expect(issues(zero([0, 0, 0]))).toEqual([
      "categories: the categories' points add up to 0: no unit could score",
    ]);
    // "0.00" is 0 too; one category with points is enough, and a bonus cap is not a category.
    expect(
      issues({
        ...zero([0]),
        categories: [{ id: "c", name: "c", points: "0.00", method: { kind: "direct", outOf: 100 } }],
      }),
    ).toHaveLength(1);
    expect(
      issues({ ...zero([0, 0]), bonusTypes: [{ id: "b", name: "b", levels: { city: 1 } }], bonusCap: 5 }),
    ).toEqual(["categories: the categories' points add up to 0: no unit could score"]);
    expect(issues(zero([0, 0.01, 0]))).toEqual([]);
  });

  it("counts the bonus cap in the scheme's maximum", () => {
    expect(compileScheme(scheme({ bonusCap: 5 })).maxTotal).toEqual({ n: 105n, d: 1n });
    expect(compileScheme(scheme()).maxTotal).toEqual({ n: 100n, d: 1n });
  });
});
