import { beforeAll, expect, it } from "vitest";
import { describeInChromium, signIn } from "./harness.js";
import { oneCategoryScheme, publishVersions } from "./published-versions.js";

describeInChromium("the Rules preview on a cycle its current version cannot score", (bench) => {
  const admin = (query: string, variables: Record<string, unknown>) =>
    bench.stack.gateway.gql(query, variables, { as: "admin" }).then((r) => r.body.data);

  beforeAll(async () => {
    // Version 2 lowers the scale to 50, below a score stored under version 1.
    await publishVersions(bench.stack, "reformed", [100, 50], () => "test");
    // A (30) and B (80), entered under version 1; then moved past the check to version 2.
    const data = await admin(
      `mutation {
        createCycle(input: { id: "2031", year: 2031, name: "2031", schemeId: "reformed", schemeVersion: 1 }) { __typename }
        a: upsertUnit(cycleId: "2031", input: { id: "A", name: "Unit A", group: "g" }) { __typename }
        b: upsertUnit(cycleId: "2031", input: { id: "B", name: "Unit B", group: "g" }) { __typename }
        sa: setScore(cycleId: "2031", unitId: "A", category: "business", value: "30") { __typename }
        sb: setScore(cycleId: "2031", unitId: "B", category: "business", value: "80") { __typename }
        setCycleScheme(cycleId: "2031", schemeId: "reformed", version: 2, force: true, reason: "the reform's data first") { __typename }
      }`,
      {},
    );
    expect(Object.values(data).map((r) => (r as { __typename: string }).__typename)).toEqual([
      "Cycle",
      "Unit",
      "Unit",
      "DirectScore",
      "DirectScore",
      "Cycle",
    ]);
  });

  it("says why there is nothing to compare with, and shows the draft's standings instead of moves", async () => {
    const page = await signIn(bench.browser, bench.stack, "admin", {
      lang: "en",
      path: "#/rules?scheme=reformed",
    });
    const draft = page.getByTestId("draft-json");
    await expect.poll(() => draft.inputValue()).toContain('"outOf": 50');
    await draft.fill(JSON.stringify(oneCategoryScheme("reformed", 100), null, 2));
    await page.getByTestId("preview-cycle").selectOption("2031");
    await page.getByTestId("preview").click();
    const noBefore = page.getByTestId("no-before");
    await expect.poll(() => noBefore.textContent()).toContain("cannot be scored under its current version");
    expect(await noBefore.textContent()).toContain(
      `cycle '2031' cannot be scored as its records stand (1 problem): score for unit "B" in category "business": 80 is outside 0–50`,
    );
    // The draft's standings, as it ranks them: no before, no move.
    const rows = page.getByTestId("impact").locator("tbody tr");
    await expect.poll(() => rows.allTextContents()).toEqual(["Unit Bg180.00", "Unit Ag230.00"]);
    expect(await page.getByTestId("impact").textContent()).not.toMatch(/[↑↓=]/);
    await page.context().close();
  });
});
