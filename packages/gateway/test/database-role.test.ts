import { randomBytes } from "node:crypto";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConfiguredStore } from "../src/startup.js";
import { type Db, migrate, openPostgres, Store } from "../src/store/index.js";
import { defaultMigrationsDir, readMigrations } from "../src/store/migrate.js";
import { createPostgresDatabase } from "../src/store/test-backends.js";

/**
 * A gateway whose role may read and write the tables but not change them (they belong to the
 * database's owner, who migrates on upgrades): a start with nothing to migrate asks for no more.
 */
describe.skipIf(!process.env.PINGYI_TEST_DATABASE_URL)("a gateway role that may only read and write", () => {
  const role = `pingyi_rw_${randomBytes(4).toString("hex")}`;
  let database: { url: string; drop(): Promise<void> };
  let owner: Db;
  let asRole: string;
  beforeAll(async () => {
    database = await createPostgresDatabase();
    owner = await openPostgres(database.url);
    await migrate(owner);
    await owner.query(`CREATE ROLE ${role} LOGIN`);
    // PostgreSQL 15 gives no one but the owner CREATE in public; older ones give it to everyone.
    await owner.query("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await owner.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    const url = new URL(database.url);
    url.username = role;
    asRole = url.toString();
  }, 60_000);
  afterAll(async () => {
    await owner?.close();
    await database?.drop();
    const admin = await openPostgres(process.env.PINGYI_TEST_DATABASE_URL!);
    try {
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
    } finally {
      await admin.close();
    }
  });

  const config = () => ({ DATABASE_URL: asRole, PINGYI_DATA_DIR: "unused" });
  /** "started" (the store closed again), or why the start was refused. */
  const startOutcome = (url = asRole) =>
    openConfiguredStore({ DATABASE_URL: url, PINGYI_DATA_DIR: "unused" }).then(
      async (store) => {
        await store.close();
        return "started";
      },
      (err: Error) => err.message,
    );

  it("starts on a database at this release's migrations", async () => {
    const store = await openConfiguredStore(config());
    try {
      expect(await store.cycles.list()).toEqual([]);
    } finally {
      await store.close();
    }
  }, 60_000);

  it("is told, without the grants, that it lacks them, not to migrate as the owner", async () => {
    const bare = `pingyi_bare_${randomBytes(4).toString("hex")}`;
    await owner.query(`CREATE ROLE ${bare} LOGIN`);
    try {
      const url = new URL(database.url);
      url.username = bare;
      const refused = await startOutcome(url.toString());
      expect(refused).toContain(
        `opened, but the user ${bare} may not read its tables: permission denied for table schema_migrations. It lacks the grants a gateway's role needs; as the tables' owner, run GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${bare}; GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${bare};`,
      );
      expect(refused).toContain("docs/operators.md");
      // Nothing to migrate: the owner's start would change nothing.
      expect(refused).not.toContain("migrated");
    } finally {
      await owner.query(`DROP ROLE ${bare}`);
    }
  }, 60_000);

  it("is refused, naming the table and the GRANT, without the grants on one of the tables", async () => {
    // As a table made by an upgrade after the grants were given: ON ALL TABLES did not cover it.
    await owner.query(`REVOKE ALL ON scheme_version_withdrawals, scenarios FROM ${role}`);
    await owner.query(`GRANT SELECT ON scenarios TO ${role}`);
    try {
      const refused = await startOutcome();
      expect(refused).toContain(
        `opened, but the user ${role} lacks privileges a gateway's role needs on the tables scenarios (INSERT, UPDATE, DELETE), scheme_version_withdrawals (SELECT, INSERT, UPDATE, DELETE): `,
      );
      expect(refused).toContain(
        `As the tables' owner, run GRANT SELECT, INSERT, UPDATE, DELETE ON public.scenarios, public.scheme_version_withdrawals TO ${role}; (docs/operators.md, PostgreSQL). Nothing was written`,
      );
    } finally {
      await owner.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON scheme_version_withdrawals, scenarios TO ${role}`,
      );
    }
    const store = await openConfiguredStore(config());
    await store.close();
  }, 60_000);

  it("keeps reading and writing scheme versions after an upgrade that made scheme_version_withdrawals (010)", async () => {
    // The owner migrates to 009 and grants as operators.md says; an upgrade then applies 010 onwards.
    const upgraded = await createPostgresDatabase();
    const dir = await mkdtemp(join(tmpdir(), "pingyi-mig-"));
    const upgradedOwner = await openPostgres(upgraded.url);
    try {
      await cp(defaultMigrationsDir, dir, {
        recursive: true,
        filter: (f) => !/\/(0[1-9]\d|1\d\d)_[^/]*$/.test(f),
      });
      expect((await migrate(upgradedOwner, dir)).at(-1)).toBe("009_audit_reasons");
      await upgradedOwner.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
      );
      await upgradedOwner.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
      expect(await migrate(upgradedOwner)).toContain("010_scheme_withdrawals");
      const owners = new Store(upgradedOwner);
      await owners.schemes.publish("owner", {
        schemeId: "s",
        basedOn: null,
        document: { v: 1 },
        reason: "first",
      });
      await owners.schemes.publish("owner", {
        schemeId: "s",
        basedOn: 1,
        document: { v: 2 },
        reason: "second",
      });
      const url = new URL(upgraded.url);
      url.username = role;
      const store = await openConfiguredStore({ DATABASE_URL: url.toString(), PINGYI_DATA_DIR: "unused" });
      try {
        expect((await store.schemes.list()).map((s) => [s.schemeId, s.latestVersion])).toEqual([["s", 2]]);
        expect((await store.schemes.get("s", 1)).document).toEqual({ v: 1 });
        await store.schemes.withdraw("admin", { schemeId: "s", version: 1, reason: "a wrong value" });
        expect((await store.schemes.get("s", 1)).withdrawn?.reason).toBe("a wrong value");
      } finally {
        await store.close();
      }
    } finally {
      await upgradedOwner.close();
      await upgraded.drop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("is told, when a migration is due, to start this release first as the tables' owner", async () => {
    const newest = (await readMigrations()).at(-1)!;
    const applied = await owner.query<{ checksum: string }>(
      "SELECT checksum FROM schema_migrations WHERE version = $1",
      [newest.version],
    );
    // As this database was before the newest migration: pending, and for its owner to apply.
    await owner.query("DELETE FROM schema_migrations WHERE version = $1", [newest.version]);
    try {
      const refused = await startOutcome();
      expect(refused).toContain(`(postgres://${role}@`);
      // In PostgreSQL's words for what the newest migration does: alter a table, or make one.
      expect(refused).toMatch(
        /its tables could not be migrated to this release: (must be owner of table|permission denied for schema)/,
      );
      expect(refused).toContain(
        `The user ${role} may not change the tables: start this release once as the role that owns them`,
      );
    } finally {
      await owner.query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", [
        newest.version,
        newest.name,
        applied[0]!.checksum,
      ]);
    }
  }, 60_000);
});
