import { describe, expect, it } from "vitest";
import { toExactString } from "../../rational.js";
import { COUNTY, forms, type SurveyInput, scoreSurvey, tally } from "./_test-survey.js";

function scored(outcome: ReturnType<typeof scoreSurvey> extends Map<string, infer O> ? O : never) {
  if (outcome.status !== "scored") throw new Error(`expected a score, got: ${outcome.reason}`);
  return outcome;
}

const countyForms = [
  ...forms("tax", "residents", "满意", 612),
  ...forms("tax", "residents", "基本满意", 170),
  ...forms("tax", "residents", "不满意", 18),
  ...forms("tax", "residents", "不了解", 42),
];

describe("surveyMethod, pooled (the county rule)", () => {
  it("scores Σ points × count / valid forms, with don't know neither valid nor scored", () => {
    // (612 × 100 + 170 × 70 + 18 × 30) / 800 = 73640 / 800 = 92.05, out of 100.
    const out = scored(scoreSurvey(COUNTY, { forms: countyForms }, ["tax"]).get("tax")!);
    expect(toExactString(out.value)).toBe("92.05");
    expect(toExactString(out.scale)).toBe("100");
    expect(out.details).toEqual({
      forms: "842",
      valid: "800",
      excluded: "42",
      // (612 + 170) / 800 = 97.75%
      satisfactionRatePercent: "97.75",
      "count.满意": "612",
      "count.基本满意": "170",
      "count.不满意": "18",
      "count.不了解": "42",
    });
  });

  it("traces the arithmetic a person can recompute", () => {
    const out = scored(scoreSurvey(COUNTY, { forms: countyForms }, ["tax"]).get("tax")!);
    expect(out.trace).toEqual([
      { step: "survey forms", text: "842 forms: 800 valid (42 '不了解' excluded); minimum 1 valid" },
      {
        step: "pooled score",
        text: "(612 × 100 + 170 × 70 + 18 × 30) / 800 valid forms (42 '不了解' excluded) = 92.05",
      },
      { step: "satisfaction rate", text: "(612 '满意' + 170 '基本满意') / 800 valid forms = 97.75%" },
      { step: "scale", text: "out of 100" },
    ]);
  });

  it("keeps non-terminating scores exact and rounds the published rate half-up", () => {
    const out = scored(
      scoreSurvey(
        COUNTY,
        { forms: [...forms("a", "residents", "满意", 2), ...forms("a", "residents", "不满意", 1)] },
        ["a"],
      ).get("a")!,
    );
    expect(toExactString(out.value)).toBe("230/3");
    expect(out.trace[1]!.text).toBe("(2 × 100 + 1 × 30) / 3 valid forms = 230/3 (≈ 76.67)");
    expect(out.details!.satisfactionRatePercent).toBe("66.67");
    expect(out.trace[2]!.text).toBe("(2 '满意' + 0 '基本满意') / 3 valid forms = 200/3% → 66.67% (half-up)");

    // 1 of 800 satisfied is 0.125%: half-up gives 0.13 where half-even would give 0.12.
    const half = scored(
      scoreSurvey(
        COUNTY,
        { tallies: [tally("a", "residents", "满意", 1), tally("a", "residents", "不满意", 799)] },
        ["a"],
      ).get("a")!,
    );
    expect(half.details!.satisfactionRatePercent).toBe("0.13");
  });

  it("uses max as the scale when given, and omits the rate when no satisfied option is declared", () => {
    const out = scored(
      scoreSurvey({ ...COUNTY, satisfiedOptions: [], max: 120 }, { forms: countyForms }, ["tax"]).get("tax")!,
    );
    expect(toExactString(out.scale)).toBe("120");
    expect(out.details!.satisfactionRatePercent).toBeUndefined();
    expect(out.trace.map((s) => s.step)).toEqual(["survey forms", "pooled score", "scale"]);
  });

  it("shortens long lists in the trace, keeping head and tail", () => {
    // Fourteen levels, 0 to 130 points, one form each.
    const options = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`L${i}`, i * 10]));
    const data = Object.keys(options).flatMap((o) => forms("a", "residents", o, 1));
    const out = scored(
      scoreSurvey({ options, respondentGroups: ["residents"] }, { forms: data }, ["a"]).get("a")!,
    );
    expect(out.trace[1]!.text).toBe(
      "(1 × 0 + 1 × 10 + 1 × 20 + 1 × 30 + 1 × 40 + 1 × 50 + 1 × 60 + 1 × 70 + 1 × 80 + 1 × 90 + … 2 more … + 1 × 120 + 1 × 130)" +
        " / 14 valid forms = 65",
    );
  });

  it("adds forms and tallies of the same unit together", () => {
    const out = scored(
      scoreSurvey(
        COUNTY,
        { forms: forms("a", "residents", "满意", 3), tallies: [tally("a", "residents", "不满意", 1)] },
        ["a"],
      ).get("a")!,
    );
    expect(toExactString(out.value)).toBe("82.5");
    expect(out.details!.forms).toBe("4");
  });
});

describe("surveyMethod, minimum valid forms", () => {
  const input: SurveyInput = { ...COUNTY, minValidForms: 400 };

  it("makes a unit below the minimum insufficient, counting only valid forms", () => {
    const data = [...forms("a", "residents", "满意", 312), ...forms("a", "residents", "不了解", 100)];
    const out = scoreSurvey(input, { forms: data }, ["a"]).get("a")!;
    expect(out).toMatchObject({ status: "insufficient", reason: "312 valid forms, minimum 400" });
    expect(out.trace.at(-1)).toEqual({ step: "insufficient", text: "312 valid forms, minimum 400" });
  });

  it("scores a unit exactly at the minimum", () => {
    const out = scoreSurvey(input, { tallies: [tally("a", "residents", "基本满意", 400)] }, ["a"]).get("a")!;
    expect(out.status).toBe("scored");
  });

  it("gives every unit an outcome, saying when it has no forms or only don't-know answers", () => {
    const out = scoreSurvey(COUNTY, { forms: forms("a", "residents", "不了解", 5) }, ["a", "b"]);
    expect(out.get("a")).toMatchObject({ status: "insufficient", reason: "0 valid forms, minimum 1" });
    expect(out.get("b")).toMatchObject({ status: "insufficient", reason: "no survey forms" });
  });
});

describe("surveyMethod, group-weighted", () => {
  const weighted = (missingGroup: "insufficient" | "renormalize"): SurveyInput => ({
    ...COUNTY,
    respondentGroups: ["residents", "enterprises", "deputies"],
    minValidForms: 3,
    weighting: {
      type: "group-weighted",
      weights: { residents: 0.5, enterprises: 0.3, deputies: 0.2 },
      byUnitKind: { enforcement: { residents: "0.4", enterprises: "0.6", deputies: 0 } },
      missingGroup,
    },
  });
  // residents (8 × 100 + 2 × 30) / 10 = 86; enterprises (5 × 100 + 5 × 70) / 10 = 85.
  const base = (unit: string) => [
    ...forms(unit, "residents", "满意", 8),
    ...forms(unit, "residents", "不满意", 2),
    ...forms(unit, "enterprises", "满意", 5),
    ...forms(unit, "enterprises", "基本满意", 5),
  ];
  const units = [
    { id: "a", name: "a", group: "g" },
    { id: "b", name: "b", group: "g", kind: "enforcement" },
    { id: "c", name: "c", group: "g", kind: "unlisted-kind" },
  ];
  const data = [
    ...base("a"),
    ...forms("a", "deputies", "满意", 4),
    ...base("b"),
    ...forms("b", "deputies", "满意", 4),
    ...base("c"),
    ...forms("c", "deputies", "满意", 2),
  ];

  it("says nothing of 'default' weights when the scheme has no weights by unit kind", () => {
    const only = weighted("insufficient");
    if (only.weighting?.type === "group-weighted") delete only.weighting.byUnitKind;
    const out = scored(scoreSurvey(only, { forms: data }, units).get("b")!);
    // The scheme's weights are its only ones: "(default weights)" read as a fallback.
    expect(out.trace.find((s) => s.step === "weighted score")!.text).toBe(
      "(0.5 × 86 + 0.3 × 85 + 0.2 × 100) / (0.5 + 0.3 + 0.2) = 88.5",
    );
  });

  it("weights group scores by the default weights", () => {
    // (0.5 × 86 + 0.3 × 85 + 0.2 × 100) / 1 = 88.5
    const out = scored(scoreSurvey(weighted("insufficient"), { forms: data }, units).get("a")!);
    expect(toExactString(out.value)).toBe("88.5");
    expect(out.trace.find((s) => s.step === "weighted score")!.text).toBe(
      "(0.5 × 86 + 0.3 × 85 + 0.2 × 100) / (0.5 + 0.3 + 0.2) = 88.5 (default weights)",
    );
    expect(out.details).toMatchObject({
      "group.residents.valid": "10",
      "group.residents.score": "86",
      "group.deputies.score": "100",
    });
    // Satisfaction weighted like the score: 0.5 × 80% + 0.3 × 100% + 0.2 × 100% = 90%.
    expect(out.details!.satisfactionRatePercent).toBe("90.00");
    // Each group's line names its group: a line read on its own (listed, searched) says whose weight it is.
    expect(out.trace.filter((s) => s.step.startsWith("group ")).map((s) => s.text)).toEqual([
      'group "residents", weight 0.5: (8 × 100 + 2 × 30) / 10 valid forms = 86',
      'group "enterprises", weight 0.3: (5 × 100 + 5 × 70) / 10 valid forms = 85',
      'group "deputies", weight 0.2: (4 × 100) / 4 valid forms = 100',
    ]);
  });

  it("uses byUnitKind weights for a unit of that kind; a zero-weight group is shown, not scored", () => {
    // (0.4 × 86 + 0.6 × 85) / (0.4 + 0.6) = 85.4
    const out = scored(scoreSurvey(weighted("insufficient"), { forms: data }, units).get("b")!);
    expect(toExactString(out.value)).toBe("85.4");
    expect(out.trace.find((s) => s.step === "weighted score")!.text).toContain(
      '(weights for unit kind "enforcement")',
    );
    expect(out.trace.find((s) => s.step === 'group "deputies"')!.text).toBe(
      'group "deputies", weight 0: 4 forms shown but not scored',
    );
    expect(out.details!["group.deputies.valid"]).toBeUndefined();
    expect(out.details!.forms).toBe("24");
  });

  it("says in the explanation when a unit's kind is a misspelling away from a byUnitKind key no unit has", () => {
    // "enforcment" has no weights of its own, and no unit is of kind "enforcement".
    const misspelt = units.map((u) => (u.id === "b" ? { ...u, kind: "enforcment" } : u));
    const text = (unit: string) =>
      scored(scoreSurvey(weighted("renormalize"), { forms: data }, misspelt).get(unit)!).trace.find(
        (s) => s.step === "weighted score",
      )!.text;
    expect(text("b")).toBe(
      '(0.5 × 86 + 0.3 × 85 + 0.2 × 100) / (0.5 + 0.3 + 0.2) = 88.5 (default weights: byUnitKind has none for unit kind "enforcment"; its "enforcement" is no unit\'s kind: misspelt?)',
    );
    // Nothing near: the default weights, as the scheme says, without a word.
    expect(text("c")).toMatch(/\(default weights\)$/);
    // With a unit of kind "enforcement" there, the key is used: "enforcment" is just another kind.
    const both = [...misspelt, { id: "d", name: "d", group: "g", kind: "enforcement" }];
    const trace = scoreSurvey(weighted("renormalize"), { forms: data }, both).get("b")!.trace;
    expect(trace.find((s) => s.step === "weighted score")!.text).toMatch(/\(default weights\)$/);
  });

  it('missingGroup "insufficient": a short weighted group makes the unit insufficient, naming it', () => {
    const out = scoreSurvey(weighted("insufficient"), { forms: data }, units).get("c")!;
    expect(out).toMatchObject({
      status: "insufficient",
      reason: 'group "deputies" has 2 valid forms, minimum 3',
    });
  });

  it('missingGroup "renormalize": the short group is dropped and the weights renormalised', () => {
    // (0.5 × 86 + 0.3 × 85) / (0.5 + 0.3) = 68.5 / 0.8 = 85.625
    const out = scored(scoreSurvey(weighted("renormalize"), { forms: data }, units).get("c")!);
    expect(toExactString(out.value)).toBe("85.625");
    expect(out.trace.find((s) => s.step === 'group "deputies"')!.text).toBe(
      'group "deputies", weight 0.2: 2 valid forms, minimum 3: dropped, weights renormalised over the other groups',
    );
    expect(out.trace.find((s) => s.step === "weighted score")!.text).toBe(
      "(0.5 × 86 + 0.3 × 85) / (0.5 + 0.3) = 85.625 (default weights)",
    );
    expect(out.details!["group.deputies.valid"]).toBe("2");
  });

  it("explains each unit the same whether it is scored alone or beside units with other weights", () => {
    const rules = weighted("renormalize");
    const together = scoreSurvey(rules, { forms: data }, units);
    for (const unit of units) {
      const alone = scoreSurvey(rules, { forms: data.filter((f) => f.unit === unit.id) }, [unit]);
      expect(together.get(unit.id)!.trace).toEqual(alone.get(unit.id)!.trace);
    }
    expect(together.get("a")!.trace.find((s) => s.step === "weighted score")!.text).toBe(
      "(0.5 × 86 + 0.3 × 85 + 0.2 × 100) / (0.5 + 0.3 + 0.2) = 88.5 (default weights)",
    );
  });

  it("explains two unit kinds with the same groups counted each with its own weights", () => {
    const defaults = weighted("insufficient");
    const rules: SurveyInput = {
      ...defaults,
      weighting: {
        ...(defaults.weighting as Extract<SurveyInput["weighting"], { type: "group-weighted" }>),
        byUnitKind: {
          enforcement: { residents: "0.4", enterprises: "0.6" },
          service: { residents: "0.7", enterprises: "0.3" },
        },
      },
    };
    const two = [
      { id: "b", name: "b", group: "g", kind: "enforcement" },
      { id: "d", name: "d", group: "g", kind: "service" },
    ];
    const out = scoreSurvey(rules, { forms: [...base("b"), ...base("d")] }, two);
    const text = (id: string) => out.get(id)!.trace.find((s) => s.step === "weighted score")!.text;
    expect(text("b")).toBe(
      '(0.4 × 86 + 0.6 × 85) / (0.4 + 0.6) = 85.4 (weights for unit kind "enforcement")',
    );
    expect(text("d")).toBe('(0.7 × 86 + 0.3 × 85) / (0.7 + 0.3) = 85.7 (weights for unit kind "service")');
  });

  it('missingGroup "renormalize": insufficient when every weighted group is short', () => {
    // Unit b's kind gives deputies no weight, so their forms cannot stand in.
    const out = scoreSurvey(weighted("renormalize"), { forms: forms("b", "deputies", "满意", 9) }, units).get(
      "b",
    )!;
    expect(out).toMatchObject({
      status: "insufficient",
      reason:
        'no weighted group has enough valid forms: group "residents" has 0 valid forms, minimum 3; ' +
        'group "enterprises" has 0 valid forms, minimum 3',
    });
  });
});
