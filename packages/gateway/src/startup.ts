import { accessSync, constants, existsSync, lstatSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Config, misplacedUserEnd } from "./config.js";
import type { Logger } from "./logger.js";
import { movedAwayProblem } from "./moved-away.js";
import { encodingProblem } from "./store/database-encoding.js";
import { DataDirAccessError, DataDirInUseError } from "./store/db.js";
import { type Db, migrate, openDatabase, Store } from "./store/index.js";
import { hasMigrationsTable } from "./store/migrate.js";
import { TABLE_PRIVILEGES, tableNames, tablesWithoutGrants } from "./store/schema-catalog.js";

/**
 * Startup problems as an operator needs them: which setting, what is wrong, what to do. The
 * libraries underneath say "connect ECONNREFUSED 127.0.0.1:5432", "[object Object]" or
 * "EEXIST: file already exists, mkdir …" and leave the operator to guess the rest.
 */

type DbSettings = Pick<Config, "DATABASE_URL" | "PINGYI_DATA_DIR">;

/** The URL with its password hidden: the message goes to logs and terminals. */
export function redactUrl(url: string): string {
  // A password cut short by "#", "/" or "?": everything up to the "@" meant to end it is hidden.
  const end = misplacedUserEnd(url);
  if (end >= 0) return `${url.slice(0, url.indexOf("://") + 3)}***${url.slice(end)}`;
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    // libpq also takes the password as a query parameter (?password=…, and sslpassword for a key).
    for (const key of [...u.searchParams.keys()]) if (/password/i.test(key)) u.searchParams.set(key, "***");
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/** The user a PostgreSQL URL connects as, or undefined when it names none (the driver's default). */
function urlUser(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).username) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why the PGlite data directory cannot be used, before PGlite is given it (its own errors do
 * not name the directory), or undefined when it can. A non-empty directory that is not a
 * database is refused: PGlite would write a database into it, among whatever is there.
 */
export function dataDirProblem(dir: string): string | undefined {
  if (dir.startsWith("memory://")) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]+):\/\//i.exec(dir)?.[1]?.toLowerCase();
  if (scheme === "file") {
    // Refused rather than read: the development secret beside the directory is found by path.
    let path = dir.slice("file://".length);
    try {
      path = fileURLToPath(dir);
    } catch {
      // file://relative/dir
    }
    return `PINGYI_DATA_DIR=${dir} is a file:// URL: write it as the path it names, PINGYI_DATA_DIR=${path}`;
  }
  if (scheme)
    return (
      `PINGYI_DATA_DIR=${redactUrl(dir)} is a URL, not a directory: set it to a directory path, or to memory:// ` +
      "for a database that is lost on exit; a PostgreSQL server's URL goes in DATABASE_URL"
    );
  const where = `PINGYI_DATA_DIR=${dir}`;
  if (!existsSync(dir)) {
    const link = lstatSync(dir, { throwIfNoEntry: false });
    if (link?.isSymbolicLink())
      return `${where} is a symbolic link to ${readlinkSync(dir)}, which does not exist: create that directory, or point PINGYI_DATA_DIR at another`;
    return undefined; // created on start
  }
  if (!statSync(dir).isDirectory()) return `${where} is a file, not a directory: point it at a directory`;
  try {
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch {
    return `${where} cannot be read and written by this user: give it read and write access, or choose another directory`;
  }
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes("PG_VERSION"))
    return `${where} is not empty and holds no Pingyi database (no PG_VERSION): choose a new or empty directory`;
  // A PostgreSQL server writes postmaster.opts when it starts; PGlite never does (its
  // postmaster.pid, left by a crash, is no sign). PGlite of the same major version would open a
  // server's cluster, and write to it under the running server.
  if (entries.includes("postmaster.opts"))
    return `${where} is a PostgreSQL server's own data directory (it holds postmaster.opts), not an embedded database: the gateway would write to it under the server and corrupt it. To use that server, set DATABASE_URL to a database of it (postgres://…); for the embedded database, point PINGYI_DATA_DIR at a new directory`;
  return undefined;
}

/** An error's text, whatever threw it (PGlite throws plain objects). */
export const messageOf = (err: unknown): string => {
  if (err instanceof Error) return err.message;
  // PGlite's file-system errors are plain objects ({ name: "ErrnoError", errno }).
  if (err && typeof err === "object") {
    const o = err as { name?: unknown; errno?: unknown; message?: unknown };
    if (typeof o.message === "string") return o.message;
    if (typeof o.name === "string") return `${o.name}${o.errno !== undefined ? ` ${String(o.errno)}` : ""}`;
  }
  return String(err);
};

/** An error opening the configured database, restated with the setting it came from. */
export function databaseError(err: unknown, config: DbSettings): Error {
  if (err instanceof DataDirInUseError) return err;
  // It already says which file or directory must be writable, and by whom.
  if (err instanceof DataDirAccessError)
    return new Error(`could not open PINGYI_DATA_DIR=${config.PINGYI_DATA_DIR}: ${err.message}`, {
      cause: err,
    });
  if (config.DATABASE_URL) {
    return new Error(
      `could not open the PostgreSQL database in DATABASE_URL (${redactUrl(config.DATABASE_URL)}): ${messageOf(err)}. ` +
        "Check that the server is running and answers there and that the user, password and database name are right " +
        "(for a trial without a server, unset DATABASE_URL to use the embedded database instead; a production gateway " +
        "would then start on an empty one).",
      { cause: err },
    );
  }
  return new Error(
    `could not open the PGlite data directory PINGYI_DATA_DIR=${config.PINGYI_DATA_DIR}: ${messageOf(err)}. ` +
      "It must be a directory this user can read and write, created by Pingyi or empty.",
    { cause: err },
  );
}

/**
 * The database a started gateway uses, as its start message shows it. A mistyped DATABASE_URL
 * (DATABASE_URI=…) leaves it unset, and a production gateway then starts on a new embedded
 * database with nothing else to say so.
 */
export function databaseInUse(config: DbSettings): string {
  if (config.DATABASE_URL) return redactUrl(config.DATABASE_URL);
  if (config.PINGYI_DATA_DIR.startsWith("memory://")) return "embedded PGlite in memory (lost on exit)";
  return `embedded PGlite at ${resolve(config.PINGYI_DATA_DIR)}`;
}

/** The configured database as a message names it: which setting, and its value. */
function configuredDatabase(config: DbSettings): string {
  return config.DATABASE_URL
    ? `the PostgreSQL database in DATABASE_URL (${redactUrl(config.DATABASE_URL)})`
    : `the PGlite database in PINGYI_DATA_DIR=${config.PINGYI_DATA_DIR}`;
}

/**
 * Whether the role connected to `db` may read schema_migrations, the first of the tables a start
 * reads; true when that cannot be told, so that the error is reported as it was.
 */
async function mayReadTables(db: Db): Promise<boolean> {
  try {
    const [row] = await db.query<{ ok: boolean }>(
      "SELECT has_table_privilege('schema_migrations', 'SELECT') AS ok",
    );
    return row?.ok !== false;
  } catch {
    return true;
  }
}

/**
 * A role refused reading the tables on a database with nothing to migrate: it lacks the grants
 * of a gateway's role, and "start as the tables' owner to migrate" would not help.
 */
function grantsError(err: unknown, config: DbSettings): Error {
  const user = config.DATABASE_URL ? urlUser(config.DATABASE_URL) : undefined;
  const role = user ?? "<the gateway's role>";
  return new Error(
    `${configuredDatabase(config)} opened, but ${user ? `the user ${user}` : "the user the gateway connects as"} may not read its tables: ${messageOf(err)}. ` +
      `It lacks the grants a gateway's role needs; as the tables' owner, run GRANT ${TABLE_PRIVILEGES.join(", ")} ON ALL TABLES IN SCHEMA public TO ${role}; GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${role}; ` +
      "(docs/operators.md, PostgreSQL; the gateway's own schema in place of public if it has one). Nothing was written",
    { cause: err },
  );
}

/** The gateway's role lacks privileges on some of its tables; the message names them. */
class MissingGrantsError extends Error {}

/**
 * Refuses a start as a role that lacks, on one of the gateway's tables, a privilege operators.md's
 * GRANT gives, naming the tables and the GRANT to run. A table an upgrade's migration made has
 * only what its owner granted since (ON ALL TABLES covers the tables there when it ran), and the
 * gateway would start and then fail every request that reads it.
 */
async function checkGrants(db: Db, config: DbSettings, applied: readonly string[]): Promise<void> {
  const lacking = await tablesWithoutGrants(db);
  if (lacking.length === 0) return;
  const [who] = await db.query<{ role: string; quoted: string }>(
    "SELECT current_user AS role, quote_ident(current_user) AS quoted",
  );
  const tables = lacking.map((t) => `${t.table} (${t.missing.join(", ")})`).join(", ");
  throw new MissingGrantsError(
    `${configuredDatabase(config)} opened, but the user ${who?.role} lacks privileges a gateway's role needs on ${lacking.length === 1 ? "the table" : "the tables"} ${tables}: ` +
      `a table made by an upgrade has only the grants given since (run them again after each upgrade). As the tables' owner, run GRANT ${TABLE_PRIVILEGES.join(", ")} ON ${lacking.map((t) => t.qualified).join(", ")} TO ${who?.quoted}; ` +
      `(docs/operators.md, PostgreSQL). ${applied.length > 0 ? `The migrations were applied (${applied.join(", ")}); nothing else was written` : "Nothing was written"}`,
  );
}

/** The configured database does not store text as UTF-8; the message says what to do. */
class EncodingError extends Error {}

/**
 * Refuses a database that does not store text as UTF-8 (`encodingProblem`), before anything is
 * written to it: on a LATIN1 one the first import of Chinese unit names failed halfway through
 * its file, in the server's words, and a SQL_ASCII one stored them unchecked.
 */
export async function checkEncoding(db: Db, config: DbSettings): Promise<void> {
  const problem = await encodingProblem(db);
  if (problem)
    throw new EncodingError(
      `${configuredDatabase(config)} ${problem}, and set DATABASE_URL to that database (a database a gateway has written to goes there with pg_dump and pg_restore). Nothing was written to it`,
    );
}

/**
 * A database that opened but whose schema could not be brought up to date (a migration was
 * changed after it was applied, or failed). Not a connection problem: advice to use another
 * database would start the gateway on an empty one.
 */
export function migrationError(err: unknown, config: DbSettings): Error {
  const which = configuredDatabase(config);
  // A role that may read and write the tables but not change them (their owner migrates).
  let owner = "";
  if ((err as { code?: string }).code === "42501" && config.DATABASE_URL) {
    const user = urlUser(config.DATABASE_URL);
    owner = ` ${user ? `The user ${user}` : "The user the gateway connects as"} may not change the tables: start this release once as the role that owns them (the database's owner), then again as ${user ?? "before"}.`;
  }
  return new Error(
    `${which} opened, but its tables could not be migrated to this release: ${messageOf(err)}. ` +
      `Its data was not touched: the migrations run in one transaction, which was rolled back.${owner}`,
    { cause: err },
  );
}

/** Resolves when `port` on `host` can be listened on now (and is free again); rejects as listen would. */
export function portFree(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** An error listening on PORT/HOST, restated with what to do. */
export function listenError(err: unknown, config: Pick<Config, "PORT" | "HOST">): Error {
  const { code, syscall } = err as NodeJS.ErrnoException;
  // Only the listening itself: an EACCES while seeding is not about the port.
  if (syscall !== "listen" && syscall !== "getaddrinfo")
    return err instanceof Error ? err : new Error(messageOf(err));
  const at = `port ${config.PORT} on ${config.HOST}`;
  if (code === "EADDRINUSE")
    return new Error(
      `${at} is already in use (another gateway?): stop that process, or set PORT to another port (PORT=0 picks a free one)`,
      { cause: err },
    );
  if (code === "EACCES")
    return new Error(`${at} needs privileges this user does not have: set PORT to 1024 or above`, {
      cause: err,
    });
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
    return new Error(
      `HOST=${config.HOST} is not an address of this machine: use 127.0.0.1, or 0.0.0.0 for every interface`,
      { cause: err },
    );
  return err instanceof Error ? err : new Error(messageOf(err));
}

/**
 * Throws `dataDirProblem`'s words when the embedded database is configured and its directory
 * cannot be used, and `movedAwayProblem`'s when it was moved to a server (unless `moved`: a
 * caller that reads a moved directory knowingly, another move). Called before anything is
 * written beside the directory (the development secret), so a refused PINGYI_DATA_DIR leaves
 * no file behind.
 */
export function checkDataDir(config: DbSettings, { moved = false } = {}): void {
  if (config.DATABASE_URL) return;
  const problem =
    dataDirProblem(config.PINGYI_DATA_DIR) ?? (moved ? undefined : movedAwayProblem(config.PINGYI_DATA_DIR));
  if (problem) throw new Error(problem);
}

/** The database holds another application's tables; `tables` names some of them. */
class AnotherApplicationsError extends Error {
  constructor(readonly tables: string) {
    super(`tables that are not Pingyi's: ${tables}`);
  }
}

/**
 * Some of the tables in a database without Pingyi's (no schema_migrations), or undefined: a
 * DATABASE_URL naming the wrong database would have the gateway make its tables among another
 * application's. A new database, or one a gateway made its tables in, has none.
 */
async function anotherApplications(db: Db): Promise<string | undefined> {
  if (await hasMigrationsTable(db)) return undefined;
  const tables = await tableNames(db);
  if (tables.length === 0) return undefined;
  return tables.length > 5
    ? `${tables.slice(0, 5).join(", ")} and ${tables.length - 5} more`
    : tables.join(", ");
}

/**
 * The configured database, or an error that names the setting at fault: what `createGateway`
 * and the command line open when no store is given. With a logger, the migrations it applied
 * are logged at info (an upgrade an operator should see), and a start that needed none at debug.
 */
export async function openConfiguredStore(config: DbSettings, logger?: Logger): Promise<Store> {
  checkDataDir(config);
  // Store.open in two steps, so that a refused migration is not taken for a connection failure.
  let db: Db;
  try {
    db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.PINGYI_DATA_DIR });
  } catch (err) {
    throw databaseError(err, config);
  }
  const started = performance.now();
  let applied: string[];
  try {
    await checkEncoding(db, config);
    const foreign = await anotherApplications(db);
    if (foreign) throw new AnotherApplicationsError(foreign);
    applied = await migrate(db);
    await checkGrants(db, config, applied);
  } catch (err) {
    // Asked before closing: a role without the grants is told so, not to migrate.
    const unreadable = (err as { code?: string }).code === "42501" && !(await mayReadTables(db));
    await db.close();
    if (unreadable) throw grantsError(err, config);
    if (err instanceof AnotherApplicationsError)
      throw new Error(
        `${configuredDatabase(config)} holds tables that are not Pingyi's (${err.tables}) and none of Pingyi's: another application's database, among whose tables the gateway would make its own. ` +
          "Give the gateway a database of its own (createdb -O <its role> …), or a schema of its own (ALTER ROLE <its role> SET search_path = pingyi, with that schema made and owned by it); nothing was written",
      );
    // Not a migration's failure: said in its own words.
    if (err instanceof EncodingError || err instanceof MissingGrantsError) throw err;
    throw migrationError(err, config);
  }
  const ms = Math.round(performance.now() - started);
  if (applied.length > 0)
    logger?.info("migrations applied", { count: applied.length, migrations: applied, ms });
  else logger?.debug("no migrations to apply", { ms });
  return new Store(db);
}
