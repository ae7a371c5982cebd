import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDecimal } from "../rational.js";
import { assignGrades, type GradeCandidate } from "./grades.js";

const cand = (unit: string, total: string, opts: Partial<GradeCandidate> = {}): GradeCandidate => ({
  entry: { unit, total: parseDecimal(total), tieKeys: [], forcedLast: false },
  group: "g",
  ranked: true,
  eligibleForExcellence: true,
  ...opts,
});

describe("assignGrades", () => {
  it("fills a percent quota best first, rounding the quota down, skipping vetoed units", () => {
    const units = [
      cand("A", "95"),
      cand("B", "94", { eligibleForExcellence: false }),
      cand("C", "90"),
      cand("D", "80"),
      cand("E", "70"),
      cand("F", "60"),
      cand("G", "50"),
    ];
    const g = assignGrades(
      {
        rules: [
          {
            id: "excellent",
            name: "优秀",
            quota: { percent: 30, scope: "group" },
            requiresExcellenceEligibility: true,
          },
          { id: "good", name: "良好", minTotal: 75, requiresExcellenceEligibility: false },
        ],
        fallback: { id: "pass", name: "合格" },
      },
      units,
    );
    // A unit the quota admitted, but whose places went above it, says so beside its own grade,
    // with how the percent became places; B, not eligible for excellence, says that is why.
    expect(g.get("D")!.reason).toBe(
      "良好: total ≥ 75 (优秀's quota of 2 (30% of 7 ranked units = 2.1, rounded down) in group g was filled above it)",
    );
    expect(g.get("B")!.reason).toBe(
      "良好: total ≥ 75 (优秀 needs eligibility for excellence, which it lacks)",
    );
    // C, ranked third, holds the second place: the unit passed over above it is named.
    expect(g.get("C")!.reason).toBe(
      "优秀: place 2 of a quota of 2 (30% of 7 ranked units = 2.1, rounded down) in group g (B above it not eligible)",
    );
    // Graded further down, a unit missed more than the quota: nothing is said of it there.
    expect(g.get("G")!.reason).toBe("合格: no other grade applies");
    // 30% of 7 units is 2.1 → 2 places: A and C (B is vetoed).
    expect(Object.fromEntries([...g].map(([u, a]) => [u, a.grade.id]))).toEqual({
      A: "excellent",
      C: "excellent",
      B: "good",
      D: "good",
      E: "pass",
      F: "pass",
      G: "pass",
    });
  });

  it("gives a percent's places as its rounding says, and says how: 30% of 5 is 1.5 → 2 half-up", () => {
    const units = ["95", "90", "85", "80", "75"].map((t, i) => cand(`U${i + 1}`, t));
    const grades = (rounding?: "down" | "half-up" | "up") =>
      assignGrades(
        {
          rules: [
            {
              id: "excellent",
              name: "优秀",
              quota: { percent: 30, scope: "group", ...(rounding ? { rounding } : {}) },
              requiresExcellenceEligibility: true,
            },
          ],
          fallback: { id: "good", name: "良好" },
        },
        units,
      );
    const excellent = (g: ReturnType<typeof grades>) =>
      [...g].filter(([, a]) => a.grade.id === "excellent").map(([u]) => u);
    expect(excellent(grades())).toEqual(["U1"]);
    expect(excellent(grades("half-up"))).toEqual(["U1", "U2"]);
    expect(excellent(grades("up"))).toEqual(["U1", "U2"]);
    expect(grades("half-up").get("U2")!.reason).toBe(
      "优秀: place 2 of a quota of 2 (30% of 5 ranked units = 1.5, rounded half-up) in group g",
    );
    expect(grades("up").get("U3")!.reason).toBe(
      "良好: no other grade applies (优秀's quota of 2 (30% of 5 ranked units = 1.5, rounded up) in group g was filled above it)",
    );
    // A share that is a whole number of units needs no rounding, and says none.
    const whole = assignGrades(
      {
        rules: [
          {
            id: "excellent",
            name: "优秀",
            quota: { percent: 40, scope: "group" },
            requiresExcellenceEligibility: false,
          },
        ],
      },
      units,
    );
    expect(whole.get("U2")!.reason).toBe("优秀: place 2 of a quota of 2 (40% of 5 ranked units) in group g");
  });

  it("says of a quota that had no place to give how it came to none", () => {
    const seven = ["95", "90", "85", "80", "75", "70", "65"].map((t, i) => cand(`U${i + 1}`, t));
    const grades = (quota: object, rest: object[] = []) =>
      assignGrades(
        {
          rules: [
            {
              id: "excellent",
              name: "优秀",
              quota: { scope: "group", ...quota },
              minTotal: "80",
              requiresExcellenceEligibility: true,
            },
            ...(rest as never[]),
          ],
          fallback: { id: "pass", name: "合格" },
        },
        seven,
      );
    // 10% of 7 units is 0.7, no place at all rounded down: the unit at 95 is told why.
    const none = grades({ percent: 10 });
    expect([...none.values()].every((a) => a.grade.id === "pass")).toBe(true);
    expect(none.get("U1")!.reason).toBe(
      "合格: no other grade applies (优秀's quota is 0 places (10% of 7 ranked units = 0.7, rounded down) in group g)",
    );
    // Only units the rule admits (here at 80 or above) missed it.
    expect(none.get("U5")!.reason).toBe("合格: no other grade applies");
    // Said beside the grade right after the quota's, as a filled quota's note is; a count of 0 too.
    const good = { id: "good", name: "良好", minTotal: "75", requiresExcellenceEligibility: false };
    expect(grades({ count: 0 }, [good]).get("U2")!.reason).toBe(
      "良好: total ≥ 75 (优秀's quota is 0 places in group g)",
    );
    // Rounded up, the same percent gives a place.
    expect(grades({ percent: 10, rounding: "up" }).get("U1")!.grade.id).toBe("excellent");
  });

  it("gives units tied with the last place in a quota the same grade", () => {
    const g = assignGrades(
      {
        rules: [
          {
            id: "top",
            name: "top",
            quota: { count: 1, scope: "overall" },
            requiresExcellenceEligibility: false,
          },
        ],
      },
      [cand("A", "90"), cand("B", "90"), cand("C", "80")],
    );
    expect([...g.keys()].sort()).toEqual(["A", "B"]);
    expect(g.get("B")!.reason).toContain("tied");
  });

  describe("units tied at a quota's boundary", () => {
    const rules = (quota: object, from?: "bottom") => ({
      rules: [
        {
          id: from ? "poor" : "excellent",
          name: from ? "较差" : "优秀",
          quota: { scope: "group" as const, ...(from ? { from } : {}), ...quota },
          requiresExcellenceEligibility: false,
        },
        from
          ? { id: "pass", name: "合格", minTotal: "40", requiresExcellenceEligibility: false }
          : { id: "good", name: "良好", minTotal: "75", requiresExcellenceEligibility: false },
      ],
      fallback: { id: "fail", name: "不合格" },
    });
    const ids = (g: Map<string, { grade: { id: string } }>, grade: string) =>
      [...g].filter(([, a]) => a.grade.id === grade).map(([u]) => u);

    it("share the last place by default, past the limit: four tied for one place all get it", () => {
      const four = ["90", "90", "90", "90", "70"].map((t, i) => cand(`U${i + 1}`, t));
      const g = assignGrades(rules({ count: 1 }), four);
      expect(ids(g, "excellent")).toEqual(["U1", "U2", "U3", "U4"]);
      expect(g.get("U4")!.reason).toBe(
        "优秀: place 4 of a quota of 1 in group g (tied with the last within the quota)",
      );
    });

    it("with ties: exclude, none of four tied for one place gets it, and each says why", () => {
      const four = ["90", "90", "90", "90", "70"].map((t, i) => cand(`U${i + 1}`, t));
      const g = assignGrades(rules({ count: 1, ties: "exclude" }), four);
      expect(ids(g, "excellent")).toEqual([]);
      expect(g.get("U1")!.reason).toBe(
        "良好: total ≥ 75 (优秀's quota of 1 in group g: 4 units tied at the boundary for the last 1 place, none given 优秀 (ties: exclude))",
      );
    });

    it("with ties: exclude, give the places above a tie and leave the rest empty, not to the units below it", () => {
      const units = ["95", "90", "90", "88", "80"].map((t, i) => cand(`U${i + 1}`, t));
      // 30% of 5 is 1.5, 2 places half-up: U1 takes one, U2 and U3 tie for the other.
      const g = assignGrades(rules({ percent: 30, rounding: "half-up", ties: "exclude" }), units);
      expect(ids(g, "excellent")).toEqual(["U1"]);
      expect(g.get("U3")!.reason).toBe(
        "良好: total ≥ 75 (优秀's quota of 2 (30% of 5 ranked units = 1.5, rounded half-up) in group g: 2 units tied at the boundary for the last 1 place, none given 优秀 (ties: exclude))",
      );
      expect(g.get("U4")!.reason).toBe(
        "良好: total ≥ 75 (优秀's quota of 2 (30% of 5 ranked units = 1.5, rounded half-up) in group g ended above it, 1 place left empty by a tie (ties: exclude))",
      );
      // A tied group that fits within the places takes them all.
      expect(ids(assignGrades(rules({ count: 3, ties: "exclude" }), units), "excellent")).toEqual([
        "U1",
        "U2",
        "U3",
      ]);
    });

    it("with ties: exclude from the bottom, spare a tied group that would pass the limit", () => {
      const units = ["90", "80", "60", "50", "50"].map((t, i) => cand(`U${i + 1}`, t));
      const shared = assignGrades(rules({ count: 1 }, "bottom"), units);
      expect(ids(shared, "poor").sort()).toEqual(["U4", "U5"]);
      const g = assignGrades(rules({ count: 1, ties: "exclude" }, "bottom"), units);
      expect(ids(g, "poor")).toEqual([]);
      expect(g.get("U5")!.reason).toBe(
        "合格: total ≥ 40 (较差's quota of 1 in group g: 2 units tied at the boundary for the last 1 place from the bottom, none given 较差 (ties: exclude))",
      );
      // The unit above the tie is no nearer the bottom place than the tied ones: not given it.
      expect(g.get("U3")!.reason).toBe(
        "合格: total ≥ 40 (较差's quota of 1 in group g ended below it, 1 place left empty by a tie (ties: exclude))",
      );
      expect(ids(assignGrades(rules({ count: 2, ties: "exclude" }, "bottom"), units), "poor").sort()).toEqual(
        ["U4", "U5"],
      );
    });
  });

  it("counts every unit tied at an excluded boundary, as the ranking does, and says how many the rule admits", () => {
    const units = [
      cand("U1", "95"),
      cand("U2", "90"),
      cand("U3", "90"),
      cand("U4", "90", { eligibleForExcellence: false }),
      cand("U5", "80"),
    ];
    const rules = {
      rules: [
        {
          id: "excellent",
          name: "优秀",
          quota: { scope: "group" as const, count: 2, ties: "exclude" as const },
          requiresExcellenceEligibility: true,
        },
        { id: "good", name: "良好", minTotal: "75", requiresExcellenceEligibility: false },
      ],
    };
    const g = assignGrades(rules, units);
    // U2, U3 and U4 share rank 2; U4 takes no place, so the two the rule admits pass the one left.
    expect(g.get("U2")!.reason).toBe(
      "良好: total ≥ 75 (优秀's quota of 2 in group g: 3 units tied at the boundary, of which the rule admits 2, for the last 1 place, none given 优秀 (ties: exclude))",
    );
    expect(g.get("U4")!.reason).toBe(
      "良好: total ≥ 75 (优秀 needs eligibility for excellence, which it lacks)",
    );
  });

  it("states in an excluded tie's note the units sharing the rank and those of them the rule admits", () => {
    const candidate = fc.record({
      total: fc.constantFrom("90", "85", "80"),
      eligible: fc.nat({ max: 3 }).map((n) => n > 0),
      group: fc.constantFrom("g1", "g2"),
    });
    fc.assert(
      fc.property(
        fc.array(candidate, { minLength: 2, maxLength: 12 }),
        fc.nat({ max: 4 }),
        fc.constantFrom("group" as const, "overall" as const),
        fc.constantFrom(undefined, "bottom" as const),
        (drawn, count, scope, from) => {
          const units = drawn.map((c, i) =>
            cand(`U${i}`, c.total, { group: c.group, eligibleForExcellence: c.eligible }),
          );
          const g = assignGrades(
            {
              rules: [
                {
                  id: "excellent",
                  name: "优秀",
                  quota: { scope, count, ties: "exclude", ...(from ? { from } : {}) },
                  requiresExcellenceEligibility: true,
                },
              ],
              fallback: { id: "other", name: "other" },
            },
            units,
          );
          for (const u of units) {
            const said = /(\d+) units tied at the boundary(?:, of which the rule admits (\d+))?/.exec(
              g.get(u.entry.unit)!.reason,
            );
            if (!said) continue;
            const tied = units.filter(
              (o) => (scope === "overall" || o.group === u.group) && o.entry.total.n === u.entry.total.n,
            );
            expect(Number(said[1])).toBe(tied.length);
            expect(Number(said[2] ?? said[1])).toBe(tied.filter((o) => o.eligibleForExcellence).length);
          }
        },
      ),
    );
  });

  it("tells a unit that missed two quota rules why it missed the second, the one right above its grade", () => {
    const two = {
      rules: [
        {
          id: "excellent",
          name: "优秀",
          quota: { scope: "group" as const, count: 1 },
          requiresExcellenceEligibility: false,
        },
        {
          id: "good",
          name: "良好",
          quota: { scope: "group" as const, count: 2, ties: "exclude" as const },
          requiresExcellenceEligibility: false,
        },
      ],
      fallback: { id: "pass", name: "合格" },
    };
    const units = ["95", "90", "85", "85", "80"].map((t, i) => cand(`U${i + 1}`, t));
    const g = assignGrades(two, units);
    // U3 and U4 tie for 良好's second place: left out, they say so, not only "no other grade applies".
    expect(g.get("U3")!.reason).toBe(
      "合格: no other grade applies (良好's quota of 2 in group g: 2 units tied at the boundary for the last 1 place, none given 良好 (ties: exclude))",
    );
    expect(g.get("U5")!.reason).toBe(
      "合格: no other grade applies (良好's quota of 2 in group g ended above it, 1 place left empty by a tie (ties: exclude))",
    );
  });

  it("explains a bottom quota among the units below a line", () => {
    const units = ["90", "69", "66", "66", "50"].map((t, i) => cand(`U${i + 1}`, t));
    const g = assignGrades(
      {
        rules: [
          {
            id: "poor",
            name: "较差",
            belowTotal: "70",
            quota: { percent: 25, scope: "group", from: "bottom", of: "admitted" },
            requiresExcellenceEligibility: false,
          },
          { id: "pass", name: "合格", minTotal: "60", requiresExcellenceEligibility: false },
        ],
      },
      units,
    );
    // 25% of the 4 units below 70 is one place, from the bottom.
    expect(g.get("U5")!.reason).toBe(
      "较差: place 1 from the bottom of a quota of 1 (25% of the 4 units the rule admits) in group g, total < 70",
    );
    expect(g.get("U4")!.grade.id).toBe("pass");
    expect(g.get("U4")!.reason).toBe(
      "合格: total ≥ 60 (较差's quota of 1 (25% of the 4 units the rule admits) in group g was filled below it)",
    );
    expect(g.get("U1")!.grade.id).toBe("pass");
  });

  it("names as passed over only the units standing strictly before a place, not one tied with it", () => {
    const grades = (from: "top" | "bottom") =>
      assignGrades(
        {
          rules: [
            {
              id: "q",
              name: "Q",
              quota: { count: 3, scope: "group", from },
              requiresExcellenceEligibility: true,
            },
          ],
          fallback: { id: "pass", name: "合格" },
        },
        [
          cand("A", "96", { eligibleForExcellence: false }),
          cand("T1", "90"),
          cand("T2", "90", { eligibleForExcellence: false }),
          cand("T3", "90"),
          cand("Z", "60", { eligibleForExcellence: false }),
        ],
      );
    // T2, not eligible, shares rank 2 with T1 and T3: above neither, below neither. A and Z are.
    const top = grades("top");
    expect(top.get("T1")!.reason).toBe("Q: place 1 of a quota of 3 in group g (A above it not eligible)");
    expect(top.get("T3")!.reason).toBe("Q: place 2 of a quota of 3 in group g (A above it not eligible)");
    const bottom = grades("bottom");
    expect(bottom.get("T3")!.reason).toBe(
      "Q: place 1 from the bottom of a quota of 3 in group g (Z below it not eligible)",
    );
    expect(bottom.get("T1")!.reason).toBe(
      "Q: place 2 from the bottom of a quota of 3 in group g (Z below it not eligible)",
    );
  });

  it("explains a band of a threshold and a line", () => {
    const g = assignGrades(
      {
        rules: [
          {
            id: "basic",
            name: "基本合格",
            minTotal: "60",
            belowTotal: "70",
            requiresExcellenceEligibility: false,
          },
        ],
      },
      [cand("A", "65"), cand("B", "70"), cand("C", "59.99")],
    );
    expect([...g.keys()]).toEqual(["A"]);
    expect(g.get("A")!.reason).toBe("基本合格: total ≥ 60, total < 70");
  });
});
