import { appendFile, cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openPostgres } from "./db.js";
import { Store } from "./index.js";
import { defaultMigrationsDir, migrate, pendingMigrations, readMigrations } from "./migrate.js";
import { backends, openTestDatabase, type TestDatabase } from "./test-backends.js";
import { openerFromImage } from "./test-pglite-image.js";

/** A new embedded database from an image of one as initdb left it: initdb costs seconds of CPU each time. */
const emptyPglite = openerFromImage();

describe.each(backends)("migrations on %s", (backend) => {
  /** A new database without tables, as openTestDatabase gives one. */
  const newDatabase = async (): Promise<TestDatabase> => {
    if (backend !== "pglite") return openTestDatabase(backend, { migrate: false });
    const db = await emptyPglite();
    return { backend, db, store: new Store(db), close: () => db.close() };
  };
  it("apply once, are recorded, and are a no-op the second time", async () => {
    const t = await newDatabase();
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

  it("say which would apply, without applying them", async () => {
    const t = await newDatabase();
    const dir = await mkdtemp(join(tmpdir(), "pingyi-mig-"));
    try {
      const all = (await readMigrations()).map((m) => m.name);
      expect(await pendingMigrations(t.db)).toEqual(all);
      const empty = await t.db.query(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()",
      );
      expect(empty).toEqual([]);
      await cp(defaultMigrationsDir, dir, {
        recursive: true,
        filter: (f) => !f.endsWith(`${all.at(-1)}.sql`),
      });
      await migrate(t.db, dir);
      expect(await pendingMigrations(t.db)).toEqual([all.at(-1)]);
      // Asking applied nothing.
      expect(await pendingMigrations(t.db)).toEqual([all.at(-1)]);
      await migrate(t.db);
      expect(await pendingMigrations(t.db)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await t.close();
    }
  });

  it("refuse an applied migration whose file changed, and apply a new one", async () => {
    const t = await newDatabase();
    const dir = await mkdtemp(join(tmpdir(), "pingyi-mig-"));
    try {
      await cp(defaultMigrationsDir, dir, { recursive: true });
      await migrate(t.db, dir);
      await writeFile(join(dir, "999_extra.sql"), "CREATE TABLE extra_thing (id int);");
      expect(await migrate(t.db, dir)).toEqual(["999_extra"]);
      await appendFile(join(dir, "001_init.sql"), "\n-- edited\n");
      await expect(migrate(t.db, dir)).rejects.toThrow(/changed after it was applied/);
      await expect(pendingMigrations(t.db, dir)).rejects.toThrow(/changed after it was applied/);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await t.close();
    }
  });

  it("008 keeps every stored scheme document and scenario patch, and stores new ones as written", async () => {
    // A database at 007 with a version and a scenario stored as jsonb: their keys already sorted.
    const t = await newDatabase();
    const dir = await mkdtemp(join(tmpdir(), "pingyi-mig-"));
    try {
      // 007 and no further: a later migration applied before 008 would be no database there ever was.
      await cp(defaultMigrationsDir, dir, {
        recursive: true,
        filter: (f) => !/\/(0(0[89]|[1-9]\d)|[1-9]\d\d)_[^/]*$/.test(f),
      });
      await migrate(t.db, dir);
      expect(
        (await t.db.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY version")).at(-1)
          ?.name,
      ).toBe("007_previous_cycle");
      const document = {
        id: "s",
        options: { satisfied: "1", "basically-satisfied": "0.8", "dont-know": null },
      };
      const patch = { patch: { categories: { public: { points: 50 }, organ: { points: 20 } } } };
      await t.db.query(
        `INSERT INTO scheme_versions (scheme_id, version, document, author, reason) VALUES ('s', 1, $1::jsonb, 'a', 'r')`,
        [JSON.stringify(document)],
      );
      await t.db.query(
        `INSERT INTO cycles (id, year, name, scheme_id, scheme_version) VALUES ('c', 2030, 'c', 's', 1)`,
      );
      await t.db.query(
        `INSERT INTO scenarios (id, cycle_id, owner, name, patch) VALUES ('x', 'c', 'a', 'n', $1::jsonb)`,
        [JSON.stringify(patch)],
      );
      // 008 first, then whatever came after it.
      expect((await migrate(t.db))[0]).toBe("008_documents_keep_key_order");
      const [version] = await t.db.query<{ document: unknown }>("SELECT document FROM scheme_versions");
      const [scenario] = await t.db.query<{ patch: unknown }>("SELECT patch FROM scenarios");
      expect(version!.document).toEqual(document);
      expect(scenario!.patch).toEqual(patch);
      // Stored before, sorted by jsonb (shorter keys first); a new row keeps its order.
      expect(Object.keys((version!.document as typeof document).options)).toEqual([
        "dont-know",
        "satisfied",
        "basically-satisfied",
      ]);
      await t.db.query(
        `INSERT INTO scheme_versions (scheme_id, version, document, author, reason, based_on) VALUES ('s', 2, $1::json, 'a', 'r', 1)`,
        [JSON.stringify(document)],
      );
      const [v2] = await t.db.query<{ document: typeof document }>(
        "SELECT document FROM scheme_versions WHERE version = 2",
      );
      expect(Object.keys(v2!.document.options)).toEqual(["satisfied", "basically-satisfied", "dont-know"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await t.close();
    }
  });

  it("010 keeps every stored version, all usable, and keeps a withdrawal for good", async () => {
    // A database at 009 holding a scheme's versions and a cycle on one of them.
    const t = await newDatabase();
    const dir = await mkdtemp(join(tmpdir(), "pingyi-mig-"));
    try {
      await cp(defaultMigrationsDir, dir, {
        recursive: true,
        filter: (f) => !/\/(0[1-9]\d|[1-9]\d\d)_[^/]*$/.test(f),
      });
      await migrate(t.db, dir);
      const applied = await t.db.query<{ name: string }>(
        "SELECT name FROM schema_migrations ORDER BY version",
      );
      expect(applied.at(-1)?.name).toBe("009_audit_reasons");
      for (const version of [1, 2, 3])
        await t.db.query(
          `INSERT INTO scheme_versions (scheme_id, version, document, author, reason, based_on)
           VALUES ('s', $1, $2::json, 'a', $3, $4)`,
          [version, JSON.stringify({ id: "s", version }), `v${version}`, version === 1 ? null : version - 1],
        );
      await t.db.query(
        `INSERT INTO cycles (id, year, name, scheme_id, scheme_version) VALUES ('c', 2030, 'c', 's', 2)`,
      );
      const before = await t.db.query("SELECT * FROM scheme_versions ORDER BY version");
      // 010 first, then whatever came after it.
      expect((await migrate(t.db))[0]).toBe("010_scheme_withdrawals");
      expect(await t.db.query("SELECT * FROM scheme_versions ORDER BY version")).toEqual(before);
      const versions = await t.store.schemes.versions("s");
      expect(versions.map((v) => [v.version, v.reason, v.withdrawn])).toEqual([
        [1, "v1", null],
        [2, "v2", null],
        [3, "v3", null],
      ]);
      expect(await t.store.schemes.list()).toMatchObject([
        { schemeId: "s", latestVersion: 3, latestUsableVersion: 3 },
      ]);
      // Withdrawn, the version is still read as it was; the withdrawal is never changed or taken back.
      const withdrawn = await t.store.schemes.withdraw("admin", {
        schemeId: "s",
        version: 3,
        reason: "wrong",
      });
      expect(withdrawn).toMatchObject({
        version: 3,
        document: { id: "s", version: 3 },
        withdrawn: { by: "admin" },
      });
      expect(await t.store.schemes.list()).toMatchObject([{ latestVersion: 3, latestUsableVersion: 2 }]);
      for (const sql of [
        "UPDATE scheme_version_withdrawals SET withdrawn_reason = 'other'",
        "DELETE FROM scheme_version_withdrawals",
        "TRUNCATE scheme_version_withdrawals",
      ])
        await expect(t.db.query(sql)).rejects.toThrow(/append-only/);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await t.close();
    }
  });

  it("refuse a database with migrations the code does not know, changing nothing", async () => {
    // What a gateway rolled back after an upgrade finds: the newer version's migrations applied.
    const t = await newDatabase();
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
      // A dry run reading what would be applied refuses it alike.
      await expect(pendingMigrations(t.db, dir)).rejects.toThrow(err.message);
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
