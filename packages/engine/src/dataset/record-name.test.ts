import { describe, expect, it } from "vitest";
import { directScheme } from "../_test-schemes.js";
import { formatPath } from "../input-error.js";
import { compileScheme } from "../scheme/compile-scheme.js";
import type { Dataset } from "./dataset.js";
import { datasetIssues } from "./validate-dataset.js";

/** One category of each method, and a type of each adjustment. */
const scheme = compileScheme(
  directScheme({
    categories: [
      { id: "business", name: "business", points: 20, method: { kind: "direct", outOf: 30 } },
      {
        id: "organ",
        name: "organ",
        points: 30,
        method: { kind: "vote", ballot: { type: "score", min: 0, max: 50 } },
      },
      {
        id: "public",
        name: "public",
        points: 30,
        method: {
          kind: "survey",
          options: { satisfied: 100, dissatisfied: 0 },
          satisfiedOptions: ["satisfied"],
          respondentGroups: ["residents", "enterprises"],
        },
      },
      {
        id: "safety",
        name: "safety",
        points: 20,
        method: { kind: "formula", expression: "cases", inputs: [{ name: "cases" }], max: 100 },
      },
    ],
    findingTypes: [{ id: "visit", name: "visit", levels: { city: { perFinding: 0.3 } } }],
    bonusTypes: [{ id: "award", name: "award", levels: { city: 1 } }],
    bonusCap: 2,
    vetoTypes: [{ id: "incident", name: "incident" }],
  }),
);

const units = [
  { id: "U01", name: "u1", group: "g1" },
  { id: "U09", name: "u9", group: "g1" },
];

/** Each issue of `dataset` as "path: message". */
function said(dataset: Omit<Dataset, "units">): string[] {
  return datasetIssues(scheme, { units, ...dataset }).map((i) => `${formatPath(i.path)}: ${i.message}`);
}

describe("issues about a dataset's records name the record", () => {
  it("a direct score by unit and category", () => {
    expect(said({ scores: [{ unit: "U09", category: "business", value: 31 }] })).toEqual([
      'scores[0].value: score for unit "U09" in category "business": 31 is outside 0–30',
    ]);
  });

  it("a ballot by voter, unit and category", () => {
    expect(said({ ballots: [{ voter: "m03", unit: "U09", category: "organ", score: 88 }] })).toEqual([
      'ballots[0].score: ballot of voter "m03" for unit "U09" in category "organ": 88 is outside 0–50',
    ]);
  });

  it("a survey form by respondent group, unit and category", () => {
    expect(
      said({
        surveyForms: [{ category: "public", unit: "U09", respondentGroup: "residents", answer: "ok" }],
      }),
    ).toEqual([
      'surveyForms[0].answer: survey form of respondent group "residents" for unit "U09" in category "public": answer "ok" is not an option (options: satisfied, dissatisfied)',
    ]);
  });

  it("a survey tally by respondent group, unit and category", () => {
    const tally = { category: "public", unit: "U09", respondentGroup: "enterprises", answer: "satisfied" };
    expect(said({ surveyTallies: [{ ...tally, count: -1 }] })).toEqual([
      `surveyTallies[0].count: survey tally of respondent group "enterprises" for unit "U09" in category "public": count must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got -1`,
    ]);
  });

  it("a formula input by name and unit", () => {
    expect(said({ inputs: [{ unit: "U09", name: "cases", value: "1,5" }] })).toEqual([
      'inputs[0].value: input "cases" for unit "U09": not a decimal number: "1,5"',
    ]);
  });

  it("a finding by id and unit", () => {
    expect(said({ findings: [{ id: "F7", unit: "U09", type: "visit", level: "province" }] })).toEqual([
      'findings[0].level: finding "F7" for unit "U09": unknown level "province" for "visit" (known: city)',
    ]);
  });

  it("a bonus event by id and unit", () => {
    expect(said({ bonusEvents: [{ id: "B2", unit: "U09", type: "medal", level: "city" }] })).toEqual([
      'bonusEvents[0].type: bonus event "B2" for unit "U09": unknown bonus type "medal"',
    ]);
  });

  it("a veto event by id and unit", () => {
    expect(said({ vetoEvents: [{ id: "V1", unit: "U09", type: "incident", reason: " " }] })).toEqual([
      'vetoEvents[0].reason: veto event "V1" for unit "U09": must say why (a veto is published with its reason)',
    ]);
  });

  it("by the fields the message is not about, and only those that are text", () => {
    expect(
      said({
        ballots: [
          { voter: "m03", unit: "U99", category: "organ", score: 40 },
          { voter: 12 as never, unit: "U01", category: "organ", score: 40 },
        ],
      }),
    ).toEqual([
      'ballots[0].unit: ballot of voter "m03" in category "organ": unknown unit "U99"',
      'ballots[1].voter: ballot for unit "U01" in category "organ": must be a voter id (text), not the number 12',
    ]);
  });

  it("leaves a record with nothing to name it by as it was", () => {
    expect(said({ findings: [{ unit: 7, type: "visit", level: "city" } as never] })).toEqual([
      "findings[0].id: id is missing (required)",
      'findings[0].unit: unknown unit "7"',
    ]);
  });

  it("a unit by its id", () => {
    expect(datasetIssues(scheme, { units: [{ id: "U01", name: "u1", group: "g9" }] })).toEqual([
      { path: ["units", 0, "group"], message: 'unit "U01": unknown group "g9" (known: g1)' },
    ]);
  });

  it("names a duplicate once, by the record, with where the first one is", () => {
    expect(
      said({
        scores: [
          { unit: "U09", category: "business", value: 20 },
          { unit: "U09", category: "business", value: 21 },
        ],
        ballots: [
          { voter: "m03", unit: "U09", category: "organ", score: 40 },
          { voter: "m03", unit: "U09", category: "organ", score: 41 },
        ],
        inputs: [
          { unit: "U09", name: "cases", value: 1 },
          { unit: "U09", name: "cases", value: 2 },
        ],
      }),
    ).toEqual([
      'scores[1]: score for unit "U09" in category "business": duplicate of scores[0]',
      'ballots[1]: ballot of voter "m03" for unit "U09" in category "organ": duplicate of ballots[0]',
      'inputs[1]: input "cases" for unit "U09": duplicate of inputs[0]',
    ]);
  });
});
