import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpTables, fillMoveSource, ranking } from "../../test/move-source.js";
import { copyDatabase, SchemaMismatchError, TargetNotEmptyError, targetProblem } from "./copy-database.js";
import { type Db, openPostgres } from "./db.js";
import { CycleFinalisedError } from "./errors.js";
import { Store } from "./index.js";
import { defaultMigrationsDir, migrate, readMigrations } from "./migrate.js";
import { backends, createPostgresDatabase, openTestDatabase, type TestDatabase } from "./test-backends.js";
import { openerFromImage } from "./test-pglite-image.js";

/** Empty embedded databases, and ones a gateway has made its tables in: from images, not initdb. */
const emptyPglite = openerFromImage();
const madePglite = openerFromImage((db) => migrate(db));

/**
 * The source every test copies from, built once for the whole file: the moves only read it, in a
 * read-only transaction, and the example years take seconds of CPU to load.
 */
let source: Db;
let before: Record<string, string[]>;
beforeAll(async () => {
  source = await madePglite();
  await fillMoveSource(new Store(source));
  before = await dumpTables(source);
}, 180_000);
afterAll(async () => {
  await source?.close();
  await (await older)?.db.close();
});

/** The source's rankings, computed once: only the targets' are computed per copy. */
let sourceRankings: Promise<unknown[]> | undefined;
const rankingsOfSource = () => {
  sourceRankings ??= Promise.all(["2018", "2019"].map((cycle) => ranking(new Store(source), cycle)));
  return sourceRankings;
};

/** A target on the embedded database, as openTestDatabase gives one. */
const pgliteTarget = (db: Db): TestDatabase => ({
  backend: "pglite",
  db,
  store: new Store(db),
  close: () => db.close(),
});

describe.each(backends)("copying an embedded database to %s", (backend) => {
  const targets: TestDatabase[] = [];
  const track = (t: TestDatabase) => {
    targets.push(t);
    return t;
  };
  /** A new, empty target database. */
  const newTarget = async () => {
    if (backend !== "pglite") return track(await openTestDatabase(backend, { migrate: false }));
    return track(pgliteTarget(await emptyPglite()));
  };
  /** A new target a gateway has made its tables in (this release's migrations, no data). */
  const madeTarget = async () => {
    if (backend !== "pglite") {
      const t = await newTarget();
      await migrate(t.db);
      return t;
    }
    return track(pgliteTarget(await madePglite()));
  };
  afterAll(async () => {
    for (const t of targets) await t.close();
  });

  let target: TestDatabase;
  it("copies every table's rows, in an order their references allow, and the rankings with them", async () => {
    target = await newTarget();
    const told: string[] = [];
    // Small batches: the example's 8,650 survey forms take many.
    const result = await copyDatabase(source, target.db, {
      batchRows: 500,
      onTable: ({ table, rows }) => told.push(`${table} ${rows}`),
    });
    expect(result.migrated).toEqual((await readMigrations()).map((m) => m.name));
    const order = result.tables.map((t) => t.table);
    expect([...order].sort()).toEqual(Object.keys(before));
    expect(told).toEqual(result.tables.map((t) => `${t.table} ${t.rows}`));
    for (const { table, rows } of result.tables) expect(rows, table).toBe(before[table]!.length);
    // Every table the example and the additions fill, filled.
    expect(Object.entries(before).filter(([, rows]) => rows.length === 0)).toEqual([]);
    for (const [table, parent] of [
      ["units", "cycles"],
      ["units", "groups"],
      ["survey_forms", "imports"],
      ["cycles", "scheme_versions"],
    ] as const)
      expect(order.indexOf(table), `${table} after ${parent}`).toBeGreaterThan(order.indexOf(parent));

    expect(await dumpTables(target.db)).toEqual(before);
    const rankings = await rankingsOfSource();
    for (const [i, cycle] of ["2018", "2019"].entries())
      expect(await ranking(target.store, cycle), cycle).toEqual(rankings[i]);
    // The source as it was: read in a read-only transaction.
    expect(await dumpTables(source)).toEqual(before);
  });

  it("leaves the target as the gateway's own: ids go on, a finalised year stays frozen", async () => {
    const [last] = await source.query<{ id: string }>("SELECT max(id)::text AS id FROM audit_log");
    await target.store.scenarios.create("analyst", { cycleId: "2019", name: "after the move", patch: {} });
    const [next] = await target.db.query<{ id: string }>("SELECT max(id)::text AS id FROM audit_log");
    expect(BigInt(next!.id)).toBe(BigInt(last!.id) + 1n);
    await expect(
      target.store.records.putFinding("tester", "2018", {
        id: "late",
        unit: "U01",
        type: "unannounced-visit",
        level: "city",
      }),
    ).rejects.toBeInstanceOf(CycleFinalisedError);
    // A sub-unit's parent must still exist: the key dropped for the copy is back.
    await expect(
      target.db.query("DELETE FROM units WHERE cycle_id = '2020' AND id = 'mv-p'"),
    ).rejects.toThrow(/foreign key/);
  });

  it("refuses a target that holds data, naming it, and writes nothing", async () => {
    const held = await dumpTables(target.db);
    const refused = copyDatabase(source, target.db);
    await expect(refused).rejects.toBeInstanceOf(TargetNotEmptyError);
    await expect(refused).rejects.toThrow(
      /^the target already holds Pingyi data: .*audit_log \(\d+ rows\).*cycles \(3 rows\)/,
    );
    expect(await dumpTables(target.db)).toEqual(held);
  });

  // Two operators (or one, twice) moving into one new database at once: an empty database has no
  // tables to lock, and the second move once waited inside the migrations for the first's commit,
  // then emptied every table and filled them with its own rows; both said "moved".
  it.skipIf(backend !== "postgres")(
    "lets only one of two moves at once into an empty database in",
    async () => {
      const target = await newTarget();
      const second = await openPostgres(target.url!, { max: 1 });
      const small = await madePglite();
      try {
        let started!: () => void;
        const firstIsCopying = new Promise<void>((r) => {
          started = r;
        });
        const first = copyDatabase(source, target.db, { onTable: () => started() });
        await firstIsCopying;
        // Long enough for the first move on a loaded machine: the refusal tested is the data's.
        const late = await copyDatabase(small, second, { lockWaitMs: 120_000 }).then(
          () => null,
          (e: unknown) => e,
        );
        await first;
        expect(late).toBeInstanceOf(TargetNotEmptyError);
        expect(await dumpTables(target.db)).toEqual(before);
      } finally {
        await second.close();
        await small.close();
      }
    },
  );

  it.skipIf(backend !== "postgres")(
    "gives up waiting for a target another session holds, saying why",
    async () => {
      const held = await madeTarget();
      const other = await openPostgres(held.url!, { max: 1 });
      try {
        // A gateway's read in a transaction left open: the move must not queue behind it for good,
        // holding up every later session on those tables.
        await other.transaction(async (tx) => {
          await tx.query("SELECT count(*) FROM cycles");
          await expect(copyDatabase(source, held.db, { lockWaitMs: 300 })).rejects.toMatchObject({
            code: "55P03",
          });
        });
        // Nothing written: the tables the migrations made, empty but for their own record.
        const left = await dumpTables(held.db);
        for (const [table, rows] of Object.entries(left))
          expect(rows.length, table).toBe(table === "schema_migrations" ? before[table]!.length : 0);
      } finally {
        await other.close();
      }
    },
  );

  it.skipIf(backend !== "postgres")(
    "refuses an empty target its user may not create tables in, saying how to allow it",
    async () => {
      const empty = await newTarget();
      const role = `mv_${process.pid}_${Date.now()}`;
      // PostgreSQL 15's default, made explicit: only the database's owner creates tables in public.
      await empty.db.query("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
      await empty.db.query(`CREATE ROLE ${role} LOGIN`);
      const url = new URL(empty.url!);
      url.username = role;
      url.password = "";
      const asRole = await openPostgres(url.toString(), { max: 1 });
      try {
        expect(await targetProblem(asRole)).toBe(
          `gives its user ${role} no right to create tables in schema public: create the database owned by that user (createdb -O ${role} …), or GRANT CREATE ON SCHEMA public TO ${role}`,
        );
      } finally {
        await asRole.close();
        await empty.db.query(`DROP ROLE ${role}`);
      }
    },
  );

  it("refuses a target with tables that are not Pingyi's", async () => {
    const other = await newTarget();
    await other.db.query("CREATE TABLE invoices (id int)");
    await expect(copyDatabase(source, other.db)).rejects.toThrow(
      "the target holds tables that are not Pingyi's (invoices): give a new, empty database",
    );
    expect(Object.keys(await dumpTables(other.db))).toEqual(["invoices"]);
  });

  // A gateway of a later release started on the new database first: its tables were taken, the
  // data directory brought up to this release for nothing, and the move failed inside the copy
  // with a gateway's words ("restore the backup taken before the upgrade").
  it("refuses, before anything, a target whose tables a later release made", async () => {
    const later = await madeTarget();
    await later.db.query(
      "INSERT INTO schema_migrations (version, name, checksum) VALUES (999, '999_from_a_later_release', 'x')",
    );
    expect(await targetProblem(later.db)).toBe(
      "has the tables of a later release of Pingyi than this one (migration 999_from_a_later_release, which this release does not know): move with that release, or give a new, empty database",
    );
    const held = await dumpTables(later.db);
    await expect(copyDatabase(source, later.db)).rejects.toBeInstanceOf(TargetNotEmptyError);
    expect(await dumpTables(later.db)).toEqual(held);
  });

  // Chinese names and answers: a LATIN1 database failed the move at its first Chinese row, in
  // the server's words, after every table before it; SQL_ASCII took them as bytes it cannot read
  // as text (lengths in bytes, no case mapping).
  it.skipIf(backend !== "postgres")(
    "refuses, before anything, a target that does not store text as UTF-8",
    async () => {
      const { url, drop } = await createPostgresDatabase({ encoding: "LATIN1" });
      const latin1 = await openPostgres(url, { max: 1 });
      try {
        const problem =
          "stores text as LATIN1, not UTF-8, and Pingyi's (Chinese names, answers) would not go in whole: create it in UTF-8 (createdb --encoding=UTF8 --template=template0 …)";
        expect(await targetProblem(latin1)).toBe(problem);
        await expect(copyDatabase(source, latin1)).rejects.toThrow(`the target ${problem}`);
        expect(await dumpTables(latin1)).toEqual({});
      } finally {
        await latin1.close();
        await drop();
      }
    },
  );

  // A gateway running on the target writes as soon as the move's transaction lets go of its
  // tables. The sequences were set back after that, outside the transaction: behind the id the
  // gateway had just taken, so that a later write of its failed on a duplicate key.
  it.skipIf(backend !== "postgres")(
    "never sets a sequence back behind an id a gateway on the target took meanwhile",
    async () => {
      const write = (db: Db) =>
        db.query(
          "INSERT INTO audit_log (actor, action, entity, entity_id) VALUES ('gateway', 'create', 'note', 'n')",
        );
      const behind = async (db: Db) => {
        const [r] = await db.query<{ behind: boolean }>(
          `SELECT (SELECT max(id) FROM audit_log) > (SELECT coalesce(last_value, 0) FROM pg_sequences
             WHERE sequencename = 'audit_log_id_seq' AND schemaname = current_schema()) AS behind`,
        );
        return r?.behind;
      };
      for (const [what, held] of [
        ["rolled back", false],
        ["refused, as it holds data", true],
      ] as const) {
        const t = await madeTarget();
        if (held) await write(t.db);
        const gateway = await openPostgres(t.url!, { max: 1 });
        try {
          // The gateway's write, the moment the move's transaction ends.
          const target: Db = {
            ...t.db,
            backend: t.db.backend,
            inTransaction: false,
            query: (sql, params) => t.db.query(sql, params),
            exec: (sql) => t.db.exec(sql),
            close: () => t.db.close(),
            transaction: (fn) => t.db.transaction(fn).finally(() => write(gateway)),
          };
          await copyDatabase(source, target, { rollBack: true }).catch(() => undefined);
          expect(await behind(gateway), what).toBe(false);
          await write(gateway);
        } finally {
          await gateway.close();
        }
      }
    },
  );

  // PostGIS in the template database puts spatial_ref_sys, with its rows, into every new
  // database's public schema: the move refused such a target as holding tables not Pingyi's.
  it.skipIf(backend !== "postgres")(
    "leaves alone a table an extension keeps in the target, as PostGIS its spatial_ref_sys",
    async () => {
      const t = await newTarget();
      await t.db.exec(`
        CREATE TABLE spatial_ref_sys (srid integer PRIMARY KEY, srtext text);
        INSERT INTO spatial_ref_sys VALUES (4326, 'WGS 84'), (4490, 'CGCS2000');
        ALTER EXTENSION plpgsql ADD TABLE spatial_ref_sys;`);
      expect(await targetProblem(t.db)).toBeUndefined();
      expect((await copyDatabase(source, t.db)).committed).toBe(true);
      const { spatial_ref_sys, ...copied } = await dumpTables(t.db);
      expect(copied).toEqual(before);
      expect(spatial_ref_sys).toEqual(['(4326,"WGS 84")', "(4490,CGCS2000)"]);
    },
  );

  // One target for both: the copy after the rolled-back one is the move whose entry is checked.
  it("rolled back, does the whole copy and leaves the target as it was; a move into it after writes its audit entry last, after the copied entries' ids", async () => {
    const empty = await newTarget();
    const told: string[] = [];
    let recorded = 0;
    const result = await copyDatabase(source, empty.db, {
      onTable: ({ table, rows }) => told.push(`${table} ${rows}`),
      record: () => {
        recorded++;
        return { actor: "tester", action: "move", entity: "database", entityId: "t", after: {} };
      },
      rollBack: true,
    });
    expect(result.committed).toBe(false);
    expect(result.migrated).toEqual((await readMigrations()).map((m) => m.name));
    expect(Object.fromEntries(result.tables.map((t) => [t.table, t.rows]))).toEqual(
      Object.fromEntries(Object.entries(before).map(([table, rows]) => [table, rows.length])),
    );
    expect(told).toHaveLength(Object.keys(before).length);
    expect(recorded).toBe(1);
    // Not even the migrations' tables.
    expect(await dumpTables(empty.db)).toEqual({});
    // And a real copy into it afterwards is whole, the move's audit entry after the copied ones.
    const moved = empty;
    const after = { from: "PINGYI_DATA_DIR=data", tables: { cycles: 3 } };
    const move = await copyDatabase(source, moved.db, {
      record: (copied) => ({
        actor: "cli:tester",
        action: "move",
        entity: "database",
        entityId: `into ${copied.tables.length} tables`,
        after,
      }),
    });
    expect(move.committed).toBe(true);
    const [last] = await source.query<{ id: string }>("SELECT max(id)::text AS id FROM audit_log");
    const [entry] = await moved.db.query<{
      id: string;
      actor: string;
      entity_id: string;
      cycle_id: null;
      after: unknown;
    }>(
      "SELECT id::text AS id, actor, entity_id, cycle_id, before, after FROM audit_log WHERE action = 'move'",
    );
    expect(entry).toEqual({
      id: String(BigInt(last!.id) + 1n),
      actor: "cli:tester",
      entity_id: `into ${Object.keys(before).length} tables`,
      cycle_id: null,
      before: null,
      after,
    });
    const dumped = await dumpTables(moved.db);
    expect(dumped.audit_log).toHaveLength(before.audit_log!.length + 1);
    expect(dumped.audit_log!.filter((row) => !row.startsWith(`(${entry!.id},`))).toEqual(before.audit_log);
    expect({ ...dumped, audit_log: [] }).toEqual({ ...before, audit_log: [] });
    // A cycle's revision counts its own entries: the move's is no cycle's.
    expect(await moved.store.audit.revision("2019")).toEqual(await new Store(source).audit.revision("2019"));
  });

  // One target for both: the rolled-back copies leave it as a gateway made it (asserted), which
  // is what the copy a row at a time needs, and each new embedded target costs seconds.
  it("rolled back into a target a gateway has made its tables in, puts its sequences back too; then takes it, a row at a time too", async () => {
    const made = await madeTarget();
    const sequences = () =>
      made.db.query<{ name: string; last: string | null }>(
        "SELECT sequencename AS name, last_value::text AS last FROM pg_sequences ORDER BY 1",
      );
    const found = await sequences();
    expect(found.map((s) => s.name)).toContain("audit_log_id_seq");
    const tables = await dumpTables(made.db);
    const entry = { actor: "tester", action: "move", entity: "database", entityId: "t", after: {} };
    expect((await copyDatabase(source, made.db, { rollBack: true, record: () => entry })).committed).toBe(
      false,
    );
    expect(await sequences()).toEqual(found);
    expect(await dumpTables(made.db)).toEqual(tables);
    // The entry is written in a dry run too: one the audit log refuses fails it.
    await expect(
      copyDatabase(source, made.db, { rollBack: true, record: () => ({ ...entry, actor: " " }) }),
    ).rejects.toThrow("an actor is required for the audit trail");
    expect(await sequences()).toEqual(found);
    expect(await dumpTables(made.db)).toEqual(tables);

    // One row per insert: a sub-unit stored before its parent goes in before it (the checks of
    // one insert wait for its end, so only rows in different inserts can be out of order).
    const result = await copyDatabase(source, made.db, { batchRows: 1 });
    expect(result.migrated).toEqual([]);
    expect(await dumpTables(made.db)).toEqual(before);
    // 17,000 inserts: 8 s alone, past a minute beside the whole suite on two cores.
  }, 180_000);

  it("rolled back, copies a source an older release left, its migrations applied within and undone", async () => {
    const { db: older, newest } = await olderSource();
    {
      const applied = () =>
        older.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY version");
      const was = await applied();
      const empty = await newTarget();
      await expect(copyDatabase(older, empty.db, { upgradeSource: true })).rejects.toThrow(
        "upgradeSource is for a copy that is rolled back",
      );
      const result = await copyDatabase(older, empty.db, { rollBack: true, upgradeSource: true });
      expect(result.sourceMigrated).toEqual([newest]);
      expect(result.tables.find((t) => t.table === "schema_migrations")?.rows).toBe(was.length + 1);
      expect(await applied()).toEqual(was);
      expect(await dumpTables(empty.db)).toEqual({});
    }
  });

  it("refuses a source at another migration level, and leaves the target without tables", async () => {
    const { db: older } = await olderSource();
    const empty = await newTarget();
    // One refused copy, asked twice: each copy migrates the target in its transaction first.
    const refused = copyDatabase(older, empty.db);
    await expect(refused).rejects.toThrow(SchemaMismatchError);
    await expect(refused).rejects.toThrow(
      `the source and the target are at different migration levels after both were brought up to this release: the source has 001_init`,
    );
    expect(await dumpTables(empty.db)).toEqual({});
  });
});

/**
 * An embedded database an older release left: every migration but the newest (named). One for
 * the file, closed with the source: the copies from it leave it as it was, the one that upgrades
 * it within its rollback included (asserted there).
 */
let older: Promise<{ db: Db; newest: string }> | undefined;
function olderSource(): Promise<{ db: Db; newest: string }> {
  older ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "pingyi-copy-"));
    try {
      const newest = (await readMigrations()).at(-1)!.name;
      await cp(defaultMigrationsDir, dir, { recursive: true, filter: (f) => !f.endsWith(`${newest}.sql`) });
      const db = await emptyPglite();
      await migrate(db, dir);
      return { db, newest };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return older;
}
