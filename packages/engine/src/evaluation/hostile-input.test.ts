import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  copy,
  isObject,
  mutate,
  mutationOf,
  type Path,
  pathsOf,
  setOwn,
  valueAt,
} from "../_test-json-mutations.js";
import { compiledOrRefused, directDataset, directScheme } from "../_test-schemes.js";
import type { Dataset } from "../dataset/dataset.js";
import { InputError, type InputIssue } from "../input-error.js";
import { compileScheme } from "../scheme/compile-scheme.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { createBaseline } from "../whatif/baseline.js";
import { evaluate, evaluateExact } from "./evaluate.js";

/**
 * The core entry points as another system calls them, with schemes and datasets parsed from
 * untyped JSON: whatever arrives, the call returns or throws an InputError each issue of which
 * names a field and says why, never a TypeError, a RangeError or a stack overflow, and the
 * caller's documents are left as they were.
 */

/** Every method, every record table and every cross-reference the scheme can make. */
const scheme: SchemeInput = {
  id: "hostile",
  version: 1,
  name: "hostile input",
  categories: [
    { id: "business", name: "business work", points: 20, method: { kind: "direct", outOf: 30 } },
    {
      id: "council",
      name: "government vote",
      points: 20,
      method: {
        kind: "vote",
        ballot: { type: "score", min: 0, max: 100 },
        aggregation: { type: "trimmed-mean", trim: 1, minVoters: 3 },
        validity: { rejectUniform: true, maxHighScores: { threshold: 95, max: 2 } },
      },
    },
    {
      id: "leaders",
      name: "leaders' grades",
      points: 10,
      method: {
        kind: "vote",
        ballot: { type: "grade", points: { 好: 100, 较好: "85", 一般: 70 } },
        aggregation: { type: "role-weighted", roles: { mayor: 3, member: "1" }, missingRole: "renormalize" },
      },
    },
    {
      id: "public",
      name: "public evaluation",
      points: 30,
      method: {
        kind: "survey",
        options: { 满意: 100, 基本满意: "70", 不满意: 30, 不了解: null },
        satisfiedOptions: ["满意", "基本满意"],
        respondentGroups: ["residents", "firms"],
        weighting: {
          type: "group-weighted",
          weights: { residents: "0.6", firms: 0.4 },
          byUnitKind: { service: { residents: 0.5, firms: 0.5 } },
          missingGroup: "renormalize",
        },
      },
    },
    {
      id: "composite",
      name: "composite",
      points: 20,
      method: { kind: "formula", expression: "cases / 2 + business", inputs: [{ name: "cases" }], max: 100 },
    },
  ],
  findingTypes: [
    {
      id: "visit",
      name: "unannounced visit",
      category: "business",
      levels: {
        city: { perFinding: 0.5, late: "0.8", notRectified: 1, repeated: 2 },
        bureau: { perFinding: 0.1 },
      },
      cap: 3,
    },
    { id: "complaint", name: "complaint", levels: { city: { perFinding: "0.5" } } },
  ],
  bonusTypes: [{ id: "award", name: "award", levels: { national: 3, city: "1" }, count: "sum", cap: 3 }],
  bonusCap: 2,
  vetoTypes: [{ id: "incident", name: "incident", forceLast: true }],
  rollups: [
    {
      id: "branches",
      source: { category: "public" },
      share: "0.1",
      into: { category: "public" },
      parents: ["U1"],
    },
  ],
  groups: [
    { id: "g1", name: "group 1" },
    { id: "g2", name: "group 2", ranked: false },
  ],
  ranking: { tieBreakers: [{ category: "council" }], lastLosesAward: true },
  grades: {
    rules: [
      {
        id: "excellent",
        name: "excellent",
        minTotal: 60,
        quota: { percent: 50 },
        requiresExcellenceEligibility: true,
      },
      { id: "poor", name: "poor", belowTotal: "60", quota: { count: 1, from: "bottom" } },
    ],
    fallback: { id: "fair", name: "fair" },
  },
  rounding: { decimals: 2, mode: "half-even", stages: ["category", "adjustment", "total"] },
};

const units = ["U1", "U2", "U3", "U4"];
/** A year every table of which has rows, each naming units, categories, voters and types. */
const dataset: Dataset = {
  units: [
    { id: "U1", name: "bureau", group: "g1" },
    { id: "U2", name: "branch", group: "g1", parent: "U1", kind: "service" },
    { id: "U3", name: "office", group: "g1", kind: "service" },
    { id: "U4", name: "centre", group: "g2" },
  ],
  scores: units.map((unit, i) => ({ unit, category: "business", value: i % 2 ? `2${i}.5` : 20 + i })),
  ballots: units.flatMap((unit, i) => [
    ...["V1", "V2", "V3", "V4"].map((voter, j) => ({
      category: "council",
      voter,
      unit,
      score: 70 + i * 3 + j,
    })),
    { category: "leaders", voter: "M1", role: "mayor", unit, grade: i % 2 ? "好" : "较好" },
    { category: "leaders", voter: "M2", role: "member", unit, grade: "一般" },
  ]),
  surveyForms: units.map((unit) => ({ category: "public", unit, respondentGroup: "firms", answer: "满意" })),
  surveyTallies: units.flatMap((unit, i) => [
    { category: "public", unit, respondentGroup: "residents", answer: "基本满意", count: 3 + i },
    { category: "public", unit, respondentGroup: "residents", answer: "不了解", count: 1 },
  ]),
  inputs: units.map((unit, i) => ({ unit, name: "cases", value: `${40 + i}.25` })),
  findings: [
    { id: "F1", unit: "U1", type: "visit", level: "city", rectification: "late", repeated: true },
    { id: "F2", unit: "U3", type: "complaint", level: "city", note: "a note" },
  ],
  bonusEvents: [{ id: "B1", unit: "U2", type: "award", level: "national" }],
  vetoEvents: [{ id: "X1", unit: "U4", type: "incident", reason: "a fatal fire" }],
};

/** Values a careless or hostile caller sends where a field is expected. */
const odd: unknown[] = [
  null,
  undefined,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  1,
  -1,
  0.1,
  1.5,
  1e9,
  2 ** 53 + 2,
  1e308,
  5e-324,
  "",
  " ",
  " 5 ",
  "5",
  "-5",
  "-0",
  "0x10",
  "1e400",
  "1e-400",
  "NaN",
  "Infinity",
  `0.${"1234567890".repeat(200)}`,
  "9".repeat(400),
  "lots",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "U1",
  "g1",
  "business",
  true,
  false,
  [],
  [null],
  ["x"],
  [1, 2],
  {},
  { a: 1 },
  // JSON can hold these; a template literal or String() of the first throws a TypeError.
  { toString: 0 },
  { valueOf: 0, toString: 0 },
  { toString: "x" },
];
const hostile = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...odd) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 1, arbitrary: fc.double() },
);

/** Keys a caller might add by mistake: misspellings, prototype names, an empty key. */
const strayKeys = ["zz_misspelt", "__proto__", "constructor", "toString", "valueOf", "", "Id"] as const;
const strayKey = fc.constantFrom(...strayKeys);

const mutation = mutationOf(strayKey, hostile);
const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

/**
 * Runs `call` on the documents and checks what the brief promises: it returns, or it throws an
 * InputError about one of the documents, each issue of which has a message and a path to a
 * field of that document (the object holding it is there; the field itself may be the one
 * left out), the root only when the document is no object at all. No document changes.
 */
function returnsOrNames(documents: { scheme?: unknown; dataset?: unknown }, call: () => unknown): unknown {
  const before = copy(documents);
  let result: unknown;
  try {
    result = call();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    expect(Object.keys(documents), e.message).toContain(e.subject);
    const blamed = documents[e.subject as keyof typeof documents];
    expect(e.issues.length, e.message).toBeGreaterThan(0);
    for (const { path, message } of e.issues) {
      expect(typeof message === "string" && message.trim() !== "", e.message).toBe(true);
      if (path.length === 0) expect(isObject(blamed), e.message).toBe(false);
      else {
        // A field of an object, or an entry of a list: not "category" of a row that is a list.
        const holder = valueAt(blamed, path.slice(0, -1));
        const holds = typeof path.at(-1) === "number" ? Array.isArray(holder) : isObject(holder);
        expect(holds, `${e.message}\n(no such holder)`).toBe(true);
      }
    }
  }
  expect(same(documents, before), "the call changed its input").toBe(true);
  return result;
}

/**
 * Deep equality of JSON-like values by own keys, in order: vitest's equality reads an own
 * "constructor" key as the object's type, and two copies of `{ constructor: [] }` differ there.
 */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b))
    return false;
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k, i) =>
        k === kb[i] &&
        same((a as Record<string | symbol, unknown>)[k], (b as Record<string | symbol, unknown>)[k]),
    )
  );
}

const compiled = compileScheme(scheme);

describe("hostile input: the valid documents", () => {
  it("evaluate the seed year with every table, so that mutations start from a year that passes", () => {
    const r = evaluate(compiled, dataset);
    expect(r.units.map((u) => u.status)).toEqual(["scored", "scored", "scored", "scored"]);
    expect(createBaseline(compiled, dataset).standings).toHaveLength(4);
    expect(evaluate(directScheme(), directDataset([[20, 20, 80]])).units).toHaveLength(1);
  });
});

describe("hostile input: schemes", () => {
  it("compileScheme returns or names the field, whatever the scheme holds", () => {
    fc.assert(
      fc.property(mutations, (list) => {
        const doc = mutate(scheme, list);
        returnsOrNames({ scheme: doc }, () => compileScheme(doc));
      }),
      { numRuns: 400 },
    );
  });

  it("compileScheme returns or names the field for the plain three-category scheme", () => {
    fc.assert(
      fc.property(mutations, (list) => {
        const doc = mutate(directScheme(), list);
        returnsOrNames({ scheme: doc }, () => compileScheme(doc));
      }),
      { numRuns: 200 },
    );
  });

  it('a stray key is named where it stands, and a record\'s "__proto__" entry is not dropped', () => {
    // Objects are strict; these hold names the administrator chooses (levels, roles, grades, …).
    const isRecord = (path: Path) =>
      ["levels", "roles", "options", "weights", "byUnitKind"].includes(String(path.at(-1))) ||
      path.at(-2) === "byUnitKind" ||
      (path.at(-1) === "points" && path.at(-2) === "ballot");
    const objects = pathsOf(scheme).filter((p) => isObject(valueAt(scheme, p)));
    fc.assert(
      fc.property(fc.constantFrom(...objects), strayKey, hostile, (path, key, value) => {
        const doc = copy(scheme);
        setOwn(valueAt(doc, path) as Record<string, unknown>, key, copy(value));
        if (Object.hasOwn(valueAt(scheme, path) as object, key)) return;
        returnsOrNames({ scheme: doc }, () => compileScheme(doc));
        let issues: readonly InputIssue[] = [];
        try {
          compileScheme(doc);
        } catch (e) {
          issues = (e as InputError).issues;
        }
        if (!isRecord(path) || key === "__proto__")
          expect(
            issues.map((i) => i.path),
            `${JSON.stringify(path)} ${key}`,
          ).toContainEqual([...path, key]);
      }),
      { numRuns: 300 },
    );
  });

  it("a mutated scheme that compiles evaluates the year, or names a dataset field", () => {
    fc.assert(
      fc.property(mutations, (list) => {
        const doc = mutate(scheme, list);
        const mutated = compiledOrRefused(doc);
        if (!mutated) return;
        returnsOrNames({ scheme: doc, dataset }, () => evaluate(mutated, dataset));
        returnsOrNames({ scheme: doc, dataset }, () => createBaseline(mutated, dataset));
      }),
      { numRuns: 300 },
    );
  });
});

describe("hostile input: datasets", () => {
  it("evaluate, evaluateExact and createBaseline return or name the field, whatever the dataset holds", () => {
    fc.assert(
      fc.property(mutations, (list) => {
        const doc = mutate(dataset, list) as Dataset;
        returnsOrNames({ dataset: doc }, () => evaluate(compiled, doc));
        returnsOrNames({ dataset: doc }, () => evaluateExact(compiled, doc));
        returnsOrNames({ dataset: doc }, () => createBaseline(compiled, doc));
      }),
      { numRuns: 300 },
    );
  });

  it("evaluate and createBaseline, given both documents mutated, return or name a field of one", () => {
    fc.assert(
      fc.property(mutations, mutations, (inScheme, inDataset) => {
        const s = mutate(scheme, inScheme);
        const d = mutate(dataset, inDataset) as Dataset;
        returnsOrNames({ scheme: s, dataset: d }, () => evaluate(s, d));
        returnsOrNames({ scheme: s, dataset: d }, () => createBaseline(s, d));
      }),
      { numRuns: 200 },
    );
  });

  it("evaluate with the plain scheme's document returns or names the field", () => {
    fc.assert(
      fc.property(mutations, (list) => {
        const doc = mutate(
          directDataset([
            [20, "20.5", 80],
            ["10", 30, "99.99"],
          ]),
          list,
        ) as Dataset;
        returnsOrNames({ scheme: directScheme(), dataset: doc }, () => evaluate(directScheme(), doc));
      }),
      { numRuns: 200 },
    );
  });
});

/** Names JavaScript objects already have, or that JSON readers treat apart. */
const prototypeNames = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "prototype"];

/** The document with every key and every string value `from` written `to`. */
function renamed(v: unknown, from: string, to: string): unknown {
  if (typeof v === "string") return v === from ? to : v;
  if (Array.isArray(v)) return v.map((x) => renamed(x, from, to));
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) setOwn(out, k === from ? to : k, renamed(x, from, to));
  return out;
}

describe("hostile input: names JavaScript objects already have", () => {
  // Ids and record keys the year uses, each in the scheme, the dataset or both.
  const names = [
    ...["city", "national", "mayor", "member", "好", "满意", "不了解", "residents", "service"],
    ...["U1", "U3", "g1", "g2", "visit", "award", "incident", "council", "excellent", "fair", "V1", "F1"],
  ];
  const standing = (r: ReturnType<typeof evaluate>, back: (id: string) => string) =>
    Object.fromEntries(
      r.units.map((u) => [
        back(u.unit),
        [
          u.status,
          u.total,
          u.rank,
          u.grade && back(u.grade.id),
          u.eligibility.excellence,
          u.eligibility.award,
        ],
      ]),
    );
  const nominal = standing(evaluate(compiled, dataset), (id) => id);

  it("an id or a record key named like a prototype property scores as any other name, or is refused where it is written", () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.constantFrom(...prototypeNames), (name, to) => {
        const s = renamed(scheme, name, to);
        const d = renamed(dataset, name, to) as Dataset;
        const r = returnsOrNames({ scheme: s, dataset: d }, () => evaluate(s, d)) as
          | ReturnType<typeof evaluate>
          | undefined;
        const keyed = pathsOf(scheme).some((p) => p.at(-1) === name);
        if (to === "__proto__" && keyed) expect(r, "a record key __proto__ was accepted").toBeUndefined();
        else {
          expect(r, `${name} → ${to} was refused`).toBeDefined();
          expect(standing(r!, (id) => (id === to ? name : id))).toEqual(nominal);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("hostile input: a value of the wrong type where the engine reads one", () => {
  /** Each row's fields the engine reads, with the values of the wrong type for each. */
  const notText = [{}, [], ["U1"], true, false, 5, 0, JSON.parse('{ "toString": 0 }')];
  const notDecimal = [
    {},
    [],
    [5],
    true,
    false,
    null,
    "",
    // One grammar for every decimal: a padded cell is refused, as in a scheme.
    " 5 ",
    "++5",
    "5.",
    ".5",
    "0x10",
    "1e400",
    "1,5",
    Number.NaN,
    JSON.parse('{ "toString": 0 }'),
  ];
  const read: Record<string, (row: Record<string, unknown>) => Record<string, unknown[]>> = {
    units: () => ({
      id: [...notText, null],
      name: [...notText, null],
      group: [...notText, null],
      parent: notText,
      kind: notText,
    }),
    scores: () => ({ unit: notText, category: notText, value: notDecimal }),
    ballots: (row) => ({
      category: notText,
      voter: [...notText, null],
      unit: notText,
      ...(row.category === "leaders"
        ? { role: [...notText, null], grade: [...notText, null] }
        : { score: notDecimal }),
    }),
    surveyForms: () => ({ category: notText, unit: notText, respondentGroup: notText, answer: notText }),
    surveyTallies: () => ({
      category: notText,
      unit: notText,
      respondentGroup: notText,
      answer: notText,
      count: [{}, [], true, null, "3", -1, 1.5, Number.NaN, 2 ** 53],
    }),
    inputs: () => ({ unit: notText, name: notText, value: notDecimal }),
    findings: () => ({
      id: [...notText, null],
      unit: notText,
      type: notText,
      level: notText,
      rectification: [...notText, "Late", ""],
      repeated: [{}, [], "true", "false", 0, 1, null],
    }),
    bonusEvents: () => ({ id: [...notText, null], unit: notText, type: notText, level: notText }),
    vetoEvents: () => ({ id: [...notText, null], unit: notText, type: notText, reason: [...notText, null] }),
  };
  const cases = Object.entries(read).flatMap(([list, fieldsOf]) =>
    ((dataset as unknown as Record<string, Record<string, unknown>[]>)[list] ?? []).flatMap((row, i) =>
      Object.entries(fieldsOf(row)).map(([field, values]) => ({ path: [list, i, field], values })),
    ),
  );

  it("is refused, naming its row or the field", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...cases).chain((c) => fc.tuple(fc.constant(c.path), fc.constantFrom(...c.values))),
        ([path, value]) => {
          const doc = copy(dataset) as Dataset;
          setOwn(valueAt(doc, path.slice(0, -1)) as Record<string, unknown>, path[2] as string, copy(value));
          returnsOrNames({ dataset: doc }, () => evaluate(compiled, doc));
          let issues: readonly InputIssue[] = [];
          try {
            evaluate(compiled, doc);
          } catch (e) {
            issues = (e as InputError).issues;
          }
          const named = issues.some((i) => i.path[0] === path[0] && i.path[1] === path[1]);
          expect(named, `${path.join(".")} = ${JSON.stringify(value)}: ${JSON.stringify(issues)}`).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("hostile input: values nested 100,000 deep", () => {
  const deep = (wrap: (v: unknown) => unknown) => {
    let v: unknown = "g1";
    for (let i = 0; i < 100_000; i++) v = wrap(v);
    return v;
  };
  /** Returns, or throws an InputError: the deep value is never walked by recursion or quoted. */
  const returnsOrRefuses = (call: () => unknown) => {
    try {
      call();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
    }
  };

  it.each([
    ["lists", (v: unknown) => [v]],
    ["objects", (v: unknown) => ({ a: v })],
  ])("in %s: in a scheme and in a dataset", (_, wrap) => {
    const v = deep(wrap);
    const plain = directScheme();
    const year = directDataset([["26.4", "26.94", "77.15"]]);
    const unit = year.units[0]!;
    for (const doc of [v, { ...plain, description: v }, { ...plain, extra: v }])
      returnsOrRefuses(() => compileScheme(doc));
    returnsOrRefuses(() =>
      compileScheme({ ...plain, findingTypes: [{ id: "f", name: "f", levels: { city: v } }] }),
    );
    for (const doc of [
      v,
      { ...year, scores: v },
      { ...year, scores: [v] },
      { ...year, units: [{ ...unit, group: v }] },
      { ...year, units: [{ ...unit, parent: v }] },
      { ...year, units: [{ ...unit, extra: v }] },
    ]) {
      returnsOrRefuses(() => evaluate(plain, doc as Dataset));
      returnsOrRefuses(() => createBaseline(plain, doc as Dataset));
    }
  });
});
