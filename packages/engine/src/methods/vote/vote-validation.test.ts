import { describe, expect, it } from "vitest";
import type { Ballot } from "../../dataset/dataset.js";
import { CATEGORY, compileIssues, type VoteInput, voteContext } from "./_test-vote.js";
import { voteMethod } from "./vote-method.js";

const issuesOf = (input: VoteInput, ballots: Ballot[], units = ["u1", "u2"]) =>
  voteMethod.validateData(voteContext(input, ballots, units));

const b = (fields: Partial<Ballot>): Ballot => ({ category: CATEGORY, voter: "v1", unit: "u1", ...fields });

describe("vote method: data validation", () => {
  it("accepts valid score ballots and ignores other categories", () => {
    expect(
      issuesOf({}, [b({ score: 0 }), b({ unit: "u2", score: "100" }), b({ category: "x", unit: "zz" })]),
    ).toEqual([]);
  });

  it("reports an unknown unit", () => {
    expect(issuesOf({}, [b({ unit: "nope", score: 80 })])).toEqual([
      { path: ["ballots", 0, "unit"], message: 'unknown unit "nope"' },
    ]);
  });

  it("reports a missing voter", () => {
    expect(issuesOf({}, [b({ voter: "", score: 80 })])).toEqual([
      { path: ["ballots", 0, "voter"], message: "voter is missing" },
    ]);
  });

  it("says a voter given as a number or an object is not a voter id, rather than missing", () => {
    const issues = issuesOf({}, [
      b({ voter: 17 as never, score: 80 }),
      b({ voter: null as never, unit: "u2", score: 80 }),
      b({ voter: {} as never, unit: "u2", score: 80 }),
    ]);
    expect(issues).toEqual([
      { path: ["ballots", 0, "voter"], message: "must be a voter id (text), not the number 17" },
      { path: ["ballots", 1, "voter"], message: "voter is missing" },
      { path: ["ballots", 2, "voter"], message: "must be a voter id (text), not an object" },
    ]);
  });

  it("refuses a voter id with spaces around it, which would vote a second time past the duplicate check", () => {
    const issues = issuesOf({}, [
      b({ voter: "mayor", score: 80 }),
      b({ voter: "mayor ", score: 90 }),
      b({ voter: "\u3000mayor", unit: "u2", score: 70 }),
      b({ voter: "vice mayor", unit: "u2", score: 75 }),
    ]);
    expect(issues).toEqual([
      {
        path: ["ballots", 1, "voter"],
        message: 'voter id "mayor " has spaces around it: a voter is one exact id',
      },
      {
        path: ["ballots", 2, "voter"],
        message: 'voter id "\u3000mayor" has spaces around it: a voter is one exact id',
      },
    ]);
  });

  it("reports missing, unreadable and out-of-range scores", () => {
    const input: VoteInput = { ballot: { type: "score", min: 60, max: 100 } };
    const issues = issuesOf(input, [
      b({}),
      b({ unit: "u2", score: "abc" }),
      b({ voter: "v2", score: 100.5 }),
      b({ voter: "v2", unit: "u2", score: 59 }),
      b({ voter: "v3", score: true as unknown as number }),
    ]);
    expect(issues).toEqual([
      { path: ["ballots", 0, "score"], message: "score is missing" },
      { path: ["ballots", 1, "score"], message: 'not a decimal number: "abc"' },
      { path: ["ballots", 2, "score"], message: "100.5 is outside 60–100" },
      { path: ["ballots", 3, "score"], message: "59 is outside 60–100" },
      { path: ["ballots", 4, "score"], message: "must be a decimal number, not true" },
    ]);
  });

  it("reports missing and unknown grades, and scores on grade ballots", () => {
    const input: VoteInput = { ballot: { type: "grade", points: { 好: 100, 差: 50 } } };
    expect(
      issuesOf(input, [
        b({}),
        b({ unit: "u2", grade: "优" }),
        b({ voter: "v2", grade: "好", score: 90 }),
        b({ voter: "v3", grade: 1 as unknown as string }),
        b({ voter: "v4", grade: "好".repeat(50) }),
      ]),
    ).toEqual([
      { path: ["ballots", 0, "grade"], message: "grade is missing" },
      { path: ["ballots", 1, "grade"], message: 'unknown grade "优"; the grades are "好", "差"' },
      { path: ["ballots", 2, "score"], message: "the category takes grades, not scores" },
      // A grade number from a spreadsheet, unquoted: it is no text, and quoted it would read as one.
      { path: ["ballots", 3, "grade"], message: 'unknown grade 1; the grades are "好", "差"' },
      {
        path: ["ballots", 4, "grade"],
        message: `unknown grade "${"好".repeat(40)}…"; the grades are "好", "差"`,
      },
    ]);
  });

  it("reports a grade on a score ballot", () => {
    expect(issuesOf({}, [b({ score: 80, grade: "好" })])).toEqual([
      { path: ["ballots", 0, "grade"], message: "the category takes scores, not grades" },
    ]);
  });

  it("reports a duplicate ballot (same voter, unit and category) at the later row", () => {
    expect(issuesOf({}, [b({ score: 80 }), b({ unit: "u2", score: 70 }), b({ score: 90 })])).toEqual([
      { path: ["ballots", 2], message: "duplicate of ballots[0]" },
    ]);
  });

  it("reports missing, unknown and inconsistent roles when weighting by role", () => {
    const input: VoteInput = { aggregation: { type: "role-weighted", roles: { mayor: 1, member: 1 } } };
    const issues = issuesOf(input, [
      b({ score: 80 }),
      b({ voter: "v2", role: "guest", score: 80 }),
      b({ voter: "v3", role: "mayor", score: 80 }),
      b({ voter: "v3", unit: "u2", role: "member", score: 80 }),
      b({ voter: "v4", role: null as never, score: 80 }),
    ]);
    expect(issues).toEqual([
      { path: ["ballots", 0, "role"], message: "role is missing (the category is weighted by voter role)" },
      {
        path: ["ballots", 1, "role"],
        message: 'role "guest" is not in the weights table ("mayor", "member")',
      },
      { path: ["ballots", 3, "role"], message: 'the voter is "mayor" at ballots[2], "member" here' },
      { path: ["ballots", 4, "role"], message: "role is missing (the category is weighted by voter role)" },
    ]);
  });

  it("does not require roles without role weighting", () => {
    expect(issuesOf({}, [b({ score: 80, role: "anything" })])).toEqual([]);
  });
});

describe("vote method: compile", () => {
  const at = (...rest: (string | number)[]) => ["categories", 0, "method", ...rest];

  it("accepts the defaults", () => {
    expect(compileIssues({})).toEqual([]);
    expect(compileIssues({ aggregation: { type: "trimmed-mean", trim: 1, minVoters: 7 } })).toEqual([]);
  });

  it("rejects min ≥ max and a negative min", () => {
    expect(compileIssues({ ballot: { type: "score", min: 100, max: 100 } })).toEqual([
      { path: at("ballot", "max"), message: "must be greater than min 100" },
    ]);
    expect(compileIssues({ ballot: { type: "score", min: -10, max: 100 } })).toEqual([
      { path: at("ballot", "min"), message: "must not be negative (points are score / max)" },
    ]);
  });

  it("rejects an empty grade table, a zero scale and grades above the scale", () => {
    expect(compileIssues({ ballot: { type: "grade", points: {} } })).toEqual([
      { path: at("ballot", "points"), message: "needs at least one grade" },
    ]);
    expect(compileIssues({ ballot: { type: "grade", points: { 差: 0 } } })).toEqual([
      { path: at("ballot", "points"), message: "the scale must be greater than 0" },
    ]);
    expect(compileIssues({ ballot: { type: "grade", points: { 好: 100, 差: 50 }, max: 80 } })).toEqual([
      { path: at("ballot", "points", "好"), message: "100 is above the scale max 80" },
    ]);
  });

  it("rejects role tables that are empty or all zero", () => {
    expect(compileIssues({ aggregation: { type: "role-weighted", roles: {} } })).toEqual([
      { path: at("aggregation", "roles"), message: "needs at least one role" },
    ]);
    expect(
      compileIssues({ aggregation: { type: "role-weighted", roles: { mayor: 0, member: "0.0" } } }),
    ).toEqual([{ path: at("aggregation", "roles"), message: "all role weights are 0" }]);
  });

  it("rejects a trim that would leave no ballot where trimming starts", () => {
    const message =
      "dropping 2 highest and 2 lowest needs more than 4 ballots, but trimming starts above minVoters 3: set minVoters to at least 4";
    expect(compileIssues({ aggregation: { type: "trimmed-mean", trim: 2, minVoters: 3 } })).toEqual([
      { path: at("aggregation", "trim"), message },
    ]);
    expect(
      compileIssues({
        aggregation: {
          type: "role-weighted",
          roles: { a: 1 },
          within: { type: "trimmed-mean", trim: 2, minVoters: 3 },
        },
      }),
    ).toEqual([{ path: at("aggregation", "within", "trim"), message }]);
  });

  it("rejects a high-score threshold no ballot can reach", () => {
    expect(compileIssues({ validity: { maxHighScores: { threshold: 101, max: 3 } } })).toEqual([
      {
        path: at("validity", "maxHighScores", "threshold"),
        message: "101 is above the highest possible ballot value 100, so the rule can never apply",
      },
    ]);
  });
});
