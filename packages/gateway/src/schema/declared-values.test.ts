import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileScheme } from "@pingyi/engine";
import { describe, expect, it } from "vitest";
import { EXAMPLE_DIR } from "../seed.js";
import { declaredValuesCheck } from "./declared-values.js";

const compiled = compileScheme(JSON.parse(readFileSync(join(EXAMPLE_DIR, "scheme-2019.json"), "utf8")));
const form = (o: Record<string, string>) => ({
  category: "public",
  unit: "U01",
  respondent_group: "residents",
  answer: "satisfied",
  ...o,
});

describe("the values a scheme declares for an import's rows", () => {
  const forms = declaredValuesCheck(compiled, "survey-forms")!;

  it("passes a survey form of the scheme's category, respondent group and answer", () => {
    expect(forms(form({}))).toBeUndefined();
  });

  it("refuses an answer or respondent group the survey does not declare, each at its column", () => {
    expect(forms(form({ answer: "满意", respondent_group: "kids" }))).toEqual([
      {
        column: "respondent_group",
        subject: 'respondent group "kids"',
        reason:
          'not a respondent group of category "public"; its groups are service-recipients, enterprises, deputies, residents',
      },
      {
        column: "answer",
        subject: 'answer "满意"',
        reason:
          'not an option of category "public"; its options are satisfied, basically-satisfied, dissatisfied, dont-know',
      },
    ]);
    // A slip of the keyboard is named, as the engine names one.
    expect(forms(form({ answer: "satisfed" }))?.[0]?.reason).toBe(
      'not an option of category "public"; its options are satisfied, basically-satisfied, dissatisfied, dont-know; did you mean "satisfied"?',
    );
  });

  it("refuses a category the scheme lacks, or that another method scores, and nothing else of the row", () => {
    expect(forms(form({ category: "pubic", answer: "满意" }))).toEqual([
      {
        column: "category",
        subject: 'category "pubic"',
        reason: `not a category of the scheme; the scheme's survey categories are public; did you mean "public"?`,
      },
    ]);
    expect(forms(form({ category: "organ" }))?.[0]?.reason).toBe(
      "a vote category, not a survey one; the scheme's survey categories are public",
    );
  });

  it("checks the category of scores and ballots, and leaves the other kinds to the engine", () => {
    const scores = declaredValuesCheck(compiled, "scores")!;
    expect(scores({ unit: "U01", category: "business", value: "3" })).toBeUndefined();
    expect(scores({ unit: "U01", category: "public", value: "3" })?.[0]?.reason).toBe(
      "a survey category, not a direct one; the scheme's direct categories are business",
    );
    const ballots = declaredValuesCheck(compiled, "ballots")!;
    expect(ballots({ category: "organ", voter: "v", unit: "U01", score: "90", grade: null })).toBeUndefined();
    expect(ballots({ category: "business", voter: "v", unit: "U01", score: "90", grade: null })).toHaveLength(
      1,
    );
    for (const kind of ["units", "findings", "vetoes", "bonuses"] as const)
      expect(declaredValuesCheck(compiled, kind)).toBeUndefined();
  });
});
