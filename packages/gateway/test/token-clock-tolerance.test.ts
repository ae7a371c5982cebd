import { decodeJwt, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { utc } from "../src/auth/tokens.js";
import { backends, SECRET, startTestServer, type TestServer } from "./helpers.js";

const key = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

/** A viewer's token from another issuer holding the test servers' secret, with these times. */
const signed = (claims: JWTPayload) =>
  new SignJWT({ role: "viewer", ...claims }).setProtectedHeader({ alg: "HS256" }).setSubject("sso").sign(key);

// PINGYI_JWT_CLOCK_TOLERANCE_SECONDS as a request and a subscription meet it; its rule in each
// case is in src/auth/tokens.test.ts.
describe.each(backends)("%s", (backend) => {
  let lenient: TestServer;
  let streams: TestServer;
  beforeAll(async () => {
    lenient = await startTestServer({
      backend,
      seed: false,
      env: { PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: "30" },
    });
    streams = await startTestServer({ backend, env: { PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: "3" } });
  });
  afterAll(async () => {
    await lenient?.close();
    await streams?.close();
  });

  const status = async (server: TestServer, token: string) => {
    const { status, body } = await server.gql(`{ __typename }`, {}, { token });
    return { status, reason: body.errors?.[0]?.extensions?.reason, message: body.errors?.[0]?.message };
  };

  it("accepts a token a few seconds past its `exp` or before its `nbf`, within the tolerance only", async () => {
    expect(await status(lenient, await signed({ exp: now() - 5 }))).toMatchObject({ status: 200 });
    expect(await status(lenient, await signed({ nbf: now() + 5, exp: now() + 600 }))).toMatchObject({
      status: 200,
    });
    expect(await status(lenient, await signed({ exp: now() - 60 }))).toMatchObject({
      status: 401,
      reason: "ERR_JWT_EXPIRED",
      message: expect.stringMatching(/^this token expired at /),
    });
    expect(await status(lenient, await signed({ nbf: now() + 60, exp: now() + 600 }))).toMatchObject({
      status: 401,
      reason: "ERR_JWT_CLAIM_VALIDATION_FAILED",
      message: expect.stringMatching(/^this token is not valid before .*PINGYI_JWT_CLOCK_TOLERANCE_SECONDS/),
    });
  });

  it("ends a subscription when its token is refused to a request, the tolerance after its `exp`", async () => {
    const token = await streams.token("viewer", "skewed", "1s");
    const exp = decodeJwt(token).exp!;
    const sub = await streams.subscribe(`subscription { rankingUpdated(cycleId: "2019") { reason } }`, {
      token,
    });
    try {
      await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 300));
      // Past its `exp`, within the 3 s: a request with the token is served, and so is the stream.
      expect(await status(streams, token)).toMatchObject({ status: 200 });
      const write = await streams.gql(
        `mutation { upsertUnit(cycleId: "2019", input: { id: "U01", name: "市公安局 skewed", group: "law-enforcement" }) { __typename } }`,
        {},
        { as: "admin" },
      );
      expect(write.body.data.upsertUnit).toEqual({ __typename: "Unit" });
      expect((await sub.next())?.data?.rankingUpdated).toEqual({ reason: "unit" });
      const last = await sub.next(8000);
      expect(Date.now()).toBeGreaterThanOrEqual((exp + 3) * 1000);
      expect(last?.errors?.[0]?.extensions).toMatchObject({
        code: "UNAUTHENTICATED",
        reason: "ERR_JWT_EXPIRED",
      });
      // Said with the token's own `exp`, as a request's refusal says it, not the end of the slack.
      expect(last?.errors?.[0]?.message).toContain(`expired at ${utc(exp)}`);
      expect(await sub.next(2000)).toBeUndefined();
      expect(sub.ended()).toBe(true);
    } finally {
      sub.close();
    }
  });
});
