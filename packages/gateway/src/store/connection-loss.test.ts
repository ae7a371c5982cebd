import { expect, it } from "vitest";
import { openPostgres } from "./db.js";
import { mapDbError, UnavailableError } from "./errors.js";
import { backends, openTestDatabase } from "./test-backends.js";

// A PostgreSQL restart, a failover or an operator's pg_terminate_backend while a write's
// transaction holds a connection; PGlite lives in the process and cannot lose one.
if (backends.includes("postgres")) {
  it("survives losing the connection mid-transaction: the write fails as UNAVAILABLE, the next one reconnects", async () => {
    const t = await openTestDatabase("postgres", { migrate: false });
    const operator = await openPostgres(t.url!, { max: 1 });
    try {
      const failed = await t.db
        .transaction(async (tx) => {
          const pid = (await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid"))[0]!.pid;
          await operator.query("SELECT pg_terminate_backend($1)", [pid]);
          // The server closes the socket: pg emits 'error' on the checked-out client, which
          // nothing heard before, and the process ended with an unhandled 'error' event.
          await new Promise((r) => setTimeout(r, 200));
          await tx.query("SELECT 1");
        })
        .then(
          () => null,
          (err: unknown) => err,
        );
      expect(failed).not.toBeNull();
      expect(mapDbError(failed)).toBeInstanceOf(UnavailableError);
      // The broken connection was not handed back: the pool opens a new one.
      expect(await t.db.query<{ one: number }>("SELECT 1 AS one")).toEqual([{ one: 1 }]);
      expect(await t.db.transaction((tx) => tx.query<{ one: number }>("SELECT 1 AS one"))).toEqual([
        { one: 1 },
      ]);
    } finally {
      await operator.close();
      await t.close();
    }
  });
}
