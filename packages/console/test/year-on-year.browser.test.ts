import { expect, it } from "vitest";
import { describeInChromium, signIn } from "./harness.js";

type Data = any;

describeInChromium("the Year-on-year page", (bench) => {
  /** What the gateway says of a unit's move from 2018 to 2019: the page must show just that. */
  const gatewayRow = async (unitId: string) => {
    const { body } = await bench.stack.gateway.gql(
      `query($u: ID!) { compareCycles(before: { cycleId: "2018" }, after: { cycleId: "2019" }) {
        ... on CycleComparison { analysis { units(first: 1, unitIds: [$u]) { edges { node {
          totalDelta rankDelta parts { part kind delta } moveReasons { kind text } } } } } } } }`,
      { u: unitId },
      { as: "analyst" },
    );
    return body.data.compareCycles.analysis.units.edges[0].node as Data;
  };

  it("compares the two newest cycles by default: each unit's totals and ranks in both, its moves, and why", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", { path: "#/rankings?cycle=2019" });
    // The menu carries the cycle on screen: it is the compared one, the base the year before.
    await page.getByRole("link", { name: "同比" }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/yoy\?/);
    await expect.poll(() => page.getByTestId("before").inputValue()).toBe("2018");
    expect(await page.getByTestId("cycle").inputValue()).toBe("2019");
    await expect.poll(() => page.evaluate(() => location.hash)).toContain("before=2018");

    const table = page.getByTestId("yoy-table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(29);
    expect(await table.locator("thead th").allTextContents()).toEqual([
      "2019 名次",
      "单位",
      "2018 名次",
      "Δ名次变化",
      "2018 总分",
      "2019 总分",
      expect.stringContaining("Δ"),
      "等次",
      expect.any(String),
    ]);
    // docs/what-if.md: U02 82.72 (15th) → 82.54 (10th).
    const u02 = table.locator('tr[data-unit="U02"] td');
    const cells = await u02.allTextContents();
    expect([cells[0], cells[2], cells[3], cells[4], cells[5], cells[6]]).toEqual([
      "10",
      "15",
      "↑5",
      "82.72",
      "82.54",
      "-0.18",
    ]);
    // The year's grade changes, highlighted: U11, U19 and U26.
    const changed = await table
      .locator("tr.changed-grade")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-unit")));
    expect(changed.sort()).toEqual(["U11", "U19", "U26"]);
    expect(await page.getByTestId("yoy-summary").textContent()).toContain("等次变化 3 个");

    // A row picked: its change split by category, and why its grade moved, as the gateway gives them.
    const name = await table.locator('tr[data-unit="U11"] td.name').textContent();
    await table.locator('tr[data-unit="U11"]').click();
    const why = page.getByTestId("why");
    await expect.poll(() => why.locator("h2").textContent()).toBe(`${name} 为何变动？`);
    const u11 = await gatewayRow("U11");
    // Exact values as the gateway gives them, padded to the totals' two decimals.
    const shownParts = await why.locator("tbody tr:not(.total) td.num").allTextContents();
    const parts = u11.parts.filter((p: Data) => Number(p.delta) !== 0);
    expect(shownParts.map(Number)).toEqual(parts.map((p: Data) => Number(p.delta)));
    expect(shownParts.every((d) => /^-?\d+\.\d\d$/.test(d))).toBe(true);
    expect(Number(await why.locator("tr.total td.num").textContent())).toBe(Number(u11.totalDelta));
    expect(u11.moveReasons.length).toBeGreaterThan(0);
    const reasons = page.getByTestId("why-reasons");
    await expect.poll(() => reasons.locator("li").count()).toBe(u11.moveReasons.length);
    const lines = await reasons.locator("li").allTextContents();
    expect(lines).toEqual(u11.moveReasons.map((r: Data) => expect.stringContaining(r.text)));
    expect(await page.evaluate(() => location.hash)).toContain("unit=U11");
    await page.context().close();
  });

  it("from the oldest cycle, says there is no earlier one to compare it with, and never reads the year backwards", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", { path: "#/rankings?cycle=2018" });
    await page.getByRole("link", { name: "同比" }).click();
    const note = page.getByTestId("yoy-no-base");
    await expect
      .poll(() => note.textContent())
      .toBe("没有早于 2018 的考评周期，无可比的基期。请选择较晚的报告期，或选择基期。");
    // The menu's cycle stays the compared one, with no base: no comparison, not 2019 → 2018.
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toContain("cycle=2018");
    expect(hash).not.toContain("before=");
    expect(await page.getByTestId("before").inputValue()).toBe("");
    expect(await page.getByTestId("yoy-summary").count()).toBe(0);
    expect(await page.getByTestId("yoy-table").count()).toBe(0);
    // A later compared cycle picked: 2018 is its base.
    await page.getByTestId("cycle").selectOption("2019");
    await expect.poll(() => page.getByTestId("before").inputValue()).toBe("2018");
    await expect.poll(() => page.getByTestId("yoy-table").locator("tbody tr").count()).toBe(29);
    expect(await note.count()).toBe(0);
    expect(await page.getByTestId("yoy-backwards").count()).toBe(0);
    await page.context().close();
  });

  it("asks for two different cycles when the base is picked as the compared one, comparing nothing", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      lang: "en",
      path: "#/yoy?before=2018&cycle=2019",
    });
    await expect.poll(() => page.getByTestId("yoy-table").locator("tbody tr").count()).toBe(29);
    await page.getByTestId("cycle").selectOption("2018");
    const note = page.getByTestId("yoy-no-base");
    await expect
      .poll(() => note.textContent())
      .toBe("The base and the compared cycle are both 2018: pick two different cycles.");
    // Not "0 rose, 0 fell", nor another base put in place of the analyst's pick.
    expect(await page.getByTestId("yoy-summary").count()).toBe(0);
    expect(await page.getByTestId("yoy-table").count()).toBe(0);
    expect(await page.getByTestId("before").inputValue()).toBe("2018");
    expect(await page.evaluate(() => location.hash)).toContain("before=2018");
    expect(await page.getByTestId("yoy-backwards").count()).toBe(0);
    // Another base: the comparison comes back, the later year as its base, and the page says so.
    await page.getByTestId("before").selectOption("2019");
    await expect.poll(() => page.getByTestId("yoy-table").locator("tbody tr").count()).toBe(29);
    expect(await note.count()).toBe(0);
    expect(await page.getByTestId("yoy-backwards").textContent()).toBe(
      "The base cycle 2019 is later than the compared cycle 2018: the page reads backwards, a unit that rose from 2018 to 2019 counted as fallen.",
    );
    await page.context().close();
  });

  it("splits each unit's change into its records and the rules, as the gateway's two halves give them", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      path: "#/yoy?before=2018&cycle=2019",
    });
    const table = page.getByTestId("yoy-table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(29);
    // Off by default: no halves asked for, none shown.
    expect(await table.locator("thead th").count()).toBe(9);
    expect(await page.getByTestId("yoy-kept").count()).toBe(0);
    await page.getByTestId("yoy-split").check();
    await expect.poll(() => page.evaluate(() => location.hash)).toContain("split=1");
    await expect.poll(() => table.locator("thead th").count()).toBe(12);
    expect((await table.locator("thead th").allTextContents()).slice(6, 10)).toEqual([
      expect.stringContaining("Δ"),
      "Δ 记录",
      "中间名次",
      "Δ 规则",
    ]);
    // docs/what-if.md: U02 +1.07 on its records (15th → 12th), −1.25 to the rules: −0.18.
    const u02 = table.locator('tr[data-unit="U02"]');
    await expect.poll(() => u02.getByTestId("records-delta").textContent()).toBe("1.07");
    expect(await u02.getByTestId("middle-rank").textContent()).toBe("12");
    expect(await u02.getByTestId("rules-delta").textContent()).toBe("-1.25");
    expect((await u02.locator("td").allTextContents())[6]).toBe("-0.18");
    // What the middle kept of 2019's rules, said once above the table.
    expect(await page.getByTestId("yoy-kept").textContent()).toBe(
      "机关建设 organ construction 的计分方法 无法换回 2018 的规则：其变化计入记录部分。",
    );

    // The row picked: each half's parts and reasons, labelled by half.
    await u02.click();
    const data = page.getByTestId("why-data");
    const rules = page.getByTestId("why-rules");
    await expect
      .poll(() => data.locator("h3").first().textContent())
      .toBe("其记录：2018 → 2019 记录按 2018 规则");
    expect(await rules.locator("h3").first().textContent()).toBe(
      "规则：2018 规则 → 2019 规则，均用 2019 记录",
    );
    expect(await data.locator("tr.total td.num").textContent()).toBe("1.07");
    expect(await rules.locator("tr.total td.num").textContent()).toBe("-1.25");
    const half = async (unitId: string, before: Data, after: Data) => {
      const { body } = await bench.stack.gateway.gql(
        `query($b: CycleSideInput!, $a: CycleSideInput!, $u: ID!) { compareCycles(before: $b, after: $a) {
          ... on CycleComparison { analysis { units(first: 1, unitIds: [$u]) { edges { node {
            parts { part delta } moveReasons { text } } } } } } } }`,
        { b: before, a: after, u: unitId },
        { as: "analyst" },
      );
      return body.data.compareCycles.analysis.units.edges[0].node as Data;
    };
    const middle = { cycleId: "2019", rulesOf: "2018" };
    const halves = (unitId: string) =>
      Promise.all([half(unitId, { cycleId: "2018" }, middle), half(unitId, middle, { cycleId: "2019" })]);
    const [dataHalf, ruleHalf] = await halves("U02");
    for (const [shown, gateway] of [
      [data, dataHalf],
      [rules, ruleHalf],
    ] as const) {
      const parts = gateway.parts.filter((p: Data) => Number(p.delta) !== 0);
      const cells = await shown.locator("tbody tr:not(.total) td.num").allTextContents();
      expect(cells.map(Number)).toEqual(parts.map((p: Data) => Number(p.delta)));
    }
    // The records' half is all organ construction (docs/what-if.md).
    expect(dataHalf.parts.filter((p: Data) => Number(p.delta) !== 0).map((p: Data) => p.part)).toEqual([
      "organ",
    ]);

    // U09's rank moves in each half, its grade too (docs/what-if.md): each half's reasons, as the gateway gives them.
    await table.locator('tr[data-unit="U09"]').click();
    await expect.poll(() => rules.locator("tr.total td.num").textContent()).toBe("-1.26");
    const u09 = await halves("U09");
    expect(u09[1].moveReasons.map((r: Data) => r.text)).toContainEqual(expect.stringContaining("U05"));
    for (const [shown, gateway] of [
      [data, u09[0]],
      [rules, u09[1]],
    ] as const) {
      expect(gateway.moveReasons.length).toBeGreaterThan(0);
      const reasons = shown.getByTestId("why-reasons").locator("li");
      await expect.poll(() => reasons.count()).toBe(gateway.moveReasons.length);
      expect(await reasons.allTextContents()).toEqual(
        gateway.moveReasons.map((r: Data) => expect.stringContaining(r.text)),
      );
    }

    // The toggle off: the halves go, and the URL forgets them.
    await page.getByTestId("yoy-split").uncheck();
    await expect.poll(() => table.locator("thead th").count()).toBe(9);
    expect(await page.evaluate(() => location.hash)).not.toContain("split=");
    expect(await page.getByTestId("why-data").count()).toBe(0);
    await page.context().close();
  });

  it("keeps the split in the URL, in English too", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      lang: "en",
      path: "#/yoy?before=2018&cycle=2019&split=1&unit=U02",
    });
    expect(await page.getByTestId("yoy-split").isChecked()).toBe(true);
    const u02 = page.getByTestId("yoy-table").locator('tr[data-unit="U02"]');
    await expect.poll(() => u02.getByTestId("rules-delta").textContent()).toBe("-1.25");
    expect(await u02.getByTestId("records-delta").textContent()).toBe("1.07");
    await expect
      .poll(() => page.getByTestId("yoy-kept").textContent())
      .toBe(
        "机关建设 organ construction's method could not be taken back to the 2018 rules: its change counts in the records' half.",
      );
    await expect
      .poll(() => page.getByTestId("why-data").locator("h3").first().textContent())
      .toBe("Its records: 2018 → 2019 records under 2018 rules");
    await page.context().close();
  });

  it("shows the gateway's refusal of two cycles without a unit in common, and no rows", async () => {
    const admin = { as: "admin" as const };
    // Deleted at the end, however it ends: the other tests' newest and oldest cycles are the seeded ones.
    try {
      await refusedAgainstExtra(admin);
    } finally {
      const deleted = await bench.stack.gateway.gql(
        `mutation { deleteCycle(cycleId: "extra") { __typename } }`,
        {},
        admin,
      );
      expect(deleted.body.errors).toBeUndefined();
    }
  });

  // Units only one cycle holds are listed, not refused (year-on-year-units.browser.test.ts); a cycle
  // whose units all have other ids is refused: they were most likely renumbered.
  const refusedAgainstExtra = async (admin: { as: "admin" }) => {
    const created = await bench.stack.gateway.gql(
      `mutation { createCycle(input: { id: "extra", year: 2150, name: "extra", schemeId: "city-review", schemeVersion: 1 }) { __typename } }`,
      {},
      admin,
    );
    expect(created.body.data.createCycle.__typename).toBe("Cycle");
    const unit = await bench.stack.gateway.gql(
      `mutation { upsertUnit(cycleId: "extra", input: { id: "X01", name: "市新单位", group: "law-enforcement" }) { __typename } }`,
      {},
      admin,
    );
    expect(unit.body.data.upsertUnit.__typename).toBe("Unit");
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      lang: "en",
      path: "#/yoy?before=2018&cycle=extra",
    });
    const alert = page.getByRole("alert");
    await expect
      .poll(() => alert.textContent())
      .toContain("no unit in common with the baseline (its 29 units, 1 here): were the units renumbered?");
    // docs/console.md: the refusal "with no table", nor an empty chart.
    expect(await page.getByTestId("yoy-table").count()).toBe(0);
    expect(await page.getByTestId("yoy-movement-chart").count()).toBe(0);
    expect(await page.getByTestId("yoy-summary").count()).toBe(0);
    expect(await page.getByTestId("yoy-one-sided").count()).toBe(0);
    // Split, the records' half is refused for the same units: said once, not twice.
    let halvesAnswered = 0;
    page.on("response", (r) => {
      if (r.url().includes("/graphql") && r.request().postData()?.includes("rulesOf")) halvesAnswered++;
    });
    await page.getByTestId("yoy-split").check();
    await expect.poll(() => halvesAnswered).toBeGreaterThanOrEqual(2);
    await page.waitForTimeout(500);
    expect(await page.getByRole("alert").count()).toBe(1);
    await page.getByTestId("yoy-split").uncheck();
    // The compared cycle picked again: the refusal goes, the comparison comes.
    await page.getByTestId("cycle").selectOption("2019");
    await expect.poll(() => page.getByTestId("yoy-table").locator("tbody tr").count()).toBe(29);
    expect(await page.getByRole("alert").count()).toBe(0);
    await page.context().close();
  };

  it("is an analyst's: a viewer has no menu entry, and the page refuses them", async () => {
    const page = await signIn(bench.browser, bench.stack, "viewer", { path: "#/yoy" });
    await page.getByTestId("refused").waitFor();
    expect(await page.getByRole("link", { name: "同比" }).count()).toBe(0);
    await page.context().close();
  });
});
