import { rowsText } from "../rows-text.js";
import { encodingProblem } from "./database-encoding.js";
import type { Db } from "./db.js";
import { writeAudit } from "./internal.js";
import { MIGRATION_LOCK, migrate, unknownMigrations } from "./migrate.js";
import {
  type Column,
  enabledTriggers,
  foreignKeys,
  ident,
  type SequenceValue,
  sequenceValues,
  tableColumns,
  tableNames,
} from "./schema-catalog.js";
import { tableOrder } from "./table-order.js";

/** The target holds data, or tables not Pingyi's; the message says which. Nothing was written to it. */
export class TargetNotEmptyError extends Error {}

/** The two databases' tables differ after both were migrated; the message says how. Nothing was written. */
export class SchemaMismatchError extends Error {}

/**
 * The connection to the target was lost while it committed the copy, and whether the commit went
 * through could not be found out afterwards (`cause` is the lost connection's error): the target
 * holds the whole copy, or nothing of it.
 */
export class CommitUnknownError extends Error {}

export interface CopiedTable {
  table: string;
  rows: number;
}

export interface CopyOptions {
  /** Rows read from the source at a time: about what the copy holds in memory (default 2,000). */
  batchRows?: number;
  /** Told of each table once its rows are in the target, before the transaction commits. */
  onTable?: (copied: CopiedTable) => void;
  /**
   * How long to wait for the target's tables, or for another move or a gateway starting on it
   * (default 10 s): past that, something else is using the database, and waiting on would hold
   * up its sessions. A lock waited for longer fails with PostgreSQL's code 55P03.
   */
  lockWaitMs?: number;
  /**
   * The target's audit entry for the move, written last in the copy's transaction: a database
   * that was moved into says so, and from where, in its own log (none when not given).
   */
  record?: (copied: CopyResult) => MoveEntry;
  /**
   * Everything is done and checked as for a copy (the target's tables made, every row copied
   * and counted, every reference checked, the audit entry written), then rolled back: the
   * target is left as it was, its sequences too, which a rollback alone does not put back.
   */
  rollBack?: boolean;
  /**
   * With `rollBack` only: the source's pending migrations applied within the copy's reading of
   * it, and rolled back with the rest (a dry run of a move from a data directory an older
   * release left). Without it the source must be at this release's migrations already.
   */
  upgradeSource?: boolean;
}

/** The audit entry of a move (no cycle, nothing before it). */
export interface MoveEntry {
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  after: unknown;
}

export interface CopyResult {
  /** In the order they were filled: a table after those it refers to. */
  tables: CopiedTable[];
  /** The migrations that made the target's tables (none when it had this release's already). */
  migrated: string[];
  /** False when `rollBack` undid it all. */
  committed: boolean;
  /** The migrations `upgradeSource` applied to the source (and rolled back). */
  sourceMigrated: string[];
  /**
   * The error of a connection lost while the target committed, when the target, asked again on
   * a new connection, said the commit had gone through.
   */
  commitLost?: unknown;
}

/** Carries a rolled-back copy's result out of its transaction. */
class RolledBack {
  constructor(readonly result: CopyResult) {}
}

/** One insert's JSON at most (a batch of wide rows, audit records of whole schemes, is split). */
const MAX_CHUNK_CHARS = 4_000_000;

async function rowCount(db: Db, table: string): Promise<number> {
  const [r] = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ONLY ${ident(table)}`);
  return Number(r?.n);
}

/**
 * Why `target` cannot take a copy ("holds …", of the database), or undefined when it can: it has no tables, or only the
 * Pingyi tables of a gateway that started on it and stored nothing.
 */
export async function targetProblem(target: Db): Promise<string | undefined> {
  // First: a LATIN1 database would fail the move at its first Chinese row.
  const encoding = await encodingProblem(target);
  if (encoding) return encoding;
  const tables = await tableNames(target);
  if (tables.length === 0) {
    // Since PostgreSQL 15 only the database's owner may create tables in its public schema: a
    // database made by another role would fail the move at its first table.
    const [may] = await target.query<{ ok: boolean; who: string; schema: string }>(
      "SELECT has_schema_privilege(current_schema(), 'CREATE') AS ok, current_user AS who, current_schema() AS schema",
    );
    if (may && !may.ok)
      return `gives its user ${may.who} no right to create tables in schema ${may.schema}: create the database owned by that user (createdb -O ${may.who} …), or GRANT CREATE ON SCHEMA ${may.schema} TO ${may.who}`;
    return undefined;
  }
  if (!tables.includes("schema_migrations"))
    return `holds tables that are not Pingyi's (${tables.join(", ")}): give a new, empty database`;
  const held: string[] = [];
  for (const table of tables) {
    if (table === "schema_migrations") continue;
    const rows = await rowCount(target, table);
    if (rows > 0) held.push(`${table} (${rowsText(rows)})`);
  }
  if (held.length > 0)
    return `already holds Pingyi data: ${held.join(", ")}. A move neither merges into nor replaces what a database holds: give a new, empty database`;
  // Before the data directory is brought up to this release, which such a target would not take.
  const later = await unknownMigrations(target);
  if (later.length > 0)
    return `has the tables of a later release of Pingyi than this one (${later.length === 1 ? "migration" : "migrations"} ${later.join(", ")}, which this release does not know): move with that release, or give a new, empty database`;
  return undefined;
}

/**
 * Copies every table of `source` into `target`, which must hold no data: in one transaction
 * on the target (all or nothing), from one read-only snapshot of the source (never changed).
 * The target's tables are made by this release's migrations when it has none; `source` must
 * have been brought up to this release first. Rows keep their ids, the source's record of its
 * migrations replaces the target's, and sequences go on from where the source's stood.
 */
export async function copyDatabase(source: Db, target: Db, options: CopyOptions = {}): Promise<CopyResult> {
  if (options.upgradeSource && !options.rollBack)
    throw new Error(
      "copyDatabase: upgradeSource is for a copy that is rolled back (a move migrates its source first)",
    );
  const copied = source.transaction(async (src) => {
    await src.query(
      `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ${options.upgradeSource ? "" : ", READ ONLY"}`,
    );
    const sourceMigrated = options.upgradeSource ? await migrate(src) : [];
    // The target's transaction id, once the copy is done and about to be committed.
    let committing: { xact: string; result: CopyResult } | undefined;
    const copiedIn = target.transaction(async (locked): Promise<CopyResult> => {
      await locked.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(options.lockWaitMs ?? 10_000))}`);
      // Nobody writes to the target between its check and the commit: empty stays empty. The
      // migrations' lock first, as an empty database has no tables to lock: a second move (or a
      // gateway starting on it) waits for this one's commit, then finds the data and stops.
      await locked.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      const existing = await tableNames(locked);
      if (existing.length > 0)
        await locked.query(`LOCK TABLE ${existing.map(ident).join(", ")} IN ACCESS EXCLUSIVE MODE`);
      const found = await sequenceValues(locked);
      const problem = await targetProblem(locked);
      if (problem) throw new TargetNotEmptyError(`the target ${problem}`);
      // The copy in a savepoint within the locks, so that a copy not committed sets the sequences
      // back while no one else can take an id from them: a gateway on the target waits for the
      // tables, and after them would take an id a later write of its own was given again.
      let result: CopyResult;
      try {
        result = await locked.transaction((dst) => copyInto(src, dst, sourceMigrated, options));
      } catch (err) {
        await putBack(locked, found);
        throw err;
      }
      // Last before the commit: if its answer is lost with the connection, the target can still
      // be asked whether this transaction committed.
      const [xact] = await locked.query<{ id: string }>("SELECT pg_current_xact_id()::text AS id");
      committing = { xact: xact!.id, result };
      return result;
    });
    return copiedIn.catch(async (err: unknown) => {
      // Failed before the commit: rolled back, nothing written.
      if (!committing) throw err;
      const status = await commitStatus(target, committing.xact);
      if (status === "committed") return { ...committing.result, commitLost: err };
      if (status === "aborted") throw err;
      throw new CommitUnknownError(
        `the connection to the target was lost while it committed the copy (${messageOf(err)}), and ${status}`,
        { cause: err },
      );
    });
  });
  // Out of both transactions: a rolled-back copy undoes the source's migrations too.
  return copied.catch((err: unknown) => {
    if (err instanceof RolledBack) return err.result;
    throw err;
  });
}

/** The copy itself, into a target locked, checked and found empty. */
async function copyInto(
  src: Db,
  dst: Db,
  sourceMigrated: string[],
  options: CopyOptions,
): Promise<CopyResult> {
  const batchRows = options.batchRows ?? 2_000;
  const migrated = await migrate(dst);
  const columns = await sameTables(src, dst);
  const { order, deferred } = tableOrder([...columns.keys()], await foreignKeys(dst));
  // The migrations' checks are for the gateway's writes: rows of a finalised year would be
  // refused, and the source's rows passed them when they were written.
  const triggers = await enabledTriggers(dst);
  for (const t of triggers) await dst.query(`ALTER TABLE ${ident(t.table)} DISABLE TRIGGER ${ident(t.name)}`);
  for (const k of deferred) await dst.query(`ALTER TABLE ${ident(k.table)} DROP CONSTRAINT ${ident(k.name)}`);
  // What the migrations wrote (schema_migrations) gives way to the source's same rows.
  for (const table of [...order].reverse()) await dst.query(`DELETE FROM ONLY ${ident(table)}`);
  const tables: CopiedTable[] = [];
  for (const table of order) {
    const rows = await copyTable(src, dst, table, columns.get(table)!, batchRows);
    const stored = await rowCount(dst, table);
    if (stored !== rows) throw new Error(`${table}: ${rows} rows read from the source, but ${stored} stored`);
    tables.push({ table, rows });
    options.onTable?.({ table, rows });
  }
  for (const s of await sequenceValues(src))
    if (s.last !== null) await dst.query("SELECT setval($1::regclass, $2::bigint)", [ident(s.name), s.last]);
  // Added again, each checks every row it covers.
  for (const k of deferred)
    await dst.query(`ALTER TABLE ${ident(k.table)} ADD CONSTRAINT ${ident(k.name)} ${k.definition}`);
  for (const t of triggers)
    await dst.query(`ALTER TABLE ${ident(t.table)} ENABLE ${ENABLE[t.mode] ?? ""}TRIGGER ${ident(t.name)}`);
  const result: CopyResult = { tables, migrated, committed: !options.rollBack, sourceMigrated };
  const entry = options.record?.(result);
  // After the sequences are set: the entry's id follows the copied ones.
  if (entry) await writeAudit(dst, { ...entry, cycleId: null });
  if (options.rollBack) throw new RolledBack(result);
  return result;
}

/** How long a transaction whose commit was lost may stay in progress before the wait is given up. */
const COMMIT_STATUS_WAIT_MS = 10_000;

/**
 * Whether the target's transaction `xact` committed, asked on a new connection after the one
 * that sent its COMMIT was lost: "committed", "aborted", or why that cannot be told. A
 * transaction still in progress is one whose server process has not yet noticed the lost
 * connection (and rolls back when it does) or is finishing its commit: asked again until it ends.
 */
async function commitStatus(target: Db, xact: string): Promise<"committed" | "aborted" | string> {
  const until = performance.now() + COMMIT_STATUS_WAIT_MS;
  for (;;) {
    let status: string | null;
    try {
      const [row] = await target.query<{ status: string | null }>(
        "SELECT pg_xact_status($1::xid8) AS status",
        [xact],
      );
      status = row?.status ?? null;
    } catch (err) {
      return `the target could not be asked whether it did (${messageOf(err)})`;
    }
    if (status === "committed" || status === "aborted") return status;
    if (status !== "in progress") return `the target no longer knows whether transaction ${xact} committed`;
    if (performance.now() > until)
      return `the target's transaction ${xact} was still in progress ${COMMIT_STATUS_WAIT_MS / 1000} s later`;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** An error's text, whatever the driver threw. */
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Sequences are outside transactions: a copy that did not commit (rolled back, or failed) sets
 * the sequences of the tables the target had back where it found them, while it still holds
 * those tables. Those the copy made go with its rollback.
 */
async function putBack(target: Db, found: readonly SequenceValue[]): Promise<void> {
  try {
    for (const s of found)
      await target.query("SELECT setval($1::regclass, $2::bigint, $3)", [
        ident(s.name),
        s.last ?? s.start,
        s.last !== null,
      ]);
  } catch {
    // The target cannot be reached (what failed the copy, most likely): the copy's own error
    // says more than this one would. A sequence left ahead only skips ids.
  }
}

const ENABLE: Readonly<Record<string, string>> = { A: "ALWAYS ", R: "REPLICA " };

/** The tables' columns, refused unless both databases have the same migrations, tables and columns. */
async function sameTables(src: Db, dst: Db): Promise<Map<string, Column[]>> {
  const applied = "SELECT version, name, checksum FROM schema_migrations ORDER BY version";
  const [from, to] = [await src.query<{ name: string }>(applied), await dst.query<{ name: string }>(applied)];
  if (JSON.stringify(from) !== JSON.stringify(to))
    throw new SchemaMismatchError(
      `the source and the target are at different migration levels after both were brought up to this release: the source has ${from.map((m) => m.name).join(", ") || "none"}; the target ${to.map((m) => m.name).join(", ") || "none"}`,
    );
  const [mine, theirs] = [await tableColumns(src), await tableColumns(dst)];
  const shape = (cs: Column[] | undefined) => cs?.map((c) => `${c.name} ${c.type}`).join(", ");
  const differ = [...new Set([...mine.keys(), ...theirs.keys()])]
    .filter((t) => shape(mine.get(t)) !== shape(theirs.get(t)))
    .map(
      (t) =>
        `${t} (source: ${shape(mine.get(t)) ?? "no such table"}; target: ${shape(theirs.get(t)) ?? "no such table"})`,
    );
  if (differ.length > 0)
    throw new SchemaMismatchError(
      `the source's and the target's tables differ, though both have the same migrations (changed by hand?): ${differ.join("; ")}`,
    );
  return mine;
}

/**
 * Streams one table across, `batchRows` rows at a time, each row as JSON (whose text keeps
 * numerics as written, times to the microsecond with their offset, floats, bytea and arrays
 * exact). Not quite every value: a json or jsonb value that is JSON's own `null` arrives as SQL
 * NULL, and an array's explicit lower bound is lost; no column of this release's tables holds
 * either (the audit log stores a missing value as SQL NULL), which a later migration must keep.
 */
async function copyTable(
  src: Db,
  dst: Db,
  table: string,
  columns: Column[],
  batchRows: number,
): Promise<number> {
  const names = columns.map((c) => ident(c.name)).join(", ");
  const override = columns.some((c) => c.identity === "a") ? " OVERRIDING SYSTEM VALUE" : "";
  const insert = `INSERT INTO ${ident(table)} (${names})${override} SELECT ${names} FROM json_populate_recordset(NULL::${ident(table)}, $1::json)`;
  await src.query(
    `DECLARE pingyi_copy NO SCROLL CURSOR FOR SELECT to_json(r)::text AS row FROM (SELECT ${names} FROM ONLY ${ident(table)}) r`,
  );
  let count = 0;
  for (;;) {
    const batch = await src.query<{ row: string }>(`FETCH ${batchRows} FROM pingyi_copy`);
    if (batch.length === 0) break;
    for (const chunk of chunks(batch.map((r) => r.row))) await dst.query(insert, [`[${chunk.join(",")}]`]);
    count += batch.length;
  }
  await src.query("CLOSE pingyi_copy");
  return count;
}

/** Rows in runs of at most MAX_CHUNK_CHARS characters (a longer row alone). */
function* chunks(rows: string[]): Generator<string[]> {
  let run: string[] = [];
  let size = 0;
  for (const row of rows) {
    if (run.length > 0 && size + row.length > MAX_CHUNK_CHARS) {
      yield run;
      run = [];
      size = 0;
    }
    run.push(row);
    size += row.length + 1;
  }
  if (run.length > 0) yield run;
}
