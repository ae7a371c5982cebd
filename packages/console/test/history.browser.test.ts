import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { describeInChromium, signIn } from "./harness.js";

/** Units U01 … U12 of the cycle below, each an entry of its own. */
const UNITS = Array.from({ length: 12 }, (_, i) => `U${String(i + 1).padStart(2, "0")}`);

describeInChromium("the History page (操作记录)", (bench) => {
  beforeAll(async () => {
    // A cycle of 15 entries: its creation, its group's, twelve units', and one unit renamed.
    const units = UNITS.map(
      (u) =>
        `${u}: upsertUnit(cycleId: "hist-2041", input: { id: "${u}", name: "unit ${u}", group: "law-enforcement" }) { __typename }`,
    ).join("\n");
    const r = await bench.stack.gateway.gql(
      `mutation {
        createCycle(input: { id: "hist-2041", year: 2041, name: "history 2041", schemeId: "city-review", schemeVersion: 2 }) { __typename }
        ${units}
        renamed: upsertUnit(cycleId: "hist-2041", input: { id: "U03", name: "市审批局", group: "law-enforcement" }) { __typename }
      }`,
      {},
      { as: "admin", subject: "ann" },
    );
    expect(Object.values(r.body.data).map((v) => (v as { __typename: string }).__typename)).toEqual([
      "Cycle",
      ...UNITS.map(() => "Unit"),
      "Unit",
    ]);
  });

  const entries = (page: Page) => page.locator("[data-testid=audit-list] tbody tr[data-entry]");
  const whats = (page: Page) => entries(page).locator("[data-testid=audit-what]").allTextContents();
  const whiches = (page: Page) => entries(page).locator("td:nth-child(4)").allTextContents();

  it("lets an administrator narrow the log, page through it and open an entry to what it changed", async () => {
    const page = await signIn(bench.browser, bench.stack, "admin", { lang: "en", path: "#/cycles" });
    // The queries the list sends: none asks for the records an entry keeps.
    const listed: string[] = [];
    page.on("request", (req) => {
      const body = req.postData();
      if (body?.includes("query History")) listed.push(JSON.parse(body).query);
    });
    // From the cycle's row on the Cycles page, to its history.
    await page.getByRole("link", { name: "History of cycle hist-2041" }).click();
    await expect
      .poll(() => page.locator("header nav a[aria-current=page]").allTextContents())
      .toEqual(["History"]);
    expect(await page.getByTestId("history-cycle").inputValue()).toBe("hist-2041");
    await expect.poll(() => entries(page).count()).toBe(15);
    expect((await whats(page)).slice(0, 2)).toEqual(["update · unit", "create · unit"]);
    expect(await page.getByTestId("audit-count").textContent()).toBe("15 entries.");
    // When: local time, the instant itself kept for whoever compares it with a server's log.
    expect(await entries(page).first().locator("time").getAttribute("title")).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/,
    );

    // Ten a page: the newest ten, then the five older, and back; the button pressed keeps the focus.
    await page.getByTestId("history-rows").selectOption("10");
    await expect.poll(() => entries(page).count()).toBe(10);
    expect(await page.getByTestId("audit-count").textContent()).toBe(
      "The 10 newest entries; older ones are on the next pages.",
    );
    expect(await page.getByTestId("audit-prev").isDisabled()).toBe(true);
    await page.getByTestId("audit-next").click();
    await expect.poll(() => whiches(page)).toEqual(["U03", "U02", "U01", "law-enforcement", "hist-2041"]);
    expect(await page.getByTestId("audit-count").textContent()).toMatch(/^5 older entries, .+ back to .+\.$/);
    expect(page.url()).toMatch(/[?&]after=/);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid")))
      .toBe("audit-prev");
    await page.keyboard.press("Enter");
    await expect.poll(() => entries(page).count()).toBe(10);
    expect(await whiches(page)).toEqual([
      "U03",
      "U12",
      "U11",
      "U10",
      "U09",
      "U08",
      "U07",
      "U06",
      "U05",
      "U04",
    ]);
    // Back at the newest: Previous is off, and Next has the focus.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid")))
      .toBe("audit-next");

    // Only updates: the renaming, opened under its row to the field it changed.
    await page.getByTestId("history-action-update").check();
    await expect.poll(() => entries(page).count()).toBe(1);
    expect(page.url()).toContain("actions=update");
    const open = entries(page).getByTestId("audit-open");
    expect(await open.getAttribute("aria-expanded")).toBe("false");
    await open.click();
    const panel = page.getByTestId("audit-entry");
    await expect
      .poll(() => panel.getByTestId("audit-change").textContent())
      .toBe("1 field changed. 2 other fields unchanged.");
    expect(await open.getAttribute("aria-expanded")).toBe("true");
    expect(await panel.getByTestId("audit-diff").locator("tbody td").allTextContents()).toEqual([
      "name",
      "unit U03",
      "市审批局",
    ]);
    // The whole entry, unfolded, is the one opened.
    await panel.getByTestId("audit-whole").locator("summary").click();
    expect(JSON.parse((await panel.getByTestId("audit-whole").locator("pre").textContent())!)).toMatchObject({
      action: "update",
      entity: "unit",
      entityId: "U03",
      actor: "ann",
      before: { name: "unit U03" },
      after: { name: "市审批局" },
    });
    // Escape closes it, and the focus is back on the button that opened it.
    await panel.getByTestId("audit-close").focus();
    await page.keyboard.press("Escape");
    await expect.poll(() => panel.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("audit-open");

    // A unit's whole history by its id, typed; a day range that holds none of it says so.
    await page.getByTestId("history-action-update").uncheck();
    await page.getByTestId("history-entityId").fill("U03");
    await page.getByTestId("history-entityId").press("Enter");
    await expect.poll(() => whats(page)).toEqual(["update · unit", "create · unit"]);
    await page.getByTestId("history-from").fill("2999-01-01");
    await page.getByTestId("history-apply").click();
    await expect
      .poll(() => page.getByTestId("audit-none").textContent())
      .toBe("No entry passes these filters.");

    // The link is the filters: opened again (shared, bookmarked), it shows the same.
    await page.getByTestId("history-from").fill("");
    await page.getByTestId("history-apply").click();
    await expect.poll(() => entries(page).count()).toBe(2);
    const link = page.url();
    await page.reload();
    expect(page.url()).toBe(link);
    await expect.poll(() => whats(page)).toEqual(["update · unit", "create · unit"]);
    expect(await page.getByTestId("history-entityId").inputValue()).toBe("U03");
    expect(await page.getByTestId("history-cycle").inputValue()).toBe("hist-2041");

    expect(listed.length).toBeGreaterThan(5);
    for (const query of listed) expect(/node \{([^}]*)\}/.exec(query)![1]).not.toMatch(/\b(before|after)\b/);
    await page.context().close();
  });

  it("is not offered to a viewer or an analyst, and refused to them by link", async () => {
    for (const role of ["viewer", "analyst"] as const) {
      const page = await signIn(bench.browser, bench.stack, role, {
        lang: "en",
        path: "#/history?cycle=hist-2041",
      });
      await expect
        .poll(() => page.getByTestId("refused").textContent())
        .toBe(`Your role (${role}) may not open this page; it needs administrator.`);
      expect(await page.locator("header nav a").allTextContents()).not.toContain("History");
      await page.context().close();
    }
  });
});
