import { describe, expect, it } from "vitest";
import {
  type Ballot,
  ballotCategories,
  ballotInput,
  correctionInput,
  passes,
  type VoteCategory,
  valueAcross,
} from "./ballots-api";

const stored: Ballot = {
  category: "organ",
  voter: "member-1",
  role: "member",
  unitId: "U09",
  score: "80",
  grade: null,
};

describe("correctionInput", () => {
  it("sends the stored ballot's key and its new value, never its role", () => {
    expect(correctionInput(stored, "score", " 61.5 ")).toEqual({
      category: "organ",
      unitId: "U09",
      voter: "member-1",
      score: "61.5",
    });
    expect(correctionInput(stored, "grade", "")).toEqual({
      category: "organ",
      unitId: "U09",
      voter: "member-1",
    });
  });
});

describe("ballotInput", () => {
  it("leaves a new ballot's empty role and value out: a stored one keeps its role, the gateway names the value", () => {
    const edit = { category: "organ", unitId: "U01", voter: "m1", role: " ", value: "" };
    expect(ballotInput(edit, "grade")).toEqual({ category: "organ", unitId: "U01", voter: "m1" });
    expect(ballotInput({ ...edit, role: " mayor ", value: "较好" }, "grade")).toEqual({
      category: "organ",
      unitId: "U01",
      voter: "m1",
      role: "mayor",
      grade: "较好",
    });
  });
});

describe("valueAcross", () => {
  const score: VoteCategory = {
    id: "organ",
    name: "机关",
    ballot: { type: "score", min: 0, max: 100 },
    roles: [],
    secret: false,
  };
  const graded: VoteCategory = {
    id: "leaders",
    name: "领导",
    ballot: { type: "grade", grades: ["好", "较好"] },
    roles: [],
    secret: false,
  };
  const other: VoteCategory = { ...graded, id: "conduct", ballot: { type: "grade", grades: ["好", "差"] } };
  it("clears a value the new category does not take, and keeps one it does", () => {
    expect(valueAcross("80", score, graded)).toBe("");
    expect(valueAcross("好", graded, score)).toBe("");
    expect(valueAcross("较好", graded, other)).toBe("");
    expect(valueAcross("好", graded, other)).toBe("好");
    expect(valueAcross("80", score, { ...score, id: "other" })).toBe("80");
    expect(valueAcross("80", undefined, score)).toBe("");
  });
});

describe("ballotCategories", () => {
  it("reads the vote categories' ballots, roles and secrecy, and the survey categories' answers and groups", () => {
    const categories = ballotCategories([
      { id: "business", name: "业务", method: { kind: "direct" } },
      { id: "organ", name: "机关", method: { kind: "vote", ballot: { type: "score", min: 0, max: 100 } } },
      {
        id: "leaders",
        name: "领导",
        method: {
          kind: "vote",
          ballot: { type: "grade", points: { 好: 100, 较好: 85 } },
          aggregation: { type: "role-weighted", roles: { mayor: 3, member: 1 } },
          secret: true,
        },
      },
      {
        id: "public",
        name: "开门评议",
        method: {
          kind: "survey",
          options: { satisfied: 100, "dont-know": null },
          respondentGroups: ["residents"],
        },
      },
    ]);
    expect(categories).toEqual({
      voteCategories: [
        { id: "organ", name: "机关", ballot: { type: "score", min: 0, max: 100 }, roles: [], secret: false },
        {
          id: "leaders",
          name: "领导",
          ballot: { type: "grade", grades: ["好", "较好"] },
          roles: ["mayor", "member"],
          secret: true,
        },
      ],
      surveyCategories: [
        {
          id: "public",
          name: "开门评议",
          answers: ["satisfied", "dont-know"],
          respondentGroups: ["residents"],
        },
      ],
    });
  });

  it("takes a vote for secret only when the scheme says `true`, as the gateway does", () => {
    const secrecy = (secret: unknown) =>
      ballotCategories([
        { id: "organ", name: "机关", method: { kind: "vote", ballot: { type: "score" }, secret } },
      ]).voteCategories[0]?.secret;
    expect(secrecy(true)).toBe(true);
    expect(secrecy(false)).toBe(false);
    expect(secrecy(undefined)).toBe(false);
    expect(secrecy("true")).toBe(false);
  });
});

describe("passes", () => {
  it("tells whether a ballot just written shows under the filters", () => {
    const none = { category: null, unitId: null, voter: null };
    expect(passes(none, stored)).toBe(true);
    expect(passes({ ...none, unitId: "U09", voter: "member-1" }, stored)).toBe(true);
    expect(passes({ ...none, voter: "mayor" }, stored)).toBe(false);
    expect(passes({ ...none, category: "leaders" }, stored)).toBe(false);
  });
});
