import { describe, expect, it } from "vitest";
import { argumentIssues } from "./_test-argument-issues.js";
import { closestField, formatPath, unknownId } from "./wording-public.js";

// Wrong on purpose: what plain JavaScript can pass and TypeScript would refuse.
const wrong = (value: unknown) => value as never;

describe("the wording helpers as the package exports them", () => {
  it("word as the engine's modules do", () => {
    expect(formatPath(["ballots", 17, "score"])).toBe("ballots[17].score");
    expect(closestField("pionts", ["points", "name"])).toBe("points");
    expect(unknownId("unit", "U09 ", new Set(["U09"]))).toBe('unknown unit "U09 "; did you mean "U09"?');
  });

  it.each([
    [
      "formatPath, a number",
      () => formatPath(wrong(5)),
      ['path: expected a list of field names and row indexes, such as ["ballots", 17, "score"]; got 5'],
    ],
    [
      "formatPath, text (read letter by letter)",
      () => formatPath(wrong("ballots")),
      [
        'path: expected a list of field names and row indexes, such as ["ballots", 17, "score"]; got text "ballots"',
      ],
    ],
    [
      "formatPath, an entry of neither kind",
      () => formatPath(wrong(["ballots", null, "score"])),
      ["path.1: expected a field name (text) or a row index (a number); got null"],
    ],
    [
      "closestField, a number and no list",
      () => closestField(wrong(5), wrong(undefined)),
      ["key: expected the key as written; got 5", "fields: expected a list of the field names; got nothing"],
    ],
    [
      "closestField, a field that is no text",
      () => closestField("pionts", wrong(["points", 7])),
      ["fields.1: expected text; got 7"],
    ],
    [
      "unknownId, the id alone",
      () => unknownId(wrong(5), undefined, wrong(undefined)),
      [
        'what: expected the kind of id, such as "unit"; got 5',
        'known: expected a Set of the known ids, new Set(["U01", "U02"]); got nothing',
      ],
    ],
    [
      "unknownId, a list of the known ids",
      () => unknownId("unit", "U9", wrong(["U09"])),
      ['known: expected a Set of the known ids, new Set(["U01", "U02"]); got a list'],
    ],
    [
      "unknownId, a Map of the known ids",
      () => unknownId("unit", "U9", wrong(new Map([["U09", 1]]))),
      ['known: expected a Set of the known ids, new Set(["U01", "U02"]); got a Map'],
    ],
    [
      "unknownId, a Set of numbers",
      () => unknownId("unit", "U9", wrong(new Set(["U08", 9]))),
      ["known: expected a Set of ids as text; got 9 among them"],
    ],
    [
      "unknownId, spelling as text",
      () => unknownId("category", "busines", new Set(["business"]), wrong("yes")),
      [
        'spelling: expected true (ids that are words: a slip of the keyboard is looked for) or false; got text "yes"',
      ],
    ],
  ])("%s: an InputError naming the argument", (_, call, issues) => {
    expect(argumentIssues(call)).toEqual(issues);
  });
});
