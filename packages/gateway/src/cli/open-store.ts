import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Config } from "../config.js";
import type { Db, Store } from "../store/index.js";
import { hasMigrationsTable } from "../store/migrate.js";

// Loaded when a command opens the database (`await import`): the store takes seconds to load,
// which `--help` and a refused argument should not wait for.

/** PINGYI_DATA_DIR as set, and the directory it is from here when it is relative. */
export function shownDataDir(dir: string): string {
  const full = resolve(dir);
  return `PINGYI_DATA_DIR=${dir}${full === dir ? "" : ` (${full})`}`;
}

/** What to do about a data directory that is not the gateway's. */
export const USE_THE_GATEWAYS_DATA_DIR =
  "Set PINGYI_DATA_DIR to the data directory your gateway uses (./.pingyi unless it sets one, relative to the directory it is started from)";

/**
 * Refuses a configured database the gateway has not made: the commands read and write a
 * gateway's data, and one opened on a mistyped or relative PINGYI_DATA_DIR (or a new
 * PostgreSQL database) would be created empty, or seeded, and take an import no gateway reads.
 */
function refuseNoDataDir(config: Config): void {
  if (config.DATABASE_URL) return;
  const dir = config.PINGYI_DATA_DIR;
  if (dir.startsWith("memory://"))
    throw new Error(
      `PINGYI_DATA_DIR=${dir} is a database that lives inside the one process that opens it: this command would work on a new, empty one and lose it on exit. ` +
        "Set PINGYI_DATA_DIR to the data directory of your gateway, or use the GraphQL API of the gateway that holds it",
    );
  if (existsSync(join(dir, "PG_VERSION"))) return;
  throw new Error(
    `${shownDataDir(dir)} holds no Pingyi database: the gateway creates it on its first start (pingyi serve), and this command does not, as nothing it wrote there would reach the gateway. ${USE_THE_GATEWAYS_DATA_DIR}`,
  );
}

/**
 * Opens the configured database, refused unless a gateway has made it, not yet brought up to
 * this release (`upgradeDatabase`). `whileHeld` says what to do instead while a gateway holds
 * the data directory; `moved` opens one moved to a server (see checkDataDir).
 */
export async function openGatewayDatabase(
  config: Config,
  whileHeld: string,
  { moved = false } = {},
): Promise<Db> {
  const [{ checkDataDir, checkEncoding, databaseError, redactUrl }, { DataDirInUseError }, { openDatabase }] =
    await Promise.all([import("../startup.js"), import("../store/db.js"), import("../store/index.js")]);
  // The setting's own problems (a file, a directory of other files) first, in their words.
  checkDataDir(config, { moved });
  refuseNoDataDir(config);
  let db: Db;
  try {
    db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.PINGYI_DATA_DIR });
  } catch (err) {
    if (err instanceof DataDirInUseError) err.message += `; ${whileHeld}`;
    throw databaseError(err, config);
  }
  try {
    // As the gateway refuses it: an import of Chinese unit names into it fails, or goes in unchecked.
    await checkEncoding(db, config);
    if (!(await hasMigrationsTable(db)))
      throw new Error(
        config.DATABASE_URL
          ? `the PostgreSQL database in DATABASE_URL (${redactUrl(config.DATABASE_URL)}) has no Pingyi tables: the gateway creates them on its first start (pingyi serve), and this command does not. Set DATABASE_URL to your gateway's database`
          : `PINGYI_DATA_DIR=${config.PINGYI_DATA_DIR} holds a database without Pingyi tables: the gateway creates them on its first start (pingyi serve), and this command does not`,
      );
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/**
 * Brings the database to this release's tables, as the gateway of the same release would on
 * start; an upgrade is said, as the gateway logs it, not done in silence. Closes it on failure.
 * Returns the migrations applied.
 */
export async function upgradeDatabase(db: Db, config: Config): Promise<string[]> {
  const [{ migrationError }, { migrate }] = await Promise.all([
    import("../startup.js"),
    import("../store/index.js"),
  ]);
  try {
    const applied = await migrate(db).catch((err: unknown) => {
      throw migrationError(err, config);
    });
    if (applied.length > 0)
      console.error(
        `note: the database was brought up to this release: applied ${applied.length === 1 ? "migration" : "migrations"} ${applied.join(", ")}`,
      );
    return applied;
  } catch (err) {
    await db.close();
    throw err;
  }
}

/**
 * The configured gateway's store, brought up to this release, and the database as `serve` names
 * it on start ("embedded PGlite at /srv/pingyi/.pingyi", a URL without its password): a command
 * that writes says where it wrote, as PINGYI_DATA_DIR relative to another directory, or
 * DATABASE_URL unset in this shell, is another gateway's data.
 */
export async function openStore(): Promise<{ config: Config; store: Store; database: string }> {
  const [{ commandConfig }, { Store }, { databaseInUse }] = await Promise.all([
    import("./command-config.js"),
    import("../store/index.js"),
    import("../startup.js"),
  ]);
  const config = await commandConfig();
  const db = await openGatewayDatabase(
    config,
    "stop the gateway first, or use the GraphQL API while it runs (importFile, removeImport, ranking)",
  );
  await upgradeDatabase(db, config);
  return { config, store: new Store(db), database: databaseInUse(config) };
}
