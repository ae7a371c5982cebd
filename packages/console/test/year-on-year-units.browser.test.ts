import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { EXAMPLE_DIR, loadDataset } from "../../gateway/src/seed.js";
import { describeInChromium, signIn } from "./harness.js";

type Data = any;

const read = (file: string) => JSON.parse(readFileSync(`${EXAMPLE_DIR}/${file}`, "utf8"));

/** A row's cells, as text. */
const cellsOf = (page: Page, testId: string, unitId: string) =>
  page.getByTestId(testId).locator(`tr[data-unit="${unitId}"] > :is(th, td)`).allTextContents();

/** A listed unit's result (its cells but the link to it), as `published` gives it. */
const listedOf = async (page: Page, testId: string, unitId: string) =>
  (await cellsOf(page, testId, unitId)).slice(0, 5);

// This file's own gateway: its cycle 2020 is 2019's records without 市林业局 (U21, merged into
// another bureau) and with a department set up, 市数据局 (U30), scored as 市审批局 (U12) but for
// its business work. 2018 → 2020 holds 28 units both years, one only in each.
describeInChromium("the Year-on-year page over units only one cycle holds", (bench) => {
  beforeAll(async () => {
    const scheme = read("scheme-2019.json");
    const d = read("dataset-2019.json");
    const kept = (rows: Data[] = []): Data[] => rows.filter((r) => r.unit !== "U21");
    const asU30 = (rows: Data[] = []): Data[] =>
      rows.filter((r) => r.unit === "U12").map((r) => ({ ...r, unit: "U30" }));
    const { store } = bench.stack.gateway;
    await store.transaction(async (tx) => {
      await tx.cycles.create("test", {
        id: "2020",
        year: 2020,
        name: "2020年度",
        schemeId: "city-review",
        schemeVersion: 2,
        previousCycleId: null,
      });
      await loadDataset(tx, "2020", scheme, {
        units: [
          ...d.units.filter((u: { id: string }) => u.id !== "U21"),
          { id: "U30", name: "市数据局", group: "law-enforcement" },
        ],
        scores: [
          ...kept(d.scores),
          ...asU30(d.scores).map((s) => (s.category === "business" ? { ...s, value: "29.5" } : s)),
        ],
        ballots: [...kept(d.ballots), ...asU30(d.ballots)],
        surveyForms: [...kept(d.surveyForms), ...asU30(d.surveyForms)],
        findings: kept(d.findings),
        vetoEvents: kept(d.vetoEvents),
      });
      // 2021: 2020's records under rules that rename the group (law-enforcement → enforcement) and
      // add an unranked one, where a department set up in 2021, 市信访局 (U31), stands.
      const groups = [
        { id: "enforcement", name: "执法部门 enforcement", ranked: true },
        { id: "other", name: "其他 other", ranked: false },
      ];
      const renamed = await tx.schemes.publish("test", {
        schemeId: "city-review",
        basedOn: 2,
        document: { ...scheme, groups },
        reason: "test: a group renamed, an unranked one added",
      });
      await tx.cycles.create("test", {
        id: "2021",
        year: 2021,
        name: "2021年度",
        schemeId: "city-review",
        schemeVersion: renamed.version,
        previousCycleId: null,
      });
      const asU31 = (rows: Data[] = []): Data[] => asU30(rows).map((r) => ({ ...r, unit: "U31" }));
      await loadDataset(
        tx,
        "2021",
        { groups },
        {
          units: [
            ...d.units
              .filter((u: { id: string }) => u.id !== "U21")
              .map((u: Data) => ({ ...u, group: "enforcement" })),
            { id: "U30", name: "市数据局", group: "enforcement" },
            { id: "U31", name: "市信访局", group: "other" },
          ],
          scores: [...kept(d.scores), ...asU30(d.scores), ...asU31(d.scores)],
          ballots: [...kept(d.ballots), ...asU30(d.ballots), ...asU31(d.ballots)],
          surveyForms: [...kept(d.surveyForms), ...asU30(d.surveyForms), ...asU31(d.surveyForms)],
          findings: kept(d.findings),
          vetoEvents: kept(d.vetoEvents),
        },
      );
    });
  });

  /** A unit's result as its cycle's own ranking publishes it: what the lists must show. */
  const published = async (cycleId: string, unitId: string) => {
    const { body } = await bench.stack.gateway.gql(
      `query($c: ID!) { ranking(cycleId: $c) { ... on Ranking { groups { id name }
        entries(first: 100) { edges { node { unitId name group rank total grade { name } } } } } } }`,
      { c: cycleId },
      { as: "analyst" },
    );
    const ranking = body.data.ranking as Data;
    const entry = ranking.entries.edges.map((e: Data) => e.node).find((n: Data) => n.unitId === unitId);
    const group = ranking.groups.find((g: Data) => g.id === entry.group);
    return [entry.name, group.name, String(entry.rank), entry.total, entry.grade?.name ?? "—"];
  };

  /** What the gateway says of a shared unit over the units both cycles hold. */
  const gatewayRow = async (unitId: string) => {
    const { body } = await bench.stack.gateway.gql(
      `query($u: ID!) { compareCycles(before: { cycleId: "2018" }, after: { cycleId: "2020" }, units: COMMON) {
        ... on CycleComparison { analysis { units(first: 1, unitIds: [$u]) { edges { node {
          totalDelta baseline { rank } scenario { rank } } } } } } } }`,
      { u: unitId },
      { as: "analyst" },
    );
    return body.data.compareCycles.analysis.units.edges[0].node as Data;
  };

  it("compares the units both cycles hold and lists the others, each with its result in its own cycle", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      lang: "en",
      path: "#/yoy?before=2018&cycle=2020",
    });
    const table = page.getByTestId("yoy-table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(28);
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await table.locator('tr[data-unit="U21"], tr[data-unit="U30"]').count()).toBe(0);
    // Each shared row's ranks as its cycle published them: U02 15th in 2018, with U21 above it.
    const u02 = await gatewayRow("U02");
    expect(u02.baseline.rank).toBe(15);
    const cells = await cellsOf(page, "yoy-table", "U02");
    expect([cells[0], cells[2]]).toEqual([String(u02.scenario.rank), "15"]);
    expect(cells[6]).toBe(u02.totalDelta);
    expect(cells[0]).toBe((await published("2020", "U02"))[2]);

    const lists = page.getByTestId("yoy-one-sided");
    await expect
      .poll(() => lists.locator("p.muted").textContent())
      .toBe(
        "Not compared: only one of the two cycles holds them. A link opens the unit on the Rankings page of the cycle that holds it, and the menu moves to that cycle.",
      );
    const before = page.getByTestId("yoy-only-before");
    const after = page.getByTestId("yoy-only-after");
    expect(await before.locator("h3").textContent()).toBe("Only in 2018 (1)");
    expect(await after.locator("h3").textContent()).toBe("Only in 2020 (1)");
    // A section of its own (h2), each table named by its heading, its heads columns'.
    expect(await lists.locator("h2").textContent()).toBe("Units only one cycle holds");
    expect(await page.getByRole("region", { name: "Units only one cycle holds" }).count()).toBe(1);
    expect(await page.getByRole("table", { name: "Only in 2018 (1)" }).locator("tr[data-unit]").count()).toBe(
      1,
    );
    expect(await page.getByRole("table", { name: "Only in 2020 (1)" }).locator("tr[data-unit]").count()).toBe(
      1,
    );
    expect(await lists.locator('thead th:not([scope="col"])').count()).toBe(0);
    expect(await before.locator("thead th").allTextContents()).toEqual([
      "Unit",
      "Group",
      "Rank 2018",
      "Total 2018",
      "Grade",
      "Open",
    ]);
    expect(await after.locator("thead th").allTextContents()).toEqual([
      "Unit",
      "Group",
      "Rank 2020",
      "Total 2020",
      "Grade",
      "Open",
    ]);
    // docs/what-if.md: 市林业局 13th at 83.41 in 2018.
    const u21 = await published("2018", "U21");
    expect(u21.slice(2, 4)).toEqual(["13", "83.41"]);
    expect(await listedOf(page, "yoy-only-before", "U21")).toEqual(u21);
    expect(await before.locator("tbody tr").count()).toBe(1);
    const u30 = await published("2020", "U30");
    expect(u30[0]).toBe("市数据局");
    expect(await listedOf(page, "yoy-only-after", "U30")).toEqual(u30);
    expect(await after.locator("tbody tr").count()).toBe(1);

    // Each links to the unit in the cycle that holds it, the link named by that cycle: the menu
    // goes there with it, which the analyst is told before, not found out after.
    const link = before.locator('tr[data-unit="U21"] a');
    expect(await link.getAttribute("href")).toBe("#/rankings?cycle=2018&unit=U21");
    expect(
      await before.getByRole("link", { name: "市林业局 in the 2018 ranking", exact: true }).count(),
    ).toBe(1);
    expect(await after.getByRole("link", { name: "市数据局 in the 2020 ranking", exact: true }).count()).toBe(
      1,
    );
    expect(await link.textContent()).toBe("2018 ranking");
    expect(await link.getAttribute("title")).toBe(
      "Opens this unit on the Rankings page of 2018; the menu then moves to 2018.",
    );
    // Each row is headed by its unit, which a screen reader reads with every figure in it.
    expect(await before.locator('tr[data-unit="U21"] th[scope="row"]').textContent()).toBe("市林业局");
    expect(await after.locator('tr[data-unit="U30"] a').getAttribute("href")).toBe(
      "#/rankings?cycle=2020&unit=U30",
    );
    await link.click();
    await expect
      .poll(() =>
        page.getByTestId("ranking-table").locator('tr[data-unit="U21"]').getAttribute("aria-current"),
      )
      .toBe("true");
    expect(await page.getByTestId("cycle").inputValue()).toBe("2018");
    await page.context().close();
  });

  it("says how many rose or fell only because a unit merged away or set up left or joined their group's ranking", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      lang: "en",
      path: "#/yoy?before=2018&cycle=2020",
    });
    await expect.poll(() => page.getByTestId("yoy-table").locator("tbody tr").count()).toBe(28);
    // Worked out apart from the page: a unit moved by the pool alone has as many shared units
    // ranked above it in 2018 as in 2020, the pool being U21, 13th in 2018, and U30, set up.
    const { body } = await bench.stack.gateway.gql(
      `{ compareCycles(before: { cycleId: "2018" }, after: { cycleId: "2020" }, units: COMMON) {
        ... on CycleComparison { analysis { units(first: 100) { edges { node {
          unitId rankDelta baseline { rank } scenario { rank } } } } } } } }`,
      {},
      { as: "analyst" },
    );
    const rows = body.data.compareCycles.analysis.units.edges.map((e: Data) => e.node);
    const above = (side: "baseline" | "scenario", rank: number) =>
      rows.filter((r: Data) => r[side].rank !== null && r[side].rank < rank).length;
    const byPool = rows.filter(
      (r: Data) => r.rankDelta && above("baseline", r.baseline.rank) === above("scenario", r.scenario.rank),
    );
    const rose = byPool.filter((r: Data) => r.rankDelta < 0).length;
    const fell = byPool.length - rose;
    // As seeded, 4 fell by 市数据局 (U30) set up above them, and none rose by U21 alone.
    expect([rose, fell]).toEqual([0, 4]);
    expect(await page.getByTestId("yoy-summary").textContent()).toContain(
      // None rose so: the nought is left out.
      `Of these, ${fell} fell only because units left or joined their group's ranking`,
    );
    // 2018 and 2019 hold the same units: nothing to say.
    await page.getByTestId("cycle").selectOption("2019");
    await expect.poll(() => page.getByTestId("yoy-table").locator("tbody tr").count()).toBe(29);
    expect(await page.getByTestId("yoy-summary").textContent()).not.toContain("only because");
    await page.context().close();
  });

  it("keeps one list for the whole page when the change is split, the records' half comparing the same units", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      path: "#/yoy?before=2018&cycle=2020&split=1",
    });
    const table = page.getByTestId("yoy-table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(28);
    // Both halves read, none refused: U02's records moved it +1.07 as from 2018 to 2019 (docs/what-if.md).
    const u02 = table.locator('tr[data-unit="U02"]');
    await expect.poll(() => u02.getByTestId("records-delta").textContent()).toBe("1.07");
    expect(await u02.getByTestId("middle-rank").textContent()).toMatch(/^\d+$/);
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await page.getByTestId("yoy-one-sided").count()).toBe(1);
    expect(await page.getByTestId("yoy-only-before").locator("h3").textContent()).toBe("仅 2018 有（1）");
    expect(await page.getByTestId("yoy-only-after").locator("h3").textContent()).toBe("仅 2020 有（1）");
    expect(await page.getByTestId("yoy-one-sided").locator("p.muted").textContent()).toBe(
      "未比较：两个考评周期中只有一个有这些单位。链接在持有该单位的周期的排名页中打开它，菜单随之切换到该周期。",
    );
    expect(await listedOf(page, "yoy-only-before", "U21")).toEqual(await published("2018", "U21"));
    expect(await listedOf(page, "yoy-only-after", "U30")).toEqual(await published("2020", "U30"));
    await page.context().close();
  });

  it("names a unit only one cycle holds in a move's reasons as the lists name it, in the split's halves too", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      lang: "en",
      path: "#/yoy?before=2018&cycle=2020&unit=U02&split=1",
    });
    // U21 stood above U02 in 2018: U02's rank moved by a unit 2020 no longer holds.
    for (const testId of ["why", "why-data"]) {
      const reasons = page.getByTestId(testId).getByTestId("why-reasons").locator("li");
      await expect
        .poll(() => reasons.allTextContents())
        .toContainEqual(expect.stringContaining("(only in the baseline)"));
      const gone = (await reasons.allTextContents()).find((r) => r.includes("(only in the baseline)"))!;
      expect(gone).toContain("U21 市林业局");
    }
    await page.context().close();
  });

  it("says the comparison is loading while it loads, and no more once it has come", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      lang: "en",
      path: "#/yoy?before=2018&cycle=2020",
    });
    const table = page.getByTestId("yoy-table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(28);
    expect(await page.getByTestId("yoy-loading").count()).toBe(0);
    // The next comparison held back until the page has been read.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/graphql", async (route) => {
      if (route.request().postData()?.includes("compareCycles")) await held;
      await route.continue();
    });
    await page.getByTestId("before").selectOption("2019");
    await expect.poll(() => page.getByTestId("yoy-loading").textContent()).toBe("Loading…");
    release();
    await expect.poll(() => table.locator("tbody tr").count()).toBe(28);
    expect(await page.getByTestId("yoy-loading").count()).toBe(0);
    await page.context().close();
  });

  it("lists every unit only one cycle holds whatever the group, and says a unit whose group was renamed moved group", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      lang: "en",
      path: "#/yoy?before=2018&cycle=2021",
    });
    const table = page.getByTestId("yoy-table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(28);
    // Ranks of two groups: not a move, nor standing still.
    expect((await cellsOf(page, "yoy-table", "U02"))[3]).toBe("moved group");
    expect(await page.getByTestId("yoy-summary").textContent()).toMatch(
      /^0 units rose, 0 fell; \d+ changed grade\. 28 moved group: their ranks in the two cycles are of different groups, not compared\.$/,
    );
    // U21's group is not the compared scheme's; U31's is unranked: both listed all the same.
    const before = page.getByTestId("yoy-only-before");
    const after = page.getByTestId("yoy-only-after");
    await expect.poll(() => before.locator("tbody tr").count()).toBe(1);
    expect(await listedOf(page, "yoy-only-before", "U21")).toEqual(await published("2018", "U21"));
    expect(await after.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.unit))).toEqual([
      "U30",
      "U31",
    ]);
    expect((await cellsOf(page, "yoy-only-after", "U31")).slice(0, 3)).toEqual([
      "市信访局",
      "其他 other",
      "—",
    ]);
    await page.context().close();
  });

  it("names a grade in the table's base column as the list of units only the base cycle holds does: by the base cycle's scheme", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", { lang: "en" });
    // 2020's scheme with every grade renamed: a grade given in 2018 keeps 2018's name.
    await page.route("**/graphql", async (route) => {
      const body = JSON.parse(route.request().postData() ?? "{}");
      if (!String(body.query).includes("CycleScheme") || body.variables?.id !== "2020")
        return route.continue();
      const response = await route.fetch();
      const json = await response.json();
      const { grades } = json.data.cycle.scheme.document;
      for (const r of [...grades.rules, grades.fallback]) r.name = `${r.id} (2020)`;
      return route.fulfill({ response, json });
    });
    await page.evaluate(() => {
      location.hash = "#/yoy?before=2018&cycle=2020";
    });
    const table = page.getByTestId("yoy-table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(28);
    const changed = table.locator("tr.changed-grade td[data-testid=grade]");
    expect(await changed.count()).toBeGreaterThan(0);
    const names2018 = ["优秀 excellent", "良好 good", "合格 pass", "不合格 fail"];
    for (const cell of await changed.all()) {
      expect(names2018).toContain(await cell.locator("s").textContent());
      expect(await cell.locator("strong").textContent()).toMatch(/ \(2020\)$/);
    }
    // U21, merged away: its 2018 grade as the list and the table's base column name it, alike.
    const u21Grade = (await cellsOf(page, "yoy-only-before", "U21"))[4];
    expect(u21Grade).toBe((await published("2018", "U21"))[4]);
    expect(names2018).toContain(u21Grade);
    await page.context().close();
  });

  it("lists nothing where both cycles hold the same units", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      path: "#/yoy?before=2018&cycle=2019",
    });
    await expect.poll(() => page.getByTestId("yoy-table").locator("tbody tr").count()).toBe(29);
    expect(await page.getByTestId("yoy-one-sided").count()).toBe(0);
    await page.context().close();
  });
});
