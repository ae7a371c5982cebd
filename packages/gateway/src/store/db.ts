import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite, type Transaction as PgliteTransaction } from "@electric-sql/pglite";
import type pg from "pg";

/**
 * The one database interface the store is written against. Both backends speak the same
 * PostgreSQL dialect, so the SQL above this line never branches on the backend.
 *
 * Inside `transaction(fn)`, use only the `tx` handed to `fn`: on PGlite (one connection) a
 * query on the outer handle waits for the transaction to end and would deadlock.
 */
export interface Db {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Nested calls use savepoints, so an inner failure that the caller catches rolls back only the inner part. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly backend: "pglite" | "postgres";
  /** True for a handle that is inside a transaction. */
  readonly inTransaction: boolean;
}

let savepointCounter = 0;

async function withSavepoint<T>(tx: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const name = `sp_${++savepointCounter}`;
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn(tx);
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// PGlite

class PgliteTxDb implements Db {
  readonly backend = "pglite" as const;
  readonly inTransaction = true;
  constructor(private readonly tx: PgliteTransaction) {}
  async query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    const r = await this.tx.query<T>(sql, params as unknown[] | undefined);
    return r.rows;
  }
  async exec(sql: string): Promise<void> {
    await this.tx.exec(sql);
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return withSavepoint(this, fn);
  }
  async close(): Promise<void> {
    throw new Error("close() called on a transaction handle");
  }
}

class PgliteDb implements Db {
  readonly backend = "pglite" as const;
  readonly inTransaction = false;
  // PGlite already serialises queries and transactions on its single connection; this queue
  // additionally keeps our own transaction callbacks strictly first-come, first-served.
  private queue: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly pg: PGlite,
    private readonly unlock: () => void = () => {},
  ) {}
  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }
  async query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    const r = await this.enqueue(() => this.pg.query<T>(sql, params as unknown[] | undefined));
    return r.rows;
  }
  async exec(sql: string): Promise<void> {
    await this.enqueue(() => this.pg.exec(sql));
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.enqueue(() => this.pg.transaction((tx) => fn(new PgliteTxDb(tx))));
  }
  async close(): Promise<void> {
    await this.enqueue(async () => {
      if (!this.pg.closed) await this.pg.close();
      this.unlock();
    });
  }
}

export class DataDirInUseError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Lock files this process holds. A lock naming our own pid that is not among them was left by
 * an earlier process that had the same pid: in a container the gateway is pid 1 on every start,
 * so after a crash or an out-of-memory kill its lock would otherwise refuse it forever.
 */
const locksHeldHere = new Set<string>();

/**
 * Two PGlite instances on one data directory corrupt it, and PGlite does not guard against
 * that itself. A lock file beside the directory holds the owner's pid; a lock whose process is
 * gone (killed, crashed) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const path = resolve(`${dataDir.replace(/[/\\]+$/, "")}.lock`);
  mkdirSync(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      locksHeldHere.add(path);
      return () => {
        locksHeldHere.delete(path);
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let owner = Number.NaN;
      try {
        owner = Number(readFileSync(path, "utf8").trim());
      } catch {
        // vanished between open and read: retry
      }
      const ownedByUs = owner === process.pid;
      if (Number.isInteger(owner) && owner > 0 && (ownedByUs ? locksHeldHere.has(path) : alive(owner))) {
        throw new DataDirInUseError(
          `the PGlite data directory ${dataDir} is in use by process ${owner}; run one gateway per data directory, or use DATABASE_URL to share a PostgreSQL server`,
        );
      }
      try {
        unlinkSync(path);
      } catch {
        // another process took it over first; the next attempt tells
      }
    }
  }
  throw new DataDirInUseError(`could not lock the PGlite data directory ${dataDir}`);
}

/** Opens an embedded PGlite database in `dataDir` (created if missing), or in memory with "memory://". */
export async function openPglite(dataDir: string): Promise<Db> {
  const unlock = dataDir.includes("://") ? () => {} : lockDataDir(dataDir);
  try {
    return new PgliteDb(await PGlite.create(dataDir), unlock);
  } catch (err) {
    unlock();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL server

class PgClientTxDb implements Db {
  readonly backend = "postgres" as const;
  readonly inTransaction = true;
  constructor(private readonly client: pg.PoolClient) {}
  async query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    const r = await this.client.query(sql, params as unknown[] | undefined);
    return r.rows as T[];
  }
  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return withSavepoint(this, fn);
  }
  async close(): Promise<void> {
    throw new Error("close() called on a transaction handle");
  }
}

class PgPoolDb implements Db {
  readonly backend = "postgres" as const;
  readonly inTransaction = false;
  constructor(private readonly pool: pg.Pool) {}
  async query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    const r = await this.pool.query(sql, params as unknown[] | undefined);
    return r.rows as T[];
  }
  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query("BEGIN");
      const result = await fn(new PgClientTxDb(client));
      await client.query("COMMIT");
      return result;
    } catch (err) {
      try {
        await client.query("ROLLBACK");
      } catch {
        // The connection is unusable; drop it from the pool instead of returning it.
        broken = true;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}

export interface PostgresOptions {
  /** Pool size per gateway process. */
  max?: number;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  // Loaded on demand: a PGlite-only deployment never needs the driver.
  const { default: driver } = await import("pg");
  const pool = new driver.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  // Fail at start, not on the first request, when the server is unreachable.
  const client = await pool.connect();
  client.release();
  return new PgPoolDb(pool);
}

export interface OpenDatabaseOptions {
  /** A PostgreSQL connection string; when absent, an embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** The PGlite data directory (or "memory://"); ignored when databaseUrl is set. */
  dataDir: string;
}

export function openDatabase(options: OpenDatabaseOptions): Promise<Db> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}
