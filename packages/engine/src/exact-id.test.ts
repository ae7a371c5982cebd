import { describe, expect, it } from "vitest";
import { hasSpacesAround, sameIdAs, unknownId, withoutSpacesAround } from "./exact-id.js";

describe("spaces around an id", () => {
  it.each([
    ["U09", false],
    ["", false],
    ["U 09", false],
    ["U09 ", true],
    ["\tU09", true],
    ["U09\u3000", true],
    ["\u00a0U09", true],
    ["U09\u200b", true],
    ["\ufeffU09", true],
  ])("%j: %s", (id, spaced) => {
    expect(hasSpacesAround(id)).toBe(spaced);
    expect(withoutSpacesAround(id)).toBe(spaced ? "U09" : id);
  });
});

describe("the id an unknown one most likely means", () => {
  const known = new Set(["U09", "U10", "ab", "AB"]);

  it("is the known id without the spaces, or but for case", () => {
    expect(sameIdAs("U09 ", known)).toBe("U09");
    expect(sameIdAs("u09", known)).toBe("U09");
    expect(sameIdAs(" u10\u3000", known)).toBe("U10");
  });

  it("is none when two ids differ only by case, or none is close", () => {
    expect(sameIdAs("Ab", known)).toBeUndefined();
    expect(sameIdAs("U11", known)).toBeUndefined();
    expect(sameIdAs(9, known)).toBeUndefined();
  });

  it("is said after the unknown id, and nothing is said when there is none", () => {
    expect(unknownId("unit", "U09 ", known)).toBe('unknown unit "U09 "; did you mean "U09"?');
    expect(unknownId("unit", "U11", known)).toBe('unknown unit "U11"');
  });

  it("searches words, not codes, for a slip of the keyboard", () => {
    const categories = new Set(["business", "organ", "public"]);
    expect(unknownId("category", "busines", categories, true)).toBe(
      'unknown category "busines"; did you mean "business"?',
    );
    expect(unknownId("category", "nope", categories, true)).toBe(
      'unknown category "nope" (known: business, organ, public)',
    );
    // Codes: "U19" is another unit, not a slip for "U09"; "g9" another group than "g1".
    expect(unknownId("unit", "U19", known)).toBe('unknown unit "U19"');
    expect(unknownId("group", "g9", new Set(["g1", "g2"]), true)).toBe('unknown group "g9" (known: g1, g2)');
  });
});

describe("the ids an unknown one is matched against", () => {
  it("are the set's as it is now, when the set grew since the last call", () => {
    const known = new Set(["U01"]);
    expect(unknownId("unit", "u09", known)).toBe('unknown unit "u09"');
    known.add("U09");
    expect(unknownId("unit", "u09", known)).toBe('unknown unit "u09"; did you mean "U09"?');
    known.delete("U09");
    expect(unknownId("unit", "u09", known)).toBe('unknown unit "u09"');
  });

  it("never name an id deleted since, though the set's size is unchanged", () => {
    const known = new Set(["U01", "U09"]);
    expect(unknownId("unit", "u09", known)).toBe('unknown unit "u09"; did you mean "U09"?');
    known.delete("U09");
    known.add("B1");
    expect(unknownId("unit", "u09", known)).toBe('unknown unit "u09"');
    // Made again on the way: the id added is found too.
    expect(unknownId("unit", "b1", known)).toBe('unknown unit "b1"; did you mean "B1"?');
  });
});
