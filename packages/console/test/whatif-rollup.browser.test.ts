import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { describeInChromium, signIn } from "./harness.js";

/**
 * One category out of 100, into which the sub-units' results count 10%: P1 (80, its sub-units at
 * 100) reads 0.9 × 80 + 0.1 × 100 = 82 and leads P2 (81); at a share of 0 it would fall behind.
 */
const scheme = {
  id: "rolled",
  version: 1,
  name: "rolled",
  categories: [{ id: "work", name: "Work", points: 100, method: { kind: "direct", outOf: 100 } }],
  groups: [
    { id: "g", name: "Bureaus" },
    { id: "sub", name: "Branches", ranked: false },
  ],
  rollups: [{ id: "subs", source: { category: "work" }, into: { category: "work" }, share: 0.1 }],
};

/** What each write answers: its type, and a refusal's message. */
const R = "{ __typename ... on Error { message } }";

describeInChromium("the What-if roll-up knob", (bench) => {
  const as = (role: "admin" | "analyst", query: string, variables: Record<string, unknown> = {}) =>
    bench.stack.gateway.gql(query, variables, { as: role }).then((r) => r.body.data);

  beforeAll(async () => {
    expect(
      await as(
        "admin",
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename } }`,
        {
          i: { schemeId: "rolled", basedOn: null, document: scheme, reason: "test" },
        },
      ),
    ).toEqual({ publishSchemeVersion: { __typename: "SchemeVersion" } });
    // The bureaus in a request of their own: in the one that writes them, the request's unit
    // loader has already read P1 as missing, and a sub-unit naming it as parent is refused.
    const writes = [
      `createCycle(input: { id: "2032", year: 2032, name: "2032", schemeId: "rolled", schemeVersion: 1 }) ${R}
      p1: upsertUnit(cycleId: "2032", input: { id: "P1", name: "Bureau one", group: "g" }) ${R}
      p2: upsertUnit(cycleId: "2032", input: { id: "P2", name: "Bureau two", group: "g" }) ${R}`,
      `s1: upsertUnit(cycleId: "2032", input: { id: "S1", name: "Branch one", group: "sub", parent: "P1" }) ${R}
      s2: upsertUnit(cycleId: "2032", input: { id: "S2", name: "Branch two", group: "sub", parent: "P1" }) ${R}
      a: setScore(cycleId: "2032", unitId: "P1", category: "work", value: "80") ${R}
      b: setScore(cycleId: "2032", unitId: "P2", category: "work", value: "81") ${R}
      c: setScore(cycleId: "2032", unitId: "S1", category: "work", value: "100") ${R}
      d: setScore(cycleId: "2032", unitId: "S2", category: "work", value: "100") ${R}`,
    ];
    const answers: unknown[] = [];
    for (const w of writes) answers.push(...Object.values(await as("admin", `mutation { ${w} }`)));
    // A refusal's message in the diff, where one fails.
    const typed = answers as { __typename: string; message?: string }[];
    expect(typed.map((r) => r.message ?? r.__typename)).toEqual([
      "Cycle",
      ...Array(4).fill("Unit"),
      ...Array(4).fill("DirectScore"),
    ]);
  });

  /** The scenario documents the page sends to whatIf, in order. */
  const sentScenarios = (page: Page) => {
    const sent: string[] = [];
    page.on("request", (r) => {
      const body = r.postData() ?? "";
      if (body.includes("query WhatIf")) sent.push(JSON.stringify(JSON.parse(body).variables));
    });
    return sent;
  };
  const total = (page: Page, unit: string) => page.locator(`tr[data-unit=${unit}] td.total`).textContent();

  it("writes a moved share, aggregation and missingSubUnit into the scenario, refuses a share above 1 naming the roll-up, and Reset takes them out", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      lang: "en",
      path: "#/whatif?cycle=2032",
    });
    const sent = sentScenarios(page);
    const share = page.getByTestId("input-rollup-subs-share");
    await expect.poll(() => share.inputValue()).toBe("0.1");
    await expect.poll(() => total(page, "P1")).toBe("82.00");
    // Found by its name, as a screen reader reads it.
    expect(await page.getByLabel("Roll-up subs: sub-units' share of Work (0.1 = 10%)").count()).toBe(2);

    await share.fill("0");
    await expect.poll(() => total(page, "P1")).toBe("80.00");
    expect(sent.at(-1)).toContain('"rollups":{"subs":{"share":0}}');
    expect(await page.locator("tr[data-unit]").first().getAttribute("data-unit")).toBe("P2");

    await share.fill("1.5");
    const problem = page.getByTestId("input-rollup-subs-share-problem");
    await expect
      .poll(() => problem.textContent())
      .toBe("Roll-up subs's share: Must be 0 – 1. Not applied: the ranking uses 0.");
    expect(await share.getAttribute("aria-describedby")).toBe("input-rollup-subs-share-problem");
    await share.fill("0.2");
    await expect.poll(() => total(page, "P1")).toBe("84.00");
    expect(await problem.count()).toBe(0);

    await page.getByLabel("Roll-up subs: how the sub-units' results combine").selectOption("median");
    await page.getByLabel("Roll-up subs: a sub-unit without a result").selectOption("zero");
    await expect
      .poll(() => sent.at(-1))
      .toContain('"rollups":{"subs":{"share":0.2,"aggregation":"median","missingSubUnit":"zero"}}');

    await page.getByTestId("reset").click();
    await expect.poll(() => sent.at(-1)).not.toContain("rollups");
    expect(await share.inputValue()).toBe("0.1");
    await expect.poll(() => total(page, "P1")).toBe("82.00");
    await page.context().close();
  });

  it("splits a parent's change into its own and its sub-units' share in its why-moved panel, and shows none for a unit without sub-units", async () => {
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      lang: "en",
      path: "#/whatif?cycle=2032&unit=P1",
    });
    const sent: string[] = [];
    page.on("request", (r) => {
      const body = r.postData() ?? "";
      if (body.includes("query WhatIfRollupParts")) sent.push(JSON.parse(body).variables.unitId);
    });
    const share = page.getByTestId("input-rollup-subs-share");
    await expect.poll(() => share.inputValue()).toBe("0.1");
    await share.fill("0.2");
    await expect.poll(() => total(page, "P1")).toBe("84.00");
    // 0.9 × 80 + 0.1 × 100 → 0.8 × 80 + 0.2 × 100: its own 72 → 64, from its branches 10 → 20.
    const split = page.getByTestId("why-rollups");
    await expect
      .poll(() => split.getByTestId("why-rollup-summary").textContent())
      .toBe("Change in Work: its own -8.00, from its 2 sub-units +10.00");
    const cells = (row: string) => split.getByTestId(row).locator("th, td").allTextContents();
    expect(await cells("why-rollup-own")).toEqual(["of which its own", "72.00", "64.00", "-8.00"]);
    expect(await cells("why-rollup-from")).toEqual(["from its 2 sub-units", "10.00", "20.00", "+10.00"]);
    // Asked for the unit opened alone, not for every row.
    expect(new Set(sent)).toEqual(new Set(["P1"]));

    const answered = page.waitForResponse((r) => {
      const body = r.request().postData() ?? "";
      return body.includes("query WhatIfRollupParts") && JSON.parse(body).variables.unitId === "P2";
    });
    await page.locator("tr[data-unit=P2]").click();
    await expect.poll(() => page.getByTestId("why").locator("h2").textContent()).toContain("Bureau two");
    // Its parts answered, none: nothing is shown.
    expect(await (await answered).json()).toMatchObject({
      data: { whatIf: { units: { edges: [{ node: { rollupParts: [] } }] } } },
    });
    await expect.poll(() => split.count()).toBe(0);
    await page.context().close();
  });

  it("opens a saved scenario's roll-up patch on the knob, its parents alone among the hidden parts", async () => {
    const rollups = { subs: { share: "0.3", missingSubUnit: "insufficient", parents: ["P1"] } };
    const saved = await as(
      "analyst",
      `mutation($input: SaveScenarioInput!) { saveScenario(input: $input) { __typename ... on Scenario { id } } }`,
      { input: { cycleId: "2032", name: "分支机构占 30%", patch: { patch: { rollups } }, shared: true } },
    );
    const page = await signIn(bench.browser, bench.stack, "analyst", {
      path: `#/whatif?cycle=2032&scenario=${saved.saveScenario.id}`,
    });
    const sent = sentScenarios(page);
    await expect.poll(() => page.getByTestId("input-rollup-subs-share").inputValue()).toBe("0.3");
    expect(await page.getByTestId("knob-rollup-subs-missing").inputValue()).toBe("insufficient");
    expect(await page.getByTestId("knob-rollup-subs-aggregation").inputValue()).toBe("mean");
    await expect
      .poll(() => page.getByTestId("whatif-hidden").textContent())
      .toContain("汇总规则“subs”的上级单位");
    expect(await page.getByTestId("whatif-hidden").textContent()).not.toContain("patch.rollups");
    // 0.7 × 80 + 0.3 × 100.
    await expect.poll(() => total(page, "P1")).toBe("86.00");

    // Moved back to the scheme's mean… and median: the saved parts stay as written, the moved one is set.
    await page.getByTestId("knob-rollup-subs-aggregation").selectOption("median");
    await expect
      .poll(() => sent.at(-1))
      .toContain(
        '"rollups":{"subs":{"share":"0.3","missingSubUnit":"insufficient","parents":["P1"],"aggregation":"median"}}',
      );
    await page.context().close();
  });
});
