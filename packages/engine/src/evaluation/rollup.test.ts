import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate.js";

// A bureau whose 16 sub-units' public evaluation counts 10% toward its own.
const scheme = {
  id: "rollup",
  version: 1,
  name: "roll-up",
  categories: [
    { id: "work", name: "work", points: 50, method: { kind: "direct", outOf: 100 } },
    { id: "public", name: "public", points: 50, method: { kind: "direct", outOf: 100 } },
  ],
  groups: [
    { id: "bureaus", name: "bureaus" },
    { id: "subs", name: "sub-units", ranked: false },
  ],
  rollups: [{ id: "subs", source: { category: "public" }, share: 0.1, into: { category: "public" } }],
};

describe("roll-ups", () => {
  it("takes the mean of the two middle shares of an even number of sub-units by median", () => {
    const median = { ...scheme, rollups: [{ ...scheme.rollups[0]!, aggregation: "median" }] };
    const publicScores = [60, 90, 70, 80];
    const units = [
      { id: "B", name: "bureau", group: "bureaus" },
      ...publicScores.map((_, i) => ({ id: `S${i}`, name: `sub ${i}`, group: "subs", parent: "B" })),
    ];
    const scores = [
      { unit: "B", category: "work", value: 90 },
      { unit: "B", category: "public", value: 80 },
      ...publicScores.flatMap((v, i) => [
        { unit: `S${i}`, category: "work", value: 70 },
        { unit: `S${i}`, category: "public", value: v },
      ]),
    ];
    const b = evaluate(median, { units, scores }).units.find((u) => u.unit === "B")!;
    // Median share of 0.6, 0.7, 0.8, 0.9 is 0.75: 0.9 × 40 + 0.1 × 0.75 × 50 = 39.75.
    expect(b.categories[1]!.points).toBe("39.75");
    expect(b.categories[1]!.trace.at(-1)!.text).toContain("median share of 4 sub-units = 0.75");
  });

  it("blends 10% of the sub-units' mean share into the parent's category", () => {
    const subs = Array.from({ length: 16 }, (_, i) => ({
      id: `S${i}`,
      name: `sub ${i}`,
      group: "subs",
      parent: "B",
    }));
    const units = [{ id: "B", name: "bureau", group: "bureaus" }, ...subs];
    const scores = [
      { unit: "B", category: "work", value: 90 },
      { unit: "B", category: "public", value: 80 },
      ...subs.flatMap((s, i) => [
        { unit: s.id, category: "work", value: 70 },
        { unit: s.id, category: "public", value: i < 8 ? 60 : 70 },
      ]),
    ];
    const r = evaluate(scheme, { units, scores });
    const b = r.units.find((u) => u.unit === "B")!;
    // own 40 of 50; sub-units' mean share 0.65 → 32.5; 0.9 × 40 + 0.1 × 32.5 = 39.25
    expect(b.categories[1]!.points).toBe("39.25");
    expect(b.total).toBe("84.25");
    expect(b.categories[1]!.trace.at(-1)!.text).toContain("mean share of 16 sub-units = 0.65");
    expect(r.units.find((u) => u.unit === "S0")!.rank).toBeNull();
  });

  it("leaves the parent unchanged when no sub-unit has a result", () => {
    const r = evaluate(scheme, {
      units: [
        { id: "B", name: "bureau", group: "bureaus" },
        { id: "S", name: "sub", group: "subs", parent: "B" },
      ],
      scores: [
        { unit: "B", category: "work", value: 90 },
        { unit: "B", category: "public", value: 80 },
      ],
    });
    expect(r.units.find((u) => u.unit === "B")!.total).toBe("85.00");
  });

  it("rolls totals into a total against one maximum, the scheme's with its bonus cap", () => {
    const totalScheme = {
      ...scheme,
      bonusCap: 5,
      bonusTypes: [{ id: "award", name: "award", levels: { city: 2 } }],
      rollups: [{ id: "subs", source: { total: true }, share: 0.1, into: { total: true } }],
    };
    const subs = Array.from({ length: 16 }, (_, i) => ({
      id: `S${i}`,
      name: `s${i}`,
      group: "subs",
      parent: "P",
    }));
    const units = [
      { id: "P", name: "parent", group: "bureaus" },
      { id: "Q", name: "peer", group: "bureaus" },
      ...subs,
    ];
    const both = (unit: string, value: number) => [
      { unit, category: "work", value },
      { unit, category: "public", value },
    ];
    const scores = [...both("P", 80), ...both("Q", 80), ...subs.flatMap((s) => both(s.id, 80))];
    // Sub-units scoring what the parent scores leave it where it was: a declared bonus cap
    // (which no one here uses) must not deflate it below its equal peer.
    const r = evaluate(totalScheme, { units, scores });
    const p = r.units.find((u) => u.unit === "P")!;
    expect(p.total).toBe("80.00");
    expect(p.rank).toBe(1);
    expect(r.units.find((u) => u.unit === "Q")!.rank).toBe(1);
    // Half the sub-units win a 2-point award: their mean total is 81, so P = 0.9 × 80 + 0.1 × 81.
    const bonusEvents = subs
      .slice(0, 8)
      .map((s, i) => ({ id: `B${i}`, unit: s.id, type: "award", level: "city" }));
    const withBonus = evaluate(totalScheme, { units, scores, bonusEvents });
    expect(withBonus.units.find((u) => u.unit === "P")!.total).toBe("80.10");
  });
});
