import { existsSync, readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNode, testCli } from "../../test/helpers.js";
import { dumpTables, fillMoveSource, ranking } from "../../test/move-source.js";
import { type Db, migrate, openDatabase, openPostgres, Store } from "../store/index.js";
import { defaultMigrationsDir, readMigrations } from "../store/migrate.js";
import { createPostgresDatabase } from "../store/test-backends.js";

const BIN = testCli();

const PASSWORD = "s3cret-pw";

/** The test server's database `url`, with a password (its trust authentication does not ask for it). */
function withPassword(url: string): string {
  const u = new URL(url);
  u.password = PASSWORD;
  return u.toString();
}

describe("pingyi move-database, refused before it reaches a server", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pingyi-move-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = (args: string[], env: Record<string, string> = {}) =>
    runNode(BIN, ["move-database", ...args], {
      cwd: dir,
      env: { ...process.env, LOG_LEVEL: "silent", PINGYI_DATA_DIR: join(dir, "data"), ...env },
    });
  const nowhere = `postgres://pingyi:${PASSWORD}@127.0.0.1:1/pingyi`;

  it("needs --to, a PostgreSQL URL", async () => {
    const missing = await run([]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "pingyi move-database: --to <postgres url> missing\nusage: pingyi move-database --to <postgres url> [--dry-run] (see pingyi --help)\n",
    );
    expect(missing.stdout).toBe("");
    // A usage mistake too, as a missing --to is: exit code 2.
    const mysql = await run(["--to", "mysql://pingyi@db/pingyi"]);
    expect(mysql.code).toBe(2);
    expect(mysql.stderr).toContain(
      "pingyi move-database: --to: must start with postgres:// or postgresql:// (the PostgreSQL database to move into",
    );
  });

  it("refuses a data directory a gateway holds, or one without a database, and never prints the password", async () => {
    const held = join(dir, "held");
    await mkdir(held);
    await writeFile(join(held, "PG_VERSION"), "17\n");
    // A live process (this one) owns the lock, as a running gateway would.
    await writeFile(`${held}.lock`, String(process.pid));
    const busy = await run(["--to", nowhere], { PINGYI_DATA_DIR: held });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain("is in use by process");
    expect(busy.stderr).toContain(
      "stop the gateway first: the move copies a database no gateway is writing to",
    );

    // A misspelt data directory setting leaves the default's in its place: said first. A name
    // close to DATABASE_URL is not, as the move reads none.
    const none = await run(["--to", nowhere], {
      PINGYI_DATA_DIR: join(dir, "none"),
      PINGYI_DATADIR: held,
      DATABASE_URI: nowhere,
    });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /^warning: PINGYI_DATADIR is not a setting of the gateway: did you mean PINGYI_DATA_DIR\?\nPINGYI_DATA_DIR=/,
    );
    expect(none.stderr).toContain(`PINGYI_DATA_DIR=${join(dir, "none")} holds no Pingyi database`);
    expect(existsSync(join(dir, "none"))).toBe(false);

    const other = await run(["--to", nowhere], { DATABASE_URL: `postgres://gw:${PASSWORD}@127.0.0.1:2/gw` });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(
      "DATABASE_URL is set (postgres://gw:***@127.0.0.1:2/gw), to another database than --to",
    );
    for (const r of [busy, none, other]) expect(r.stderr + r.stdout).not.toContain(PASSWORD);
  });
});

/** A simple-protocol COMMIT, as the driver sends the one that ends a transaction. */
const COMMIT = Buffer.from("Q\0\0\0\x0bCOMMIT\0", "latin1");

/**
 * A TCP proxy to the server of `url` that loses the first connection on which a COMMIT is sent:
 * `before` it reaches the server (which then rolls back), or `after` the server has answered it
 * (committed, the answer never delivered); with `reconnect: false` it lets no connection through
 * after that. Returns `url` through the proxy.
 */
async function commitLosingProxy(
  url: string,
  lose: "before" | "after",
  { reconnect }: { reconnect: boolean },
): Promise<{ url: string; lost(): boolean; close(): Promise<void> }> {
  const server = new URL(url);
  let lost = false;
  const proxy = createServer((client) => {
    if (lost && !reconnect) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(server.port || 5432), server.hostname);
    let committing = false;
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("data", (d: Buffer) => {
      if (!lost && d.includes(COMMIT)) {
        lost = true;
        if (lose === "before") return cut();
        committing = true;
      }
      upstream.write(d);
    });
    // Every earlier statement was answered before the COMMIT was sent: what comes next is its answer.
    upstream.on("data", (d: Buffer) => (committing ? cut() : client.write(d)));
    for (const end of [client, upstream]) {
      end.on("error", cut);
      end.on("close", cut);
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const through = new URL(url);
  through.hostname = "127.0.0.1";
  through.port = String((proxy.address() as AddressInfo).port);
  return {
    url: through.toString(),
    lost: () => lost,
    close: () => new Promise((resolve) => proxy.close(() => resolve())),
  };
}

describe.skipIf(!process.env.PINGYI_TEST_DATABASE_URL)("pingyi move-database to a PostgreSQL server", () => {
  let dir: string;
  let before: Record<string, string[]>;
  let rankings: unknown[];
  const drops: (() => Promise<void>)[] = [];
  const newDatabase = async () => {
    const { url, drop } = await createPostgresDatabase();
    drops.push(drop);
    return url;
  };
  const run = (to: string, ...more: string[]) =>
    runNode(BIN, ["move-database", "--to", to, ...more], {
      cwd: dir,
      env: { ...process.env, LOG_LEVEL: "silent", PINGYI_DATA_DIR: "data" },
    });
  /** `fn` on the database at `url`, closed after. */
  const on = async <T>(url: string, fn: (db: Db) => Promise<T>): Promise<T> => {
    const db = await openPostgres(url);
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pingyi-move-pg-"));
    // A pilot's data directory: the example years as the gateway's first start loads them, and more.
    const db = await openDatabase({ dataDir: join(dir, "data") });
    try {
      await migrate(db);
      await fillMoveSource(new Store(db));
      before = await dumpTables(db);
      rankings = [await ranking(new Store(db), "2018"), await ranking(new Store(db), "2019")];
    } finally {
      await db.close();
    }
  }, 120_000);
  afterAll(async () => {
    for (const drop of drops) await drop();
    await rm(dir, { recursive: true, force: true });
  });

  let target: string;
  it("with --dry-run, copies and checks every table, then rolls it all back", async () => {
    target = await newDatabase();
    const r = await run(withPassword(target), "--dry-run");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const shown = withPassword(target).replace(PASSWORD, "***");
    expect(r.stdout).toContain(
      `dry run: moving PINGYI_DATA_DIR=data (${join(dir, "data")}) to ${shown}, in one transaction rolled back at the end\n`,
    );
    for (const [table, rows] of Object.entries(before))
      expect(r.stdout).toMatch(new RegExp(`\\n  ${table} +${rows.length} rows?\\n`));
    const total = Object.values(before).reduce((n, rows) => n + rows.length, 0);
    expect(r.stdout).toContain(
      `dry run: the move would copy ${total} rows in ${Object.keys(before).length} tables, each counted and checked in the target (its tables made by this release's `,
    );
    expect(r.stdout).toContain(`nothing was written to ${shown}, and PINGYI_DATA_DIR=data`);
    expect(r.stdout).not.toContain("DATABASE_URL=");
    expect(r.stdout).not.toContain(PASSWORD);
    // Not even the tables: the move below finds the database as new.
    expect(await on(target, dumpTables)).toEqual({});
  }, 120_000);

  // On the dry run's target: a move whose commit was lost before it reached the target leaves
  // it as new, and the move below then takes it.
  it("says nothing was written when the commit did not reach the target, which is then taken", async () => {
    const proxy = await commitLosingProxy(target, "before", { reconnect: true });
    try {
      const r = await run(proxy.url);
      expect(proxy.lost()).toBe(true);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`the move to ${proxy.url} failed: `);
      expect(r.stderr).toContain("Nothing was written to it (the move is one transaction, rolled back)");
      expect(await on(target, dumpTables)).toEqual({});
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it("moves every table, says what it did, and the rankings are the same", async () => {
    const r = await run(withPassword(target));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const shown = withPassword(target).replace(PASSWORD, "***");
    expect(r.stdout).toContain(
      `moving PINGYI_DATA_DIR=data (${join(dir, "data")}) to ${shown}, in one transaction\n`,
    );
    for (const [table, rows] of Object.entries(before))
      expect(r.stdout).toMatch(new RegExp(`\\n  ${table} +${rows.length} rows?\\n`));
    const total = Object.values(before).reduce((n, rows) => n + rows.length, 0);
    expect(r.stdout).toContain(`moved ${total} rows in ${Object.keys(before).length} tables`);
    expect(r.stdout).toContain("and the target's audit log records the move;");
    expect(r.stdout).toContain(`\n  DATABASE_URL=${shown}\n`);
    expect(r.stdout).not.toContain(PASSWORD);

    // Every row as it was, and one entry more: the move's, last.
    const dumped = await on(target, dumpTables);
    expect({ ...dumped, audit_log: [] }).toEqual({ ...before, audit_log: [] });
    expect(dumped.audit_log).toEqual(expect.arrayContaining(before.audit_log!));
    expect(dumped.audit_log).toHaveLength(before.audit_log!.length + 1);
    const entries = await on(target, (db) => new Store(db).audit.list({ entity: "database" }));
    expect(entries).toHaveLength(1);
    const max = Math.max(...before.audit_log!.map((row) => Number(/^\((\d+),/.exec(row)![1])));
    expect(entries[0]).toMatchObject({
      id: max + 1,
      actor: expect.stringMatching(/^cli(:.+)?$/),
      action: "move",
      entityId: shown,
      cycleId: null,
      after: {
        from: `PINGYI_DATA_DIR=data (${join(dir, "data")})`,
        to: shown,
        rows: total,
        tables: Object.fromEntries(Object.entries(before).map(([table, rows]) => [table, rows.length])),
      },
    });
    const moved = await on(target, async (db) => [
      await ranking(new Store(db), "2018"),
      await ranking(new Store(db), "2019"),
    ]);
    expect(moved).toEqual(rankings);
    // A gateway or command started on the data directory now is refused, saying where it went.
    const note = `${join(dir, "data")}.moved`;
    expect(r.stdout).toContain(
      `${note} says so, and a gateway or command started on it is refused until that note is deleted.`,
    );
    expect(JSON.parse(readFileSync(note, "utf8"))).toEqual({
      to: shown,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      by: expect.stringMatching(/^cli(:.+)?$/),
    });
    const score = await runNode(BIN, ["score", "2018"], {
      cwd: dir,
      env: { ...process.env, LOG_LEVEL: "silent", PINGYI_DATA_DIR: "data" },
    });
    expect(score.code).toBe(1);
    expect(score.stderr).toContain(`PINGYI_DATA_DIR=data was moved to ${shown} on `);
    expect(score.stderr).toContain(`or, to go back to this copy, delete ${note}`);
    // A token is no write to the database: minted as before (the note is not about the secret).
    const token = await runNode(BIN, ["token", "viewer", "someone"], {
      cwd: dir,
      env: {
        ...process.env,
        LOG_LEVEL: "silent",
        PINGYI_DATA_DIR: "data",
        PINGYI_JWT_SECRET: "x".repeat(32),
      },
    });
    expect(token.stderr).toBe("");
    expect(token.code).toBe(0);
    // The data directory as it was.
    const source = await openDatabase({ dataDir: join(dir, "data") });
    try {
      expect(await dumpTables(source)).toEqual(before);
    } finally {
      await source.close();
    }
  }, 120_000);

  // The target a gateway stored data in is refused by the same check, naming the same way.
  it("refuses to move again into the same database, or any holding Pingyi data, naming it, and writes nothing", async () => {
    const held = await on(target, dumpTables);
    const r = await run(target);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /: the database already holds Pingyi data: audit_log \(\d+ rows\), .*cycles \(3 rows\)/,
    );
    // One row is said as one (a lone scenario, or a gateway's first cycle).
    const single = Object.entries(before).find(([, rows]) => rows.length === 1)?.[0];
    expect(single).toBeDefined();
    expect(r.stderr).toContain(`, ${single} (1 row)`);
    expect(r.stderr).toContain("Nothing was written to it, and PINGYI_DATA_DIR=data");
    expect(r.stderr).toContain(`note: PINGYI_DATA_DIR=data (${join(dir, "data")}) was moved before, to `);
    expect(await on(target, dumpTables)).toEqual(held);
  }, 60_000);

  it("leaves the sequences where the next insert through the store does not collide", async () => {
    const max = Math.max(...before.audit_log!.map((row) => Number(/^\((\d+),/.exec(row)![1])));
    const id = await on(target, async (db) => {
      await new Store(db).scenarios.create("analyst", { cycleId: "2019", name: "after the move", patch: {} });
      const [row] = await db.query<{ id: string }>("SELECT max(id)::text AS id FROM audit_log");
      return Number(row!.id);
    });
    // max + 1 is the move's own entry.
    expect(id).toBe(max + 2);
  }, 60_000);

  it("with --dry-run, tries the move of a data directory that needs this release's migrations, and changes nothing", async () => {
    // A data directory as an older release left it: every migration but the newest.
    const older = join(dir, "older");
    const migrations = join(dir, "older-migrations");
    const newest = (await readMigrations()).at(-1)!.name;
    await cp(defaultMigrationsDir, migrations, {
      recursive: true,
      filter: (f) => !f.endsWith(`${newest}.sql`),
    });
    const applied = async () => {
      const db = await openDatabase({ dataDir: older });
      try {
        return (await db.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY version")).map(
          (m) => m.name,
        );
      } finally {
        await db.close();
      }
    };
    const db = await openDatabase({ dataDir: older });
    let was: string[];
    try {
      await migrate(db, migrations);
      was = (await db.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY version")).map(
        (m) => m.name,
      );
    } finally {
      await db.close();
    }
    const url = await newDatabase();
    const r = await runNode(BIN, ["move-database", "--to", url, "--dry-run"], {
      cwd: dir,
      env: { ...process.env, LOG_LEVEL: "silent", PINGYI_DATA_DIR: "older" },
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `dry run: moving PINGYI_DATA_DIR=older (${older}) to ${url}, in one transaction rolled back at the end; the data directory brought up to this release (${newest}) within it, as the move would first, and rolled back too\n`,
    );
    expect(r.stdout).toMatch(/\n {2}schema_migrations +\d+ rows\n/);
    expect(r.stdout).toContain(
      `and was rolled back: nothing was written to ${url}, and PINGYI_DATA_DIR=older (${older}) was not changed.`,
    );
    expect(await applied()).toEqual(was);
    expect(was).not.toContain(newest);
    expect(await on(url, dumpTables)).toEqual({});
  }, 60_000);

  // A connection lost while the target committed was reported as "nothing was written", even
  // when the commit went through: a move again was then refused, as the target held the data.
  describe("when the connection is lost while the target commits", () => {
    const total = () => Object.values(before).reduce((n, rows) => n + rows.length, 0);

    it("asks the target again, and says the move was committed when it was", async () => {
      const target = await newDatabase();
      const proxy = await commitLosingProxy(target, "after", { reconnect: true });
      try {
        const r = await run(proxy.url);
        expect(proxy.lost()).toBe(true);
        expect(r.stderr).toContain(
          `note: the connection to ${proxy.url} was lost while it committed the move (`,
        );
        expect(r.stderr).toContain("asked again on a new connection, the target says the move was committed");
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(`moved ${total()} rows in ${Object.keys(before).length} tables`);
        const dumped = await on(target, dumpTables);
        expect({ ...dumped, audit_log: [] }).toEqual({ ...before, audit_log: [] });
      } finally {
        await proxy.close();
      }
    }, 120_000);

    it("says it cannot tell, and how to find out, when the target cannot be asked", async () => {
      const target = await newDatabase();
      const proxy = await commitLosingProxy(target, "after", { reconnect: false });
      try {
        const r = await run(proxy.url);
        expect(proxy.lost()).toBe(true);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(
          `the move to ${proxy.url} may or may not have been written: the connection to the target was lost while it committed the copy (`,
        );
        expect(r.stderr).toContain("and the target could not be asked whether it did (");
        expect(r.stderr).toContain(
          "It is one transaction: the target holds all of it or nothing. Check the target:",
        );
        expect(r.stderr).not.toContain("Nothing was written");
        // As it was: committed.
        const entries = await on(target, (db) => new Store(db).audit.list({ entity: "database" }));
        expect(entries.map((e) => e.action)).toEqual(["move"]);
      } finally {
        await proxy.close();
      }
    }, 120_000);
  });
});
