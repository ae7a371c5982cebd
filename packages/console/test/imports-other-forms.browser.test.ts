import { beforeAll, expect, it } from "vitest";
import { describeInChromium, signIn } from "./harness.js";

const csv = (name: string, text: string) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text) });

describeInChromium("importing survey forms said to be other forms than an earlier import's", (bench) => {
  /** An answer the seeded 2019's public evaluation takes. */
  let answer: string;

  const admin = (query: string) =>
    bench.stack.gateway.gql(query, {}, { as: "admin" }).then((r) => r.body.data);
  const formCount = async () =>
    (
      await admin(`{ cycle(id: "2019") { ... on Cycle {
        surveyTallies(category: "public", unitId: "U01", respondentGroup: "residents", first: 1) { formCount } } } }`)
    ).cycle.surveyTallies.formCount as number;

  beforeAll(async () => {
    const tallies = await admin(`{ cycle(id: "2019") { ... on Cycle {
      surveyTallies(category: "public", first: 1) { edges { node { answer } } } } } }`);
    answer = tallies.cycle.surveyTallies.edges[0].node.answer;
  });

  it("offers to send again as other forms than the import named, and imports them once told", async () => {
    const before = await formCount();
    const rows = [1, 2, 3].map(() => `public,U01,residents,${answer}`);
    const page = await signIn(bench.browser, bench.stack, "admin", {
      lang: "en",
      path: "#/imports?cycle=2019",
    });
    await page.getByTestId("import-upload").waitFor({ timeout: 10_000 });
    await page.getByTestId("import-kind").selectOption("SURVEY_FORMS");
    const done = page.getByTestId("import-done");
    await page
      .getByTestId("import-file")
      .setInputFiles(csv("batch-1.csv", `category,unit,respondent_group,answer\n${rows.join("\n")}\n`));
    await page.getByTestId("import-submit").click();
    await expect.poll(() => done.textContent()).toBe("Imported 3 rows as import batch-1.");

    // The same forms, saved otherwise (CRLF): refused as batch-1's again, nothing imported.
    await page
      .getByTestId("import-file")
      .setInputFiles(csv("batch-2.csv", `category,unit,respondent_group,answer\r\n${rows.join("\r\n")}\r\n`));
    await page.getByTestId("import-submit").click();
    const offer = page.getByTestId("import-other-forms");
    await expect.poll(() => offer.textContent()).toContain("They tally as the forms of import “batch-1” do.");
    expect(await page.getByTestId("import-file-problem").textContent()).toContain(
      "tally exactly as import 'batch-1'",
    );
    expect(await formCount()).toBe(before + 3);

    // Truly another batch: sent again naming batch-1, and imported.
    await page.getByTestId("import-other-forms-send").click();
    await expect.poll(() => done.textContent()).toBe("Imported 3 rows as import batch-2.");
    expect(await formCount()).toBe(before + 6);
    expect(await offer.count()).toBe(0);
    await expect
      .poll(() => page.locator('[data-testid=import-list] tr[data-import="batch-2"]').count())
      .toBe(1);
    await page.context().close();
  });
});
