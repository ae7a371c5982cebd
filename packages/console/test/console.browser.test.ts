import { readFileSync } from "node:fs";
import { strFromU8, unzipSync } from "fflate";
import type { Browser, Locator, Page, Route } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KIND_SPECS } from "../../gateway/src/import/index.js";
import { EXAMPLE_DIR, loadDataset } from "../../gateway/src/seed.js";
import { expireSession } from "./expired-session.js";
import {
  buildConsole,
  hasChromium,
  inCi,
  launchChromium,
  type Stack,
  signIn,
  signInAgain,
  startStack,
} from "./harness.js";
import { SignedInTabs } from "./signed-in-tabs.js";

// Outside CI a machine without Chromium skips these; in CI that would hide the console's only
// tests, so there it fails instead.
const run = hasChromium || inCi;
const title = hasChromium
  ? "console in Chromium"
  : "console in Chromium (SKIPPED: /usr/bin/chromium not installed; apt-get install chromium)";

describe.skipIf(!run)(title, () => {
  let stack: Stack;
  let browser: Browser;
  let tabs: SignedInTabs;
  /**
   * The 2019 example's records in a cycle: finaliseCycle refuses a year in which no unit has a
   * total. `scoresOnly` leaves out its findings, vetoes and bonuses, for a test that lists its own.
   */
  const withRecords = (cycleId: string, scoresOnly = false) => {
    const read = (f: string) => JSON.parse(readFileSync(`${EXAMPLE_DIR}/${f}`, "utf8"));
    const dataset = read("dataset-2019.json");
    const records = scoresOnly ? { ...dataset, findings: [], vetoEvents: [], bonusEvents: [] } : dataset;
    return loadDataset(stack.gateway.store, cycleId, read("scheme-2019.json"), records);
  };

  /** Finalises a cycle through the gateway, as another tab or administrator would. */
  const finaliseByGateway = async (cycleId: string) => {
    const finalised = await stack.gateway.gql(
      `mutation { finaliseCycle(cycleId: "${cycleId}") { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(finalised.body.data.finaliseCycle.__typename).toBe("Cycle");
  };

  beforeAll(async () => {
    if (!hasChromium) throw new Error("CI=true but /usr/bin/chromium is missing: .ci/run must install it");
    await buildConsole();
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    tabs = new SignedInTabs(browser, stack);
  });
  afterEach(() => tabs?.closeLent());
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const rows = (page: Page) => page.locator("[data-testid=ranking-table] tbody tr[data-unit]");
  /** The menu's link to `name`, whatever cycle it carries. */
  const menuLink = (page: Page, name: string) =>
    page.locator(`header nav a[href="#/${name}"], header nav a[href^="#/${name}?"]`);
  /**
   * The keys the tab holds of someone's work (drafts, settings): all but the session's token, whose
   * session the drafts are, and the cycle the menu carries, which a link names as well.
   */
  const keptWork = (page: Page) =>
    page.evaluate(() =>
      Object.keys(sessionStorage).filter(
        (k) => !["pingyi.token", "pingyi.drafts.owner", "pingyi.menu.cycle"].includes(k),
      ),
    );

  /**
   * Publishes city-review's latest document as version 1 of a new scheme. Each test that needs a
   * second scheme makes its own, under its own id, so it passes alone and in any order.
   */
  const publishCopy = async (schemeId: string, reason: string) => {
    const latest = await stack.gateway.gql(
      `{ schemeVersion(schemeId: "city-review") { ... on SchemeVersion { document } } }`,
      {},
      { as: "admin" },
    );
    await publishVersion(
      schemeId,
      null,
      { ...latest.body.data.schemeVersion.document, id: schemeId },
      reason,
    );
  };

  /** Publishes `document` as the version after `basedOn` (null: the first) of `schemeId`, through the gateway. */
  const publishVersion = async (
    schemeId: string,
    basedOn: number | null,
    document: object,
    reason: string,
    who: { as: "admin"; subject?: string } = { as: "admin" },
  ) => {
    const published = await stack.gateway.gql(
      `mutation($input: PublishSchemeInput!) { publishSchemeVersion(input: $input) { __typename } }`,
      // A new scheme here is a deliberate copy of city-review's rules under its own id, which the
      // gateway refuses as a likely mistake unless newScheme confirms it.
      { input: { schemeId, basedOn, document, reason, ...(basedOn === null ? { newScheme: true } : {}) } },
      who,
    );
    expect(published.body.data.publishSchemeVersion.__typename).toBe("SchemeVersion");
  };

  it("shows an analyst the ranking, a unit's breakdown and a comparison", async () => {
    const page = await tabs.open("analyst");
    await expect.poll(() => page.getByTestId("role").textContent()).toContain("分析员");
    await page.getByTestId("cycle").selectOption("2018");
    await expect.poll(() => rows(page).count()).toBe(29);
    const u09 = page.locator("tr[data-unit=U09]");
    await expect.poll(() => u09.textContent()).toContain("84.20");
    expect(await u09.locator("td").nth(1).textContent()).toBe("9");

    await u09.click();
    const panel = page.getByTestId("unit-panel");
    await expect
      .poll(() => panel.getByTestId("trace").textContent())
      .toContain("26.40 + 26.94 + 30.86 = 84.20");
    expect(page.url()).toContain("unit=U09");

    await u09.locator("input[type=checkbox]").check();
    await page.locator("tr[data-unit=U26] input[type=checkbox]").check();
    const compare = page.getByTestId("compare-panel");
    await expect.poll(() => compare.textContent()).toContain("市行政审批服务局");
    expect(await compare.textContent()).toContain("-4.42");

    // Switching language changes the chrome, not the data.
    await page.getByTestId("lang").selectOption("en");
    await expect.poll(() => page.getByTestId("role").textContent()).toContain("analyst");
    expect(await page.locator("th").nth(1).textContent()).toBe("Rank");
    await tabs.putBack(page);
  });

  it("keeps a cycle picked the moment the list appears, before the default is written to the URL", async () => {
    const page = await signIn(browser, stack, "viewer");
    // Picks 2018 in the microtask after React puts the options in: before React's effects of that
    // render run, which is where a loaded machine's user lands when they pick at once.
    await page.context().addInitScript(() => {
      let picked = false;
      new MutationObserver(() => {
        const select = document.querySelector<HTMLSelectElement>("select[data-testid=cycle]");
        if (picked || !select?.querySelector("option[value='2018']")) return;
        picked = true;
        select.value = "2018";
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }).observe(document, { childList: true, subtree: true });
    });
    await page.evaluate(() => history.replaceState(null, "", "#/rankings"));
    await page.reload();
    await expect.poll(() => page.locator("tr[data-unit=U09]").textContent()).toContain("84.20");
    expect(page.url()).toContain("cycle=2018");
    expect(await page.getByTestId("cycle").inputValue()).toBe("2018");
    await page.context().close();
  });

  it("exports the ranking as CSV (UTF-8 with BOM) and XLSX", async () => {
    const page = await tabs.open("viewer", { path: "#/rankings?cycle=2018" });
    await expect.poll(() => rows(page).count()).toBe(29);

    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    expect(csv.suggestedFilename()).toBe("ranking-2018.csv");
    const bytes = readFileSync((await csv.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString("utf8").slice(1).split("\r\n");
    expect(lines[0]).toBe(
      "可比组,名次,单位,业务工作 business work,机关建设 organ construction,开门评议 public evaluation,总分,等次,标记",
    );
    expect(lines).toContain(
      "执法监管部门 law enforcement and regulation,9,市市场监督管理局,26.40,26.94,30.86,84.20,优秀 excellent,",
    );
    expect(lines.filter(Boolean)).toHaveLength(30);

    const [xlsx] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("export-xlsx").click(),
    ]);
    expect(xlsx.suggestedFilename()).toBe("ranking-2018.xlsx");
    const files = unzipSync(readFileSync((await xlsx.path())!));
    const sheet = strFromU8(files["xl/worksheets/sheet1.xml"]!);
    const strings = strFromU8(files["xl/sharedStrings.xml"] ?? new Uint8Array());
    expect(sheet + strings).toContain("市市场监督管理局");
    expect(sheet).toContain("<v>84.2</v>");
    await tabs.putBack(page);
  });

  it("shows and exports no cycle's ranking under another cycle's name while the next one loads", async () => {
    const page = await tabs.open("viewer", { path: "#/rankings?cycle=2018" });
    const u09 = page.locator("tr[data-unit=U09]");
    await expect.poll(() => u09.textContent()).toContain("84.20");
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let asked = () => {};
    const askedFor2019 = new Promise<void>((r) => {
      asked = r;
    });
    await page.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (body.includes("query Ranking") && body.includes('"cycleId":"2019"')) {
        asked();
        await held;
      }
      await route.continue();
    });
    await page.getByTestId("cycle").selectOption("2019");
    await askedFor2019;
    // 2018's table (84.20) is not 2019's, and ranking-2019.csv must not hold it.
    expect(await rows(page).count()).toBe(0);
    expect(await page.getByTestId("export-csv").count()).toBe(0);
    expect(await page.getByText("加载中…").count()).toBe(1);
    release();
    await expect.poll(() => u09.textContent()).toContain("82.94");
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    expect(csv.suggestedFilename()).toBe("ranking-2019.csv");
    expect(readFileSync((await csv.path())!, "utf8")).toContain(",市市场监督管理局,26.40,17.96,38.58,82.94,");
    await tabs.putBack(page);
  });

  it("says in the console's language that a list kept changing while it was read", async () => {
    const page = await tabs.open("viewer", { path: "#/rankings?cycle=2018" });
    await expect.poll(() => page.locator("tr[data-unit=U09]").textContent()).toContain("84.20");
    // 2019's ranking changes under every read: each is refused as stale, first page or not.
    const message = "after: the list changed since this cursor was issued (ask for the first page again)";
    let reads = 0;
    await page.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (!(body.includes("query Ranking") && body.includes('"cycleId":"2019"'))) return route.continue();
      reads++;
      await route.fulfill({ json: { errors: [{ message, extensions: { code: "STALE_CURSOR" } }] } });
    });
    await page.getByTestId("cycle").selectOption("2019");
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent()).toContain("读取期间数据多次变化");
    // The first read and three fresh starts; the gateway's words are kept for support, not shown.
    expect(reads).toBe(4);
    expect(await alert.textContent()).not.toContain("cursor");
    expect(await alert.getAttribute("title")).toBe(message);
    await page.getByTestId("lang").selectOption("en");
    await expect.poll(() => alert.textContent()).toContain("The data changed while it was being read");
    await tabs.putBack(page);
  });

  it("never shows the previous unit's breakdown or pair's comparison while the next one loads", async () => {
    const page = await tabs.open("analyst", { path: "#/rankings?cycle=2018&unit=U09" });
    const panel = page.getByTestId("unit-panel");
    await expect.poll(() => panel.locator("h2").textContent()).toBe("市市场监督管理局");
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const asked: string[] = [];
    await page.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (/query (Breakdown|Compare)/.test(body) && body.includes('"U10"')) {
        asked.push(body.includes("query Compare") ? "compare" : "breakdown");
        await held;
      }
      await route.continue();
    });
    await page.locator("tr[data-unit=U10]").click();
    await expect.poll(() => asked).toEqual(["breakdown"]);
    expect(await panel.locator("h2").count()).toBe(0);

    await page.locator("tr[data-unit=U09] input[type=checkbox]").check();
    await page.locator("tr[data-unit=U26] input[type=checkbox]").check();
    const compare = page.getByTestId("compare-panel");
    await expect.poll(() => compare.textContent()).toContain("市行政审批服务局");
    // A third box makes the pair U26 · U10.
    await page.locator("tr[data-unit=U10] input[type=checkbox]").check();
    await expect.poll(() => asked).toContain("compare");
    expect(await compare.textContent()).not.toContain("市市场监督管理局");
    release();
    await expect.poll(() => compare.locator("th").allTextContents()).toContain("B · 市税务局");
    await tabs.putBack(page);
  });

  it("re-ranks as an analyst moves the what-if sliders, explains a move, and shares the scenario by link", async () => {
    const page = await tabs.open("analyst", { path: "#/whatif?cycle=2018" });
    const table = page.getByTestId("whatif-table");
    const u09 = table.locator("tr[data-unit=U09]");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(29);
    await expect.poll(() => u09.locator("td").first().textContent()).toBe("9");
    const chart = page.getByTestId("movement-chart");
    const line = async (name: string) =>
      (await drawnSeries<{ name: string; data: number[] }>(chart)).find((s) => s.name === name)?.data;
    await expect.poll(() => line("市市场监督管理局")).toEqual([9, 9]);

    // The 2019 reform by keyboard on the sliders: public evaluation 40 → 50, organ construction 30 → 20.
    await page.getByTestId("slider-public").focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowRight");
    await page.getByTestId("slider-organ").focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowLeft");
    expect(await page.getByTestId("input-public").inputValue()).toBe("50");

    // One poll over all three: the page sends a setting 250 ms after the last change, so on a
    // loaded machine an in-between one (public 50, organ 30) can be drawn first, and U09 is 10th
    // there too; U26's 7th place comes only with organ at 24 or less.
    await expect
      .poll(async () => [
        await u09.locator("td").first().textContent(),
        await line("市市场监督管理局"),
        await line("市行政审批服务局"),
      ])
      .toEqual(["10", [9, 10], [12, 7]]);
    expect(await u09.getAttribute("class")).toContain("changed-grade");
    expect(await u09.getByTestId("grade").textContent()).toBe("优秀 excellent → 良好 good");

    await u09.click();
    const why = page.getByTestId("why");
    await expect.poll(() => why.textContent()).toContain("-8.98");
    expect(await why.textContent()).toContain("7.72");
    expect(await why.getByTestId("swaps").textContent()).toContain("市行政审批服务局 超过 市市场监督管理局");

    await page.getByTestId("scenario-name").fill("2019 改革");
    await page.getByTestId("save").click();
    const link = (await page.getByTestId("share-link").getAttribute("href"))!;
    expect(link).toMatch(/#\/whatif\?cycle=2018&scenario=/);

    // Another analyst opens the link: the same knobs, the same ranking.
    await tabs.putBack(page);
    const other = await tabs.open("analyst", { path: link.slice(link.indexOf("#")) });
    await expect.poll(() => other.getByTestId("input-public").inputValue()).toBe("50");
    expect(await other.getByTestId("input-organ").inputValue()).toBe("20");
    await expect
      .poll(() => other.getByTestId("whatif-table").locator("tr[data-unit=U09] td").first().textContent())
      .toBe("10");
    await tabs.putBack(other);
  });

  it("lists the cycle's saved scenarios the analyst can see, opens one as its link does, and saves changes over one's own only", async () => {
    const save = async (subject: string, name: string, patch: unknown, shared: boolean) =>
      (
        await stack.gateway.gql(
          `mutation($input: SaveScenarioInput!) { saveScenario(input: $input) { __typename ... on Scenario { id } } }`,
          { input: { cycleId: "2018", name, patch, shared } },
          { as: "analyst", subject },
        )
      ).body.data.saveScenario.id as string;
    const mine = await save(
      "analyst-1",
      "列表：我的情景",
      { description: "公众评议 40 → 45", patch: { categories: { public: { points: 45 } } } },
      false,
    );
    const theirs = await save(
      "analyst-2",
      "列表：他人的情景",
      { patch: { categories: { organ: { points: 25 } } } },
      true,
    );
    const unshared = await save("analyst-2", "列表：他人未共享", { patch: {} }, false);

    const page = await tabs.open("analyst", { path: "#/whatif?cycle=2018" });
    const list = page.getByTestId("scenario-list");
    const row = (id: string) => list.locator(`tr[data-scenario="${id}"]`);
    await expect.poll(() => row(mine).textContent()).toContain("公众评议 40 → 45");
    expect(await row(mine).getByTestId("scenario-owner").textContent()).toBe("analyst-1（您）");
    expect(await row(mine).getByTestId("scenario-sharing").textContent()).toBe("仅自己可见");
    expect(await row(theirs).getByTestId("scenario-owner").textContent()).toBe("analyst-2");
    expect(await row(theirs).getByTestId("scenario-sharing").textContent()).toBe("已共享");
    expect(await row(unshared).count()).toBe(0);

    // Opened from the list as its share link opens it: someone else's, saved only as new.
    await row(theirs).locator("a").click();
    await expect.poll(() => page.getByTestId("input-organ").inputValue()).toBe("25");
    expect(page.url()).toContain(`scenario=${theirs}`);
    expect(await page.getByTestId("save-changes").count()).toBe(0);
    expect(await page.getByTestId("not-own").textContent()).toContain("analyst-2");
    // Under a name the analyst already has: the gateway's refusal, where the page shows refusals.
    await page.getByTestId("scenario-name").fill("列表：我的情景");
    await page.getByTestId("save").click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("already have a scenario named");
    await page.getByTestId("scenario-name").fill("列表：另存");
    await page.getByTestId("save").click();
    await expect.poll(() => page.getByTestId("share-link").count()).toBe(1);
    // The list is read again: the new scenario is in it.
    await expect.poll(() => list.locator("a", { hasText: "列表：另存" }).count()).toBe(1);

    // One's own: saved over, its sharing kept.
    await list.locator("summary").click();
    await row(mine).locator("a").click();
    await expect.poll(() => page.getByTestId("input-public").inputValue()).toBe("45");
    await page.getByTestId("input-public").fill("48");
    await page.getByTestId("save-changes").click();
    await expect
      .poll(() => page.getByTestId("share-link").getAttribute("href"))
      .toContain(`scenario=${mine}`);
    expect(await page.locator("p.ok").textContent()).toContain("修改已保存");
    const stored = await stack.gateway.gql(
      `query($id: ID!) { scenario(id: $id) { ... on Scenario { name shared patch createdAt updatedAt } } }`,
      { id: mine },
      { as: "analyst" },
    );
    const s = stored.body.data.scenario;
    expect(s).toMatchObject({ name: "列表：我的情景", shared: false });
    expect(s.patch).toMatchObject({
      description: "公众评议 40 → 45",
      patch: { categories: { public: { points: 48 } } },
    });
    expect(s.updatedAt > s.createdAt).toBe(true);
    await tabs.putBack(page);
  });

  it("runs a saved scenario's data overrides with its knobs, at the gateway's own numbers, and says they are there", async () => {
    // The 2019 reform, and the year without any of its findings: saved through the API, not the page.
    const dataset = JSON.parse(
      readFileSync(new URL("../../../examples/city-review/dataset-2018.json", import.meta.url), "utf8"),
    ) as { findings: { id: string }[] };
    const body = {
      patch: { categories: { public: { points: 50 }, organ: { points: 20 } } },
      data: { findings: Object.fromEntries(dataset.findings.map((f) => [f.id, null])) },
    };
    const savedReply = await stack.gateway.gql(
      `mutation($input: SaveScenarioInput!) { saveScenario(input: $input) { __typename ... on Scenario { id } } }`,
      { input: { cycleId: "2018", name: "改革且无扣分", patch: body, shared: true } },
      { as: "analyst" },
    );
    const id = savedReply.body.data.saveScenario.id as string;
    const official = await stack.gateway.gql(
      `query($id: ID!) { whatIf(cycleId: "2018", scenarioId: $id) { ... on WhatIf {
        units(first: 100) { edges { node { unitId scenario { total rank } } } } } } }`,
      { id },
      { as: "analyst" },
    );
    type Row = { unitId: string; scenario: { total: string; rank: number } };
    const expected = (official.body.data.whatIf.units.edges as { node: Row }[])
      .map(({ node }) => [node.unitId, String(node.scenario.rank), node.scenario.total])
      .sort((a, b) => Number(a[1]) - Number(b[1]) || a[0]!.localeCompare(b[0]!));

    const page = await tabs.open("analyst");
    const sent = await variablesSent(page, "WhatIf");
    await page.evaluate((hash) => {
      location.hash = hash;
    }, `#/whatif?cycle=2018&scenario=${id}`);
    await expect.poll(() => page.getByTestId("input-public").inputValue()).toBe("50");
    const table = page.getByTestId("whatif-table");
    const shown = () =>
      table
        .locator("tbody tr")
        .evaluateAll((trs) =>
          trs.map((tr) => [
            tr.getAttribute("data-unit"),
            tr.children[0]!.textContent,
            tr.querySelector("td.total")!.textContent,
          ]),
        );
    await expect
      .poll(async () =>
        (await shown()).sort((a, b) => Number(a[1]) - Number(b[1]) || a[0]!.localeCompare(b[0]!)),
      )
      .toEqual(expected);
    expect(sent.at(-1)).toMatchObject({ scenario: body });
    expect(await page.getByTestId("whatif-hidden").textContent()).toContain("督查发现数据");

    // A knob moved edits its part only: the findings are still left out.
    await page.getByTestId("knob-decimals").selectOption("1");
    await expect
      .poll(() => (sent.at(-1)?.scenario as typeof body | undefined)?.patch)
      .toEqual({
        ...body.patch,
        rounding: { decimals: 1 },
      });
    expect((sent.at(-1)!.scenario as typeof body).data).toEqual(body.data);

    // U05's 2018 veto holds it back whatever its rank: flagged in its row, the veto named once selected.
    const u05 = table.locator("tr[data-unit=U05]");
    expect(await u05.getByTestId("eligibility-flags").textContent()).toBe("不得评优不得评奖");
    await u05.click();
    await expect.poll(() => page.getByTestId("why-eligibility").textContent()).toContain("安全生产责任事故");
    await tabs.putBack(page);
  });

  it("says why the list of who overtook whom is missing, and never shows another unit's", async () => {
    const page = await tabs.open("analyst", { path: "#/whatif?cycle=2018&unit=U09" });
    const why = page.getByTestId("why");
    await expect.poll(() => why.textContent()).toContain("市市场监督管理局");
    await page.getByTestId("input-public").fill("50");
    await page.getByTestId("input-organ").fill("20");
    await expect.poll(() => why.getByTestId("swaps").textContent()).toContain("市行政审批服务局 超过");

    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let asked = () => {};
    const askedForU26 = new Promise<void>((r) => {
      asked = r;
    });
    await page.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (!(body.includes("query Swaps") && body.includes('"unitId":"U26"'))) return route.continue();
      asked();
      await held;
      await route.fulfill({
        json: { errors: [{ message: "this query costs too much", extensions: { code: "COST_LIMIT" } }] },
      });
    });
    await page.getByTestId("whatif-table").locator("tr[data-unit=U26]").click();
    await askedForU26;
    await expect.poll(() => why.locator("h2").textContent()).toContain("市行政审批服务局");
    // U09's swaps are not U26's.
    expect(await why.getByTestId("swaps").count()).toBe(0);
    release();
    await expect.poll(() => why.getByRole("alert").textContent()).toContain("this query costs too much");
    await tabs.putBack(page);
  });

  it("shows a unit's parts and whom it overtook from one result, the shown one, while the next is computed", async () => {
    const page = await tabs.open("analyst", { path: "#/whatif?cycle=2018&unit=U09" });
    const why = page.getByTestId("why");
    const headline = why.locator("p").first();
    await expect.poll(() => headline.textContent()).toContain(" 9 → 9 ·");
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route("**/graphql", async (route) => {
      if ((route.request().postData() ?? "").includes("query WhatIf(")) await held;
      return route.continue();
    });
    // Every state the panel is drawn in from now on: its rank line, and who overtook whom under it.
    await page.evaluate(() => {
      const seen: [string, string][] = [];
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver(() => {
        const panel = document.querySelector("[data-testid=why]");
        if (panel)
          seen.push([
            panel.querySelector("p")?.textContent ?? "",
            panel.querySelector("[data-testid=swaps]")?.textContent ?? "",
          ]);
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    /** Who overtook whom under the new settings (public evaluation at 50), read while their result is held. */
    const newSwaps = page
      .waitForResponse(
        (r) => {
          const body = r.request().postData() ?? "";
          return body.includes("query Swaps") && body.includes('"points":50');
        },
        { timeout: 3000 },
      )
      .catch(() => null);
    await page.getByTestId("input-public").fill("50");
    await page.getByTestId("input-organ").fill("20");
    await newSwaps;
    await page.waitForTimeout(300);
    release();
    await expect.poll(() => headline.textContent()).toContain(" 9 → 10 ·");
    await expect.poll(() => why.getByTestId("swaps").textContent()).toContain("市行政审批服务局 超过");
    const seen = await page.evaluate(() => (window as unknown as { seen: [string, string][] }).seen);
    // The nominal settings' result moved no one: no overtaking is shown beside it.
    expect(seen.filter(([line, swaps]) => line.includes(" 9 → 9 ·") && swaps !== "")).toEqual([]);
    await tabs.putBack(page);
  });

  it("keeps an analyst's what-if settings through an expired session, and forgets them on sign-out", async () => {
    const page = await tabs.open("analyst", { path: "#/whatif?cycle=2018" });
    const u09 = page.getByTestId("whatif-table").locator("tr[data-unit=U09]");
    await expect.poll(() => u09.locator("td").first().textContent()).toBe("9");
    // These settings go out 250 ms after the last change: the token must run out only after
    // they were answered, or their refusal, not the organ box's, brings the sign-in screen back
    // before that box is filled.
    const settled = page.waitForResponse((r) => {
      const body = r.request().postData() ?? "";
      return body.includes("query WhatIf(") && body.includes('"decimals":3') && body.includes('"points":50');
    });
    await page.getByTestId("input-public").fill("50");
    await page.getByTestId("knob-decimals").selectOption("3");
    await page.getByTestId("scenario-name").fill("2019 改革");
    await settled;

    // The token runs out: the next re-ranking is refused and the sign-in screen comes back.
    await expireSession(page, () => page.getByTestId("input-organ").fill("20"));
    await signInAgain(page, await stack.gateway.token("analyst", "analyst-1"));

    await expect.poll(() => page.getByTestId("input-public").inputValue()).toBe("50");
    expect(await page.getByTestId("input-organ").inputValue()).toBe("20");
    expect(await page.getByTestId("knob-decimals").inputValue()).toBe("3");
    expect(await page.getByTestId("scenario-name").inputValue()).toBe("2019 改革");
    expect(await page.getByTestId("whatif-restored").count()).toBe(1);
    await expect.poll(() => u09.locator("td").first().textContent()).toBe("10");

    // The note's button sets every setting that came back to the page's own, name too, and
    // forgets them; the note goes with them.
    await page.getByTestId("whatif-discard").click();
    await expect.poll(() => page.getByTestId("input-public").inputValue()).toBe("40");
    expect(await page.getByTestId("input-organ").inputValue()).toBe("30");
    expect(await page.getByTestId("knob-decimals").inputValue()).toBe("2");
    expect(await page.getByTestId("scenario-name").inputValue()).toBe("");
    expect(await page.getByTestId("whatif-restored").count()).toBe(0);
    expect(await keptWork(page)).toEqual([]);
    await expect.poll(() => u09.locator("td").first().textContent()).toBe("9");

    // Signing out hands the tab to someone else: they start from the scheme.
    await page.getByTestId("input-public").fill("50");
    expect(await keptWork(page)).toEqual(["pingyi.whatif.2018"]);
    await page.locator("header button").click();
    await signInAgain(page, await stack.gateway.token("analyst", "analyst-1"));
    await expect.poll(() => page.getByTestId("input-public").inputValue()).toBe("40");
    expect(await page.getByTestId("scenario-name").inputValue()).toBe("");
    expect(await page.getByTestId("whatif-restored").count()).toBe(0);
    expect(await keptWork(page)).toEqual([]);
    await tabs.putBack(page);
  });

  it("starts another cycle's what-if from that cycle's own rules", async () => {
    // 2019 gives public evaluation 50 and organ construction 20; 2018 gave 40 and 30.
    const page = await tabs.open("analyst", { path: "#/whatif?cycle=2019" });
    const table = page.getByTestId("whatif-table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(29);
    expect(await page.getByTestId("input-public").inputValue()).toBe("50");

    await page.getByTestId("cycle").selectOption("2018");
    await expect.poll(() => page.getByTestId("input-public").inputValue()).toBe("40");
    expect(await page.getByTestId("input-organ").inputValue()).toBe("30");
    // The baseline of 2018, not 2018 under the 2019 points: nobody moved.
    await expect.poll(() => table.locator("tr[data-unit=U09] td").first().textContent()).toBe("9");
    expect(new Set(await table.getByTestId("rank-delta").allTextContents())).toEqual(new Set([""]));
    await tabs.putBack(page);
  });

  it("saves a scenario once when Save is double-clicked, with no refusal of the second click", async () => {
    const page = await tabs.open("analyst", { path: "#/whatif?cycle=2018" });
    await expect.poll(() => page.getByTestId("whatif-table").locator("tbody tr").count()).toBe(29);
    const saves: string[] = [];
    page.on("request", (r) => {
      if ((r.postData() ?? "").includes("mutation Save")) saves.push(r.postData()!);
    });
    await page.getByTestId("scenario-name").fill("双击保存");
    await page.getByTestId("save").dblclick();
    await expect.poll(() => page.getByTestId("share-link").count()).toBe(1);
    // The second click is not sent: sent, the gateway refuses it as a name the analyst already has.
    await expect.poll(() => page.getByTestId("save").isEnabled()).toBe(true);
    expect(saves).toHaveLength(1);
    expect(await page.getByRole("alert").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("starts the What-if page afresh from the menu, not from the scenario that was open", async () => {
    const page = await tabs.open("analyst", { path: "#/whatif" });
    const cycle = page.getByTestId("cycle");
    await expect.poll(() => cycle.inputValue()).not.toBe("");
    await expect.poll(() => page.getByTestId("input-public").count()).toBe(1);
    const cycleId = await cycle.inputValue();
    const nominal = await page.getByTestId("input-public").inputValue();
    const saved = await stack.gateway.gql(
      `mutation($input: SaveScenarioInput!) { saveScenario(input: $input) { __typename ... on Scenario { id } } }`,
      {
        input: {
          cycleId,
          name: "菜单：已打开的情景",
          patch: { patch: { categories: { public: { points: Number(nominal) + 3 } } } },
          shared: false,
        },
      },
      { as: "analyst", subject: "analyst-1" },
    );
    const id = saved.body.data.saveScenario.id as string;
    await page.evaluate((h) => {
      location.hash = h;
    }, `#/whatif?cycle=${cycleId}&scenario=${id}`);
    await expect.poll(() => page.getByTestId("input-public").inputValue()).toBe(String(Number(nominal) + 3));
    expect(await page.getByTestId("scenario-name").inputValue()).toBe("菜单：已打开的情景");

    await menuLink(page, "whatif").click();
    await expect.poll(() => page.url()).not.toContain("scenario=");
    await expect.poll(() => page.getByTestId("input-public").inputValue()).toBe(nominal);
    expect(await page.getByTestId("scenario-name").inputValue()).toBe("");
    expect(await page.getByTestId("save-changes").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("opens a link to a saved scenario that names no cycle in the scenario's own cycle, whenever the cycle list arrives", async () => {
    const saved = await stack.gateway.gql(
      `mutation($input: SaveScenarioInput!) { saveScenario(input: $input) { __typename ... on Scenario { id } } }`,
      {
        input: {
          cycleId: "2018",
          name: "无年度的链接",
          patch: { patch: { categories: { public: { points: 43 } } } },
          shared: false,
        },
      },
      { as: "analyst", subject: "analyst-1" },
    );
    const id = saved.body.data.saveScenario.id as string;
    const page = await tabs.open("analyst", { path: "#/rules" });
    await page.getByTestId("refused").waitFor();
    // The scenario is read after the list of cycles: the newest cycle (not 2018) is the default.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route("**/graphql", async (route) => {
      if ((route.request().postData() ?? "").includes("query Scenario(")) await held;
      return route.continue();
    });
    const cyclesRead = page.waitForResponse((r) => (r.request().postData() ?? "").includes("query Cycles"));
    await page.evaluate((h) => {
      location.hash = h;
    }, `#/whatif?scenario=${id}`);
    await cyclesRead;
    // Time for the page to draw what it has, and write to the URL what it would.
    await page.waitForTimeout(500);
    release();
    await expect.poll(() => page.getByTestId("input-public").inputValue()).toBe("43");
    expect(await page.getByTestId("scenario-name").inputValue()).toBe("无年度的链接");
    expect(await page.getByTestId("cycle").inputValue()).toBe("2018");
    // The link as followed, or with the scenario's cycle: never another cycle's.
    const params = new URLSearchParams(new URL(page.url()).hash.split("?")[1]);
    expect([null, "2018"]).toContain(params.get("cycle"));
    expect(params.get("scenario")).toBe(id);
    // The menu goes on with the scenario's cycle, not the newest.
    await expect.poll(() => menuLink(page, "rankings").getAttribute("href")).toBe("#/rankings?cycle=2018");
    await tabs.putBack(page);
  });

  it("charts the weight sweep with its exact breakpoints and the Monte-Carlo rank intervals", async () => {
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018&unit=U09" });
    const segments = page.getByTestId("sweep-segments");
    // 市市场监督管理局 is 9th (excellent) for public evaluation between 104470/2929 ≈ 35.67 and 703800/15233 ≈ 46.20.
    await expect.poll(() => segments.textContent()).toContain("104470/2929 ≈ 35.67");
    expect(await segments.textContent()).toContain("703800/15233 ≈ 46.20");
    // Each row says which of its ends it holds: at a breakpoint, exactly one row does.
    const ends = await segments
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((r) => [r.children[1]!.textContent!, r.children[2]!.textContent!]));
    for (let i = 1; i < ends.length; i++)
      expect([ends[i - 1]![1]!.endsWith("]"), ends[i]![0]!.startsWith("[")].filter(Boolean)).toHaveLength(1);
    expect(ends[0]![0]!.startsWith("[")).toBe(true);
    expect(ends.at(-1)![1]!.endsWith("]")).toBe(true);
    const drawn = () =>
      drawnSeries<{
        name?: string;
        markLine?: { name: string; label?: { show?: boolean } }[];
      }>(page.getByTestId("sweep-chart"));
    // A line per unit, and the marked lines on a series of their own. The chart writes what it drew
    // in an effect run after the render that put the segments on screen: until then it says nothing.
    await expect.poll(async () => (await drawn()).filter((s) => s.name !== undefined)).toHaveLength(29);
    const sweep = await drawn();
    const marks = sweep.flatMap((s) => s.markLine ?? []);
    // Only the nominal's label is drawn: breakpoints a hair apart (28.08 and 29.28) would run
    // together at the axis. Their exact text is what the pointer shows.
    expect(marks.filter((m) => m.label?.show !== false).map((m) => m.name)).toEqual(["现行分值 40"]);
    expect(marks.map((m) => m.name)).toContain("104470/2929 ≈ 35.67");
    expect(await page.getByTestId("breakpoint-count").textContent()).toMatch(/\d+/);
    // Read beside them: these ranks are of unrounded totals, not the official ones.
    expect(await page.getByTestId("sweep-unrounded").textContent()).toContain("未舍入的总分");

    const mc = page.getByTestId("mc-chart");
    const series = () => drawnSeries<{ name: string; data: unknown[] }>(mc);
    // Written by the chart's effect, which may run after its box is already in the page.
    await expect
      .poll(async () => (await series()).map((s) => s.name))
      .toEqual(["base", "第 5–95 百分位", "名次中位数", "实际名次"]);
    // Points name their row by index (rows in official-rank order): 9th officially, 9th row.
    expect((await series())[3]!.data).toContainEqual([9, 8]);
    await tabs.putBack(page);
  });

  it("runs the sweep, Monte-Carlo and leave-one-out under a saved scenario picked on the page, kept in its URL, and says which", async () => {
    const save = async (name: string, patch: unknown) =>
      (
        await stack.gateway.gql(
          `mutation($input: SaveScenarioInput!) { saveScenario(input: $input) { __typename ... on Scenario { id } } }`,
          { input: { cycleId: "2018", name, patch, shared: true } },
          { as: "analyst", subject: "analyst-2" },
        )
      ).body.data.saveScenario.id as string;
    const reform = await save("稳健性：2019 改革", {
      patch: { categories: { public: { points: 50 }, organ: { points: 20 } } },
    });
    const allPublic = await save("稳健性：全归评议", {
      patch: { categories: { business: { points: 0 }, organ: { points: 0 }, public: { points: 100 } } },
    });

    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018" });
    const { lastSent } = await recordSent(page);
    const under = (card: string) => page.getByTestId(`${card}-under`);
    await expect.poll(() => under("loo").textContent()).toBe("以下为本周期现状的结果。");
    await expect
      .poll(() => page.getByTestId("robust-scenario").locator("option").allTextContents())
      .toContain("稳健性：2019 改革 · analyst-2");

    await page.getByTestId("robust-scenario").selectOption(reform);
    expect(page.url()).toContain(`scenario=${reform}`);
    for (const card of ["sweep", "mc", "loo"])
      await expect.poll(() => under(card).textContent()).toContain("“稳健性：2019 改革”");
    // Every analysis asked under it; the sweep around the scenario's points, its line at them.
    for (const name of ["Sweep", "Uncertainty", "LeaveOneOut"])
      expect(lastSent(name)?.scenarioId).toBe(reform);
    expect(lastSent("Sweep")).toMatchObject({
      from: "30",
      to: "70",
    });
    const marks = async () =>
      (
        await drawnSeries<{ markLine?: { name: string; label?: { show?: boolean } }[] }>(
          page.getByTestId("sweep-chart"),
        )
      )
        .flatMap((s) => s.markLine ?? [])
        .filter((m) => m.label?.show !== false)
        .map((m) => m.name);
    await expect.poll(marks).toEqual(["现行分值 50"]);
    // 市市场监督管理局 is 10th under the reform (9th as the cycle stands).
    await expect
      .poll(() => page.getByTestId("mc-table").locator("tr[data-unit=U09] td").nth(1).textContent())
      .toBe("10");

    // The URL keeps it: a reload runs under the same scenario.
    await page.reload();
    await expect.poll(() => under("mc").textContent()).toContain("“稳健性：2019 改革”");
    expect(await page.getByTestId("robust-scenario").inputValue()).toBe(reform);

    // One category holding every point leaves nothing to leave out: the gateway's reason is shown.
    await page.getByTestId("robust-scenario").selectOption(allPublic);
    await expect
      .poll(() => page.getByTestId("loo-not-supported").textContent())
      .toContain("holds all of the scheme's 100 points");
    expect(await page.getByTestId("loo-not-supported").textContent()).toContain("此处无法逐一去掉类别");

    await page.getByTestId("robust-scenario").selectOption("");
    await expect.poll(() => under("loo").textContent()).toBe("以下为本周期现状的结果。");
    expect(page.url()).not.toContain("scenario=");
    await tabs.putBack(page);
  });

  it("keeps the Monte-Carlo settings typed and the leave-one-out mode when a saved scenario is picked", async () => {
    const saved = await stack.gateway.gql(
      `mutation($input: SaveScenarioInput!) { saveScenario(input: $input) { __typename ... on Scenario { id } } }`,
      {
        input: {
          cycleId: "2018",
          name: "稳健性：保留设置",
          patch: { patch: { categories: { public: { points: 45 } } } },
          shared: false,
        },
      },
      { as: "analyst", subject: "analyst-1" },
    );
    const id = saved.body.data.saveScenario.id as string;
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018" });
    await expect.poll(() => page.getByTestId("mc-table").count()).toBe(1);
    await page.getByTestId("mc-seed").fill("7");
    await page.getByTestId("mc-samples").fill("200");
    await page.getByTestId("loo-rescale").check();
    await expect
      .poll(() => page.getByTestId("robust-scenario").locator("option").allTextContents())
      .toContain("稳健性：保留设置 · analyst-1");
    await page.getByTestId("robust-scenario").selectOption(id);
    await expect.poll(() => page.getByTestId("mc-under").textContent()).toContain("“稳健性：保留设置”");
    expect(await page.getByTestId("mc-seed").inputValue()).toBe("7");
    expect(await page.getByTestId("mc-samples").inputValue()).toBe("200");
    expect(await page.getByTestId("loo-rescale").isChecked()).toBe(true);
    await tabs.putBack(page);
  });
  it("keeps the analyses' settings through an expired session, and forgets them on sign-out", async () => {
    // city-review 2018: business 30, organ 30, public 40.
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018&category=public" });
    await page.getByTestId("mc-table").waitFor();
    await page.getByTestId("sweep-from").fill("30");
    await page.getByTestId("sweep-to").fill("50");
    const others = page.getByLabel("其他类别", { exact: true });
    const donor = page.getByLabel("转出分值的类别", { exact: true });
    await others.selectOption("TRANSFER");
    await donor.selectOption("organ");
    await page.getByTestId("mc-seed").fill("7");
    await page.getByTestId("mc-samples").fill("200");
    await page.getByTestId("loo-rescale").check();

    // The token runs out: the next run is refused and the sign-in screen comes back.
    await expireSession(page, () => page.getByRole("button", { name: "运行" }).nth(1).click());
    const { lastSent } = await recordSent(page);
    await signInAgain(page, await stack.gateway.token("analyst", "analyst-1"));

    await expect.poll(() => page.getByTestId("sweep-from").inputValue()).toBe("30");
    expect(await page.getByTestId("sweep-to").inputValue()).toBe("50");
    expect(await others.inputValue()).toBe("TRANSFER");
    expect(await donor.inputValue()).toBe("organ");
    expect(await page.getByTestId("mc-seed").inputValue()).toBe("7");
    expect(await page.getByTestId("mc-samples").inputValue()).toBe("200");
    expect(await page.getByTestId("loo-rescale").isChecked()).toBe(true);
    // Each analysis runs as it was set: nothing is typed again.
    await expect
      .poll(() => lastSent("Sweep"))
      .toMatchObject({ category: "public", from: "30", to: "50", others: "TRANSFER", donor: "organ" });
    await expect.poll(() => lastSent("Uncertainty")).toMatchObject({ seed: 7, samples: 200 });
    await expect.poll(() => lastSent("LeaveOneOut")).toMatchObject({ rescale: true });
    await page.getByTestId("mc-table").waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);

    // Signing out hands the tab to someone else: they start from the page's own settings.
    await page.locator("header button").click();
    await signInAgain(page, await stack.gateway.token("analyst", "analyst-1"));
    await expect.poll(() => page.getByTestId("sweep-from").inputValue()).toBe("20");
    expect(await page.getByTestId("sweep-to").inputValue()).toBe("60");
    expect(await others.inputValue()).toBe("FIXED");
    expect(await page.getByTestId("mc-seed").inputValue()).toBe("2019");
    expect(await page.getByTestId("mc-samples").inputValue()).toBe("1000");
    expect(await page.getByTestId("loo-rescale").isChecked()).toBe(false);
    expect(await keptWork(page)).toEqual([]);
    await tabs.putBack(page);
  });

  it("says which analyses' settings came back after an expired session, and sets them back to the page's own", async () => {
    // city-review 2018: business 30, organ 30, public 40; the sweep of public starts at 20 to 60.
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018&category=public" });
    await page.getByTestId("mc-table").waitFor();
    await page.getByTestId("sweep-from").fill("30");
    await page.getByTestId("mc-seed").fill("7");
    await page.getByTestId("loo-rescale").check();
    const notes = page.locator("[data-testid$='-restored']");
    // Set here, not brought back: there is nothing to explain.
    expect(await notes.count()).toBe(0);

    await expireSession(page, () => page.getByRole("button", { name: "运行" }).nth(1).click());
    const { lastSent } = await recordSent(page);
    await signInAgain(page, await stack.gateway.token("analyst", "analyst-1"));

    // Each card whose settings came back says so, beside a way back to the page's own.
    await expect.poll(() => page.getByTestId("sweep-from").inputValue()).toBe("30");
    await expect
      .poll(() => notes.evaluateAll((ps) => ps.map((p) => p.dataset.testid)))
      .toEqual(["sweep-restored", "mc-restored", "loo-restored"]);
    expect(await page.getByTestId("mc-restored").textContent()).toBe(
      "已恢复您在本项分析中的设置。 改回默认设置",
    );
    await expect.poll(() => lastSent("Sweep")).toMatchObject({ from: "30" });

    // Back to the defaults: the boxes as a first visit shows them, run as they are.
    await page.getByTestId("sweep-discard").click();
    expect(await page.getByTestId("sweep-from").inputValue()).toBe("20");
    expect(await page.getByTestId("sweep-to").inputValue()).toBe("60");
    await expect
      .poll(() => lastSent("Sweep"))
      .toMatchObject({ category: "public", from: "20", to: "60", others: "FIXED" });
    await expect.poll(() => lastSent("Uncertainty")).toMatchObject({ seed: 7 });
    await page.getByTestId("mc-discard").click();
    expect(await page.getByTestId("mc-seed").inputValue()).toBe("2019");
    await expect.poll(() => lastSent("Uncertainty")).toMatchObject({ seed: 2019, samples: 1000 });
    // Set back by hand, then changed again: what is on screen now is the analyst's, not what came back.
    await page.getByTestId("loo-rescale").uncheck();
    await page.getByTestId("loo-rescale").check();
    expect(await notes.count()).toBe(0);

    // Bounds kept for public say nothing of another category's sweep, which starts at its own points.
    await page.getByTestId("sweep-from").fill("30");
    // Loaded anew on business: a change of category on screen would set the boxes around it first.
    await page.evaluate(() => history.replaceState(null, "", "#/robustness?cycle=2018&category=business"));
    await page.reload();
    await expect.poll(() => page.getByTestId("sweep-from").inputValue()).toBe("10");
    await page.getByTestId("loo-restored").waitFor();
    expect(await page.getByTestId("sweep-restored").count()).toBe(0);
    expect(await page.getByTestId("mc-restored").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("brings the sweep back on the category it was of, with its bounds, on returning through the menu", async () => {
    // A link that names no cycle nor category: the newest cycle, city-review 2019 (business 30,
    // organ 20, public 50), whose sweep starts on its last category, public.
    const page = await tabs.open("analyst", { path: "#/robustness" });
    const category = page.getByTestId("sweep-category");
    const from = page.getByTestId("sweep-from");
    const to = page.getByTestId("sweep-to");
    await expect.poll(() => page.getByTestId("cycle").inputValue()).toBe("2019");
    await expect.poll(() => from.inputValue()).toBe("30");
    const sent = await variablesSent(page, "Sweep");
    await category.selectOption("business");
    await expect.poll(() => from.inputValue()).toBe("10");
    await from.fill("15");
    await to.fill("45");
    await page.getByRole("button", { name: "运行" }).first().click();
    await expect.poll(() => sent.at(-1)).toMatchObject({ category: "business", from: "15", to: "45" });
    const menu = (name: string) => menuLink(page, name).click();

    // To another page and back, by the menu: business as it was left, and it runs as it was set.
    await menu("rankings");
    await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
    await menu("robustness");
    await expect.poll(() => from.inputValue()).toBe("15");
    expect(await to.inputValue()).toBe("45");
    expect(await category.inputValue()).toBe("business");
    await page.getByTestId("sweep-restored").waitFor();
    await expect.poll(() => sent.at(-1)).toMatchObject({ category: "business", from: "15", to: "45" });

    // A link naming a category opens that one, around its own points; business's bounds are still kept.
    await page.evaluate(() => {
      location.hash = "#/robustness?cycle=2019&category=public";
    });
    await expect.poll(() => category.inputValue()).toBe("public");
    expect(await from.inputValue()).toBe("30");
    expect(await to.inputValue()).toBe("70");
    expect(await page.getByTestId("sweep-restored").count()).toBe(0);
    await category.selectOption("business");
    await expect.poll(() => from.inputValue()).toBe("15");
    expect(await to.inputValue()).toBe("45");
    await page.getByTestId("sweep-restored").waitFor();

    // Back to the defaults sets business's bounds back, not the category swept.
    await page.getByTestId("sweep-discard").click();
    expect(await from.inputValue()).toBe("10");
    expect(await to.inputValue()).toBe("50");
    await expect.poll(() => sent.at(-1)).toMatchObject({ category: "business", from: "10", to: "50" });
    await menu("rankings");
    await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
    await menu("robustness");
    await expect.poll(() => category.inputValue()).toBe("business");
    await expect.poll(() => from.inputValue()).toBe("10");
    expect(await page.getByTestId("sweep-restored").count()).toBe(0);
    expect(await page.getByRole("alert").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("keeps the cycle chosen through the menu, with the What-if and Robustness settings kept for it", async () => {
    // 2018 is not the newest cycle: a menu that drops the cycle opens 2019, without these settings.
    const page = await tabs.open("analyst", { path: "#/robustness" });
    const cycle = page.getByTestId("cycle");
    const category = page.getByTestId("sweep-category");
    const from = page.getByTestId("sweep-from");
    const menu = (name: string) => menuLink(page, name).click();
    await expect.poll(() => cycle.inputValue()).toBe("2019");
    await cycle.selectOption("2018");
    await expect.poll(() => from.inputValue()).toBe("20");
    await category.selectOption("business");
    await expect.poll(() => from.inputValue()).toBe("10");
    await from.fill("15");

    await menu("rankings");
    await expect.poll(() => rows(page).count()).toBe(29);
    expect(await cycle.inputValue()).toBe("2018");
    await menu("whatif");
    await expect.poll(() => page.getByTestId("input-public").inputValue()).toBe("40");
    expect(await cycle.inputValue()).toBe("2018");
    await page.getByTestId("input-public").fill("45");

    await menu("robustness");
    await expect.poll(() => category.inputValue()).toBe("business");
    expect(await cycle.inputValue()).toBe("2018");
    await expect.poll(() => from.inputValue()).toBe("15");
    await page.getByTestId("sweep-restored").waitFor();
    await menu("whatif");
    await expect.poll(() => page.getByTestId("input-public").inputValue()).toBe("45");
    expect(await cycle.inputValue()).toBe("2018");
    const whatIfRestored = page.getByTestId("whatif-restored");
    expect(await whatIfRestored.count()).toBe(1);
    // Reset sets the page back to the scheme's own, as it starts: the note goes, and a knob moved
    // again is the analyst's own, which does not bring it back.
    await page.getByTestId("reset").click();
    await expect.poll(() => whatIfRestored.count()).toBe(0);
    expect(await page.getByTestId("input-public").inputValue()).toBe("40");
    await page.getByTestId("input-public").fill("45");
    await expect.poll(() => keptWork(page)).toContain("pingyi.whatif.2018");
    expect(await whatIfRestored.count()).toBe(0);

    // A link that names a cycle opens that one, and the menu then carries it; no unit, group or
    // scenario goes with it.
    await page.evaluate(() => {
      location.hash = "#/rankings?cycle=2019&unit=U09";
    });
    await page.getByTestId("unit-panel").waitFor();
    expect(await menuLink(page, "whatif").getAttribute("href")).toBe("#/whatif?cycle=2019");
    await menu("robustness");
    await expect.poll(() => from.inputValue()).toBe("30");
    expect(await cycle.inputValue()).toBe("2019");
    expect(await page.getByRole("alert").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("keeps the cycle chosen through the menu past the pages of no cycle, whose links name none, and their reload", async () => {
    const page = await tabs.open("admin", { path: "#/events?cycle=2018" });
    const cycle = page.getByTestId("cycle");
    await expect.poll(() => cycle.inputValue()).toBe("2018");
    expect(await menuLink(page, "rules").getAttribute("href")).toBe("#/rules");
    expect(await menuLink(page, "cycles").getAttribute("href")).toBe("#/cycles");
    await menuLink(page, "rules").click();
    await page.getByTestId("history").waitFor();
    await menuLink(page, "cycles").click();
    await page.getByTestId("cycle-create").waitFor();
    expect(await menuLink(page, "findings").getAttribute("href")).toBe("#/findings?cycle=2018");
    // Kept in the tab: a reload on a page of no cycle does not send the menu to the newest.
    await page.reload();
    await page.getByTestId("cycle-create").waitFor();
    expect(await menuLink(page, "findings").getAttribute("href")).toBe("#/findings?cycle=2018");
    await menuLink(page, "findings").click();
    await expect.poll(() => cycle.inputValue()).toBe("2018");
    expect(new URL(page.url()).hash).toBe("#/findings?cycle=2018");
    await tabs.putBack(page);
  });

  it("brings the Monte-Carlo boxes back on a reload as they were typed, and sends none that does not read", async () => {
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018" });
    await page.getByTestId("mc-table").waitFor();
    // Typed, not run: 0 samples is not a run the gateway takes.
    await page.getByTestId("mc-samples").fill("0");
    const sent = await variablesSent(page, "Uncertainty");
    await page.reload();
    await expect.poll(() => page.getByTestId("mc-samples-problem").count()).toBe(1);
    expect(await page.getByTestId("mc-samples").inputValue()).toBe("0");
    expect(await page.getByTestId("mc-samples").getAttribute("aria-invalid")).toBe("true");
    // The other cards run meanwhile; the Monte-Carlo card waits for its box.
    await page.getByTestId("loo-summary").waitFor();
    expect(sent).toEqual([]);
    await page.getByTestId("mc-samples").fill("300");
    await page.getByRole("button", { name: "运行" }).nth(1).click();
    await expect.poll(() => sent.at(-1)).toMatchObject({ samples: 300, seed: 2019 });
    await page.getByTestId("mc-table").waitFor();
    await tabs.putBack(page);
  });

  it("opens a Robustness link to a scenario of another cycle than the one on screen with its scenario", async () => {
    const saved = await stack.gateway.gql(
      `mutation($input: SaveScenarioInput!) { saveScenario(input: $input) { __typename ... on Scenario { id } } }`,
      {
        input: {
          cycleId: "2018",
          name: "稳健性：链接打开",
          patch: { patch: { categories: { public: { points: 45 } } } },
          shared: false,
        },
      },
      { as: "analyst", subject: "analyst-1" },
    );
    const id = saved.body.data.saveScenario.id as string;
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2019" });
    await expect.poll(() => page.getByTestId("mc-under").textContent()).toBe("以下为本周期现状的结果。");
    // A link followed (or pasted) in the tab: the cycle and the scenario change together.
    await page.evaluate((h) => {
      location.hash = h;
    }, `#/robustness?cycle=2018&scenario=${id}`);
    await expect.poll(() => page.getByTestId("mc-under").textContent()).toContain("“稳健性：链接打开”");
    expect(page.url()).toContain(`scenario=${id}`);
    expect(await page.getByTestId("robust-scenario").inputValue()).toBe(id);
    // Another cycle picked on the page leaves the scenario, which is 2018's.
    await page.getByTestId("cycle").selectOption("2019");
    await expect.poll(() => page.url()).not.toContain("scenario=");
    await expect.poll(() => page.getByTestId("mc-under").textContent()).toBe("以下为本周期现状的结果。");
    await tabs.putBack(page);
  });

  it("leaves a What-if scenario of one cycle out of the link once another cycle is picked", async () => {
    const saved = await stack.gateway.gql(
      `mutation($input: SaveScenarioInput!) { saveScenario(input: $input) { __typename ... on Scenario { id } } }`,
      {
        input: {
          cycleId: "2018",
          name: "假设：另一周期",
          patch: { patch: { categories: { public: { points: 44 } } } },
          shared: false,
        },
      },
      { as: "analyst", subject: "analyst-1" },
    );
    const id = saved.body.data.saveScenario.id as string;
    const page = await tabs.open("analyst", { path: `#/whatif?cycle=2018&scenario=${id}` });
    await expect.poll(() => page.getByTestId("input-public").inputValue()).toBe("44");
    expect(await page.getByTestId("scenario-name").inputValue()).toBe("假设：另一周期");
    // The scenario is 2018's: 2019 picked, the page shows 2019 as it stands, and so does its link.
    await page.getByTestId("cycle").selectOption("2019");
    await expect.poll(() => page.url()).not.toContain("scenario=");
    expect(hashParams(page).get("cycle")).toBe("2019");
    expect(await page.getByTestId("scenario-name").inputValue()).toBe("");
    await tabs.putBack(page);
  });

  it("opens a Robustness link to a saved scenario that names no cycle in the scenario's own cycle, whenever the cycle list arrives", async () => {
    const saved = await stack.gateway.gql(
      `mutation($input: SaveScenarioInput!) { saveScenario(input: $input) { __typename ... on Scenario { id } } }`,
      {
        input: {
          cycleId: "2018",
          name: "稳健性：无年度的链接",
          patch: { patch: { categories: { public: { points: 45 } } } },
          shared: false,
        },
      },
      { as: "analyst", subject: "analyst-1" },
    );
    const id = saved.body.data.saveScenario.id as string;
    const page = await tabs.open("analyst", { path: "#/rules" });
    await page.getByTestId("refused").waitFor();
    // The scenario is read after the list of cycles: the newest cycle (not 2018) is the default.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const analysed: unknown[] = [];
    await page.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (body.includes("query Scenario(")) await held;
      if (/query (Sweep|Uncertainty|LeaveOneOut)\b/.test(body)) analysed.push(route.request().postDataJSON());
      return route.continue();
    });
    const cyclesRead = page.waitForResponse((r) => (r.request().postData() ?? "").includes("query Cycles"));
    await page.evaluate((h) => {
      location.hash = h;
    }, `#/robustness?scenario=${id}`);
    await cyclesRead;
    // Time for the page to draw what it has, and write to the URL what it would.
    await page.waitForTimeout(500);
    release();
    await expect.poll(() => page.getByTestId("mc-under").textContent()).toContain("“稳健性：无年度的链接”");
    expect(await page.getByTestId("cycle").inputValue()).toBe("2018");
    expect(await page.getByTestId("robust-scenario").inputValue()).toBe(id);
    const params = new URLSearchParams(new URL(page.url()).hash.split("?")[1]);
    expect([null, "2018"]).toContain(params.get("cycle"));
    expect(params.get("scenario")).toBe(id);
    // Nothing was run on another cycle meanwhile.
    expect(analysed.length).toBeGreaterThan(0);
    for (const sent of analysed)
      expect(JSON.stringify((sent as { variables: unknown }).variables)).toContain('"cycleId":"2018"');
    await tabs.putBack(page);
  });

  it("exports the what-if results named after the scenario, and the Monte-Carlo table named after its run, as CSV and XLSX", async () => {
    const page = await tabs.open("analyst", { path: "#/whatif?cycle=2018" });
    const u09 = page.getByTestId("whatif-table").locator("tr[data-unit=U09]");
    await expect.poll(() => u09.locator("td").first().textContent()).toBe("9");
    await page.getByTestId("input-public").fill("50");
    await page.getByTestId("input-organ").fill("20");
    await page.getByTestId("scenario-name").fill("导出 改革");
    // The total, not the rank: an in-between setting (public 50, organ 30) also ranks U09 10th,
    // and its result, still current while the last one is on its way, enables the export.
    await expect.poll(() => u09.locator("td.total").textContent()).toBe("82.94");
    await expect.poll(() => page.getByTestId("whatif-export-csv").isEnabled()).toBe(true);
    const read = async (button: string) => {
      const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId(button).click()]);
      return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
    };
    const csv = await read("whatif-export-csv");
    expect(csv.name).toBe("whatif-2018-law-enforcement-导出_改革.csv");
    const lines = csv.bytes.toString("utf8").slice(1).split("\r\n");
    expect(lines[0]).toBe(
      "单位,可比组,基准总分,基准名次,基准等次,情景总分,情景名次,情景等次,总分变化,名次变化（正数为下降）,标记",
    );
    const row = lines.find((l) => l.startsWith("市市场监督管理局,"))!;
    expect(row).toMatch(
      /^市市场监督管理局,执法监管部门 law enforcement and regulation,84\.20,9,优秀 excellent,82\.9\d,10,良好 good,-1\.26\d*,1,$/,
    );
    expect(lines.filter(Boolean)).toHaveLength(30);

    await page.goto(`${stack.url}/#/robustness?cycle=2018`);
    await expect.poll(() => page.getByTestId("mc-table").locator("tbody tr").count()).toBe(29);
    const mcCsv = await read("mc-export-csv");
    expect(mcCsv.name).toBe("monte-carlo-2018-law-enforcement-seed2019-samples1000-concentration100.csv");
    const mcLines = mcCsv.bytes.toString("utf8").slice(1).split("\r\n");
    expect(mcLines.filter(Boolean)).toHaveLength(30);
    expect(mcLines.find((l) => l.startsWith("市市场监督管理局,"))).toMatch(
      /^市市场监督管理局,执法监管部门 law enforcement and regulation,9,[\d.]+,[\d.]+,[\d.]+,[\d.]+,[\d.]+$/,
    );
    const xlsx = await read("mc-export-xlsx");
    expect(xlsx.name).toBe("monte-carlo-2018-law-enforcement-seed2019-samples1000-concentration100.xlsx");
    const files = unzipSync(xlsx.bytes);
    const sheet = strFromU8(files["xl/worksheets/sheet1.xml"]!);
    const strings = strFromU8(files["xl/sharedStrings.xml"] ?? new Uint8Array());
    expect(sheet + strings).toContain("市市场监督管理局");
    await tabs.putBack(page);
  });

  it("shows each unit's chances of the first grade and of last place from the Monte-Carlo run, sortable, as the gateway gave them", async () => {
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018" });
    const table = page.getByTestId("mc-table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(29);
    // The page's run: its default samples, seed and concentration, of the group on screen.
    const run = await stack.gateway.gql(
      `{ uncertainty(cycleId: "2018", samples: 1000, seed: 2019, distribution: DIRICHLET, concentration: 100, groups: ["law-enforcement"]) {
        ... on Uncertainty { excellentGrade units(first: 100) { edges { node { unitId nominalRank pExcellent pLast } } } } } }`,
      {},
      { as: "analyst" },
    );
    const { excellentGrade, units } = run.body.data.uncertainty;
    expect(excellentGrade).toBe("excellent");
    type McUnit = { unitId: string; nominalRank: number; pExcellent: number; pLast: number };
    const nodes: McUnit[] = units.edges.map((e: { node: McUnit }) => e.node);
    const percent = (p: number) => (p === 0 ? "0%" : p === 1 ? "100%" : `${(p * 100).toFixed(1)}%`);
    const shown = () =>
      table
        .locator("tbody tr")
        .evaluateAll((trs) =>
          trs.map((tr) => [
            tr.getAttribute("data-unit"),
            tr.querySelector("[data-testid=p-excellent]")?.textContent,
            tr.querySelector("[data-testid=p-last]")?.textContent,
          ]),
        );
    const byRank = [...nodes].sort((a, b) => a.nominalRank - b.nominalRank);
    expect(await shown()).toEqual(byRank.map((u) => [u.unitId, percent(u.pExcellent), percent(u.pLast)]));
    // Some unit is sure of neither: the figures are the run's, not a column of zeros.
    expect(nodes.some((u) => u.pExcellent > 0 && u.pExcellent < 1)).toBe(true);
    expect(nodes.some((u) => u.pLast > 0)).toBe(true);
    // The headers say what they count, naming the scheme's first grade.
    const header = table.locator("th", { has: page.getByTestId("mc-sort-pExcellent") });
    expect(await header.getAttribute("title")).toContain("优秀 excellent");
    expect(
      await table.locator("th", { has: page.getByTestId("mc-sort-pLast") }).getAttribute("title"),
    ).toContain("末位");

    // Sorted by the chance of excellence, largest first; again, the other way.
    await page.getByTestId("mc-sort-pExcellent").click();
    expect(await header.getAttribute("aria-sort")).toBe("descending");
    const order = (rows: string[][]) => rows.map((r) => r[0]);
    const byChance = (desc: boolean) =>
      [...nodes]
        .sort(
          (a, b) =>
            (desc ? b.pExcellent - a.pExcellent : a.pExcellent - b.pExcellent) ||
            a.nominalRank - b.nominalRank,
        )
        .map((u) => u.unitId);
    await expect.poll(async () => order((await shown()) as string[][])).toEqual(byChance(true));
    await page.getByTestId("mc-sort-pExcellent").click();
    await expect.poll(async () => order((await shown()) as string[][])).toEqual(byChance(false));
    await page.getByTestId("lang").selectOption("en");
    expect(await page.getByTestId("mc-sort-pLast").textContent()).toBe("P(last)");
    await tabs.putBack(page);
  });

  it("tabulates leave-one-category-out as the gateway ran it: each category's mean rank change, and each unit's two ranks", async () => {
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018" });
    const summary = page.getByTestId("loo-summary");
    const table = page.getByTestId("loo-units");
    type Shift = {
      unitId: string;
      rank: number | null;
      rankWithout: number | null;
      rankDelta: number | null;
    };
    type Left = {
      category: string;
      meanAbsoluteRankShift: number;
      unitsMoved: number;
      shifts: { edges: { node: Shift }[] };
    };
    const gateway = async (rescale: boolean): Promise<Left[]> =>
      (
        await stack.gateway.gql(
          `query($rescale: Boolean) { leaveOneOut(cycleId: "2018", rescale: $rescale) { ... on LeaveOneOut { categories {
            category meanAbsoluteRankShift unitsMoved shifts(first: 100) { edges { node { unitId rank rankWithout rankDelta } } } } } } }`,
          { rescale },
          { as: "analyst" },
        )
      ).body.data.leaveOneOut.categories;
    const names: Record<string, string> = {
      business: "业务工作 business work",
      organ: "机关建设 organ construction",
      public: "开门评议 public evaluation",
    };
    const rows = () =>
      summary
        .locator("tbody tr")
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 3).map((td) => td.textContent)),
        );
    const expected = (run: Left[]) =>
      run.map((c) => [names[c.category], c.meanAbsoluteRankShift.toFixed(2), String(c.unitsMoved)]);
    const fixed = await gateway(false);
    await expect.poll(rows).toEqual(expected(fixed));
    // The ranking leans most on public evaluation: 开门评议 first.
    expect(fixed[0]!.category).toBe("public");

    // Every unit's official rank and, per category, its rank without it: the gateway's, not a sum
    // of the console's. 市市场监督管理局 (U09) is 9th.
    const cells = () =>
      table
        .locator("tbody tr")
        .evaluateAll((trs) =>
          trs.map((tr) => [
            tr.getAttribute("data-unit"),
            ...[...tr.querySelectorAll("td")].slice(1).map((td) => td.textContent),
          ]),
        );
    const change = (delta: number | null) =>
      delta === null ? "—" : delta === 0 ? "=" : delta < 0 ? `↑${-delta}` : `↓${delta}`;
    await expect.poll(cells).toHaveLength(29);
    const shown = await cells();
    const byUnit = new Map(fixed[0]!.shifts.edges.map(({ node }) => [node.unitId, node]));
    expect(byUnit.get("U09")!.rank).toBe(9);
    expect(shown.map(([unitId]) => unitId).sort()).toEqual([...byUnit.keys()].sort());
    for (const [unitId, ...texts] of shown) {
      const without = fixed.map((c) => c.shifts.edges.find((e) => e.node.unitId === unitId)!.node);
      expect([unitId, ...texts]).toEqual([
        unitId,
        String(byUnit.get(unitId!)!.rank ?? "—"),
        ...without.map((s) => `${s.rankWithout ?? "—"} ${change(s.rankDelta)}`),
      ]);
    }
    // Official rank first, unranked last.
    const official = shown.map(([unitId]) => byUnit.get(unitId!)!.rank ?? Number.POSITIVE_INFINITY);
    expect(official).toEqual([...official].sort((x, y) => x - y));
    expect(await table.locator("th").allTextContents()).toContain("剔除“开门评议 public evaluation”");

    // The others scaled up to keep the total: the gateway's other run.
    await page.getByTestId("loo-rescale").check();
    const rescaled = await gateway(true);
    expect(expected(rescaled)).not.toEqual(expected(fixed));
    await expect.poll(rows).toEqual(expected(rescaled));
    await tabs.putBack(page);
  });

  it("lets a keyboard user pick the sweep's unit, and sweeps another cycle around its own points", async () => {
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2019" });
    // Public evaluation is 50 in 2019: swept from 30 to 70.
    await expect.poll(() => page.getByLabel("从", { exact: true }).inputValue()).toBe("30");
    await page.getByTestId("cycle").selectOption("2018");
    await expect.poll(() => page.getByLabel("从", { exact: true }).inputValue()).toBe("20");
    expect(await page.getByLabel("到", { exact: true }).inputValue()).toBe("60");

    // The chart is a canvas: the unit whose breakpoints are listed is picked from a list too.
    const pick = page.getByTestId("sweep-unit");
    await expect.poll(() => pick.locator("option[value=U09]").count()).toBe(1);
    await pick.focus();
    await pick.selectOption("U09");
    await expect
      .poll(() => page.getByTestId("sweep-segments").textContent())
      .toContain("104470/2929 ≈ 35.67");
    expect(page.url()).toContain("unit=U09");
    await tabs.putBack(page);
  });

  it("says where the selected unit's nominal rank and grade hold, and why nowhere when the nominal is not swept", async () => {
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018" });
    const pick = page.getByTestId("sweep-unit");
    await expect.poll(() => pick.locator("option[value=U09]").count()).toBe(1);
    expect(await page.getByTestId("sweep-stability").count()).toBe(0);
    await pick.selectOption("U09");
    const stability = page.getByTestId("sweep-stability");
    // 市市场监督管理局 is 9th (excellent) from 104470/2929 ≈ 35.67 to 703800/15233 ≈ 46.20, around its 40 points.
    await expect
      .poll(() => stability.textContent())
      .toBe(
        "“开门评议 public evaluation”分值在 [104470/2929 ≈ 35.67 … 703800/15233 ≈ 46.20) 内，名次 9、等次 优秀 excellent 保持不变。",
      );
    // Grades by their names, as every other page shows them, not their ids.
    const grades = await page
      .getByTestId("sweep-segments")
      .locator("tbody td:nth-child(5)")
      .allTextContents();
    expect(grades).toContain("优秀 excellent");
    expect(grades).not.toContain("excellent");
    await page.getByTestId("lang").selectOption("en");
    await expect
      .poll(() => stability.textContent())
      .toBe(
        "Rank 9 and grade 优秀 excellent hold for 开门评议 public evaluation points in [104470/2929 ≈ 35.67 … 703800/15233 ≈ 46.20).",
      );

    // Swept from 20 to 30, the nominal 40 is not in the range: no stretch around it is known.
    await page.getByLabel("to", { exact: true }).fill("30");
    await page.getByRole("button", { name: "Run" }).first().click();
    await expect
      .poll(() => stability.textContent())
      .toBe(
        "No stretch where the nominal rank and grade hold: the nominal 40 开门评议 public evaluation points lie outside the swept range, 20 to 30.",
      );
    await tabs.putBack(page);
  });

  it("shades the selected unit's stability interval in the sweep chart", async () => {
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018" });
    const chart = page.getByTestId("sweep-chart");
    const pick = page.getByTestId("sweep-unit");
    await expect.poll(() => pick.locator("option[value=U09]").count()).toBe(1);
    // The chart's option as drawn: the selected unit's series carries the shaded stretch.
    type Mark = { xAxis?: number; name?: string };
    const bands = async () => {
      const series = await drawnSeries<{ name: string; markArea?: Mark[][] }>(chart);
      return series.flatMap((s) => (s.markArea ?? []).map(([from, to]) => ({ unit: s.name, from, to })));
    };
    await expect.poll(async () => (await bands()).length).toBe(0);

    await pick.selectOption("U09");
    // 市市场监督管理局's rank and grade hold in [104470/2929 ≈ 35.67 … 703800/15233 ≈ 46.20).
    await expect.poll(async () => (await bands()).length).toBe(1);
    const [band] = await bands();
    expect(band!.unit).toBe("市市场监督管理局");
    expect(band!.from!.xAxis).toBeCloseTo(104470 / 2929, 9);
    expect(band!.to!.xAxis).toBeCloseTo(703800 / 15233, 9);
    expect(band!.from!.name).toBe("[104470/2929 ≈ 35.67 … 703800/15233 ≈ 46.20)");

    await pick.selectOption("");
    await expect.poll(async () => (await bands()).length).toBe(0);
    await tabs.putBack(page);
  });

  it("asks the gateway once for each analysis when the page opens", async () => {
    // Twice was React's development build (StrictMode runs effects twice), which the tests built.
    const page = await tabs.open("analyst", { path: "#/rankings?cycle=2018" });
    const names: string[] = [];
    await page.route("**/graphql", async (route) => {
      names.push(/^\s*query (\w+)/.exec(route.request().postDataJSON().query)?.[1] ?? "");
      await route.continue();
    });
    await page.goto(`${stack.url}/#/robustness?cycle=2018`);
    for (const card of ["sweep", "mc", "loo"]) await page.getByTestId(`${card}-under`).waitFor();
    for (const name of ["Sweep", "Uncertainty", "LeaveOneOut"])
      expect({ name, sent: names.filter((n) => n === name).length }).toEqual({ name, sent: 1 });
    await tabs.putBack(page);
  });

  it("says at the sweep's bound box what is wrong with it, and sends nothing until both read", async () => {
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018" });
    await page.getByTestId("sweep-chart").waitFor();
    const sent = await variablesSent(page, "Sweep");
    const runSweep = () => page.getByRole("button", { name: "运行" }).first().click();
    const from = page.getByTestId("sweep-from");
    const to = page.getByTestId("sweep-to");

    await from.fill("abc");
    await runSweep();
    await expect.poll(() => page.getByTestId("sweep-from-problem").textContent()).toBe("不是数字。");
    expect(await from.getAttribute("aria-invalid")).toBe("true");
    // The box keeps its name while it says what is wrong.
    expect(await page.getByLabel("从", { exact: true }).getAttribute("data-testid")).toBe("sweep-from");

    await from.fill("-5");
    expect(await page.getByTestId("sweep-from-problem").count()).toBe(0);
    await runSweep();
    await expect.poll(() => page.getByTestId("sweep-from-problem").textContent()).toBe("须为 ≥ 0。");

    // To must be above from: named at the to box, from itself is fine.
    await from.fill("30");
    await to.fill("30");
    await runSweep();
    await expect.poll(() => page.getByTestId("sweep-to-problem").textContent()).toBe("须为 > 30。");
    expect(await page.getByTestId("sweep-from-problem").count()).toBe(0);
    expect(await to.getAttribute("aria-invalid")).toBe("true");
    expect(sent).toEqual([]);

    // Both boxes emptied are the gateway's defaults, 0 to the sum of every category's points.
    await from.fill("");
    await to.fill("");
    await runSweep();
    await expect.poll(() => sent.length).toBeGreaterThan(0);
    expect(sent[0]).not.toHaveProperty("from");
    expect(sent[0]).not.toHaveProperty("to");
    await page.getByTestId("sweep-chart").waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("says at the sweep's bound box when it is past the scheme's total, before anything is sent", async () => {
    // city-review 2018: 30 + 30 + 40 = 100 points.
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018" });
    await page.getByTestId("sweep-chart").waitFor();
    const sent = await variablesSent(page, "Sweep");
    const runSweep = () => page.getByRole("button", { name: "运行" }).first().click();
    const from = page.getByTestId("sweep-from");
    const to = page.getByTestId("sweep-to");
    const others = page.getByLabel("其他类别", { exact: true });

    // An empty to is the total: a from of 100 leaves nothing to sweep.
    await from.fill("100");
    await to.fill("");
    await runSweep();
    await expect.poll(() => page.getByTestId("sweep-from-problem").textContent()).toBe("须为 < 100。");
    expect(await from.getAttribute("aria-invalid")).toBe("true");

    // Rescaled, to is held to the total: the change of mode is checked as the button is.
    await from.fill("20");
    await to.fill("120");
    await others.selectOption("RESCALE");
    await expect.poll(() => page.getByTestId("sweep-to-problem").textContent()).toBe("须为 ≤ 100。");
    expect(await page.getByTestId("sweep-from-problem").count()).toBe(0);
    expect(sent).toEqual([]);

    await to.fill("100");
    await runSweep();
    await expect.poll(() => sent.length).toBeGreaterThan(0);
    expect(sent[0]).toMatchObject({ from: "20", to: "100", others: "RESCALE" });
    await page.getByTestId("sweep-chart").waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("sweeps public evaluation with organ construction giving the points, as the 2019 reform moved them", async () => {
    // city-review 2018: business 30, organ 30, public 40.
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018&unit=U09" });
    await page.getByTestId("sweep-chart").waitFor();
    const sent = await variablesSent(page, "Sweep");
    const runSweep = () => page.getByRole("button", { name: "运行" }).first().click();
    const to = page.getByTestId("sweep-to");
    // No donor to choose until the points are transferred.
    expect(await page.getByTestId("sweep-donor").count()).toBe(0);
    await page.getByLabel("其他类别", { exact: true }).selectOption("TRANSFER");
    const donor = page.getByLabel("转出分值的类别", { exact: true });
    // Any category but the one swept; the first of them to start with.
    expect(
      await donor.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
    ).toEqual(["business", "organ"]);
    expect(await donor.inputValue()).toBe("business");
    await donor.selectOption("organ");
    await expect
      .poll(() => sent.at(-1))
      .toMatchObject({ category: "public", others: "TRANSFER", donor: "organ", from: "20", to: "60" });
    await page.getByTestId("sweep-chart").waitFor();
    const stability = page.getByTestId("sweep-stability");
    // Narrower than with organ construction fixed (35.67 to 46.20): what public gains, organ loses.
    await expect
      .poll(() => stability.textContent())
      .toBe(
        "“开门评议 public evaluation”分值在 [101215/2689 ≈ 37.64 … 1219000/28113 ≈ 43.36) 内，名次 9、等次 优秀 excellent 保持不变。",
      );
    const asGateway = await stack.gateway.gql(
      `{ weightSweep(cycleId: "2018", category: "public", from: "20", to: "60", others: TRANSFER, donor: "organ") {
        ... on WeightSweep { units(unitIds: ["U09"]) { edges { node { stability { from to } } } } } } }`,
      {},
      { as: "analyst" },
    );
    expect(asGateway.body.data.weightSweep.units.edges[0].node.stability).toEqual({
      from: "101215/2689",
      to: "1219000/28113",
    });

    // Organ construction's 30 points are all it can give: public goes no further than 70.
    const before = sent.length;
    await to.fill("70.5");
    await runSweep();
    await expect.poll(() => page.getByTestId("sweep-to-problem").textContent()).toBe("须为 ≤ 70。");
    expect(sent).toHaveLength(before);

    // Swept itself, organ construction cannot give: the donor is the first other category.
    await page.getByTestId("sweep-category").selectOption("organ");
    await expect.poll(() => donor.inputValue()).toBe("business");
    await expect
      .poll(() => sent.at(-1))
      .toMatchObject({ category: "organ", others: "TRANSFER", donor: "business", from: "10", to: "50" });
    await page.getByTestId("lang").selectOption("en");
    await expect
      .poll(() =>
        page.getByLabel("Other categories", { exact: true }).locator("option:checked").textContent(),
      )
      .toBe("transfer from…");
    expect(await page.getByLabel("Category that gives the points", { exact: true }).inputValue()).toBe(
      "business",
    );
    expect(await page.getByRole("alert").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("sweeps a newly chosen category around its exact points, to every place they have", async () => {
    const page = await tabs.open("analyst");
    // The console reads the points from the cycle's scheme: points that are not whole, as a
    // scheme may have them (still 100 in all), to ten places, which the gateway reads as the
    // engine does (it once took 9, and the boxes refused the tenth).
    const points: Record<string, string> = {
      business: "32.7",
      organ: "27.3000000001",
      public: "39.9999999999",
    };
    const sent = await variablesSent(page, "Sweep");
    // The last route is tried first: every other request falls back to the one recording sweeps.
    await page.route("**/graphql", async (route) => {
      if (!(route.request().postData() ?? "").includes("query CycleScheme")) return route.fallback();
      const response = await route.fetch();
      const json = await response.json();
      for (const c of json.data.cycle.scheme.document.categories) c.points = points[c.id];
      await route.fulfill({ response, json });
    });
    await page.goto(`${stack.url}/#/robustness?cycle=2018`);
    const from = page.getByTestId("sweep-from");
    const to = page.getByTestId("sweep-to");
    // The last category first: 39.9999999999 ± 20, every place kept.
    const of = (category: string) => sent.filter((v) => v.category === category);
    await expect.poll(() => of("public").length).toBe(1);
    expect(of("public")[0]).toMatchObject({ from: "19.9999999999", to: "59.9999999999" });
    expect(await page.getByTestId("sweep-from-problem").count()).toBe(0);
    expect(await page.getByTestId("sweep-to-problem").count()).toBe(0);

    // As floats, 32.7 − 20 is 12.700000000000003.
    await page.getByTestId("sweep-category").selectOption("business");
    await expect.poll(() => of("business").length).toBe(1);
    expect(of("business")[0]).toMatchObject({ from: "12.7", to: "52.7" });
    expect(await from.inputValue()).toBe("12.7");
    expect(await to.inputValue()).toBe("52.7");
    await page.getByTestId("sweep-chart").waitFor();

    await page.getByTestId("sweep-category").selectOption("organ");
    await expect.poll(() => of("organ").length).toBe(1);
    expect(of("organ")[0]).toMatchObject({ from: "7.3000000001", to: "47.3000000001" });
    expect(await from.inputValue()).toBe("7.3000000001");
    expect(await page.getByRole("alert").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("does not leave the previous sweep drawn under the range of a run still computing", async () => {
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018&unit=U09" });
    const segments = page.getByTestId("sweep-segments");
    await expect.poll(() => segments.textContent()).toContain("104470/2929 ≈ 35.67");
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let asked = () => {};
    const askedFor30 = new Promise<void>((r) => {
      asked = r;
    });
    await page.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (body.includes("query Sweep") && body.includes('"from":"30"')) {
        asked();
        await held;
      }
      await route.continue();
    });
    await page.getByLabel("从", { exact: true }).fill("30");
    await page.getByRole("button", { name: "运行" }).first().click();
    await askedFor30;
    // The chart and segments on screen are of 20 to 60, under a form that now says 30 to 60.
    expect(await page.getByTestId("sweep-chart").count()).toBe(0);
    expect(await segments.count()).toBe(0);
    release();
    await expect.poll(() => segments.textContent()).toContain("104470/2929 ≈ 35.67");
    expect(await page.getByTestId("sweep-chart").count()).toBe(1);
    await tabs.putBack(page);
  });

  it("warns when the Monte-Carlo model does not reproduce the official ranks", async () => {
    const page = await tabs.open("analyst");
    await page.route("**/graphql", async (route) => {
      if (!(route.request().postData() ?? "").includes("query Uncertainty")) return route.continue();
      const response = await route.fetch();
      const json = await response.json();
      json.data.uncertainty.nominalReproduced = false;
      await route.fulfill({ response, json });
    });
    await page.goto(`${stack.url}/#/robustness?cycle=2018`);
    await page.getByTestId("mc-chart").waitFor();
    const warning = page.getByTestId("mc-not-reproduced");
    expect(await warning.count()).toBe(1);
    expect(await warning.textContent()).toContain("未能复现全部实际名次");
    await tabs.putBack(page);
  });

  it("says at the Monte-Carlo box that a seed is required, and leaves an emptied count to the gateway's default", async () => {
    const page = await tabs.open("analyst", { path: "#/robustness?cycle=2018" });
    await page.getByTestId("mc-chart").waitFor();
    const sent = await variablesSent(page, "Uncertainty");
    const runMonteCarlo = () => page.getByRole("button", { name: "运行" }).nth(1).click();

    // A seed past the gateway's Seed (2³² − 1) is named at its box, not refused for the whole query.
    await page.getByTestId("mc-seed").fill("4294967296");
    await runMonteCarlo();
    await expect.poll(() => page.getByTestId("mc-seed-problem").textContent()).toContain("0 – 4294967295");
    expect(sent).toEqual([]);

    // An emptied seed is not 0: nothing is sent, and the box says why.
    await page.getByTestId("mc-seed").fill("");
    await runMonteCarlo();
    await expect.poll(() => page.getByTestId("mc-seed-problem").count()).toBe(1);
    expect(await page.getByTestId("mc-seed-problem").textContent()).toContain("必填");
    expect(await page.getByTestId("mc-seed").getAttribute("aria-invalid")).toBe("true");
    expect(sent).toEqual([]);

    // Samples and concentration are optional: emptied, they are left out and the gateway's defaults apply.
    // A seed past GraphQL's Int is one the gateway takes too.
    await page.getByTestId("mc-seed").fill("3000000000");
    expect(await page.getByTestId("mc-seed-problem").count()).toBe(0);
    await page.getByTestId("mc-samples").fill("");
    await page.getByTestId("mc-concentration").fill("");
    await runMonteCarlo();
    await expect.poll(() => sent.length).toBeGreaterThan(0);
    expect(sent[0]).toMatchObject({ seed: 3000000000 });
    expect(sent[0]).not.toHaveProperty("samples");
    expect(sent[0]).not.toHaveProperty("concentration");
    await page.getByTestId("mc-chart").waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("lets an administrator diff versions, validate and preview a draft, publish it, and see a conflict", async () => {
    const page = await tabs.open("admin", { path: "#/rules" });
    await expect.poll(() => page.getByTestId("history").locator("tbody tr").count()).toBe(2);
    await expect.poll(() => page.getByTestId("diff").textContent()).toContain("categories[id=public].points");

    const draft = page.getByTestId("draft-json");
    await expect.poll(() => draft.inputValue()).toContain('"version": 3');
    const original = await draft.inputValue();

    await draft.fill(original.replace('"id": "city-review"', '"id": "city-review",,'));
    await page.getByTestId("preview").click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("JSON");

    // The server's validation feedback, with the path of the problem.
    await draft.fill(original.replace(/"points": 50/, '"points": -5'));
    await page.getByTestId("preview").click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("points");

    await draft.fill(original.replace(/"points": 50/, '"points": 45'));
    await page.getByTestId("preview-cycle").selectOption("2019");
    await page.getByTestId("preview").click();
    await expect.poll(() => page.getByTestId("impact").locator("tbody tr").count()).toBe(29);

    await page.getByTestId("reason").fill("公众评议 50 → 45（测试）");
    await page.getByTestId("publish").click();
    // Asked first, with what the draft changes against version 2.
    await expect.poll(() => page.getByTestId("publish-headlines").textContent()).toContain("public 50 → 45");
    await page.getByTestId("publish-confirm").click();
    await expect.poll(() => page.getByTestId("published").textContent()).toContain("3");
    await expect.poll(() => page.getByTestId("history").locator("tbody tr").count()).toBe(3);
    expect(await page.getByTestId("history").textContent()).toContain("公众评议 50 → 45（测试）");

    // Another administrator publishes version 4 meanwhile: publishing on top of 3 is a conflict.
    const v3 = await stack.gateway.gql(
      `{ schemeVersion(schemeId: "city-review") { ... on SchemeVersion { document } } }`,
      {},
      { as: "admin" },
    );
    await publishVersion(
      "city-review",
      3,
      // A change of its own: a version that changes nothing is refused.
      { ...v3.body.data.schemeVersion.document, name: "another administrator's edit" },
      "other admin",
      { as: "admin", subject: "admin-2" },
    );
    // An edit of version 3 (as published, the draft has nothing to publish).
    await draft.fill(original.replace(/"points": 50/, '"points": 40'));
    // Published only as previewed.
    await page.getByTestId("preview").click();
    await expect.poll(() => page.getByTestId("impact").locator("tbody tr").count()).toBe(29);
    await page.getByTestId("reason").fill("second edit");
    await page.getByTestId("publish").click();
    await page.getByTestId("publish-confirm").click();
    await expect.poll(() => page.getByTestId("conflict").textContent()).toContain("3");
    // Reloading replaces the edit, once the administrator says so.
    page.on("dialog", (d) => void d.accept());
    await page.getByTestId("conflict").getByRole("button").click();
    await expect.poll(() => draft.inputValue()).toContain('"version": 5');
    await tabs.putBack(page);
  });

  it("shows the scheme's maximum before and after in the impact preview, set apart when it changes", async () => {
    const page = await tabs.open("admin", { lang: "en", path: "#/rules?scheme=city-review" });
    const draft = page.getByTestId("draft-json");
    await expect.poll(() => draft.inputValue()).toContain('"id": "city-review"');
    // 2019 is scored under version 2 (30 + 20 + 50): drafts of it, whatever later tests publish.
    const v2 = await stack.gateway.gql(
      `{ schemeVersion(schemeId: "city-review", version: 2) { ... on SchemeVersion { document } } }`,
      {},
      { as: "admin" },
    );
    const document = v2.body.data.schemeVersion.document;
    const withOrgan = (points: number) =>
      JSON.stringify(
        {
          ...document,
          categories: document.categories.map((c: { id: string }) =>
            c.id === "organ" ? { ...c, points } : c,
          ),
        },
        null,
        2,
      );
    const maximum = page.getByTestId("maximum");

    // A slip: organ construction's 20 typed as 30.
    await draft.fill(withOrgan(30));
    await page.getByTestId("preview-cycle").selectOption("2019");
    await page.getByTestId("preview").click();
    await expect.poll(() => maximum.textContent()).toContain("Maximum total: 100 → 110");
    expect(await maximum.getAttribute("data-changed")).toBe("true");

    await draft.fill(withOrgan(20));
    await page.getByTestId("preview").click();
    await expect.poll(() => maximum.textContent()).toContain("Maximum total: 100 (unchanged)");
    expect(await maximum.getAttribute("data-changed")).toBe("false");
    await tabs.putBack(page);
  });

  it("offers no Publish for a draft that changes nothing, and says so at the editor when the gateway refuses one", async () => {
    await publishCopy("village-review", "a scheme to publish nothing on");
    const page = await tabs.open("admin", { path: "#/rules?scheme=village-review" });
    const draft = page.getByTestId("draft-json");
    await expect.poll(() => draft.inputValue()).toContain('"id": "village-review"');
    const original = await draft.inputValue();
    const publish = page.getByTestId("publish");
    await page.getByTestId("reason").fill("publish it again");
    // Its `version` already says 2: not a rule, so the draft still has version 1's rules.
    expect(original).toContain('"version": 2');
    await expect.poll(() => publish.isDisabled()).toBe(true);
    expect(await page.getByTestId("unchanged").textContent()).toContain("第 1 版");
    await draft.fill(original.replace(/"points": \d+/, '"points": 44'));
    await expect.poll(() => publish.isDisabled()).toBe(false);
    expect(await page.getByTestId("unchanged").count()).toBe(0);
    await draft.fill(original);
    await expect.poll(() => publish.isDisabled()).toBe(true);

    // Back after a reload, the draft cannot read the version it is based on: the gateway judges.
    await page.route("**/graphql", (route) =>
      (route.request().postData() ?? "").includes("query Doc")
        ? route.fulfill({
            json: {
              data: {
                schemeVersion: { __typename: "NotFoundError", code: "NOT_FOUND", message: "unreadable" },
              },
            },
          })
        : route.continue(),
    );
    await page.reload();
    await page.getByTestId("draft-restored").waitFor();
    await expect.poll(() => publish.isDisabled()).toBe(false);
    await publish.click();
    const issues = page.getByTestId("draft-issues");
    await expect.poll(() => issues.textContent()).toContain("没有可发布的修改：草稿的规则与第 1 版相同");
    // The draft's diff against version 1 is empty: nothing is asked, and nothing is sent to publish.
    expect(await issues.getAttribute("title")).toContain("no changes against version 1");
    expect(await draft.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("alert").count()).toBe(1);
    expect(await page.getByTestId("history").locator("tbody tr").count()).toBe(1);
    await tabs.putBack(page);
  });

  it("drafts another scheme without offering the first scheme's cycles to preview it on", async () => {
    await publishCopy("county-review", "a second scheme");
    const page = await tabs.open("admin", { path: "#/rules?scheme=city-review" });
    await expect.poll(() => page.getByTestId("preview-cycle").inputValue()).toBe("2019");
    await page.getByTestId("scheme").selectOption("county-review");
    await expect.poll(() => page.getByTestId("draft-json").inputValue()).toContain('"id": "county-review"');
    // No cycle is scored under county-review: previewing its draft on city-review's 2019 would
    // show the effect of one scheme's rules on another scheme's cycle.
    expect(await page.getByTestId("preview-cycle").inputValue()).toBe("");
    expect(await page.getByTestId("preview").isDisabled()).toBe(true);
    await tabs.putBack(page);
  });

  it("shows no scheme's version history under another scheme while that one's loads", async () => {
    await publishCopy("district-review", "a scheme with one version");
    const page = await tabs.open("admin", { path: "#/rules?scheme=city-review" });
    const history = page.getByTestId("history").locator("tbody tr");
    await expect.poll(() => history.count()).toBeGreaterThan(1);
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let asked = () => {};
    const askedForDistrict = new Promise<void>((r) => {
      asked = r;
    });
    await page.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (body.includes("query History") && body.includes('"district-review"')) {
        asked();
        await held;
      }
      await route.continue();
    });
    await page.getByTestId("scheme").selectOption("district-review");
    await askedForDistrict;
    // city-review's versions, and a diff of them asked of district-review, are not district-review's.
    expect(await history.count()).toBe(0);
    expect(await page.getByTestId("diff-to").count()).toBe(0);
    release();
    await expect.poll(() => history.count()).toBe(1);
    expect(await page.getByTestId("history").textContent()).toContain("a scheme with one version");
    await tabs.putBack(page);
  });

  it("shows no diff of the versions picked before while the diff of those picked now loads", async () => {
    await publishCopy("diff-race", "first");
    const doc = (
      await stack.gateway.gql(
        `{ schemeVersion(schemeId: "diff-race") { ... on SchemeVersion { document } } }`,
        {},
        { as: "admin" },
      )
    ).body.data.schemeVersion.document;
    await publishVersion("diff-race", 1, { ...doc, name: "第二版名称" }, "second");
    await publishVersion("diff-race", 2, { ...doc, name: "第三版名称" }, "third");
    const page = await tabs.open("admin", { path: "#/rules?scheme=diff-race" });
    const diff = page.getByTestId("diff");
    await expect.poll(() => diff.textContent()).toContain("第二版名称");
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let asked = () => {};
    const askedFrom1 = new Promise<void>((r) => {
      asked = r;
    });
    await page.route("**/graphql", async (route) => {
      const body = route.request().postDataJSON() as { query: string; variables: { from?: number } };
      if (body.query.includes("query Diff") && body.variables.from === 1) {
        asked();
        await held;
      }
      await route.continue();
    });
    await page.getByTestId("diff-from").selectOption("1");
    await askedFrom1;
    // Versions 2 → 3 are not 1 → 3.
    expect(await diff.count()).toBe(0);
    release();
    await expect.poll(() => diff.textContent()).toContain("第三版名称");
    expect(await diff.textContent()).not.toContain("第二版名称");
    await tabs.putBack(page);
  });

  it("shows no impact preview of a draft edited while the preview was computed", async () => {
    const page = await tabs.open("admin", { path: "#/rules?scheme=city-review" });
    const draft = page.getByTestId("draft-json");
    await expect.poll(() => draft.inputValue()).toContain('"version"');
    await expect.poll(() => page.getByTestId("preview").isEnabled()).toBe(true);
    const original = await draft.inputValue();
    const edited = original.replace(/"points": (\d+)/, (_, p) => `"points": ${Number(p) - 1}`);
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let asked = () => {};
    const askedPreview = new Promise<void>((r) => {
      asked = r;
    });
    await page.route("**/graphql", async (route) => {
      if ((route.request().postData() ?? "").includes("mutation Preview")) {
        asked();
        await held;
      }
      await route.continue();
    });
    await draft.fill(edited);
    await page.getByTestId("preview").click();
    await askedPreview;
    // Edited again while the gateway computes: the impact it sends is of a text no longer there.
    await draft.fill(original.replace(/"points": (\d+)/, (_, p) => `"points": ${Number(p) - 2}`));
    release();
    await expect.poll(() => page.getByTestId("preview").isEnabled()).toBe(true);
    expect(await page.getByTestId("impact").count()).toBe(0);
    expect(await page.getByTestId("preview-first").count()).toBe(1);
    await tabs.putBack(page);
  });
  it("says why the latest version could not be loaded into the draft", async () => {
    const page = await tabs.open("admin", { path: "#/rules?scheme=city-review" });
    const draft = page.getByTestId("draft-json");
    await expect.poll(() => draft.inputValue()).toContain('"id": "city-review"');
    await page.route("**/graphql", (route) =>
      (route.request().postData() ?? "").includes("query Doc")
        ? route.fulfill({
            json: {
              data: {
                schemeVersion: {
                  __typename: "NotFoundError",
                  code: "NOT_FOUND",
                  message: "scheme city-review has gone away",
                },
              },
            },
          })
        : route.continue(),
    );
    await page.getByRole("button", { name: "以最新版本为草稿编辑" }).click();
    await expect
      .poll(() => page.getByTestId("draft").getByRole("alert").textContent())
      .toContain("scheme city-review has gone away");
    await tabs.putBack(page);
  });

  it("takes no typing into the draft until the latest version is in it, so nothing typed is replaced", async () => {
    await publishCopy("slow-review", "a scheme whose latest version loads slowly");
    const page = await tabs.open("admin", { path: "#/rules?scheme=city-review" });
    await expect.poll(() => page.getByTestId("draft-json").inputValue()).toContain('"id": "city-review"');
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let asked = () => {};
    const loading = new Promise<void>((r) => {
      asked = r;
    });
    await page.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (body.includes("query Doc") && body.includes("slow-review")) {
        asked();
        await held;
      }
      return route.continue();
    });
    await page.getByTestId("scheme").selectOption("slow-review");
    await loading;
    const draft = page.getByTestId("draft-json");
    expect(await draft.isEditable()).toBe(false);
    await draft.focus();
    await page.keyboard.type("typed while loading");
    expect(await draft.inputValue()).toBe("");
    release();
    await expect.poll(() => draft.inputValue()).toContain('"id": "slow-review"');
    expect(await draft.isEditable()).toBe(true);

    // The same while "Edit latest" reloads it: an edit made meanwhile would be replaced.
    await page.unroute("**/graphql");
    const loaded = await draft.inputValue();
    let releaseAgain = () => {};
    const heldAgain = new Promise<void>((r) => {
      releaseAgain = r;
    });
    let askedAgain = () => {};
    const reloading = new Promise<void>((r) => {
      askedAgain = r;
    });
    await page.route("**/graphql", async (route) => {
      if ((route.request().postData() ?? "").includes("query Doc")) {
        askedAgain();
        await heldAgain;
      }
      return route.continue();
    });
    await page.getByRole("button", { name: "以最新版本为草稿编辑" }).click();
    await reloading;
    expect(await draft.isEditable()).toBe(false);
    releaseAgain();
    await expect.poll(() => draft.isEditable()).toBe(true);
    expect(await draft.inputValue()).toBe(loaded);
    await tabs.putBack(page);
  });

  it("asks before Edit latest or a conflict's Reload replaces a draft typed in, and keeps it unless told", async () => {
    // Its own scheme at version 1, scoring no cycle: published without a preview.
    await publishCopy("ask-review", "a scheme to replace drafts of");
    const page = await tabs.open("admin", { lang: "en", path: "#/rules?scheme=ask-review" });
    const draft = page.getByTestId("draft-json");
    await expect.poll(() => draft.inputValue()).toContain('"id": "ask-review"');
    const loaded = await draft.inputValue();
    const asked: string[] = [];
    let answer = false;
    page.on("dialog", (d) => {
      asked.push(d.message());
      void (answer ? d.accept() : d.dismiss());
    });
    const editLatest = page.getByRole("button", { name: "Edit latest as draft" });

    // Nothing typed: nothing to lose, nothing asked.
    await editLatest.click();
    await expect.poll(() => draft.isEditable()).toBe(true);
    expect(asked).toEqual([]);

    const edited = loaded.replace(/"points": \d+/, '"points": 41');
    await draft.fill(edited);
    await editLatest.click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain("What you typed in it will be lost");
    expect(await draft.inputValue()).toBe(edited);

    // Another administrator publishes meanwhile: the draft's publish is a conflict, and Reload asks too.
    const latest = await stack.gateway.gql(
      `{ schemeVersion(schemeId: "ask-review") { ... on SchemeVersion { document } } }`,
      {},
      { as: "admin" },
    );
    await publishVersion(
      "ask-review",
      1,
      // A name of its own: city-review's latest, copied, may carry another test's.
      { ...latest.body.data.schemeVersion.document, name: "ask-review: another administrator's edit" },
      "other admin",
      { as: "admin", subject: "admin-2" },
    );
    await page.getByTestId("reason").fill("points 41");
    await page.getByTestId("publish").click();
    await page.getByTestId("publish-confirm").click();
    const conflict = page.getByTestId("conflict");
    await conflict.waitFor();
    await conflict.getByRole("button").click();
    await expect.poll(() => asked.length).toBe(2);
    expect(await draft.inputValue()).toBe(edited);
    expect(await conflict.count()).toBe(1);

    // Told to: the latest version replaces the draft.
    answer = true;
    await conflict.getByRole("button").click();
    await expect.poll(() => draft.inputValue()).toContain('"version": 3');
    expect(asked.length).toBe(3);
    expect(await draft.inputValue()).not.toContain('"points": 41');
    await tabs.putBack(page);
  });

  it("keeps an administrator's draft through an expired session, and forgets it once published", async () => {
    // Its own scheme at version 1: the draft is based on 1 and publishing makes 2.
    await publishCopy("town-review", "a scheme to draft on");
    const page = await tabs.open("admin", { path: "#/rules?scheme=town-review" });
    const draft = page.getByTestId("draft-json");
    await expect.poll(() => draft.inputValue()).toContain('"id": "town-review"');
    const edited = (await draft.inputValue()).replace(/"points": \d+/, '"points": 44');
    await draft.fill(edited);
    await page.getByTestId("reason").fill("town: 44");

    // The token runs out while the administrator publishes: the gateway refuses the call.
    await page.getByTestId("publish").click();
    await expireSession(page, () => page.getByTestId("publish-confirm").click());
    await signInAgain(page, await stack.gateway.token("admin", "admin-1"));

    await expect.poll(() => page.getByTestId("draft-json").inputValue()).toBe(edited);
    expect(await page.getByTestId("reason").inputValue()).toBe("town: 44");
    expect(await page.getByTestId("draft-restored").textContent()).toContain("第 1 版");
    await page.getByTestId("publish").click();
    await page.getByTestId("publish-confirm").click();
    await expect.poll(() => page.getByTestId("published").textContent()).toContain("2");
    // Published: coming back to the page starts from the latest version, not the old draft.
    await page.reload();
    await expect.poll(() => page.getByTestId("history").locator("tbody tr").count()).toBe(2);
    await expect.poll(() => page.getByTestId("draft-json").inputValue()).toContain('"points": 44');
    expect(await page.getByTestId("reason").inputValue()).toBe("");
    expect(await keptWork(page)).toEqual([]);
    await tabs.putBack(page);
  });

  it("dates the version history in the console's language, not the browser's", async () => {
    // An English browser: the console starts in English, and is then switched to 中文.
    const page = await tabs.open("admin", { lang: "en", path: "#/rules?scheme=city-review" });
    const dates = page.getByTestId("history").locator("tbody tr td:nth-child(2)");
    await expect.poll(() => dates.count()).toBeGreaterThan(0);
    expect((await dates.allTextContents()).join(" ")).not.toContain("年");
    await page.getByTestId("lang").selectOption("zh-CN");
    await expect
      .poll(async () => (await dates.allTextContents()).every((d) => /\d{4}年\d+月\d+日/.test(d)))
      .toBe(true);
    await tabs.putBack(page);
  });

  it("keeps the comparison when Enter is pressed on a compare box", async () => {
    const page = await tabs.open("analyst", { path: "#/rankings?cycle=2018" });
    await expect.poll(() => rows(page).count()).toBe(29);
    await page.locator("tr[data-unit=U09] input[type=checkbox]").check();
    const box = page.locator("tr[data-unit=U26] input[type=checkbox]");
    await box.check();
    await expect.poll(() => page.getByTestId("compare-panel").count()).toBe(1);
    await box.press("Enter");
    const params = () => new URLSearchParams(new URL(page.url()).hash.split("?")[1]);
    expect(params().get("compare")).toBe("U09,U26");
    expect(params().get("unit")).toBeNull();
    await expect.poll(() => page.getByTestId("compare-panel").count()).toBe(1);
    await tabs.putBack(page);
  });

  it("names every control on every page, for screen readers and voice control", async () => {
    const page = await tabs.open("admin");
    // Each view, and what shows it has rendered its controls.
    const views: [string, string][] = [
      ["rankings?cycle=2018&unit=U09", "unit-panel"],
      ["whatif?cycle=2018&unit=U09", "why"],
      ["yoy?before=2018&cycle=2019&unit=U11", "why"],
      ["yoy?before=2018&cycle=2019&split=1&unit=U09", "why-rules"],
      ["robustness?cycle=2018&unit=U09", "sweep-segments"],
      ["rules", "diff"],
      ["events?cycle=2019", "veto-form"],
      ["ballots?cycle=2019", "ballot-form"],
      ["ballots?cycle=2019&show=tallies", "tallies-list"],
      ["cycles", "cycle-create"],
      ["imports?cycle=2019", "import-upload"],
      ["history?cycle=2019", "audit-list"],
    ];
    const unnamed: string[] = [];
    for (const [view, testId] of views) {
      await page.goto(`${stack.url}/#/${view}`);
      await page.getByTestId(testId).first().waitFor();
      for (const role of ["combobox", "textbox", "spinbutton", "slider", "checkbox"] as const) {
        const all = await page.getByRole(role).count();
        const named = await page.getByRole(role, { name: /\S/ }).count();
        if (named < all) unnamed.push(`${view}: ${all - named} ${role}`);
      }
    }
    expect(unnamed).toEqual([]);
    await tabs.putBack(page);
  });

  it("refuses a viewer the administrators' pages", async () => {
    const page = await tabs.open("viewer", { path: "#/rules" });
    await expect.poll(() => page.getByTestId("refused").textContent()).toContain("管理员");
    expect(await page.locator("header nav a").allTextContents()).toEqual([
      "排名",
      "一票否决与加分",
      "问题整改",
      "票决与测评表",
    ]);
    await page.goto(`${stack.url}/#/whatif`);
    await expect.poll(() => page.getByTestId("refused").isVisible()).toBe(true);
    await tabs.putBack(page);
  });

  it("rejects a token that is not Pingyi's and keeps the user on the sign-in screen", async () => {
    const context = await browser.newContext({ locale: "en" });
    const page = await context.newPage();
    await page.goto(stack.url);
    await page.locator("textarea[name=token]").fill("not-a-token");
    await page.locator("form.login button[type=submit]").click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("role claim");
    // The console's own message follows the language chosen on the sign-in screen.
    await page.getByTestId("lang").selectOption("zh-CN");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("这不是评议的令牌");
    await page.getByTestId("lang").selectOption("en");
    const forged = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('{"role":"admin","sub":"x"}').toString("base64url")}.sig`;
    await page.locator("textarea[name=token]").fill(forged);
    await page.locator("form.login button[type=submit]").click();
    await expect.poll(() => page.getByRole("alert").textContent()).not.toContain("role claim");
    expect(await page.getByTestId("role").count()).toBe(0);
    await context.close();
  });

  it.each(["calls", "access"] as const)(
    "signs in, and works, for the page's lifetime where the browser refuses its storage (%s)",
    async (refusal) => {
      const context = await browser.newContext({ locale: "en" });
      // Safari's private mode or a full quota (each call throws), or site data disabled (reaching
      // the storage throws a SecurityError): nothing is kept, nothing fails.
      await context.addInitScript((how) => {
        const refuse = () => {
          throw new DOMException("The operation is insecure.", "SecurityError");
        };
        if (how === "calls")
          for (const call of ["getItem", "setItem", "removeItem"] as const)
            Object.defineProperty(Storage.prototype, call, { value: refuse, configurable: true });
        else
          for (const name of ["sessionStorage", "localStorage"])
            Object.defineProperty(window, name, { get: refuse, configurable: true });
      }, refusal);
      const page = await context.newPage();
      const failures: string[] = [];
      page.on("pageerror", (e) => failures.push(e.message));
      await page.goto(`${stack.url}/#/rankings?cycle=2018`);
      await signInAgain(page, await stack.gateway.token("analyst", "analyst-1"));
      await page.getByTestId("role").waitFor();
      await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
      // Another page, and its requests, go with the session kept in the page.
      await menuLink(page, "whatif").click();
      await page.getByTestId("input-public").fill("44");
      await expect.poll(() => page.getByTestId("input-public").inputValue()).toBe("44");
      await page.getByTestId("lang").selectOption("zh-CN");
      await expect.poll(() => page.getByRole("button", { name: "退出" }).count()).toBe(1);
      expect(await page.getByTestId("refused").count()).toBe(0);
      await page.getByRole("button", { name: "退出" }).click();
      await page.locator("textarea[name=token]").waitFor();
      expect(failures).toEqual([]);
      await context.close();
    },
  );

  it("says in the user's language why the gateway refused a token or could not check it", async () => {
    const context = await browser.newContext({ locale: "en" });
    const page = await context.newPage();
    await page.goto(stack.url);
    const alert = page.getByRole("alert");
    const submit = async (token: string) => {
      await page.locator("textarea[name=token]").fill(token);
      await page.locator("form.login button[type=submit]").click();
    };

    // Pingyi's shape, but not signed by this gateway: the real gateway refuses it.
    const forged = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('{"role":"admin","sub":"x"}').toString("base64url")}.sig`;
    await submit(forged);
    await expect
      .poll(() => alert.textContent())
      .toBe(
        "The gateway refused this token: it is mistyped, expired, or was issued by another gateway. Ask for a new one.",
      );
    // The gateway's own words stay, for support, as the alert's title.
    const said = await alert.getAttribute("title");
    expect(said).toBeTruthy();
    expect(await alert.textContent()).not.toContain(said!);
    await page.getByTestId("lang").selectOption("zh-CN");
    await expect
      .poll(() => alert.textContent())
      .toBe("网关拒绝了此令牌：令牌有误、已过期，或由其他网关签发。请重新获取令牌。");

    const token = await stack.gateway.token("viewer", "viewer-1");
    const answered = async (reply: (route: Route) => Promise<void>) => {
      await page.unroute("**/graphql");
      await page.route("**/graphql", reply);
      await submit(token);
    };
    // No reply at all: fetch's "Failed to fetch" is not shown.
    await answered((route) => route.abort("connectionrefused"));
    await expect
      .poll(() => alert.textContent())
      .toBe("无法连接到网关。请检查网络连接或网关是否正在运行，然后重试。");
    expect(await alert.getAttribute("title")).toBe("Failed to fetch");
    await page.getByTestId("lang").selectOption("en");
    await expect
      .poll(() => alert.textContent())
      .toBe(
        "The console cannot reach the gateway. Check your network connection, or whether the gateway is running, and try again.",
      );

    const refusal = (status: number, message: string, code: string) => (route: Route) =>
      route.fulfill({ status, json: { errors: [{ message, extensions: { code } }] } });
    await answered(refusal(429, "too many requests", "RATE_LIMITED"));
    await expect
      .poll(() => alert.textContent())
      .toBe("Too many requests in a short time. Wait a moment and try again.");
    await page.getByTestId("lang").selectOption("zh-CN");
    await expect.poll(() => alert.textContent()).toBe("短时间内请求过多，请稍候再试。");

    await answered(refusal(503, "shutting down", "UNAVAILABLE"));
    await expect.poll(() => alert.textContent()).toBe("网关暂时不可用（可能正在重启），请稍后重试。");
    await page.getByTestId("lang").selectOption("en");
    await expect
      .poll(() => alert.textContent())
      .toBe("The gateway is not available right now (it may be restarting). Try again in a moment.");

    await answered(refusal(200, "Unexpected error.", "INTERNAL_SERVER_ERROR"));
    await expect
      .poll(() => alert.textContent())
      .toBe("Something unexpected went wrong. Try again; if it keeps happening, contact support.");
    expect(await alert.getAttribute("title")).toBe("Unexpected error.");
    await page.getByTestId("lang").selectOption("zh-CN");
    await expect
      .poll(() => alert.textContent())
      .toBe("发生了意外错误。请重试；如果问题持续，请联系技术支持。");
    expect(await page.getByTestId("role").count()).toBe(0);
    await context.close();
  });

  it("heads a crashed page in the console's language, keeps the error folded away, and recovers on reload", async () => {
    // Signed in where no page loads (a viewer is refused the rules), so the crash comes from the list below.
    const page = await tabs.open("viewer", { path: "#/rules" });
    await page.getByTestId("refused").waitFor();
    // A cycle list with a hole in it: the rankings page reads a cycle's id while it renders.
    await page.route("**/graphql", async (route) => {
      if (!(route.request().postData() ?? "").includes("query Cycles")) return route.continue();
      await route.fulfill({
        json: {
          data: { cycles: { pageInfo: { hasNextPage: false, endCursor: null }, edges: [{ node: null }] } },
        },
      });
    });
    await page.evaluate(() => {
      location.hash = "#/rankings?cycle=2018";
    });
    const crashed = page.getByRole("alert");
    await expect
      .poll(() => crashed.locator("p").textContent())
      .toBe("此页面出错，无法继续显示。 请重新加载页面，或从上方菜单打开其他页面。");
    // The developer's message is there for support, folded, not the headline.
    const details = crashed.locator("details");
    expect(await details.evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
    expect(await details.locator("summary").textContent()).toBe("详细信息（供技术支持）");
    expect(await details.textContent()).toContain("TypeError");
    expect(await crashed.locator("p").textContent()).not.toContain("TypeError");
    await page.getByTestId("lang").selectOption("en");
    await expect
      .poll(() => crashed.locator("p").textContent())
      .toBe("This page stopped working. Reload the page, or open another page from the menu above.");
    expect(await details.locator("summary").textContent()).toBe("Details for support");

    await page.unroute("**/graphql");
    await crashed.getByRole("button", { name: "Reload page" }).click();
    await expect.poll(() => rows(page).count()).toBe(29);
    expect(await page.getByRole("alert").count()).toBe(0);
    await tabs.putBack(page);
  });

  /** Where screenshots go when PINGYI_CONSOLE_SHOTS names a folder (to look at a layout by eye). */
  const shot = async (page: Page, name: string) => {
    const dir = process.env.PINGYI_CONSOLE_SHOTS;
    if (!dir) return;
    await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
    await page.screenshot({ path: `${dir}/${name}-screen.png` });
  };

  /**
   * What of the header does not fit the window: the page wider than it, Log out off screen, a
   * page's link off screen or out of the nav's box, or its label broken over lines.
   */
  const headerMisfits = (page: Page) =>
    page.evaluate(() => {
      const width = window.innerWidth;
      const misfits: string[] = [];
      const scroll = document.documentElement.scrollWidth;
      if (scroll > width) misfits.push(`page ${scroll} wide`);
      const logout = document.querySelector("header button")!.getBoundingClientRect();
      if (logout.right > width) misfits.push(`Log out ends at ${logout.right}`);
      for (const a of document.querySelectorAll("header nav a")) {
        const box = a.getBoundingClientRect();
        const nav = a.parentElement!.getBoundingClientRect();
        const text = document.createRange();
        text.selectNodeContents(a);
        const lines = new Set([...text.getClientRects()].map((r) => Math.round(r.top))).size;
        if (box.left < 0 || box.left < nav.left || box.right > nav.right || box.right > width || lines !== 1)
          misfits.push(`${a.textContent}: ${box.left}–${box.right}, ${lines} lines`);
      }
      return misfits;
    });

  // A phone, and a tablet or half a laptop screen: between 641 and 900 px the header once kept its
  // one-line layout, too wide for the English labels since the Cycles link came.
  // Both widths on one page: each view is loaded once per language and measured at each width,
  // its layout being CSS's alone (the console reads no width; charts follow their box's size).
  it("fits every page into a 390 and an 800 px wide window, tables scrolling inside their own box", async () => {
    const widths = [390, 800];
    const page = await tabs.open("admin", { viewport: { width: widths[0]!, height: 844 } });
    // The third: whether the view draws charts (What-if, Year on year and Robustness, the only ones with any).
    const views: [string, string, boolean][] = [
      ["rankings?cycle=2018&unit=U09", "unit-panel", false],
      ["rankings?cycle=2018&compare=U09,U26", "compare-panel", false],
      ["whatif?cycle=2018&unit=U09", "why", true],
      ["yoy?before=2018&cycle=2019&unit=U11", "why", true],
      ["yoy?before=2018&cycle=2019&split=1&unit=U09", "why-rules", true],
      ["robustness?cycle=2018&unit=U09", "sweep-segments", true],
      ["rules", "diff", false],
      ["events?cycle=2019", "veto-form", false],
      ["ballots?cycle=2019", "ballot-form", false],
      ["ballots?cycle=2019&show=tallies", "tallies-list", false],
      ["cycles", "cycle-create", false],
      ["imports?cycle=2019", "import-upload", false],
      ["history?cycle=2019", "audit-list", false],
    ];
    const overflowing: string[] = [];
    for (const lang of ["zh-CN", "en"] as const) {
      await page.getByTestId("lang").selectOption(lang);
      for (const [view, testId, charts] of views) {
        await page.goto(`${stack.url}/#/${view}`);
        await page.getByTestId(testId).first().waitFor();
        for (const width of widths) {
          await page.setViewportSize({ width, height: 844 });
          // Charts are drawn after their data: let them take their size before measuring.
          if (charts) await page.waitForTimeout(300);
          else expect(await page.locator(".chart").count(), view).toBe(0);
          const { scroll, inner } = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            inner: window.innerWidth,
          }));
          expect(inner).toBe(width);
          if (scroll > inner) overflowing.push(`${width} ${lang} ${view}: ${scroll} > ${inner}`);
          await shot(page, `${width}-${lang}-${view.split("?")[0]}-${testId}`);
        }
      }
    }
    expect(overflowing).toEqual([]);
    // In either language the header keeps Log out on screen, and every page's link on screen
    // whole, its label on one line: a phone shows no scroll bar, so links scrolled out of the
    // nav's box went unseen. The last one (History) takes the user there.
    for (const width of widths) {
      await page.setViewportSize({ width, height: 844 });
      for (const lang of ["zh-CN", "en"] as const) {
        await page.getByTestId("lang").selectOption(lang);
        const links = page.locator("header nav a");
        expect(await links.count()).toBe(11);
        expect(await headerMisfits(page), `${width} ${lang}`).toEqual([]);
        await page.goto(`${stack.url}/#/rankings`);
        await links.last().click();
        await page.getByTestId("history-filters").waitFor();
        expect(page.url()).toContain("#/history");
        await shot(page, `${width}-nav-${lang}`);
      }
    }
    await tabs.putBack(page);
  });

  // Up to past the width where the pages share the header's one line (styles.css, 1560 px).
  it("fits the header into every width from 390 to 1600 px, in either language", async () => {
    const page = await tabs.open("admin", { path: "#/cycles" });
    await page.getByTestId("cycle-create").waitFor();
    const misfits: string[] = [];
    for (const lang of ["zh-CN", "en"] as const) {
      await page.getByTestId("lang").selectOption(lang);
      for (let width = 390; width <= 1600; width += 10) {
        await page.setViewportSize({ width, height: 800 });
        misfits.push(...(await headerMisfits(page)).map((m) => `${lang} ${width}: ${m}`));
      }
    }
    expect(misfits).toEqual([]);
    await tabs.putBack(page);
  });

  it("gives the diff's before and after columns room for a whole value at 1280 px", async () => {
    const page = await tabs.open("admin", {
      lang: "en",
      path: "#/rules?scheme=city-review&from=1&to=2",
      viewport: { width: 1280, height: 800 },
    });
    const diff = page.getByTestId("diff");
    await expect.poll(() => diff.locator("tbody tr").count()).toBeGreaterThan(0);
    const widths = await diff
      .locator("td.before, td.after")
      .evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect().width));
    // Squeezed to 44–77 px, a value broke mid-word ("direc/t", "insuffic/ient").
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(120);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await shot(page, "1280-rules");
    for (const [view, testId] of [
      ["rankings?cycle=2018&unit=U09", "unit-panel"],
      ["whatif?cycle=2018&unit=U09", "why"],
      ["yoy?before=2018&cycle=2019&unit=U11", "why"],
      ["robustness?cycle=2018&unit=U09", "sweep-segments"],
    ] as const) {
      await page.goto(`${stack.url}/#/${view}`);
      await page.getByTestId(testId).first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
      await shot(page, `1280-${view.split("?")[0]}`);
    }
    await tabs.putBack(page);
  });

  it("lets an analyst clear a what-if number box and type another value, and sends only what reads", async () => {
    const page = await tabs.open("analyst", { path: "#/whatif?cycle=2019" });
    const table = page.getByTestId("whatif-table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(29);
    const box = page.getByTestId("input-public");
    const problem = page.getByTestId("input-public-problem");
    expect(await box.inputValue()).toBe("50");
    const sent = await variablesSent(page, "WhatIf");
    const publicPoints = () =>
      sent.map(
        (v) =>
          (v.scenario as { patch?: { categories?: { public?: { points: number } } } }).patch?.categories
            ?.public?.points,
      );

    await box.click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("45");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Backspace");
    // Emptied, the box stays empty and says why nothing is applied.
    expect(await box.inputValue()).toBe("");
    await expect.poll(() => problem.textContent()).toContain("必填");
    await page.keyboard.type("38");
    expect(await box.inputValue()).toBe("38");
    expect(await problem.count()).toBe(0);
    await expect.poll(() => publicPoints().at(-1)).toBe(38);

    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("-5");
    expect(await box.inputValue()).toBe("-5");
    await expect.poll(() => problem.textContent()).toContain("须为 ≥ 0");
    expect(await box.getAttribute("aria-invalid")).toBe("true");
    await page.getByTestId("lang").selectOption("en");
    await expect.poll(() => problem.textContent()).toContain("Must be ≥ 0");
    expect(await problem.textContent()).toContain("38");
    // A percent quota above 100 is named at its box too, not sent to be refused.
    await page.getByTestId("input-quota").fill("150");
    await expect.poll(() => page.getByTestId("input-quota-problem").textContent()).toContain("0 – 100");
    await page.waitForTimeout(600);
    // Only what the box read as a number was sent: 45, 38, and on a loaded machine, where a
    // keystroke can come after the 250 ms debounce, the 4 and 3 the box held between keys; never
    // the emptied box, -5, or the 438 an emptied box once turned "38" into.
    expect(publicPoints().every((p) => p === undefined || [45, 4, 3, 38].includes(p))).toBe(true);
    expect(sent.some((v) => JSON.stringify(v.scenario).includes("150"))).toBe(false);
    // The slider's range grew for no value that was never applied.
    expect(Number(await page.getByTestId("slider-public").getAttribute("max"))).toBe(100);

    // Moving the slider replaces what the box held.
    await page.getByTestId("slider-public").focus();
    await page.keyboard.press("ArrowRight");
    expect(await box.inputValue()).toBe("39");
    expect(await problem.count()).toBe(0);
    // Reset starts the box afresh, even where the value applied is the scheme's already.
    await page.getByTestId("reset").click();
    expect(await box.inputValue()).toBe("50");
    await box.fill("");
    await expect.poll(() => problem.count()).toBe(1);
    await page.getByTestId("reset").click();
    expect(await box.inputValue()).toBe("50");
    expect(await problem.count()).toBe(0);
    await tabs.putBack(page);
  });

  it("marks the what-if results out of date when the gateway refuses the settings they no longer match", async () => {
    const page = await tabs.open("analyst", { path: "#/whatif?cycle=2018" });
    const table = page.getByTestId("whatif-table");
    const u09 = table.locator("tr[data-unit=U09]");
    await expect.poll(() => u09.locator("td").first().textContent()).toBe("9");
    expect(await page.getByTestId("whatif-stale").count()).toBe(0);
    await refuseAs(
      page,
      "query WhatIf",
      "whatIf",
      "patch.grades.rules.excellent.quota.percent: must be at most 100",
    );
    await page.getByTestId("input-public").fill("50");
    await expect.poll(() => page.getByTestId("whatif-stale").textContent()).toContain("先前的设置");
    // The baseline's ranks stay in view, dimmed and said to be the previous settings'.
    expect(await u09.locator("td").first().textContent()).toBe("9");
    expect(await page.getByTestId("whatif-results").getAttribute("data-stale")).toBe("true");
    await page.getByTestId("lang").selectOption("en");
    await expect.poll(() => page.getByTestId("whatif-stale").textContent()).toContain("previous settings");

    await page.unroute("**/graphql");
    await page.getByTestId("input-organ").fill("20");
    await expect.poll(() => u09.locator("td").first().textContent()).toBe("10");
    expect(await page.getByTestId("whatif-stale").count()).toBe(0);
    expect(await page.getByTestId("whatif-results").getAttribute("data-stale")).toBe("false");
    await tabs.putBack(page);
  });

  it("lets an administrator record and delete a veto, reading the list again after each, and names the field the gateway refused", async () => {
    const page = await tabs.open("admin", { path: "#/events?cycle=2018" });
    // 2018's register holds the seed's incident; 2019 reads it through its link, not as its own.
    const list = page.getByTestId("veto-list");
    const ids = () =>
      list.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-event")));
    await expect.poll(ids).toEqual(["V2018-001"]);
    // The unit's name comes with the cycle's units and types, read apart from the list (the id
    // alone until then); the forms below are drawn once they are in.
    await expect
      .poll(() => list.locator("tr[data-event=V2018-001]").textContent())
      .toContain("市住房和城乡建设局 (U05)");
    expect(await page.getByTestId("events-read-only").count()).toBe(0);
    // The seed's scheme declares no bonus types: nothing to pick, and the page says why.
    expect(await page.getByTestId("no-bonus-types").count()).toBe(1);
    expect(await page.getByTestId("bonus-submit").isDisabled()).toBe(true);
    try {
      const form = page.getByTestId("veto-form");
      expect(await page.getByTestId("veto-id").inputValue()).toBe("V-1");
      await page.getByTestId("veto-reason").fill("2018年重大安全生产责任事故");
      // No unit picked: the gateway refuses it, and its words stand beside the unit's box.
      await page.getByTestId("veto-submit").click();
      const problem = page.getByTestId("veto-unitId-problem");
      await expect.poll(() => problem.count()).toBe(1);
      expect(await problem.textContent()).toMatch(/unit/);
      expect(await page.getByTestId("veto-unitId").getAttribute("aria-invalid")).toBe("true");
      expect(await ids()).toEqual(["V2018-001"]);

      await page.getByTestId("veto-unitId").selectOption("U14");
      expect(await problem.count()).toBe(0);
      await page.getByTestId("veto-submit").click();
      await expect.poll(ids).toEqual(["V-1", "V2018-001"]);
      expect(await list.locator("tr[data-event=V-1]").textContent()).toContain("重大责任事故 major incident");
      expect(await page.getByTestId("veto-recorded").textContent()).toContain("V-1");
      // The form starts over at the next free id.
      expect(await page.getByTestId("veto-id").inputValue()).toBe("V-2");
      const stored = await stack.gateway.gql(
        `{ cycle(id: "2018") { ... on Cycle { vetoEvents { edges { node { id unitId type reason } } } } } }`,
        {},
        { as: "viewer" },
      );
      expect(stored.body.data.cycle.vetoEvents.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
        id: "V-1",
        unitId: "U14",
        type: "major-incident",
        reason: "2018年重大安全生产责任事故",
      });
      expect(await form.textContent()).not.toContain("错误");

      // Deleting asks first; dismissed, nothing is deleted.
      const asked: string[] = [];
      let accept = false;
      page.on("dialog", (d) => {
        asked.push(d.message());
        void (accept ? d.accept() : d.dismiss());
      });
      await page.getByTestId("veto-delete-id").selectOption("V-1");
      await page.getByTestId("veto-delete").click();
      await expect.poll(() => asked.length).toBe(1);
      expect(asked[0]).toContain("V-1");
      expect(await ids()).toEqual(["V-1", "V2018-001"]);
      accept = true;
      await page.getByTestId("veto-delete").click();
      await expect.poll(ids).toEqual(["V2018-001"]);
    } finally {
      await stack.gateway.gql(
        `mutation { deleteVetoEvent(cycleId: "2018", id: "V-1") { __typename } }`,
        {},
        {
          as: "admin",
        },
      );
    }
    await tabs.putBack(page);
  });

  it("shows a viewer a cycle's vetoes and bonuses read-only, saying why", async () => {
    const page = await tabs.open("viewer", { path: "#/events?cycle=2018" });
    const list = page.getByTestId("veto-list");
    await expect.poll(() => list.locator("tbody tr").count()).toBe(1);
    expect(await list.textContent()).toContain("2018年较大安全生产责任事故");
    // Units and veto types by name: a viewer may read the scheme and the units they come from.
    await expect.poll(() => list.textContent()).toContain("市住房和城乡建设局 (U05)");
    expect(await list.textContent()).toContain("重大责任事故 major incident (major-incident)");
    expect(await page.locator(".error").count()).toBe(0);
    expect(await page.getByTestId("bonus-none").textContent()).toBe("本周期没有加分事项。");
    expect(await page.getByTestId("events-read-only").textContent()).toBe(
      "只有管理员可以记录或删除事项；您当前的角色是查看者。",
    );
    expect(await page.locator("form, button[data-testid$=-delete]").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("lists the vetoes an earlier year's cycle carries into this one, and points to where they are kept", async () => {
    // The seed: 2019 follows 2018, whose V2018-001 bars U05 in 2019 too; 2019's own register is empty.
    const page = await tabs.open("viewer", { lang: "en", path: "#/events?cycle=2019" });
    const carried = page.getByTestId("carried-vetoes");
    const u05 = carried.locator('tr[data-unit="U05"]');
    await expect
      .poll(() => u05.locator("td").allTextContents())
      .toEqual([
        "市住房和城乡建设局 (U05)",
        "2018/V2018-001",
        "1",
        expect.stringContaining("2018年较大安全生产责任事故"),
      ]);
    // Named as the cycle picker names it, with its id.
    expect(await page.getByTestId("carried-from").textContent()).toMatch(
      /^This cycle follows 2018 · .+ \(2018\)\. These vetoes were recorded there \(or in a cycle it follows in turn\) and count here while their type is in force: they are recorded, corrected or deleted in the cycle they came from, not here\.$/,
    );
    expect(await page.getByTestId("veto-none").textContent()).toBe(
      "No veto is recorded in this cycle's own register.",
    );
    await shot(page, "events-carried");
    // The link goes to the register that keeps them; 2018 follows no cycle and carries none.
    await page.getByTestId("carried-from").locator("a").click();
    await expect
      .poll(() => page.getByTestId("veto-list").locator("tr[data-event=V2018-001]").count())
      .toBe(1);
    expect(page.url()).toContain("cycle=2018");
    expect(await page.getByTestId("carried-vetoes-section").count()).toBe(0);
    expect(await page.locator(".error").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("shows an administrator a finalised cycle's events read-only, saying why", async () => {
    await makeCycle("events-final", 2001, { name: "finalised", copyUnitsFrom: "2019" });
    const vetoed = await stack.gateway.gql(
      `mutation { recordVetoEvent(cycleId: "events-final", input: { id: "V-1", unitId: "U03", type: "major-incident", reason: "r" }) { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(vetoed.body.data.recordVetoEvent.__typename).toBe("VetoEvent");
    await withRecords("events-final");
    await finaliseByGateway("events-final");
    const page = await tabs.open("admin", { lang: "en", path: "#/events?cycle=events-final" });
    const list = page.getByTestId("veto-list");
    await expect.poll(() => list.locator("tbody tr").count()).toBe(1);
    expect(await page.getByTestId("events-read-only").textContent()).toBe(
      "This cycle is finalised: its events can no longer be recorded or deleted.",
    );
    expect(await page.locator("form, button[data-testid$=-delete]").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("lets an administrator record, correct and delete a bonus, its levels following the chosen type", async () => {
    // The seed schemes declare no bonus types: a scheme that does, and a cycle of a year no other
    // test uses (so no page picks it by default) with the 2019 units.
    const latest = await stack.gateway.gql(
      `{ schemeVersion(schemeId: "city-review") { ... on SchemeVersion { document } } }`,
      {},
      { as: "admin" },
    );
    const bonusTypes = [
      { id: "commendation", name: "表彰 commendation", levels: { national: 3, provincial: 2, city: 1 } },
      { id: "innovation", name: "创新 innovation", levels: { major: 2, minor: 1 } },
    ];
    await publishVersion(
      "bonus-review",
      null,
      { ...latest.body.data.schemeVersion.document, id: "bonus-review", bonusTypes, bonusCap: 3 },
      "bonus types to record",
    );
    await makeCycle("events-bonus", 2003, {
      name: "bonuses",
      schemeId: "bonus-review",
      schemeVersion: 1,
      copyUnitsFrom: "2019",
    });

    const page = await tabs.open("admin", { lang: "en", path: "#/events?cycle=events-bonus" });
    const list = page.getByTestId("bonus-list");
    const cells = (id: string) => list.locator(`tr[data-event="${id}"] td`).allTextContents();
    const level = page.getByTestId("bonus-level");
    const levels = () => level.locator("option").allTextContents();
    await page.getByTestId("bonus-form").waitFor();
    expect(await page.getByTestId("bonus-none").textContent()).toBe("No bonus is recorded in this cycle.");
    expect(await page.getByTestId("no-bonus-types").count()).toBe(0);
    expect(await page.getByTestId("bonus-id").inputValue()).toBe("B-1");
    expect(await page.getByTestId("bonus-type").inputValue()).toBe("commendation");
    // In the scheme's order, as written: the gateway keeps a document's keys as they came.
    expect(await levels()).toEqual(["national (+3)", "provincial (+2)", "city (+1)"]);
    expect(await level.inputValue()).toBe(await level.locator("option").first().getAttribute("value"));

    // A level is offered only with its own type, and comes back with it.
    await level.selectOption("city");
    await page.getByTestId("bonus-type").selectOption("innovation");
    expect(await levels()).toEqual(["major (+2)", "minor (+1)"]);
    expect(await level.inputValue()).toBe(await level.locator("option").first().getAttribute("value"));
    await page.getByTestId("bonus-type").selectOption("commendation");
    expect(await level.inputValue()).toBe("city");

    await page.getByTestId("bonus-note").fill("市级表彰");
    await page.getByTestId("bonus-submit").click();
    const problem = page.getByTestId("bonus-unitId-problem");
    await expect.poll(() => problem.count()).toBe(1);
    expect(await page.getByTestId("bonus-unitId").getAttribute("aria-invalid")).toBe("true");
    await page.getByTestId("bonus-unitId").selectOption("U14");
    expect(await problem.count()).toBe(0);
    expect(await page.getByTestId("bonus-submit").textContent()).toBe("Record");
    await page.getByTestId("bonus-submit").click();
    await expect
      .poll(() => cells("B-1"))
      .toEqual([
        "B-1",
        expect.stringMatching(/ \(U14\)$/),
        "表彰 commendation (commendation)",
        "city",
        "市级表彰",
      ]);
    expect(await page.getByTestId("bonus-recorded").textContent()).toBe("Bonus B-1 recorded.");
    // The id and the note start over; the unit, type and level stay for the next one.
    expect(await page.getByTestId("bonus-id").inputValue()).toBe("B-2");
    expect(await page.getByTestId("bonus-note").inputValue()).toBe("");
    expect(await level.inputValue()).toBe("city");

    // Typing an id that exists corrects that event; an emptied note goes.
    await page.getByTestId("bonus-id").fill("B-1");
    expect(await page.getByTestId("bonus-recorded").count()).toBe(0);
    expect(await page.getByTestId("bonus-replaces").textContent()).toBe(
      "An event with id B-1 exists: recording replaces it.",
    );
    expect(await page.getByTestId("bonus-submit").textContent()).toBe("Correct");
    await level.selectOption("national");
    await page.getByTestId("bonus-submit").click();
    await expect
      .poll(() => cells("B-1"))
      .toEqual([
        "B-1",
        expect.stringMatching(/ \(U14\)$/),
        "表彰 commendation (commendation)",
        "national",
        "",
      ]);
    expect(await list.locator("tbody tr").count()).toBe(1);

    const asked: string[] = [];
    page.on("dialog", (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await page.getByTestId("bonus-delete-id").selectOption("B-1");
    await page.getByTestId("bonus-delete").click();
    await page.getByTestId("bonus-none").waitFor();
    expect(asked).toEqual(["Delete bonus B-1? The ranking is computed again without it."]);
    expect(await page.getByTestId("veto-none").textContent()).toBe(
      "No veto is recorded in this cycle's own register.",
    );
    await tabs.putBack(page);
  });

  /**
   * A cycle made through the gateway, of a year no other test uses, so no page picks it by
   * default: named "<year>年度", under city-review version 2 unless `more` says otherwise.
   */
  const makeCycle = async (id: string, year: number, more: Record<string, unknown> = {}) => {
    const made = await stack.gateway.gql(
      `mutation($input: CreateCycleInput!) { createCycle(input: $input) { __typename } }`,
      { input: { id, year, name: `${year}年度`, schemeId: "city-review", schemeVersion: 2, ...more } },
      { as: "admin" },
    );
    expect(made.body.data.createCycle.__typename).toBe("Cycle");
  };
  /** Such a cycle with the 2019 units (U01, U02 …), under city-review's veto and finding types. */
  const makeCycleOf2019Units = (id: string, year: number) => makeCycle(id, year, { copyUnitsFrom: "2019" });
  const cycleRow = (page: Page, id: string) =>
    page.locator(`[data-testid=cycle-list] tr[data-cycle="${id}"]`);
  /** A cycle's audit entries of these actions, each with the reason it keeps. */
  const auditEntries = async (cycleId: string, actions: string[]) => {
    const r = await stack.gateway.gql(
      `query($c: ID!, $a: [String!]) { auditLog(cycleId: $c, actions: $a) { edges { node { action reason } } } }`,
      { c: cycleId, a: actions },
      { as: "admin" },
    );
    return r.body.data.auditLog.edges.map((e: { node: unknown }) => e.node);
  };

  it("lets an administrator create a cycle following an earlier year's, and finalise it only once that year is", async () => {
    await makeCycle("cy-1995", 1995);
    await withRecords("cy-1995");
    const page = await tabs.open("admin", { lang: "en", path: "#/cycles" });
    expect(await page.locator("header nav a").allTextContents()).toContain("Cycles");
    await expect.poll(() => cycleRow(page, "cy-1995").count()).toBe(1);
    expect(await cycleRow(page, "cy-1995").locator("td").allTextContents()).toEqual([
      "cy-1995",
      "1995",
      "1995年度",
      "open",
      "city-review v2",
      "none",
      "History",
    ]);
    // The schemes and their versions load after the cycles; other tests publish schemes of their own.
    const versionOptions = page.getByTestId("cycle-schemeVersion").locator("option");
    await expect
      .poll(() => page.getByTestId("cycle-schemeId").locator("option[value=city-review]").count())
      .toBe(1);
    await page.getByTestId("cycle-schemeId").selectOption("city-review");
    await expect.poll(() => versionOptions.allTextContents()).toContain("v1: seed: the 2018 rules");
    expect((await versionOptions.allTextContents())[0]).toMatch(/^v\d+ \(latest\): /);

    await page.getByTestId("cycle-id").fill("cy-1996");
    await page.getByTestId("cycle-year").fill("1996");
    await page.getByTestId("cycle-name").fill("1996年度");
    await page.getByTestId("cycle-schemeId").selectOption("city-review");
    await page.getByTestId("cycle-schemeVersion").selectOption("2");
    const shown = page.getByTestId("cycle-follows-shown");
    expect(await shown.textContent()).toContain("The new cycle will follow no cycle.");
    // Copying last year's units makes it, by the gateway's default, the year this one follows.
    await page.getByTestId("cycle-copyUnitsFrom").selectOption("cy-1995");
    expect(await shown.textContent()).toContain("The new cycle will follow 1995 · 1995年度 (cy-1995).");
    expect(await page.getByTestId("cycle-previousCycle").locator("option:checked").textContent()).toBe(
      "Default: 1995 · 1995年度 (cy-1995)",
    );
    await page.getByTestId("cycle-submit").click();
    await expect
      .poll(() => cycleRow(page, "cy-1996").locator("[data-testid=cycle-follows]").textContent())
      .toBe("1995 · 1995年度 (cy-1995)");
    expect(await page.getByTestId("cycle-create-done").textContent()).toBe(
      "Cycle 1996 · 1996年度 (cy-1996) created.",
    );
    const stored = await stack.gateway.gql(
      `{ cycle(id: "cy-1996") { ... on Cycle { schemeVersion previousCycle { id } } } }`,
      {},
      { as: "viewer" },
    );
    expect(stored.body.data.cycle).toEqual({ schemeVersion: 2, previousCycle: { id: "cy-1995" } });
    await withRecords("cy-1996");

    // Finalising asks first, naming the cycle and saying it is for good; dismissed, nothing is sent.
    const asked: string[] = [];
    let accept = false;
    page.on("dialog", (d) => {
      asked.push(d.message());
      void (accept ? d.accept() : d.dismiss());
    });
    const finalise = async (id: string) => {
      await page.getByTestId("finalise-cycle").selectOption(id);
      await page.getByTestId("finalise-submit").click();
    };
    // The box starts on the oldest open cycle (a year is finalised after the one it follows), the
    // Link box on the newest (the one just created).
    const listed = await stack.gateway.gql(
      `{ cycles(first: 100) { edges { node { id year status } } } }`,
      {},
      { as: "viewer" },
    );
    const open = (listed.body.data.cycles.edges as { node: { id: string; year: number; status: string } }[])
      .map((e) => e.node)
      .filter((c) => c.status === "OPEN")
      .sort((a, b) => a.year - b.year || a.id.localeCompare(b.id));
    expect(await page.getByTestId("finalise-cycle").inputValue()).toBe(open[0]!.id);
    // The list's order: newest year first, then by id.
    const newestYear = open.at(-1)!.year;
    const newest = open.filter((c) => c.year === newestYear).sort((a, b) => (a.id < b.id ? -1 : 1))[0]!;
    expect(await page.getByTestId("link-cycle").inputValue()).toBe(newest.id);
    await finalise("cy-1996");
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toBe(
      "Finalise cycle 1996 · 1996年度 (cy-1996)? This cannot be undone: nothing in it can be changed afterwards.",
    );
    accept = true;
    // The year it follows is open: the gateway's refusal is shown whole, and nothing is finalised.
    await finalise("cy-1996");
    const refused = page.getByTestId("finalise-refused");
    await expect.poll(() => refused.count()).toBe(1);
    expect(await refused.textContent()).toContain(
      "The gateway refused to finalise cycle 1996 · 1996年度 (cy-1996):",
    );
    expect(await refused.textContent()).toContain(
      "cycle 'cy-1995', which this one follows, is still open: its vetoes can count in this year, so finalise it first",
    );
    expect(await cycleRow(page, "cy-1996").getByTestId("cycle-status").textContent()).toBe("open");

    await finalise("cy-1995");
    await expect
      .poll(() => cycleRow(page, "cy-1995").getByTestId("cycle-status").textContent())
      .toBe("finalised");
    expect(await refused.count()).toBe(0);
    // A finalised cycle is no longer offered to finalise or to link.
    expect(await page.getByTestId("finalise-cycle").locator("option[value=cy-1995]").count()).toBe(0);
    expect(await page.getByTestId("link-cycle").locator("option[value=cy-1995]").count()).toBe(0);
    await finalise("cy-1996");
    await expect
      .poll(() => cycleRow(page, "cy-1996").getByTestId("cycle-status").textContent())
      .toBe("finalised");
    expect(await page.getByTestId("finalise-done").textContent()).toBe(
      "Cycle 1996 · 1996年度 (cy-1996) is finalised.",
    );
    expect(asked).toHaveLength(4);
    await tabs.putBack(page);
  });

  it("points a refused finalise to the page's own Link box when the cycle it follows is still open", async () => {
    await makeCycle("cy-1990", 1990);
    await makeCycle("cy-1991", 1991, { previousCycle: "cy-1990" });
    const page = await tabs.open("admin", { path: "#/cycles" });
    await expect.poll(() => cycleRow(page, "cy-1991").count()).toBe(1);
    page.on("dialog", (d) => void d.accept());
    await page.getByTestId("finalise-cycle").selectOption("cy-1991");
    await page.getByTestId("finalise-submit").click();
    const hint = page.getByTestId("finalise-hint");
    await expect.poll(() => hint.count()).toBe(1);
    // The hint is the console's, in the page's language, and names the page's own controls
    // (not the API's setPreviousCycle, which the gateway's message names).
    const zh = (await hint.textContent()) ?? "";
    expect(zh).toContain("1990 · 1990年度 (cy-1990)");
    for (const control of ["更改进行中周期所接续的周期", "上一周期", "不接续任何周期", "取消接续"])
      expect(zh).toContain(control);
    expect(zh).not.toContain("setPreviousCycle");
    expect(await page.getByTestId("finalise-refused").locator("[role=alert]").count()).toBe(1);
    await page.getByTestId("lang").selectOption("en");
    await expect.poll(() => hint.textContent()).toContain("Change the cycle an open cycle follows");
    const en = (await hint.textContent()) ?? "";
    for (const control of ["1990 · 1990年度 (cy-1990)", "Follows", "Follows none", "Unlink"])
      expect(en).toContain(control);
    // Choosing another cycle takes the refusal, and its hint, away.
    await page.getByTestId("finalise-cycle").selectOption("cy-1990");
    expect(await hint.count()).toBe(0);
    await tabs.putBack(page);
  });

  it("names at its field what the gateway refused of a new cycle, and links and unlinks an open one", async () => {
    await makeCycle("cy-1992", 1992);
    const page = await tabs.open("admin", { path: "#/cycles" });
    await expect.poll(() => cycleRow(page, "cy-1992").count()).toBe(1);
    await page.getByTestId("cycle-id").fill("cy-1997");
    await page.getByTestId("cycle-year").fill("1997");
    // Following a cycle of a later year, and no name: the gateway names the name first.
    await page.getByTestId("cycle-previousCycle").selectOption("cycle:2019");
    expect(await page.getByTestId("cycle-follows-shown").textContent()).toContain("新周期将接续 2019 ·");
    await page.getByTestId("cycle-submit").click();
    const nameProblem = page.getByTestId("cycle-name-problem");
    await expect.poll(() => nameProblem.count()).toBe(1);
    expect(await nameProblem.textContent()).toContain("must not be empty");
    expect(await page.getByTestId("cycle-name").getAttribute("aria-invalid")).toBe("true");
    // Each problem stands at its field: the form does not repeat it above.
    expect(await page.getByTestId("cycle-create").locator("[role=alert]").count()).toBe(0);

    await page.getByTestId("cycle-name").fill("1997年度");
    expect(await nameProblem.count()).toBe(0);
    await page.getByTestId("cycle-submit").click();
    const followsProblem = page.getByTestId("cycle-previousCycle-problem");
    await expect.poll(() => followsProblem.count()).toBe(1);
    expect(await followsProblem.textContent()).toContain(
      "cycle '2019' is of 2019: the cycle a cycle of 1997 follows must be of an earlier year",
    );
    expect(await cycleRow(page, "cy-1997").count()).toBe(0);

    await page.getByTestId("cycle-previousCycle").selectOption("none");
    expect(await followsProblem.count()).toBe(0);
    await page.getByTestId("cycle-submit").click();
    const follows = cycleRow(page, "cy-1997").locator("[data-testid=cycle-follows]");
    await expect.poll(() => follows.textContent()).toBe("无");

    // Linking offers only cycles of an earlier year.
    await page.getByTestId("link-cycle").selectOption("cy-1997");
    const offered = await page
      .getByTestId("link-previousCycle")
      .locator("option")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toContain("cy-1992");
    expect(offered).not.toContain("2019");
    expect(offered.every((id) => id === "" || id.startsWith("cy-199"))).toBe(true);
    await page.getByTestId("link-previousCycle").selectOption("cy-1992");
    await page.getByTestId("link-submit").click();
    await expect.poll(() => follows.textContent()).toBe("1992 · 1992年度 (cy-1992)");
    expect(await page.getByTestId("cycle-link-done").textContent()).toBe(
      "1997 · 1997年度 (cy-1997) 现接续 1992 · 1992年度 (cy-1992)。",
    );
    expect(await page.getByTestId("link-submit").isDisabled()).toBe(true);
    await page.getByTestId("link-previousCycle").selectOption("");
    expect(await page.getByTestId("link-submit").textContent()).toBe("取消接续");
    await page.getByTestId("link-submit").click();
    await expect.poll(() => follows.textContent()).toBe("无");
    const stored = await stack.gateway.gql(
      `{ cycle(id: "cy-1997") { ... on Cycle { previousCycle { id } } } }`,
      {},
      { as: "viewer" },
    );
    expect(stored.body.data.cycle.previousCycle).toBeNull();
    await tabs.putBack(page);
  });

  it("corrects an open cycle's name and year from boxes filled with its own, the gateway's refusal at the year's box", async () => {
    await makeCycle("fix-1993", 1993);
    await makeCycle("fix-1994", 1994, { previousCycle: "fix-1993" });
    await makeCycle("fix-2000", 2000);
    await withRecords("fix-2000");
    await finaliseByGateway("fix-2000");
    const page = await tabs.open("admin", { lang: "en", path: "#/cycles" });
    await expect.poll(() => cycleRow(page, "fix-2000").count()).toBe(1);
    const card = page.getByTestId("cycle-correct");
    expect(await card.locator("h2").textContent()).toBe("Correct or delete a cycle");
    // Only open cycles are offered.
    const offered = await page
      .getByTestId("correct-cycle")
      .locator("option")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toContain("fix-1993");
    expect(offered).not.toContain("fix-2000");
    await page.getByTestId("correct-cycle").selectOption("fix-1993");
    const name = page.getByTestId("correct-name");
    const year = page.getByTestId("correct-year");
    const submit = page.getByTestId("correct-submit");
    expect([await name.inputValue(), await year.inputValue()]).toEqual(["1993年度", "1993"]);
    // Nothing typed, nothing to correct.
    expect(await submit.isDisabled()).toBe(true);

    // A year past that of the cycle following it: the gateway's words, at the year's box.
    await year.fill("1994");
    await submit.click();
    const yearProblem = page.getByTestId("correct-year-problem");
    await expect.poll(() => yearProblem.count()).toBe(1);
    expect(await yearProblem.textContent()).toContain(
      "cycle 'fix-1994' of 1994 follows this one: its year must stay before 1994",
    );
    expect(await year.getAttribute("aria-invalid")).toBe("true");
    expect(await card.locator("[role=alert]").count()).toBe(0);
    expect(await cycleRow(page, "fix-1993").locator("td").nth(1).textContent()).toBe("1993");

    await year.fill("1993");
    expect(await yearProblem.count()).toBe(0);
    await name.fill("1993年度考评");
    await submit.click();
    await expect
      .poll(() => cycleRow(page, "fix-1993").locator("td").nth(2).textContent())
      .toBe("1993年度考评");
    expect(await page.getByTestId("cycle-correct-done").textContent()).toBe(
      "Cycle 1993 · 1993年度考评 (fix-1993) corrected.",
    );
    await expect.poll(() => submit.isDisabled()).toBe(true);

    // Another cycle's boxes start from its own name and year.
    await page.getByTestId("correct-cycle").selectOption("fix-1994");
    expect([await name.inputValue(), await year.inputValue()]).toEqual(["1994年度", "1994"]);
    expect(await page.getByTestId("cycle-correct-done").count()).toBe(0);
    await year.fill("1998");
    await submit.click();
    await expect.poll(() => cycleRow(page, "fix-1994").locator("td").nth(1).textContent()).toBe("1998");
    // The box stays on the corrected cycle though the list's order changed.
    expect(await page.getByTestId("correct-cycle").inputValue()).toBe("fix-1994");
    const stored = await stack.gateway.gql(
      `{ cycle(id: "fix-1994") { ... on Cycle { name year previousCycle { id } } } }`,
      {},
      { as: "viewer" },
    );
    expect(stored.body.data.cycle).toEqual({
      name: "1994年度",
      year: 1998,
      previousCycle: { id: "fix-1993" },
    });
    await tabs.putBack(page);
  });

  it("deletes a cycle made by mistake once asked, naming it, and shows whole why the gateway keeps one with records", async () => {
    await makeCycleOf2019Units("del-2002", 2002);
    const vetoed = await stack.gateway.gql(
      `mutation { recordVetoEvent(cycleId: "del-2002", input: { id: "V-1", unitId: "U03", type: "major-incident", reason: "r" }) { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(vetoed.body.data.recordVetoEvent.__typename).toBe("VetoEvent");
    await makeCycleOf2019Units("del-2004", 2004);
    const page = await tabs.open("admin", { path: "#/cycles" });
    await expect.poll(() => cycleRow(page, "del-2004").count()).toBe(1);
    const asked: string[] = [];
    let accept = true;
    page.on("dialog", (d) => {
      asked.push(d.message());
      void (accept ? d.accept() : d.dismiss());
    });

    // A year with units but no records is not finalised: the hint points to this console's
    // Imports page and to deleting it here, not to the API's deleteCycle.
    await page.getByTestId("finalise-cycle").selectOption("del-2004");
    await page.getByTestId("finalise-submit").click();
    const hint = page.getByTestId("finalise-hint");
    await expect.poll(() => hint.count()).toBe(1);
    expect(await page.getByTestId("finalise-refused").locator("[role=alert]").textContent()).toContain(
      "of cycle 'del-2004' has a total, so finalising it would publish an empty year for good",
    );
    const said = (await hint.textContent()) ?? "";
    for (const part of ["数据导入", "更正或删除考评周期"]) expect(said).toContain(part);
    expect(said).not.toContain("deleteCycle");

    const card = page.getByTestId("cycle-correct");
    await page.getByTestId("correct-cycle").selectOption("del-2002");
    await page.getByTestId("correct-delete").click();
    const refused = card.locator("[role=alert]");
    await expect.poll(() => refused.count()).toBe(1);
    expect(asked.at(-1)).toBe(
      "删除考评周期 2002 · 2002年度 (del-2002)？其可比组和单位将一并删除，且无法在控制台中恢复（审计日志保留所删除的内容）。",
    );
    // The gateway's message as it is: what the cycle still holds, and how to take it out.
    expect(await refused.textContent()).toContain(
      "cycle 'del-2002' was not deleted, as nothing stored may be lost: it still holds 1 veto event not from an import, deleted with deleteVetoEvent",
    );
    expect(await cycleRow(page, "del-2002").count()).toBe(1);

    // Choosing another cycle takes the refusal away; dismissed, the question sends nothing.
    await page.getByTestId("correct-cycle").selectOption("del-2004");
    expect(await refused.count()).toBe(0);
    accept = false;
    await page.getByTestId("correct-delete").click();
    await expect.poll(() => asked.length).toBe(3);
    expect(asked[2]).toContain("删除考评周期 2004 · 2004年度 (del-2004)？");
    accept = true;
    await page.getByTestId("correct-delete").click();
    await expect.poll(() => cycleRow(page, "del-2004").count()).toBe(0);
    expect(await page.getByTestId("cycle-correct-done").textContent()).toMatch(
      /^已删除考评周期 2004 · 2004年度 \(del-2004\)，其 [1-9]\d* 个单位和 [1-9]\d* 个可比组一并删除。$/,
    );
    for (const box of ["correct-cycle", "finalise-cycle", "link-cycle"])
      expect(await page.getByTestId(box).locator("option[value=del-2004]").count()).toBe(0);
    // The Finalise box's refusal spoke of the cycle deleted: it goes with it.
    expect(await page.getByTestId("finalise-refused").count()).toBe(0);
    const gone = await stack.gateway.gql(`{ cycle(id: "del-2004") { __typename } }`, {}, { as: "viewer" });
    expect(gone.body.data.cycle.__typename).toBe("NotFoundError");
    await tabs.putBack(page);
  });

  it("says which units have no total before finalising, and sends their number only once the administrator saw it", async () => {
    // The reviewer's year: scores and forms for every unit, the organ vote's ballots for 10 of 29.
    await makeCycle("part-2043", 2043);
    const read = (f: string) => JSON.parse(readFileSync(`${EXAMPLE_DIR}/${f}`, "utf8"));
    const dataset = read("dataset-2019.json");
    const voted = (unit: string) => Number(unit.slice(1)) <= 10;
    await loadDataset(stack.gateway.store, "part-2043", read("scheme-2019.json"), {
      ...dataset,
      ballots: dataset.ballots.filter((b: { unit: string }) => voted(b.unit)),
    });
    const nameOf = (id: string) => dataset.units.find((u: { id: string }) => u.id === id).name;
    const page = await tabs.open("admin", { lang: "en", path: "#/cycles" });
    await expect.poll(() => cycleRow(page, "part-2043").count()).toBe(1);
    const asked: string[] = [];
    let accept = false;
    page.on("dialog", (d) => {
      asked.push(d.message());
      void (accept ? d.accept() : d.dismiss());
    });
    const sent: unknown[] = [];
    page.on("request", (r) => {
      const body = r.postData() ?? "";
      if (r.url().endsWith("/graphql") && body.includes("FinaliseCycle"))
        sent.push(JSON.parse(body).variables);
    });
    const label = "2043 · 2043年度 (part-2043)";
    const question = (count: number, first: string[]) =>
      [
        `${count} of the 29 units of cycle ${label} have no total, and would be published without one, for good:`,
        ...first.map(
          (id) => `${id} ${nameOf(id)} (${id === "U01" ? "business" : "organ"}: no records for this unit)`,
        ),
        `… and ${count - first.length} more, flagged “insufficient” on the Rankings page.`,
        "",
        "If records are still to be loaded, cancel and load them first, on the Imports page. A unit whose sample fell short is published as such.",
        "",
        `Finalise cycle ${label}? This cannot be undone: nothing in it can be changed afterwards.`,
      ].join("\n");

    // Asked first, the question says how many units have no total and names the first; dismissed,
    // nothing is sent.
    await page.getByTestId("finalise-cycle").selectOption("part-2043");
    await page.getByTestId("finalise-submit").click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toBe(question(19, ["U11", "U12", "U13", "U14", "U15"]));
    expect(sent).toEqual([]);

    // A unit loses its total between the question and the finalise: the number the administrator
    // saw is refused, nothing is finalised, and the hint says to ask again.
    accept = true;
    let changed = false;
    await page.route("**/graphql", async (route) => {
      if (!changed && (route.request().postData() ?? "").includes("FinaliseCycle")) {
        changed = true;
        const deleted = await stack.gateway.gql(
          `mutation { deleteScore(cycleId: "part-2043", unitId: "U01", category: "business") { __typename } }`,
          {},
          { as: "admin" },
        );
        expect(deleted.body.data.deleteScore.__typename).not.toMatch(/Error$/);
      }
      await route.continue();
    });
    await page.getByTestId("finalise-submit").click();
    const refused = page.getByTestId("finalise-refused");
    await expect.poll(() => refused.count()).toBe(1);
    expect(sent).toEqual([{ cycleId: "part-2043", expectedUnscoredUnits: 19 }]);
    expect(await refused.locator("[role=alert]").textContent()).toContain(
      "20 of the 29 units of cycle 'part-2043' have no total now, not 19",
    );
    expect(await page.getByTestId("finalise-hint").textContent()).toBe(
      "Nothing was finalised: the units without a total changed since the question was asked (a record was loaded or deleted meanwhile). Press “Finalise…” again: the question then says which they are now.",
    );
    expect(await cycleRow(page, "part-2043").getByTestId("cycle-status").textContent()).toBe("open");
    await page.unroute("**/graphql");

    // Asked again, the question says them as they are now, and their number finalises the year.
    await page.getByTestId("finalise-submit").click();
    await expect
      .poll(() => cycleRow(page, "part-2043").getByTestId("cycle-status").textContent())
      .toBe("finalised");
    expect(asked[2]).toBe(question(20, ["U01", "U11", "U12", "U13", "U14"]));
    expect(sent.at(-1)).toEqual({ cycleId: "part-2043", expectedUnscoredUnits: 20 });
    expect(await page.getByTestId("finalise-done").textContent()).toBe(`Cycle ${label} is finalised.`);
    await tabs.putBack(page);
  });

  it("keeps why a cycle is finalised or deleted in its audit entry, naming a reason the gateway would refuse at its box first", async () => {
    await makeCycle("why-1999", 1999);
    await withRecords("why-1999");
    await makeCycle("why-2017", 2017);
    const page = await tabs.open("admin", { lang: "en", path: "#/cycles" });
    await expect.poll(() => cycleRow(page, "why-2017").count()).toBe(1);
    const asked: string[] = [];
    page.on("dialog", (d) => {
      asked.push(d.message());
      void d.accept();
    });
    const sent: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/graphql")) sent.push(r.postData() ?? "");
    });

    // A reason is the cycle's it was written for: choosing another empties the box.
    const reason = page.getByRole("textbox", {
      name: "Why, or on whose decision (optional, kept in the audit log)",
    });
    const deleteReason = page.getByRole("textbox", {
      name: "Why it is deleted (optional, kept in the audit log)",
    });
    await page.getByTestId("finalise-cycle").selectOption("why-2017");
    await reason.fill("the 2017 committee's decision");
    await page.getByTestId("correct-cycle").selectOption("why-2017");
    await deleteReason.fill("made twice");
    await page.getByTestId("finalise-cycle").selectOption("why-1999");
    await page.getByTestId("correct-cycle").selectOption("why-1999");
    expect(await reason.inputValue()).toBe("");
    expect(await deleteReason.inputValue()).toBe("");

    // A reason of punctuation alone, or too long, is named at its box: nothing is asked or sent.
    expect(await reason.getAttribute("data-testid")).toBe("finalise-reason");
    const problem = page.getByTestId("finalise-reason-problem");
    await reason.fill("……");
    await page.getByTestId("finalise-submit").click();
    await expect.poll(() => problem.textContent()).toBe(" Say why in words: punctuation alone says nothing.");
    expect(await reason.getAttribute("aria-invalid")).toBe("true");
    await reason.fill(` ${"理".repeat(2001)} `);
    expect(await problem.count()).toBe(0);
    await page.getByTestId("finalise-submit").click();
    await expect.poll(() => problem.textContent()).toBe(" Has 2001 characters: at most 2,000.");
    expect(asked).toEqual([]);

    // The gateway's own refusal of a reason stands at the box too. The console checks the rule the
    // gateway has now, so this one is the gateway's reply made up here: what a stricter rule there
    // would send.
    const said = "say why in words (punctuation alone says nothing)";
    await refuseAs(page, "FinaliseCycle", "finaliseCycle", `reason: ${said}`, [
      { path: "reason", message: said },
    ]);
    await reason.fill("7");
    await page.getByTestId("finalise-submit").click();
    await expect.poll(() => problem.textContent()).toBe(` ${said}`);
    expect(await page.getByTestId("finalise-refused").count()).toBe(0);
    expect(await cycleRow(page, "why-1999").getByTestId("cycle-status").textContent()).toBe("open");
    await page.unroute("**/graphql");
    await reason.fill("  市政府常务会议决定（第 3 次） ");
    expect(await problem.count()).toBe(0);
    await page.getByTestId("finalise-submit").click();
    await expect
      .poll(() => cycleRow(page, "why-1999").getByTestId("cycle-status").textContent())
      .toBe("finalised");
    expect(asked).toHaveLength(2);
    // The question says the reason the audit entry will keep.
    expect(asked[1]).toBe(
      "Finalise cycle 1999 · 1999年度 (why-1999)? This cannot be undone: nothing in it can be changed afterwards." +
        "\n\nReason, kept in the audit log: 市政府常务会议决定（第 3 次）",
    );
    expect(await reason.inputValue()).toBe("");
    expect(await auditEntries("why-1999", ["finalise"])).toEqual([
      { action: "finalise", reason: "市政府常务会议决定（第 3 次）" },
    ]);

    // Deleting: Enter in the reason box sends nothing, not even the correction typed above it.
    await page.getByTestId("correct-cycle").selectOption("why-2017");
    await page.getByTestId("correct-name").fill("2017年度（误建）");
    expect(await deleteReason.getAttribute("data-testid")).toBe("correct-reason");
    await deleteReason.fill("-");
    await deleteReason.press("Enter");
    await page.getByTestId("correct-delete").click();
    await expect
      .poll(() => page.getByTestId("correct-reason-problem").textContent())
      .toBe(" Say why in words: punctuation alone says nothing.");
    await deleteReason.fill("录入错误：与 1999 年度重复");
    await page.getByTestId("correct-delete").click();
    await expect.poll(() => cycleRow(page, "why-2017").count()).toBe(0);
    expect(asked).toHaveLength(3);
    expect(sent.filter((b) => b.includes("UpdateCycle"))).toEqual([]);
    expect(sent.filter((b) => b.includes("DeleteCycle"))).toHaveLength(1);
    expect(await auditEntries("why-2017", ["delete"])).toEqual([
      { action: "delete", reason: "录入错误：与 1999 年度重复" },
    ]);
    await tabs.putBack(page);
  });

  it("moves an open cycle onto a version just published, keeping the reason, and a forced move only with one", async () => {
    // A scheme of this test's own, so that city-review's versions stay as the other tests read them:
    // version 1 is the 2019 rules, version 2 scores business work out of 10, below the 2019 scores.
    const rules = JSON.parse(readFileSync(`${EXAMPLE_DIR}/scheme-2019.json`, "utf8"));
    const lowered = {
      ...rules,
      categories: rules.categories.map((c: { id: string; method: object }) =>
        c.id === "business" ? { ...c, method: { ...c.method, outOf: 10 } } : c,
      ),
    };
    for (const [basedOn, document, reason] of [
      [null, rules, "the 2019 rules, for moving cycles"],
      [1, lowered, "business work scored out of 10"],
    ] as const) {
      await publishVersion("move-review", basedOn, { ...document, id: "move-review" }, reason);
    }
    const create = (id: string, year: number, schemeId: string) =>
      makeCycle(id, year, { schemeId, schemeVersion: schemeId === "move-review" ? 1 : 2 });
    await create("mv-2031", 2031, "move-review");
    await create("mv-2032", 2032, "move-review");
    await withRecords("mv-2032", true);
    await create("mv-2030", 2030, "city-review");
    await withRecords("mv-2030");
    await finaliseByGateway("mv-2030");
    const entries = (cycleId: string) => auditEntries(cycleId, ["set-scheme", "set-scheme-forced"]);

    const page = await tabs.open("admin", { lang: "en", path: "#/cycles" });
    await expect.poll(() => cycleRow(page, "mv-2032").count()).toBe(1);
    const asked: string[] = [];
    page.on("dialog", (d) => {
      asked.push(d.message());
      void d.accept();
    });
    const moves: Record<string, unknown>[] = [];
    page.on("request", (r) => {
      const body = r.url().endsWith("/graphql") ? (r.postData() ?? "") : "";
      if (body.includes("SetCycleScheme")) moves.push(JSON.parse(body).variables);
    });
    const card = page.getByTestId("cycle-move");
    await card.waitFor();
    expect(await card.locator("h2").textContent()).toBe("Move a cycle to another scheme version");
    const cycleBox = page.getByTestId("move-cycle");
    // A finalised cycle keeps its version for good: it is not offered.
    const offered = await cycleBox
      .locator("option")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(expect.arrayContaining(["mv-2031", "mv-2032"]));
    expect(offered).not.toContain("mv-2030");

    // What is ticked and typed is the cycle's it was for: another cycle chosen starts afresh.
    const reason = page.getByRole("textbox", { name: "Why it moves (optional, kept in the audit log)" });
    expect(await reason.getAttribute("aria-required")).toBeNull();
    await cycleBox.selectOption("mv-2032");
    await reason.fill("written for mv-2032");
    await page.getByTestId("move-force").check();
    await cycleBox.selectOption("mv-2031");
    expect(await reason.inputValue()).toBe("");
    expect(await page.getByTestId("move-force").isChecked()).toBe(false);

    // The cycle's own scheme at its latest version, the version it is on marked as its own.
    expect(await cycleBox.locator("option:checked").textContent()).toBe(
      "2031 · 2031年度 (mv-2031) — move-review v1",
    );
    expect(await page.getByTestId("move-schemeId").inputValue()).toBe("move-review");
    expect(await page.getByTestId("move-schemeVersion").inputValue()).toBe("2");
    expect(await page.getByTestId("move-schemeVersion").locator("option").allTextContents()).toEqual([
      "v2 (latest): business work scored out of 10",
      "v1 (this cycle's): the 2019 rules, for moving cycles",
    ]);
    expect(await reason.getAttribute("data-testid")).toBe("move-reason");
    await reason.fill("  committee decision 2031-01: the new rules ");
    const submit = page.getByTestId("move-submit");
    await submit.click();
    await expect
      .poll(() => cycleRow(page, "mv-2031").locator("td").nth(4).textContent())
      .toBe("move-review v2");
    expect(asked).toEqual([
      "Move cycle 2031 · 2031年度 (mv-2031) from move-review v1 to move-review v2? Its ranking is then scored under move-review v2." +
        "\n\nReason, kept in the audit log: committee decision 2031-01: the new rules",
    ]);
    expect(await page.getByTestId("cycle-move-done").textContent()).toBe(
      "Cycle 2031 · 2031年度 (mv-2031) is now scored under move-review v2.",
    );
    // The boxes are emptied, and the cycle is on the version offered: nothing more to move.
    expect(await reason.inputValue()).toBe("");
    expect(await cycleBox.inputValue()).toBe("mv-2031");
    await expect.poll(() => submit.isDisabled()).toBe(true);
    expect(await page.getByTestId("move-unchanged").count()).toBe(1);
    expect(moves).toEqual([
      {
        cycleId: "mv-2031",
        schemeId: "move-review",
        version: 2,
        reason: "committee decision 2031-01: the new rules",
      },
    ]);
    expect(await entries("mv-2031")).toEqual([
      { action: "set-scheme", reason: "committee decision 2031-01: the new rules" },
    ]);

    // Version 2 cannot score mv-2032's business scores: the gateway's refusal lists them, whole,
    // with the page's hint at correcting them first or forcing the move.
    await cycleBox.selectOption("mv-2032");
    expect(await page.getByTestId("move-schemeVersion").inputValue()).toBe("2");
    await submit.click();
    const refused = card.locator("[role=alert]");
    await expect.poll(() => refused.count()).toBe(1);
    const said = (await refused.textContent()) ?? "";
    expect(said).toContain("scheme move-review v2 cannot score cycle 'mv-2032' as its records stand");
    expect(said).toMatch(/dataset\.scores\[\d+\]/);
    expect(said).toContain("outside 0–10");
    const hint = await page.getByTestId("move-hint").textContent();
    expect(hint).toContain("Correct those records first");
    expect(hint).toContain("tick “Move past the checks (force)” and say why");
    expect(await cycleRow(page, "mv-2032").locator("td").nth(4).textContent()).toBe("move-review v1");
    expect(asked).toHaveLength(2);
    expect(moves).toHaveLength(2);

    // Forced, a reason is required: an empty box is named there, and nothing is asked or sent.
    await page.getByTestId("move-force").check();
    expect(await refused.count()).toBe(0);
    const forcedReason = page.getByRole("textbox", {
      name: "Why it moves without the check (required with force, kept in the audit log)",
    });
    expect(await forcedReason.getAttribute("data-testid")).toBe("move-reason");
    // Required for assistive technology too; an empty box is named by the console, not the browser.
    expect(await forcedReason.getAttribute("aria-required")).toBe("true");
    expect(await forcedReason.evaluate((e) => (e as HTMLInputElement).required)).toBe(true);
    await forcedReason.fill("");
    await submit.click();
    const problem = page.getByTestId("move-reason-problem");
    await expect.poll(() => problem.textContent()).toBe(" Required: say why, for the audit log.");
    await forcedReason.fill("   ");
    await submit.click();
    await expect.poll(() => problem.textContent()).toBe(" Required: say why, for the audit log.");
    expect(await forcedReason.getAttribute("aria-invalid")).toBe("true");
    await forcedReason.fill("v2 rescales business work: the scores are re-entered out of 10");
    expect(await problem.count()).toBe(0);
    expect(asked).toHaveLength(2);
    expect(moves).toHaveLength(2);
    await submit.click();
    await expect
      .poll(() => cycleRow(page, "mv-2032").locator("td").nth(4).textContent())
      .toBe("move-review v2");
    expect(asked[2]).toBe(
      "Move cycle 2032 · 2032年度 (mv-2032) from move-review v1 to move-review v2 past the checks? If move-review v2 cannot score its records, its ranking fails until they are corrected or deleted." +
        "\n\nReason, kept in the audit log: v2 rescales business work: the scores are re-entered out of 10",
    );
    expect(moves[2]).toEqual({
      cycleId: "mv-2032",
      schemeId: "move-review",
      version: 2,
      force: true,
      reason: "v2 rescales business work: the scores are re-entered out of 10",
    });
    expect(await page.getByTestId("move-force").isChecked()).toBe(false);
    expect(await entries("mv-2032")).toEqual([
      {
        action: "set-scheme-forced",
        reason: "v2 rescales business work: the scores are re-entered out of 10",
      },
    ]);

    // A check too costly for one request is refused at the version's box, the hint pointing to
    // force. The gateway's budget is not reached by a test's few units: its reply is made up here.
    const tooCostly =
      "checking the records under scheme move-review v1 is too large for one request (estimated 2,400,000 work units, 1,000,000 left of 1,000,000): pass force: true, with a reason, to move the cycle without the check";
    await refuseAs(page, "SetCycleScheme", "setCycleScheme", `version: ${tooCostly}`, [
      { path: "version", message: tooCostly },
    ]);
    await cycleBox.selectOption("mv-2031");
    await page.getByTestId("move-schemeVersion").selectOption("1");
    await submit.click();
    await expect
      .poll(() => page.getByTestId("move-schemeVersion-problem").textContent())
      .toBe(` ${tooCostly}`);
    expect(await page.getByTestId("move-hint").textContent()).toBe(
      "Checking the records under this version takes more than one request may do. To move the cycle without the check, tick “Move past the checks (force)” and say why.",
    );
    await page.unroute("**/graphql");
    await tabs.putBack(page);
  });

  it("tells a move that would cost units their totals from one its records refuse, and drops the refusal once its cycle is gone", async () => {
    // Version 2 adds a category the records have nothing in: every unit would lose its total.
    const rules = JSON.parse(readFileSync(`${EXAMPLE_DIR}/scheme-2019.json`, "utf8"));
    const business = rules.categories.find((c: { id: string }) => c.id === "business");
    const added = {
      ...rules,
      categories: [...rules.categories, { ...business, id: "extra", name: "extra" }],
    };
    for (const [basedOn, document, reason] of [
      [null, rules, "the 2019 rules"],
      [1, added, "a category added"],
    ] as const) {
      await publishVersion("lost-review", basedOn, { ...document, id: "lost-review" }, reason);
    }
    await makeCycle("lo-2051", 2051, { schemeId: "lost-review", schemeVersion: 1 });
    await withRecords("lo-2051", true);
    const page = await tabs.open("admin", { lang: "en", path: "#/cycles" });
    await expect.poll(() => cycleRow(page, "lo-2051").count()).toBe(1);
    page.on("dialog", (d) => void d.accept());
    const card = page.getByTestId("cycle-move");
    await page.getByTestId("move-cycle").selectOption("lo-2051");
    expect(await page.getByTestId("move-schemeVersion").inputValue()).toBe("2");
    const reason = page.getByTestId("move-reason");
    await reason.fill("the new category counts from this year");
    await page.getByTestId("move-submit").click();
    const refused = card.locator("[role=alert]");
    await expect.poll(() => refused.count()).toBe(1);
    expect(await refused.textContent()).toContain("that have a total now would have none");
    // The records are not wrong: what they lack cannot be added under v1, which has no such category.
    const hint = page.getByTestId("move-hint");
    expect(await hint.textContent()).toBe(
      "Add what those units lack first, if the version the cycle is on now accepts it, then move it. If only the new version has it (a category it adds), tick “Move past the checks (force)”, say why, and add it once the cycle has moved: those units have no total until then.",
    );

    // Finalised in its own card, the cycle leaves the Move card, and so do its refusal and reason.
    await page.getByTestId("finalise-cycle").selectOption("lo-2051");
    await page.getByTestId("finalise-submit").click();
    await expect
      .poll(() => cycleRow(page, "lo-2051").getByTestId("cycle-status").textContent())
      .toBe("finalised");
    expect(await page.getByTestId("move-cycle").locator("option[value=lo-2051]").count()).toBe(0);
    expect(await refused.count()).toBe(0);
    expect(await hint.count()).toBe(0);
    expect(await reason.inputValue()).toBe("");
    expect(await auditEntries("lo-2051", ["set-scheme", "set-scheme-forced"])).toEqual([]);
    await tabs.putBack(page);
  });

  it("says in the page's language that a cycle was finalised or deleted meanwhile, and reads the list again", async () => {
    await makeCycle("gone-2061", 2061);
    await withRecords("gone-2061");
    await makeCycle("gone-2062", 2062);
    const page = await tabs.open("admin", { lang: "zh-CN", path: "#/cycles" });
    await expect.poll(() => cycleRow(page, "gone-2062").count()).toBe(1);
    page.on("dialog", (d) => void d.accept());
    expect(await page.locator("label[for=field-move-force]").textContent()).toBe("跳过检查，强制更换");

    // Finalised in another tab while the Move card is on it: no English error, the list read again.
    await page.getByTestId("move-cycle").selectOption("gone-2061");
    await page.getByTestId("move-schemeVersion").selectOption("1");
    await finaliseByGateway("gone-2061");
    await page.getByTestId("move-submit").click();
    const moveGone = page.getByTestId("cycle-move-gone");
    await expect
      .poll(() => moveGone.textContent())
      .toBe(
        "考评周期 2061 · 2061年度 (gone-2061) 已在此期间定稿（在其他标签页中，或由其他管理员操作），本次未作任何更改。列表已重新读取。",
      );
    await expect
      .poll(() => cycleRow(page, "gone-2061").getByTestId("cycle-status").textContent())
      .toBe("已定稿");
    expect(await page.getByTestId("move-cycle").locator("option[value=gone-2061]").count()).toBe(0);
    expect(await page.getByTestId("cycle-move").textContent()).not.toContain("cannot be changed");

    // The Finalise card says a reason too long in Chinese; once the cycle is deleted elsewhere, so.
    await page.getByTestId("finalise-cycle").selectOption("gone-2062");
    const reason = page.getByTestId("finalise-reason");
    await reason.fill("理".repeat(2001));
    await page.getByTestId("finalise-submit").click();
    await expect
      .poll(() => page.getByTestId("finalise-reason-problem").textContent())
      .toBe(" 已输入 2001 个字符，最多 2000 个。");
    await reason.fill("重复建立");
    const deleted = await stack.gateway.gql(
      `mutation { deleteCycle(cycleId: "gone-2062") { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(deleted.body.data.deleteCycle.__typename).toBe("DeletedCycle");
    await page.getByTestId("finalise-submit").click();
    await expect
      .poll(() => page.getByTestId("finalise-gone").textContent())
      .toBe(
        "考评周期 2062 · 2062年度 (gone-2062) 已在此期间删除（在其他标签页中，或由其他管理员操作），本次未作任何更改。列表已重新读取。",
      );
    await expect.poll(() => cycleRow(page, "gone-2062").count()).toBe(0);
    expect(await page.getByTestId("finalise-refused").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("shows a cycle's scheme the page could not read as such, not another scheme in its place", async () => {
    await publishCopy("unread-review", "a scheme the page will not read");
    await makeCycle("un-2071", 2071, { schemeId: "unread-review", schemeVersion: 1 });
    const page = await tabs.open("admin", { lang: "en", path: "#/cycles" });
    // The list of schemes as a page read before the scheme was published would have it.
    await page.route("**/graphql", (route) =>
      route.request().postData()?.includes("query Schemes")
        ? route.fulfill({ json: { data: { schemes: [{ schemeId: "city-review" }] } } })
        : route.continue(),
    );
    await page.reload();
    await page.getByTestId("cycle-move").waitFor();
    await page.getByTestId("move-cycle").selectOption("un-2071");
    const scheme = page.getByTestId("move-schemeId");
    expect(await scheme.inputValue()).toBe("unread-review");
    expect(await scheme.locator("option:checked").textContent()).toBe("unread-review (not read)");
    expect(await page.getByTestId("move-scheme-unavailable").textContent()).toBe(
      "The cycle's scheme, unread-review, is not among the schemes this page read: reload the page, or choose another scheme.",
    );
    expect(await page.getByTestId("move-schemeVersion").locator("option").count()).toBe(0);
    expect(await page.getByTestId("move-submit").isDisabled()).toBe(true);
    // Another scheme is there to choose, at its latest version (other tests publish city-review's).
    const latest = (await stack.gateway.store.schemes.get("city-review")).version;
    await scheme.selectOption("city-review");
    expect(await page.getByTestId("move-schemeVersion").inputValue()).toBe(String(latest));
    expect(await page.getByTestId("move-submit").isDisabled()).toBe(false);
    await page.unroute("**/graphql");
    await tabs.putBack(page);
  });

  const storedVetoes = async (cycleId: string) => {
    const r = await stack.gateway.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { vetoEvents { edges { node { id unitId } } } } } }`,
      { c: cycleId },
      { as: "viewer" },
    );
    return r.body.data.cycle.vetoEvents.edges.map((e: { node: { id: string; unitId: string } }) => e.node);
  };
  const csv = (name: string, text: string) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text) });

  it("lets an administrator import a file of vetoes into an open cycle, see it listed, and remove it", async () => {
    await makeCycleOf2019Units("imp-open", 2006);
    const page = await tabs.open("admin", { lang: "en", path: "#/imports?cycle=imp-open" });
    expect(await page.locator("header nav a").allTextContents()).toContain("Imports");
    await page.getByTestId("imports-none").waitFor({ timeout: 10_000 });
    const file =
      "否决编号,单位编号,否决类型,否决事由\nV-i1,U01,major-incident,重大安全生产责任事故\nV-i2,U02,major-incident,食品安全事故\n";
    await page.getByTestId("import-kind").selectOption("VETOES");
    expect(await page.getByTestId("import-columns").textContent()).toContain("id, unit, type, reason");
    await page.getByTestId("import-file").setInputFiles(csv("vetoes 2006.csv", file));
    // The format from the file's extension, the id from its name; both may be changed.
    expect(await page.getByTestId("import-format").inputValue()).toBe("CSV");
    expect(await page.getByTestId("import-id").inputValue()).toBe("vetoes-2006");
    await page.getByTestId("import-submit").click();
    await expect
      .poll(() => page.getByTestId("import-done").textContent())
      .toBe("Imported 2 rows as import vetoes-2006.");
    const row = page.locator('[data-testid=import-list] tr[data-import="vetoes-2006"]');
    await expect.poll(() => row.count()).toBe(1);
    const cells = await row.locator("td").allTextContents();
    expect(cells.slice(0, 5)).toEqual(["vetoes-2006", "Vetoes (一票否决)", "CSV", "2", "admin-1"]);
    expect(cells[5]).toMatch(/\d/);
    expect(await storedVetoes("imp-open")).toEqual([
      { id: "V-i1", unitId: "U01" },
      { id: "V-i2", unitId: "U02" },
    ]);

    // Another file under an id already used: the gateway's refusal, at the id's box.
    await page
      .getByTestId("import-file")
      .setInputFiles(csv("vetoes 2006.csv", "id,unit,type,reason\nV-i3,U03,major-incident,x\n"));
    await page.getByTestId("import-submit").click();
    const refused = page.getByTestId("import-id-problem");
    await expect.poll(() => refused.count()).toBe(1);
    expect(await refused.textContent()).toContain(
      "The gateway refused this import id, and nothing was written:",
    );
    expect(await refused.textContent()).toContain(
      "import id 'vetoes-2006' was already used for a different file (vetoes into cycle 'imp-open', 2 rows)",
    );
    expect(await page.locator("[data-testid=import-list] tbody tr").count()).toBe(1);

    // Removing asks first, naming the import and its rows; dismissed, nothing is removed.
    const asked: string[] = [];
    let accept = false;
    page.on("dialog", (d) => {
      asked.push(d.message());
      void (accept ? d.accept() : d.dismiss());
    });
    await row.getByRole("button", { name: "Remove import vetoes-2006" }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toBe(
      "Remove import vetoes-2006 (Vetoes (一票否决), 2 rows when imported) from cycle 2006 · 2006年度 (imp-open)? Its rows are taken out of the cycle, except rows corrected or deleted by hand since, so fewer may go.",
    );
    expect(await storedVetoes("imp-open")).toHaveLength(2);
    accept = true;
    await row.getByTestId("import-remove").click();
    await expect
      .poll(() => page.getByTestId("import-removed").textContent())
      .toBe("Import vetoes-2006 removed: 2 rows taken out.");
    await page.getByTestId("imports-none").waitFor({ timeout: 10_000 });
    expect(await storedVetoes("imp-open")).toEqual([]);
    await tabs.putBack(page);
  });

  it("lists a refused file's problems by line and column, says nothing was written, and keeps a finalised cycle read-only", async () => {
    await makeCycleOf2019Units("imp-bad", 2007);
    const page = await tabs.open("admin", { lang: "en", path: "#/imports?cycle=imp-bad" });
    await page.getByTestId("imports-none").waitFor({ timeout: 10_000 });
    await page.getByTestId("import-kind").selectOption("VETOES");
    // A name that says no format: the clerk is asked to pick one, and nothing can be sent until then.
    await page.getByTestId("import-file").setInputFiles(csv("vetoes.txt", "id,unit,type,reason\n"));
    expect(await page.getByTestId("import-format-unknown").textContent()).toContain("vetoes.txt");
    expect(await page.getByTestId("import-submit").isDisabled()).toBe(true);

    const upload = async (name: string, text: string) => {
      await page.getByTestId("import-file").setInputFiles(csv(name, text));
      await page.getByTestId("import-submit").click();
    };
    await upload(
      "bad.csv",
      "id,unit,type,reason\nV-1,U01,major-incident,\nV-2,U01,major-incident,x\nV-2,U02,major-incident,y\n",
    );
    const bad = page.getByTestId("import-bad-rows");
    await expect.poll(() => bad.locator("tbody tr").count()).toBe(2);
    const cells = await bad
      .locator("tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    expect(cells).toEqual([
      ["2", "reason", "required"],
      ["4", "id", "duplicate of line 3 (id)"],
    ]);
    expect(await bad.locator("thead th").allTextContents()).toEqual(["Line", "Column", "Problem"]);
    expect(await page.getByTestId("import-file-problem").textContent()).toContain(
      "The file was refused and nothing was written: 2 problems were found.",
    );
    expect(await page.getByTestId("import-shown").count()).toBe(0);
    // A JSON array on one line, as exporters write it: every record is on line 1, so its number finds it.
    const vetoes = ["x", "", "y"].map((reason, i) => ({
      id: `V-${i}`,
      unit: "U01",
      type: "major-incident",
      reason,
    }));
    await upload("bad.json", JSON.stringify(vetoes));
    await expect
      .poll(() => bad.locator("thead th").allTextContents())
      .toEqual(["Record", "Line", "Column", "Problem"]);
    expect(await bad.locator("tbody tr td").allTextContents()).toEqual(["2", "1", "reason", "required"]);

    // More problems than the gateway lists: how many of them are shown.
    await upload(
      "many.csv",
      `id,unit,type,reason\n${Array.from({ length: 1001 }, (_, i) => `V-${i},U01,major-incident,\n`).join("")}`,
    );
    await expect
      .poll(() => page.getByTestId("import-shown").textContent())
      .toBe("Showing the first 1000 of 1001.");
    expect(await bad.locator("tbody tr").count()).toBe(1000);

    // Rows that read, checked by the engine against the whole year: its issues, at the rows' lines.
    await upload("type.csv", "id,unit,type,reason\nV-9,U01,no-such-veto,x\n");
    await expect
      .poll(() => bad.locator("tbody tr td").allTextContents())
      .toEqual(["2", "type", 'veto event "V-9" for unit "U01": unknown veto type "no-such-veto"']);
    expect(await page.getByTestId("import-file-problem").textContent()).toContain(
      "The file was refused and nothing was written: 1 problem was found.",
    );
    expect(await page.getByTestId("imports-none").count()).toBe(1);
    expect(await storedVetoes("imp-bad")).toEqual([]);

    // A finalised cycle lists its imports and offers neither an upload nor a removal.
    await withRecords("imp-bad", true);
    await finaliseByGateway("imp-bad");
    await page.reload();
    await expect
      .poll(() => page.getByTestId("imports-read-only").textContent())
      .toBe("This cycle is finalised: nothing can be imported into it or taken out of it any more.");
    expect(await page.locator("form, [data-testid=import-remove]").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("reads the cycle's imports again when a file turns out to be imported already", async () => {
    await makeCycleOf2019Units("imp-again", 2008);
    const path = "#/imports?cycle=imp-again";
    const page = await tabs.open("admin", { lang: "en", path });
    await page.getByTestId("imports-none").waitFor({ timeout: 10_000 });
    // A colleague imports the file meanwhile: this page's list does not know it yet.
    const colleague = await tabs.open("admin", { lang: "en", path });
    await colleague.getByTestId("imports-none").waitFor({ timeout: 10_000 });
    const file = csv("again.csv", "id,unit,type,reason\nV-a1,U01,major-incident,x\n");
    const upload = async (p: Page) => {
      await p.getByTestId("import-kind").selectOption("VETOES");
      await p.getByTestId("import-file").setInputFiles(file);
      await p.getByTestId("import-submit").click();
    };
    await upload(colleague);
    await expect
      .poll(() => colleague.locator('[data-testid=import-list] tr[data-import="again"]').count())
      .toBe(1);
    await tabs.putBack(colleague);
    expect(await page.getByTestId("imports-none").count()).toBe(1);
    await upload(page);
    await expect
      .poll(() => page.getByTestId("import-done").textContent())
      .toBe("Import again was already imported (1 row): nothing was added.");
    // The retry added nothing, but the list now shows what the cycle holds.
    await expect
      .poll(() => page.locator('[data-testid=import-list] tr[data-import="again"]').count())
      .toBe(1);
    expect(await page.getByTestId("imports-none").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("keeps no note about an import once another action starts, such as removing that import", async () => {
    await makeCycleOf2019Units("imp-notes", 2009);
    const page = await tabs.open("admin", { lang: "en", path: "#/imports?cycle=imp-notes" });
    await page.getByTestId("imports-none").waitFor({ timeout: 10_000 });
    page.on("dialog", (d) => void d.accept());
    const upload = async (name: string) => {
      await page.getByTestId("import-kind").selectOption("VETOES");
      await page
        .getByTestId("import-file")
        .setInputFiles(csv(name, `id,unit,type,reason\n${name},U01,major-incident,x\n`));
      await page.getByTestId("import-submit").click();
    };
    const imported = page.getByTestId("import-done");
    const removed = page.getByTestId("import-removed");
    await upload("notes-1.csv");
    await expect.poll(() => imported.textContent()).toBe("Imported 1 row as import notes-1.");
    const row = page.locator('[data-testid=import-list] tr[data-import="notes-1"]');
    await expect.poll(() => row.count()).toBe(1);
    await row.getByTestId("import-remove").click();
    await expect.poll(() => removed.textContent()).toBe("Import notes-1 removed: 1 row taken out.");
    // "Imported notes-1" no longer holds: the note went when its removal started.
    expect(await imported.count()).toBe(0);
    await page.getByTestId("imports-none").waitFor({ timeout: 10_000 });
    // And the other way: an upload started clears the note of the removal before it.
    await upload("notes-2.csv");
    await expect.poll(() => imported.textContent()).toBe("Imported 1 row as import notes-2.");
    expect(await removed.count()).toBe(0);
    await tabs.putBack(page);
  });

  it("keeps a file picked while the one before it uploads, and its import id, for the next upload", async () => {
    await makeCycleOf2019Units("imp-during", 1996);
    const page = await tabs.open("admin", { lang: "en", path: "#/imports?cycle=imp-during" });
    await page.getByTestId("imports-none").waitFor({ timeout: 10_000 });
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let asked = () => {};
    const uploading = new Promise<void>((r) => {
      asked = r;
    });
    await page.route("**/graphql", async (route) => {
      if ((route.request().postData() ?? "").includes("mutation ImportFile")) {
        asked();
        await held;
      }
      return route.continue();
    });
    const file = page.getByTestId("import-file");
    const vetoes = (name: string) =>
      csv(`${name}.csv`, `id,unit,type,reason\n${name},U01,major-incident,x\n`);
    await page.getByTestId("import-kind").selectOption("VETOES");
    await file.setInputFiles(vetoes("during-1"));
    await page.getByTestId("import-submit").click();
    await uploading;
    await file.setInputFiles(vetoes("during-2"));
    expect(await page.getByTestId("import-id").inputValue()).toBe("during-2");
    release();
    await expect
      .poll(() => page.getByTestId("import-done").textContent())
      .toBe("Imported 1 row as import during-1.");
    // The first file went in; the second is still there, as picked, to be sent next.
    expect(await page.getByTestId("import-id").inputValue()).toBe("during-2");
    expect(await page.getByTestId("import-format").inputValue()).toBe("CSV");
    expect(await file.evaluate((box: HTMLInputElement) => box.files?.[0]?.name)).toBe("during-2.csv");
    await page.getByTestId("import-submit").click();
    await expect
      .poll(() => page.getByTestId("import-done").textContent())
      .toBe("Imported 1 row as import during-2.");
    await expect.poll(() => page.locator("[data-testid=import-list] tbody tr[data-import]").count()).toBe(2);
    await tabs.putBack(page);
  });

  it("says a refusal of a file uploaded while another was picked of that file, not at the boxes now holding the other", async () => {
    await makeCycleOf2019Units("imp-earlier", 1993);
    const page = await tabs.open("admin", { lang: "en", path: "#/imports?cycle=imp-earlier" });
    await page.getByTestId("imports-none").waitFor({ timeout: 10_000 });
    await page.getByTestId("import-kind").selectOption("VETOES");
    const file = page.getByTestId("import-file");
    const vetoes = (name: string, id: string, type = "major-incident") =>
      csv(`${name}.csv`, `id,unit,type,reason\n${id},U01,${type},x\n`);
    await file.setInputFiles(vetoes("earlier", "V-e1"));
    await page.getByTestId("import-submit").click();
    await expect.poll(() => page.getByTestId("import-done").textContent()).toContain("earlier");

    // Each upload is held until the next file is picked.
    let release = () => {};
    let asked = () => {};
    let uploading = Promise.resolve();
    const hold = () => {
      const held = new Promise<void>((r) => {
        release = r;
      });
      uploading = new Promise<void>((r) => {
        asked = r;
      });
      return held;
    };
    let held = hold();
    await page.route("**/graphql", async (route) => {
      if ((route.request().postData() ?? "").includes("mutation ImportFile")) {
        asked();
        await held;
      }
      return route.continue();
    });
    const idProblem = page.getByTestId("import-id-problem");
    const fileProblem = page.getByTestId("import-file-problem");
    const earlier = page.getByTestId("import-earlier-refused");
    /** Nothing said at the boxes, which hold the file picked since, nor under the form. */
    const boxesClear = async () => {
      expect(await idProblem.count()).toBe(0);
      expect(await fileProblem.count()).toBe(0);
      expect(await page.getByTestId("import-refused").count()).toBe(0);
      expect(await page.getByTestId("import-id").getAttribute("aria-invalid")).toBeNull();
      expect(await file.getAttribute("aria-invalid")).toBeNull();
    };

    // Another file under the id used before: refused for its id, which is no longer in the box.
    await file.setInputFiles(vetoes("earlier", "V-e2"));
    await page.getByTestId("import-submit").click();
    await uploading;
    await file.setInputFiles(vetoes("later", "V-e3"));
    release();
    await expect.poll(() => earlier.count()).toBe(1);
    expect(await earlier.textContent()).toContain("“earlier.csv” (import id earlier)");
    expect(await earlier.textContent()).toContain("nothing of it was written");
    await boxesClear();
    expect(await page.getByTestId("import-id").inputValue()).toBe("later");

    // A file with bad rows: its rows are listed under its name, not at the box of the file picked since.
    held = hold();
    await file.setInputFiles(vetoes("rows", "V-e4", "no-such-veto"));
    await page.getByTestId("import-submit").click();
    await uploading;
    await file.setInputFiles(vetoes("fine", "V-e5"));
    release();
    await expect.poll(() => earlier.locator("[data-testid=import-bad-rows] tbody tr").count()).toBe(1);
    expect(await earlier.textContent()).toContain("“rows.csv” (import id rows)");
    await boxesClear();
    expect(await file.evaluate((box: HTMLInputElement) => box.files?.[0]?.name)).toBe("fine.csv");

    // The file in the box goes in; the note of the one before goes.
    release = () => {};
    held = Promise.resolve();
    await page.getByTestId("import-submit").click();
    await expect
      .poll(() => page.getByTestId("import-done").textContent())
      .toBe("Imported 1 row as import fine.");
    expect(await earlier.count()).toBe(0);
    await tabs.putBack(page);
  });

  it("shows each refusal of an upload at the box it concerns, framed in the page's language", async () => {
    await makeCycleOf2019Units("imp-place", 2010);
    const page = await tabs.open("admin", { path: "#/imports?cycle=imp-place" });
    await page.getByTestId("imports-none").waitFor({ timeout: 10_000 });
    await page.getByTestId("import-kind").selectOption("VETOES");
    const upload = async (name: string, text: string, id?: string) => {
      await page.getByTestId("import-file").setInputFiles(csv(name, text));
      if (id !== undefined) await page.getByTestId("import-id").fill(id);
      await page.getByTestId("import-submit").click();
    };
    const idProblem = page.getByTestId("import-id-problem");
    const fileProblem = page.getByTestId("import-file-problem");
    const underForm = page.getByTestId("import-refused");
    /** Where a refusal stands: the box it describes, and nothing said of it elsewhere. */
    const describes = async (box: "id" | "file", problem: Locator) => {
      const input = page.getByTestId(`import-${box}`);
      expect(await input.getAttribute("aria-invalid")).toBe("true");
      const described = (await input.getAttribute("aria-describedby")) ?? "";
      expect(
        await problem.evaluate((el, id) => !!id && el.contains(document.getElementById(id)), described),
      ).toBe(true);
      expect(await underForm.count()).toBe(0);
      expect(await (box === "id" ? fileProblem : idProblem).count()).toBe(0);
    };
    /** The console's own framing, in Chinese; what follows it is the gateway's. */
    const framedInChinese = async (problem: Locator, framing: string) => {
      expect(((await problem.textContent()) ?? "").trim().startsWith(framing)).toBe(true);
    };
    const body = "id,unit,type,reason\nV-p1,U01,major-incident,x\n";
    await upload("place.csv", body);
    await expect
      .poll(() => page.locator('[data-testid=import-list] tr[data-import="place"]').count())
      .toBe(1);

    // Another file under an id used before: at the id box, which keeps the id to be changed.
    await upload("place.csv", "id,unit,type,reason\nV-p2,U01,major-incident,x\n");
    await expect.poll(() => idProblem.count()).toBe(1);
    await describes("id", idProblem);
    await framedInChinese(idProblem, "网关拒绝了该导入编号，未写入任何数据：");
    expect(await page.getByTestId("import-id").inputValue()).toBe("place");
    // Changing the id takes the refusal away.
    await page.getByTestId("import-id").fill("place-2");
    expect(await idProblem.count()).toBe(0);
    expect(await page.getByTestId("import-id").getAttribute("aria-invalid")).toBeNull();

    // An id longer than the gateway takes: there too.
    await upload("long.csv", body, "x".repeat(201));
    await expect.poll(() => idProblem.count()).toBe(1);
    await describes("id", idProblem);
    await framedInChinese(idProblem, "网关拒绝了该导入编号，未写入任何数据：");

    // Bad rows belong to the file: listed by line and column at its box, before the rest of the form.
    await upload("rows.csv", "id,unit,type,reason\nV-p3,U01,major-incident,\n");
    await expect.poll(() => fileProblem.locator("[data-testid=import-bad-rows] tbody tr").count()).toBe(1);
    await describes("file", fileProblem);
    await framedInChinese(fileProblem, "文件被拒绝，未写入任何数据：发现 1 处问题。");
    expect(await fileProblem.locator("th").allTextContents()).toEqual(["行", "列", "问题"]);
    expect(await fileProblem.locator("tbody tr td").count()).toBe(3);
    const before = await fileProblem.evaluate(
      (el) =>
        !!(
          el.compareDocumentPosition(document.querySelector("[data-testid=import-id]")!) &
          Node.DOCUMENT_POSITION_FOLLOWING
        ),
    );
    expect(before).toBe(true);

    // Records the engine refuses, and the same file under a second id: the file's too.
    await upload("type.csv", "id,unit,type,reason\nV-p4,U01,no-such-veto,x\n");
    await expect
      .poll(() => fileProblem.locator("tbody tr td").allTextContents())
      .toEqual(["2", "type", 'veto event "V-p4" for unit "U01": unknown veto type "no-such-veto"']);
    await describes("file", fileProblem);
    await framedInChinese(fileProblem, "文件被拒绝，未写入任何数据：发现 1 处问题。");
    await upload("twin.csv", body);
    await expect.poll(() => fileProblem.locator("[role=alert]").count()).toBeGreaterThan(0);
    await describes("file", fileProblem);
    await framedInChinese(fileProblem, "网关拒绝了该文件，未写入任何数据：");

    // What concerns no box (the cycle finalised meanwhile) stays under the form.
    await withRecords("imp-place", true);
    await finaliseByGateway("imp-place");
    await upload("late.csv", "id,unit,type,reason\nV-p5,U01,major-incident,x\n");
    await expect.poll(() => underForm.count()).toBe(1);
    await framedInChinese(underForm, "网关拒绝了本次导入，未写入任何数据：");
    expect(await idProblem.count()).toBe(0);
    expect(await fileProblem.count()).toBe(0);
    await tabs.putBack(page);
  });

  it("asks for the encoding of a file that reads as UTF-8 and as GB18030 alike, at its box, and imports it once told", async () => {
    await makeCycleOf2019Units("imp-enc", 2013);
    const page = await tabs.open("admin", { lang: "en", path: "#/imports?cycle=imp-enc" });
    await page.getByTestId("imports-none").waitFor({ timeout: 10_000 });
    await page.getByTestId("import-kind").selectOption("UNITS");
    // 学院 saved by Excel in Chinese Windows: its GB18030 bytes are also the UTF-8 of "ѧԺ".
    const bytes = Buffer.concat([
      Buffer.from("id,name,group\nE1,"),
      Buffer.from([0xd1, 0xa7, 0xd4, 0xba]),
      Buffer.from(",law-enforcement\n"),
    ]);
    const encoding = page.getByTestId("import-encoding");
    const hint = page.getByTestId("import-encoding-problem");
    const selected = () => encoding.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text);
    expect(await selected()).toBe("Detect (default)");
    await page
      .getByTestId("import-file")
      .setInputFiles({ name: "学院.csv", mimeType: "text/csv", buffer: bytes });
    await page.getByTestId("import-submit").click();
    await expect.poll(() => hint.count()).toBe(1);
    expect(await hint.textContent()).toBe(
      "Line 2 reads as UTF-8 (“ѧԺ”) and as GB18030 (“学院”) alike, so the gateway would not guess the file's encoding, and nothing was written. Choose the encoding the file was saved in (the one whose reading is right), then import it again.",
    );
    // At the encoding's box, which it describes; the file's box is not the one to mend.
    expect(await encoding.getAttribute("aria-invalid")).toBe("true");
    expect(await encoding.getAttribute("aria-describedby")).toBe(await hint.getAttribute("id"));
    expect(await page.getByTestId("import-file").getAttribute("aria-invalid")).toBeNull();
    expect(await page.getByTestId("import-file-problem").count()).toBe(0);
    expect(await page.getByTestId("import-refused").count()).toBe(0);
    const under = await hint.evaluate((el, box) => {
      const select = document.querySelector(`[data-testid=${box}]`)!.getBoundingClientRect();
      const note = el.getBoundingClientRect();
      return note.top >= select.bottom && note.top - select.bottom < 40;
    }, "import-encoding");
    expect(under).toBe(true);
    // The page's own words in Chinese too, the readings as the gateway quoted them.
    await page.getByTestId("lang").selectOption("zh-CN");
    await expect
      .poll(() => hint.textContent())
      .toBe(
        "第 2 行按 UTF-8 读作“ѧԺ”，按 GB18030 读作“学院”，网关无法判断文件的编码，未写入任何数据。请选择文件保存时所用的编码（读法正确的那一种），然后重新导入。",
      );
    // The hint fits a phone and a wide screen alike, as does the select's longest option.
    const overflowing: string[] = [];
    for (const width of [390, 480, 640, 800, 1024, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      for (const lang of ["zh-CN", "en"] as const) {
        await page.getByTestId("lang").selectOption(lang);
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        const box = (await encoding.boundingBox())!;
        if (scroll > width || box.x + box.width > width) overflowing.push(`${lang} ${width}: ${scroll}`);
        await shot(page, `${width}-${lang}-imports-encoding`);
      }
    }
    expect(overflowing).toEqual([]);
    await page.setViewportSize({ width: 1400, height: 900 });

    // Told GB18030, the same file under the same id goes in, read as 学院.
    await encoding.selectOption("GB18030");
    expect(await hint.count()).toBe(0);
    expect(await selected()).toBe("GB18030 (GBK, GB2312) — Excel in Chinese Windows");
    await page.getByTestId("import-submit").click();
    await expect
      .poll(() => page.getByTestId("import-done").textContent())
      .toBe("Imported 1 row as import 学院.");
    const stored = await stack.gateway.gql(
      `{ unit(cycleId: "imp-enc", id: "E1") { ... on Unit { name } } }`,
      {},
      { as: "viewer" },
    );
    expect(stored.body.data.unit.name).toBe("学院");
    // The encoding was that file's: the next is detected again.
    expect(await encoding.inputValue()).toBe("");
    await tabs.putBack(page);
  });

  it("takes no encoding for an XLSX workbook, and says why beside the box", async () => {
    await makeCycleOf2019Units("imp-xlsx", 2014);
    const page = await tabs.open("admin", { path: "#/imports?cycle=imp-xlsx" });
    await page.getByTestId("imports-none").waitFor({ timeout: 10_000 });
    const encoding = page.getByTestId("import-encoding");
    const note = page.getByTestId("import-encoding-note");
    expect(await encoding.locator("option").allTextContents()).toEqual([
      "自动识别",
      "GB18030（GBK、GB2312）",
      "UTF-8",
    ]);
    expect(await page.getByLabel("文件编码").count()).toBe(1);
    await encoding.selectOption("GB18030");
    expect(await note.count()).toBe(0);
    await page
      .getByTestId("import-file")
      .setInputFiles({ name: "units.xlsx", mimeType: "application/octet-stream", buffer: Buffer.from("PK") });
    expect(await page.getByTestId("import-format").inputValue()).toBe("XLSX");
    expect(await encoding.isDisabled()).toBe(true);
    expect(await encoding.inputValue()).toBe("");
    expect(await note.textContent()).toBe("XLSX 工作簿自带编码：此项仅用于 CSV 和 JSON 文件。");
    expect(await encoding.getAttribute("aria-describedby")).toBe(await note.getAttribute("id"));
    // Sent without it: the gateway, which refuses a workbook sent with an encoding at that box,
    // reads this one, and finds it is no workbook.
    await page.getByTestId("import-submit").click();
    await expect.poll(() => page.getByTestId("import-file-problem").count()).toBe(1);
    // A problem of the file as a whole has no line: not "0".
    expect(await page.getByTestId("import-file-problem").locator("tbody tr td").first().textContent()).toBe(
      "整个文件",
    );
    expect(await page.getByTestId("import-encoding-problem").count()).toBe(0);
    expect(await encoding.getAttribute("aria-invalid")).toBeNull();
    // Back to CSV, the choice made before is the box's again.
    await page.getByTestId("import-format").selectOption("CSV");
    expect(await encoding.isDisabled()).toBe(false);
    expect(await encoding.inputValue()).toBe("GB18030");
    expect(await note.count()).toBe(0);
    await tabs.putBack(page);
  });

  it("gives each kind's column hint Chinese headers of its own, ones the gateway reads for that kind", async () => {
    const page = await tabs.open("admin", { path: "#/imports?cycle=2019" });
    await page.getByTestId("import-upload").waitFor({ timeout: 10_000 });
    const kinds = await page
      .getByTestId("import-kind")
      .locator("option")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(kinds).toHaveLength(Object.keys(KIND_SPECS).length);
    const seen = new Set<string>();
    for (const kind of kinds) {
      await page.getByTestId("import-kind").selectOption(kind);
      const hint = (await page.getByTestId("import-columns").textContent()) ?? "";
      const examples = /（(.+?)等）/.exec(hint)?.[1]?.split("、") ?? [];
      expect(examples.length, hint).toBeGreaterThan(1);
      // The page's SURVEY_FORMS is the gateway's "survey-forms".
      const spec = KIND_SPECS[kind.toLowerCase().replace("_", "-") as keyof typeof KIND_SPECS];
      const read = spec.columns.flatMap((c) => c.aliases);
      expect(
        examples.filter((e) => !read.includes(e)),
        kind,
      ).toEqual([]);
      seen.add(examples.join("、"));
    }
    expect(seen.size).toBe(kinds.length);
    await tabs.putBack(page);
  });

  it("refreshes the ranking, the open unit's panel and the export when a veto is recorded, and says why", async () => {
    const page = await tabs.open("viewer", { path: "#/rules" });
    const streams: string[] = [];
    page.on("requestfailed", (r) => {
      if ((r.postData() ?? "").includes("subscription LiveRanking")) streams.push("closed");
    });
    // The page waits 1.5 s at most for its live stream before reading the table without it; a
    // write made before the stream opened would then be read again quietly, with no notice. So
    // the write below comes only once the stream has been answered.
    const live = page.waitForResponse(
      (r) => (r.request().postData() ?? "").includes("subscription LiveRanking") && r.ok(),
    );
    await page.evaluate(() => {
      location.hash = "#/rankings?cycle=2019&unit=U14";
    });
    await live;
    const u14 = page.locator("tr[data-unit=U14]");
    const panel = page.getByTestId("unit-panel");
    const grade = (row: Locator) => row.locator("td").nth(-2).textContent();
    await expect.poll(() => grade(u14)).toBe("优秀 excellent");
    await expect.poll(() => panel.locator(".headline").textContent()).toContain("优秀 excellent");
    expect(await u14.locator(".flag[title=VETO]").count()).toBe(0);

    /** The table as the page shows it, and as a fresh query reads it: unit, rank, total, grade, flags. */
    const shown = () =>
      rows(page).evaluateAll((trs) =>
        trs.map((tr) => {
          const td = [...tr.querySelectorAll("td")].map((c) => c.textContent ?? "");
          const flags = [...tr.querySelectorAll(".flag")].map((f) => f.getAttribute("title")).join(" ");
          return [
            tr.getAttribute("data-unit"),
            td[1],
            tr.querySelector("td.total")?.textContent,
            td.at(-2),
            flags,
          ];
        }),
      );
    const fresh = async () => {
      const r = await stack.gateway.gql(
        `{ ranking(cycleId: "2019") { ... on Ranking { entries(first: 100) { edges { node {
          unitId rank total grade { name } flags } } } } } }`,
        {},
        { as: "viewer" },
      );
      return r.body.data.ranking.entries.edges.map(({ node: n }: { node: any }) => [
        n.unitId,
        String(n.rank ?? "—"),
        n.total ?? "—",
        n.grade?.name ?? "",
        n.flags.join(" "),
      ]);
    };
    const veto = (call: string) =>
      stack.gateway.gql(`mutation { ${call} { __typename } }`, {}, { as: "admin" });
    try {
      const recorded = await veto(
        `recordVetoEvent(cycleId: "2019", input: { id: "v1", unitId: "U14", type: "major-incident", reason: "x" })`,
      );
      expect(recorded.body.data.recordVetoEvent.__typename).toBe("VetoEvent");
      // No reload: the page hears of the write and reads the table and the panel again.
      await expect.poll(() => grade(u14)).toBe("良好 good");
      expect(await u14.locator(".flag[title=VETO]").textContent()).toBe("一票否决");
      await expect.poll(shown).toEqual(await fresh());
      await expect.poll(() => panel.locator(".headline").textContent()).toContain("良好 good");
      expect(await panel.locator(".headline .flag[title=VETO]").count()).toBe(1);
      const notice = page.getByTestId("live-notice");
      expect(await notice.textContent()).toBe("排名已更新：一票否决事项已记录或删除");
      await page.getByTestId("lang").selectOption("en");
      await expect
        .poll(() => notice.textContent())
        .toBe("Ranking updated: a veto (一票否决) was recorded or removed");

      // The export is the table on screen, not the one first loaded.
      const [csv] = await Promise.all([
        page.waitForEvent("download"),
        page.getByTestId("export-csv").click(),
      ]);
      const name = (await u14.locator("td.name").textContent())!;
      const line = readFileSync((await csv.path())!, "utf8")
        .split("\r\n")
        .find((l) => l.includes(`,${name},`));
      expect(line).toMatch(/,良好 good,.*veto/);
    } finally {
      await veto(`deleteVetoEvent(cycleId: "2019", id: "v1")`);
    }
    // Leaving the page (here by signing out) ends the stream.
    expect(streams).toEqual([]);
    await page.locator("header button").click();
    await expect.poll(() => streams).toEqual(["closed"]);
    await tabs.putBack(page);
  });
  it("reads the ranking again when its live stream comes back after a drop, and hears updates on the new one", async () => {
    // Signed in on a page without a ranking, so that the first stream can be held from its start.
    const page = await tabs.open("viewer", { path: "#/rules" });
    await page.getByTestId("refused").waitFor();
    let drop = () => {};
    const held = new Promise<void>((r) => {
      drop = r;
    });
    let streams = 0;
    let reads = 0;
    await page.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (body.includes("subscription LiveRanking") && streams++ === 0) {
        // The first stream never opens (a proxy holding it), then fails.
        await held;
        return route.abort("connectionreset");
      }
      if (body.includes("query Ranking") && body.includes('"2019"')) reads++;
      return route.continue();
    });
    await page.evaluate(() => {
      location.hash = "#/rankings?cycle=2019&unit=U14";
    });
    const u14 = page.locator("tr[data-unit=U14]");
    const headline = page.getByTestId("unit-panel").locator(".headline");
    const grade = () => u14.locator("td").nth(-2).textContent();
    // Without a stream, the page reads the table anyway after a moment.
    await expect.poll(grade).toBe("优秀 excellent");
    await expect.poll(() => headline.textContent()).toContain("优秀 excellent");
    expect(reads).toBe(1);
    const gql = (call: string) =>
      stack.gateway.gql(`mutation { ${call} { __typename } }`, {}, { as: "admin" });
    try {
      // Announced to no one: no stream is open.
      await gql(
        `recordVetoEvent(cycleId: "2019", input: { id: "v2", unitId: "U14", type: "major-incident", reason: "x" })`,
      );
      drop();
      // Reconnected, the page reads again what it may have missed: silently, as it is no update it heard of.
      await expect.poll(grade).toBe("良好 good");
      await expect.poll(() => headline.textContent()).toContain("良好 good");
      expect(reads).toBe(2);
      expect(streams).toBe(2);
      expect(await page.getByTestId("live-notice").textContent()).toBe("");

      // The new stream carries the next update.
      await gql(`deleteVetoEvent(cycleId: "2019", id: "v2")`);
      await expect.poll(grade).toBe("优秀 excellent");
      await expect.poll(() => headline.textContent()).toContain("优秀 excellent");
      expect(await page.getByTestId("live-notice").textContent()).toBe(
        "排名已更新：一票否决事项已记录或删除",
      );
      expect(reads).toBe(3);
    } finally {
      await gql(`deleteVetoEvent(cycleId: "2019", id: "v2")`);
    }
    await tabs.putBack(page);
  });

  it("shows no update notice of the cycle shown before beside the cycle picked next", async () => {
    await makeCycleOf2019Units("notice-1996", 1996);
    const page = await tabs.open("viewer", { path: "#/rules" });
    // The write below comes once the stream is answered: else it is read again quietly, with no notice.
    const live = page.waitForResponse(
      (r) => (r.request().postData() ?? "").includes("subscription LiveRanking") && r.ok(),
    );
    await page.evaluate(() => {
      location.hash = "#/rankings?cycle=notice-1996";
    });
    await live;
    const notice = page.getByTestId("live-notice");
    const recorded = await stack.gateway.gql(
      `mutation { recordVetoEvent(cycleId: "notice-1996", input: { id: "v-n1", unitId: "U14", type: "major-incident", reason: "x" }) { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(recorded.body.data.recordVetoEvent.__typename).toBe("VetoEvent");
    await expect.poll(() => notice.textContent()).toBe("排名已更新：一票否决事项已记录或删除");

    // Every state the page is drawn in from now on: the cycle in the picker, the notice beside it.
    await page.evaluate(() => {
      const seen: [string, string][] = [];
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver(() => {
        const picked = document.querySelector<HTMLSelectElement>("select[data-testid=cycle]")?.value ?? "";
        seen.push([picked, document.querySelector("[data-testid=live-notice]")?.textContent ?? ""]);
      }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
    });
    // Followed in the tab, as a link is: not a pick in the page's own picker.
    await page.evaluate(() => {
      location.hash = "#/rankings?cycle=2018";
    });
    await expect.poll(() => rows(page).count()).toBe(29);
    const seen = await page.evaluate(() => (window as unknown as { seen: [string, string][] }).seen);
    expect(seen.some(([picked]) => picked === "2018")).toBe(true);
    expect(seen.filter(([picked, shown]) => picked === "2018" && shown !== "")).toEqual([]);
    await tabs.putBack(page);
  });

  it("says the gateway cannot be reached when a page's code cannot be fetched, and loads it on retry", async () => {
    const page = await tabs.open("analyst", { path: "#/rankings?cycle=2018" });
    await expect.poll(() => rows(page).count()).toBe(29);
    // The gateway stops: nothing it serves arrives, the what-if page's code (not loaded yet) included.
    await page.route("**/*", (route) => route.abort("connectionrefused"));
    await page.evaluate(() => {
      location.hash = "#/whatif?cycle=2018";
    });
    const alert = page.getByTestId("page-unreachable");
    await expect
      .poll(() => alert.locator("p").textContent())
      .toBe("错误: 无法连接到网关。请检查网络连接或网关是否正在运行，然后重试。");
    expect(await page.getByTestId("crashed").count()).toBe(0);
    expect(await alert.getAttribute("role")).toBe("alert");
    // The browser's words stay for support.
    expect(await alert.getAttribute("title")).toMatch(/import|fetch/i);
    await page.getByTestId("lang").selectOption("en");
    await expect
      .poll(() => alert.locator("p").textContent())
      .toBe(
        "Error: The console cannot reach the gateway. Check your network connection, or whether the gateway is running, and try again.",
      );

    // Still down: trying again says so again, and the console stays (no reload into an error page).
    // The same words were there before the click, so the test waits for the retry to have run its
    // course (the gateway asked, the page's code asked for again, both refused, a new alert drawn);
    // bringing the gateway back sooner would let the retry in flight succeed instead.
    const before = await alert.elementHandle();
    await alert.getByRole("button", { name: "Try again" }).click();
    await expect
      .poll(async () => !(await before?.evaluate((el) => el.isConnected)) && (await alert.count()) === 1)
      .toBe(true);
    await expect.poll(() => alert.locator("p").textContent()).toMatch(/cannot reach the gateway/);
    expect(await page.getByTestId("lang").count()).toBe(1);

    // Back up: the retry fetches the page's code again, in a fresh document (some browsers keep a
    // failed module failed), with the session, the language and the link kept.
    await page.unroute("**/*");
    await alert.getByRole("button", { name: "Try again" }).click();
    await expect.poll(() => page.getByTestId("whatif-table").locator("tbody tr").count()).toBe(29);
    expect(await page.getByTestId("page-unreachable").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("takes the impact preview away once the draft changes, and publishes only a draft previewed as it is", async () => {
    // 2019 is scored under version 2 of city-review (30 + 20 + 50), whatever other tests publish.
    const page = await tabs.open("admin", { lang: "en", path: "#/rules?scheme=city-review" });
    const draft = page.getByTestId("draft-json");
    await expect.poll(() => draft.inputValue()).toContain('"id": "city-review"');
    const v2 = await stack.gateway.gql(
      `{ schemeVersion(schemeId: "city-review", version: 2) { ... on SchemeVersion { document } } }`,
      {},
      { as: "admin" },
    );
    const document = v2.body.data.schemeVersion.document;
    const withQuota = (percent: number | string) =>
      JSON.stringify(
        {
          ...document,
          grades: {
            ...document.grades,
            rules: document.grades.rules.map((r: { quota?: object }) =>
              r.quota ? { ...r, quota: { ...r.quota, percent } } : r,
            ),
          },
        },
        null,
        2,
      );
    const publish = page.getByTestId("publish");
    const impact = page.getByTestId("impact");
    await page.getByTestId("reason").fill("quota 20%");
    await draft.fill(withQuota(20));
    await page.getByTestId("preview-cycle").selectOption("2019");
    // Not previewed as it is: no Publish, and the page says why.
    await expect.poll(() => publish.isDisabled()).toBe(true);
    expect(await page.getByTestId("preview-first").textContent()).toContain("Preview");

    await page.getByTestId("preview").click();
    await expect.poll(() => impact.locator("tbody tr").count()).toBe(29);
    expect(await page.getByTestId("maximum").count()).toBe(1);
    await expect.poll(() => publish.isDisabled()).toBe(false);
    expect(await page.getByTestId("preview-first").count()).toBe(0);

    // Another edit: the impact shown was the previous text's, and so was the go-ahead.
    await draft.fill(withQuota(25));
    await expect.poll(() => impact.count()).toBe(0);
    expect(await page.getByTestId("maximum").count()).toBe(0);
    expect(await publish.isDisabled()).toBe(true);
    expect(await page.getByTestId("preview-first").count()).toBe(1);

    // The draft's problems are kept while they are mended, said to be the previous text's.
    await draft.fill(withQuota(-5));
    await page.getByTestId("preview").click();
    const issues = page.getByTestId("draft-issues");
    await expect.poll(() => issues.textContent()).toContain("percent");
    expect(await draft.getAttribute("aria-invalid")).toBe("true");
    await draft.fill(withQuota(25));
    await expect.poll(() => issues.textContent()).toContain("found in an earlier text");
    expect(await draft.getAttribute("aria-invalid")).toBe("false");
    await page.getByTestId("lang").selectOption("zh-CN");
    await expect.poll(() => issues.textContent()).toContain("修改之前");
    expect(await publish.isDisabled()).toBe(true);
    await tabs.putBack(page);
  });

  // The Findings page (日常考核 / 整改). The seed's 2019 holds 19 findings, F2019-001 … F2019-019,
  // two of them not rectified (F2019-006 of U13, F2019-011 of U20).
  const findingIds = (page: Page) =>
    page
      .getByTestId("findings-list")
      .locator("tbody tr[data-finding]")
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-finding")));
  const seedIds = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `F2019-${String(from + i).padStart(3, "0")}`);
  const hashParams = (page: Page) => new URLSearchParams(new URL(page.url()).hash.split("?")[1]);

  it("lists a cycle's findings a page at a time, saying how many there are", async () => {
    const page = await tabs.open("viewer", {
      lang: "en",
      path: "#/findings?cycle=2019&rows=10",
    });
    await expect.poll(() => findingIds(page)).toEqual(seedIds(1, 10));
    const count = page.getByTestId("findings-count");
    expect(await count.textContent()).toBe("19 findings · page 1 of 2 (rows 1–10)");
    // Units and types by their names, the type's from the cycle's scheme.
    const row = page.locator("tr[data-finding=F2019-004]");
    await expect.poll(() => row.textContent()).toContain("群众投诉 public complaint (public-complaint)");
    expect(await row.locator("[data-testid=finding-state]").textContent()).toBe("Rectified on time");
    expect(await page.getByTestId("findings-prev").isDisabled()).toBe(true);

    await page.getByTestId("findings-next").click();
    await expect.poll(() => findingIds(page)).toEqual(seedIds(11, 19));
    expect(await count.textContent()).toBe("19 findings · page 2 of 2 (rows 11–19)");
    expect(hashParams(page).get("page")).toBe("2");
    expect(await page.getByTestId("findings-next").isDisabled()).toBe(true);
    await page.getByTestId("findings-prev").click();
    await expect.poll(() => findingIds(page)).toEqual(seedIds(1, 10));

    // A page size chosen is in the link, and starts the list again at its first page.
    await page.getByTestId("findings-next").click();
    await expect.poll(() => findingIds(page)).toEqual(seedIds(11, 19));
    await page.getByTestId("filter-rows").selectOption("25");
    await expect.poll(() => findingIds(page)).toEqual(seedIds(1, 19));
    expect(hashParams(page).get("rows")).toBe("25");
    expect(hashParams(page).get("page")).toBeNull();
    expect(await page.getByTestId("findings-next").count()).toBe(0);

    // A link to a page opens that page, in Chinese too.
    await page.getByTestId("lang").selectOption("zh-CN");
    await page.goto(`${stack.url}/#/findings?cycle=2019&rows=10&page=2`);
    await expect.poll(() => findingIds(page)).toEqual(seedIds(11, 19));
    expect(await count.textContent()).toBe("共 19 条 · 第 2 页，共 2 页（第 11–19 条）");
    expect(await page.locator(".error").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("keeps the page a user goes to the moment a list past its end appears, before its last page is written to the URL", async () => {
    const page = await signIn(browser, stack, "viewer", { lang: "en" });
    // Presses Previous in the microtask after React puts the last page in: before React's effect of
    // that render writes the page shown (2 of 2, asked for as 9) to the URL.
    await page.context().addInitScript(() => {
      let pressed = false;
      new MutationObserver(() => {
        const previous = document.querySelector<HTMLButtonElement>("button[data-testid=findings-prev]");
        if (pressed || !previous || previous.disabled) return;
        pressed = true;
        previous.click();
      }).observe(document, { childList: true, subtree: true });
    });
    await page.evaluate(() => history.replaceState(null, "", "#/findings?cycle=2019&rows=10&page=9"));
    await page.reload();
    await expect.poll(() => findingIds(page)).toEqual(seedIds(1, 10));
    expect(await page.getByTestId("findings-count").textContent()).toBe(
      "19 findings · page 1 of 2 (rows 1–10)",
    );
    expect(hashParams(page).get("page")).toBeNull();
    await page.context().close();
  });
  it("narrows the findings to those not rectified in one click, and by type from the scheme or by unit", async () => {
    const page = await tabs.open("viewer", { lang: "en", path: "#/findings?cycle=2019" });
    await expect.poll(() => findingIds(page)).toEqual(seedIds(1, 19));
    expect(await page.getByTestId("filter-all").getAttribute("aria-pressed")).toBe("true");
    await page.getByTestId("filter-not-rectified").click();
    await expect.poll(() => findingIds(page)).toEqual(["F2019-006", "F2019-011"]);
    expect(hashParams(page).get("state")).toBe("NOT_RECTIFIED");
    expect(await page.getByTestId("filter-not-rectified").getAttribute("aria-pressed")).toBe("true");
    expect(await page.getByTestId("filter-state").inputValue()).toBe("NOT_RECTIFIED");
    expect(await page.getByTestId("findings-count").textContent()).toBe(
      "2 findings · page 1 of 1 (rows 1–2)",
    );

    // Types are offered by the names the scheme gives them, read apart from the list: polled.
    await expect
      .poll(() => page.getByTestId("filter-type").locator("option").allTextContents())
      .toEqual(["All types", "明察暗访 unannounced visit", "群众投诉 public complaint"]);
    await page.getByTestId("filter-type").selectOption({ label: "群众投诉 public complaint" });
    await expect.poll(() => findingIds(page)).toEqual(["F2019-006"]);
    expect(hashParams(page).get("type")).toBe("public-complaint");

    // None awaiting rectification in the seed: the page says none passes, not that there are none.
    await page.getByTestId("filter-pending").click();
    await expect
      .poll(() => page.getByTestId("findings-none").textContent())
      .toBe("No finding passes these filters.");
    await page.getByTestId("filter-all").click();
    await page.getByTestId("filter-type").selectOption("");
    await page.getByTestId("filter-unit").selectOption("U21");
    await expect.poll(() => findingIds(page)).toEqual(["F2019-012", "F2019-013", "F2019-014"]);

    // A unit the cycle does not have (a link from another year) is refused at the unit's box.
    await page.goto(`${stack.url}/#/findings?cycle=2019&unit=U99`);
    const problem = page.getByTestId("filter-unit-problem");
    await expect.poll(() => problem.textContent()).toContain('unknown unit "U99"');
    expect(await page.getByTestId("filter-unit").getAttribute("aria-invalid")).toBe("true");
    await page.getByTestId("filter-unit").selectOption("");
    await expect.poll(() => findingIds(page)).toHaveLength(19);
    expect(await problem.count()).toBe(0);
    await tabs.putBack(page);
  });

  it("lets an administrator set a rectification, at its box what the gateway refused, the finding leaving the not-rectified list", async () => {
    const stored = async (id: string) => {
      const r = await stack.gateway.gql(
        `{ cycle(id: "2019") { ... on Cycle { findings(first: 100) { edges { node { id rectification rectifiedOn deadline } } } } } }`,
        {},
        { as: "viewer" },
      );
      return r.body.data.cycle.findings.edges
        .map((e: { node: { id: string } }) => e.node)
        .find((f: { id: string }) => f.id === id);
    };
    const page = await tabs.open("admin", {
      lang: "en",
      path: "#/findings?cycle=2019&state=NOT_RECTIFIED",
    });
    try {
      await expect.poll(() => findingIds(page)).toEqual(["F2019-006", "F2019-011"]);
      expect(await page.getByTestId("findings-read-only").count()).toBe(0);
      const row = page.locator("tr[data-finding=F2019-006]");
      await row.getByTestId("finding-edit").click();
      const state = page.getByTestId("rect-rectification");
      expect(await state.inputValue()).toBe("NOT_RECTIFIED");
      // The day rectified on is asked for a rectification done only.
      expect(await page.getByTestId("rect-rectifiedOn").count()).toBe(0);
      await state.selectOption("ON_TIME");
      await page.getByTestId("rect-rectifiedOn").fill("2019-02-30");
      await page.getByTestId("rect-save").click();
      const problem = page.getByTestId("rect-rectifiedOn-problem");
      await expect.poll(() => problem.textContent()).toContain("must be a date YYYY-MM-DD");
      expect(await page.getByTestId("rect-rectifiedOn").getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByTestId("rect-form").getByRole("alert").count()).toBe(0);
      expect((await stored("F2019-006")).rectification).toBe("NOT_RECTIFIED");

      await page.getByTestId("rect-rectifiedOn").fill("2019-11-30");
      expect(await problem.count()).toBe(0);
      await page.getByTestId("rect-save").click();
      await expect.poll(() => findingIds(page)).toEqual(["F2019-011"]);
      expect(await page.getByTestId("findings-saved").textContent()).toBe(
        "Saved: finding F2019-006 is now “Rectified on time”. It no longer passes the filters, so it has left the list.",
      );
      expect(await page.getByTestId("findings-count").textContent()).toContain("1 finding");
      expect(await stored("F2019-006")).toEqual({
        id: "F2019-006",
        rectification: "ON_TIME",
        rectifiedOn: "2019-11-30",
        deadline: null,
      });
      await page.getByTestId("filter-all").click();
      const done = page.locator("tr[data-finding=F2019-006]");
      await expect.poll(() => done.locator("td").allTextContents()).toContain("2019-11-30");
      expect(await done.getByTestId("finding-state").textContent()).toBe("Rectified on time");
    } finally {
      const undo = await stack.gateway.gql(
        `mutation { setRectification(cycleId: "2019", findingId: "F2019-006", input: { rectification: NOT_RECTIFIED, rectifiedOn: null, deadline: null }) { __typename } }`,
        {},
        { as: "admin" },
      );
      expect(undo.body.data.setRectification.__typename).toBe("Finding");
    }
    await tabs.putBack(page);
  });

  it("reads the page shown again after a write, its cursor gone stale, without an error", async () => {
    const page = await tabs.open("admin", { lang: "en", path: "#/findings?cycle=2019&rows=10" });
    const stale: string[] = [];
    page.on("response", async (r) => {
      if (!r.url().endsWith("/graphql")) return;
      const body = await r.text().catch(() => "");
      if (body.includes("STALE_CURSOR")) stale.push(body);
    });
    try {
      await expect.poll(() => findingIds(page)).toEqual(seedIds(1, 10));
      await page.getByTestId("findings-next").click();
      await expect.poll(() => findingIds(page)).toEqual(seedIds(11, 19));
      await page.locator("tr[data-finding=F2019-011]").getByTestId("finding-edit").click();
      await page.getByTestId("rect-rectification").selectOption("LATE");
      await page.getByTestId("rect-rectifiedOn").fill("2020-01-15");
      await page.getByTestId("rect-deadline").fill("2019-12-31");
      await page.getByTestId("rect-save").click();
      const row = page.locator("tr[data-finding=F2019-011]");
      await expect.poll(() => row.getByTestId("finding-state").textContent()).toBe("Rectified late");
      expect(await row.locator("td").allTextContents()).toEqual(
        expect.arrayContaining(["2019-12-31", "2020-01-15"]),
      );
      // Still the second page: its cursor was refused as stale, and the page found again.
      expect(await findingIds(page)).toEqual(seedIds(11, 19));
      expect(hashParams(page).get("page")).toBe("2");
      // Polled: the listener reads a response's body after the page may already have used it.
      await expect.poll(() => stale.length).toBeGreaterThan(0);
      expect(await page.locator(".error").count()).toBe(0);
      expect(await page.getByTestId("findings-saved").textContent()).toBe(
        "Saved: finding F2019-011 is now “Rectified late”.",
      );
    } finally {
      await stack.gateway.gql(
        `mutation { setRectification(cycleId: "2019", findingId: "F2019-011", input: { rectification: NOT_RECTIFIED, rectifiedOn: null, deadline: null }) { __typename } }`,
        {},
        { as: "admin" },
      );
    }
    await tabs.putBack(page);
  });

  it("lets an administrator record a finding, its levels the chosen type's, naming the box the gateway refused", async () => {
    await makeCycleOf2019Units("find-record", 2011);
    const page = await tabs.open("admin", { lang: "en", path: "#/findings?cycle=find-record" });
    await expect
      .poll(() => page.getByTestId("findings-none").textContent())
      .toBe("This cycle has no findings.");
    const level = page.getByTestId("finding-level");
    await expect
      .poll(() => level.locator("option").allTextContents())
      .toEqual(["city", "district", "bureau"]); // the scheme's order (jsonb's was city, bureau, district)
    await page.getByTestId("finding-type").selectOption("public-complaint");
    expect(await level.locator("option").allTextContents()).toEqual(["city"]);
    await page.getByTestId("finding-id").fill("F2011-001");
    await page.getByTestId("finding-deadline").fill("2011-09-30");
    await page.getByTestId("finding-note").fill("群众反映窗口办事慢");
    // No unit picked: the gateway refuses, and says so beside the unit's box.
    await page.getByTestId("finding-submit").click();
    const problem = page.getByTestId("finding-unitId-problem");
    await expect.poll(() => problem.textContent()).toContain("unknown unit");
    expect(await page.getByTestId("finding-unitId").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByTestId("finding-form").getByRole("alert").count()).toBe(0);

    await page.getByTestId("finding-unitId").selectOption("U07");
    expect(await problem.count()).toBe(0);
    await page.getByTestId("finding-submit").click();
    await expect.poll(() => findingIds(page)).toEqual(["F2011-001"]);
    expect(await page.getByTestId("finding-recorded").textContent()).toBe("Recorded finding F2011-001.");
    const row = page.locator("tr[data-finding=F2011-001]");
    expect(await row.locator("td").allTextContents()).toEqual(
      expect.arrayContaining(["city", "2011-09-30", "Awaiting rectification", "群众反映窗口办事慢"]),
    );
    const stored = await stack.gateway.gql(
      `{ cycle(id: "find-record") { ... on Cycle { findings { edges { node { id unitId type level rectification repeated note deadline } } } } } }`,
      {},
      { as: "viewer" },
    );
    expect(stored.body.data.cycle.findings.edges.map((e: { node: unknown }) => e.node)).toEqual([
      {
        id: "F2011-001",
        unitId: "U07",
        type: "public-complaint",
        level: "city",
        rectification: "PENDING",
        repeated: false,
        note: "群众反映窗口办事慢",
        deadline: "2011-09-30",
      },
    ]);
    // One recorded under a filter it does not pass is said to be left out of the list.
    await page.getByTestId("filter-not-rectified").click();
    await expect.poll(() => page.getByTestId("findings-none").count()).toBe(1);
    await page.getByTestId("finding-id").fill("F2011-002");
    await page.getByTestId("finding-submit").click();
    await expect
      .poll(() => page.getByTestId("finding-recorded").textContent())
      .toBe("Recorded finding F2011-002. It does not pass the filters, so the list does not show it.");
    await tabs.putBack(page);
  });

  it("shows a viewer the findings read-only, saying why", async () => {
    const page = await tabs.open("viewer", { path: "#/findings?cycle=2019" });
    await expect.poll(() => findingIds(page)).toHaveLength(19);
    expect(await page.getByTestId("findings-read-only").textContent()).toBe(
      "只有管理员可以记录、删除问题或设置整改情况；您当前的角色是查看者。",
    );
    expect(await page.locator("form, [data-testid=finding-edit]").count()).toBe(0);
    expect(await page.locator("header nav a.active").textContent()).toBe("问题整改");
    await tabs.putBack(page);
  });

  it("shows an administrator a finalised cycle's findings read-only, saying why", async () => {
    await makeCycleOf2019Units("find-final", 2012);
    const recorded = await stack.gateway.gql(
      `mutation { recordFinding(cycleId: "find-final", input: { id: "F-1", unitId: "U03", type: "unannounced-visit", level: "city", rectification: NOT_RECTIFIED }) { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(recorded.body.data.recordFinding.__typename).toBe("Finding");
    await withRecords("find-final", true);
    await finaliseByGateway("find-final");
    const page = await tabs.open("admin", { lang: "en", path: "#/findings?cycle=find-final" });
    await expect.poll(() => findingIds(page)).toEqual(["F-1"]);
    expect(await page.getByTestId("findings-read-only").textContent()).toBe(
      "This cycle is finalised: its findings and their rectification can no longer be changed.",
    );
    expect(await page.locator("form, [data-testid=finding-edit], [data-testid=finding-delete]").count()).toBe(
      0,
    );
    await tabs.putBack(page);
  });

  /** Records `count` findings D-01 … of alternating units U03 and U07 in a cycle of its own. */
  const recordFindings = async (cycleId: string, count: number) => {
    for (let i = 1; i <= count; i++) {
      const r = await stack.gateway.gql(
        `mutation($cycleId: ID!, $input: FindingInput!) { recordFinding(cycleId: $cycleId, input: $input) { __typename } }`,
        {
          cycleId,
          input: {
            id: `D-${String(i).padStart(2, "0")}`,
            unitId: i % 2 ? "U03" : "U07",
            type: "unannounced-visit",
            level: "city",
            rectification: "NOT_RECTIFIED",
          },
        },
        { as: "admin" },
      );
      expect(r.body.data.recordFinding.__typename).toBe("Finding");
    }
  };
  const storedIds = async (cycleId: string) => {
    const r = await stack.gateway.gql(
      `query($id: ID!) { cycle(id: $id) { ... on Cycle { findings(first: 100) { edges { node { id } } } } } }`,
      { id: cycleId },
      { as: "viewer" },
    );
    return r.body.data.cycle.findings.edges.map((e: { node: { id: string } }) => e.node.id);
  };
  const unitName = async (id: string) => {
    const r = await stack.gateway.gql(
      `query($id: ID!) { unit(cycleId: "2019", id: $id) { ... on Unit { name } } }`,
      { id },
      { as: "viewer" },
    );
    return r.body.data.unit.name as string;
  };
  const activeTestId = (page: Page) =>
    page.evaluate(() => document.activeElement?.getAttribute("data-testid"));
  /**
   * Asks to delete the finding or ballot of `row`, lets `meanwhile` change the cycle behind the
   * page (as another tab or administrator would), then confirms: `refused` is to say `words`.
   */
  const deleteRefused = async (
    name: "finding" | "ballot",
    row: Locator,
    meanwhile: () => Promise<unknown>,
    refused: Locator,
    words: string,
  ) => {
    await row.getByTestId(`${name}-delete`).click();
    await meanwhile();
    await row.page().getByTestId(`${name}-delete-confirm`).click();
    await expect.poll(() => refused.textContent()).toBe(words);
  };

  it("lets an administrator delete a finding once asked, naming it and its unit, Cancel keeping it", async () => {
    await makeCycleOf2019Units("find-delete", 2015);
    await recordFindings("find-delete", 12);
    const u07 = await unitName("U07");
    const page = await tabs.open("admin", {
      lang: "en",
      path: "#/findings?cycle=find-delete&rows=10",
    });
    const dIds = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => `D-${String(from + i).padStart(2, "0")}`);
    await expect.poll(() => findingIds(page)).toEqual(dIds(1, 10));
    expect(await page.getByTestId("finding-delete").count()).toBe(10);
    const count = page.getByTestId("findings-count");
    expect(await count.textContent()).toBe("12 findings · page 1 of 2 (rows 1–10)");

    // Asked first, under the row, naming the finding and its unit; the focus is on Cancel.
    const row = page.locator("tr[data-finding=D-04]");
    await row.getByRole("button", { name: "Delete finding D-04…" }).click();
    const form = page.locator("tr[data-finding=D-04] + tr [data-testid=delete-form]");
    // The unit's name comes with the cycle's units, read apart from the list: its id alone until then.
    await expect
      .poll(() => form.getByTestId("delete-question").textContent())
      .toBe(`Delete finding D-04 of ${u07} (U07)?`);
    expect(await form.textContent()).toContain("only the audit log keeps it");
    expect(await activeTestId(page)).toBe("finding-delete-cancel");
    // Enter on the focused Cancel, Escape, and Cancel itself keep the finding.
    await page.keyboard.press("Enter");
    await expect.poll(() => form.count()).toBe(0);
    expect(await activeTestId(page)).toBe("finding-delete");
    await row.getByTestId("finding-delete").click();
    await page.keyboard.press("Escape");
    await expect.poll(() => form.count()).toBe(0);
    await row.getByTestId("finding-delete").click();
    await form.getByTestId("finding-delete-cancel").click();
    await expect.poll(() => form.count()).toBe(0);
    expect(await findingIds(page)).toEqual(dIds(1, 10));
    expect(await storedIds("find-delete")).toContain("D-04");
    // The rectification's editor and the question are never open together.
    await row.getByTestId("finding-edit").click();
    await row.getByTestId("finding-delete").click();
    expect(await page.getByTestId("rect-form").count()).toBe(0);

    // The question fits a phone's width while the table scrolls in its box.
    await page.setViewportSize({ width: 390, height: 844 });
    const box = await form.boundingBox();
    expect(box && box.x + box.width <= 390).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1400, height: 900 });

    await form.getByRole("button", { name: "Yes, delete finding D-04" }).click();
    await expect.poll(() => findingIds(page)).toEqual([...dIds(1, 3), ...dIds(5, 11)]);
    expect(await count.textContent()).toBe("11 findings · page 1 of 2 (rows 1–10)");
    expect(await page.getByTestId("findings-saved").textContent()).toBe(
      `Deleted finding D-04 of ${u07} (U07).`,
    );
    expect(await storedIds("find-delete")).not.toContain("D-04");

    // The last row of the last page: the page read again is empty, so the one before it is shown.
    await page.getByTestId("findings-next").click();
    await expect.poll(() => findingIds(page)).toEqual(["D-12"]);
    await page.locator("tr[data-finding=D-12]").getByTestId("finding-delete").click();
    await page.getByTestId("finding-delete-confirm").click();
    await expect.poll(() => findingIds(page)).toEqual([...dIds(1, 3), ...dIds(5, 11)]);
    // The page shown is written to the URL by an effect after the render that shows it.
    await expect.poll(() => hashParams(page).get("page")).toBeNull();
    expect(await count.textContent()).toBe("10 findings · page 1 of 1 (rows 1–10)");
    expect(await page.locator(".error").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("says at the row, in the page's language, why a delete was refused, and reads the list again once closed", async () => {
    await makeCycleOf2019Units("find-refuse", 2016);
    await recordFindings("find-refuse", 3);
    const page = await tabs.open("admin", { path: "#/findings?cycle=find-refuse" });
    await expect.poll(() => findingIds(page)).toEqual(["D-01", "D-02", "D-03"]);

    // Deleted by a colleague while the question was open.
    const refused = page.locator("tr[data-finding=D-02] + tr [data-testid=finding-delete-refused]");
    await deleteRefused(
      "finding",
      page.locator("tr[data-finding=D-02]"),
      async () => {
        const gone = await stack.gateway.gql(
          `mutation { deleteFinding(cycleId: "find-refuse", id: "D-02") { __typename } }`,
          {},
          { as: "admin" },
        );
        expect(gone.body.data.deleteFinding.__typename).toBe("Cycle");
      },
      refused,
      "问题 D-02 未删除。本周期已没有该问题：它已在此期间被删除（在另一个标签页中，或由其他人）。关闭此提示后，列表将按当前数据重新显示。",
    );
    // The gateway's words stay for support; deleting is not offered again from a stale page.
    expect(await refused.getAttribute("title")).toContain("not found");
    expect(await refused.getAttribute("role")).toBe("alert");
    expect(await page.getByTestId("finding-delete-confirm").count()).toBe(0);
    expect(await findingIds(page)).toEqual(["D-01", "D-02", "D-03"]);
    await page.getByRole("button", { name: "关闭" }).click();
    await expect.poll(() => findingIds(page)).toEqual(["D-01", "D-03"]);
    expect(await page.getByTestId("findings-count").textContent()).toContain("共 2 条");

    // The cycle finalised meanwhile, said in English when the page is.
    await page.getByTestId("lang").selectOption("en");
    await deleteRefused(
      "finding",
      page.locator("tr[data-finding=D-03]"),
      async () => {
        await withRecords("find-refuse", true);
        await finaliseByGateway("find-refuse");
      },
      page.locator("tr[data-finding=D-03] + tr [data-testid=finding-delete-refused]"),
      "Finding D-03 was not deleted. The cycle was finalised meanwhile: its findings can no longer be changed. Close this to see the list as it now stands.",
    );
    await page.getByTestId("finding-delete-cancel").click();
    await expect.poll(() => page.getByTestId("findings-read-only").count()).toBe(1);
    expect(await page.getByTestId("finding-delete").count()).toBe(0);
    expect(await findingIds(page)).toEqual(["D-01", "D-03"]);
    await tabs.putBack(page);
  });

  it("offers a viewer and an analyst no delete", async () => {
    for (const role of ["viewer", "analyst"] as const) {
      const page = await tabs.open(role, { lang: "en", path: "#/findings?cycle=2019" });
      await expect.poll(() => findingIds(page)).toHaveLength(19);
      expect(await page.getByTestId("findings-read-only").count()).toBe(1);
      expect(await page.getByTestId("finding-delete").count()).toBe(0);
      expect(await page.getByRole("button", { name: /delete/i }).count()).toBe(0);
      await tabs.putBack(page);
    }
  });

  it("names every control of the Findings page, and fits it from 390 to 1280 px in either language", async () => {
    const page = await tabs.open("admin", { path: "#/findings?cycle=2019&rows=10" });
    await expect.poll(() => findingIds(page)).toHaveLength(10);
    await page.locator("tr[data-finding=F2019-009]").getByTestId("finding-edit").click();
    await page.getByTestId("rect-rectifiedOn").waitFor();
    await page.getByTestId("finding-form").waitFor();
    const unnamed: string[] = [];
    for (const role of ["combobox", "textbox", "checkbox", "button"] as const) {
      const all = await page.getByRole(role).count();
      const named = await page.getByRole(role, { name: /\S/ }).count();
      if (named < all) unnamed.push(`${all - named} ${role}`);
    }
    expect(unnamed).toEqual([]);
    const overflowing: string[] = [];
    for (const lang of ["zh-CN", "en"] as const) {
      await page.getByTestId("lang").selectOption(lang);
      for (const width of [390, 480, 640, 800, 1024, 1280]) {
        await page.setViewportSize({ width, height: 844 });
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        if (scroll > width) overflowing.push(`${lang} ${width}: ${scroll}`);
        // The open editor stays within the window while the table scrolls in its box.
        const editor = await page.getByTestId("rect-form").boundingBox();
        if (!editor || editor.x + editor.width > width) overflowing.push(`${lang} ${width}: editor`);
        await shot(page, `${width}-${lang}-findings`);
      }
    }
    expect(overflowing).toEqual([]);
    await tabs.putBack(page);
  });

  /** The 2019 example's ballots and survey forms, as the seed loaded them into cycle 2019. */
  const example2019 = () =>
    JSON.parse(readFileSync(`${EXAMPLE_DIR}/dataset-2019.json`, "utf8")) as {
      ballots: { category: string; voter: string; role: string; unit: string; score: number }[];
      surveyForms: { category: string; unit: string; respondentGroup: string; answer: string }[];
    };
  /** The ballots listed, as unit/voter. */
  const ballotKeys = (page: Page) =>
    page
      .getByTestId("ballots-list")
      .locator("tbody tr[data-voter]")
      .evaluateAll((trs) =>
        trs.map((tr) => `${tr.getAttribute("data-unit")}/${tr.getAttribute("data-voter")}`),
      );
  /** The tallies listed, as group/answer/count. */
  const tallyRows = (page: Page) =>
    page
      .getByTestId("tallies-list")
      .locator("tbody tr")
      .evaluateAll((trs) =>
        trs.map(
          (tr) =>
            `${tr.getAttribute("data-group")}/${tr.getAttribute("data-answer")}/${tr.querySelector("[data-testid=tally-count]")?.textContent}`,
        ),
      );
  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  /** A cycle's stored ballots of one unit and voter, read through the gateway. */
  const storedBallots = async (cycleId: string, unitId: string, voter: string) => {
    const r = await stack.gateway.gql(
      `query($id: ID!, $u: ID!, $v: String!) { cycle(id: $id) { ... on Cycle { ballots(unitId: $u, voter: $v) {
        edges { node { category voter role unitId score grade } } } } } }`,
      { id: cycleId, u: unitId, v: voter },
      { as: "viewer" },
    );
    return r.body.data.cycle.ballots.edges.map((e: { node: unknown }) => e.node);
  };

  it("lists a cycle's ballots a page at a time, narrowed by category, unit and voter, all in the link", async () => {
    const seeded = example2019()
      .ballots.map((b) => `${b.unit}/${b.voter}`)
      .sort(byCodeUnit);
    expect(seeded).toHaveLength(203);
    const page = await tabs.open("viewer", { lang: "en", path: "#/ballots?cycle=2019" });
    await expect.poll(() => ballotKeys(page)).toEqual(seeded.slice(0, 25));
    const count = page.getByTestId("ballots-count");
    expect(await count.textContent()).toBe("203 ballots · page 1 of 9 (rows 1–25)");
    expect(await page.getByTestId("tab-ballots").getAttribute("aria-selected")).toBe("true");
    // Voter, role, unit by its name, and the score, as imported.
    const mayor = page.locator("tr[data-unit=U01][data-voter=mayor]");
    await expect
      .poll(() => mayor.locator("td").allTextContents())
      .toEqual([
        "机关建设 organ construction (organ)",
        `${await unitName("U01")} (U01)`,
        "mayor",
        "mayor",
        "88",
      ]);
    expect(await page.getByTestId("filter-category").locator("option").allTextContents()).toEqual([
      "All categories",
      "机关建设 organ construction",
    ]);

    await page.getByTestId("ballots-next").click();
    await expect.poll(() => ballotKeys(page)).toEqual(seeded.slice(25, 50));
    expect(await count.textContent()).toBe("203 ballots · page 2 of 9 (rows 26–50)");
    expect(hashParams(page).get("page")).toBe("2");

    // A filter starts the list again at its first page, and is in the link.
    await page.getByTestId("filter-unit").selectOption("U09");
    const u09 = seeded.filter((k) => k.startsWith("U09/"));
    await expect.poll(() => ballotKeys(page)).toEqual(u09);
    expect(await count.textContent()).toBe("7 ballots · page 1 of 1 (rows 1–7)");
    expect(hashParams(page).get("unit")).toBe("U09");
    expect(hashParams(page).get("page")).toBeNull();
    expect(await page.getByTestId("ballots-next").count()).toBe(0);
    // The voter's box is read on Enter: there is no roll of voters to pick from.
    await page.getByTestId("filter-voter").fill(" mayor ");
    await page.getByTestId("filter-voter").press("Enter");
    await expect.poll(() => ballotKeys(page)).toEqual(["U09/mayor"]);
    expect(hashParams(page).get("voter")).toBe("mayor");
    await page.getByTestId("filter-unit").selectOption("");
    await expect.poll(() => count.textContent()).toBe("29 ballots · page 1 of 2 (rows 1–25)");
    await page.getByTestId("filter-voter").fill("nobody");
    await page.getByTestId("filter-voter").press("Enter");
    await expect
      .poll(() => page.getByTestId("ballots-none").textContent())
      .toBe("No ballot passes these filters.");

    // A link to a page of a narrowed list opens it, in Chinese too.
    await page.getByTestId("lang").selectOption("zh-CN");
    await page.goto(`${stack.url}/#/ballots?cycle=2019&voter=mayor&rows=10&page=3`);
    await expect.poll(() => ballotKeys(page)).toEqual(seeded.filter((k) => k.endsWith("/mayor")).slice(20));
    expect(await count.textContent()).toBe("共 29 张选票 · 第 3 页，共 3 页（第 21–29 条）");
    expect(await page.getByTestId("filter-voter").inputValue()).toBe("mayor");
    expect(await page.getByTestId("tab-ballots").textContent()).toBe("票决");
    expect(await page.locator("header nav a.active").textContent()).toBe("票决与测评表");

    // A unit the cycle does not have (a link from another year) is refused at the unit's box.
    await page.goto(`${stack.url}/#/ballots?cycle=2019&unit=U99`);
    const problem = page.getByTestId("filter-unit-problem");
    await expect.poll(() => problem.textContent()).toContain('unknown unit "U99"');
    expect(await page.getByTestId("filter-unit").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator(".error[role=alert]").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("tells a viewer why a secret vote's ballots are not listed, asking nothing, and lists them to an administrator", async () => {
    // City-review's latest version with its organ vote secret (无记名投票), under a cycle of its own.
    const latest = await stack.gateway.gql(
      `{ schemeVersion(schemeId: "city-review") { ... on SchemeVersion { document } } }`,
      {},
      { as: "admin" },
    );
    const document = latest.body.data.schemeVersion.document;
    const categories = document.categories.map((c: { id: string; method: object }) =>
      c.id === "organ" ? { ...c, method: { ...c.method, secret: true } } : c,
    );
    await publishVersion(
      "secret-review",
      null,
      { ...document, id: "secret-review", categories },
      "无记名投票",
    );
    await makeCycle("secret-2083", 2083, { schemeId: "secret-review", schemeVersion: 1 });
    await withRecords("secret-2083", true);

    const page = await tabs.open("viewer", { lang: "en" });
    const listed: string[] = [];
    const onRequest = (r: { postData: () => string | null }) => {
      if ((r.postData() ?? "").includes("query Ballots(")) listed.push(r.postData()!);
    };
    page.on("request", onRequest);
    await page.goto(`${stack.url}/#/ballots?cycle=secret-2083&category=organ&unit=U09`);
    const secret = page.getByTestId("ballots-secret");
    await expect
      .poll(() => secret.textContent())
      .toContain(
        "机关建设 organ construction (organ) is a secret vote (无记名投票): only administrators list its ballots.",
      );
    // To the unit's breakdown, which gives the values of its ballots.
    expect(await secret.getByRole("link").getAttribute("href")).toBe("#/rankings?cycle=secret-2083&unit=U09");
    expect(await page.getByTestId("filter-category").locator("option").allTextContents()).toEqual([
      "All categories",
      "机关建设 organ construction — secret vote",
    ]);
    // No refusal shown, and none asked for: the list is not read at all.
    expect(await page.getByTestId("ballots-list").count()).toBe(0);
    expect(await page.locator(".error[role=alert]").count()).toBe(0);
    expect(listed).toEqual([]);

    // Every category: the list leaves the secret vote's ballots out, and says so, naming it.
    await page.getByTestId("filter-category").selectOption("");
    await expect
      .poll(() => page.getByTestId("ballots-secret-unlisted").textContent())
      .toContain(
        "The ballots of a secret vote (无记名投票) are not listed: 机关建设 organ construction (organ).",
      );
    await expect
      .poll(() => page.getByTestId("ballots-none").textContent())
      .toBe("No ballot passes these filters.");
    expect(listed).toHaveLength(1);
    expect(JSON.parse(listed[0]!).variables).not.toHaveProperty("category");
    expect(await page.getByTestId("ballots-secret").count()).toBe(0);
    page.off("request", onRequest);
    await tabs.putBack(page);

    // An administrator lists them, the filter marking the vote secret, with no note.
    const admin = await tabs.open("admin", {
      lang: "en",
      path: "#/ballots?cycle=secret-2083&category=organ&unit=U09",
    });
    await expect.poll(() => ballotKeys(admin)).toHaveLength(7);
    // The labels come with the scheme, read beside the ballots: it may land after them.
    await expect
      .poll(() => admin.getByTestId("filter-category").locator("option").allTextContents())
      .toEqual(["All categories", "机关建设 organ construction — secret vote"]);
    expect(await admin.locator("[data-testid^=ballots-secret]").count()).toBe(0);
    await tabs.putBack(admin);
  });

  it("counts a cycle's survey forms per unit, respondent group and answer, a page at a time, as stored", async () => {
    const forms = example2019().surveyForms.filter((f) => f.unit === "U01");
    const counted = new Map<string, number>();
    for (const f of forms)
      counted.set(
        `${f.respondentGroup}/${f.answer}`,
        (counted.get(`${f.respondentGroup}/${f.answer}`) ?? 0) + 1,
      );
    const expected = [...counted.keys()].sort(byCodeUnit).map((k) => `${k}/${counted.get(k)}`);
    const pages = Math.ceil(expected.length / 10);
    expect(pages).toBeGreaterThan(1);
    const page = await tabs.open("viewer", {
      lang: "en",
      path: "#/ballots?cycle=2019&show=tallies&unit=U01&rows=10",
    });
    await expect.poll(() => tallyRows(page)).toEqual(expected.slice(0, 10));
    expect(await page.getByTestId("tab-tallies").getAttribute("aria-selected")).toBe("true");
    const count = page.getByTestId("tallies-count");
    expect(await count.textContent()).toBe(`${expected.length} tallies · page 1 of ${pages} (rows 1–10)`);
    const row = page.locator("tbody tr").first();
    // The names come with the scheme and the units, which may land after the tallies: ids first.
    const named = ["开门评议 public evaluation (public)", `${await unitName("U01")} (U01)`];
    await expect.poll(async () => (await row.locator("td").allTextContents()).slice(0, 2)).toEqual(named);
    // Every page together counts each of the unit's forms once.
    const listed = [...(await tallyRows(page))];
    for (let p = 2; p <= pages; p++) {
      await page.getByTestId("tallies-next").click();
      await expect.poll(() => hashParams(page).get("page")).toBe(String(p));
      await expect.poll(() => tallyRows(page)).toEqual(expected.slice((p - 1) * 10, p * 10));
      listed.push(...(await tallyRows(page)));
    }
    expect(listed.reduce((n, r) => n + Number(r.split("/")[2]), 0)).toBe(forms.length);

    // Narrowed to one respondent group, from those the scheme declares.
    expect(await page.getByTestId("filter-group").locator("option").allTextContents()).toEqual([
      "All respondent groups",
      "service-recipients",
      "enterprises",
      "deputies",
      "residents",
    ]);
    await page.getByTestId("filter-group").selectOption("residents");
    await expect.poll(() => tallyRows(page)).toEqual(expected.filter((r) => r.startsWith("residents/")));
    expect(hashParams(page).get("group")).toBe("residents");
    expect(hashParams(page).get("page")).toBeNull();

    // The other tab keeps the unit, not what narrows this one; in Chinese, as the tabs are.
    await page.getByTestId("lang").selectOption("zh-CN");
    expect(await count.textContent()).toMatch(/^共 \d+ 条计数 · 第 1 页，共 1 页/);
    await page.getByTestId("tab-ballots").click();
    await expect.poll(() => ballotKeys(page)).toHaveLength(7);
    expect(hashParams(page).get("unit")).toBe("U01");
    expect(hashParams(page).get("group")).toBeNull();
    expect(hashParams(page).get("show")).toBeNull();
    // Arrow keys move between the tabs, as a tab list's do.
    await page.getByTestId("tab-ballots").press("ArrowRight");
    await expect.poll(() => page.getByTestId("tab-tallies").getAttribute("aria-selected")).toBe("true");
    expect(await page.getByTestId("tab-tallies").textContent()).toBe("测评表");
    await expect.poll(() => tallyRows(page)).toEqual(expected.slice(0, 10));
    await tabs.putBack(page);
  });

  it("lets an administrator correct, record and delete a ballot, naming the box the gateway refused", async () => {
    await makeCycleOf2019Units("ballot-fix", 1997);
    await withRecords("ballot-fix");
    const u09 = `${await unitName("U09")} (U09)`;
    const page = await tabs.open("admin", {
      lang: "en",
      path: "#/ballots?cycle=ballot-fix&unit=U09",
    });
    await expect.poll(() => ballotKeys(page)).toHaveLength(7);
    expect(await page.getByTestId("ballots-read-only").count()).toBe(0);
    const count = page.getByTestId("ballots-count");
    const [stored] = await storedBallots("ballot-fix", "U09", "member-1");

    // Its score corrected under its row, starting as stored; the role is not one ballot's to change.
    const row = page.locator("tr[data-unit=U09][data-voter=member-1]");
    await row.getByRole("button", { name: `Correct the ballot of member-1 for ${u09}` }).click();
    const score = page.getByTestId("edit-score");
    expect(await score.inputValue()).toBe(stored.score);
    expect(await page.getByTestId("edit-form").getByRole("textbox").count()).toBe(1);
    await score.fill("120");
    await page.getByTestId("edit-submit").click();
    const problem = page.getByTestId("edit-score-problem");
    await expect.poll(() => problem.textContent()).toContain("120 is outside 0–100");
    expect(await page.getByTestId("ballot-edit-refused").count()).toBe(0);
    expect(await score.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByTestId("edit-form").getByRole("alert").count()).toBe(0);
    expect(await storedBallots("ballot-fix", "U09", "member-1")).toEqual([stored]);
    await score.fill("61.5");
    expect(await problem.count()).toBe(0);
    await page.getByTestId("edit-submit").click();
    await expect.poll(() => row.getByTestId("ballot-value").textContent()).toBe("61.5");
    expect(await page.getByTestId("edit-form").count()).toBe(0);
    expect(await page.getByTestId("ballots-saved").textContent()).toBe(
      `Saved: the ballot of member-1 for ${u09} is now 61.5.`,
    );
    expect(await storedBallots("ballot-fix", "U09", "member-1")).toEqual([{ ...stored, score: "61.5" }]);

    // A new voter's ballot, its unit the one the list shows; a box the gateway refuses is named.
    const form = page.getByTestId("ballot-form");
    expect(await page.getByTestId("ballot-unitId").inputValue()).toBe("U09");
    await page.getByTestId("ballot-voter").fill("member-4");
    await page.getByTestId("ballot-role").fill("member");
    await page.getByTestId("ballot-score").fill("abc");
    await page.getByTestId("ballot-submit").click();
    await expect.poll(() => page.getByTestId("ballot-score-problem").textContent()).toContain("decimal");
    expect(await form.getByRole("alert").count()).toBe(0);
    await page.getByTestId("ballot-score").fill("70");
    await page.getByTestId("ballot-submit").click();
    await expect.poll(() => ballotKeys(page)).toContain("U09/member-4");
    expect(await count.textContent()).toBe("8 ballots · page 1 of 1 (rows 1–8)");
    const added = page.locator("tr[data-unit=U09][data-voter=member-4]");
    expect(await added.locator("td").allTextContents()).toEqual(
      expect.arrayContaining(["member-4", "member", "70"]),
    );
    expect(await page.getByTestId("ballot-voter").inputValue()).toBe("");
    expect(await storedBallots("ballot-fix", "U09", "member-4")).toEqual([
      { category: "organ", voter: "member-4", role: "member", unitId: "U09", score: "70", grade: null },
    ]);

    // Deleted once asked under its row, the focus starting on Cancel.
    await added.getByRole("button", { name: `Delete the ballot of member-4 for ${u09}…` }).click();
    const question = page.locator("tr[data-voter=member-4] + tr [data-testid=delete-form]");
    expect(await question.getByTestId("delete-question").textContent()).toBe(
      `Delete the ballot of member-4 for ${u09}?`,
    );
    expect(await activeTestId(page)).toBe("ballot-delete-cancel");
    await page.keyboard.press("Enter");
    await expect.poll(() => question.count()).toBe(0);
    expect(await storedBallots("ballot-fix", "U09", "member-4")).toHaveLength(1);
    await added.getByTestId("ballot-delete").click();
    await question.getByRole("button", { name: "Yes, delete the ballot of member-4" }).click();
    await expect.poll(() => ballotKeys(page)).not.toContain("U09/member-4");
    expect(await count.textContent()).toBe("7 ballots · page 1 of 1 (rows 1–7)");
    expect(await page.getByTestId("ballots-saved").textContent()).toBe(
      `Deleted the ballot of member-4 for ${u09}.`,
    );
    expect(await storedBallots("ballot-fix", "U09", "member-4")).toEqual([]);
    expect(await page.locator(".error").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("says at the row why a ballot's delete was refused, and shows a cycle finalised meanwhile read-only", async () => {
    await makeCycleOf2019Units("ballot-late", 2005);
    await withRecords("ballot-late");
    const page = await tabs.open("admin", { path: "#/ballots?cycle=ballot-late&unit=U03" });
    await expect.poll(() => ballotKeys(page)).toHaveLength(7);
    const refused = page.getByTestId("ballot-delete-refused");
    await deleteRefused(
      "ballot",
      page.locator("tr[data-unit=U03][data-voter=mayor]"),
      () => finaliseByGateway("ballot-late"),
      refused,
      "mayor的选票未删除。本考评周期已在此期间定稿：其选票不能再更改。关闭此提示后，列表将按当前数据重新显示。",
    );
    expect(await refused.getAttribute("title")).toContain("finalised");
    await page.getByTestId("ballot-delete-cancel").click();
    await expect
      .poll(() => page.getByTestId("ballots-read-only").textContent())
      .toBe("本考评周期已定稿：不能再更正或删除选票。");
    expect(
      await page
        .locator(
          "form, [data-testid=ballot-edit], [data-testid=ballot-change-role], [data-testid=ballot-delete]",
        )
        .count(),
    ).toBe(0);
    expect(await ballotKeys(page)).toHaveLength(7);
    await tabs.putBack(page);
  });

  it("lets an administrator delete a voter's or a category's ballots at once, finding a forced move's leftovers in the filter", async () => {
    // City-review's latest rules, then the same without the organ vote, under a scheme of its own.
    const latest = await stack.gateway.gql(
      `{ schemeVersion(schemeId: "city-review") { ... on SchemeVersion { document } } }`,
      {},
      { as: "admin" },
    );
    const document = { ...latest.body.data.schemeVersion.document, id: "bulk-review" };
    await publishVersion("bulk-review", null, document, "the 2019 rules");
    const withoutOrgan = document.categories.filter((c: { id: string }) => c.id !== "organ");
    await publishVersion("bulk-review", 1, { ...document, categories: withoutOrgan }, "organ vote abolished");
    await makeCycle("ballot-bulk", 2032, { schemeId: "bulk-review", schemeVersion: 1 });
    await withRecords("ballot-bulk", true);
    const stored = async (args = "") => {
      const r = await stack.gateway.gql(
        `{ cycle(id: "ballot-bulk") { ... on Cycle { ballots${args} { totalCount } } } }`,
        {},
        { as: "admin" },
      );
      return r.body.data.cycle.ballots.totalCount as number;
    };
    const organ = "机关建设 organ construction (organ)";
    const u09 = `${await unitName("U09")} (U09)`;
    const page = await tabs.open("admin", {
      lang: "en",
      path: "#/ballots?cycle=ballot-bulk&category=organ&unit=U09&voter=member-3",
    });
    const open = page.getByTestId("ballots-delete-all-open");
    const form = page.getByTestId("ballots-delete-all").getByTestId("delete-form");
    const saved = page.getByTestId("ballots-saved");

    // One voter's, in every unit: the question says the unit the list shows does not narrow it.
    await expect.poll(() => open.textContent()).toBe("Delete this voter's 29 ballots in this category…");
    await open.click();
    await expect
      .poll(() => form.getByTestId("delete-question").textContent())
      .toBe(`Delete all 29 ballots of member-3 in ${organ}?`);
    expect(await form.textContent()).toContain(
      `In every unit; the other voters' ballots stay. Not only those of ${u09}, which the list is narrowed to.`,
    );
    expect(await activeTestId(page)).toBe("ballots-delete-cancel");
    // A reason that says nothing is named at its box, and nothing is sent.
    const reason = page.getByTestId("ballots-delete-reason");
    await reason.fill("…");
    await form.getByRole("button", { name: `Yes, delete the ballots of member-3 in ${organ}` }).click();
    await expect
      .poll(() => page.getByTestId("ballots-delete-reason-problem").textContent())
      .toContain("Say why in words");
    expect(await activeTestId(page)).toBe("ballots-delete-reason");
    expect(await stored(`(voter: "member-3")`)).toBe(29);
    // One of them deleted meanwhile: 29 is no longer what would be deleted, and nothing is. The
    // question says the number read again, to be confirmed again.
    const one = await stack.gateway.gql(
      `mutation { deleteBallot(cycleId: "ballot-bulk", category: "organ", voter: "member-3", unitId: "U01") { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(one.body.data.deleteBallot.__typename).toBe("Cycle");
    await reason.fill("member-3 sat on the panel of their own unit");
    await page.getByTestId("ballots-delete-confirm").click();
    await expect
      .poll(() => page.getByTestId("ballots-delete-changed").textContent())
      .toContain("Nothing was deleted: their number changed meanwhile");
    await expect
      .poll(() => form.getByTestId("delete-question").textContent())
      .toBe(`Delete all 28 ballots of member-3 in ${organ}?`);
    expect(await stored(`(voter: "member-3")`)).toBe(28);
    expect(await reason.inputValue()).toBe("member-3 sat on the panel of their own unit");
    await page.getByTestId("ballots-delete-confirm").click();
    await expect.poll(() => saved.textContent()).toBe(`Deleted 28 ballots of member-3 in ${organ}.`);
    await expect.poll(() => open.count()).toBe(0);
    expect(await page.getByTestId("ballots-none").textContent()).toBe("No ballot passes these filters.");
    expect(await stored(`(voter: "member-3")`)).toBe(0);
    expect(await auditEntries("ballot-bulk", ["delete"])).toContainEqual({
      action: "delete",
      reason: "member-3 sat on the panel of their own unit",
    });

    // Deleted meanwhile, in another tab or by a colleague: said here, in the page's words, and
    // at the voter's box, which the gateway names.
    await page.getByTestId("filter-voter").fill("member-2");
    await page.getByTestId("filter-voter").press("Enter");
    await expect.poll(() => open.textContent()).toBe("Delete this voter's 29 ballots in this category…");
    await open.click();
    const meanwhile = await stack.gateway.gql(
      `mutation { deleteBallots(cycleId: "ballot-bulk", category: "organ", voter: "member-2", expectedBallots: 29) { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(meanwhile.body.data.deleteBallots.__typename).toBe("DeletedBallots");
    await page.getByTestId("ballots-delete-confirm").click();
    await expect
      .poll(() => page.getByTestId("ballots-delete-refused").textContent())
      .toBe(
        `The ballots of member-2 in ${organ} were not deleted. There are none left to delete: they were deleted meanwhile, in another tab or by a colleague. Close this to see the list as it now stands.`,
      );
    expect(await page.getByTestId("filter-voter-problem").textContent()).toContain(
      `voter "member-2" has no ballot in category "organ" of cycle 'ballot-bulk', so none was deleted`,
    );
    expect(await page.getByTestId("ballots-delete-confirm").count()).toBe(0);
    await page.getByTestId("ballots-delete-cancel").click();
    await expect.poll(() => open.count()).toBe(0);
    expect(await page.getByTestId("filter-voter-problem").count()).toBe(0);

    // Moved past the dropped vote: its ballots stay, a category the version does not have. The
    // filter offers it to an administrator only, saying so.
    const moved = await stack.gateway.gql(
      `mutation { setCycleScheme(cycleId: "ballot-bulk", schemeId: "bulk-review", version: 2, force: true, reason: "organ vote abolished") { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(moved.body.data.setCycleScheme.__typename).toBe("Cycle");
    const viewer = await tabs.open("viewer", { lang: "en", path: "#/ballots?cycle=ballot-bulk" });
    await expect
      .poll(() => viewer.getByTestId("ballots-none").textContent())
      .toBe("This cycle has no ballots.");
    expect(await viewer.getByTestId("filter-category").locator("option").allTextContents()).toEqual([
      "All categories",
    ]);
    expect(await viewer.getByTestId("ballots-delete-all").count()).toBe(0);
    await tabs.putBack(viewer);

    await page.goto(`${stack.url}/#/ballots?cycle=ballot-bulk`);
    await page.reload();
    const category = page.getByTestId("filter-category");
    await expect
      .poll(() => category.locator("option").allTextContents())
      .toEqual(["All categories", "organ (not a vote in scheme v2: 145 ballots)"]);
    expect(await open.count()).toBe(0);
    await category.selectOption("organ");
    await expect.poll(() => ballotKeys(page)).toHaveLength(25);
    await expect.poll(() => open.textContent()).toBe("Delete all 145 ballots of this category…");
    await open.click();
    expect(await form.textContent()).toContain("Every voter's, in every unit.");
    await reason.fill("organ vote abolished");
    await form.getByRole("button", { name: "Yes, delete the ballots of organ" }).click();
    await expect.poll(() => saved.textContent()).toBe("Deleted 145 ballots of organ.");
    // Gone from the cycle, and from the filter, which lets the category go rather than have the
    // list refuse it as unknown.
    await expect.poll(() => hashParams(page).get("category")).toBeNull();
    await expect.poll(() => category.locator("option").allTextContents()).toEqual(["All categories"]);
    await expect
      .poll(() => page.getByTestId("ballots-none").textContent())
      .toBe("This cycle has no ballots.");
    expect(await stored()).toBe(0);
    expect(await page.locator(".error").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("starts a new ballot in the category and unit the list is narrowed to after the page opened, until one is picked", async () => {
    // A version with a second vote category that takes grades: organ's 20 points split in two.
    const latest = await stack.gateway.gql(
      `{ schemeVersion(schemeId: "city-review") { ... on SchemeVersion { document } } }`,
      {},
      { as: "admin" },
    );
    const document = latest.body.data.schemeVersion.document;
    const organ = document.categories.find((c: { id: string }) => c.id === "organ");
    const conduct = {
      id: "conduct",
      name: "作风建设 conduct",
      points: 10,
      method: { kind: "vote", ballot: { type: "grade", points: { 好: 100, 较好: 85, 一般: 70 } } },
    };
    await publishVersion(
      "graded-review",
      null,
      {
        ...document,
        id: "graded-review",
        categories: [
          ...document.categories.filter((c: { id: string }) => c.id !== "organ"),
          { ...organ, points: 10 },
          conduct,
        ],
      },
      "a vote category that takes grades",
    );
    await makeCycle("ballot-follow", 1998, {
      schemeId: "graded-review",
      schemeVersion: 1,
      copyUnitsFrom: "2019",
    });
    // One ballot in each of two units, to see which unit the list is narrowed to.
    for (const unitId of ["U01", "U03"]) {
      const recorded = await stack.gateway.gql(
        `mutation($input: BallotInput!) { recordBallot(cycleId: "ballot-follow", input: $input) { __typename } }`,
        { input: { category: "organ", unitId, voter: "member-1", score: "80" } },
        { as: "admin" },
      );
      expect(recorded.body.data.recordBallot.__typename).toBe("Ballot");
    }
    const page = await tabs.open("admin", { lang: "en", path: "#/ballots?cycle=ballot-follow" });
    const category = page.getByTestId("ballot-category");
    const unit = page.getByTestId("ballot-unitId");
    await expect.poll(() => category.inputValue()).toBe("organ");
    expect(await unit.inputValue()).toBe("");

    // A score typed, then the list narrowed to the category that takes grades: the form follows,
    // and "80" is not offered as a grade.
    await page.getByTestId("ballot-score").fill("80");
    await page.getByTestId("filter-category").selectOption("conduct");
    await expect.poll(() => category.inputValue()).toBe("conduct");
    const grade = page.getByTestId("ballot-grade");
    expect(await grade.inputValue()).toBe("");
    expect(await grade.locator("option").allTextContents()).toEqual(["—", "好", "较好", "一般"]);
    expect(await page.getByTestId("ballot-score").count()).toBe(0);
    // A ballot with no unit is refused at the unit's box.
    await page.getByTestId("ballot-voter").fill("member-2");
    await grade.selectOption("好");
    await page.getByTestId("ballot-submit").click();
    const unitProblem = page.getByTestId("ballot-unitId-problem");
    await expect.poll(() => unitProblem.count()).toBe(1);
    expect(await unit.getAttribute("aria-invalid")).toBe("true");
    // Narrowed to a unit after the page opened: the form's unit follows, and the refusal, of the
    // unit sent, does not stay beside the one now shown.
    await page.getByTestId("filter-unit").selectOption("U09");
    await expect.poll(() => unit.inputValue()).toBe("U09");
    expect(hashParams(page).get("unit")).toBe("U09");
    expect(await unitProblem.count()).toBe(0);
    expect(await unit.getAttribute("aria-invalid")).not.toBe("true");

    // Picked in the form: a grade, then a score category, then back; nothing carried across.
    await grade.selectOption("较好");
    await category.selectOption("organ");
    expect(await page.getByTestId("ballot-score").inputValue()).toBe("");
    await page.getByTestId("ballot-score").fill("75");
    await category.selectOption("conduct");
    expect(await page.getByTestId("ballot-grade").inputValue()).toBe("");
    // The category picked stays as the list is narrowed again; the unit, not picked, still follows.
    await page.getByTestId("filter-category").selectOption("organ");
    await page.getByTestId("filter-unit").selectOption("U03");
    await expect.poll(() => unit.inputValue()).toBe("U03");
    expect(await category.inputValue()).toBe("conduct");
    // The unit picked stays too.
    await unit.selectOption("U05");
    await page.getByTestId("filter-unit").selectOption("U01");
    // The list shown is U01's (it was U03's): the form has been drawn under the new filter.
    await expect.poll(() => ballotKeys(page)).toEqual(["U01/member-1"]);
    expect(hashParams(page).get("unit")).toBe("U01");
    expect(await unit.inputValue()).toBe("U05");
    expect(await category.inputValue()).toBe("conduct");
    await tabs.putBack(page);
  });

  it("keeps a ballot being typed through an expired session, and forgets it once saved", async () => {
    await makeCycleOf2019Units("ballot-kept", 1999);
    await withRecords("ballot-kept");
    const page = await tabs.open("admin", { lang: "en", path: "#/ballots?cycle=ballot-kept&unit=U09" });
    const voter = page.getByTestId("ballot-voter");
    const role = page.getByTestId("ballot-role");
    const score = page.getByTestId("ballot-score");
    await expect.poll(() => page.getByTestId("ballot-unitId").inputValue()).toBe("U09");
    // Picked by hand on the unit the list is narrowed to: it shows the form's start all the same.
    await page.getByTestId("ballot-unitId").selectOption("U09");
    await voter.fill("member-5");
    await role.fill("member");
    await score.fill("66.5");
    expect(await page.getByTestId("ballot-restored").count()).toBe(0);

    // The token runs out as the ballot is sent: the gateway refuses it, and the sign-in screen
    // takes the page's place.
    await expireSession(page, () => page.getByTestId("ballot-submit").click(), "Your session ended");
    expect(await voter.count()).toBe(0);
    await signInAgain(page, await stack.gateway.token("admin", "admin-1"));

    // Signed in again: the ballot is as it was typed, said to be unsaved; the token is not kept with it.
    await expect.poll(() => voter.inputValue()).toBe("member-5");
    expect(await role.inputValue()).toBe("member");
    expect(await score.inputValue()).toBe("66.5");
    expect(await page.getByTestId("ballot-unitId").inputValue()).toBe("U09");
    expect(await page.getByTestId("ballot-restored").textContent()).toContain(
      "What you had typed here is back; it is not saved yet.",
    );
    const kept = await page.evaluate(() =>
      Object.keys(sessionStorage)
        .filter((k) => k !== "pingyi.token")
        .map((k) => sessionStorage.getItem(k) ?? ""),
    );
    expect(kept.join("")).toContain("member-5");
    expect(kept.join("")).not.toContain(await page.evaluate(() => sessionStorage.getItem("pingyi.token")));

    // Typed back to how the form starts, by hand: nothing that came back is left to discard, and
    // the note goes. Typed in again, the ballot is the user's own: the note does not come back.
    const restored = page.getByTestId("ballot-restored");
    for (const box of [voter, role, score]) await box.fill("");
    await expect.poll(() => restored.count()).toBe(0);
    await voter.fill("member-5");
    await role.fill("member");
    await score.fill("66.5");
    await expect.poll(() => score.inputValue()).toBe("66.5");
    expect(await restored.count()).toBe(0);

    // Saved: the ballot is stored, and nothing of it is kept in the tab.
    await page.getByTestId("ballot-submit").click();
    await expect.poll(() => ballotKeys(page)).toContain("U09/member-5");
    expect(await storedBallots("ballot-kept", "U09", "member-5")).toEqual([
      { category: "organ", voter: "member-5", role: "member", unitId: "U09", score: "66.5", grade: null },
    ]);
    expect(await voter.inputValue()).toBe("");
    expect(await page.getByTestId("ballot-restored").count()).toBe(0);
    expect(await keptWork(page)).toEqual([]);
    await tabs.putBack(page);
  });

  /** A cycle's stored ballots of one voter, read through the gateway. */
  const votersBallots = async (cycleId: string, voter: string) => {
    const r = await stack.gateway.gql(
      `query($id: ID!, $v: String!) { cycle(id: $id) { ... on Cycle { ballots(voter: $v, first: 100) {
        edges { node { unitId role score } } } } } }`,
      { id: cycleId, v: voter },
      { as: "viewer" },
    );
    return r.body.data.cycle.ballots.edges.map((e: { node: unknown }) => e.node) as {
      unitId: string;
      role: string | null;
      score: string;
    }[];
  };

  it("changes a voter's role on all their ballots of the category at once, and refuses another role for one ballot", async () => {
    await makeCycle("ballot-role", 1998, { name: "roles", copyUnitsFrom: "2019" });
    await withRecords("ballot-role");
    const page = await tabs.open("admin", {
      lang: "en",
      path: "#/ballots?cycle=ballot-role&unit=U09",
    });
    await expect.poll(() => ballotKeys(page)).toHaveLength(7);
    const before = await votersBallots("ballot-role", "member-1");
    expect(before).toHaveLength(29);
    expect(new Set(before.map((b) => b.role))).toEqual(new Set(["member"]));
    const organ = "机关建设 organ construction (organ)";

    // A role that is not the voter's on their other ballots is refused at the new ballot's role box.
    await page.getByTestId("ballot-voter").fill("member-1");
    await page.getByTestId("ballot-role").fill("vice-mayor");
    await page.getByTestId("ballot-score").fill("66");
    await page.getByTestId("ballot-submit").click();
    await expect.poll(() => page.getByTestId("ballot-role-problem").textContent()).toContain("setVoterRole");
    expect(await page.getByTestId("ballot-form").getByRole("alert").count()).toBe(0);
    expect(await votersBallots("ballot-role", "member-1")).toEqual(before);

    // Changed under one row, for all 29 of the voter's ballots, as the form says.
    const row = page.locator("tr[data-unit=U09][data-voter=member-1]");
    await row.getByRole("button", { name: `Change the role of member-1 in ${organ}…` }).click();
    const box = page.getByTestId("role-role");
    expect(await box.inputValue()).toBe("member");
    await expect
      .poll(() => page.getByTestId("role-applies").textContent())
      .toBe(`It applies to all 29 ballots of member-1 in ${organ}.`);
    await box.fill(" vice-mayor ");
    await page.getByTestId("role-submit").click();
    await expect.poll(() => row.locator("td").nth(3).textContent()).toBe("vice-mayor");
    expect(await page.getByTestId("role-form").count()).toBe(0);
    expect(await page.getByTestId("ballots-saved").textContent()).toBe(
      `Saved: member-1 is now vice-mayor on all 29 of their ballots in ${organ}.`,
    );
    expect(await votersBallots("ballot-role", "member-1")).toEqual(
      before.map((b) => ({ ...b, role: "vice-mayor" })),
    );
    // Another voter's ballots keep theirs.
    expect(new Set((await votersBallots("ballot-role", "member-2")).map((b) => b.role))).toEqual(
      new Set(["member"]),
    );

    // A refusal of the role stands beside its box, in the gateway's words.
    await refuseAs(page, "SetVoterRole", "setVoterRole", "role: not a role of organ", [
      { path: "role", message: "not a role of organ" },
    ]);
    await row.getByTestId("ballot-change-role").click();
    await box.fill("clerk");
    await page.getByTestId("role-submit").click();
    await expect
      .poll(() => page.getByTestId("role-role-problem").textContent())
      .toContain("not a role of organ");
    expect(await box.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByTestId("ballot-role-refused").count()).toBe(0);
    await tabs.putBack(page);
  });

  it("refuses at its row the correction of a ballot deleted behind the page, and does not make it again", async () => {
    await makeCycle("ballot-gone", 1998, { name: "gone", copyUnitsFrom: "2019" });
    await withRecords("ballot-gone");
    const page = await tabs.open("admin", { path: "#/ballots?cycle=ballot-gone&unit=U04" });
    await expect.poll(() => ballotKeys(page)).toHaveLength(7);
    await page.locator("tr[data-unit=U04][data-voter=member-2]").getByTestId("ballot-edit").click();
    const deleted = await stack.gateway.gql(
      `mutation { deleteBallot(cycleId: "ballot-gone", category: "organ", voter: "member-2", unitId: "U04") { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(deleted.body.data.deleteBallot.__typename).toBe("Cycle");
    await page.getByTestId("edit-score").fill("50");
    await page.getByTestId("edit-submit").click();
    const refused = page.getByTestId("ballot-edit-refused");
    await expect
      .poll(() => refused.textContent())
      .toBe(
        "member-2的选票未更正。本周期已没有该选票：它已在此期间被删除（在另一个标签页中，或由其他人）。关闭此提示后，列表将按当前数据重新显示。",
      );
    expect(await page.getByTestId("edit-submit").count()).toBe(0);
    expect(await storedBallots("ballot-gone", "U04", "member-2")).toEqual([]);
    await page.getByTestId("edit-cancel").click();
    await expect.poll(() => ballotKeys(page)).toHaveLength(6);
    expect(await ballotKeys(page)).not.toContain("U04/member-2");
    expect(await storedBallots("ballot-gone", "U04", "member-2")).toEqual([]);
    await tabs.putBack(page);
  });

  it("shows a viewer and an analyst the ballots with no form to change them, saying why", async () => {
    for (const role of ["viewer", "analyst"] as const) {
      const page = await tabs.open(role, { path: "#/ballots?cycle=2019&rows=10" });
      await expect.poll(() => ballotKeys(page)).toHaveLength(10);
      const who = role === "viewer" ? "查看者" : "分析员";
      expect(await page.getByTestId("ballots-read-only").textContent()).toBe(
        `只有管理员可以记录、更正或删除选票；您当前的角色是${who}。`,
      );
      expect(
        await page
          .locator(
            "form, [data-testid=ballot-edit], [data-testid=ballot-change-role], [data-testid=ballot-delete]",
          )
          .count(),
      ).toBe(0);
      expect(await page.locator("header nav a").allTextContents()).toContain("票决与测评表");
      await tabs.putBack(page);
    }
  });
});

/**
 * Answers the requests whose body contains `operation` with a ValidationError at `field`, as the
 * gateway would refuse them: for a refusal the test's own data cannot provoke. Others go through.
 */
async function refuseAs(
  page: Page,
  operation: string,
  field: string,
  message: string,
  issues: { path: string; message: string }[] = [],
): Promise<void> {
  await page.route("**/graphql", (route) =>
    (route.request().postData() ?? "").includes(operation)
      ? route.fulfill({
          json: { data: { [field]: { __typename: "ValidationError", code: "VALIDATION", message, issues } } },
        })
      : route.continue(),
  );
}

/** The variables of every request of the named query the page sends from now on (sent on to the gateway). */
async function variablesSent(page: Page, query: string): Promise<Record<string, unknown>[]> {
  const sent: Record<string, unknown>[] = [];
  await page.route("**/graphql", async (route) => {
    const body = route.request().postDataJSON() as { query: string; variables: Record<string, unknown> };
    if (body.query.includes(`query ${query}`)) sent.push(body.variables);
    await route.continue();
  });
  return sent;
}

/** Every request the page sends from now on (sent on to the gateway), to ask for the last of a named query. */
async function recordSent(
  page: Page,
): Promise<{ lastSent: (name: string) => Record<string, unknown> | undefined }> {
  const sent: { query: string; variables: Record<string, unknown> }[] = [];
  await page.route("**/graphql", async (route) => {
    sent.push(route.request().postDataJSON());
    await route.continue();
  });
  const lastSent = (name: string) => sent.filter((r) => r.query.includes(`query ${name}(`)).at(-1)?.variables;
  return { lastSent };
}

/** A chart's series as it drew them (Chart writes its option's series, marks included, to data-series). */
async function drawnSeries<S>(chart: Locator): Promise<S[]> {
  return JSON.parse((await chart.getAttribute("data-series")) ?? "[]") as S[];
}
