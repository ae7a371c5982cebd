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
  override readonly code = "VALIDATION";
  constructor(
    readonly issues: ValidationIssue[],
    message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; "),
  ) {
    super(message);
  }
}

export interface ImportRowError {
  /** 1-based line (CSV, NDJSON, JSON) or row number (XLSX) in the file; 0 for whole-file problems. */
  line: number;
  column?: string | undefined;
  message: string;
}

export class ImportError extends StoreError {
  override readonly code = "IMPORT_REJECTED";
  constructor(
    /** The first bad rows, capped (see `totalErrors` for the full count). */
    readonly rows: ImportRowError[],
    readonly totalErrors: number = rows.length,
    message = `import rejected: ${totalErrors} bad row${totalErrors === 1 ? "" : "s"}; nothing was written` +
      (rows[0]
        ? ` (first: line ${rows[0].line}${rows[0].column ? `, ${rows[0].column}` : ""}: ${rows[0].message})`
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
      return new ConflictError(e.detail ?? e.message ?? "duplicate key", { cause: err });
    case "23503":
      return new ValidationError([
        { path: e.constraint ?? "", message: e.detail ?? e.message ?? "reference not found" },
      ]);
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
      return err;
  }
}
