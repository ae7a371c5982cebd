import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
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
import { InputError } from "../input-error.js";
import { syntheticYear } from "./_test-synthetic.js";
import { createBaseline } from "./baseline.js";
import { leaveOneOut } from "./leave-one-out.js";
import { type MonteCarloResult, monteCarlo } from "./monte-carlo.js";
import { runScenario } from "./run-scenario.js";
import { weightSweep } from "./weight-sweep.js";

/**
 * What-if entry points as another system calls them, with options parsed from untyped JSON:
 * whatever arrives, the call returns or throws an InputError that names the field, never a
 * TypeError, a RangeError or a result that read a field it was not given.
 */

// Hostile sample counts are refused where their points and ranks cannot be allocated (1e9
// samples of twelve units are 1.2e10 ranks); where they could be, the engine, which has no cap
// of its own, would draw every one. The draws are counted so that the property stops there
// with a message rather than run for hours.
vi.mock("./weight-sampler.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("./weight-sampler.js")>();
  const most = 100_000;
  return {
    ...real,
    sampler: (...args: Parameters<typeof real.sampler>) => {
      const draw = real.sampler(...args);
      let drawn = 0;
      return (out: Float64Array) => {
        if (++drawn > most) throw new Error(`drew more than ${most} samples: a huge count was accepted`);
        draw(out);
      };
    },
  };
});

// Twelve units in two groups, with findings, a bonus table and a veto type to address.
const year = syntheticYear(12, 2, 3, { bonuses: true });
const baseline = createBaseline(year.scheme, year.dataset);
const finding = year.dataset.findings![0]!.id;
const secondFinding = year.dataset.findings![1]!.id;

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
  2 ** 31,
  2 ** 53 + 2,
  1e308,
  "",
  " ",
  " 5 ",
  "5",
  "-5",
  "0x10",
  "1e400",
  "1e-400",
  "NaN",
  "Infinity",
  `0.${"1234567890".repeat(20)}`,
  "9".repeat(400),
  "9".repeat(1200),
  Number.MIN_VALUE,
  "lots",
  "__proto__",
  "constructor",
  true,
  false,
  [],
  [null],
  ["x"],
  [1, 2],
  {},
  { a: 1 },
  // JSON can hold this; a template literal or String() of it throws a TypeError.
  { toString: 0 },
];
const hostile = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...odd) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 1, arbitrary: fc.double() },
);

/** Keys a caller might add by mistake: misspellings, prototype names, an empty key. */
const strayKey = fc.constantFrom("zz_misspelt", "__proto__", "constructor", "toString", "", "Category");

const mutation = mutationOf(strayKey, hostile);

/**
 * Returns normally, or throws an InputError every issue of which names a field: one the entry
 * point reads, or a key the caller wrote. Options that are no object at all have no field to
 * name: there the root is the field.
 */
function returnsOrNamesAField(
  input: unknown,
  call: (input: never) => unknown,
  fields: readonly string[],
  holds: (result: never, input: never) => void,
) {
  let result: unknown;
  try {
    result = call(input as never);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    expect(e.issues.length, e.message).toBeGreaterThan(0);
    const written = isObject(input) ? Object.keys(input) : [];
    for (const { path } of e.issues) {
      if (path.length === 0) expect(isObject(input), e.message).toBe(false);
      else expect([...fields, ...written], e.message).toContain(path[0]);
    }
    return;
  }
  holds(result as never, input as never);
}

/**
 * A base with one key added that nothing reads, in one of its objects: a misspelling, or
 * "__proto__" (an own key where JSON.parse makes one, which a schema's records drop without
 * a word). Method parameters are left alone: a patch may add a survey option there, and a
 * `null` in them removes a key.
 */
const withStrayKey = (bases: readonly unknown[]) =>
  fc
    .tuple(
      fc.constantFrom(...bases.filter(isObject)),
      fc.nat(),
      fc.constantFrom("zz_misspelt", "__proto__"),
      hostile,
    )
    .map(([base, at, key, value]) => {
      const input = copy(base);
      const spots = pathsOf(input).filter((p) => isObject(valueAt(input, p)) && !p.includes("method"));
      setOwn(valueAt(input, spots[at % spots.length]!) as Record<string, unknown>, key, copy(value));
      return { key, input };
    });

/** Throws an InputError that names the stray key, at it or in its message. */
function namesTheStrayKey(key: string, input: unknown, call: (input: never) => unknown) {
  let error: unknown = null;
  try {
    call(input as never);
  } catch (e) {
    error = e;
  }
  if (!(error instanceof InputError)) throw error ?? new Error(`returned, ignoring ${key}`);
  expect(
    error.issues.some((i) => i.path.includes(key) || i.message.includes(key)),
    error.message,
  ).toBe(true);
}

type JsType = "string" | "number" | "boolean" | "array" | "object";
/** A field of one of the bases (by index), and the types of value it takes. */
type TypedField = { base: number; path: Path; types: JsType[] };
const jsType = (v: unknown) => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v);

/**
 * A base with one field set to a value of a type the field does not take ("false" for a flag,
 * "0.2" for a number), where it would be read by coercion. Null and undefined stand for a
 * field left out and are not drawn.
 */
const mistyped = (bases: readonly unknown[], fields: readonly TypedField[]) =>
  fc
    .tuple(fc.constantFrom(...fields), hostile)
    .filter(([f, v]) => v != null && !(f.types as string[]).includes(jsType(v)))
    .map(([f, value]) => ({ field: f.path, input: withField(bases[f.base], f.path, value) }));

function withField(base: unknown, path: Path, value: unknown): unknown {
  const input = copy(base);
  const parent = valueAt(input, path.slice(0, -1)) as Record<string, unknown>;
  setOwn(parent, path.at(-1) as string, copy(value));
  return input;
}

/** Values of each type at the edges of what a field of that type may mean. */
const extremes: Record<JsType, unknown[]> = {
  number: [
    Number.NaN,
    Infinity,
    -Infinity,
    -0,
    0,
    -1,
    1.5,
    Number.MIN_VALUE,
    1e-300,
    1e9,
    2 ** 53 + 2,
    1e308,
  ],
  string: [
    "",
    " ",
    " 5 ",
    "0x10",
    "1e400",
    "-5",
    "NaN",
    "9".repeat(400),
    "9".repeat(1200),
    `0.${"0".repeat(400)}1`,
  ],
  boolean: [true, false],
  array: [[], [null], ["x"], [1, 2]],
  object: [{}, { a: 1 }, { toString: 0 }],
};

/** JSON, with the numbers it cannot write written as they are. */
const shown = (v: unknown) =>
  JSON.stringify(v, (_, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x))?.slice(0, 300);

/** Each base with one field set to a value of a type it takes, at the edge of what it may mean. */
const atTheEdge = (bases: readonly unknown[], fields: readonly TypedField[]) =>
  fields.flatMap((f) => f.types.flatMap((t) => extremes[t]).map((v) => withField(bases[f.base], f.path, v)));

/** Throws an InputError with an issue at the field or inside it. */
function namesTheMistypedField(field: Path, input: unknown, call: (input: never) => unknown) {
  let error: unknown = null;
  try {
    call(input as never);
  } catch (e) {
    error = e;
  }
  if (!(error instanceof InputError))
    throw error ?? new Error(`returned, reading ${field.join(".")} as it was`);
  expect(
    error.issues.some((i) => field.every((k, j) => i.path[j] === k)),
    error.message,
  ).toBe(true);
}

const mutated = (bases: readonly unknown[]) =>
  fc
    .tuple(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([base, ms]) => mutate(base, ms));

const sweepBases = [
  { category: "business" },
  { category: "public", from: "10", to: 50, others: "rescale", groups: ["G02"] },
  { category: "organ", from: 0, to: "100", others: "fixed", groups: ["G01", "G02"] },
];

const monteCarloBases = [
  { samples: 5, seed: 1 },
  { samples: 3, seed: 7, spread: 0.2, groups: ["G01"] },
  {
    samples: 4,
    seed: 2,
    weights: {
      kind: "uniform",
      bounds: { business: ["20", "40"], organ: [10, 30] },
      spread: 0.3,
      keepTotal: true,
    },
  },
  { samples: 3, seed: 5, weights: { kind: "dirichlet", concentration: 50 } },
  {
    samples: 3,
    seed: 9,
    alternatives: [
      {
        name: "lenient",
        patch: {
          categories: { public: { method: { minValidForms: 5 } } },
          findingTypes: { visit: { cap: 5 } },
        },
      },
    ],
  },
  { samples: 4, seed: 3, weights: { kind: "uniform", bounds: { public: [30, 50] } } },
];

const leaveOneOutBases = [undefined, {}, { rescale: true }, { rescale: false }];

const scenarioBases = [
  { name: "reform", patch: { categories: { public: { points: 50 }, organ: { points: 20 } } } },
  {
    name: "rules",
    description: "stricter grades",
    patch: {
      grades: { rules: { excellent: { quota: { percent: 20 } }, good: { minTotal: 80 } } },
      groups: { G01: { ranked: false } },
      ranking: { tieBreakers: [{ category: "organ" }], lastLosesAward: false },
      rounding: { decimals: 1, mode: "half-even", stages: ["total"] },
      bonusCap: 2,
    },
  },
  {
    name: "records",
    data: {
      findings: { [finding]: { rectification: "on-time" }, [secondFinding]: null },
      vetoEvents: { add: [{ id: "V9", unit: "U00002", type: "incident", reason: "r" }] },
      units: { U00003: { group: "G02" } },
      scores: [{ unit: "U00004", category: "business", value: "25.5" }],
    },
  },
  {
    name: "tables",
    patch: {
      categories: { public: { method: { minValidForms: 5, options: { satisfied: 90 } } } },
      findingTypes: { visit: { levels: { city: { perFinding: 0.5, late: null } }, cap: null } },
      bonusTypes: { award: { levels: { city: 1.5 }, count: "sum", cap: 2 } },
      vetoTypes: { incident: { forceLast: true } },
    },
  },
];

const entryPoints = [
  {
    name: "weightSweep",
    bases: sweepBases,
    fields: ["category", "from", "to", "others", "groups"],
    typed: [
      { base: 1, path: ["category"], types: ["string"] },
      { base: 1, path: ["from"], types: ["string", "number"] },
      { base: 1, path: ["to"], types: ["string", "number"] },
      { base: 1, path: ["others"], types: ["string"] },
      { base: 1, path: ["groups"], types: ["array"] },
      { base: 1, path: ["groups", 0], types: ["string"] },
    ] as TypedField[],
    call: (o: never) => weightSweep(baseline, o),
    runs: 200,
  },
  {
    name: "monteCarlo",
    bases: monteCarloBases,
    fields: ["samples", "seed", "weights", "spread", "alternatives", "groups"],
    typed: [
      { base: 0, path: ["samples"], types: ["number"] },
      { base: 0, path: ["seed"], types: ["number"] },
      { base: 0, path: ["spread"], types: ["number"] },
      { base: 0, path: ["weights"], types: ["object"] },
      { base: 0, path: ["alternatives"], types: ["array"] },
      { base: 0, path: ["groups"], types: ["array"] },
      { base: 2, path: ["weights", "kind"], types: ["string"] },
      { base: 2, path: ["weights", "spread"], types: ["number"] },
      { base: 2, path: ["weights", "keepTotal"], types: ["boolean"] },
      { base: 2, path: ["weights", "bounds"], types: ["object"] },
      { base: 2, path: ["weights", "bounds", "business"], types: ["array"] },
      { base: 2, path: ["weights", "bounds", "business", 1], types: ["string", "number"] },
      { base: 2, path: ["weights", "bounds", "organ", 0], types: ["string", "number"] },
      { base: 5, path: ["weights", "bounds", "public", 1], types: ["string", "number"] },
      { base: 3, path: ["weights", "concentration"], types: ["number"] },
      { base: 4, path: ["alternatives", 0], types: ["object"] },
      { base: 4, path: ["alternatives", 0, "name"], types: ["string"] },
      { base: 4, path: ["alternatives", 0, "patch"], types: ["object"] },
    ] as TypedField[],
    call: (o: never) => monteCarlo(baseline, o),
    // A bound or spread read as something it was not can draw points of Infinity or NaN.
    holds: (r: MonteCarloResult, o: { weights?: { kind?: unknown } }) => {
      expect(r.points.every(Number.isFinite)).toBe(true);
      // A Dirichlet draw lands on the nominal points with probability 0: every sample there
      // means the draws underflowed and fell back to them.
      const C = r.categories.length;
      const nominal = r.categories.map((id) =>
        Number(year.scheme.categories.find((c) => c.id === id)!.points),
      );
      if (o.weights?.kind === "dirichlet" && r.samples > 1)
        expect(r.points.some((p, i) => p !== nominal[i % C])).toBe(true);
    },
    runs: 200,
  },
  {
    name: "leaveOneOut",
    bases: leaveOneOutBases,
    fields: ["rescale"],
    typed: [{ base: 2, path: ["rescale"], types: ["boolean"] }] as TypedField[],
    call: (o: never) => leaveOneOut(baseline, o),
    runs: 60,
  },
  {
    name: "runScenario",
    bases: scenarioBases,
    // "baseline": a record of the baseline a patched method no longer fits.
    fields: ["name", "description", "patch", "data", "baseline"],
    typed: [
      { base: 0, path: ["name"], types: ["string"] },
      { base: 0, path: ["description"], types: ["string"] },
      { base: 0, path: ["patch"], types: ["object"] },
      { base: 0, path: ["data"], types: ["object"] },
      { base: 0, path: ["patch", "categories", "public", "points"], types: ["string", "number"] },
      { base: 2, path: ["data", "findings", finding, "repeated"], types: ["boolean"] },
      { base: 2, path: ["data", "scores", 0, "value"], types: ["string", "number"] },
    ] as TypedField[],
    call: (o: never) => runScenario(baseline, o),
    runs: 200,
  },
];

describe("what-if entry points given hostile options", () => {
  it.each(entryPoints)("$name runs the bases as given (the mutations start from valid options)", (e) => {
    for (const o of e.bases) e.call(o as never);
  });

  it.each(entryPoints)("$name returns or throws an InputError naming the field", (e) => {
    fc.assert(
      fc.property(mutated(e.bases), (o) => returnsOrNamesAField(o, e.call, e.fields, e.holds ?? (() => {}))),
      { numRuns: e.runs },
    );
  });

  it.each(entryPoints)("$name names a key it does not read instead of ignoring it", (e) => {
    fc.assert(
      fc.property(withStrayKey(e.bases), ({ key, input }) => namesTheStrayKey(key, input, e.call)),
      { numRuns: Math.ceil(e.runs / 4) },
    );
  });

  // Few enough to try every one: a value that only one field mishandles is not left to chance.
  it.each(entryPoints)("$name returns or names a field given a value at the edge of its type", (e) => {
    for (const o of atTheEdge(e.bases, e.typed))
      try {
        returnsOrNamesAField(o, e.call, e.fields, e.holds ?? (() => {}));
      } catch (error) {
        throw new Error(`${shown(o)}: ${(error as Error).message}`, { cause: error });
      }
  });

  it.each(entryPoints)("$name names a field of the wrong type instead of coercing it", (e) => {
    fc.assert(
      fc.property(mistyped(e.bases, e.typed), ({ field, input }) =>
        namesTheMistypedField(field, input, e.call),
      ),
      { numRuns: Math.ceil(e.runs / 2) },
    );
  });
});
