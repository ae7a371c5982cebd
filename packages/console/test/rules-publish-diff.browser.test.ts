import { beforeAll, expect, it } from "vitest";
import { describeInChromium, signIn } from "./harness.js";

const category = (id: string, name: string, points: number) => ({
  id,
  name,
  points,
  method: { kind: "direct", outOf: 100 },
});
/** No cycle is scored under it: its drafts are published with no preview asked first. */
const scheme = (categories: ReturnType<typeof category>[]) => ({
  id: "approved",
  version: 1,
  name: "approved",
  categories,
  groups: [{ id: "g", name: "g" }],
});
const v1 = scheme([category("business", "Business", 60), category("public", "Public", 40)]);
// Business 60 → 50, public likely mistyped as pubilc, safety added.
const draft = scheme([
  category("business", "Business", 50),
  category("pubilc", "Public", 40),
  category("safety", "Safety", 10),
]);

describeInChromium("the Rules page's question before publishing, with what the draft changes", (bench) => {
  beforeAll(async () => {
    const r = await bench.stack.gateway.gql(
      `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename } }`,
      { i: { schemeId: "approved", basedOn: null, newScheme: true, document: v1, reason: "test" } },
      { as: "admin" },
    );
    expect(r.body.data).toEqual({ publishSchemeVersion: { __typename: "SchemeVersion" } });
  });

  it("shows what the draft changes against its version before publishing, and publishes only once confirmed", async () => {
    const page = await signIn(bench.browser, bench.stack, "admin", {
      lang: "en",
      path: "#/rules?scheme=approved",
    });
    const text = page.getByTestId("draft-json");
    await expect.poll(() => text.inputValue()).toContain('"business"');
    const versions = page.getByTestId("history").locator("tbody tr");
    await text.fill(JSON.stringify(draft, null, 2));
    await page.getByTestId("reason").fill("安全生产 added");
    await page.getByTestId("publish").click();

    const question = page.getByTestId("publish-confirmation");
    await expect
      .poll(() => question.locator("strong").textContent())
      .toBe("Publish version 2? What it changes against version 1:");
    expect(await page.getByTestId("publish-headlines").locator("li").allTextContents()).toEqual([
      "Categories added: safety (Safety)",
      "Categories likely renamed (a guess to check): public → pubilc",
      "Points: business 60 → 50",
    ]);
    expect(await page.getByTestId("publish-diff").locator("tbody tr").count()).toBe(4);
    expect(await question.textContent()).toContain("Reason: 安全生产 added");
    // Asked, not done: the focus is on going back, and nothing is published.
    expect(await page.getByTestId("publish-back").evaluate((b) => b === document.activeElement)).toBe(true);
    expect(await versions.count()).toBe(1);

    await page.getByTestId("publish-back").click();
    expect(await question.count()).toBe(0);
    expect(await versions.count()).toBe(1);

    // In Chinese too; then confirmed.
    await page.getByTestId("lang").selectOption("zh-CN");
    await page.getByTestId("publish").click();
    await expect
      .poll(() => question.locator("strong").textContent())
      .toBe("发布第 2 版？与第 1 版相比，它修改了：");
    expect(await page.getByTestId("publish-headlines").textContent()).toContain("新增类别：safety (Safety)");
    await page.getByTestId("publish-confirm").click();
    await expect.poll(() => page.getByTestId("published").textContent()).toBe("已发布第 2 版。");
    expect(await question.count()).toBe(0);
    await expect.poll(() => versions.count()).toBe(2);
    await page.context().close();
  });

  it("shows the gateway's reasons, each naming its field, for a draft it cannot diff, and asks nothing", async () => {
    const page = await signIn(bench.browser, bench.stack, "admin", {
      lang: "en",
      path: "#/rules?scheme=approved",
    });
    const text = page.getByTestId("draft-json");
    await expect.poll(() => text.inputValue()).toContain('"business"');
    const broken = JSON.parse(await text.inputValue());
    broken.categories[0].points = -5;
    await text.fill(JSON.stringify(broken, null, 2));
    await page.getByTestId("reason").fill("broken");
    const published: string[] = [];
    page.on("request", (r) => {
      if ((r.postData() ?? "").includes("mutation Publish")) published.push(r.url());
    });
    await page.getByTestId("publish").click();
    const issues = page.getByTestId("draft-issues");
    await expect.poll(() => issues.textContent()).toMatch(/categories\[0\]\.points \(line \d+\): /);
    expect(await text.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByTestId("publish-confirmation").count()).toBe(0);
    // Found by the diff: no publish was sent for the gateway to refuse.
    expect(published).toEqual([]);
    await page.context().close();
  });
});
