import { describe, expect, it } from "vitest";
import { jsonDiff } from "./json-diff.js";

describe("jsonDiff", () => {
  const rules = [
    { id: "excellent", quota: 30 },
    { id: "good", minTotal: 75 },
    { id: "pass", minTotal: 60 },
  ];

  it("lists a reordering of an id-keyed array (order decides grades)", () => {
    const after = { grades: { rules: [rules[1], rules[0], rules[2]] } };
    expect(jsonDiff({ grades: { rules } }, after)).toEqual([
      {
        path: "grades.rules[ids]",
        kind: "changed",
        before: ["excellent", "good", "pass"],
        after: ["good", "excellent", "pass"],
      },
    ]);
  });

  it("lists an insertion in the middle as an addition and an order change", () => {
    const after = [rules[0], { id: "fair", minTotal: 70 }, rules[1], rules[2]];
    expect(jsonDiff(rules, after).map((c) => c.path)).toEqual(["[ids]", "[id=fair]"]);
  });

  it("lists removals and additions at the end without an order change", () => {
    const after = [rules[0], rules[2], { id: "fair", minTotal: 70 }];
    expect(jsonDiff(rules, after)).toEqual([
      { path: "[id=good]", kind: "removed", before: rules[1], after: null },
      { path: "[id=fair]", kind: "added", before: null, after: { id: "fair", minTotal: 70 } },
    ]);
  });

  it("lists nothing for equal documents", () => {
    expect(jsonDiff({ grades: { rules } }, structuredClone({ grades: { rules } }))).toEqual([]);
  });
});
