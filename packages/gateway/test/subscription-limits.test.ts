import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, type Subscription, startTestServer, type TestServer } from "./helpers.js";

const ranking = (cycleId: string) => `subscription { rankingUpdated(cycleId: "${cycleId}") { reason } }`;

/** Whether a stream was refused: its one event is the error, and the server ends it. */
const refusedWith = async (sub: Subscription) => {
  const event = await sub.next(5000);
  expect(event?.data ?? null).toBeNull();
  await sub.next(1000);
  expect(sub.ended()).toBe(true);
  return event?.errors?.[0];
};
/** Whether a stream is held open: no event, and not ended. */
const heldOpen = async (sub: Subscription) => {
  expect(await sub.next(300)).toBeUndefined();
  expect(sub.ended()).toBe(false);
};

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  let open: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      backend,
      env: { PINGYI_MAX_STREAMS_PER_SUBJECT: "2", PINGYI_MAX_STREAMS_PER_CLIENT: "3" },
    });
    open = await startTestServer({
      backend,
      env: { PINGYI_PUBLIC_RANKINGS: "true", PINGYI_MAX_STREAMS_PER_CLIENT: "2" },
    });
  });
  afterAll(async () => {
    await t?.close();
    await open?.close();
  });

  it("refuses a subscription to a cycle that does not exist, as other fields refuse it", async () => {
    const viewer = await t.subscribe(ranking("nonexistent-cycle"), "viewer");
    const anonymous = await open.subscribe(ranking("nonexistent-cycle"), { token: null });
    try {
      for (const sub of [viewer, anonymous])
        expect(await refusedWith(sub)).toMatchObject({
          message: "cycle 'nonexistent-cycle' not found",
          extensions: { code: "NOT_FOUND" },
        });
    } finally {
      viewer.close();
      anonymous.close();
    }
  });

  it("holds at most PINGYI_MAX_STREAMS_PER_SUBJECT streams of one subject and PINGYI_MAX_STREAMS_PER_CLIENT of one address", async () => {
    const subs: Subscription[] = [];
    const subscribe = async (role: "viewer" | "analyst" | "admin") => {
      const sub = await t.subscribe(ranking("2019"), role);
      subs.push(sub);
      return sub;
    };
    try {
      await heldOpen(await subscribe("viewer"));
      const second = await subscribe("viewer");
      await heldOpen(second);
      expect(await refusedWith(await subscribe("viewer"))).toMatchObject({
        message: expect.stringMatching(
          /^this token's subject already has .*\(PINGYI_MAX_STREAMS_PER_SUBJECT\)/,
        ),
        extensions: { code: "RATE_LIMITED" },
      });
      // Another subject from the same address takes the address's third place, and no more.
      await heldOpen(await subscribe("analyst"));
      expect(await refusedWith(await subscribe("admin"))).toMatchObject({
        message: expect.stringMatching(
          /^this client address already has .*\(PINGYI_MAX_STREAMS_PER_CLIENT\)/,
        ),
        extensions: { code: "RATE_LIMITED" },
      });
      // A stream the client closes gives its place back.
      second.close();
      await new Promise((r) => setTimeout(r, 300));
      const again = await subscribe("viewer");
      await heldOpen(again);
      // The streams held open still hear of writes.
      const write = await t.gql(
        `mutation { upsertUnit(cycleId: "2019", input: { id: "U01", name: "市公安局 limits", group: "law-enforcement" }) { __typename } }`,
        {},
        { as: "admin" },
      );
      expect(write.body.data.upsertUnit).toEqual({ __typename: "Unit" });
      expect((await again.next())?.data.rankingUpdated).toEqual({ reason: "unit" });
    } finally {
      for (const sub of subs) sub.close();
    }
  });

  it("counts anonymous streams of public rankings by address", async () => {
    const subs: Subscription[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        subs.push(await open.subscribe(ranking("2019"), { token: null }));
        await heldOpen(subs.at(-1)!);
      }
      subs.push(await open.subscribe(ranking("2019"), { token: null }));
      expect(await refusedWith(subs.at(-1)!)).toMatchObject({ extensions: { code: "RATE_LIMITED" } });
    } finally {
      for (const sub of subs) sub.close();
    }
  });
});
