import { describe, expect, it } from "vitest";
import { openConfiguredStore } from "../src/startup.js";
import { openPostgres } from "../src/store/index.js";
import { createPostgresDatabase } from "../src/store/test-backends.js";
import { dumpTables } from "./move-source.js";

/**
 * DATABASE_URL naming another application's database (a mistyped database name, the city's
 * HR system): the gateway made its fifteen tables, functions and triggers among that
 * application's, and served an empty Pingyi from it.
 */
describe.skipIf(!process.env.PINGYI_TEST_DATABASE_URL)(
  "a gateway started on another application's database",
  () => {
    it("is refused, naming its tables, and writes nothing there", async () => {
      const { url, drop } = await createPostgresDatabase();
      const other = await openPostgres(url, { max: 1 });
      try {
        await other.exec(`
        CREATE TABLE invoices (id integer PRIMARY KEY, amount numeric);
        INSERT INTO invoices VALUES (1, 12.50);
        CREATE TABLE payees (id integer PRIMARY KEY);`);
        const held = await dumpTables(other);
        const refused = await openConfiguredStore({ DATABASE_URL: url, PINGYI_DATA_DIR: "unused" }).then(
          async (store) => {
            await store.close();
            return "started";
          },
          (err: Error) => err.message,
        );
        expect(refused).toContain(
          `the PostgreSQL database in DATABASE_URL (${url}) holds tables that are not Pingyi's (invoices, payees) and none of Pingyi's`,
        );
        expect(refused).toContain("Give the gateway a database of its own");
        expect(await dumpTables(other)).toEqual(held);
        // A schema of its own in that database: started there, its tables made there.
        await other.exec(`CREATE SCHEMA pingyi`);
        const inSchema = new URL(url);
        inSchema.searchParams.set("options", "-c search_path=pingyi");
        const store = await openConfiguredStore({
          DATABASE_URL: inSchema.toString(),
          PINGYI_DATA_DIR: "unused",
        });
        await store.close();
        const [made] = await other.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'pingyi'",
        );
        expect(made?.n).toBeGreaterThan(10);
        expect(await dumpTables(other)).toEqual(held);
      } finally {
        await other.close();
        await drop();
      }
    }, 60_000);
  },
);
