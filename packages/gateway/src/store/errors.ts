import { placeText, type RecordPlace } from "../import/record-place.js";

/**
 * Typed store errors. The GraphQL layer exposes StoreError subclasses to clients and masks
 * everything else, so driver errors are translated here and never leak as-is.
 */
export class StoreError extends Error {
  /** A stable machine-readable code for clients. */
  readonly code: string = "STORE_ERROR";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class NotFoundError extends StoreError {
  override readonly code = "NOT_FOUND";
  constructor(
    readonly entity: string,
    readonly id: string,
    message = `${entity} '${id}' not found`,
  ) {
    super(message);
  }
}

/** Someone else changed the thing first (publish race, duplicate key, reused import id). */
export class ConflictError extends StoreError {
  override readonly code = "CONFLICT";
}

export class CycleFinalisedError extends StoreError {
  override readonly code = "CYCLE_FINALISED";
  constructor(
    readonly cycleId: string | undefined,
    message = cycleId ? `cycle '${cycleId}' is finalised and cannot be changed` : "the cycle is finalised",
  ) {
    super(message);
  }
}

/**
 * A write to a finalised cycle, refused saying when the year was finalised and where a correction
 * goes: an administrator who meets it mid-import asks both.
 */
export function finalisedRefusal(
  cycleId: string,
  finalisedAt: Date | string | null | undefined,
): CycleFinalisedError {
  return new CycleFinalisedError(
    cycleId,
    `cycle '${cycleId}' is finalised (at ${finalisedAtText(finalisedAt)}) and cannot be changed: a correction decided later goes in a new cycle of the same year`,
  );
}

/** When a cycle was finalised, as its refusals say it (a row edited by hand may have no time). */
export function finalisedAtText(finalisedAt: Date | string | null | undefined): string {
  return finalisedAt ? new Date(finalisedAt).toISOString() : "an unrecorded time";
}

/** Rows that the database keeps forever (scheme versions, audit log) were asked to change. */
export class ImmutableError extends StoreError {
  override readonly code = "IMMUTABLE";
}

export class ForbiddenError extends StoreError {
  override readonly code = "FORBIDDEN";
}

export interface ValidationIssue {
  path: string;
  message: string;
}

export class ValidationError extends StoreError {
  override readonly code: string = "VALIDATION";
  constructor(
    readonly issues: ValidationIssue[],
    message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; "),
  ) {
    super(message);
  }
}

/**
 * A page cursor issued before its list's data changed. Its own code because the client's remedy
 * differs from a malformed argument's: ask for the first page again, without reading the message.
 */
export class StaleCursorError extends ValidationError {
  override readonly code = "STALE_CURSOR";
}

/**
 * One bad row: where it is (`line`, 0 for whole-file problems; and `record`, its number in a JSON
 * array), its column, and why.
 */
export interface ImportRowError extends RecordPlace {
  column?: string | undefined;
  message: string;
}

/**
 * The database cannot store the change: its disk is full, or the embedded database stopped
 * working after a write failed. The change was rolled back; what was stored before is kept.
 */
export class StorageError extends StoreError {
  override readonly code = "STORAGE";
}

/**
 * The database server cannot be reached or is going away (a restart, a failover, the network).
 * Clients can tell this from their own mistakes and retry; the operator sees it in /ready.
 */
export class UnavailableError extends StoreError {
  override readonly code = "UNAVAILABLE";
}

/** Node's socket errors and libpq's connection classes: the request never got a fair answer. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EPIPE",
]);
// 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now; the connection
// exceptions of class 08 except 08P01, a protocol violation, which is a bug of ours to log.
const GOING_AWAY = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"]);
// pg's own words for a connection it lost or could not get (no code).
const LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * How a refused import starts: "import rejected: 3 bad rows", and, when the rows of a refused
 * value were said together, as how many problems ("8648 bad rows (4 problems)").
 */
function importRejectedText(badRows: number, problems: number): string {
  const rows = `${badRows} bad row${badRows === 1 ? "" : "s"}`;
  return `import rejected: ${rows}${problems === badRows ? "" : ` (${problems} problem${problems === 1 ? "" : "s"})`}`;
}

/**
 * How a refused import starts. Line 0 is the file as a whole (a damaged workbook): no row, so
 * not counted as a bad one, and no line to look at ("1 bad row … line 0" sent people looking).
 */
export function importRejectedHeadline(
  rows: readonly ImportRowError[],
  badRows: number,
  totalErrors: number,
): string {
  const file = rows.filter((r) => r.line === 0).length;
  if (totalErrors === file) return "import rejected: a problem with the file as a whole";
  return (
    importRejectedText(badRows - file, totalErrors - file) +
    (file > 0 ? ", and a problem with the file as a whole" : "")
  );
}

export class ImportError extends StoreError {
  override readonly code = "IMPORT_REJECTED";
  constructor(
    /**
     * The first bad rows, capped (see `totalErrors` for the full count); the rows of one refused
     * value (an unknown unit, an answer the survey does not have) as one, with their count.
     */
    readonly rows: ImportRowError[],
    /** The problems: each of `rows`, and those past the cap. */
    readonly totalErrors: number = rows.length,
    /** The bad rows, each row of a refused value counted. */
    readonly badRows: number = totalErrors,
    message = `${importRejectedHeadline(rows, badRows, totalErrors)}; nothing was written` +
      (rows[0]
        ? rows[0].line === 0
          ? ` (${rows[0].message})`
          : ` (first: ${placeText(rows[0])}${rows[0].column ? `, ${rows[0].column}` : ""}: ${rows[0].message})`
        : ""),
  ) {
    super(message);
  }
}

// Raised by our triggers (see migrations/001_init.sql) so they can be told apart from other errors.
export const SQLSTATE_CYCLE_FINALISED = "PY001";
export const SQLSTATE_IMMUTABLE = "PY002";

interface DriverError {
  code?: string;
  table?: string;
  message?: string;
  detail?: string;
  constraint?: string;
}

/** Translates PostgreSQL errors (from pg or PGlite, same SQLSTATEs) into StoreErrors. */
export function mapDbError(err: unknown): unknown {
  if (err instanceof StoreError || typeof err !== "object" || err === null) return err;
  const e = err as DriverError;
  switch (e.code) {
    case SQLSTATE_CYCLE_FINALISED: {
      const m = /cycle '([^']*)'/.exec(e.message ?? "");
      return new CycleFinalisedError(m?.[1]);
    }
    case SQLSTATE_IMMUTABLE:
      return new ImmutableError(e.message ?? "row is immutable", { cause: err });
    case "23505":
      if (e.constraint === "scheme_versions_pkey") {
        return new ConflictError(
          "another version of this scheme was published meanwhile; reload it and reapply your edit",
          {
            cause: err,
          },
        );
      }
      return new ConflictError(duplicateMessage(e), { cause: err });
    // The server gave way to a concurrent transaction and rolled this one back whole. Not
    // retried here: a transaction's callback may have consumed a stream or told someone.
    case "40P01":
    case "40001":
      return new ConflictError(
        `this change collided with a concurrent one (${e.code === "40P01" ? "deadlock detected" : "could not serialize access"}) and was rolled back: send it again`,
        { cause: err },
      );
    case "55P03": // lock_timeout, as an operator may set it for the gateway's role
      return new ConflictError(
        "this change waited too long for a concurrent one to finish and was rolled back: send it again",
        { cause: err },
      );
    case "23503":
      return new ValidationError([referenceIssue(e)]);
    case "53100": // disk_full
      return new StorageError(
        "the database's disk is full, so this change was rolled back and nothing of it was stored (what was stored before is kept): free disk space on the database's disk and send it again",
        { cause: err },
      );
    case "22021": // character not in repertoire (e.g. NUL in text)
    case "22P05": // untranslatable character (NUL in jsonb)
      return new ValidationError([
        { path: "", message: "text must not contain NUL characters or invalid byte sequences" },
      ]);
    case "23514":
    case "23502":
    case "22P02":
    case "22003":
      return new ValidationError([{ path: e.constraint ?? "", message: e.message ?? "invalid value" }]);
    default:
      if (UNREACHABLE.has(e.code ?? "") || GOING_AWAY.has(e.code ?? "") || LOST.test(e.message ?? ""))
        return new UnavailableError(
          "the database cannot be reached just now: try again in a moment; a change sent just before may or may not have been stored, so look before sending it again",
          { cause: err },
        );
      return err;
  }
}

/** `Key (a, b)=(x, y) …` in a driver's detail, as columns and values (values may not hold ", "). */
function parseKey(
  detail: string | undefined,
): { columns: string[]; values: string[]; table?: string } | null {
  const m =
    /Key \(([^)]*)\)=\((.*)\) (?:already exists|is not present in table "([^"]+)"|is still referenced from table "([^"]+)")/.exec(
      detail ?? "",
    );
  if (!m) return null;
  const columns = m[1]!.split(",").map((c) => c.trim());
  const values = m[2]!.split(", ");
  const table = m[3] ?? m[4];
  // A value that contains ", " splits too far: then no value is named rather than a wrong one.
  return { columns, values: values.length === columns.length ? values : [], ...(table ? { table } : {}) };
}

const ENTITY: Record<string, string> = {
  cycles: "cycle",
  units: "unit",
  groups: "group",
  schemes: "scheme",
  scheme_versions: "scheme version",
  imports: "import",
  scores: "score",
  inputs: "input",
  ballots: "ballot",
  survey_forms: "survey form",
  findings: "finding",
  bonus_events: "bonus event",
  veto_events: "veto event",
  scenarios: "scenario",
};
const entityOf = (table: string | undefined) =>
  table ? (ENTITY[table] ?? table.replace(/_/g, " ").replace(/s$/, "")) : "record";

/** The client-side field a referencing column is filled from. */
const FIELD: Record<string, string> = {
  unit_id: "unitId",
  parent_id: "parent",
  group_id: "group",
  cycle_id: "cycleId",
  import_id: "importId",
  scheme_id: "schemeId",
  scheme_version: "schemeVersion",
};

/** The table a constraint belongs to, from PostgreSQL's default names (`<table>_<cols>_fkey`). */
function constraintTable(e: DriverError & { table?: string }): string | undefined {
  if (e.table) return e.table;
  const c = e.constraint ?? "";
  return Object.keys(ENTITY)
    .filter((t) => c.startsWith(`${t}_`))
    .sort((a, b) => b.length - a.length)[0];
}

/** "cycle '2019' already exists", never the driver's `Key (id)=(2019)` text. */
function duplicateMessage(e: DriverError & { table?: string }): string {
  const key = parseKey(e.detail);
  const entity = entityOf(constraintTable(e));
  if (!key || key.values.length === 0) return `this ${entity} already exists`;
  const own = key.columns.map((c, i) => [c, key.values[i]!] as const).filter(([c]) => c !== "cycle_id");
  const cycle = key.values[key.columns.indexOf("cycle_id")];
  const what = own.length === 1 ? `'${own[0]![1]}'` : `(${own.map(([c, v]) => `${c} '${v}'`).join(", ")})`;
  return `${entity} ${what} already exists${cycle !== undefined ? ` in cycle '${cycle}'` : ""}`;
}

/** A foreign-key violation as an issue on the field that named the missing (or still used) row. */
function referenceIssue(e: DriverError & { table?: string }): ValidationIssue {
  const key = parseKey(e.detail);
  const still = /still referenced/.test(e.detail ?? e.message ?? "");
  if (!key) return { path: "", message: still ? "still referenced by other records" : "reference not found" };
  const last = key.columns.length - 1;
  const value = key.values[last];
  const cycle = key.values[key.columns.indexOf("cycle_id")];
  if (still) {
    // Deleting a row that others point at: `key.table` is the referencing table.
    return {
      path: "id",
      message: `${value !== undefined ? `'${value}' ` : ""}is still referenced by ${key.table ? `${entityOf(key.table)} records` : "other records"}; delete those first`,
    };
  }
  const column = key.columns[last]!;
  return {
    path: FIELD[column] ?? column.replace(/_(\w)/g, (_m, ch: string) => ch.toUpperCase()),
    message:
      `${entityOf(key.table)}${value !== undefined ? ` '${value}'` : ""} not found` +
      (cycle !== undefined && column !== "cycle_id" ? ` in cycle '${cycle}'` : ""),
  };
}
