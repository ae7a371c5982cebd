import { expect, it } from "vitest";
import { describeInChromium, signIn } from "./harness.js";

describeInChromium("the What-if page's reasons for a move its parts and swaps do not explain", (bench) => {
  it("says why a unit lost its grade with its rank and total unchanged, and why another rose with no change of its own", async () => {
    // The analyst's "stricter sample": four units lose their totals, and the 30% quota of 优秀 with them.
    const saved = await bench.stack.gateway.gql(
      `mutation($input: SaveScenarioInput!) { saveScenario(input: $input) { __typename ... on Scenario { id } } }`,
      {
        input: {
          cycleId: "2018",
          name: "有效问卷不少于 247 份",
          patch: { patch: { categories: { public: { method: { minValidForms: 247 } } } } },
          shared: true,
        },
      },
      { as: "analyst" },
    );
    const id = saved.body.data.saveScenario.id as string;
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      path: `#/whatif?cycle=2018&scenario=${id}&unit=U09`,
    });
    const reasons = page.getByTestId("why-reasons");
    // 9th on both sides at 84.20, no swap, 优秀 → 良好: the quota went from 8 places to 7.
    await expect.poll(() => reasons.textContent()).toContain("等次或名次变动的原因");
    const lines = await reasons.locator("li").allTextContents();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain("良好 good: total ≥ 75");
    expect(lines[1]).toContain("8 places (30% of 29 ranked units = 8.7, rounded down) in the baseline");
    expect(lines[2]).toContain(
      "none of them above it: U04 (no total), U10 (no total), U03 (no total) and 1 more",
    );
    expect(lines[2]).toContain("所指单位：U04 市生态环境局、U10 市税务局、U03 市城市管理局");

    // 29th → 25th with no change of its own: the four above it lost their totals.
    await page.goto(`${bench.stack.url}/#/whatif?cycle=2018&scenario=${id}&unit=U13`);
    await expect.poll(() => page.getByTestId("why").locator("h2").textContent()).toContain("市教育局");
    await expect
      .poll(() => reasons.locator("li").allTextContents())
      .toEqual([expect.stringContaining("all 4 above it: U04 (no total)")]);
    await page.context().close();
  });
});
