import { expect, it } from "vitest";
import { describeInChromium, signIn } from "./harness.js";

describeInChromium("the What-if quota knob's rounding and ties", (bench) => {
  it("shows a saved scenario's quota rounding and ties on the knob, not as hidden parts, and sends them as moved", async () => {
    const quota = { percent: 20, rounding: "up", ties: "exclude" };
    const saved = await bench.stack.gateway.gql(
      `mutation($input: SaveScenarioInput!) { saveScenario(input: $input) { __typename ... on Scenario { id } } }`,
      {
        input: {
          cycleId: "2018",
          name: "名额向上取整",
          patch: { patch: { grades: { rules: { excellent: { quota } } } } },
          shared: true,
        },
      },
      { as: "analyst" },
    );
    const id = saved.body.data.saveScenario.id as string;
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      lang: "en",
      path: `#/whatif?cycle=2018&scenario=${id}`,
    });
    const sent: unknown[] = [];
    page.on("request", (r) => {
      const body = r.postData() ?? "";
      if (body.includes("query WhatIf")) sent.push(JSON.parse(body).variables);
    });
    const rounding = page.getByTestId("knob-quota-rounding");
    await expect.poll(() => rounding.inputValue()).toBe("up");
    expect(await page.getByTestId("knob-quota-ties").inputValue()).toBe("exclude");
    expect(await page.getByTestId("whatif-hidden").count()).toBe(0);

    // Ties back to the scheme's own: the scenario run keeps the rounding only.
    await page.getByTestId("knob-quota-ties").selectOption("share");
    await expect.poll(() => JSON.stringify(sent.at(-1) ?? null)).not.toContain('"ties"');
    expect(JSON.stringify(sent.at(-1))).toContain('"quota":{"percent":20,"rounding":"up"}');
    expect(await page.getByTestId("knob-quota-rounding").locator("option").allTextContents()).toEqual([
      "rounded down",
      "rounded half-up",
      "rounded up",
    ]);
    await page.context().close();
  });
});
