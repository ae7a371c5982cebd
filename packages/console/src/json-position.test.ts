import { describe, expect, it } from "vitest";
import { jsonErrorWithLine } from "./json-position";

const errorOf = (text: string): Error => {
  try {
    JSON.parse(text);
  } catch (e) {
    return e as Error;
  }
  throw new Error("parsed");
};

describe("jsonErrorWithLine", () => {
  it("adds the line and column of a position", () => {
    const text = '{\n  "a": 1,,\n}';
    expect(jsonErrorWithLine(text, new Error("Unexpected token ',' in JSON at position 11"))).toBe(
      "Unexpected token ',' in JSON at position 11 (line 2, column 10)",
    );
    expect(jsonErrorWithLine(text, new Error("x at position 0"))).toContain("(line 1, column 1)");
  });

  it("leaves a message that already names its line", () => {
    const m = "Expected double-quoted property name in JSON at position 11 (line 2 column 12)";
    expect(jsonErrorWithLine("{}", new Error(m))).toBe(m);
  });

  it("names the last line when the draft ends too early (no position in the message)", () => {
    const text = '{\n  "id": "city-review",\n  "categories": [\n';
    const message = jsonErrorWithLine(text, errorOf(text));
    expect(message).toContain("Unexpected end of JSON input");
    expect(message).toContain("line 4, column 1");
  });
});
