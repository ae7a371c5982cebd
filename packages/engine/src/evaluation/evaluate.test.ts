import { describe, expect, it } from "vitest";
import { argumentIssues } from "../_test-argument-issues.js";
import { directDataset, directScheme, issueLines } from "../_test-schemes.js";
import { compileScheme } from "../scheme/compile-scheme.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { compose } from "./compose.js";
import { evaluate, evaluateExact, type UnitResult } from "./evaluate.js";
import { scoreRecords } from "./score-records.js";

describe("evaluate", () => {
  it("adds rounded category points: 26.4 + 26.94 + 30.86 = 84.20", () => {
    const r = evaluate(directScheme(), directDataset([["26.4", "26.94", "77.15"]]));
    const u = r.units[0]!;
    expect(u.categories.map((c) => c.points)).toEqual(["26.40", "26.94", "30.86"]);
    expect(u.total).toBe("84.20");
    // The explanation shows the figures as published, not "26.4 + … = 84.2".
    expect(u.trace.find((t) => t.step === "total")!.text).toBe("26.40 + 26.94 + 30.86 = 84.20");
    expect(u.rank).toBe(1);
  });

  it("says when a rank was decided on a tie, and by which tie-breaker's figures", () => {
    // U1 and U2 both total 80.00; public evaluation (40 × 80% = 32 against 31.2) puts U1 first.
    // U3 ties nobody. Without tie-breakers the two share the rank, and the explanation says so.
    const rows = [
      ["28", "20", "80"],
      ["30", "18.8", "78"],
      ["20", "20", "50"],
    ] as const;
    const rankLine = (r: ReturnType<typeof evaluate>, id: string) =>
      r.units.find((u) => u.unit === id)!.trace.find((t) => t.step === "rank")!.text;
    const broken = evaluate(
      directScheme({ ranking: { tieBreakers: [{ category: "public" }] } }),
      directDataset(rows),
    );
    expect(rankLine(broken, "U1")).toBe(
      "1 of 3 in group g1 (total 80.00 tied: ahead of U2 on public: 32.00 against 31.20)",
    );
    expect(rankLine(broken, "U2")).toBe(
      "2 of 3 in group g1 (total 80.00 tied: behind U1 on public: 31.20 against 32.00)",
    );
    expect(rankLine(broken, "U3")).toBe("3 of 3 in group g1");
    const shared = evaluate(directScheme(), directDataset(rows));
    expect(rankLine(shared, "U2")).toBe("1 of 3 in group g1 (total 80.00 tied: U1 shares rank 1)");
  });

  it("rounds 30.86 / 40 × 50 = 38.575 half-up to 38.58, never 38.57", () => {
    const scheme = directScheme();
    scheme.categories[2]!.points = 50;
    const u = evaluate(scheme, directDataset([["26.4", "26.94", "77.15"]])).units[0]!;
    expect(u.categories[2]!.methodPoints).toBe("38.575");
    expect(u.categories[2]!.points).toBe("38.58");
  });

  it("adds unrounded values when only the total is rounded", () => {
    const scheme = directScheme({ rounding: { decimals: 2, stages: ["total"] } });
    scheme.categories[1]!.points = 20;
    scheme.categories[2]!.points = 50;
    // 26.4 + 17.96 + 38.575 = 82.935 → 82.94; with category rounding 26.40 + 17.96 + 38.58 = 82.94 too.
    const u = evaluate(scheme, directDataset([["26.4", "26.94", "77.15"]])).units[0]!;
    expect(u.total).toBe("82.94");
    expect(u.categories[2]!.points).toBe("38.58"); // displayed at the scheme's decimals
  });

  it("uses half-even when the scheme asks for it", () => {
    const scheme = directScheme({
      rounding: { decimals: 2, mode: "half-even", stages: ["category", "total"] },
    });
    // 0.0125 × 100 ... public 20.125 of 100 → 8.05 of 40: exact, no rounding; use organ 10.125 of 30.
    const u = evaluate(scheme, directDataset([["10.125", "10.135", "50"]])).units[0]!;
    expect(u.categories.map((c) => c.points)).toEqual(["10.12", "10.14", "20.00"]);
  });

  it("lists every problem with its path, not just the first", () => {
    const dataset = directDataset([["31", "20", "50"]]);
    dataset.scores = [
      ...dataset.scores!,
      { unit: "nobody", category: "business", value: 1 },
      { unit: "U1", category: "ghost", value: 1 },
    ];
    const issues = issueLines(() =>
      evaluate(directScheme(), {
        ...dataset,
        units: [...dataset.units, { id: "U1", name: "dup", group: "g9" }],
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        'units.1.id: duplicate unit "U1"',
        'units.1.group: unit "U1": unknown group "g9" (known: g1)',
        'scores.0.value: score for unit "U1" in category "business": 31 is outside 0–30',
        'scores.3.unit: score in category "business": unknown unit "nobody"',
        'scores.4.category: score for unit "U1": unknown category "ghost" (known: business, organ, public)',
      ]),
    );
  });

  it("names a dataset of the wrong shape instead of failing on it or skipping it", () => {
    const scheme = directScheme({
      findingTypes: [{ id: "visit", name: "visit", levels: { city: { perFinding: 0.3, repeated: 2 } } }],
    });
    const dataset = directDataset([["20", "20", "50"]]);
    expect(issueLines(() => evaluate(scheme, null as never))).toEqual([
      ": must be an object with a units array",
    ]);
    expect(issueLines(() => evaluate(scheme, { units: {} } as never))).toEqual([
      "units: must be an array of units",
    ]);
    // A list given as an object would otherwise apply no deduction at all.
    const asObject = { ...dataset, findings: { F1: { id: "F1", unit: "U1", type: "visit", level: "city" } } };
    expect(issueLines(() => evaluate(scheme, asObject as never))).toEqual(["findings: must be an array"]);
    const nullRows = {
      ...dataset,
      units: [...dataset.units, null],
      scores: [null, ...dataset.scores!],
      findings: [{ id: "F1", unit: "U1", type: "visit", level: "city" }, undefined],
    };
    expect(issueLines(() => evaluate(scheme, nullRows as never))).toEqual([
      "units.1: must be an object",
      "scores.0: must be an object",
      "findings.1: must be an object",
    ]);
    expect(issueLines(() => evaluate(scheme, { ...nullRows, ballots: "x" } as never))).toEqual([
      "ballots: must be an array",
    ]);
    // A row that is a number or a string throws nothing further on; it is named all the same.
    expect(issueLines(() => evaluate(scheme, { ...dataset, findings: [5] } as never))).toEqual([
      "findings.0: must be an object",
    ]);
  });

  it("rejects a grade quota of more than 100 percent, and checks a document with compiled-looking keys", () => {
    const grades = {
      rules: [{ id: "excellent", name: "excellent", quota: { percent: 250 } }],
      fallback: { id: "pass", name: "pass" },
    };
    const dataset = directDataset([["20", "20", "50"]]);
    expect(issueLines(() => evaluate(directScheme({ grades }), dataset))).toEqual([
      "grades.rules.0.quota.percent: must be at most 100",
    ]);
    // Keys named like a compiled scheme's are checked as a document's, not trusted.
    const lookalike = { ...directScheme(), order: [], prepared: {} };
    expect(issueLines(() => evaluate(lookalike, dataset))).toEqual([
      "order: unknown field (misspelt?); the fields are $schema, id, version, name, description, categories, findingTypes, bonusTypes, bonusCap, vetoTypes, rollups, groups, ranking, grades, rounding",
      "prepared: unknown field (misspelt?); the fields are $schema, id, version, name, description, categories, findingTypes, bonusTypes, bonusCap, vetoTypes, rollups, groups, ranking, grades, rounding",
    ]);
  });

  it('gives a unit without a total its group\'s count of ranked units, the "of 2" beside its missing rank', () => {
    const d = directDataset([
      ["20", "20", "50"],
      ["30", "25", "70"],
      ["10", "10", "10"],
    ]);
    const scores = (d.scores ?? []).filter((s) => !(s.unit === "U3" && s.category === "public"));
    const r = evaluate(directScheme(), { ...d, scores });
    expect(r.units.map((u) => [u.unit, u.rank, u.rankedInGroup])).toEqual([
      ["U2", 1, 2],
      ["U1", 2, 2],
      ["U3", null, 2],
    ]);
    expect(r.groups[0]!.rankedUnits).toBe(2);
    // An unranked group has no ranked units to count.
    const unranked = evaluate(directScheme({ groups: [{ id: "g1", name: "g1", ranked: false }] }), d);
    expect(unranked.units.map((u) => u.rankedInGroup)).toEqual([0, 0, 0]);
  });

  it("takes award eligibility from every unit tied for last, and from none when all tie for first", () => {
    const award = (rows: Parameters<typeof directDataset>[0]) =>
      evaluate(directScheme(), directDataset(rows)).units.map(
        (u) => `${u.unit} ${u.rank} ${u.eligibility.award}`,
      );
    expect(
      award([
        ["25", "20", "50"],
        ["20", "20", "50"],
        ["20", "20", "50"],
      ]),
    ).toEqual(["U1 1 true", "U2 2 false", "U3 2 false"]);
    expect(
      award([
        ["20", "20", "50"],
        ["20", "20", "50"],
      ]),
    ).toEqual(["U1 1 true", "U2 1 true"]);
  });

  it("takes award eligibility from a unit a veto forces last, not also from the lowest unit without one", () => {
    const scheme = directScheme({
      vetoTypes: [{ id: "incident", name: "incident", forceLast: true, ineligibleForAward: false }],
    });
    const dataset = {
      ...directDataset([
        ["28", "28", "90"],
        ["20", "20", "50"],
        ["25", "25", "70"],
      ]),
      vetoEvents: [{ id: "V1", unit: "U1", type: "incident", reason: "serious incident" }],
    };
    const units = evaluate(scheme, dataset).units.map((u) => `${u.unit} ${u.rank} ${u.eligibility.award}`);
    expect(units.sort()).toEqual(["U1 3 false", "U2 2 true", "U3 1 true"]);
  });

  it("takes the last place's consequences from every unit a veto forces last, two in a group of six", () => {
    const grades = {
      rules: [{ id: "excellent", name: "excellent", minTotal: 60, requiresExcellenceEligibility: true }],
      fallback: { id: "other", name: "other" },
    };
    const scheme = (ranking: SchemeInput["ranking"]) =>
      directScheme({
        vetoTypes: [{ id: "incident", name: "incident", forceLast: true, ineligibleForExcellence: false }],
        grades,
        ranking,
      });
    const lastRanked = (u: UnitResult) =>
      u.eligibility.reasons
        .filter((r) => r.kind === "last-ranked")
        .map((r) => r.text)
        .join("; ");
    // U1 (90.00) and U3 (76.00) are placed last by vetoes; U6 (50.00) is the lowest without one.
    const dataset = {
      ...directDataset([
        ["28", "28", "85"],
        ["27", "27", "80"],
        ["25", "25", "65"],
        ["24", "24", "60"],
        ["22", "22", "55"],
        ["20", "20", "25"],
      ]),
      vetoEvents: [
        { id: "V1", unit: "U1", type: "incident", reason: "serious incident" },
        { id: "V3", unit: "U3", type: "incident", reason: "serious incident" },
      ],
    };
    const units = (ranking?: SchemeInput["ranking"]) =>
      evaluate(scheme(ranking), dataset)
        .units.map(
          (u) =>
            `${u.unit} ${u.rank} ${u.grade?.id} ${u.eligibility.excellence} ${u.eligibility.award} ${lastRanked(u)}`,
        )
        .sort();
    // Ranked among themselves by their totals, 5th and 6th: both are last, U6 (4th) is not.
    expect(units()).toEqual([
      "U1 5 excellent true false last in group g1 (rank 5 of 6, placed last by a veto)",
      "U2 1 excellent true true ",
      "U3 6 excellent true false last in group g1 (rank 6 of 6, placed last by a veto)",
      "U4 2 excellent true true ",
      "U5 3 excellent true true ",
      "U6 4 other true true ",
    ]);
    // Where last place also bars excellence, neither vetoed unit is excellent.
    expect(
      units({ lastLosesExcellence: true }).filter((u) => u.startsWith("U1 ") || u.startsWith("U3 ")),
    ).toEqual([
      "U1 5 other false false last in group g1 (rank 5 of 6, placed last by a veto): no award, and not eligible for excellence",
      "U3 6 other false false last in group g1 (rank 6 of 6, placed last by a veto): no award, and not eligible for excellence",
    ]);
    // Alone in its group, a unit a veto places last is last all the same.
    const alone = evaluate(scheme(undefined), {
      ...directDataset([["28", "28", "85"]]),
      vetoEvents: [{ id: "V1", unit: "U1", type: "incident", reason: "serious incident" }],
    }).units[0]!;
    expect([alone.rank, alone.eligibility.award, lastRanked(alone)]).toEqual([
      1,
      false,
      "last in group g1 (rank 1 of 1, placed last by a veto)",
    ]);
  });

  it("says in a rank's explanation which units a veto placed last with it, and which share its rank", () => {
    const scheme = directScheme({
      vetoTypes: [{ id: "incident", name: "incident", forceLast: true }],
      ranking: { tieBreakers: [{ category: "public" }] },
    });
    const veto = (unit: string) => ({ id: `V-${unit}`, unit, type: "incident", reason: "serious incident" });
    const rankLine = (r: ReturnType<typeof evaluate>, id: string) =>
      r.units.find((u) => u.unit === id)!.trace.find((t) => t.step === "rank")!.text;
    // U1 and U3 total 90.00 alike, U4 76.00: all three placed last, after U2 and U5.
    const rows = [
      ["28", "28", "85"],
      ["27", "27", "80"],
      ["28", "28", "85"],
      ["25", "25", "65"],
      ["20", "20", "50"],
    ] as const;
    const three = evaluate(scheme, { ...directDataset(rows), vetoEvents: ["U1", "U3", "U4"].map(veto) });
    expect(["U1", "U3", "U4"].map((u) => rankLine(three, u))).toEqual([
      "3 of 5 in group g1 (placed last by a veto, as are U3 and U4: all 3 are last; total 90.00 tied: U3 shares rank 3)",
      "3 of 5 in group g1 (placed last by a veto, as are U1 and U4: all 3 are last; total 90.00 tied: U1 shares rank 3)",
      "5 of 5 in group g1 (placed last by a veto, as are U1 and U3: all 3 are last)",
    ]);
    // Two, ranked between themselves by their totals; a lone one reads as before.
    const two = evaluate(scheme, { ...directDataset(rows), vetoEvents: ["U2", "U4"].map(veto) });
    expect(["U2", "U4"].map((u) => rankLine(two, u))).toEqual([
      "4 of 5 in group g1 (placed last by a veto, as is U4: both are last)",
      "5 of 5 in group g1 (placed last by a veto, as is U2: both are last)",
    ]);
    const one = evaluate(scheme, { ...directDataset(rows), vetoEvents: [veto("U5")] });
    expect(rankLine(one, "U5")).toBe("5 of 5 in group g1 (placed last by a veto)");
    // Past three, the rest are counted, as other notes count them.
    const all = evaluate(scheme, {
      ...directDataset(rows),
      vetoEvents: ["U1", "U2", "U3", "U4", "U5"].map(veto),
    });
    expect(rankLine(all, "U5")).toBe(
      "5 of 5 in group g1 (placed last by a veto, as are U1, U3, U2 and 1 more: all 5 are last)",
    );
  });

  it("passes the last-ranked unit over for excellence only when the scheme says so (lastLosesExcellence)", () => {
    // Excellent from 80 points, eligibility required; every unit is above 80, ties for last both lose it.
    const grades = {
      rules: [
        { id: "excellent", name: "excellent", minTotal: 80, requiresExcellenceEligibility: true },
        { id: "good", name: "good", minTotal: 60 },
      ],
    };
    const rows: Parameters<typeof directDataset>[0] = [
      ["30", "30", "100"],
      ["28", "28", "90"],
      ["27", "27", "90"],
      ["27", "27", "90"],
    ];
    const graded = (ranking: SchemeInput["ranking"]) =>
      evaluate(directScheme({ grades, ranking }), directDataset(rows)).units.map(
        (u) =>
          `${u.unit} ${u.rank} ${u.grade?.id} ${u.eligibility.excellence} ${u.eligibility.award} ${u.eligibility.reasons.map((r) => r.kind).join(",")}`,
      );
    // The default: last place costs the award, not the grade.
    expect(graded(undefined)).toEqual([
      "U1 1 excellent true true ",
      "U2 2 excellent true true ",
      "U3 3 excellent true false last-ranked",
      "U4 3 excellent true false last-ranked",
    ]);
    expect(graded({ lastLosesExcellence: true })).toEqual([
      "U1 1 excellent true true ",
      "U2 2 excellent true true ",
      "U3 3 good false false last-ranked",
      "U4 3 good false false last-ranked",
    ]);
    expect(graded({ lastLosesAward: false, lastLosesExcellence: true })).toEqual([
      "U1 1 excellent true true ",
      "U2 2 excellent true true ",
      "U3 3 good false true last-ranked",
      "U4 3 good false true last-ranked",
    ]);
    const good = evaluate(
      directScheme({ grades, ranking: { lastLosesExcellence: true } }),
      directDataset(rows),
    );
    expect(good.units[3]!.eligibility.reasons.map((r) => r.text)).toEqual([
      "last in group g1 (rank 3 of 4): no award, and not eligible for excellence",
    ]);
    const notExcellent = evaluate(
      directScheme({ grades, ranking: { lastLosesAward: false, lastLosesExcellence: true } }),
      directDataset(rows),
    );
    expect(notExcellent.units[3]!.eligibility.reasons.map((r) => r.text)).toEqual([
      "last in group g1 (rank 3 of 4): not eligible for excellence",
    ]);
    expect(
      evaluate(directScheme({ grades }), directDataset(rows)).units[3]!.eligibility.reasons[0]!.text,
    ).toBe("last in group g1 (rank 3 of 4)");
    expect(good.units[3]!.trace.find((t) => t.step === "grade")?.text).toBe(
      "good: total ≥ 60 (excellent needs eligibility for excellence, which it lacks)",
    );
    // All tied for first: no last, so no one loses anything.
    expect(
      evaluate(
        directScheme({ grades, ranking: { lastLosesExcellence: true } }),
        directDataset([
          ["28", "28", "90"],
          ["28", "28", "90"],
        ]),
      ).units.map((u) => `${u.grade?.id} ${u.eligibility.excellence}`),
    ).toEqual(["excellent true", "excellent true"]);
  });

  it("names the award of its type that counts instead of one not counted: a higher one, or one as high", () => {
    const scheme = directScheme({
      bonusCap: 5,
      bonusTypes: [
        {
          id: "award",
          name: "award",
          levels: { national: 3, provincial: 2, city: 2, district: 1 },
          count: "highest",
        },
      ],
    });
    const bases = (events: [string, string][]) =>
      evaluate(scheme, {
        ...directDataset([["10", "10", "10"]]),
        bonusEvents: events.map(([id, level]) => ({ id, unit: "U1", type: "award", level })),
      }).units[0]!.adjustments.map((a) => `${a.record} ${a.points} ${a.basis}`);
    // Two at the same level: one counts (the first by record id), the other is no lower.
    expect(
      bases([
        ["B1", "city"],
        ["B2", "city"],
        ["B3", "district"],
      ]),
    ).toEqual([
      "B1 2 counted",
      "B2 0 not counted (an award of this type at the same level, B1, counts: only one does, the first by record id)",
      "B3 0 not counted (a higher award of this type, B1, counts)",
    ]);
    // Another level worth as much says which.
    expect(
      bases([
        ["B1", "provincial"],
        ["B2", "city"],
      ]),
    ).toEqual([
      "B1 2 counted",
      "B2 0 not counted (an award of this type worth as much (provincial), B1, counts: only one does, the first by record id)",
    ]);
  });

  it("shows the floor at zero when deductions on the total exceed it, as it does for a category", () => {
    const scheme = directScheme({
      bonusCap: 5,
      bonusTypes: [{ id: "award", name: "award", levels: { city: 2 }, count: "sum" }],
      findingTypes: [{ id: "media", name: "media exposure", levels: { city: { perFinding: 50 } } }],
    });
    const dataset = {
      ...directDataset([["10", "10", "10"]]),
      bonusEvents: [{ id: "B1", unit: "U1", type: "award", level: "city" }],
      findings: [{ id: "F1", unit: "U1", type: "media", level: "city" }],
    };
    const u = evaluate(scheme, dataset).units[0]!;
    expect(u.total).toBe("0.00");
    // 10 + 10 + 4 + 2 − 50 is −24, not 0: the trace says 26 of the 50 were taken.
    expect(u.trace[0]!.text).toBe(
      "10.00 + 10.00 + 4.00 + 2 bonus − 50 deducted = 0.00 (floored at 0: 50 due, 26 taken)",
    );
    // Published as taken, as a category's `deducted` is: the parts add up to the total.
    expect([u.bonus, u.deducted]).toEqual(["2", "26"]);
    const owedLess = evaluate(scheme, { ...dataset, findings: [] }).units[0]!;
    expect([owedLess.total, owedLess.deducted]).toEqual(["26.00", "0"]);
  });

  it("puts ≈ beside points and totals that do not terminate; a term or a rounded value needs none", () => {
    const scheme = directScheme({
      categories: [
        { id: "business", name: "business", points: 30, method: { kind: "direct", outOf: 30 } },
        { id: "organ", name: "organ", points: 40, method: { kind: "direct", outOf: 3 } },
        { id: "f", name: "f", points: 30, method: { kind: "formula", expression: "organ", max: 40 } },
      ],
      findingTypes: [
        { id: "visit", name: "visit", category: "organ", levels: { city: { perFinding: 0.5 } } },
      ],
      rounding: { decimals: 2, mode: "half-up", stages: ["total"] },
    });
    const dataset = {
      units: [{ id: "U1", name: "u1", group: "g1" }],
      scores: [
        { unit: "U1", category: "business", value: 20 },
        { unit: "U1", category: "organ", value: 1 },
      ],
      findings: [{ id: "F1", unit: "U1", type: "visit", level: "city" }],
    };
    const u = evaluate(scheme, dataset).units[0]!;
    expect(u.categories[1]!.trace.map((t) => t.text).slice(-2)).toEqual([
      "1 / 3 × 40 = 40/3 (≈ 13.33)",
      "40/3 − 0.5 = 77/6 (≈ 12.83)",
    ]);
    // The formula reads organ's points, and shows what it read as its own arithmetic does.
    expect(u.categories[2]!.trace.map((t) => t.text).slice(1, 3)).toEqual([
      "organ = 77/6 (≈ 12.83)",
      "(77/6) = 77/6 (≈ 12.83)",
    ]);
    expect(u.trace.map((t) => t.text).slice(0, 2)).toEqual([
      "20 + 77/6 + 9.625 = 1019/24 (≈ 42.46)",
      "1019/24 → 42.46 (half-up, 2 decimals)",
    ]);
  });

  it("says once why a survey category is insufficient, not twice", () => {
    const scheme = directScheme();
    scheme.categories[2] = {
      id: "public",
      name: "public evaluation",
      points: 40,
      method: {
        kind: "survey",
        options: { satisfied: 100, "dont-know": null },
        respondentGroups: ["residents"],
        minValidForms: 3,
      },
    };
    const dataset = directDataset([["20", "20", "0"]]);
    dataset.scores = dataset.scores!.filter((s) => s.category !== "public");
    dataset.surveyTallies = [
      { category: "public", unit: "U1", respondentGroup: "residents", answer: "satisfied", count: 2 },
    ];
    const c = evaluate(scheme, dataset).units[0]!.categories[2]!;
    expect(c.reason).toBe("2 valid forms, minimum 3");
    expect(c.trace.filter((t) => t.step === "insufficient").map((t) => t.text)).toEqual([
      "2 valid forms, minimum 3",
    ]);
  });

  it("names a misspelt scheme field instead of leaving the rule at its default", () => {
    const scheme = {
      ...directScheme(),
      bonuscap: 5,
      rounding: { decimal: 3 },
      $schema: "./scheme.schema.json",
    };
    expect(issueLines(() => evaluate(scheme, directDataset([["20", "20", "50"]])))).toEqual([
      'rounding.decimal: unknown field (misspelt?); did you mean "decimals"?',
      'bonuscap: unknown field (misspelt?); did you mean "bonusCap"?',
    ]);
  });

  it("reads a finding's repeat flag only as a boolean", () => {
    const scheme = directScheme({
      findingTypes: [{ id: "visit", name: "visit", levels: { city: { perFinding: 0.3, repeated: 2 } } }],
    });
    const dataset = directDataset([["20", "20", "50"]]);
    const finding = (repeated: unknown) => ({
      ...dataset,
      findings: [{ id: "F1", unit: "U1", type: "visit", level: "city", repeated }],
    });
    // "false" from a careless export must not cost the escalated 2 points.
    expect(issueLines(() => evaluate(scheme, finding("false") as never))).toEqual([
      'findings.0.repeated: finding "F1" for unit "U1": must be true or false (got text "false")',
    ]);
    expect(issueLines(() => evaluate(scheme, finding(0) as never))).toEqual([
      'findings.0.repeated: finding "F1" for unit "U1": must be true or false (got 0)',
    ]);
    expect(evaluate(scheme, finding(false) as never).units[0]!.total).toBe("59.70");
    expect(evaluate(scheme, finding(true) as never).units[0]!.total).toBe("58.00");
  });

  it("names a missing score value rather than failing inside the parser", () => {
    const dataset = directDataset([["20", "20", "50"]]);
    dataset.scores = dataset.scores!.map((r, i) => (i === 0 ? { ...r, value: null as never } : r));
    expect(issueLines(() => evaluate(directScheme(), dataset))).toEqual([
      'scores.0.value: score for unit "U1" in category "business": value is missing (required)',
    ]);
  });

  it("gives a formula the points, after deductions, of the categories and formulas it reads", () => {
    const scheme = directScheme({
      categories: [
        { id: "business", name: "business", points: 30, method: { kind: "direct", outOf: 30 } },
        { id: "organ", name: "organ", points: 30, method: { kind: "direct", outOf: 30 } },
        {
          id: "f1",
          name: "f1",
          points: 20,
          method: { kind: "formula", expression: "business + organ", inputs: [], max: 60 },
        },
        {
          id: "f2",
          name: "f2",
          points: 20,
          method: { kind: "formula", expression: "f1 * 2", inputs: [], max: 40 },
        },
      ],
      findingTypes: [{ id: "visit", name: "visit", category: "f1", levels: { city: { perFinding: 0.5 } } }],
    });
    const dataset = {
      units: [{ id: "U1", name: "u1", group: "g1" }],
      scores: [
        { unit: "U1", category: "business", value: 20 },
        { unit: "U1", category: "organ", value: 25 },
      ],
      findings: [{ id: "F1", unit: "U1", type: "visit", level: "city" }],
    };
    const u = evaluate(scheme, dataset).units[0]!;
    const f1 = u.categories.find((c) => c.category === "f1")!;
    const f2 = u.categories.find((c) => c.category === "f2")!;
    // f1 = 20 + 25 = 45 of 60 → 15 points, − 0.5 deducted = 14.5; f2 reads 14.5, not 15.
    expect([f1.methodPoints, f1.deducted, f1.points]).toEqual(["15", "0.5", "14.50"]);
    expect(f2.trace.map((s) => s.text)).toEqual([
      "f1 * 2",
      "f1 = 14.5",
      "14.5 * 2 = 29",
      "29 / 40 × 20 = 14.5",
    ]);
    expect(u.total).toBe("74.00");
  });

  it("rejects a level named like an object's built-in property (toString, constructor)", () => {
    const scheme = directScheme({
      findingTypes: [
        { id: "visit", name: "visit", category: "business", levels: { city: { perFinding: 0.3 } } },
      ],
      bonusTypes: [{ id: "award", name: "award", levels: { city: 1 } }],
      bonusCap: 5,
    });
    const dataset = {
      ...directDataset([["20", "20", "50"]]),
      findings: [{ id: "F1", unit: "U1", type: "visit", level: "toString" }],
      bonusEvents: [{ id: "B1", unit: "U1", type: "award", level: "constructor" }],
    };
    expect(issueLines(() => evaluate(scheme, dataset))).toEqual([
      'findings.0.level: finding "F1" for unit "U1": unknown level "toString" for "visit" (known: city)',
      'bonusEvents.0.level: bonus event "B1" for unit "U1": unknown level "constructor" for "award" (known: city)',
    ]);
  });

  it("rejects an invalid scheme with paths", () => {
    const scheme = directScheme({
      groups: [],
      ranking: { tieBreakers: [{ category: "nope" }] },
    });
    scheme.categories[0]!.points = -3;
    const issues = issueLines(() => evaluate(scheme, directDataset([])));
    expect(issues).toEqual(
      expect.arrayContaining([
        "categories.0.points: must not be negative",
        "groups: must have at least 1 item",
      ]),
    );
  });

  it("cross-checks references inside a scheme", () => {
    const scheme = directScheme({
      ranking: { tieBreakers: [{ category: "nope" }] },
      findingTypes: [
        { id: "visit", name: "visit", category: "ghost", levels: { city: { perFinding: 0.3 } } },
      ],
      bonusTypes: [{ id: "award", name: "award", levels: { city: 1 } }],
    });
    expect(issueLines(() => evaluate(scheme, directDataset([])))).toEqual([
      'findingTypes.0.category: unknown category "ghost" (known: business, organ, public)',
      'ranking.tieBreakers.0.category: unknown category "nope" (known: business, organ, public)',
      "bonusCap: must be greater than 0 when bonus types are defined",
    ]);
  });

  it("names a grade rule whose line admits no total, and an `of` without a percent", () => {
    const scheme = directScheme({
      grades: {
        rules: [
          { id: "poor", name: "poor", minTotal: 60, belowTotal: 60, quota: { percent: 10, from: "bottom" } },
          { id: "weak", name: "weak", quota: { count: 2, of: "admitted" } },
        ],
      },
    });
    expect(issueLines(() => evaluate(scheme, directDataset([])))).toEqual([
      "grades.rules.1.quota.of: applies to a percent quota only",
    ]);
    scheme.grades!.rules![1]!.quota = { percent: 10, of: "admitted" };
    expect(issueLines(() => evaluate(scheme, directDataset([])))).toEqual([
      "grades.rules.0.belowTotal: must be greater than minTotal 60: no total could get this grade",
    ]);
  });

  it("grades the last units among those below a line by proportion (bottom quota), ties sharing", () => {
    // Public evaluation is the whole total: U1..U11 score 95 … 45, U6 and U7 tie at 66, and
    // U5..U11 (seven units) are below 70.
    const totals = ["95", "90", "80", "72", "68", "66", "66", "64", "58", "52", "45"];
    const scheme = directScheme({
      categories: [
        { id: "business", name: "business work", points: 0, method: { kind: "direct", outOf: 30 } },
        { id: "organ", name: "organ construction", points: 0, method: { kind: "direct", outOf: 30 } },
        { id: "public", name: "public evaluation", points: 100, method: { kind: "direct", outOf: 100 } },
      ],
      grades: {
        rules: [
          { id: "excellent", name: "优秀", quota: { count: 2 } },
          {
            id: "poor",
            name: "较差",
            belowTotal: 70,
            quota: { percent: 30, from: "bottom", of: "admitted" },
          },
          { id: "pass", name: "合格", minTotal: 60 },
        ],
        fallback: { id: "fail", name: "不合格" },
      },
    });
    const dataset = directDataset(totals.map((t) => ["0", "0", t] as const));
    const poorWith = (quota: Record<string, unknown>) => {
      scheme.grades!.rules![1]!.quota = quota as never;
      const r = evaluate(scheme, dataset);
      return r.units.filter((u) => u.grade?.id === "poor").map((u) => u.unit);
    };
    const grades = Object.fromEntries(evaluate(scheme, dataset).units.map((u) => [u.unit, u.grade?.id]));
    // 30% of the 7 below the line is 2.1 → 2 places from the bottom; the line keeps U9 (58) from
    // "pass" only by falling through to the fallback.
    expect(grades).toEqual({
      U1: "excellent",
      U2: "excellent",
      U3: "pass",
      U4: "pass",
      U5: "pass",
      U6: "pass",
      U7: "pass",
      U8: "pass",
      U9: "fail",
      U10: "poor",
      U11: "poor",
    });
    // 60% of 7 is 4.2 → 4; the pair at 66 is not tied with the fourth (64).
    expect(poorWith({ percent: 60, from: "bottom", of: "admitted" })).toEqual(["U8", "U9", "U10", "U11"]);
    // 72% of 7 is 5.04 → 5: the fifth from the bottom is U7 at 66, and U6 (tied) shares it.
    expect(poorWith({ percent: 72, from: "bottom", of: "admitted" })).toEqual([
      "U6",
      "U7",
      "U8",
      "U9",
      "U10",
      "U11",
    ]);
    // Of every ranked unit instead: 30% of 11 is 3.3 → 3, still only among those below the line.
    expect(poorWith({ percent: 30, from: "bottom" })).toEqual(["U9", "U10", "U11"]);
    // A count from the bottom, and a line that admits nobody but the last.
    expect(poorWith({ count: 1, from: "bottom" })).toEqual(["U11"]);
  });

  it("gives a unit with a missing category no total and no rank, with the reason", () => {
    const dataset = directDataset([
      ["20", "20", "50"],
      ["21", "21", "51"],
    ]);
    dataset.scores = dataset.scores!.filter((s) => !(s.unit === "U2" && s.category === "organ"));
    const r = evaluate(directScheme(), dataset);
    const u2 = r.units.find((u) => u.unit === "U2")!;
    expect(u2.total).toBeNull();
    expect(u2.rank).toBeNull();
    expect(u2.status).toBe("insufficient");
    expect(u2.eligibility.reasons[0]!.text).toContain("organ: no records for this unit");
    expect(r.units.find((u) => u.unit === "U1")!.rank).toBe(1);
  });

  it("shares ranks on ties (1224) and breaks them by named tie-breakers", () => {
    const rows = [
      ["20", "20", "50"],
      ["25", "20", "37.5"],
      ["25", "20", "37.5"],
      ["10", "10", "10"],
    ] as const;
    const plain = evaluate(directScheme(), directDataset(rows));
    expect(plain.units.map((u) => [u.unit, u.total, u.rank])).toEqual([
      ["U1", "60.00", 1],
      ["U2", "60.00", 1],
      ["U3", "60.00", 1],
      ["U4", "24.00", 4],
    ]);
    const broken = evaluate(
      directScheme({ ranking: { tieBreakers: [{ category: "public" }] } }),
      directDataset(rows),
    );
    expect(broken.units.map((u) => [u.unit, u.rank])).toEqual([
      ["U1", 1],
      ["U2", 2],
      ["U3", 2],
      ["U4", 4],
    ]);
  });

  it("keeps unranked groups out of ranks and quotas but grades them by threshold", () => {
    const scheme = directScheme({
      groups: [
        { id: "g1", name: "ranked" },
        { id: "g2", name: "not ranked", ranked: false },
      ],
      grades: {
        rules: [
          { id: "excellent", name: "excellent", quota: { count: 1 } },
          { id: "good", name: "good", minTotal: 60 },
        ],
        fallback: { id: "other", name: "other" },
      },
    });
    const dataset = directDataset([
      ["30", "30", "100"],
      ["29", "29", "90"],
      ["28", "28", "90"],
    ]);
    dataset.units = dataset.units.map((u) => (u.id === "U3" ? { ...u, group: "g2" } : u));
    const r = evaluate(scheme, dataset);
    expect(r.units.map((u) => [u.unit, u.rank, u.grade?.id])).toEqual([
      ["U1", 1, "excellent"],
      ["U2", 2, "good"],
      ["U3", null, "good"],
    ]);
    expect(r.groups).toEqual([
      { id: "g1", name: "ranked", ranked: true, units: 2, rankedUnits: 2 },
      { id: "g2", name: "not ranked", ranked: false, units: 1, rankedUnits: 0 },
    ]);
  });
});

describe("evaluate without traces", () => {
  it("gives the same numbers, ranks and grades with empty traces", () => {
    const scheme = directScheme({
      findingTypes: [
        { id: "visit", name: "visit", category: "business", levels: { city: { perFinding: 0.3 } } },
      ],
      grades: {
        rules: [{ id: "top", name: "top", quota: { count: 1 } }],
        fallback: { id: "rest", name: "rest" },
      },
    });
    const dataset = {
      ...directDataset([
        ["26.4", "26.94", "77.15"],
        ["20", "20", "90"],
        ["25", "25", "80"],
      ]),
      findings: [{ id: "f1", unit: "U1", type: "visit", level: "city" }],
    };
    const full = evaluate(scheme, dataset);
    const lean = evaluate(scheme, dataset, { traces: false });
    const strip = (ev: typeof full) =>
      ev.units.map((u) => ({ ...u, trace: [], categories: u.categories.map((c) => ({ ...c, trace: [] })) }));
    expect(strip(lean)).toEqual(strip(full));
    expect(
      lean.units.every((u) => u.trace.length === 0 && u.categories.every((c) => c.trace.length === 0)),
    ).toBe(true);
    expect(full.units[0]!.trace.length).toBeGreaterThan(0);
  });
});

describe("evaluate's options", () => {
  const scheme = directScheme();
  const dataset = directDataset([["20", "20", "50"]]);

  it("names a misspelt option instead of building the traces it was asked to skip", () => {
    expect(argumentIssues(() => evaluate(scheme, dataset, { trace: false } as never))).toEqual([
      "trace: unknown option (misspelt?); known: traces",
    ]);
  });

  it('refuses traces that are not true or false, rather than reading "false" as true', () => {
    expect(argumentIssues(() => evaluate(scheme, dataset, { traces: "false" } as never))).toEqual([
      "traces: must be true or false (default true)",
    ]);
  });

  it("names options that are no object, rather than failing with a TypeError", () => {
    expect(argumentIssues(() => evaluate(scheme, dataset, null as never))).toEqual([
      ": must be an object of options (traces)",
    ]);
  });

  it("checks the options before the scheme, and in evaluateExact, compose and scoreRecords alike", () => {
    expect(argumentIssues(() => evaluate({}, dataset, { trace: false } as never))).toHaveLength(1);
    const compiled = compileScheme(scheme);
    const bad = { traces: 0 } as never;
    const refused = ["traces: must be true or false (default true)"];
    expect(argumentIssues(() => evaluateExact(compiled, dataset, bad))).toEqual(refused);
    expect(argumentIssues(() => scoreRecords(compiled, dataset, undefined, bad))).toEqual(refused);
    const outcomes = scoreRecords(compiled, dataset);
    expect(argumentIssues(() => compose(compiled, dataset, outcomes, bad))).toEqual(refused);
    expect(compose(compiled, dataset, outcomes, { traces: false }).units).toHaveLength(1);
  });
});

describe("the two stages on their own", () => {
  const compiled = compileScheme(directScheme());
  const valid = directDataset([
    ["20", "20", "50"],
    ["30", "25", "70"],
  ]);
  // U1 twice, and a score above the scale: scored unchecked, U1 would sum two sets of categories.
  const invalid = {
    ...valid,
    units: [...valid.units, { id: "U1", name: "unit 1 again", group: "g1" }],
    scores: [...(valid.scores ?? []).slice(1), { unit: "U1", category: "business", value: "150" }],
  };
  const refusal = issueLines(() => evaluate(directScheme(), invalid));

  it("checks the dataset in scoreRecords as evaluate does: nothing is scored from invalid records", () => {
    expect(refusal).toContain('units.2.id: duplicate unit "U1"');
    expect(issueLines(() => scoreRecords(compiled, invalid))).toEqual(refusal);
  });

  it("checks the dataset in compose as well, which reads units, groups and findings itself", () => {
    const outcomes = scoreRecords(compiled, valid);
    expect(issueLines(() => compose(compiled, invalid, outcomes))).toEqual(refusal);
    // The valid year composes to what evaluate gives.
    const exact = compose(compiled, valid, outcomes);
    expect(exact.units.map((u) => [u.unit.id, u.rank])).toEqual(
      evaluateExact(compiled, valid).units.map((u) => [u.unit.id, u.rank]),
    );
  });
});
