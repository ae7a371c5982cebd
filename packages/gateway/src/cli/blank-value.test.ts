import { describe, expect, it } from "vitest";
import { blankProblem } from "./blank-value.js";

describe("blankProblem", () => {
  it("names an empty value, and says what usually makes one", () => {
    expect(blankProblem("<cycle>", "")).toBe(
      "<cycle> is empty (a shell variable that is not set gives an empty one)",
    );
    expect(blankProblem("--group", "", ": give it a value, or leave it out")).toBe(
      "--group is empty: give it a value, or leave it out (a shell variable that is not set gives an empty one)",
    );
  });

  it("names a value of spaces only, of any kind", () => {
    for (const value of [" ", "  ", "\t", " \n ", "\u3000"])
      expect(blankProblem("<subject>", value), JSON.stringify(value)).toBe(
        "<subject> is blank (only spaces)",
      );
    expect(blankProblem("--to", "  ", ": give it a value")).toBe(
      "--to is blank (only spaces): give it a value",
    );
  });

  it("leaves a value with something in it, and one not given, to the command", () => {
    for (const value of ["2019", " alice ", "a b", undefined])
      expect(blankProblem("<x>", value), JSON.stringify(value)).toBeUndefined();
  });
});
