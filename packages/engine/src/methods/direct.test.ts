import { describe, expect, it } from "vitest";
import type { Dataset } from "../dataset/dataset.js";
import { InputError, type InputIssue } from "../input-error.js";
import { compileScheme } from "../scheme/compile-scheme.js";
import { type Category, schemeSchema } from "../scheme/scheme-schema.js";
import { directMethod } from "./direct.js";

function schemeIssues(categories: unknown[]): string[] {
  try {
    compileScheme({ id: "s", version: 1, name: "s", categories, groups: [{ id: "g", name: "g" }] });
  } catch (e) {
    if (e instanceof InputError) return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw e;
  }
  return [];
}

function dataIssues(scores: Dataset["scores"]): InputIssue[] {
  const scheme = schemeSchema.parse({
    id: "s",
    version: 1,
    name: "s",
    categories: [{ id: "business", name: "b", points: 30, method: { kind: "direct" } }],
    groups: [{ id: "g", name: "g" }],
  });
  const category: Category = scheme.categories[0]!;
  const units = ["U1", "U2"];
  return directMethod.validateData({
    category,
    params: category.method as never,
    dataset: { units: units.map((id) => ({ id, name: id, group: "g" })), scores },
    unitIds: new Set(units),
  });
}

describe("direct method", () => {
  it("names the category's zero points when they are the default scale, not an outOf that is not there", () => {
    expect(
      schemeIssues([
        { id: "business", name: "b", points: 100, method: { kind: "direct" } },
        { id: "info", name: "i", points: 0, method: { kind: "direct" } },
        { id: "other", name: "o", points: 0, method: { kind: "direct", outOf: 0 } },
      ]),
    ).toEqual([
      "categories.1.method: the category has 0 points, so its raw scores need a scale: give outOf",
      "categories.2.method.outOf: must be greater than 0",
    ]);
  });

  it("names the row a duplicate score repeats", () => {
    expect(
      dataIssues([
        { unit: "U1", category: "business", value: 20 },
        { unit: "U2", category: "business", value: 21 },
        { unit: "U1", category: "business", value: 22 },
      ]),
    ).toEqual([{ path: ["scores", 2], message: "duplicate of scores[0]" }]);
  });
});
