import { beforeAll, expect, it } from "vitest";
import { describeInChromium, signIn } from "./harness.js";
import { publishVersions } from "./published-versions.js";

describeInChromium("withdrawing a scheme version on the Rules page", (bench) => {
  const admin = (query: string, variables: Record<string, unknown>) =>
    bench.stack.gateway.gql(query, variables, { as: "admin" }).then((r) => r.body.data);

  beforeAll(async () => {
    await publishVersions(bench.stack, "withdrawable", [100, 50], (outOf) => `out of ${outOf}`);
    await publishVersions(bench.stack, "restorable", [100, 50], (outOf) => `out of ${outOf}`);
  });

  it("publishes a withdrawn latest version's rules again as a new version, saying so, not 'nothing to publish'", async () => {
    expect(
      await admin(
        `mutation { withdrawSchemeVersion(input: { schemeId: "restorable", version: 2, reason: "withdrawn too soon" }) { __typename } }`,
        {},
      ),
    ).toEqual({ withdrawSchemeVersion: { __typename: "SchemeVersion" } });
    const page = await signIn(bench.browser, bench.stack, "admin", {
      lang: "en",
      path: "#/rules?scheme=restorable",
    });
    // The draft is version 2's rules as they were: Publish is offered, with a reason.
    await expect.poll(() => page.getByTestId("draft-json").inputValue()).toContain('"outOf": 50');
    await page.getByTestId("reason").fill("version 2's rules were right after all");
    const publish = page.getByTestId("publish");
    await expect.poll(() => publish.isDisabled()).toBe(false);
    await publish.click();
    const question = page.getByTestId("publish-confirmation");
    await expect
      .poll(() => question.locator("strong").textContent())
      .toBe("Publish version 3? What it changes against version 2:");
    expect(await page.getByTestId("publish-headlines").locator("li").allTextContents()).toEqual([
      "Version 2 was withdrawn: its rules, with what the table below changes, become version 3, on which cycles may be put.",
    ]);
    await page.getByTestId("publish-confirm").click();
    await expect.poll(() => page.getByTestId("published").textContent()).toBe("Published version 3.");
    expect(
      await admin(
        `{ schemeVersion(schemeId: "restorable") { ... on SchemeVersion { version withdrawn { at } } } }`,
        {},
      ),
    ).toEqual({ schemeVersion: { version: 3, withdrawn: null } });
    await page.context().close();
  });

  it("marks the version withdrawn with who, when and why, and no longer offers it for a new cycle", async () => {
    const page = await signIn(bench.browser, bench.stack, "admin", {
      lang: "en",
      path: "#/rules?scheme=withdrawable",
    });
    const row = (version: number) => page.locator(`[data-testid=version-row][data-version="${version}"]`);
    await expect.poll(() => row(2).count()).toBe(1);

    // A cycle put on version 1 after the page read the cycles: the gateway's refusal, as it comes,
    // names the cycle.
    expect(await row(1).getByTestId("withdraw-open").getAttribute("aria-disabled")).toBe("false");
    expect(
      await admin(
        `mutation { createCycle(input: { id: "w-2040", year: 2040, name: "2040", schemeId: "withdrawable", schemeVersion: 1 }) { __typename } }`,
        {},
      ),
    ).toEqual({ createCycle: { __typename: "Cycle" } });
    await row(1).getByTestId("withdraw-open").click();
    await page.getByTestId("withdraw-reason").fill("superseded");
    await page.getByTestId("withdraw-delete-confirm").click();
    const refused = page.getByTestId("withdraw-delete-refused");
    await expect.poll(() => refused.textContent()).toContain("Version 1 was not withdrawn: ");
    expect(await refused.textContent()).toContain("cycle 'w-2040' is on scheme 'withdrawable' version 1");
    await page.getByTestId("withdraw-delete-cancel").click();
    expect(await row(1).getAttribute("data-withdrawn")).toBe("false");
    // The cycles read again: the row names the cycle, and Withdraw, disabled, is described by it;
    // it keeps the focus Cancel gave it back, and asks nothing.
    const onIt = row(1).getByTestId("version-cycles-on");
    await expect
      .poll(() => onIt.textContent())
      .toBe(
        "Cycle 2040 · 2040 (w-2040) is on this version. To withdraw it, first move every cycle on it to another version, on the Cycles page: Move a cycle to another scheme version",
      );
    const blocked = row(1).getByTestId("withdraw-open");
    expect(await blocked.getAttribute("aria-disabled")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(
      "Withdraw version 1",
    );
    await page.keyboard.press("Enter");
    expect(await page.getByTestId("delete-question").count()).toBe(0);
    expect(await blocked.getAttribute("aria-describedby")).toBe(await onIt.getAttribute("id"));
    expect(await onIt.getByRole("link").getAttribute("href")).toBe("#/cycles");

    // No reason: said at its box, nothing sent.
    await row(2).getByTestId("withdraw-open").click();
    expect(await page.getByTestId("delete-question").textContent()).toBe(
      "Withdraw version 2 of withdrawable?",
    );
    await page.getByTestId("withdraw-delete-confirm").click();
    await expect.poll(() => page.getByTestId("withdraw-reason-problem").count()).toBe(1);
    expect(await row(2).getAttribute("data-withdrawn")).toBe("false");
    await page.getByTestId("withdraw-reason").fill("the points for public were wrong");
    await page.getByTestId("withdraw-delete-confirm").click();
    await expect.poll(() => row(2).getAttribute("data-withdrawn")).toBe("true");
    // The confirm button went with the question: the focus is on the version's mark, and it is said.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? null))
      .toBe("version-withdrawn");
    expect(await page.getByRole("status").getByTestId("version-withdrawn-status").textContent()).toBe(
      "Version 2 withdrawn.",
    );
    expect(await row(2).getByTestId("version-withdrawn").textContent()).toMatch(
      /^Withdrawn by admin-1 on .+: the points for public were wrong$/,
    );
    // Nothing more to withdraw on it; the other still offers it.
    expect(await row(2).getByTestId("withdraw-open").count()).toBe(0);
    expect(await row(1).getByTestId("withdraw-open").count()).toBe(1);

    // A new cycle: the withdrawn version listed but not offered, the latest not withdrawn the start.
    await page.goto(`${bench.stack.url}/#/cycles`);
    const schemeBox = page.getByTestId("cycle-schemeId");
    await expect.poll(() => schemeBox.locator("option[value=withdrawable]").count()).toBe(1);
    await schemeBox.selectOption("withdrawable");
    const versionBox = page.getByTestId("cycle-schemeVersion");
    await expect.poll(() => versionBox.locator("option").count()).toBe(2);
    const withdrawn = versionBox.locator("option[value='2']");
    expect(await withdrawn.isDisabled()).toBe(true);
    expect(await withdrawn.textContent()).toMatch(
      /^v2, withdrawn by admin-1 on .+: the points for public were wrong \(no cycle may be put on it\)$/,
    );
    expect(await versionBox.inputValue()).toBe("1");
    expect(await versionBox.locator("option[value='1']").textContent()).toBe("v1 (latest): out of 100");
    await page.context().close();
  });
});
