import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expireSession } from "./expired-session.js";
import {
  buildConsole,
  hasChromium,
  inCi,
  launchChromium,
  type Stack,
  signInAgain,
  startStack,
} from "./harness.js";
import { SignedInTabs } from "./signed-in-tabs.js";

// As console.browser.test.ts: skipped where Chromium is missing, except in CI.
const run = hasChromium || inCi;
const title = hasChromium
  ? "console accessibility in Chromium"
  : "console accessibility in Chromium (SKIPPED: /usr/bin/chromium not installed; apt-get install chromium)";

/** Whether `element` has the focus. */
const hasFocus = (element: Locator) => element.evaluate((el) => el === document.activeElement);

/**
 * Marks the page's live regions (role=status) as they are now. A message that then appears inside
 * one of them is announced by screen readers; one mounted together with its region often is not.
 */
const markLiveRegions = (page: Page) =>
  page.evaluate(() => {
    for (const region of document.querySelectorAll("[role=status]")) region.setAttribute("data-marked", "");
  });

/** Whether `message` is inside a live region that was there when markLiveRegions ran. */
const inMarkedRegion = (message: Locator) =>
  message.evaluate((el) => el.closest("[role=status]")?.hasAttribute("data-marked") ?? false);

/** The text of what `element`'s aria-describedby names. */
const description = async (page: Page, element: Locator) => {
  const ids = (await element.getAttribute("aria-describedby")) ?? "";
  const texts = await Promise.all(
    ids
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  return texts.join(" ");
};

/**
 * The headings a screen reader lists, in the page's order, as "h<level> <text>": the hidden ones
 * (a closed panel's) are not read, and an aria-level counts as the reader counts it.
 */
const headings = (page: Page) =>
  page
    .getByRole("heading")
    .evaluateAll((all) =>
      all.map((h) => `h${h.getAttribute("aria-level") ?? h.tagName.slice(1)} ${h.textContent ?? ""}`),
    );

/** Each heading more than one level below the one before it (an h3 straight under the h1). */
const skippedLevels = (outline: string[]) =>
  outline.filter((h, i) => Number(h.slice(1, 2)) > (i === 0 ? 1 : Number(outline[i - 1]!.slice(1, 2)) + 1));

describe.skipIf(!run)(title, () => {
  let stack: Stack;
  let browser: Browser;
  let tabs: SignedInTabs;
  // Built apart from dist/: console.browser.test.ts builds there, maybe at the same time, and a
  // build empties its directory before writing it.
  const dist = mkdtempSync(join(tmpdir(), "pingyi-console-a11y-"));

  beforeAll(async () => {
    if (!hasChromium) throw new Error("CI=true but /usr/bin/chromium is missing: .ci/run must install it");
    await buildConsole(dist);
    [stack, browser] = await Promise.all([startStack({ consoleDir: dist }), launchChromium()]);
    tabs = new SignedInTabs(browser, stack);
  });
  afterEach(() => tabs?.closeLent());
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const rankingRow = (page: Page, unit: string) =>
    page.locator(`[data-testid=ranking-table] tbody tr[data-unit=${unit}]`);

  it("puts the focus on the box a refused write names, whose description says what is wrong, and announces what was recorded", async () => {
    const page = await tabs.open("admin", { lang: "en", path: "#/events?cycle=2018" });
    try {
      await page.getByTestId("veto-form").waitFor();
      await page.getByTestId("veto-reason").fill("a11y: 重大责任事故");
      const submit = page.getByTestId("veto-submit");
      await submit.focus();
      await page.keyboard.press("Enter");
      const unit = page.getByTestId("veto-unitId");
      await page.getByTestId("veto-unitId-problem").waitFor();
      await expect.poll(() => hasFocus(unit)).toBe(true);
      expect(await unit.getAttribute("aria-invalid")).toBe("true");
      expect(await description(page, unit)).toContain(
        await page.getByTestId("veto-unitId-problem").textContent(),
      );

      // Recorded: the focus stays on the button pressed, and the note is said in a region that was there.
      await unit.selectOption("U01");
      await markLiveRegions(page);
      await submit.focus();
      await page.keyboard.press("Enter");
      const recorded = page.getByTestId("veto-recorded");
      await expect.poll(() => recorded.textContent()).toMatch(/^Veto V-1 recorded/);
      expect(await inMarkedRegion(recorded)).toBe(true);
      await expect.poll(() => hasFocus(submit)).toBe(true);

      // Cycles → Create with its boxes empty: the gateway names the id first.
      await page.goto(`${stack.url}/#/cycles`);
      const create = page.getByTestId("cycle-create");
      await create.waitFor();
      const createSubmit = page.getByTestId("cycle-submit");
      await createSubmit.focus();
      await page.keyboard.press("Enter");
      await page.getByTestId("cycle-id-problem").waitFor();
      await expect.poll(() => hasFocus(page.getByTestId("cycle-id"))).toBe(true);
      expect(await description(page, page.getByTestId("cycle-id"))).toContain("must not be empty");

      // A year the console itself refuses, before anything is sent: the focus goes to it too.
      await page.getByTestId("cycle-id").fill("a11y-2041");
      await page.getByTestId("cycle-name").fill("2041年度");
      await page.getByTestId("cycle-year").fill("");
      await createSubmit.focus();
      await page.keyboard.press("Enter");
      await page.getByTestId("cycle-year-problem").waitFor();
      await expect.poll(() => hasFocus(page.getByTestId("cycle-year"))).toBe(true);

      await page.getByTestId("cycle-year").fill("2041");
      await markLiveRegions(page);
      await createSubmit.focus();
      await page.keyboard.press("Enter");
      const done = page.getByTestId("cycle-create-done");
      await expect.poll(() => done.textContent()).toContain("a11y-2041");
      expect(await inMarkedRegion(done)).toBe(true);
      await expect.poll(() => hasFocus(createSubmit)).toBe(true);
    } finally {
      await tabs.putBack(page);
    }
  });

  it("ties a refused sign-in to the token box and puts the focus there, as after a session that ended", async () => {
    const context = await browser.newContext({ locale: "en" });
    const page = await context.newPage();
    try {
      await page.goto(`${stack.url}/`);
      await expect.poll(() => page.title()).toBe("Sign in · Pingyi console");
      const token = page.locator("textarea[name=token]");
      const submit = page.locator("form.login button[type=submit]");
      await token.fill("not a token");
      await submit.focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => hasFocus(token)).toBe(true);
      expect(await token.getAttribute("aria-invalid")).toBe("true");
      expect(await description(page, token)).toContain("This is not a Pingyi token");

      // A token of the right shape that the gateway refuses (signed by another secret).
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
      await token.fill(`${part({ alg: "HS256" })}.${part({ role: "admin", sub: "x" })}.c2lnbmF0dXJl`);
      await submit.focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => description(page, token)).toContain("The gateway refused this token");
      await expect.poll(() => hasFocus(token)).toBe(true);
      expect(await token.getAttribute("aria-invalid")).toBe("true");

      // Signed in, then the gateway says the session is over: the sign-in screen takes the focus.
      await signInAgain(page, await stack.gateway.token("viewer", "viewer-1"));
      await page.getByTestId("role").waitFor();
      const leave = () => page.evaluate(() => (location.hash = "#/events?cycle=2018"));
      await expireSession(page, leave, "Your session ended");
      await expect.poll(() => description(page, token)).toContain("Your session ended");
      expect(await page.title()).toBe("Sign in · Pingyi console");
      await expect.poll(() => hasFocus(token)).toBe(true);
      // Nothing is wrong with the box itself: it is empty, waiting for a new token.
      expect(await token.getAttribute("aria-invalid")).toBeNull();
    } finally {
      await context.close();
    }
  });

  it("keeps the focus on Previous or Next as a list pages, described by which page is shown", async () => {
    const page = await tabs.open("viewer", {
      lang: "en",
      path: "#/findings?cycle=2019&rows=10",
    });
    try {
      const count = page.getByTestId("findings-count");
      await expect.poll(() => count.textContent()).toBe("19 findings · page 1 of 2 (rows 1–10)");
      await page.getByTestId("findings-next").focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => count.textContent()).toBe("19 findings · page 2 of 2 (rows 11–19)");
      // Next is disabled on the last page: Previous takes the focus.
      const prev = page.getByTestId("findings-prev");
      await expect.poll(() => hasFocus(prev)).toBe(true);
      expect(await description(page, prev)).toBe("19 findings · page 2 of 2 (rows 11–19)");

      await page.keyboard.press("Enter");
      await expect.poll(() => count.textContent()).toBe("19 findings · page 1 of 2 (rows 1–10)");
      const next = page.getByTestId("findings-next");
      await expect.poll(() => hasFocus(next)).toBe(true);
      expect(await description(page, next)).toBe("19 findings · page 1 of 2 (rows 1–10)");
    } finally {
      await tabs.putBack(page);
    }
  });

  it("brings the focus back to the row a breakdown or a comparison was opened from, and marks the selected row and the current page", async () => {
    const page = await tabs.open("analyst", { lang: "en", path: "#/rankings?cycle=2018" });
    try {
      const u09 = rankingRow(page, "U09");
      await expect.poll(() => u09.textContent()).toContain("84.20");
      expect(await page.locator("header nav a[aria-current=page]").allTextContents()).toEqual(["Rankings"]);
      // The compare column is named by words, not by its glyph alone.
      expect(
        await page
          .getByTestId("ranking-table")
          .getByRole("columnheader", { name: "Compare", exact: true })
          .count(),
      ).toBe(1);

      await u09.focus();
      await page.keyboard.press("Enter");
      const panel = page.getByTestId("unit-panel");
      await expect.poll(() => panel.locator("h2").count()).toBe(1);
      expect(await u09.getAttribute("aria-current")).toBe("true");
      expect(await page.locator("[data-testid=ranking-table] tr[aria-current]").count()).toBe(1);
      await panel.getByRole("button", { name: "Close" }).click();
      await expect.poll(() => panel.count()).toBe(0);
      await expect.poll(() => hasFocus(u09)).toBe(true);
      expect(await u09.getAttribute("aria-current")).toBeNull();

      const u26 = rankingRow(page, "U26");
      await u09.locator("input[type=checkbox]").check();
      await u26.locator("input[type=checkbox]").check();
      const compare = page.getByTestId("compare-panel");
      await expect.poll(() => compare.textContent()).toContain("-4.42");
      await compare.getByRole("button", { name: "Close" }).click();
      await expect.poll(() => compare.count()).toBe(0);
      await expect.poll(() => hasFocus(u26)).toBe(true);

      await page.getByTestId("lang").selectOption("zh-CN");
      expect(
        await page
          .getByTestId("ranking-table")
          .getByRole("columnheader", { name: "对比", exact: true })
          .count(),
      ).toBe(1);
      await page.locator("header nav a", { hasText: "问题整改" }).click();
      await expect
        .poll(() => page.locator("header nav a[aria-current=page]").allTextContents())
        .toEqual(["问题整改"]);
    } finally {
      await tabs.putBack(page);
    }
  });

  it("brings the focus back to a finding's rectification button when its editor is cancelled, closed with Escape or saved", async () => {
    const page = await tabs.open("admin", { lang: "en", path: "#/findings?cycle=2019&rows=25" });
    try {
      const row = page.locator("tr[data-finding=F2019-004]");
      const edit = row.getByTestId("finding-edit");
      const editor = page.getByTestId("rect-form");
      await edit.click();
      await page.getByTestId("rect-cancel").click();
      await expect.poll(() => editor.count()).toBe(0);
      expect(await hasFocus(edit)).toBe(true);

      await edit.click();
      await page.getByTestId("rect-deadline").focus();
      await page.keyboard.press("Escape");
      await expect.poll(() => editor.count()).toBe(0);
      expect(await hasFocus(edit)).toBe(true);

      // Refused at a box: the focus goes to it, and no alert is added (the box's description says it).
      await edit.press("Enter");
      await page.getByTestId("rect-deadline").fill("2019-02-30");
      await page.getByTestId("rect-save").focus();
      await page.keyboard.press("Enter");
      await page.getByTestId("rect-deadline-problem").waitFor();
      await expect.poll(() => hasFocus(page.getByTestId("rect-deadline"))).toBe(true);
      expect(await editor.getByRole("alert").count()).toBe(0);

      await page.getByTestId("rect-deadline").fill("2019-12-31");
      await markLiveRegions(page);
      await page.getByTestId("rect-save").click();
      const saved = page.getByTestId("findings-saved");
      await expect.poll(() => saved.textContent()).toContain("F2019-004");
      expect(await inMarkedRegion(saved)).toBe(true);
      await expect.poll(() => hasFocus(edit)).toBe(true);
    } finally {
      await tabs.putBack(page);
    }
  });

  it("closes a ballot's correction on Escape, and gives the focus back to its button then and once it is saved", async () => {
    const page = await tabs.open("admin", { lang: "en", path: "#/ballots?cycle=2019&unit=U09" });
    try {
      const row = page.locator("tr[data-unit=U09][data-voter=member-1]").first();
      const edit = row.getByTestId("ballot-edit");
      await edit.click();
      const form = page.getByTestId("edit-form");
      await page.getByTestId("edit-score").focus();
      await page.keyboard.press("Escape");
      await expect.poll(() => form.count()).toBe(0);
      expect(await hasFocus(edit)).toBe(true);

      await edit.click();
      await markLiveRegions(page);
      await page.getByTestId("edit-submit").click();
      const saved = page.getByTestId("ballots-saved");
      await expect.poll(() => saved.textContent()).toContain("member-1");
      expect(await inMarkedRegion(saved)).toBe(true);
      await expect.poll(() => hasFocus(edit)).toBe(true);
    } finally {
      await tabs.putBack(page);
    }
  });

  it("names the what-if page's name box and change columns, marks the selected row, and keeps the focus on Save, announcing the link", async () => {
    const page = await tabs.open("analyst", { lang: "en", path: "#/whatif?cycle=2018" });
    try {
      const table = page.getByTestId("whatif-table");
      await expect.poll(() => table.locator("tbody tr").count()).toBe(29);
      expect(await table.getByRole("columnheader", { name: "Rank change", exact: true }).count()).toBe(1);
      expect(await table.getByRole("columnheader", { name: "Total change", exact: true }).count()).toBe(1);
      const row = table.locator("tr[data-unit=U09]");
      await row.focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => row.getAttribute("aria-current")).toBe("true");
      expect(await table.locator("tr[aria-current]").count()).toBe(1);

      const name = page.getByLabel("Scenario name", { exact: true });
      expect(await name.getAttribute("data-testid")).toBe("scenario-name");
      await name.fill("a11y 情景");
      await markLiveRegions(page);
      const save = page.getByTestId("save");
      await save.focus();
      await page.keyboard.press("Enter");
      const link = page.getByTestId("share-link");
      await link.waitFor();
      expect(await inMarkedRegion(link)).toBe(true);
      await expect.poll(() => hasFocus(save)).toBe(true);

      // A refused save is no load: it offers nothing to try again.
      await save.click();
      const alert = page.getByRole("alert");
      await expect.poll(() => alert.textContent()).toContain("already have a scenario named");
      expect(await alert.getByRole("button").count()).toBe(0);

      await page.getByTestId("lang").selectOption("zh-CN");
      expect(await page.getByLabel("情景名称", { exact: true }).getAttribute("data-testid")).toBe(
        "scenario-name",
      );
      expect(await table.getByRole("columnheader", { name: "名次变化", exact: true }).count()).toBe(1);
      expect(await table.getByRole("columnheader", { name: "总分变化", exact: true }).count()).toBe(1);
    } finally {
      await tabs.putBack(page);
    }
  });

  it("heads the Year-on-year page with its name, and names its table by a caption", async () => {
    const page = await tabs.open("analyst", { lang: "en", path: "#/yoy?before=2018&cycle=2019" });
    try {
      const table = page.getByTestId("yoy-table");
      await expect.poll(() => table.locator("tbody tr").count()).toBe(29);
      expect(await page.getByRole("heading", { level: 1 }).allTextContents()).toEqual(["Year on year"]);
      const named = page.getByRole("table", {
        name: "2018 → 2019: the units both cycles hold, by their rank in 2019",
        exact: true,
      });
      expect(await named.getAttribute("data-testid")).toBe("yoy-table");
      await page.getByTestId("lang").selectOption("zh-CN");
      expect(await page.getByRole("heading", { level: 1 }).allTextContents()).toEqual(["同比"]);
      expect(await table.locator("caption").textContent()).toBe(
        "2018 → 2019：两个周期都有的单位，按 2019 名次排列",
      );
    } finally {
      await tabs.putBack(page);
    }
  });

  it("heads every page of the menu with the menu's word for it (h1), levels unskipped below, and names the tab after it", async () => {
    // The menu carries 2019 to the pages of one cycle: Year on year compares it with 2018.
    const page = await tabs.open("admin", { lang: "en", path: "#/rankings?cycle=2019" });
    // What shows each page has drawn its sections, and with them their headings.
    const drawn: Record<string, string> = {
      rankings: "ranking-table",
      events: "veto-form",
      findings: "findings-count",
      ballots: "ballot-form",
      whatif: "whatif-table",
      yoy: "yoy-table",
      robustness: "mc-table",
      rules: "history",
      cycles: "cycle-create",
      imports: "import-upload",
      history: "audit-list",
    };
    try {
      const links = page.locator("header nav a");
      const brand = (await page.locator("header .brand").textContent()) ?? "";
      expect(brand).toBe("Pingyi console");
      const words = await links.allTextContents();
      expect(words).toHaveLength(Object.keys(drawn).length);
      const misheaded: string[] = [];
      for (const [i, word] of words.entries()) {
        await links.nth(i).click();
        const name = new URL(page.url()).hash.replace(/^#\/?/, "").split("?")[0]!;
        await page
          .getByTestId(drawn[name] ?? `${name}: a page this test does not know`)
          .first()
          .waitFor();
        const outline = await headings(page);
        const h1s = outline.filter((h) => h.startsWith("h1 "));
        if (h1s.length !== 1 || h1s[0] !== `h1 ${word}` || outline[0] !== `h1 ${word}`)
          misheaded.push(`${name}: ${h1s.join(" | ") || "no h1"}`);
        for (const h of skippedLevels(outline)) misheaded.push(`${name}: skipped to ${h}`);
        // A section headed as its page is ("Cycles" under "Cycles") says nothing a list of headings can use.
        for (const h of outline.slice(1))
          if (h.replace(/^h\d /, "") === word) misheaded.push(`${name}: ${h} repeats the page's heading`);
        await expect.poll(() => page.title()).toBe(`${word} · ${brand}`);
      }
      expect(misheaded).toEqual([]);

      // The page's language, on the page shown and on the next.
      await page.getByTestId("lang").selectOption("zh-CN");
      await expect.poll(() => page.title()).toBe("操作记录 · 评议 控制台");
      expect(await page.getByRole("heading", { level: 1 }).allTextContents()).toEqual(["操作记录"]);
      await links.first().click();
      await expect.poll(() => page.title()).toBe("排名 · 评议 控制台");
      expect(await page.getByRole("heading", { level: 1 }).allTextContents()).toEqual(["排名"]);
    } finally {
      await tabs.putBack(page);
    }
  });

  it("names the publish reason by a label, and announces a draft accepted and a version published", async () => {
    const page = await tabs.open("admin", { lang: "en", path: "#/rules?scheme=city-review" });
    try {
      const draft = page.getByTestId("draft-json");
      await expect.poll(() => draft.inputValue()).toContain('"id": "city-review"');
      await draft.fill((await draft.inputValue()).replace(/"points": 50/, '"points": 45'));
      await page.getByTestId("preview-cycle").selectOption("2019");
      await markLiveRegions(page);
      await page.getByTestId("preview").click();
      await expect.poll(() => page.getByTestId("impact").locator("tbody tr").count()).toBe(29);
      expect(await inMarkedRegion(page.getByText("The server accepted the draft."))).toBe(true);

      const reason = page.getByLabel("Reason for the change");
      expect(await reason.getAttribute("data-testid")).toBe("reason");
      await reason.fill("a11y: 公众评议 50 → 45");
      await page.getByTestId("publish").click();
      // Asked first: the focus starts on going back, so Enter publishes nothing.
      await expect.poll(() => hasFocus(page.getByTestId("publish-back"))).toBe(true);
      await markLiveRegions(page);
      await page.getByTestId("publish-confirm").click();
      const published = page.getByTestId("published");
      await expect.poll(() => published.textContent()).toMatch(/^Published version \d+\.$/);
      expect(await inMarkedRegion(published)).toBe(true);
      // Publish waits for the next reason: the focus goes back to its box, not to the page.
      await expect.poll(() => hasFocus(reason)).toBe(true);

      await page.getByTestId("lang").selectOption("zh-CN");
      expect(await page.getByLabel("修改理由").getAttribute("data-testid")).toBe("reason");
    } finally {
      await tabs.putBack(page);
    }
  });

  it("words a failure the gateway says nothing more of as the sign-in screen does, and reads the page again on Try again", async () => {
    const page = await tabs.open("viewer", { lang: "en", path: "#/rankings?cycle=2018" });
    try {
      await expect.poll(() => rankingRow(page, "U09").count()).toBe(1);
      let reply: "html" | "masked" | "through" = "html";
      await page.route("**/graphql", (route) => {
        if (reply === "through" || !(route.request().postData() ?? "").includes("query Ranking"))
          return route.continue();
        return reply === "html"
          ? route.fulfill({ status: 500, contentType: "text/html", body: "<h1>Internal Server Error</h1>" })
          : route.fulfill({
              json: {
                errors: [{ message: "Unexpected error.", extensions: { code: "INTERNAL_SERVER_ERROR" } }],
              },
            });
      });
      const unknown =
        "Error: Something unexpected went wrong. Try again; if it keeps happening, contact support.";
      const alert = page.getByRole("alert");
      await page.evaluate(() => {
        location.hash = "#/rankings?cycle=2019";
      });
      await expect.poll(() => alert.textContent()).toContain(unknown);
      // The reply's own words stay for support, as the sign-in screen keeps them.
      expect(await alert.getAttribute("title")).toBe("HTTP 500");

      reply = "masked";
      await alert.getByRole("button", { name: "Try again" }).click();
      await expect.poll(() => alert.getAttribute("title")).toBe("Unexpected error.");
      expect(await alert.textContent()).toContain(unknown);

      reply = "through";
      await alert.getByRole("button", { name: "Try again" }).click();
      await expect.poll(() => rankingRow(page, "U09").count()).toBe(1);
      expect(await alert.count()).toBe(0);

      // In Chinese too.
      reply = "html";
      await page.getByTestId("lang").selectOption("zh-CN");
      await page.evaluate(() => {
        location.hash = "#/rankings?cycle=2018";
      });
      await expect
        .poll(() => alert.textContent())
        .toContain("错误: 发生了意外错误。请重试；如果问题持续，请联系技术支持。");
      expect(await alert.getByRole("button", { name: "重试" }).count()).toBe(1);
    } finally {
      await tabs.putBack(page);
    }
  });
});
