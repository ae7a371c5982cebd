import { describe, expect, it } from "vitest";
import { jsonErrorWithLine, lineOfPath, pathInDraft } from "./json-position";

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

describe("pathInDraft", () => {
  it("reads a scheme document's problem as a place in the draft, whichever field carried it", () => {
    // publishSchemeVersion names its input's document; previewSchemeImpact its argument.
    expect(pathInDraft("input.document.categories[0].pionts")).toBe("categories[0].pionts");
    expect(pathInDraft("document.categories[0].pionts")).toBe("categories[0].pionts");
    expect(pathInDraft("input.document")).toBe("");
    expect(pathInDraft("document")).toBe("");
    expect(pathInDraft("document[2]")).toBe("[2]");
  });

  it("leaves out what is not about the draft", () => {
    expect(pathInDraft("input.reason")).toBeNull();
    expect(pathInDraft("input.documents.x")).toBeNull();
    expect(pathInDraft("cycleId")).toBeNull();
    // The engine's own subject, as the gateway named scheme problems before they came under their argument.
    expect(pathInDraft("scheme.categories[0].points")).toBeNull();
  });
});

describe("lineOfPath", () => {
  const text = JSON.stringify(
    {
      id: "city-review",
      categories: [
        { id: "business", points: 30, method: { kind: "direct", outOf: 100 } },
        { id: "public", pionts: 50, note: 'a "quoted" ] } , string' },
      ],
      bonusCap: "2.5",
    },
    null,
    2,
  );
  const lineOf = (needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

  it("finds the line of the member or element a path names", () => {
    expect(lineOfPath(text, "categories[1].pionts")).toBe(lineOf('"pionts"'));
    expect(lineOfPath(text, "categories[0].method.outOf")).toBe(lineOf('"outOf"'));
    expect(lineOfPath(text, "bonusCap")).toBe(lineOf('"bonusCap"'));
    expect(lineOfPath(text, "categories[1]")).toBe(lineOf('"id": "public"') - 1);
    expect(lineOfPath(text, "")).toBe(1);
  });

  it("falls back to the nearest place that exists when the path names something missing", () => {
    // "must have outOf" is about a member the draft lacks: its object is where to add it.
    expect(lineOfPath(text, "categories[1].method")).toBe(lineOf('"id": "public"') - 1);
    expect(lineOfPath(text, "categories[7].points")).toBe(lineOf('"categories"'));
    expect(lineOfPath(text, "categories.points")).toBe(lineOf('"categories"'));
  });

  it("finds members written on one line, and says nothing of text that is not JSON", () => {
    expect(lineOfPath('{"a": {"b": [1, {"c": 2}]},\n"d": 3}', "a.b[1].c")).toBe(1);
    expect(lineOfPath('{"a": {"b": [1, {"c": 2}]},\n"d": 3}', "d")).toBe(2);
    expect(lineOfPath('{"a": 1,,}', "a")).toBeNull();
  });
});
