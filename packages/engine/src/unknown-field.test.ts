import { describe, expect, it } from "vitest";
import { unknownField } from "./unknown-field.js";

const FIELDS = ["id", "name", "points", "method"];

describe("unknownField", () => {
  it.each([
    ["a swap of two letters", "pionts", "points"],
    ["another case", "Points", "points"],
    ["a letter left out", "pints", "points"],
    ["a key that contains the field", "method_kind", "method"],
  ])("names the field meant by %s", (_, key, meant) => {
    expect(unknownField(key, FIELDS)).toBe(`unknown field (misspelt?); did you mean "${meant}"?`);
  });

  it("lists the fields when none is close, a megabyte key included", () => {
    const list = "unknown field (misspelt?); the fields are id, name, points, method";
    expect(unknownField("weight", FIELDS)).toBe(list);
    expect(unknownField("p".repeat(1_000_000), FIELDS)).toBe(list);
  });
});
