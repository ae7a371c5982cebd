import { accessSync, constants, existsSync, readdirSync, statSync } from "node:fs";
import type { Config } from "./config.js";
import { DataDirInUseError } from "./store/db.js";
import { Store } from "./store/index.js";

/**
 * Startup problems as an operator needs them: which setting, what is wrong, what to do. The
 * libraries underneath say "connect ECONNREFUSED 127.0.0.1:5432", "[object Object]" or
 * "EEXIST: file already exists, mkdir …" and leave the operator to guess the rest.
 */

type DbSettings = Pick<Config, "DATABASE_URL" | "PINGYI_DATA_DIR">;

/** The URL with its password hidden: the message goes to logs and terminals. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/**
 * Why the PGlite data directory cannot be used, before PGlite is given it (its own errors do
 * not name the directory), or undefined when it can. A non-empty directory that is not a
 * database is refused: PGlite would write a database into it, among whatever is there.
 */
export function dataDirProblem(dir: string): string | undefined {
  if (dir.includes("://")) return undefined;
  const where = `PINGYI_DATA_DIR=${dir}`;
  if (!existsSync(dir)) return undefined; // created on start
  if (!statSync(dir).isDirectory()) return `${where} is a file, not a directory: point it at a directory`;
  try {
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch {
    return `${where} cannot be read and written by this user: give it read and write access, or choose another directory`;
  }
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes("PG_VERSION"))
    return `${where} is not empty and holds no Pingyi database (no PG_VERSION): choose a new or empty directory`;
  return undefined;
}

const messageOf = (err: unknown): string => {
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
  if (config.DATABASE_URL) {
    return new Error(
      `could not open the PostgreSQL database in DATABASE_URL (${redactUrl(config.DATABASE_URL)}): ${messageOf(err)}. ` +
        "Check that the server is running and reachable there and that the user, password and database name are right, " +
        "or unset DATABASE_URL to use the embedded database.",
      { cause: err },
    );
  }
  return new Error(
    `could not open the PGlite data directory PINGYI_DATA_DIR=${config.PINGYI_DATA_DIR}: ${messageOf(err)}. ` +
      "It must be a directory this user can read and write, created by Pingyi or empty.",
    { cause: err },
  );
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
 * The configured database, or an error that names the setting at fault: what `createGateway`
 * and the command line open when no store is given.
 */
export async function openConfiguredStore(config: DbSettings): Promise<Store> {
  const problem = config.DATABASE_URL ? undefined : dataDirProblem(config.PINGYI_DATA_DIR);
  if (problem) throw new Error(problem);
  try {
    return await Store.open({ databaseUrl: config.DATABASE_URL, dataDir: config.PINGYI_DATA_DIR });
  } catch (err) {
    throw databaseError(err, config);
  }
}
