import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers.js";

const IMPORT = `mutation($file: File!) { importFile(cycleId: "2019", importId: "big-1", kind: SCORES, format: CSV, file: $file) {
  __typename ... on ImportError { totalErrors rows { line message } } ... on Error { message } } }`;

/** A multipart import of `bytes` bytes: a header the import refuses at once, then filler rows. */
async function upload(t: TestServer, bytes: number) {
  const header = "nope\n";
  const body =
    header +
    "x"
      .repeat(99)
      .concat("\n")
      .repeat(Math.ceil((bytes - header.length) / 100));
  const form = new FormData();
  form.append("operations", JSON.stringify({ query: IMPORT, variables: { file: null } }));
  form.append("map", JSON.stringify({ 0: ["variables.file"] }));
  form.append("0", new Blob([body], { type: "text/csv" }), "big.csv");
  const res = await fetch(`${t.url}/graphql`, {
    method: "POST",
    headers: { authorization: `Bearer ${await t.token("admin")}`, "x-pingyi-client": "test" },
    body: form,
  });
  return { status: res.status, text: await res.text() };
}

/** The upload limit an operator sets is the one that applies, whatever graphql-yoga's own default. */
describe("upload size", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { PINGYI_MAX_UPLOAD_BYTES: "40000000" } });
  });
  afterAll(() => t?.close());

  it("reads an upload above graphql-yoga's 25 MB default when PINGYI_MAX_UPLOAD_BYTES allows it", async () => {
    const { status, text } = await upload(t, 26_000_000);
    expect(status).toBe(200);
    expect(JSON.parse(text).data.importFile.__typename).toBe("ImportError");
  });

  it("refuses an upload above PINGYI_MAX_UPLOAD_BYTES before reading it, saying the limit", async () => {
    const { status, text } = await upload(t, 41_000_000);
    expect(status).toBe(413);
    expect(text).toMatch(/larger than 40000000 bytes/);
  });
});
