import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import { evaluate } from "../evaluation/evaluate.js";
import { InputError } from "../input-error.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { loadSeed2019 } from "../whatif/_test-whatif.js";
import { compareUnits } from "./compare-units.js";

describe("compareUnits", () => {
  const scheme = directScheme({
    bonusCap: 2,
    bonusTypes: [{ id: "award", name: "award", levels: { national: 3 }, count: "sum" }],
    findingTypes: [{ id: "complaint", name: "complaint", levels: { city: { perFinding: 1 } }, cap: 1 }],
  });
  const dataset = {
    ...directDataset([
      ["20", "20", "50"],
      ["20", "20", "50"],
      ["25", "20", "50"],
    ]),
    bonusEvents: ["B1", "B2"].map((id) => ({ id, unit: "U1", type: "award", level: "national" })),
    findings: ["F1", "F2", "F3"].map((id) => ({ id, unit: "U2", type: "complaint", level: "city" })),
  };
  const evaluation = evaluate(scheme, dataset);

  it("counts bonuses and deductions on the total as the caps let them through", () => {
    const c = compareUnits(evaluation, "U1", "U2");
    // U1: 60 + 2 (two +3 awards, capped at 2) = 62; U2: 60 − 1 (three −1, capped at 1) = 59.
    expect(c.a.total).toBe("62.00");
    expect(c.b.total).toBe("59.00");
    expect(c.totalDifference).toBe("3");
    expect(c.adjustmentDifference).toBe("3");
    expect(c.summary).toBe("unit 1 is above unit 2 by 3; bonuses and deductions on the total 3");
  });

  it("splits the difference by category, largest first, and names both sides", () => {
    const c = compareUnits(evaluation, "U3", "U2");
    expect(c.categories.map((x) => x.difference)).toEqual(["5", "0", "0"]);
    expect(c.summary).toBe(
      "unit 3 is above unit 2 by 6; ahead on business work +5; bonuses and deductions on the total 1",
    );
  });

  it("says by how much a unit is below another without a double negative", () => {
    const c = compareUnits(evaluation, "U2", "U3");
    expect(c.totalDifference).toBe("-6");
    expect(c.summary).toBe(
      "unit 2 is below unit 3 by 6; behind on business work -5; bonuses and deductions on the total -1",
    );
  });

  it("names what categories and adjustments leave unexplained (a roll-up into the total), not the floor at zero", () => {
    const scheme = directScheme({
      rollups: [
        { id: "branches", source: { total: true }, aggregation: "mean", share: 0.1, into: { total: true } },
      ],
      findingTypes: [{ id: "media", name: "media", levels: { city: { perFinding: 80 } } }],
      groups: [
        { id: "g1", name: "group 1" },
        { id: "sub", name: "sub-units", ranked: false },
      ],
    });
    const base = directDataset([
      ["25", "25", "50"], // U1: 70, its sub-unit brings it to 0.9 × 70 + 0.1 × 30 = 66
      ["25", "25", "50"], // U2: 70
      ["20", "20", "75"], // U3: 70 − 80, floored at 0: 70 taken, not 80
      ["10", "10", "25"], // U4: the sub-unit, 30
    ]);
    const dataset = {
      ...base,
      units: base.units.map((u) => (u.id === "U4" ? { ...u, group: "sub", parent: "U1" } : u)),
      findings: [{ id: "F1", unit: "U3", type: "media", level: "city" }],
    };
    const ev = evaluate(scheme, dataset);
    const rollup = compareUnits(ev, "U1", "U2");
    expect(rollup.totalDifference).toBe("-4");
    expect(rollup.otherDifference).toBe("-4");
    expect(rollup.summary).toBe("unit 1 is below unit 2 by 4; roll-ups into the total and rounding -4");
    const floored = compareUnits(ev, "U2", "U3");
    expect(floored.totalDifference).toBe("70");
    // 80 due, but only 70 could be taken: the deduction counts as taken, as a category's does,
    // so nothing is left over (the deduction line itself still says 80).
    expect(ev.units.find((u) => u.unit === "U3")!.adjustments.map((a) => a.points)).toEqual(["-80"]);
    expect(floored.adjustmentDifference).toBe("70");
    expect(floored.otherDifference).toBe("0");
    expect(floored.summary).toBe(
      "unit 2 is above unit 3 by 70; ahead on business work +5, organ construction +5; " +
        "behind on public evaluation -10; bonuses and deductions on the total 70",
    );
  });

  describe("where the ranking does not follow the totals", () => {
    const vetoed = (ranking: SchemeInput["ranking"]) =>
      directScheme({
        ranking,
        vetoTypes: [{ id: "incident", name: "major incident", forceLast: true }],
        groups: [
          { id: "g1", name: "group 1" },
          { id: "g2", name: "group 2" },
          { id: "sub", name: "sub-units", ranked: false },
        ],
      });
    const base = directDataset([
      ["30", "30", "90"], // U1: 96, placed last by a veto
      ["25", "25", "75"], // U2: 80
      ["20", "20", "50"], // U3: 60
      ["10", "10", "25"], // U4: 30, placed last by a veto too
      ["22", "22", "60"], // U5: 68, in group g2
      ["20", "20", "40"], // U6: 56, in a group not ranked
      ["20", "20", "40"], // U7: no public evaluation, no total
    ]);
    const dataset = {
      units: base.units.map((u) =>
        u.id === "U5" ? { ...u, group: "g2" } : u.id === "U6" || u.id === "U7" ? { ...u, group: "sub" } : u,
      ),
      scores: base.scores!.filter((s) => !(s.unit === "U7" && s.category === "public")),
      vetoEvents: [
        { id: "V1", unit: "U1", type: "incident", reason: "a fatal fire" },
        { id: "V4", unit: "U4", type: "incident", reason: "a flood left unreported" },
      ],
    };
    const ev = evaluate(vetoed(undefined), dataset);

    it("says a unit with the higher total is ranked below, placed last by its veto, not that it is above", () => {
      expect([1, 2, 3, 4].map((i) => ev.units.find((u) => u.unit === `U${i}`)!.rank)).toEqual([3, 1, 2, 4]);
      expect(compareUnits(ev, "U1", "U2").summary).toBe(
        "unit 1's total is 16 above unit 2's, but unit 1 is ranked below unit 2 (rank 3 against 1): " +
          "unit 1 was ranked after every unit without a veto (一票否决), by its veto (major incident: a fatal fire), and 1 other vetoed unit is below it; " +
          "ahead on public evaluation +6, business work +5, organ construction +5",
      );
      expect(compareUnits(ev, "U3", "U1").summary).toMatch(
        /^unit 3's total is 36 below unit 1's, but unit 3 is ranked above unit 1 \(rank 2 against 3\): unit 1 was ranked after every unit without a veto \(一票否决\), by its veto \(major incident: a fatal fire\), and 1 other /,
      );
    });

    it("says so where the veto agrees with the totals, and where both were placed last", () => {
      expect(compareUnits(ev, "U4", "U3").summary).toMatch(
        /^unit 4's total is 30 below unit 3's, and unit 4 is ranked below unit 3 \(rank 4 against 2\): unit 4 was ranked after every unit without a veto \(一票否决\), by its veto \(major incident: a flood left unreported\); behind on/,
      );
      expect(compareUnits(ev, "U1", "U4").summary).toMatch(
        /^unit 1's total is 66 above unit 4's, and unit 1 is ranked above unit 4 \(rank 3 against 4\): both were ranked after every unit without a veto \(一票否决\) \(unit 1 by its veto \(major incident: a fatal fire\); unit 4 by its veto \(major incident: a flood left unreported\)\), and such units rank between themselves by total; /,
      );
    });

    it("finds the veto's last place in the ranking where neither a last-ranked reason nor a trace says it", () => {
      // No last place's consequences and no traces: only the ranking shows U1's veto.
      const lean = evaluate(vetoed({ tieBreakers: [], lastLosesAward: false }), dataset, { traces: false });
      expect(lean.units.find((u) => u.unit === "U1")!.eligibility.reasons.map((r) => r.kind)).toEqual([
        "veto",
      ]);
      expect(compareUnits(lean, "U1", "U2").summary).toBe(compareUnits(ev, "U1", "U2").summary);
      // U4, last by its total as by its veto, is told by nothing published: its total orders it.
      expect(compareUnits(lean, "U4", "U3").summary).toMatch(/^unit 4 is below unit 3 by 30;/);
    });

    it("says which tie-breaker ranked two units of equal totals apart, as the ranking words it", () => {
      const byPublic = directScheme({ ranking: { tieBreakers: [{ category: "public" }] } });
      const rows = directDataset([
        ["30", "20", "50"], // U1: 70, public 20
        ["20", "30", "50"], // U2: 70, public 20: rank 2 with U1
        ["25", "15", "75"], // U3: 70, public 30: rank 1
      ]);
      const tied = evaluate(byPublic, rows);
      expect(compareUnits(tied, "U1", "U3").summary).toBe(
        "unit 1's total is level with unit 3's, but unit 1 is ranked below unit 3 (rank 2 against 1) " +
          "by the tie-breakers (unit 1 is behind unit 3 on public evaluation, 20.00 against 30.00); " +
          "ahead on business work +5, organ construction +5; behind on public evaluation -10",
      );
      expect(compareUnits(tied, "U3", "U2").summary).toMatch(
        /^unit 3's total is level with unit 2's, but unit 3 is ranked above unit 2 \(rank 1 against 2\) by the tie-breakers \(unit 3 is ahead of unit 2 on public evaluation, 30.00 against 20.00\); /,
      );
      // Tied on the tie-breakers too, at one rank: level, and not "by 0".
      expect(compareUnits(tied, "U1", "U2").summary).toBe(
        "unit 1 is level with unit 2; ahead on business work +10; behind on organ construction -10",
      );
      // Without traces the evaluation records neither the tie-breaker nor the unrounded totals.
      const lean = evaluate(byPublic, rows, { traces: false });
      expect(compareUnits(lean, "U1", "U3").summary).toMatch(
        /^unit 1's total is level with unit 3's, but unit 1 is ranked below unit 3 \(rank 2 against 1\) by the tie-breakers or by unrounded totals that differ \(evaluated without traces, the evaluation does not record which\); /,
      );
    });

    it("says equal totals as shown were ranked apart by their unrounded totals, not by a tie-breaker, where none was used", async () => {
      // 2019 with no rounding stage: U17 and U06 both publish 80.74, and their exact totals alone
      // rank them 17th and 18th; the scheme's tie-breaker (public) never came into it.
      const { scheme, dataset } = await loadSeed2019();
      const unrounded = {
        ...(scheme as SchemeInput),
        rounding: { decimals: 2, mode: "half-up" as const, stages: [] },
      };
      const ev = evaluate(unrounded, dataset);
      const [u17, u06] = ["U17", "U06"].map((id) => ev.units.find((u) => u.unit === id)!);
      expect([u17!.total, u17!.rank, u06!.total, u06!.rank]).toEqual(["80.74", 17, "80.74", 18]);
      const why = compareUnits(ev, "U06", "U17").summary;
      expect(why).not.toContain("tie-breaker");
      expect(why).toMatch(
        /^市自然资源局's total is level with 市商务局's as shown, but 市自然资源局 is ranked below 市商务局 \(rank 18 against 17\): the unrounded totals differ \(1983316162\/24563175 ≈ 80.743 against 2991553\/37050 ≈ 80.744\); ahead on /,
      );
      expect(compareUnits(evaluate(unrounded, dataset, { traces: false }), "U06", "U17").summary).toMatch(
        /\(rank 18 against 17\) by the tie-breakers or by unrounded totals that differ \(evaluated without traces, the evaluation does not record which\); /,
      );
    });

    it("says a tie-breaker ranked apart two units a veto placed last with equal totals", () => {
      const rows = directDataset([
        ["25", "25", "75"], // U1: 80
        ["10", "10", "25"], // U2: 30, public 10, placed last by a veto
        ["15", "10", "12.5"], // U3: 30, public 5, placed last by a veto
      ]);
      const both = evaluate(
        { ...vetoed({ tieBreakers: [{ category: "public" }] }), groups: [{ id: "g1", name: "group 1" }] },
        {
          ...rows,
          vetoEvents: [
            { id: "V2", unit: "U2", type: "incident", reason: "a fire" },
            { id: "V3", unit: "U3", type: "incident", reason: "a flood" },
          ],
        },
      );
      expect(compareUnits(both, "U3", "U2").summary).toBe(
        "unit 3's total is level with unit 2's, but unit 3 is ranked below unit 2 (rank 3 against 2): " +
          "both were ranked after every unit without a veto (一票否决) (unit 3 by its veto (major incident: a flood); unit 2 by its veto (major incident: a fire)), " +
          "and such units rank between themselves by total, then by the tie-breakers (unit 3 is behind unit 2 on public evaluation, 5.00 against 10.00); " +
          "ahead on business work +5; behind on public evaluation -5",
      );
    });

    it("says a unit of another group, or of a group not ranked, or without a total, is not ranked with it", () => {
      expect(compareUnits(ev, "U5", "U3").summary).toMatch(
        /^unit 5's total is 8 above unit 3's; they are ranked in different groups \(unit 5 1 of 1 in group g2, unit 3 2 of 4 in group g1\); ahead on /,
      );
      expect(compareUnits(ev, "U1", "U5").summary).toMatch(
        /^unit 1's total is 28 above unit 5's; they are ranked in different groups \(unit 1 3 of 4 in group g1, unit 5 1 of 1 in group g2\); unit 1 was ranked after every unit without a veto \(一票否决\) in group g1, by its veto \(major incident: a fatal fire\), and 1 other vetoed unit is below it; ahead on /,
      );
      expect(compareUnits(ev, "U3", "U6").summary).toMatch(
        /^unit 3's total is 4 above unit 6's; unit 6 is not ranked \(group sub is not ranked\); ahead on public evaluation \+4$/,
      );
      expect(compareUnits(ev, "U3", "U7").summary).toBe(
        "unit 3 and unit 7 cannot be compared: unit 7 has no total, so no rank (not scored (public: no records for this unit))",
      );
    });
  });

  it("compares a unit with itself as level, whatever its veto, and once without a total", () => {
    // Placed last by a veto, it read as two units both placed last, each by V1.
    const vetoed = evaluate(
      directScheme({ vetoTypes: [{ id: "incident", name: "major incident", forceLast: true }] }),
      {
        ...directDataset([
          ["30", "30", "90"],
          ["25", "25", "75"],
          ["20", "20", "40"],
        ]),
        vetoEvents: [{ id: "V1", unit: "U1", type: "incident", reason: "a fatal fire" }],
      },
    );
    expect(compareUnits(vetoed, "U1", "U1").summary).toBe("unit 1 is level with unit 1 (the same unit)");
    expect(compareUnits(vetoed, "U2", "U2").summary).toBe("unit 2 is level with unit 2 (the same unit)");
    const none = evaluate(directScheme(), {
      ...directDataset([["20", "20", "50"]]),
      scores: directDataset([["20", "20", "50"]]).scores!.filter((s) => s.category !== "public"),
    });
    expect(compareUnits(none, "U1", "U1").summary).toBe(
      "unit 1 and unit 1 cannot be compared: unit 1 has no total, so no rank (not scored (public: no records for this unit))",
    );
  });

  it("names an unknown unit", () => {
    expect(() => compareUnits(evaluation, "U1", "nobody")).toThrow(InputError);
    expect(() => compareUnits(evaluation, "U1", "nobody")).toThrow(/unitB: unknown unit "nobody"/);
  });

  it("names an evaluation that is none (an empty object, null) instead of failing on it", () => {
    for (const notOne of [{}, null, { units: "U1" }])
      expect(() => compareUnits(notOne as never, "U1", "U2")).toThrow(
        /evaluation: must be an evaluation, as evaluate returns it/,
      );
  });

  it("blames its argument for an unknown unit, not the dataset, which was valid", () => {
    try {
      compareUnits(evaluation, "U1", "nobody");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).subject).toBe("argument");
      expect((e as InputError).message).toMatch(/^invalid argument \(1 problem\):/);
    }
  });
});
