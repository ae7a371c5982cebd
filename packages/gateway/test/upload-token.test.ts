import { request } from "node:http";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

// An admin's query as a multipart request: it runs only with the admin the upload's check let in.
const QUERY = `{ auditLog(first: 1) { edges { node { action } } } }`;
const BOUNDARY = "pingyi-upload-token";
const part = (name: string, value: string) =>
  `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

/**
 * A multipart POST sent in two halves: the headers and the first part, then `between`, then the
 * rest, as a slow upload arrives.
 */
function uploadInTwo(
  base: string,
  token: string,
  between: () => Promise<void>,
): Promise<{ status: number; body: any }> {
  const first = part("operations", JSON.stringify({ query: QUERY }));
  const rest = `${part("map", "{}")}--${BOUNDARY}--\r\n`;
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/graphql`,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
          "content-length": Buffer.byteLength(first + rest),
          "x-pingyi-client": "test",
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          text += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.write(first);
    void between().then(() => req.end(rest), reject);
  });
}

/** An upload's token is checked once, before its body is read, and that check is the request's. */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    // No slack: a token is refused the second its `exp` passes.
    t = await startTestServer({ backend, seed: false, env: { PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: "0" } });
  });
  afterAll(() => t?.close());

  it("verifies an upload's token once, not again when the request reaches GraphQL", async () => {
    const token = await t.token("admin");
    const verify = vi.spyOn(t.gateway.services.tokens, "verify");
    try {
      const { status, body } = await uploadInTwo(t.url, token, async () => {});
      expect(status).toBe(200);
      expect(body.data.auditLog.edges).toBeInstanceOf(Array);
      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      verify.mockRestore();
    }
  });

  it("serves an upload whose token expires while its body is still arriving, as its admin", async () => {
    const token = await t.token("admin", "slow-link", "2s");
    const exp = decodeJwt(token).exp!;
    const { status, body } = await uploadInTwo(t.url, token, async () => {
      // The body's second half comes after the token's `exp`: let in at its headers, the upload is
      // not refused 401 once read (megabytes later, on a slow link).
      await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 300));
    });
    expect(Date.now()).toBeGreaterThan(exp * 1000);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data.auditLog.edges).toBeInstanceOf(Array);
    // The token is refused to a request that starts after its `exp`.
    expect((await t.gql(`{ __typename }`, {}, { token })).status).toBe(401);
  });
});
