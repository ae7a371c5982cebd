import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RankingEvent } from "../src/context.js";
import { startServer } from "../src/index.js";
import { createLogger } from "../src/logger.js";
import { announce, createNotifier, reconnectDelay } from "../src/pubsub.js";
import { openPostgres } from "../src/store/index.js";
import { openTestDatabase, type TestDatabase } from "../src/store/test-backends.js";
import { startTestServer, type TestServer, testConfig } from "./helpers.js";

/**
 * A PostgreSQL restart ends the LISTEN connection. It used to stay ended: /ready recovered and
 * queries worked, but no write reached the subscribers of another process again.
 */

const HAS_POSTGRES = Boolean(process.env.PINGYI_TEST_DATABASE_URL);

/** Ends this database's LISTEN connections, as a server restart does; returns how many. */
async function terminateListeners(db: { query: TestDatabase["db"]["query"] }): Promise<number> {
  const rows = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
  );
  for (const { pid } of rows) await db.query("SELECT pg_terminate_backend($1)", [pid]);
  return rows.length;
}

const within = <T>(promise: Promise<T>, ms: number): Promise<T | "timed out"> =>
  Promise.race([promise, new Promise<"timed out">((r) => setTimeout(() => r("timed out"), ms))]);

describe("reconnectDelay", () => {
  it("doubles from the first delay and stays at the bound", () => {
    const middle = () => 0.5;
    const delays = [0, 1, 2, 3, 4, 10, 60].map((n) => reconnectDelay(n, 250, 2000, middle));
    expect(delays).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000]);
  });

  it("spreads gateways restarted together, never past the bound", () => {
    expect(reconnectDelay(0, 1000, 8000, () => 0)).toBe(800);
    expect(reconnectDelay(0, 1000, 8000, () => 0.999)).toBeLessThanOrEqual(1200);
    expect(reconnectDelay(30, 1000, 8000, () => 0.999)).toBe(8000);
  });
});

describe.skipIf(!HAS_POSTGRES)("the notification listener after its connection ends", () => {
  it("reconnects, logs the outage once, and sends each subscribed cycle a fresh event", async () => {
    const t = await openTestDatabase("postgres");
    const name = new URL(t.url!).pathname.slice(1);
    const admin = await openPostgres(process.env.PINGYI_TEST_DATABASE_URL!, { max: 1 });
    // Opened before the outage: new connections to the database are refused during it.
    const other = await openPostgres(t.url!, { max: 1 });
    const lines: { level: string; msg: string; attempts?: number; cycles?: number }[] = [];
    const logger = createLogger("debug", (l) => lines.push(JSON.parse(l)));
    const notifier = await createNotifier(t.store, t.url, logger, { minDelayMs: 100, maxDelayMs: 400 });
    const subscribed = notifier.pubsub.subscribe("rankingUpdated", "c1")[Symbol.asyncIterator]();
    const unsubscribed = notifier.pubsub.subscribe("rankingUpdated", "c2")[Symbol.asyncIterator]();
    const next = (ms = 10_000) =>
      within(
        subscribed.next().then((r) => r.value as RankingEvent),
        ms,
      );
    try {
      // The subscription starts listening at its first read.
      let pending = next();
      await new Promise((r) => setTimeout(r, 50));
      await announce(other, { cycleId: "c1", reason: "score" });
      expect(await pending).toEqual({ cycleId: "c1", reason: "score" });
      // Registered, then ended: a cycle nobody subscribes to any more is not sent a resync.
      const gone = unsubscribed.next();
      await new Promise((r) => setTimeout(r, 50));
      await unsubscribed.return?.();
      await gone;

      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      expect(await terminateListeners(other)).toBe(1);
      pending = next();
      // Several attempts fail while the database refuses connections.
      for (let i = 0; i < 100 && lines.filter((l) => l.level === "debug").length < 3; i++)
        await new Promise((r) => setTimeout(r, 50));
      // Missed by the listener: the resync event stands for it.
      await announce(other, { cycleId: "c1", reason: "finding" });
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);

      expect(await pending).toEqual({ cycleId: "c1", reason: "resync" });
      const warnings = lines.filter((l) => l.level === "warn");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.msg).toMatch(/notification listener lost its connection/);
      const failed = lines.filter((l) => l.level === "debug" && /could not reconnect/.test(l.msg));
      expect(failed.length).toBeGreaterThanOrEqual(3);
      const restored = lines.filter((l) => l.level === "info");
      expect(restored).toHaveLength(1);
      expect(restored[0]).toMatchObject({ attempts: failed.length + 1, cycles: 1 });

      // Listening again: a write made now arrives as itself.
      pending = next();
      await announce(other, { cycleId: "c1", reason: "unit" });
      expect(await pending).toEqual({ cycleId: "c1", reason: "unit" });
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await subscribed.return?.();
      await notifier.close();
      await other.close();
      await admin.close();
      await t.close();
    }
  });

  it("stops reconnecting when closed", async () => {
    const t = await openTestDatabase("postgres");
    const other = await openPostgres(t.url!, { max: 1 });
    const lines: { level: string; msg: string }[] = [];
    const logger = createLogger("debug", (l) => lines.push(JSON.parse(l)));
    const notifier = await createNotifier(t.store, t.url, logger, { minDelayMs: 300, maxDelayMs: 300 });
    try {
      expect(await terminateListeners(other)).toBe(1);
      for (let i = 0; i < 100 && !lines.some((l) => l.level === "warn"); i++)
        await new Promise((r) => setTimeout(r, 20));
      await notifier.close();
      await new Promise((r) => setTimeout(r, 800));
      expect(lines.filter((l) => l.level !== "warn")).toEqual([]);
      // This database's listeners only: other test files' gateways listen on the same server.
      const rows = await other.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'",
      );
      expect(rows).toEqual([]);
    } finally {
      await other.close();
      await t.close();
    }
  });
});

// What the operator saw: after `pg_ctl stop` / `start`, a write on one gateway reached no
// subscriber on another.
describe.skipIf(!HAS_POSTGRES)("two gateways on one PostgreSQL database", () => {
  let t: TestServer;
  let second: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    t = await startTestServer({ backend: "postgres" });
    second = await startServer({
      config: testConfig({ DATABASE_URL: t.gateway.services.config.DATABASE_URL! }),
      seed: false,
    });
  });
  afterAll(async () => {
    await second?.close(2000);
    await t?.close();
  });

  /** An upsertUnit sent to the second gateway. */
  const upsertUnit = async (id: string) => {
    const res = await fetch(`${second.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await t.token("admin")}` },
      body: JSON.stringify({
        query: `mutation { upsertUnit(cycleId: "2019", input: { id: "${id}", name: "${id}", group: "law-enforcement" }) { __typename } }`,
      }),
    });
    expect((await res.json()).data.upsertUnit).toEqual({ __typename: "Unit" });
  };

  it("a write on one still reaches subscribers on the other once the listeners' connections end", async () => {
    const sub = await t.subscribe(
      `subscription { rankingUpdated(cycleId: "2019") { cycleId reason ranking { entries(first: 100) { edges { node { unitId } } } } } }`,
      "viewer",
    );
    try {
      await upsertUnit("reconnect-before");
      expect((await sub.next())?.data.rankingUpdated).toMatchObject({ reason: "unit" });

      expect(await terminateListeners(t.db)).toBe(2);
      // Sent after this gateway listens again, with the ranking as it is then.
      const resync = (await sub.next())?.data.rankingUpdated;
      expect(resync).toMatchObject({ cycleId: "2019", reason: "resync" });
      const units = resync.ranking.entries.edges.map((e: any) => e.node.unitId);
      expect(units).toContain("reconnect-before");

      await upsertUnit("reconnect-after");
      const after = (await sub.next())?.data.rankingUpdated;
      expect(after).toMatchObject({ cycleId: "2019", reason: "unit" });
      expect(after.ranking.entries.edges.map((e: any) => e.node.unitId)).toContain("reconnect-after");
    } finally {
      sub.close();
    }
  }, 60_000);
});
