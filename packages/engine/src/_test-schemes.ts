// Small schemes and datasets shared by tests. Not part of the public API.
import type { Dataset } from "./dataset/dataset.js";
import { InputError } from "./input-error.js";
import { type CompiledScheme, compileScheme } from "./scheme/compile-scheme.js";
import type { SchemeInput } from "./scheme/scheme-schema.js";

/** Three direct categories 30/30/40, one ranked group, the seed year's shape. */
export function directScheme(overrides: Partial<SchemeInput> = {}): SchemeInput {
  return {
    id: "test",
    version: 1,
    name: "test scheme",
    categories: [
      { id: "business", name: "business work", points: 30, method: { kind: "direct", outOf: 30 } },
      { id: "organ", name: "organ construction", points: 30, method: { kind: "direct", outOf: 30 } },
      { id: "public", name: "public evaluation", points: 40, method: { kind: "direct", outOf: 100 } },
    ],
    groups: [{ id: "g1", name: "group 1" }],
    ...overrides,
  };
}

/** Units U1..Un in g1 with direct scores given as [business, organ, public-of-100]. */
export function directDataset(
  rows: readonly (readonly [number | string, number | string, number | string])[],
): Dataset {
  const units = rows.map((_, i) => ({ id: `U${i + 1}`, name: `unit ${i + 1}`, group: "g1" }));
  return {
    units,
    scores: rows.flatMap(([b, o, p], i) => [
      { unit: `U${i + 1}`, category: "business", value: b },
      { unit: `U${i + 1}`, category: "organ", value: o },
      { unit: `U${i + 1}`, category: "public", value: p },
    ]),
  };
}

/** The issues `fn` throws, one "path: message" line each; fails the test when it throws none. */
export function issueLines(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw e;
  }
  throw new Error("expected an InputError");
}

/**
 * The document compiled, or undefined when the engine refuses it with an InputError (a
 * generated scheme a property skips); any other error is thrown, as the engine's bug.
 */
export function compiledOrRefused(document: unknown): CompiledScheme | undefined {
  try {
    return compileScheme(document);
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}
