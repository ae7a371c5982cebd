import { describe, expect, it } from "vitest";
import { argumentIssues } from "../../_test-argument-issues.js";
import { InputError } from "../../input-error.js";
import { CATEGORY, forms, tally } from "./_test-survey.js";
import { countSurveyForms, toSurveyTallies } from "./survey-tally.js";

const shape = {
  category: CATEGORY,
  units: ["a", "b"],
  groups: ["residents", "deputies"],
  options: ["yes", "no"],
};

describe("countSurveyForms", () => {
  it("names a misspelt or ill-typed input instead of counting nothing", () => {
    const issuesOf = (input: unknown) => {
      try {
        countSurveyForms(input as never);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        expect(e.subject).toBe("argument");
        return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      }
      throw new Error("expected an InputError");
    };
    expect(issuesOf({ ...shape, form: forms("a", "residents", "yes", 2) })).toEqual([
      "form: unknown option (misspelt?); known: category, units, groups, options, forms, tallies",
    ]);
    expect(issuesOf({ ...shape, forms: { 0: forms("a", "residents", "yes", 1)[0] } })).toEqual([
      "forms: must be a list of survey forms, or left out",
    ]);
    expect(issuesOf({ ...shape, units: "a", category: 7 })).toEqual([
      "category: must be the id of the category counted (text, not empty)",
      "units: must be a list of unit ids",
    ]);
    expect(issuesOf({ ...shape, category: "" })).toEqual([
      "category: must be the id of the category counted (text, not empty)",
    ]);
    expect(issuesOf(undefined)).toEqual([
      ": must be an object of options (category, units, groups, options, forms, tallies)",
    ]);
  });

  it("counts forms and tallies together into unit × group × option cells", () => {
    const counts = countSurveyForms({
      ...shape,
      forms: [
        ...forms("b", "deputies", "no", 2),
        ...forms("a", "residents", "yes", 1),
        ...forms("b", "deputies", "no", 1),
      ],
      tallies: [tally("a", "residents", "yes", 4), tally("b", "residents", "yes", 0)],
    });
    // a: residents [5, 0], deputies [0, 0]; b: residents [0, 0], deputies [0, 3]
    expect([...counts.cells]).toEqual([5, 0, 0, 0, 0, 0, 0, 3]);
  });

  it("skips other categories and rows that validation rejects", () => {
    const counts = countSurveyForms({
      ...shape,
      forms: [
        { category: "other", unit: "a", respondentGroup: "residents", answer: "yes" },
        { category: CATEGORY, unit: "ghost", respondentGroup: "residents", answer: "yes" },
        { category: CATEGORY, unit: "a", respondentGroup: "tourists", answer: "yes" },
        { category: CATEGORY, unit: "a", respondentGroup: "residents", answer: "maybe" },
        // No row at all (a sparse export): skipped, not read as a TypeError.
        null as never,
      ],
      tallies: [tally("a", "residents", "yes", -2), tally("a", "residents", "yes", 0.5), 7 as never],
    });
    expect(counts.cells.every((c) => c === 0)).toBe(true);
    expect(counts.skipped).toBe(7);
    expect(counts.total).toBe(0);
  });

  it("says how many rows it counted and skipped, a first row without a unit included", () => {
    const counts = countSurveyForms({
      ...shape,
      forms: [
        { category: CATEGORY, unit: undefined as never, respondentGroup: "residents", answer: "yes" },
        ...forms("a", "residents", "yes", 2),
      ],
      tallies: [tally("b", "deputies", "no", 5), tally("a", "tourists", "no", 1)],
    });
    expect(counts.skipped).toBe(2);
    expect(counts.total).toBe(7);
    expect([...counts.cells]).toEqual([2, 0, 0, 0, 0, 0, 0, 5]);
  });

  it("refuses to lose exactness past 2^53 − 1", () => {
    const big = tally("a", "residents", "yes", Number.MAX_SAFE_INTEGER);
    expect(() => countSurveyForms({ ...shape, tallies: [big, tally("a", "residents", "yes", 1)] })).toThrow(
      RangeError,
    );
  });

  it("refuses a total past 2^53 − 1, though no cell is", () => {
    // Each cell holds 2^52; the three add up to 2^53 + 2^52, which a double cannot hold exactly.
    const halves = ["a", "b"].map((u) => tally(u, "residents", "yes", 2 ** 52));
    expect(() =>
      countSurveyForms({ ...shape, tallies: [...halves, tally("a", "deputies", "yes", 2 ** 52)] }),
    ).toThrow(new RangeError(`survey forms counted in "${CATEGORY}" exceed ${Number.MAX_SAFE_INTEGER}`));
  });

  it("labels the tallies with the category counted, and refuses another or none", () => {
    const counts = countSurveyForms({ ...shape, forms: forms("a", "residents", "yes", 1) });
    expect(counts.category).toBe(CATEGORY);
    expect(argumentIssues(() => toSurveyTallies(counts, "organ"))).toEqual([
      'category: the counts are of "public" (countSurveyForms\' category), not "organ": labelled so, one category\'s forms would be scored as another\'s',
    ]);
    for (const [category, got] of [
      [undefined, "nothing"],
      [5, "5"],
      ["", 'text ""'],
    ] as const)
      expect(argumentIssues(() => toSurveyTallies(counts, category as never))).toEqual([
        `category: expected the category the counts are of ("public"); got ${got}`,
      ]);
    // Counts built by hand carry no category: any text labels them.
    const { category: _, ...plain } = counts;
    expect(toSurveyTallies(plain, "organ")).toEqual([
      { ...tally("a", "residents", "yes", 1), category: "organ" },
    ]);
  });

  it("gives back the tallies a GROUP BY would, which count to the same cells", () => {
    const counts = countSurveyForms({
      ...shape,
      forms: [...forms("a", "deputies", "no", 2), ...forms("b", "residents", "yes", 3)],
    });
    const tallies = toSurveyTallies(counts, CATEGORY);
    expect(tallies).toEqual([tally("a", "deputies", "no", 2), tally("b", "residents", "yes", 3)]);
    expect(countSurveyForms({ ...shape, tallies }).cells).toEqual(counts.cells);
  });
});
