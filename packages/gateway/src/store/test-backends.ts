/**
 * Test helper: the backends every store test runs against. PGlite (in memory) always; a
 * PostgreSQL server too when PINGYI_TEST_DATABASE_URL is set (`node scripts/test.mjs` starts a
 * throwaway one). Each open() on PostgreSQL creates a fresh database and drops it on close.
 */
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { type Db, openPglite, openPostgres } from "./db.js";
import { Store } from "./index.js";
import { migrate } from "./migrate.js";
import { openerFromImage } from "./test-pglite-image.js";

export type BackendName = "pglite" | "postgres";

export const backends: BackendName[] = process.env.PINGYI_TEST_DATABASE_URL
  ? ["pglite", "postgres"]
  : ["pglite"];

export interface TestDatabase {
  backend: BackendName;
  /** Raw handle (driver errors are not mapped). */
  db: Db;
  store: Store;
  /** PostgreSQL only: the URL of this test's database, for extra connections or child processes. */
  url?: string;
  close(): Promise<void>;
}

/**
 * Creates an empty database on the test server; returns its URL and a function that drops it.
 * `encoding` makes it store text in another encoding than the server's UTF-8 (SQL_ASCII,
 * LATIN1): from template0, whose text no other encoding's would mismatch, under the C locale
 * of libc, which takes any encoding whatever locale the server was made with.
 */
export async function createPostgresDatabase(
  options: { encoding?: string } = {},
): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.PINGYI_TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("PINGYI_TEST_DATABASE_URL is not set");
  const name = `pingyi_t_${randomBytes(6).toString("hex")}`;
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(
      options.encoding
        ? `CREATE DATABASE ${name} ENCODING '${options.encoding}' LOCALE_PROVIDER libc LOCALE 'C' TEMPLATE template0`
        : `CREATE DATABASE ${name}`,
    );
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const { default: pg } = await import("pg");
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * A new in-memory PGlite database with every migration applied, as `openPglite("memory://")`
 * and `migrate` make one, opened from an image of one made so (test-pglite-image.ts): PGlite
 * makes a new database by running initdb, seconds of CPU, which every test file paid at least
 * once. The image is taken once per run by the global setup of the projects that open these
 * (the gateway's and the console's, test/global-setup.ts); without it, once per worker: test
 * files share a worker's modules (vitest.config.ts, `sharedModules`).
 */
export const openMigratedPglite = openerFromImage(migrate, () => inject("migratedPglite"));

export async function openTestDatabase(
  backend: BackendName,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  let db: Db;
  let url: string | undefined;
  let drop = async () => {};
  if (backend === "pglite") {
    db = options.migrate === false ? await openPglite("memory://") : await openMigratedPglite();
  } else {
    const created = await createPostgresDatabase();
    url = created.url;
    drop = created.drop;
    db = await openPostgres(url);
  }
  if (options.migrate !== false) await migrate(db);
  return {
    backend,
    db,
    store: new Store(db),
    ...(url ? { url } : {}),
    async close() {
      await db.close();
      await drop();
    },
  };
}

let seq = 0;
/** A unique id per call, so tests sharing one database never collide. */
export const uid = (prefix: string) => `${prefix}-${++seq}-${randomBytes(3).toString("hex")}`;

/**
 * Publishes a scheme and creates an open cycle with units u1..uN in groups g1/g2; returns the cycle id.
 */
export async function seedCycle(store: Store, units = 3, actor = "tester"): Promise<string> {
  const schemeId = uid("scheme");
  await store.schemes.publish(actor, {
    schemeId,
    document: { name: schemeId },
    reason: "test",
    basedOn: null,
  });
  const cycleId = uid("cycle");
  await store.cycles.create(actor, {
    id: cycleId,
    year: 2024,
    name: `Cycle ${cycleId}`,
    schemeId,
    schemeVersion: 1,
  });
  for (let i = 1; i <= units; i++) {
    await store.units.upsert(actor, cycleId, { id: `u${i}`, name: `单位${i}`, group: i % 2 ? "g1" : "g2" });
  }
  return cycleId;
}
