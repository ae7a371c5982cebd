import { randomBytes } from "node:crypto";
import {
  accessSync,
  chmodSync,
  constants,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite, type Transaction as PgliteTransaction } from "@electric-sql/pglite";
import type pg from "pg";
import { isConnectTimeout, noAnswerError } from "./connect-timeout.js";
import { StorageError } from "./errors.js";

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
  /**
   * Whether the database is working right now without asking it (a job of ours has been running
   * on it for under a while): PGlite's one connection answers a probe only after the job, so a
   * large import would fail readiness for its whole length. Absent or false: ask it.
   */
  workingNow?(): boolean;
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

/** How long a running job counts as the database at work, for readiness (`workingNow`). */
const WORKING_FOR_MS = 120_000;

export class PgliteDb implements Db {
  readonly backend = "pglite" as const;
  readonly inTransaction = false;
  // PGlite already serialises queries and transactions on its single connection; this queue
  // additionally keeps our own transaction callbacks strictly first-come, first-served.
  private queue: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly pg: PGlite,
    private readonly unlock: () => void = () => {},
  ) {}
  /** Set once PGlite has failed in a way it does not recover from; every later call gets it. */
  private broken: StorageError | null = null;
  /** Jobs queued or running, and when the latest of them started (performance.now()). */
  private active = 0;
  private lastStart = 0;
  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    this.active++;
    const guarded = async () => {
      try {
        if (this.broken) throw this.broken;
        this.lastStart = performance.now();
        return await job();
      } catch (err) {
        if (pgliteBroken(err)) this.broken = brokenError(err);
        throw this.broken ?? err;
      } finally {
        this.active--;
      }
    };
    const run = this.queue.then(guarded, guarded);
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
  /**
   * Jobs waiting or running, the latest started under WORKING_FOR_MS ago, show the database at
   * work (a 2,000,000-form import takes ~30 s); a job running longer may be stuck (PGlite has spun
   * on a full disk), so the probe then asks, and waits.
   */
  workingNow(): boolean {
    return !this.broken && this.active > 0 && performance.now() - this.lastStart < WORKING_FOR_MS;
  }
  async close(): Promise<void> {
    await this.enqueue(async () => {
      if (!this.pg.closed) await this.pg.close();
      this.unlock();
    });
  }
}

/**
 * A write that fails for want of disk space can leave PGlite's single connection unusable: the
 * failed statement's portal cannot be dropped, and every later query fails the same way (or a
 * later import spins forever). Seen with the data directory's disk full mid-import.
 */
const pgliteBroken = (err: unknown) => err instanceof Error && /cannot drop active portal/.test(err.message);

const brokenError = (err: unknown) =>
  new StorageError(
    "the embedded database stopped working after a write failed (most often because its disk is full): this change and any later one are refused, and nothing after the failure was stored; what was stored before is kept. Free disk space on PINGYI_DATA_DIR's disk and restart the gateway",
    { cause: err },
  );

/** The PGlite data directory is held by another process, or already open in this one. */
export class DataDirInUseError extends Error {}

/** The PGlite data directory, or the lock file beside it, cannot be used; the message says why and what to do. */
export class DataDirAccessError extends Error {}

/** How often the holder of a data directory's lock refreshes the lock file's modification time. */
export const LOCK_REFRESH_MS = 5_000;
/**
 * After how long without a refresh a lock is stale whoever holds it: clearly longer than the
 * refresh interval, so a busy holder is not taken for a dead one.
 */
export const LOCK_STALE_MS = 30_000;

/** What a lock file says; `scope` is the PID namespace on one kernel boot in which `pid` means something. */
interface LockRecord {
  token: string;
  host: string;
  pid: number;
  scope?: string | undefined;
}

/**
 * The lock file as read: a record, a bare pid (earlier releases wrote only that), or anything
 * else (half written, or not ours), with its text and the time it was last refreshed.
 */
type LockFile = { text: string; mtimeMs: number } & (
  | { kind: "record"; record: LockRecord }
  | { kind: "pid"; pid: number }
  | { kind: "unreadable" }
);

/**
 * Where a pid can be checked with kill(pid, 0): this PID namespace on this boot of this kernel.
 * A hostname does not tell: containers with the host's network share its name but not its pids,
 * and two pods on one volume are each pid 1. Undefined where it cannot be told.
 */
function pidScope(): string | undefined {
  if (process.platform !== "linux") return `${process.platform}:${hostname()}`;
  try {
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    return `${boot}:${readlinkSync("/proc/self/ns/pid")}`;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(path: string): LockFile | undefined {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  if (/^\s*\d+\s*$/.test(text)) return { text, mtimeMs, kind: "pid", pid: Number(text) };
  try {
    const r = JSON.parse(text) as Partial<LockRecord>;
    if (typeof r.token === "string" && typeof r.host === "string" && Number.isInteger(r.pid))
      return { text, mtimeMs, kind: "record", record: r as LockRecord };
  } catch {
    // not a record
  }
  return { text, mtimeMs, kind: "unreadable" };
}

/** Tokens of the locks this process holds: a second open here of a directory it holds is refused. */
const tokensHeldHere = new Set<string>();

/** Whether a lock may be taken over: only when its holder is provably gone. */
function isStale(lock: LockFile, now: number): boolean {
  if (lock.kind === "pid") {
    // An earlier release's lock is never refreshed, and says nothing of where its pid lives: a
    // pid of ours may be pid 1 of another container, so only a pid that is gone here is taken.
    return lock.pid > 0 && lock.pid !== process.pid && !alive(lock.pid);
  }
  if (lock.kind === "record" && tokensHeldHere.has(lock.record.token)) return false;
  if (now - lock.mtimeMs > LOCK_STALE_MS) return true;
  if (lock.kind !== "record") return false;
  const { pid, scope } = lock.record;
  if (scope === undefined || scope !== pidScope()) return false;
  // Our pid in our namespace under another token: an earlier holder that had our pid is gone.
  return pid === process.pid || !alive(pid);
}

function inUseMessage(shown: string, path: string, lock: LockFile, now: number): string {
  const where = `the PGlite data directory ${shown}`;
  if (lock.kind === "record" && tokensHeldHere.has(lock.record.token))
    return `${where} is already open in this process: close it before opening it again`;
  const ago = Math.max(0, Math.floor((now - lock.mtimeMs) / 1000));
  const waitS = Math.max(1, Math.ceil((LOCK_STALE_MS - (now - lock.mtimeMs)) / 1000));
  let detail: string;
  if (lock.kind === "pid") {
    detail =
      `in use by process ${lock.pid} (lock file ${path}, written by an earlier release that does not refresh it; ` +
      `if that process is gone, remove ${path})`;
  } else if (lock.kind === "unreadable") {
    detail = `locked (lock file ${path} cannot be read as a lock; if no gateway uses the directory, start again in ${waitS} s or remove ${path})`;
  } else {
    const { pid, host, scope } = lock.record;
    const checked = scope !== undefined && scope === pidScope();
    detail =
      `in use by process ${pid} on ${host} (lock file ${path}, refreshed ${ago} s ago` +
      (checked ? ")" : `; if that process is gone, start again in ${waitS} s or remove ${path})`);
  }
  return `${where} is ${detail}; run one gateway per data directory, or use DATABASE_URL to share a PostgreSQL server`;
}

const notWritable = (err: unknown) =>
  ["EACCES", "EPERM", "EROFS"].includes((err as NodeJS.ErrnoException).code ?? "");

/** Writes `text` to `path` if no file is there, all at once: a reader never sees it half written. */
function createExclusive(path: string, text: string): boolean {
  const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(temp, text, { flag: "wx" });
  try {
    linkSync(temp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    unlinkSync(temp);
  }
}

/**
 * Two PGlite instances on one data directory corrupt it, and PGlite does not guard against
 * that itself. A lock file beside the directory names its holder (a random token, host, pid)
 * and is refreshed every few seconds while the holder runs. Another process takes it over only
 * when the holder is provably gone: its pid is dead in this same PID namespace, or the lock has
 * not been refreshed for LOCK_STALE_MS (a holder in another container or on another host).
 */
function lockDataDir(realDir: string, shown: string, refreshMs: number): () => void {
  const path = `${realDir}.lock`;
  const token = randomBytes(16).toString("hex");
  const text = `${JSON.stringify({ token, host: hostname(), pid: process.pid, scope: pidScope() } satisfies LockRecord)}\n`;
  const create = () => {
    try {
      return createExclusive(path, text);
    } catch (err) {
      if (notWritable(err))
        throw new DataDirAccessError(
          `cannot create the lock file ${path} of the PGlite data directory ${shown}: ${dirname(path)}, the directory that holds it, ` +
            `must be writable by this user, as the lock file (and the development secret) live beside the data directory. ` +
            `Make ${dirname(path)} writable, or use a data directory inside a writable one`,
          { cause: err },
        );
      throw err;
    }
  };
  let held = false;
  for (let attempt = 0; attempt < 3 && !held; attempt++) {
    if (create()) {
      held = true;
      break;
    }
    const lock = readLock(path);
    if (!lock) continue; // removed between the two: try again
    const now = Date.now();
    if (!isStale(lock, now)) throw new DataDirInUseError(inUseMessage(shown, path, lock, now));
    // Move the stale lock aside rather than deleting it: two processes that both judged it stale
    // must not delete each other's new lock. Whoever moved something else puts it back.
    const aside = `${path}.${token}.stale`;
    try {
      renameSync(path, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw err;
    }
    if (readFileSync(aside, "utf8") !== lock.text) {
      try {
        linkSync(aside, path);
      } catch {
        // a third process locked it meanwhile; the next attempt tells
      }
    }
    unlinkSync(aside);
  }
  if (!held)
    throw new DataDirInUseError(`could not lock the PGlite data directory ${shown}: ${path} keeps changing`);
  tokensHeldHere.add(token);

  let warned = false;
  const refresh = () => {
    try {
      const now = new Date();
      if (readFileSync(path, "utf8") === text) return utimesSync(path, now, now);
    } catch (err) {
      // Removed by hand while we hold it: put it back, so that a second gateway is still kept out.
      if ((err as NodeJS.ErrnoException).code === "ENOENT" && createExclusive(path, text)) return;
    }
    if (!warned) {
      warned = true;
      process.emitWarning(
        `the lock file ${path} of the PGlite data directory ${shown} was replaced by another process while this one holds the directory: ` +
          "stop the other gateway now, two on one directory corrupt it",
      );
    }
  };
  const timer = setInterval(() => {
    try {
      refresh();
    } catch {
      // a failed refresh is retried on the next tick; the lock goes stale only after many
    }
  }, refreshMs);
  // The lock must not keep a process alive that has nothing else to do.
  timer.unref();
  return () => {
    clearInterval(timer);
    tokensHeldHere.delete(token);
    try {
      // Only our own lock: a process that took over a stale one keeps it.
      if (readFileSync(path, "utf8") === text) unlinkSync(path);
    } catch {
      // already gone
    }
  };
}

/** What PGlite makes of a data directory string: PGlite reads every string without one of its schemes as a path. */
function pgliteLocation(
  dataDir: string,
): { kind: "memory" | "browser" } | { kind: "directory"; path: string } {
  if (!dataDir || dataDir.startsWith("memory://")) return { kind: "memory" };
  if (/^(idb|opfs-ahp|memfs2opfs):\/\//.test(dataDir)) return { kind: "browser" };
  if (dataDir.startsWith("file://")) {
    let path: string;
    try {
      path = fileURLToPath(dataDir);
    } catch {
      path = dataDir.slice("file://".length); // file://relative/dir, as PGlite reads it
    }
    return { kind: "directory", path: resolve(path) };
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(dataDir))
    throw new DataDirAccessError(
      // Without the password of a PostgreSQL URL set here by mistake: the message goes to logs.
      `the PGlite data directory ${dataDir.replace(/\/\/([^/:@]*):[^/@]*@/, "//$1:***@")} is a URL, not a directory: use a path, file:// or memory://`,
    );
  return { kind: "directory", path: resolve(dataDir) };
}

/** Creates the data directory if missing and returns its real path: PGlite cannot open one through a symbolic link. */
function prepareDataDir(path: string, shown: string): string {
  try {
    mkdirSync(path, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (notWritable(err))
      throw new DataDirAccessError(
        `cannot create the PGlite data directory ${shown}: ${dirname(path)} must be writable by this user, or the directory must exist`,
        { cause: err },
      );
    if (code === "EEXIST" && lstatSync(path).isSymbolicLink())
      throw new DataDirAccessError(
        `the PGlite data directory ${shown} is a symbolic link to ${readlinkSync(path)}, which does not exist: create that directory, or use another`,
        { cause: err },
      );
    throw err;
  }
  const real = realpathSync(path);
  keepOthersOut(real);
  return real;
}

/**
 * PGlite makes its files readable and writable by anyone (0666, whatever the umask): the data
 * directory itself is all that keeps another account on the machine from reading every score,
 * or rewriting one. Made for the owner alone, as PostgreSQL requires of its own; one this user
 * does not own (a volume given to it) is left to whoever gave it.
 */
function keepOthersOut(dir: string): void {
  const { mode, uid } = statSync(dir);
  if ((mode & 0o077) === 0 || uid !== process.getuid?.()) return;
  try {
    chmodSync(dir, mode & 0o700);
  } catch {
    // A file system without modes (a Windows share): nothing to keep out with.
  }
}

export interface PgliteOptions {
  /** Milliseconds between refreshes of the data directory's lock (tests); LOCK_REFRESH_MS by default. */
  lockRefreshMs?: number;
}

/**
 * Opens an embedded PGlite database in `dataDir` (created if missing; a path or a file:// URL),
 * or in memory with "memory://".
 */
export async function openPglite(dataDir: string, options: PgliteOptions = {}): Promise<Db> {
  const where = pgliteLocation(dataDir);
  if (where.kind !== "directory") return new PgliteDb(await PGlite.create(dataDir));
  const real = prepareDataDir(where.path, dataDir);
  const shown = real === resolve(dataDir) ? dataDir : `${dataDir} (${real})`;
  const unlock = lockDataDir(real, shown, options.lockRefreshMs ?? LOCK_REFRESH_MS);
  try {
    const unusable = unusableEntry(real);
    if (unusable)
      throw new DataDirAccessError(
        `${unusable} cannot be read and written by this user, and PGlite needs every file in its data directory ${shown}: ` +
          `copied or restored as another user? Give the whole directory to the user the gateway runs as (chown -R)`,
      );
    return new PgliteDb(await PGlite.create(real), unlock);
  } catch (err) {
    unlock();
    throw (await otherMajorVersion(real, shown)) ?? err;
  }
}

/**
 * The first file or directory under `dir` this user cannot read and write (a directory: also
 * enter), or undefined. PGlite meets such a file with "Aborted()", at start or at the first
 * write to it; PostgreSQL itself refuses a data directory of another owner.
 */
function unusableEntry(dir: string): string | undefined {
  const need = constants.R_OK | constants.W_OK;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    try {
      accessSync(path, entry.isDirectory() ? need | constants.X_OK : need);
    } catch {
      return path;
    }
    if (entry.isDirectory()) {
      const inner = unusableEntry(path);
      if (inner) return inner;
    }
  }
  return undefined;
}

/**
 * Why PGlite could not open `dir` when it holds a database of another PostgreSQL major version
 * than this PGlite's (made by another PGlite release, or a server's own data directory), or
 * undefined: data directories do not carry across major versions, and PGlite says only that it
 * "failed to initialize properly".
 */
async function otherMajorVersion(dir: string, shown: string): Promise<DataDirAccessError | undefined> {
  let theirs: string;
  try {
    theirs = readFileSync(join(dir, "PG_VERSION"), "utf8").trim();
  } catch {
    return undefined;
  }
  let ours: string;
  try {
    const probe = await PGlite.create();
    try {
      const [row] = (await probe.query<{ v: string }>("SELECT current_setting('server_version_num') AS v"))
        .rows;
      ours = String(Math.floor(Number(row?.v) / 10_000));
    } finally {
      await probe.close();
    }
  } catch {
    return undefined;
  }
  if (theirs === ours) return undefined;
  return new DataDirAccessError(
    `the PGlite data directory ${shown} holds a database of PostgreSQL ${theirs} (its PG_VERSION), and this release's embedded database (PGlite) is PostgreSQL ${ours}, ` +
      "which cannot open a data directory of another major version; nothing in it was changed. " +
      "Open it with the Pingyi release that made it, and move it from there to a PostgreSQL server (pingyi move-database) to start this release on that server, " +
      "or restore a backup of a data directory this release made",
  );
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
    // pg-pool listens for a checked-out client's 'error' no longer: a server restart or a
    // terminated backend mid-transaction was an unhandled 'error' event, which ended the process.
    // The query in flight rejects on its own; the connection is not returned to the pool.
    const lost = () => {
      broken = true;
    };
    client.on("error", lost);
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
      client.off("error", lost);
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
  /** How long a new connection may take (default CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
}

/** How long a new connection to PostgreSQL may take before it is given up. */
export const CONNECT_TIMEOUT_MS = 10_000;

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  // Loaded on demand: a PGlite-only deployment never needs the driver.
  const { default: driver } = await import("pg");
  const timeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const pool = new driver.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // A server that accepts connections but never answers (a hung host, a wrong port behind a
    // proxy) left the start, or a request, waiting for ever; the error names DATABASE_URL.
    connectionTimeoutMillis: timeoutMs,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  // Fail at start, not on the first request, when the server is unreachable.
  const started = performance.now();
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    if (isConnectTimeout(err, performance.now() - started, timeoutMs))
      throw noAnswerError(url, timeoutMs, err);
    throw err;
  }
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
