import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers.js";

/**
 * Over GraphQL, an import names the columns it did not read (an export's own columns beside
 * ours), so that a client shows them; a misspelt column is refused (mapping.ts' tests).
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.close());

const IMPORT = `mutation($file: File!) { importFile(cycleId: "2019", importId: "extra-cols", kind: FINDINGS, format: CSV, file: $file) {
  __typename ... on ImportResult { rows unreadColumns message } ... on Error { message } } }`;

it("says which columns it did not read, as a list and in its message", async () => {
  const r = await t.upload(
    IMPORT,
    {},
    {
      name: "findings.csv",
      body: "id,unit,录入时间,type,level,录入人\nxc-1,U01,2019-03-02,unannounced-visit,city,张三\n",
    },
  );
  expect(r.body.data.importFile).toEqual({
    __typename: "ImportResult",
    rows: 1,
    unreadColumns: ["录入时间", "录入人"],
    message: "imported 1 row; columns not read (not findings columns): '录入时间' and '录入人'",
  });
});
