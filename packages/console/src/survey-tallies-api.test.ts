import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { answering } from "./_test-answering-gateway";
import { memorySessionStorage } from "./_test-session-storage";
import { deleteRefusal } from "./delete-refusal";
import { fieldProblems } from "./field-problems";
import { countSurveyForms, deleteSurveyForms, loadSurveyCategories } from "./survey-tallies-api";

describe("deleting the survey forms the filters name", () => {
  // Signed out: gql reads no token from an empty store.
  beforeEach(() => {
    memorySessionStorage();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const refusal = (issues: { path: string; message: string }[]) => ({
    deleteSurveyForms: { __typename: "ValidationError", code: "VALIDATION", message: "refused", issues },
  });

  it("reads where the cycle's forms are, by category, and which its version declares a survey", async () => {
    const held = [
      { category: "public", forms: 1204, declared: false },
      { category: "satisfaction", forms: 12, declared: true },
    ];
    const sent = answering({ cycle: { __typename: "Cycle", surveyCategories: held } });
    expect(await loadSurveyCategories("2019")).toEqual(held);
    expect(sent).toEqual([{ id: "2019" }]);
  });

  const which = { category: "public", unitId: "U01", respondentGroup: null, expected: 120 };

  it("counts every page's forms under the filters, the number the delete confirms", async () => {
    const sent = answering({ cycle: { __typename: "Cycle", surveyTallies: { formCount: 120 } } });
    const filter = { category: "public", unitId: "U01", respondentGroup: null };
    expect(await countSurveyForms("2019", filter)).toBe(120);
    expect(sent).toEqual([{ id: "2019", ...filter }]);
  });

  it("sends the category, unit and group or null, the number shown, and a reason only when one is given", async () => {
    const sent = answering({ deleteSurveyForms: { __typename: "DeletedSurveyForms", forms: 120 } });
    expect(await deleteSurveyForms("2019", which)).toBe(120);
    expect(
      await deleteSurveyForms("2019", { ...which, unitId: null, respondentGroup: "residents" }, "刷票"),
    ).toBe(120);
    expect(sent).toEqual([
      { cycleId: "2019", category: "public", unitId: "U01", respondentGroup: null, expectedForms: 120 },
      {
        cycleId: "2019",
        category: "public",
        unitId: null,
        respondentGroup: "residents",
        expectedForms: 120,
        reason: "刷票",
      },
    ]);
  });

  it("takes a refusal to delete nothing for forms gone meanwhile, at the filter the gateway named", async () => {
    const none = { path: "unitId", message: `unit "U01" has no survey forms in category "public"` };
    answering(refusal([none]));
    const gone = await deleteSurveyForms("2019", which).catch((e: Error) => e);
    expect(deleteRefusal(gone as Error)).toBe("gone");
    expect(fieldProblems(gone as Error, ["category", "unitId", "respondentGroup"]).fields).toEqual({
      unitId: none.message,
    });
    // A number changed meanwhile is read again, a refused reason corrected: neither means gone.
    for (const path of ["expectedForms", "reason"]) {
      answering(refusal([{ path, message: "refused" }]));
      const other = await deleteSurveyForms("2019", which, "…").catch((e: Error) => e);
      expect(deleteRefusal(other as Error)).toBeNull();
    }
  });
});
