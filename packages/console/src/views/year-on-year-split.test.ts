import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { renderIn } from "../_test-render";
import { change } from "../_test-scheme-change";
import type { SchemeDocument } from "../whatif-api";
import { KeptNote } from "./year-on-year-split";

const scheme: SchemeDocument = {
  categories: [{ id: "organ", name: "机关建设", points: 30 }],
  groups: [{ id: "law", name: "执法部门" }],
};

describe("KeptNote", () => {
  it("says the rules kept in words, a path it has none for as it is", () => {
    const html = renderIn(
      "en",
      createElement(KeptNote, {
        changes: [
          change({ path: "groups[ids]", kind: "CHANGED" }),
          change({ path: "ranking.tieBreakers[0]", kind: "ADDED" }),
          change({ path: "findingTypes[id=visit].name", kind: "CHANGED" }),
        ],
        scheme,
        before: "2018",
      }),
    );
    const lines = [...html.matchAll(/<p>([^<]*)<\/p>/g)].map((m) => m[1]);
    const tail = " could not be taken back to the 2018 rules: its change counts in the records&#x27; half.";
    expect(lines).toEqual([
      `The order of the groups${tail}`,
      `Tie-breaker no. 1${tail}`,
      `The rule findingTypes[id=visit].name${tail}`,
    ]);
  });
});
