import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CATEGORY,
  COUNTY,
  compileIssues,
  forms,
  type SurveyInput,
  surveyContext,
  tally,
  validateSurvey,
} from "./_test-survey.js";
import { surveyMethod } from "./survey-method.js";

describe("surveyMethod.validateData", () => {
  it("accepts valid forms and tallies", () => {
    const data = {
      forms: forms("a", "residents", "满意", 3),
      tallies: [tally("a", "residents", "不了解", 0)],
    };
    expect(validateSurvey(COUNTY, data, ["a"])).toEqual([]);
  });

  it("reports every problem with its dataset path", () => {
    const issues = validateSurvey(
      COUNTY,
      {
        forms: [
          { category: CATEGORY, unit: "a", respondentGroup: "residents", answer: "满意" },
          { category: CATEGORY, unit: "ghost", respondentGroup: "tourists", answer: "maybe" },
          { category: CATEGORY, unit: "a", respondentGroup: "residents", answer: "toString" },
        ],
        tallies: [
          tally("a", "residents", "满意", -1),
          tally("a", "residents", "满意", 1.5),
          tally("a", "__proto__", "满意", Number.NaN),
          { ...tally("a", "residents", "满意", 0), count: "7" as unknown as number },
          { ...tally("a", "residents", "满意", 0), count: true as unknown as number },
        ],
      },
      ["a"],
    );
    expect(issues).toEqual([
      { path: ["surveyForms", 1, "unit"], message: 'unknown unit "ghost"' },
      {
        path: ["surveyForms", 1, "respondentGroup"],
        message: 'respondent group "tourists" is not declared (declared: residents)',
      },
      {
        path: ["surveyForms", 1, "answer"],
        message: 'answer "maybe" is not an option (options: 满意, 基本满意, 不满意, 不了解)',
      },
      {
        path: ["surveyForms", 2, "answer"],
        message: 'answer "toString" is not an option (options: 满意, 基本满意, 不满意, 不了解)',
      },
      {
        path: ["surveyTallies", 0, "count"],
        message: "count must be a whole number from 0 to 9007199254740991, got -1",
      },
      {
        path: ["surveyTallies", 1, "count"],
        message: "count must be a whole number from 0 to 9007199254740991, got 1.5",
      },
      {
        path: ["surveyTallies", 2, "respondentGroup"],
        message: 'respondent group "__proto__" is not declared (declared: residents)',
      },
      {
        path: ["surveyTallies", 2, "count"],
        message: "count must be a whole number from 0 to 9007199254740991, got NaN",
      },
      {
        path: ["surveyTallies", 3, "count"],
        message: 'count must be a whole number from 0 to 9007199254740991, got text "7"',
      },
      {
        path: ["surveyTallies", 4, "count"],
        message: "count must be a whole number from 0 to 9007199254740991, got true",
      },
    ]);
  });

  it("reports a grand total too large to count exactly", () => {
    const big = Number.MAX_SAFE_INTEGER;
    const issues = validateSurvey(
      COUNTY,
      { tallies: [tally("a", "residents", "满意", big), tally("a", "residents", "满意", 1)] },
      ["a"],
    );
    expect(issues.map((i) => i.path)).toEqual([["surveyTallies"]]);
  });

  it("leaves rows of other categories to their own category", () => {
    const other = { category: "other", unit: "ghost", respondentGroup: "x", answer: "y" };
    expect(validateSurvey(COUNTY, { forms: [other], tallies: [{ ...other, count: -1 }] }, ["a"])).toEqual([]);
  });
});

describe("surveyMethod.compile", () => {
  const path = ["categories", 0, "method"];

  it("accepts the county rule", () => {
    expect(compileIssues(COUNTY)).toEqual([]);
  });

  it("reports weights naming undeclared groups, in weights and in byUnitKind", () => {
    const input: SurveyInput = {
      ...COUNTY,
      weighting: {
        type: "group-weighted",
        weights: { residents: 1, tourists: 1 },
        byUnitKind: { enforcement: { residents: 1, deputies: 2 } },
      },
    };
    expect(compileIssues(input)).toEqual([
      {
        path: [...path, "weighting", "weights", "tourists"],
        message: '"tourists" is not a declared respondent group',
      },
      {
        path: [...path, "weighting", "byUnitKind", "enforcement", "deputies"],
        message: '"deputies" is not a declared respondent group',
      },
    ]);
  });

  it("reports a weights table that leaves out a declared group, which would be weighted 0 without a word", () => {
    const input: SurveyInput = {
      ...COUNTY,
      respondentGroups: ["residents", "enterprises", "deputies"],
      weighting: {
        type: "group-weighted",
        weights: { residents: 0.5, enterprises: 0.5 },
        // An explicit 0 is how forms are shown but not scored.
        byUnitKind: { enforcement: { residents: 1 }, service: { residents: 1, enterprises: 1, deputies: 0 } },
      },
    };
    expect(compileIssues(input)).toEqual([
      {
        path: [...path, "weighting", "weights"],
        message:
          'gives no weight to respondent group "deputies": give every declared group one (0 for forms shown but not scored)',
      },
      {
        path: [...path, "weighting", "byUnitKind", "enforcement"],
        message:
          'gives no weight to respondent groups "enterprises", "deputies": give every declared group one (0 for forms shown but not scored)',
      },
    ]);
  });

  it("reports all weights zero, per table", () => {
    const input: SurveyInput = {
      ...COUNTY,
      weighting: { type: "group-weighted", weights: { residents: 0 }, byUnitKind: { enforcement: {} } },
    };
    expect(compileIssues(input).map((i) => i.path)).toEqual([
      [...path, "weighting", "weights"],
      [...path, "weighting", "byUnitKind", "enforcement"],
    ]);
  });

  it("reports satisfied options that are not options or are not valid votes", () => {
    expect(compileIssues({ ...COUNTY, satisfiedOptions: ["满意", "非常满意", "不了解"] })).toEqual([
      { path: [...path, "satisfiedOptions", 1], message: '"非常满意" is not one of the options' },
      {
        path: [...path, "satisfiedOptions", 2],
        message: '"不了解" has no points, so it is not a valid vote',
      },
    ]);
  });

  it("reports a scheme with no option that has points", () => {
    expect(compileIssues({ ...COUNTY, options: { 不了解: null }, satisfiedOptions: [] })).toEqual([
      { path: [...path, "options"], message: "no option has points; at least one must be a scored answer" },
    ]);
  });

  it("reports a scale of 0 and a max below the highest option points", () => {
    expect(compileIssues({ ...COUNTY, options: { a: 0, b: null }, satisfiedOptions: [] })).toEqual([
      { path: [...path, "options"], message: "every option scores 0, so there is no scale; give `max`" },
    ]);
    expect(compileIssues({ ...COUNTY, max: 0 })).toEqual([
      { path: [...path, "max"], message: "must be greater than 0" },
    ]);
    expect(compileIssues({ ...COUNTY, max: "99.5" })).toEqual([
      { path: [...path, "max"], message: "99.5 is below the highest option points 100" },
    ]);
  });

  it("reports a duplicated respondent group", () => {
    expect(compileIssues({ ...COUNTY, respondentGroups: ["residents", "residents"] })).toEqual([
      { path: [...path, "respondentGroups", 1], message: 'duplicate group "residents"' },
    ]);
  });
});

describe("validation that keeps its counts for scoring in the same call", () => {
  const WEIGHTED: SurveyInput = { ...COUNTY, respondentGroups: ["residents", "deputies"] };

  it("reports the same issues, and the counts it keeps score the same", () => {
    const text = (pool: string[]) => fc.oneof(fc.constantFrom(...pool), fc.constant(undefined as never));
    const form = fc.record({
      category: fc.constantFrom(CATEGORY, CATEGORY, CATEGORY, "other"),
      unit: text(["a", "a", "b", "ghost"]),
      respondentGroup: text(["residents", "deputies", "tourists"]),
      answer: text(["满意", "基本满意", "不满意", "不了解", "maybe"]),
    });
    const count = fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.constantFrom(-1, 1.5, Number.MAX_SAFE_INTEGER, Number.NaN),
    );
    const row = fc.record({
      category: fc.constantFrom(CATEGORY, "other"),
      unit: fc.constantFrom("a", "b", "ghost"),
      respondentGroup: fc.constantFrom("residents", "deputies", "tourists"),
      answer: fc.constantFrom("满意", "基本满意", "不满意", "maybe"),
      count,
    });
    fc.assert(
      fc.property(
        fc.array(form, { maxLength: 60 }),
        fc.array(row, { maxLength: 4 }),
        fc.constantFrom(["a", "b"], ["a", "b", "a"], ["b"]),
        fc.boolean(),
        (drawnForms, drawnTallies, units, clean) => {
          // Half the draws keep only valid rows, so that scoring with the kept counts is checked too.
          const valid = (r: { unit?: string; respondentGroup?: string; answer?: string }) =>
            ["a", "b"].includes(r.unit!) &&
            ["residents", "deputies"].includes(r.respondentGroup!) &&
            ["满意", "基本满意", "不满意", "不了解"].includes(r.answer!);
          const forms = clean ? drawnForms.filter(valid) : drawnForms;
          const tallies = clean
            ? drawnTallies.filter(
                (t) => valid(t) && Number.isInteger(t.count) && t.count >= 0 && t.count < 100,
              )
            : drawnTallies;
          const ctx = surveyContext(WEIGHTED, { forms, tallies }, units);
          const read = new Map<string, unknown>();
          const issues = surveyMethod.validateData(ctx);
          expect(surveyMethod.validateData({ ...ctx, read })).toEqual(issues);
          if (issues.length > 0) return;
          const score = (r?: Map<string, unknown>) =>
            surveyMethod.score({ ...ctx, compiled: undefined, categoryPoints: new Map(), read: r });
          expect(score(read)).toEqual(score());
        },
      ),
      { numRuns: 400 },
    );
  });

  it("keeps counts only when validation finds nothing", () => {
    const valid = surveyContext(WEIGHTED, { forms: forms("a", "residents", "满意", 3) }, ["a"]);
    const read = new Map<string, unknown>();
    expect(surveyMethod.validateData({ ...valid, read })).toEqual([]);
    expect(read.size).toBe(1);
    const invalid = surveyContext(WEIGHTED, { forms: forms("ghost", "residents", "满意", 1) }, ["a"]);
    const none = new Map<string, unknown>();
    expect(surveyMethod.validateData({ ...invalid, read: none })).toHaveLength(1);
    expect(none.size).toBe(0);
  });
});
