import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { directScheme } from "../_test-schemes.js";
import type { Dataset } from "../dataset/dataset.js";
import { evaluate } from "../evaluation/evaluate.js";
import { InputError } from "../input-error.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { createBaseline } from "./baseline.js";
import { runScenario } from "./run-scenario.js";

// Business work assessed directly; two formulas sharing the input "b": f over a and b, g over b and c.
const scheme = directScheme({
  categories: [
    { id: "business", name: "business work", points: 30, method: { kind: "direct", outOf: 30 } },
    {
      id: "f",
      name: "f",
      points: 40,
      method: { kind: "formula", expression: "a + b", inputs: [{ name: "a" }, { name: "b" }], max: 100 },
    },
    {
      id: "g",
      name: "g",
      points: 30,
      method: { kind: "formula", expression: "b + c", inputs: [{ name: "b" }, { name: "c" }], max: 100 },
    },
  ],
});
const units = ["U1", "U2", "U3"].map((id) => ({ id, name: id, group: "g1" }));

function yearOf(values: readonly (readonly [number, number, number, number])[]): Dataset {
  return {
    units,
    scores: units.map((u, i) => ({ unit: u.id, category: "business", value: values[i]![0] })),
    inputs: units.flatMap((u, i) =>
      (["a", "b", "c"] as const).map((name, k) => ({ unit: u.id, name, value: values[i]![k + 1]! })),
    ),
  };
}
const data = yearOf([
  [20, 30, 20, 10],
  [25, 10, 40, 45],
  [15, 50, 5, 35],
]);

// A type, not an interface: a patch's method is a record, which an interface is not assignable to.
type FormulaPatch = {
  expression?: string;
  inputs?: { name: string }[];
  max?: number;
};
type Outcome = { refused: string[] } | { units: string[] };

/** The patched scheme as a scheme author would write it: arrays replace, other keys merge. */
function patchedScheme(patches: Record<string, FormulaPatch>): SchemeInput {
  return {
    ...scheme,
    categories: scheme.categories.map((c) =>
      patches[c.id] ? { ...c, method: { ...c.method, ...patches[c.id] } as typeof c.method } : c,
    ),
  };
}

/** A fresh evaluation of the patched scheme: its units, or the problems it refuses. */
function fresh(patches: Record<string, FormulaPatch>, dataset: Dataset): Outcome {
  try {
    const e = evaluate(patchedScheme(patches), dataset);
    return { units: e.units.map((u) => `${u.unit} ${u.total} ${u.rank}`).sort() };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    expect(e.subject).toBe("dataset");
    return { refused: e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).sort() };
  }
}

/**
 * The scenario's outcome, read as a fresh evaluation's: a problem in a baseline record is
 * at `baseline.<path>`, and may say which patch it no longer fits.
 */
function scenario(patches: Record<string, FormulaPatch>, extra: object = {}): Outcome {
  const b = createBaseline(scheme, data);
  const categories = Object.fromEntries(Object.entries(patches).map(([id, method]) => [id, { method }]));
  try {
    const r = runScenario(b, { name: "formulas", patch: { categories }, ...extra });
    return { units: r.units.map((u) => `${u.unit} ${u.scenario.total} ${u.scenario.rank}`).sort() };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    expect(e.subject).toBe("scenario");
    return {
      refused: e.issues
        .map((i) => {
          expect(i.path[0]).toBe("baseline");
          const message = i.message.replace(/ \(under patch\.categories\.[^)]*\)$/, "");
          return `${i.path.slice(1).join(".")}: ${message}`;
        })
        .sort(),
    };
  }
}

describe("a scenario's formula patch reads input rows as a fresh evaluation of the patched scheme does", () => {
  it("refuses rows of an input no formula declares any more, naming each row and the patch", () => {
    const patch = { f: { expression: "b * 2", inputs: [{ name: "b" }] } };
    const expected = [0, 3, 6].map(
      (i) => `inputs.${i}.name: input for unit "U${i / 3 + 1}": no formula declares an input named "a"`,
    );
    expect(fresh(patch, data)).toEqual({ refused: expected });
    expect(scenario(patch)).toEqual({ refused: expected });
    expect(() =>
      runScenario(createBaseline(scheme, data), {
        name: "x",
        patch: { categories: { f: { method: patch.f } } },
      }),
    ).toThrow(
      'baseline.inputs[0].name: input for unit "U1": no formula declares an input named "a" (under patch.categories.f.method)',
    );
  });

  it("accepts dropping an input another formula still declares", () => {
    const patch = { f: { expression: "a * 2", inputs: [{ name: "a" }] } };
    expect(scenario(patch)).toEqual(fresh(patch, data));
    expect("units" in scenario(patch)).toBe(true);
  });

  it("refuses the same rows when the scenario also changes records (the whole dataset re-checked)", () => {
    const patch = { g: { expression: "b", inputs: [{ name: "b" }] } };
    const scores = [{ unit: "U1", category: "business", value: 12 }];
    const changed = { ...data, scores: [...data.scores!.slice(1), scores[0]!] };
    expect(scenario(patch, { data: { scores } })).toEqual(fresh(patch, changed));
    expect(fresh(patch, changed)).toHaveProperty("refused");
  });

  it("leaves a unit insufficient for an added input the year lacks, and re-scales to a new max", () => {
    const added = { f: { expression: "a + d", inputs: [{ name: "a" }, { name: "b" }, { name: "d" }] } };
    expect(scenario(added)).toEqual(fresh(added, data));
    expect(scenario(added)).toEqual({ units: ["U1 null null", "U2 null null", "U3 null null"] });
    const max = { f: { max: 80 }, g: { max: 120 } };
    expect(scenario(max)).toEqual(fresh(max, data));
  });

  it("refuses a patch that would change a formula into another method", () => {
    const b = createBaseline(scheme, data);
    expect(() =>
      runScenario(b, { name: "x", patch: { categories: { f: { method: { kind: "direct", outOf: 40 } } } } }),
    ).toThrow('patch.categories.f.method.kind: cannot change the method kind of "f"');
  });

  it("gives what a fresh evaluation gives, or refuses what it refuses, for any formula patch", () => {
    const names = fc.subarray(["a", "b", "c", "d"]);
    const formula = fc.record(
      {
        inputs: names.map((n) => n.map((name) => ({ name }))),
        max: fc.constantFrom(50, 100, 150),
      },
      { requiredKeys: [] },
    );
    // The expression reads every declared input, so it compiles; "d" has no rows in the year.
    const withExpression = formula.map(
      (p): FormulaPatch =>
        p.inputs ? { ...p, expression: p.inputs.map((i) => i.name).join(" + ") || "10" } : p,
    );
    fc.assert(
      fc.property(
        fc.record({ f: withExpression, g: withExpression }, { requiredKeys: [] }),
        fc.option(fc.tuple(fc.constantFrom("U1", "U2", "U3"), fc.nat(30)), { nil: undefined }),
        (patches, score) => {
          const set = score && { unit: score[0], category: "business", value: score[1] };
          const dataset = set
            ? { ...data, scores: [...data.scores!.filter((s) => s.unit !== set.unit), set] }
            : data;
          const extra = set ? { data: { scores: [set] } } : {};
          expect(scenario(patches, extra)).toEqual(fresh(patches, dataset));
        },
      ),
    );
  });
});
