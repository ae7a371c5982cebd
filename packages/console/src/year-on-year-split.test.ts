import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { change } from "./_test-scheme-change";
import { ApiError } from "./api";
import type { Standing, WhatIfUnit } from "./whatif-api";
import { halvesByUnit, keptRules, repeatsError, splitSides } from "./year-on-year-split";

describe("splitSides", () => {
  it("puts the compared cycle's records under the base cycle's rules between the two cycles, data first", () => {
    expect(splitSides("2018", "2019")).toEqual({
      data: { before: { cycleId: "2018" }, after: { cycleId: "2019", rulesOf: "2018" } },
      rules: { before: { cycleId: "2019", rulesOf: "2018" }, after: { cycleId: "2019" } },
    });
  });
});

const standing = (total: string | null, rank: number | null): Standing => ({
  group: "g",
  total,
  rank,
  rankedInGroup: 29,
  grade: null,
  eligibleForExcellence: true,
  eligibleForAward: true,
});
const row = (unitId: string, totalDelta: string | null, rank: number | null): WhatIfUnit => ({
  unitId,
  name: unitId,
  baseline: standing("80", 1),
  scenario: standing(totalDelta === null ? null : "80", rank),
  totalDelta,
  rankDelta: null,
  parts: [],
});

describe("halvesByUnit", () => {
  it("gives each unit the records' half's change and rank in the middle, and the rules' half's change", () => {
    // docs/what-if.md: U02 +1.07 (15th → 12th), then −1.25 (→ 10th).
    const halves = halvesByUnit(
      [row("U02", "1.07", 12), row("U09", "0", 11)],
      [row("U09", "-1.26", 9), row("U02", "-1.25", 10)],
    );
    expect(halves.get("U02")).toEqual({
      data: { totalDelta: "1.07", rank: 12 },
      rules: { totalDelta: "-1.25" },
    });
    expect(halves.get("U09")).toEqual({
      data: { totalDelta: "0", rank: 11 },
      rules: { totalDelta: "-1.26" },
    });
  });

  it("has no change for a unit without a total in the middle, on either half", () => {
    const halves = halvesByUnit([row("U03", null, null)], [row("U03", null, 4)]);
    expect(halves.get("U03")).toEqual({
      data: { totalDelta: null, rank: null },
      rules: { totalDelta: null },
    });
  });

  it("keeps every unit of the records' half, whatever the order of the rules' half's rows", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { minLength: 1 }),
        fc.boolean(),
        (ids, reverse) => {
          const data = ids.map((i) => row(`U${i}`, String(i), i));
          const rules = ids.map((i) => row(`U${i}`, String(-i), i));
          const halves = halvesByUnit(data, reverse ? rules.reverse() : rules);
          expect([...halves.keys()]).toEqual(ids.map((i) => `U${i}`));
          for (const i of ids) expect(halves.get(`U${i}`)!.rules.totalDelta).toBe(String(-i));
        },
      ),
    );
  });
});

describe("keptRules", () => {
  it("names a category's method once for every line of it, and leaves out the scheme's own words", () => {
    // What the seed's 2019 → 2018 patchBetween keeps (docs/what-if.md, "The middle from the two schemes").
    const kept = [
      "name",
      "description",
      "categories[id=organ].method.kind",
      "categories[id=organ].method.ballot",
      "categories[id=organ].method.aggregation",
      "categories[id=organ].method.quorum",
      "categories[id=organ].method.validity",
      "categories[id=organ].method.outOf",
    ].map((path) => change({ path, kind: "CHANGED" }));
    expect(keptRules(kept)).toEqual({ categories: [{ id: "organ", aspects: ["method"] }], others: [] });
  });

  it("tells a whole category (one scheme has it) from a part of one, and keeps other rules by path", () => {
    const kept = [
      change({ path: "categories[id=new]", kind: "ADDED" }),
      change({ path: "categories[id=public].tieBreakers", kind: "CHANGED" }),
      change({ path: "categories[id=public].method.weighting", kind: "CHANGED" }),
      change({ path: "groups[id=g].ranked", kind: "CHANGED" }),
      change({ path: "groups[id=g].ranked", kind: "CHANGED" }),
    ];
    expect(keptRules(kept)).toEqual({
      categories: [
        { id: "new", aspects: [""] },
        { id: "public", aspects: ["tieBreakers", "method"] },
      ],
      others: ["groups[id=g].ranked"],
    });
  });

  it("leaves out a category only the compared cycle has, whose weight the rules' half carries, and the scheme's id", () => {
    const kept = [
      change({ path: "id", kind: "CHANGED" }),
      change({ path: "categories[id=innovation]", kind: "REMOVED" }),
      change({ path: "categories[id=old]", kind: "ADDED" }),
    ];
    expect(keptRules(kept)).toEqual({ categories: [{ id: "old", aspects: [""] }], others: [] });
  });

  it("leaves out a direct category's scale, which is how its records were written", () => {
    const kept = [change({ path: "categories[id=business].method.outOf", kind: "CHANGED" })];
    expect(keptRules(kept)).toEqual({ categories: [], others: [] });
  });

  it("leaves out a list's order changed only by a member added or removed, not one reordered too", () => {
    const order = (before: string[], after: string[]) =>
      change({ path: "grades.rules[ids]", kind: "CHANGED", before, after });
    const good = change({ path: "grades.rules[id=good]", kind: "ADDED" });
    expect(keptRules([order(["excellent", "fair"], ["excellent", "good", "fair"]), good]).others).toEqual([
      "grades.rules[id=good]",
    ]);
    expect(keptRules([order(["excellent", "good", "fair"], ["fair", "excellent"]), good]).others).toEqual([
      "grades.rules[ids]",
      "grades.rules[id=good]",
    ]);
    // A group's member is no grade rule.
    expect(
      keptRules([
        order(["excellent", "fair"], ["excellent", "good", "fair"]),
        change({ path: "groups[id=g]", kind: "ADDED" }),
      ]).others,
    ).toEqual(["grades.rules[ids]", "groups[id=g]"]);
  });

  it("is empty where everything was taken back", () => {
    expect(keptRules([])).toEqual({ categories: [], others: [] });
    expect(keptRules([change({ path: "name", kind: "CHANGED" })])).toEqual({ categories: [], others: [] });
  });
});

describe("repeatsError", () => {
  const refusal = (sides: string) => ({
    path: "after.cycleId",
    message: `${sides}: no unit in common with the baseline (its 29 units, 1 here): were the units renumbered?`,
  });
  const whole = new ApiError("refused", "INPUT", [
    refusal("cycle 'extra' as published (after) against cycle '2018' as published (before, the baseline)"),
  ]);

  it("finds the records half's refusal a repeat of the whole's: the same code, of the same fields, whatever sides it names", () => {
    const half = new ApiError("refused", "INPUT", [
      refusal(
        "cycle 'extra' under the rules of cycle '2018' (after) against cycle '2018' as published (before, the baseline)",
      ),
    ]);
    expect(repeatsError(half, whole)).toBe(true);
    expect(repeatsError(null, whole)).toBe(false);
    expect(repeatsError(half, null)).toBe(false);
  });

  it("keeps a half's own failure: another code, of other fields, or without issues another message", () => {
    expect(repeatsError(new ApiError("refused", "EVALUATION", whole.issues), whole)).toBe(false);
    expect(
      repeatsError(new ApiError("refused", "INPUT", [{ path: "before.cycleId", message: "x" }]), whole),
    ).toBe(false);
    expect(repeatsError(new ApiError("refused", "INPUT", []), whole)).toBe(false);
    expect(repeatsError(new ApiError("a", "HTTP"), new ApiError("a", "HTTP"))).toBe(true);
    expect(repeatsError(new ApiError("a", "HTTP"), new ApiError("b", "HTTP"))).toBe(false);
    expect(repeatsError(new Error("Failed to fetch"), new Error("Failed to fetch"))).toBe(true);
    expect(repeatsError(new Error("Failed to fetch"), whole)).toBe(false);
  });
});
