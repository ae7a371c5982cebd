import { expect, it } from "vitest";
import {
  cycleWithImportedBallots,
  importSurveyForms,
  publishCityReview,
  readExample,
  seededSurveyForms,
} from "../../gateway/test/imported-ballots.js";
import { describeInChromium, signIn } from "./harness.js";

describeInChromium("deleting the survey forms the Ballots page's filters name", (bench) => {
  const admin = (query: string, variables: Record<string, unknown> = {}) =>
    bench.stack.gateway.gql(query, variables, { as: "admin" }).then((r) => r.body.data);
  /** How many of the seeded 2019's public-evaluation forms the unit's respondent group holds. */
  const formCount = async (unitId: string) =>
    (
      await admin(
        `query($u: ID) { cycle(id: "2019") { ... on Cycle {
          surveyTallies(category: "public", unitId: $u, respondentGroup: "residents", first: 1) { formCount } } } }`,
        { u: unitId },
      )
    ).cycle.surveyTallies.formCount as number;
  const path = (unitId: string) =>
    `#/ballots?cycle=2019&show=tallies&category=public&unit=${unitId}&group=residents`;

  it("deletes a unit's respondent group's forms once confirmed with their count and a reason, and reads the list again", async () => {
    const held = await formCount("U01");
    expect(held).toBeGreaterThan(1);
    const page = await signIn(bench.browser, bench.stack, "admin", { lang: "en", path: path("U01") });
    const open = page.getByTestId("forms-delete-open");
    await expect.poll(() => open.textContent()).toBe(`Delete the ${held} survey forms these filters hold…`);
    await open.click();
    const question = page.getByTestId("delete-question");
    expect(await question.textContent()).toMatch(
      new RegExp(
        `^Delete ${held} survey forms of 开门评议 public evaluation \\(public\\), .+ \\(U01\\), respondent group residents\\?$`,
      ),
    );
    // Asked, not done: the focus is on Cancel.
    expect(await page.getByTestId("forms-delete-cancel").evaluate((b) => b === document.activeElement)).toBe(
      true,
    );
    expect(await formCount("U01")).toBe(held);

    await page.getByTestId("forms-delete-reason").fill("刷票: filled in by the unit");
    await page.getByTestId("forms-delete-confirm").click();
    await expect
      .poll(() => page.getByTestId("forms-deleted").textContent())
      .toMatch(
        new RegExp(
          `^Deleted ${held} survey forms of 开门评议 public evaluation \\(public\\), .+ \\(U01\\), respondent group residents\\.$`,
        ),
      );
    expect(await formCount("U01")).toBe(0);
    await expect
      .poll(() => page.getByTestId("tallies-none").textContent())
      .toBe("No tally passes these filters.");
    // The button goes with the count it offers, which is read again apart from the tallies.
    await expect.poll(() => open.count()).toBe(0);
    const audit = await admin(
      `{ auditLog(entity: "survey_forms", first: 1) { edges { node { action entityId reason } } } }`,
    );
    expect(audit.auditLog.edges[0].node).toEqual({
      action: "delete",
      entityId: "public",
      reason: "刷票: filled in by the unit",
    });
    await page.context().close();
  });

  it("says the forms are gone when they were deleted meanwhile, at the filter the gateway names, and reads the list again", async () => {
    const held = await formCount("U02");
    const page = await signIn(bench.browser, bench.stack, "admin", { lang: "zh-CN", path: path("U02") });
    const open = page.getByTestId("forms-delete-open");
    await expect.poll(() => open.textContent()).toBe(`删除符合筛选条件的 ${held} 份测评表…`);
    await open.click();
    // Another administrator deletes them first.
    expect(
      await admin(
        `mutation($n: Int!) { deleteSurveyForms(cycleId: "2019", category: "public", unitId: "U02", respondentGroup: "residents", expectedForms: $n) { __typename } }`,
        { n: held },
      ),
    ).toEqual({ deleteSurveyForms: { __typename: "DeletedSurveyForms" } });
    await page.getByTestId("forms-delete-confirm").click();
    const refused = page.getByTestId("forms-delete-refused");
    await expect.poll(() => refused.textContent()).toContain("已没有可删除的测评表");
    // The gateway's words, at the filter box it names: the unit has forms of other groups only.
    await expect.poll(() => page.getByTestId("filter-group").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByTestId("filter-group-problem").textContent()).toContain("residents");
    await page.getByTestId("forms-delete-cancel").click();
    await expect.poll(() => page.getByTestId("tallies-none").textContent()).toBe("没有符合筛选条件的计数。");
    await expect.poll(() => open.count()).toBe(0);
    await page.context().close();
  });

  it("offers no deletion to an analyst, nor with no category chosen", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", { lang: "en", path: path("U03") });
    await expect.poll(() => page.getByTestId("tallies-list").locator("tbody tr").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("forms-delete-open").count()).toBe(0);
    await page.context().close();
    const adminPage = await signIn(bench.browser, bench.stack, "admin", {
      lang: "en",
      path: "#/ballots?cycle=2019&show=tallies&unit=U03",
    });
    await expect
      .poll(() => adminPage.getByTestId("tallies-list").locator("tbody tr").count())
      .toBeGreaterThan(0);
    expect(await adminPage.getByTestId("forms-delete-open").count()).toBe(0);
    await adminPage.context().close();
  });

  it("offers an administrator the forms a forced move left in a category the version no longer declares, with their count, to delete", async () => {
    // city-review's 2019 rules with the survey "public" renamed "satisfaction".
    const document = JSON.parse(
      JSON.stringify(readExample("scheme-2019.json")).replaceAll('"public"', '"satisfaction"'),
    );
    await publishCityReview(bench.stack.gateway, 3, document);
    const cycleId = await cycleWithImportedBallots(bench.stack.gateway, "survey-2070", 2070, 2, []);
    const forms = seededSurveyForms(["U01"]);
    await importSurveyForms(bench.stack.gateway, cycleId, forms);
    expect(
      await admin(
        `mutation { setCycleScheme(cycleId: "${cycleId}", schemeId: "city-review", version: 3, force: true, reason: "survey renamed") { __typename } }`,
      ),
    ).toEqual({ setCycleScheme: { __typename: "Cycle" } });

    const page = await signIn(bench.browser, bench.stack, "admin", {
      lang: "en",
      path: `#/ballots?cycle=${cycleId}&show=tallies`,
    });
    const category = page.getByTestId("filter-category");
    const leftover = `public (not a survey in scheme v3: ${forms.length} forms)`;
    await expect.poll(() => category.locator("option").allTextContents()).toContain(leftover);
    await category.selectOption({ label: leftover });
    const open = page.getByTestId("forms-delete-open");
    await expect
      .poll(() => open.textContent())
      .toBe(`Delete the ${forms.length} survey forms these filters hold…`);
    await open.click();
    await page.getByTestId("forms-delete-confirm").click();
    await expect
      .poll(() => page.getByTestId("forms-deleted").textContent())
      .toBe(`Deleted ${forms.length} survey forms of public.`);
    // None left there: the filter lets the category go, and no longer offers it.
    await expect.poll(() => category.inputValue()).toBe("");
    await expect.poll(() => category.locator("option").allTextContents()).not.toContain(leftover);
    await expect
      .poll(() => page.getByTestId("tallies-none").textContent())
      .toBe("This cycle has no survey forms.");
    await page.context().close();
  });
});
