import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { answering } from "./_test-answering-gateway";
import { memorySessionStorage } from "./_test-session-storage";
import {
  type Ballot,
  ballotCategories,
  ballotInput,
  correctionInput,
  deleteBallots,
  loadHeldCategories,
  passes,
  type VoteCategory,
  valueAcross,
} from "./ballots-api";
import { deleteRefusal } from "./delete-refusal";
import { fieldProblems } from "./field-problems";

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

describe("deleting a category's ballots at once", () => {
  // Signed out: gql reads no token from an empty store.
  beforeEach(() => {
    memorySessionStorage();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const refusal = (issues: { path: string; message: string }[]) => ({
    deleteBallots: { __typename: "ValidationError", code: "VALIDATION", message: "refused", issues },
  });

  it("reads where the cycle's ballots are, by category, and which its version declares a vote", async () => {
    const held = [
      { category: "council", ballots: 29, declared: true },
      { category: "organ", ballots: 203, declared: false },
    ];
    const sent = answering({ cycle: { __typename: "Cycle", ballotCategories: held } });
    expect(await loadHeldCategories("2019")).toEqual(held);
    expect(sent).toEqual([{ id: "2019" }]);
  });

  it("sends the category, the voter or null, the number shown, and a reason only when one is given; answers how many", async () => {
    const sent = answering({ deleteBallots: { __typename: "DeletedBallots", ballots: 203 } });
    expect(await deleteBallots("2019", { category: "organ", voter: null, expected: 203 })).toBe(203);
    expect(
      await deleteBallots(
        "2019",
        { category: "organ", voter: "mayor", expected: 29 },
        "sat on their own unit",
      ),
    ).toBe(203);
    expect(sent).toEqual([
      { cycleId: "2019", category: "organ", voter: null, expectedBallots: 203 },
      {
        cycleId: "2019",
        category: "organ",
        voter: "mayor",
        expectedBallots: 29,
        reason: "sat on their own unit",
      },
    ]);
  });

  it("takes a refusal to delete nothing for ballots gone meanwhile, keeping where the gateway named it", async () => {
    const none = {
      path: "voter",
      message: `voter "mayor" has no ballot in category "organ" of cycle '2019', so none was deleted`,
    };
    answering(refusal([none]));
    const gone = await deleteBallots("2019", { category: "organ", voter: "mayor", expected: 29 }).catch(
      (e: Error) => e,
    );
    expect(deleteRefusal(gone as Error)).toBe("gone");
    expect(fieldProblems(gone as Error, ["category", "voter"]).fields).toEqual({ voter: none.message });
    // A refused reason is the box's to correct, and a number changed meanwhile is read again:
    // neither is a sign the ballots are gone.
    answering(refusal([{ path: "expectedBallots", message: "cycle '2019' holds 204 ballots" }]));
    const changed = await deleteBallots("2019", { category: "organ", voter: null, expected: 203 }).catch(
      (e: Error) => e,
    );
    expect(deleteRefusal(changed as Error)).toBeNull();
    answering(refusal([{ path: "reason", message: "must say something" }]));
    const reason = await deleteBallots("2019", { category: "organ", voter: null, expected: 203 }, "…").catch(
      (e: Error) => e,
    );
    expect(deleteRefusal(reason as Error)).toBeNull();
    expect(fieldProblems(reason as Error, ["reason"])).toEqual({
      fields: { reason: "must say something" },
      elsewhere: false,
    });
  });
});
