import { movedAway, writeMovedNote } from "../moved-away.js";
import { rowsText } from "../rows-text.js";
import type { Db } from "../store/index.js";
import { cliActor } from "./cli-actor.js";
import { openGatewayDatabase, shownDataDir, upgradeDatabase } from "./open-store.js";
import { UsageError } from "./usage-error.js";

/** What to do while a gateway holds the data directory. */
const WHILE_HELD = "stop the gateway first: the move copies a database no gateway is writing to";

/** Every row copied, as the entry records and the command says it. */
const rowsIn = (tables: readonly { rows: number }[]): number => tables.reduce((sum, t) => sum + t.rows, 0);

const EXAMPLE_URL = "postgres://pingyi:…@db.internal:5432/pingyi";

/**
 * `pingyi move-database --to <url> [--dry-run]`: copies the embedded database in
 * PINGYI_DATA_DIR, every table, into an empty PostgreSQL database, all or nothing, and says so
 * in the target's audit log. The data directory is left as it was (brought up to this release
 * first, as every command does): the backup of the move. A dry run does it all, the data
 * directory's migrations included, and rolls it all back.
 */
export async function moveDatabase(to: string, { dryRun = false } = {}): Promise<void> {
  const [
    { configSchema },
    { commandConfig },
    { messageOf, redactUrl },
    { openPostgres, pendingMigrations },
    copy,
  ] = await Promise.all([
    import("../config.js"),
    import("./command-config.js"),
    import("../startup.js"),
    import("../store/index.js"),
    import("../store/copy-database.js"),
  ]);
  // As DATABASE_URL is checked: a password cut short by "#" would connect somewhere else.
  const checked = configSchema.shape.DATABASE_URL.safeParse(to);
  if (!checked.success)
    throw new UsageError(
      `--to: ${checked.error.issues.at(-1)?.message} (the PostgreSQL database to move into, such as ${EXAMPLE_URL})`,
    );
  const shown = redactUrl(to);
  const { DATABASE_URL, ...env } = process.env;
  // The source is the embedded database whatever DATABASE_URL says; one that names another
  // server than --to means the command is not doing what its user thinks.
  if (DATABASE_URL && DATABASE_URL !== to)
    throw new Error(
      `DATABASE_URL is set (${redactUrl(DATABASE_URL)}), to another database than --to (${shown}): move-database moves the embedded database in PINGYI_DATA_DIR to --to, and reads no DATABASE_URL. Unset DATABASE_URL for this command`,
    );
  // A name close to DATABASE_URL is no concern of a command that reads none.
  const config = await commandConfig(env, { readsDatabaseUrl: false });
  // Moved before (to a database since lost, or the wrong one), it may be moved again: the note
  // says so, and the new move's replaces it.
  const before = movedAway(config.PINGYI_DATA_DIR);
  const source = await openGatewayDatabase(config, WHILE_HELD, { moved: true });
  if (before)
    console.error(
      `note: ${shownDataDir(config.PINGYI_DATA_DIR)} was moved before${before.to ? `, to ${before.to}` : ""}${before.at ? ` on ${before.at}` : ""} (${before.note})`,
    );
  let target: Db | undefined;
  try {
    target = await openPostgres(to, { max: 1 }).catch((err: unknown) => {
      throw new Error(
        `could not open the PostgreSQL database in --to (${shown}): ${messageOf(err)}. Check that the server answers there, that the database exists (create it empty and owned by the gateway's role, e.g. createdb -O pingyi pingyi) and that the user and password are right`,
        { cause: err },
      );
    });
    // What became of the data directory: only an upgrade to this release's tables, if that.
    let upgraded: string[] = [];
    const sourceState = () =>
      upgraded.length > 0
        ? `${shownDataDir(config.PINGYI_DATA_DIR)} was brought up to this release (${upgraded.join(", ")}) and not changed otherwise`
        : `${shownDataDir(config.PINGYI_DATA_DIR)} was not changed`;
    const refused = (why: string) =>
      new Error(`--to ${shown}: ${why}. Nothing was written to it, and ${sourceState()}`);
    /** The words for what the target's server said, with what to do when it is a known case. */
    const failure = (err: unknown) => {
      const code = (err as { code?: string }).code;
      // A target whose tables another role made (a gateway started on it as another user).
      if (code === "42501")
        return `${messageOf(err)}; connect as the role that owns the database's tables (the gateway's)`;
      if (code === "55P03")
        return `${messageOf(err)}: another session is using the database (a gateway running on it, or another move); stop it and move again`;
      return messageOf(err);
    };
    // Before the data directory is brought up to this release: a refused move changes nothing.
    const problem = await copy.targetProblem(target).catch((err: unknown) => {
      throw refused(`the database cannot be read: ${failure(err)}`);
    });
    if (problem) throw refused(`the database ${problem}`);
    const from = shownDataDir(config.PINGYI_DATA_DIR);
    // A dry run migrates nothing for good: the copy applies the pending migrations to the data
    // directory within its own transaction, and rolls them back with the rest.
    let pending: string[] = [];
    if (dryRun)
      pending = await pendingMigrations(source).catch((err: unknown) => {
        throw new Error(
          `${from} cannot be moved by this release: ${messageOf(err)}. Nothing was written to either`,
          {
            cause: err,
          },
        );
      });
    else upgraded = await upgradeDatabase(source, config);
    console.log(
      dryRun
        ? `dry run: moving ${from} to ${shown}, in one transaction rolled back at the end${pending.length > 0 ? `; the data directory brought up to this release (${pending.join(", ")}) within it, as the move would first, and rolled back too` : ""}`
        : `moving ${from} to ${shown}, in one transaction`,
    );
    const { tables, migrated, commitLost } = await copy
      .copyDatabase(source, target, {
        onTable: ({ table, rows }) => console.log(`  ${table.padEnd(20)} ${rowsText(rows)}`),
        // The target's history starts with where it came from (ids go on from the copied ones).
        record: ({ tables }) => ({
          actor: cliActor(),
          action: "move",
          entity: "database",
          entityId: shown,
          after: {
            from,
            to: shown,
            rows: rowsIn(tables),
            tables: Object.fromEntries(tables.map((t) => [t.table, t.rows])),
          },
        }),
        rollBack: dryRun,
        upgradeSource: dryRun && pending.length > 0,
      })
      .catch((err: unknown) => {
        if (err instanceof copy.TargetNotEmptyError || err instanceof copy.SchemaMismatchError)
          throw refused(err.message);
        // Said as it is: not "nothing was written", after which a move again would be refused
        // by a target that holds the data.
        if (err instanceof copy.CommitUnknownError)
          throw new Error(
            `the move to ${shown} may or may not have been written: ${err.message}. It is one transaction: the target holds all of it or nothing. ` +
              `Check the target: if its audit log holds the move's entry (auditLog(entity: "database"), or SELECT * FROM audit_log WHERE entity = 'database'), the move is complete, and the gateway starts on it with DATABASE_URL=${shown}; if it holds no tables, move again. ${sourceState()}`,
            { cause: err },
          );
        throw new Error(
          `the move to ${shown} failed: ${failure(err)}. Nothing was written to it (the move is one transaction, rolled back), and ${sourceState()}`,
          { cause: err },
        );
      });
    const rows = rowsIn(tables);
    if (commitLost !== undefined)
      console.error(
        `note: the connection to ${shown} was lost while it committed the move (${messageOf(commitLost)}); asked again on a new connection, the target says the move was committed`,
      );
    if (dryRun) {
      console.log(
        `dry run: the move would copy ${rowsText(rows)} in ${tables.length} tables, each counted and checked in the target${migrated.length > 0 ? ` (its tables made by this release's ${migrated.length} migrations)` : ""}, and was rolled back: nothing was written to ${shown}, and ${sourceState()}. To move, run the command again without --dry-run`,
      );
      return;
    }
    // After the commit: a service still started on the data directory is refused, not split
    // from the server unseen. The move stands even when the note cannot be written.
    let note: string;
    try {
      note = `${writeMovedNote(config.PINGYI_DATA_DIR, { to: shown, at: new Date().toISOString(), by: cliActor() })} says so, and a gateway or command started on it is refused until that note is deleted`;
    } catch (err) {
      note = `the note that would refuse a gateway started on it could not be written (${messageOf(err)}): make sure none is`;
    }
    console.log(
      `moved ${rowsText(rows)} in ${tables.length} tables${migrated.length > 0 ? ` (the target's tables made by this release's ${migrated.length} migrations)` : ""}, and the target's audit log records the move; ${sourceState()}: keep it as the backup of the move; ${note}.`,
    );
    console.log(
      `To run the gateway on the new database, start it with\n  DATABASE_URL=${shown}` +
        (shown.includes("***") ? "\n(with the password in place of ***, or the password in PGPASSWORD)" : ""),
    );
  } finally {
    await target?.close();
    await source.close();
  }
}
