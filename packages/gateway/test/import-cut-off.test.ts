import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers.js";

/**
 * An import whose request closes before it finishes (the client went away, or the gateway closed
 * it at shutdown, 10 s after SIGTERM) is written as nothing: no rows, no import record, no audit.
 * It used to run on and commit for nobody.
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ backend: "pglite" });
});
afterAll(() => t?.close());

function surveyFile(n: number): string {
  const answers = ["satisfied", "basically-satisfied", "dissatisfied", "dont-know"];
  const lines = ["category,unit,respondent_group,answer"];
  for (let i = 0; i < n; i++)
    lines.push(`public,U${String(1 + (i % 29)).padStart(2, "0")},residents,${answers[i % 4]}`);
  return `${lines.join("\n")}\n`;
}

it("rolls back an import whose request closed while its rows were being written", async () => {
  const audit = await t.lastAuditId();
  const client = new AbortController();
  let inserting = false;
  // Once the import writes its first rows, the client hangs up; the import goes on meanwhile.
  t.db.beforeNextQuery(/^\s*INSERT INTO survey_forms/i, async () => {
    inserting = true;
    client.abort();
    await new Promise((r) => setTimeout(r, 300));
  });
  const form = new FormData();
  form.append(
    "operations",
    JSON.stringify({
      query: `mutation($file: File!) { importFile(cycleId: "2019", importId: "cut-1", kind: SURVEY_FORMS, format: CSV, file: $file) { __typename } }`,
      variables: { file: null },
    }),
  );
  form.append("map", JSON.stringify({ 0: ["variables.file"] }));
  form.append("0", new Blob([surveyFile(40_000)], { type: "text/csv" }), "survey.csv");
  await expect(
    fetch(`${t.url}/graphql`, {
      method: "POST",
      signal: client.signal,
      headers: { authorization: `Bearer ${await t.token("admin")}`, "x-pingyi-client": "test" },
      body: form,
    }),
  ).rejects.toThrow();
  expect(inserting).toBe(true);
  // Reads wait for the import's transaction, so this answers once it has ended, one way or the other.
  const deadline = Date.now() + 30_000;
  let imports = await t.store.imports.list("2019");
  while (Date.now() < deadline && (await t.lastAuditId()) === audit) {
    await new Promise((r) => setTimeout(r, 100));
    imports = await t.store.imports.list("2019");
    if (!imports.some((i) => i.id === "cut-1")) break;
  }
  expect(imports.map((i) => i.id)).not.toContain("cut-1");
  expect(await t.lastAuditId()).toBe(audit);
});
