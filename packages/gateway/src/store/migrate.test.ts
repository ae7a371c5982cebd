import { appendFile, cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openPostgres } from "./db.js";
import { defaultMigrationsDir, migrate, readMigrations } from "./migrate.js";
import { backends, openTestDatabase } from "./test-backends.js";

describe.each(backends)("migrations on %s", (backend) => {
  it("apply once, are recorded, and are a no-op the second time", async () => {
    const t = await openTestDatabase(backend, { migrate: false });
    try {
      const all = (await readMigrations()).map((m) => m.name);
      expect(await migrate(t.db)).toEqual(all);
      expect(await migrate(t.db)).toEqual([]);
      const rows = await t.db.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY version");
      expect(rows.map((r) => r.name)).toEqual(all);
    } finally {
      await t.close();
    }
  });

  it("refuse an applied migration whose file changed, and apply a new one", async () => {
    const t = await openTestDatabase(backend, { migrate: false });
    const dir = await mkdtemp(join(tmpdir(), "pingyi-mig-"));
    try {
      await cp(defaultMigrationsDir, dir, { recursive: true });
      await migrate(t.db, dir);
      await writeFile(join(dir, "999_extra.sql"), "CREATE TABLE extra_thing (id int);");
      expect(await migrate(t.db, dir)).toEqual(["999_extra"]);
      await appendFile(join(dir, "001_init.sql"), "\n-- edited\n");
      await expect(migrate(t.db, dir)).rejects.toThrow(/changed after it was applied/);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await t.close();
    }
  });

  it("refuse a database with migrations the code does not know, changing nothing", async () => {
    // What a gateway rolled back after an upgrade finds: the newer version's migrations applied.
    const t = await openTestDatabase(backend, { migrate: false });
    const dir = await mkdtemp(join(tmpdir(), "pingyi-mig-"));
    try {
      await cp(defaultMigrationsDir, dir, { recursive: true });
      await writeFile(join(dir, "998_newer.sql"), "CREATE TABLE newer_thing (id int);");
      await migrate(t.db, dir);
      await t.db.query(
        "INSERT INTO schema_migrations (version, name, checksum) VALUES (99, '099_later', 'x')",
      );
      // The older code also brings a migration the database lacks: it must not be applied.
      await rm(join(dir, "998_newer.sql"));
      await writeFile(join(dir, "997_older.sql"), "CREATE TABLE older_thing (id int);");
      const err = await migrate(t.db, dir).then(
        () => expect.unreachable("the newer database was accepted"),
        (e: Error) => e,
      );
      expect(err.message).toMatch(/099_later, 998_newer/);
      expect(err.message).toMatch(/older than the database/);
      expect(err.message).toMatch(/nothing was changed/i);
      const tables = await t.db.query<{ n: string }>(
        "SELECT count(*)::text AS n FROM information_schema.tables WHERE table_name = 'older_thing'",
      );
      expect(tables[0]!.n).toBe("0");
    } finally {
      await rm(dir, { recursive: true, force: true });
      await t.close();
    }
  });
});

// Several gateway processes may start at once against one server; PGlite has one process by design.
if (backends.includes("postgres")) {
  it("migrations on postgres serialise concurrent starts with an advisory lock", async () => {
    const t = await openTestDatabase("postgres", { migrate: false });
    const others = await Promise.all([1, 2, 3].map(() => openPostgres(t.url!)));
    try {
      const results = await Promise.all([t.db, ...others].map((db) => migrate(db)));
      // Exactly one process applied the migrations; the others found them applied.
      expect(results.filter((r) => r.length > 0)).toHaveLength(1);
    } finally {
      await Promise.all(others.map((db) => db.close()));
      await t.close();
    }
  });
}
