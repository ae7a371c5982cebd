import { describe, expect, it } from "vitest";
import { toExactString } from "../../rational.js";
import { COUNTY, forms, type SurveyInput, scoreSurvey } from "./_test-survey.js";

function scored(outcome: ReturnType<typeof scoreSurvey> extends Map<string, infer O> ? O : never) {
  if (outcome.status !== "scored") throw new Error(`expected a score, got: ${outcome.reason}`);
  return outcome;
}

describe("survey: a respondent group exactly at the minimum sample", () => {
  it("is weighted, not short; its don't-know forms do not count toward the minimum", () => {
    const input: SurveyInput = {
      ...COUNTY,
      respondentGroups: ["residents", "enterprises"],
      minValidForms: 3,
      weighting: {
        type: "group-weighted",
        weights: { residents: 1, enterprises: 1 },
        missingGroup: "insufficient",
      },
    };
    const data = [
      ...forms("a", "residents", "满意", 3),
      ...forms("a", "residents", "不了解", 2),
      ...forms("a", "enterprises", "基本满意", 5),
    ];
    const out = scored(scoreSurvey(input, { forms: data }, ["a"]).get("a")!);
    // residents 3 × 100 / 3 = 100, enterprises 70: (1 × 100 + 1 × 70) / 2 = 85.
    expect(toExactString(out.value)).toBe("85");
    expect(out.details!["group.residents.valid"]).toBe("3");

    const short = scoreSurvey(input, { forms: data.slice(1) }, ["a"]).get("a")!;
    expect(short).toMatchObject({
      status: "insufficient",
      reason: 'group "residents" has 2 valid forms, minimum 3',
    });
  });
});

describe("survey: points with many decimals (the exact fraction path, not whole numbers)", () => {
  // 基本满意 at two thirds of 100 written to ten places: over a common denominator of 10^10
  // the points no longer fit the whole-number fast path, so the mean is summed in fractions.
  const thirds: SurveyInput = {
    ...COUNTY,
    options: { 满意: 100, 基本满意: "66.6666666667", 不满意: 30, 不了解: null },
  };
  const data = [
    ...forms("a", "residents", "满意", 2),
    ...forms("a", "residents", "基本满意", 1),
    ...forms("a", "residents", "不满意", 1),
    ...forms("a", "residents", "不了解", 4),
  ];

  it("still leaves don't know out of the divisor: (2 × 100 + 66.6666666667 + 30) / 4 valid forms", () => {
    const out = scored(scoreSurvey(thirds, { forms: data }, ["a"]).get("a")!);
    expect(toExactString(out.value)).toBe("74.166666666675");
    expect(out.details).toMatchObject({ forms: "8", valid: "4", excluded: "4" });
  });

  it("gives a group-weighted score from the same per-group means", () => {
    const input: SurveyInput = {
      ...thirds,
      respondentGroups: ["residents", "deputies"],
      weighting: {
        type: "group-weighted",
        weights: { residents: 3, deputies: 1 },
        missingGroup: "insufficient",
      },
    };
    const out = scored(
      scoreSurvey(input, { forms: [...data, ...forms("a", "deputies", "不满意", 2)] }, ["a"]).get("a")!,
    );
    // (3 × 74.166666666675 + 1 × 30) / 4 = 63.12500000000625
    expect(toExactString(out.value)).toBe("63.12500000000625");
  });
});
