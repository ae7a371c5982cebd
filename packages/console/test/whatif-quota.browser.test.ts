import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildConsole,
  hasChromium,
  inCi,
  launchChromium,
  type Stack,
  signIn,
  startStack,
} from "./harness.js";

// As console.browser.test.ts: skipped where Chromium is missing, except in CI.
const run = hasChromium || inCi;
const title = hasChromium
  ? "the What-if quota knob's rounding and ties, in Chromium"
  : "the What-if quota knob's rounding and ties (SKIPPED: /usr/bin/chromium not installed; apt-get install chromium)";

describe.skipIf(!run)(title, () => {
  let stack: Stack;
  let browser: Browser;
  let built: string;

  beforeAll(async () => {
    if (!hasChromium) throw new Error("CI=true but /usr/bin/chromium is missing: .ci/run must install it");
    // A build of its own: another file's build into dist/ may be running meanwhile.
    built = await buildConsole(mkdtempSync(join(tmpdir(), "pingyi-console-")));
    [stack, browser] = await Promise.all([startStack({ consoleDir: built }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    if (built) rmSync(built, { recursive: true, force: true });
  });

  it("shows a saved scenario's quota rounding and ties on the knob, not as hidden parts, and sends them as moved", async () => {
    const quota = { percent: 20, rounding: "up", ties: "exclude" };
    const saved = await stack.gateway.gql(
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
    const page = await signIn(browser, stack, "analyst", {
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
