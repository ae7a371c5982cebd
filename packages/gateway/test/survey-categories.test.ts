import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";
import {
  cycleWithImportedBallots,
  importSurveyForms,
  publishCityReview,
  readExample,
  seededSurveyForms,
} from "./imported-ballots.js";

/** city-review's 2019 rules with the survey "public" renamed "satisfaction", and its group "residents" "citizens". */
const RENAMED = 3;

/**
 * Cycle.surveyCategories, and surveyTallies of a category the cycle's scheme version does not
 * declare: the forms a forced move left under a category it renamed are found and counted, so
 * that deleteSurveyForms' `expectedForms` can be read.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  /** The seed's 2019 survey forms of three units, all of category "public". */
  const FORMS = seededSurveyForms(["U01", "U02", "U03"]);
  const residentsOfU02 = FORMS.filter((f) => f.unit === "U02" && f.respondentGroup === "residents").length;
  let years = 2070;

  beforeAll(async () => {
    t = await startTestServer({ backend });
    // Renamed wherever the rules name it (the ranking's tie-breakers too).
    const document = JSON.parse(
      JSON.stringify(readExample("scheme-2019.json")).replaceAll('"public"', '"satisfaction"'),
    );
    const survey = document.categories.find((c: { id: string }) => c.id === "satisfaction");
    const { respondentGroups, weighting } = survey.method;
    respondentGroups[respondentGroups.indexOf("residents")] = "citizens";
    weighting.weights.citizens = weighting.weights.residents;
    delete weighting.weights.residents;
    await publishCityReview(t, RENAMED, document);
  });
  afterAll(() => t?.close());

  /** A new open cycle under version 2 of city-review with FORMS imported, moved to RENAMED by force. */
  const cycleMovedPastItsForms = async () => {
    const c = await cycleWithImportedBallots(t, `survey-${++years}`, years, 2, []);
    await importSurveyForms(t, c, FORMS);
    expect(await categories(c)).toEqual([{ category: "public", forms: FORMS.length, declared: true }]);
    const moved = await t.gql(
      `mutation($c: ID!) { setCycleScheme(cycleId: $c, schemeId: "city-review", version: ${RENAMED}, force: true, reason: "survey renamed") {
        __typename ... on Error { message } } }`,
      { c },
      { as: "admin" },
    );
    expect(moved.body.data.setCycleScheme).toEqual({ __typename: "Cycle" });
    return c;
  };

  const categories = async (cycleId: string) => {
    const r = await t.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { surveyCategories { category forms declared } } } }`,
      { c: cycleId },
      { as: "viewer" },
    );
    expect(r.body.errors).toBeUndefined();
    return r.body.data.cycle.surveyCategories;
  };
  const formCount = async (cycleId: string, args: string) => {
    const r = await t.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { surveyTallies${args} { formCount } } } }`,
      { c: cycleId },
      { as: "viewer" },
    );
    return r.body.errors
      ? { issues: r.body.errors[0]?.extensions?.issues }
      : r.body.data.cycle.surveyTallies.formCount;
  };

  it("lists the category a forced move left forms in as not declared, with how many", async () => {
    const c = await cycleMovedPastItsForms();
    expect(await categories(c)).toEqual([{ category: "public", forms: FORMS.length, declared: false }]);
  });

  it("counts the forms of a category and group the version no longer declares, for deleteSurveyForms to confirm", async () => {
    const c = await cycleMovedPastItsForms();
    expect(await formCount(c, `(category: "public")`)).toBe(FORMS.length);
    expect(await formCount(c, `(category: "public", unitId: "U02", respondentGroup: "residents")`)).toBe(
      residentsOfU02,
    );
    expect(residentsOfU02).toBeGreaterThan(0);
    // The count read is the one deleting asks for.
    const deleted = await t.gql(
      `mutation($c: ID!, $n: Int!) { deleteSurveyForms(cycleId: $c, category: "public", unitId: "U02", respondentGroup: "residents", expectedForms: $n) {
        __typename ... on DeletedSurveyForms { forms } ... on Error { message } } }`,
      { c, n: residentsOfU02 },
      { as: "admin" },
    );
    expect(deleted.body.data.deleteSurveyForms).toEqual({
      __typename: "DeletedSurveyForms",
      forms: residentsOfU02,
    });
    const rest = FORMS.length - residentsOfU02;
    expect(await categories(c)).toEqual([{ category: "public", forms: rest, declared: false }]);
    expect(await formCount(c, `(category: "public")`)).toBe(rest);
  });

  it("still refuses a category or group neither declared nor held, at its argument", async () => {
    const c = await cycleMovedPastItsForms();
    expect(await formCount(c, `(category: "pubic")`)).toEqual({
      issues: [
        {
          path: "category",
          message: `unknown category "pubic" (known: business, organ, satisfaction), in scheme city-review v${RENAMED}, which cycle '${c}' uses; the cycle's survey forms are also in "public", which the version does not declare`,
        },
      ],
    });
    expect(await formCount(c, `(category: "public", respondentGroup: "resident")`)).toEqual({
      issues: [
        { path: "respondentGroup", message: expect.stringMatching(/^unknown respondent group "resident"/) },
      ],
    });
    // The declared category holds no forms: counted as none, not refused.
    expect(await formCount(c, `(category: "satisfaction")`)).toBe(0);
  });

  it("is empty for a cycle with no survey forms", async () => {
    const c = await cycleWithImportedBallots(t, `survey-${++years}`, years, 2, []);
    expect(await categories(c)).toEqual([]);
  });
});
