import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, SECRET, startTestServer, type TestServer } from "./helpers.js";

const DAY = 24 * 3600;
const key = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

/** An admin token signed with the test servers' secret, with exactly these times. */
const signed = (times: { iat?: number; exp: number }) =>
  new SignJWT({ role: "admin", ...times })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("long-lived")
    .sign(key);

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  let short: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend, seed: false });
    short = await startTestServer({ backend, seed: false, env: { PINGYI_JWT_MAX_AGE_SECONDS: "7200" } });
  });
  afterAll(async () => {
    await t?.close();
    await short?.close();
  });

  const refusal = async (server: TestServer, token: string, reason = "TOKEN_LIFETIME_TOO_LONG") => {
    const { status, body } = await server.gql(
      `{ cycles(first: 1) { edges { node { id } } } }`,
      {},
      { token },
    );
    expect(status).toBe(401);
    const error = body.errors?.[0];
    expect(error?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason });
    return String(error?.message);
  };
  const accepted = async (server: TestServer, token: string) => {
    const { status, body } = await server.gql(
      `{ cycles(first: 1) { edges { node { id } } } }`,
      {},
      { token },
    );
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  };

  it("refuses a token that lasts longer than a year, by default", async () => {
    // The review's token: an admin's, good for a hundred years, with no `iat`.
    const century = await refusal(t, await signed({ exp: now() + 100 * 366 * DAY }));
    expect(century).toMatch(
      /^this token is good until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, longer than this gateway accepts from now \(PINGYI_JWT_MAX_AGE_SECONDS\)/,
    );
    expect(century).toMatch(/`pingyi token <role> <subject>`/);
    expect(await refusal(t, await signed({ iat: now(), exp: now() + 367 * DAY }))).toMatch(
      /from its issue \(`iat` claim\)/,
    );
    // Issued two years ago and good for one more day: its lifetime, not what is left, counts.
    await refusal(t, await signed({ iat: now() - 2 * 366 * DAY, exp: now() + DAY }));
    // An `iat` set ahead does not make a long token short: it is refused for its clock.
    expect(
      await refusal(
        t,
        await signed({ iat: now() + 360 * DAY, exp: now() + 400 * DAY }),
        "ERR_JWT_CLAIM_VALIDATION_FAILED",
      ),
    ).toMatch(/\(`iat` claim\), which has not come yet/);
  });

  it("accepts a token of a year, as `pingyi token --expires 1y` mints", async () => {
    await accepted(t, await signed({ iat: now(), exp: now() + 366 * DAY }));
    await accepted(t, await t.token("admin", "yearly", "365d"));
  });

  it("refuses what PINGYI_JWT_MAX_AGE_SECONDS does not allow", async () => {
    await refusal(short, await signed({ iat: now(), exp: now() + 3 * 3600 }));
    await refusal(short, await short.token("admin", "daily", "1d"));
    await accepted(short, await short.token("admin", "hourly", "1h"));
  });
});
