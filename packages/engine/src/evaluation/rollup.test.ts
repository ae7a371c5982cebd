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

  it("says 1 sub-unit, and gives an approximation beside a share that does not terminate", () => {
    const lineFor = (subScores: number[]) => {
      const units = [
        { id: "B", name: "bureau", group: "bureaus" },
        ...subScores.map((_, i) => ({ id: `S${i}`, name: `sub ${i}`, group: "subs", parent: "B" })),
      ];
      const scores = [
        { unit: "B", category: "work", value: 90 },
        { unit: "B", category: "public", value: 80 },
        ...subScores.map((v, i) => ({ unit: `S${i}`, category: "public", value: v })),
      ];
      return evaluate(scheme, { units, scores })
        .units.find((u) => u.unit === "B")!
        .categories[1]!.trace.find((t) => t.text.includes("share of"))!.text;
    };
    expect(lineFor([70])).toContain("mean share of 1 sub-unit = 0.7;");
    // (0.6 + 0.7 + 0.7) / 3 = 2/3; 0.9 × 40 + 0.1 × 2/3 × 50 = 36 + 10/3 = 118/3
    const line = lineFor([60, 70, 70]);
    expect(line).toContain("mean share of 3 sub-units = 2/3 (≈ 0.67);");
    expect(line).toMatch(/= 118\/3 \(≈ 39\.33\)$/);
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

  // docs/scheme.md's worked example: an auditor checks the parent from the published table.
  it("reads each sub-unit as published (rounded) and the parent's own value unrounded, rounding once", () => {
    // The bureau's roll-up, with public evaluation worth 40 and scored out of 30.
    const stages = {
      ...scheme,
      categories: [
        { id: "work", name: "业务工作", points: 60, method: { kind: "direct", outOf: 100 } },
        { id: "public", name: "开门评议", points: 40, method: { kind: "direct", outOf: 30 } },
      ],
    };
    const units = [
      { id: "P", name: "市公安局", group: "bureaus" },
      ...["S1", "S2", "S3"].map((id) => ({ id, name: id, group: "subs", parent: "P" })),
    ];
    const scores = [
      ["P", "88.8", "20.46"],
      ["S1", "80", "19.58"],
      ["S2", "80", "26.59"],
      ["S3", "80", "16.67"],
    ].flatMap(([unit, work, pub]) => [
      { unit: unit!, category: "work", value: work! },
      { unit: unit!, category: "public", value: pub! },
    ]);
    const r = evaluate(stages, { units, scores });
    const publicOf = (id: string) =>
      r.units.find((u) => u.unit === id)!.categories.find((c) => c.category === "public")!.points;
    // 19.58, 26.59 and 16.67 of 30 are published as 26.11, 35.45 and 22.23 of 40.
    expect(["S1", "S2", "S3"].map(publicOf)).toEqual(["26.11", "35.45", "22.23"]);
    // 0.9 × 27.28 + 0.1 × mean(26.11, 35.45, 22.23)/40 × 40 = 27.345 → 27.35 (from the sub-units'
    // unrounded points, 27.3449 → 27.34).
    expect(publicOf("P")).toBe("27.35");
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

  describe("a sub-unit without a result (missingSubUnit)", () => {
    // A bureau (work 60, public 40) at 80 of 100 in public: 32.00 of its own. Its 16 sub-units
    // score 80, 82, 84, 86, 88 three times over (mean share 0.84) and S16 scores 61.
    const sixteen = (
      rule: Record<string, unknown>,
      s16: number | null,
      into: object = { category: "public" },
    ) => {
      const subs = Array.from({ length: 16 }, (_, i) => ({
        id: `S${String(i + 1).padStart(2, "0")}`,
        name: `sub ${i + 1}`,
        group: "subs",
        parent: "B",
      }));
      const publicOf = (i: number) => (i === 15 ? s16 : 80 + 2 * (i % 5));
      return {
        scheme: {
          ...scheme,
          categories: [
            { id: "work", name: "work", points: 60, method: { kind: "direct", outOf: 100 } },
            { id: "public", name: "public", points: 40, method: { kind: "direct", outOf: 100 } },
          ],
          rollups: [{ id: "subs", source: { category: "public" }, share: 0.1, into, ...rule }],
        },
        dataset: {
          units: [{ id: "B", name: "bureau", group: "bureaus" }, ...subs],
          scores: [
            { unit: "B", category: "work", value: 90 },
            { unit: "B", category: "public", value: 80 },
            ...subs.flatMap((s, i) => [
              { unit: s.id, category: "work", value: 70 },
              ...(publicOf(i) === null ? [] : [{ unit: s.id, category: "public", value: publicOf(i)! }]),
            ]),
          ],
        },
      };
    };
    const bureau = (rule: Record<string, unknown>, s16: number | null, traces = true) => {
      const { scheme: s, dataset } = sixteen(rule, s16);
      return evaluate(s, dataset, { traces }).units.find((u) => u.unit === "B")!;
    };

    it("with every sub-unit scored, gives the same whatever the rule: 0.9 × 32 + 0.1 × 0.825625 × 40", () => {
      for (const missingSubUnit of [undefined, "renormalize", "zero", "insufficient"]) {
        const b = bureau(missingSubUnit ? { missingSubUnit } : {}, 61);
        // (15 × 0.84 + 0.61) / 16 = 0.825625; 28.8 + 3.3025 = 32.1025.
        expect(b.categories[1]!.points).toBe("32.10");
        expect(b.categories[1]!.details).toMatchObject({
          "rollup.subs.subUnits": "16",
          "rollup.subs.withoutResult": "0",
        });
      }
    });

    it('leaves S16 out by default ("renormalize"): the mean of 15 is 0.84, so 32.16', () => {
      for (const rule of [{}, { missingSubUnit: "renormalize" }]) {
        const b = bureau(rule, null);
        expect(b.categories[1]!.points).toBe("32.16");
        expect(b.categories[1]!.trace.at(-1)!.text).toContain(
          "mean share of 15 sub-units (1 without a result left out) = 0.84",
        );
      }
    });

    it('counts S16 as a share of 0 with "zero": 12.6 / 16 = 0.7875, so 31.95', () => {
      const b = bureau({ missingSubUnit: "zero" }, null);
      expect(b.categories[1]!.points).toBe("31.95");
      expect(b.total).toBe("85.95");
      expect(b.categories[1]!.trace.at(-1)!.text).toContain(
        "mean share of 16 sub-units (1 without a result counted as 0) = 0.7875",
      );
    });

    it('gives the bureau no public result, and so no total, with "insufficient"', () => {
      const b = bureau({ missingSubUnit: "insufficient" }, null);
      const pub = b.categories[1]!;
      expect([pub.status, pub.points, pub.methodPoints]).toEqual(["insufficient", null, "32"]);
      expect(pub.reason).toBe('roll-up "subs": 1 of 16 sub-units has no result ("S16")');
      expect([b.status, b.total, b.rank]).toEqual(["insufficient", null, null]);
      expect(b.eligibility.reasons.map((r) => r.text)).toEqual([
        'not scored (public: roll-up "subs": 1 of 16 sub-units has no result ("S16"))',
      ]);
    });

    it("shows how many sub-units had no result without traces", () => {
      for (const missingSubUnit of ["renormalize", "zero"]) {
        const b = bureau({ missingSubUnit }, null, false);
        expect(b.categories[1]!.trace).toEqual([]);
        expect(b.categories[1]!.details).toEqual({
          "rollup.subs.subUnits": "16",
          "rollup.subs.withoutResult": "1",
        });
      }
    });

    it("with no sub-unit scored, keeps the parent's own (renormalize), takes 0 (zero) or gives none", () => {
      const none = (missingSubUnit: string) => {
        const { scheme: s, dataset } = sixteen({ missingSubUnit }, null);
        const scores = dataset.scores.filter((r) => r.unit === "B" || r.category !== "public");
        return evaluate(s, { ...dataset, scores }).units.find((u) => u.unit === "B")!.categories[1]!;
      };
      expect(none("renormalize").points).toBe("32.00");
      expect(none("zero").points).toBe("28.80");
      expect(none("insufficient").reason).toBe(
        'roll-up "subs": 16 of 16 sub-units have no result ("S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09", "S10", … 4 more …, "S15", "S16")',
      );
    });

    it("applies the rule to sub-unit totals rolled into the total", () => {
      const total = (missingSubUnit: string) => {
        const { scheme: s, dataset } = sixteen({ missingSubUnit, source: { total: true } }, null, {
          total: true,
        });
        return evaluate(s, dataset).units.find((u) => u.unit === "B")!;
      };
      // Own total 54 + 32 = 86; sub-units' totals 42 + 32…35.2 (mean 75.6 of 100), S16 none.
      // 0.9 × 86 + 0.1 × 75.6 = 84.96; with S16 at 0: 0.9 × 86 + 0.1 × 70.875 = 84.4875.
      expect(total("renormalize").total).toBe("84.96");
      expect(total("zero").total).toBe("84.49");
      const b = total("insufficient");
      expect([b.total, b.rank, b.categories[1]!.points]).toEqual([null, null, "32.00"]);
      expect(b.eligibility.reasons.map((r) => r.text)).toEqual([
        'not scored (roll-up "subs": 1 of 16 sub-units has no result ("S16"))',
      ]);
      expect(b.trace.at(-1)!.text).toContain("total has no result");
    });

    it("skips a roll-up whose source is worth 0 points, unless a sub-unit without a result makes it insufficient", () => {
      const worthless = (missingSubUnit: string, s16: number | null) => {
        const { scheme: s, dataset } = sixteen({ missingSubUnit, source: { category: "work" } }, s16);
        const categories = [
          { ...s.categories[0]!, points: 0 },
          { ...s.categories[1]!, points: 100 },
        ];
        return evaluate({ ...s, categories }, dataset).units.find((u) => u.unit === "B")!.categories[1]!;
      };
      for (const missingSubUnit of ["renormalize", "zero", "insufficient"])
        expect(worthless(missingSubUnit, 61).points).toBe("80.00");
      // S16 lacks public, not work: every sub-unit has a work result, worth nothing.
      expect(worthless("zero", null).points).toBe("80.00");
      expect(worthless("zero", null).trace.at(-1)!.text).toContain("its source is worth 0 points");
    });
  });
});
