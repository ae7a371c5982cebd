import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    // Expiry to the second: the clock tolerance's slack is token-clock-tolerance.test.ts's.
    t = await startTestServer({ backend, env: { PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: "0" } });
  });
  afterAll(() => t?.close());

  let renamed = 0;
  /** An admin's write to cycle 2019 that tells its subscribers (a new name each time: a change). */
  const write = async () => {
    const r = await t.gql(
      `mutation { upsertUnit(cycleId: "2019", input: { id: "U01", name: "市公安局 ${++renamed}", group: "law-enforcement" }) { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(r.body.data.upsertUnit).toEqual({ __typename: "Unit" });
  };

  it("ends a subscription with an error when its token expires, and delivers nothing after", async () => {
    const token = await t.token("viewer", "short-lived", "4s");
    const expiresAt = decodeJwt(token).exp! * 1000;
    const sub = await t.subscribe(
      `subscription { rankingUpdated(cycleId: "2019") { reason ranking { entries(first: 1) { edges { node { unitId } } } } } }`,
      { token },
    );
    try {
      await write();
      expect((await sub.next())?.data.rankingUpdated).toMatchObject({ reason: "unit" });

      await new Promise((r) => setTimeout(r, expiresAt - Date.now() + 300));
      // A query with the token is refused by now; the stream must be as well.
      const query = await t.gql(`{ cycles { id } }`, {}, { token });
      expect(query.status).toBe(401);
      await write();
      const last = await sub.next();
      expect(last?.data ?? null).toBeNull();
      expect(last?.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(
            /^the token this subscription was opened with expired at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: subscribe again with a new token$/,
          ),
          extensions: expect.objectContaining({ code: "UNAUTHENTICATED", reason: "ERR_JWT_EXPIRED" }),
        }),
      ]);
      expect(await sub.next(2000)).toBeUndefined();
      expect(sub.ended()).toBe(true);
    } finally {
      sub.close();
    }
  });

  it("ends the stream at expiry even when no event comes", async () => {
    const token = await t.token("viewer", "short-lived", "2s");
    const sub = await t.subscribe(`subscription { rankingUpdated(cycleId: "2019") { reason } }`, { token });
    try {
      const last = await sub.next(5000);
      expect(last?.errors?.[0]?.extensions).toMatchObject({
        code: "UNAUTHENTICATED",
        reason: "ERR_JWT_EXPIRED",
      });
      expect(await sub.next(2000)).toBeUndefined();
      expect(sub.ended()).toBe(true);
    } finally {
      sub.close();
    }
  });

  it("keeps a subscription whose token is still good", async () => {
    const sub = await t.subscribe(`subscription { rankingUpdated(cycleId: "2019") { reason } }`, "viewer");
    try {
      await write();
      expect((await sub.next())?.data.rankingUpdated).toEqual({ reason: "unit" });
      expect(sub.ended()).toBe(false);
    } finally {
      sub.close();
    }
  });
});
