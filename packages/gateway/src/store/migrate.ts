import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Db } from "./db.js";

/** packages/gateway/migrations, from src/store (source) and dist/src/store (build) alike. */
export const defaultMigrationsDir = fileURLToPath(new URL("../../migrations/", import.meta.url));

// Any fixed number; shared by every gateway process so concurrent starts migrate one at a time
// (and by a move into the database, which makes its tables and fills them under it).
export const MIGRATION_LOCK = 0x70696e67; // "ping"

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = defaultMigrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const out: Migration[] = [];
  for (const file of files) {
    const sql = await readFile(`${dir}/${file}`, "utf8");
    const version = Number(file.slice(0, 3));
    if (out.some((m) => m.version === version)) throw new Error(`duplicate migration number ${version}`);
    out.push({
      version,
      name: file.replace(/\.sql$/, ""),
      sql,
      checksum: createHash("sha256").update(sql).digest("hex"),
    });
  }
  return out;
}

/** A database migrated by a later release than this code's. */
function newerThanCode(unknown: readonly string[]): Error {
  return new Error(
    `the database has migrations this version of Pingyi does not know (${unknown.join(", ")}): ` +
      "the code is older than the database (rolled back after an upgrade, or an old process beside a new one); " +
      "run the version that applied them, or restore the backup taken before the upgrade; nothing was changed",
  );
}

interface Applied {
  version: number;
  name: string;
  checksum: string;
}

/**
 * This code's migrations that `applied` lacks, in order; refused, before anything is applied,
 * for an applied migration this code has no file for (the database is newer than the code) or
 * whose file changed since (migrations are forward-only).
 */
function pendingOf(migrations: readonly Migration[], applied: readonly Applied[]): Migration[] {
  // An older gateway must not write to a schema it does not know (after a rollback, or beside
  // a newer process).
  const known = new Set(migrations.map((m) => m.version));
  const unknown = applied.filter((r) => !known.has(r.version));
  if (unknown.length > 0) throw newerThanCode(unknown.map((r) => r.name));
  const byVersion = new Map(applied.map((r) => [r.version, r]));
  for (const m of migrations) {
    const prior = byVersion.get(m.version);
    if (prior && prior.checksum !== m.checksum)
      throw new Error(`migration ${m.name} was changed after it was applied; add a new migration instead`);
  }
  return migrations.filter((m) => !byVersion.has(m.version));
}

const APPLIED = "SELECT version, name, checksum FROM schema_migrations ORDER BY version";

/** Whether `db` has schema_migrations, that is whether a gateway ever made its tables there. */
export async function hasMigrationsTable(db: Pick<Db, "query">): Promise<boolean> {
  const [table] = await db.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  return Boolean(table?.t);
}

/** The migrations applied to `db`; none for a database without schema_migrations. */
async function appliedMigrations(db: Db): Promise<Applied[]> {
  return (await hasMigrationsTable(db)) ? db.query<Applied>(APPLIED) : [];
}

/**
 * The migrations `migrate` would apply to `db`, by name, without applying them (every one for a
 * database without tables); refused as `migrate` refuses.
 */
export async function pendingMigrations(db: Db, dir = defaultMigrationsDir): Promise<string[]> {
  const migrations = await readMigrations(dir);
  return pendingOf(migrations, await appliedMigrations(db)).map((m) => m.name);
}

/**
 * The migrations applied to `db` that this code has no file for, by name: a later release made
 * its tables. None for a database without tables.
 */
export async function unknownMigrations(db: Db, dir = defaultMigrationsDir): Promise<string[]> {
  const known = new Set((await readMigrations(dir)).map((m) => m.version));
  return (await appliedMigrations(db)).filter((m) => !known.has(m.version)).map((m) => m.name);
}

/**
 * Applies the migrations not applied yet, in order, in one transaction. Returns the names applied.
 * An applied migration whose file changed is an error: migrations are forward-only. So is an
 * applied migration this code has no file for: the database is newer than the code.
 */
export async function migrate(db: Db, dir = defaultMigrationsDir): Promise<string[]> {
  const migrations = await readMigrations(dir);
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    // Only when missing: CREATE … IF NOT EXISTS asks for the right to create tables even when the
    // table is there, which a gateway role that may only read and write its tables lacks.
    if (!(await hasMigrationsTable(tx)))
      await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer     PRIMARY KEY,
      name       text        NOT NULL,
      checksum   text        NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done: string[] = [];
    for (const m of pendingOf(migrations, await tx.query<Applied>(APPLIED))) {
      await tx.exec(m.sql);
      await tx.query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", [
        m.version,
        m.name,
        m.checksum,
      ]);
      done.push(m.name);
    }
    return done;
  });
}
