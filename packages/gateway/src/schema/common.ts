import { builder } from "../builder.js";
import { GraphQLError, Kind, type ValueNode } from "../graphql.js";
import {
  ConflictError,
  CycleFinalisedError,
  ForbiddenError,
  ImportError,
  NotFoundError,
  StoreError,
  ValidationError,
} from "../store/index.js";
import { parseIsoInstant } from "./iso-instant.js";

/** A record without its absent optional fields, as the store returns records. */
export const compactRecord = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

function literal(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literal);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literal(f.value)]));
    // A bare word (`type: mean`) parses as an enum value: it was meant as a string.
    case Kind.ENUM:
      throw new GraphQLError(`${node.value} in a JSON literal must be quoted: "${node.value}"`);
    default:
      throw new GraphQLError("variables are not allowed inside JSON literals");
  }
}

builder.scalarType("JSON", {
  description:
    "Any JSON value (scheme documents, scenario patches, diff values). Numbers are parsed as doubles (15 significant digits): send a decimal with more digits as a string to keep them all.",
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: literal,
});

const FIRST_INSTANT = Date.parse("0001-01-01T00:00:00Z");
const LAST_INSTANT = Date.parse("9999-12-31T23:59:59.999Z");

builder.scalarType("DateTime", {
  description:
    "An ISO-8601 timestamp: a date (2019-01-15, the day's start in UTC) or a date and time with its zone (2019-01-15T08:00:00Z, 2019-01-15 08:00:00+08:00), from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z.",
  serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
  parseValue: (v) => {
    const d = typeof v === "string" ? parseIsoInstant(v) : null;
    if (!d)
      throw new GraphQLError(
        `must be an ISO 8601 date, or date and time with its zone, such as 2019-01-15 or 2019-01-15T08:00:00+08:00 (got ${JSON.stringify(v)})`,
      );
    // Year 0000 (1 BC) and a zone pushing 9999 into year 10000 are ISO 8601 but no year the
    // database is sent as written: refused here, not failed on as "Unexpected error.".
    if (d.getTime() < FIRST_INSTANT || d.getTime() > LAST_INSTANT)
      throw new GraphQLError(
        `must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (got ${JSON.stringify(v)})`,
      );
    return d;
  },
});

builder.scalarType("File", {
  description: "A file sent as a GraphQL multipart request part.",
  serialize: () => {
    throw new GraphQLError("File is an input-only type");
  },
  // Only a multipart part is a File: a string or object in a JSON body is the file's content sent
  // the wrong way, and reading it as a stream would fail as an internal error.
  parseValue: (v) => {
    if (typeof (v as File | null)?.stream !== "function")
      throw new GraphQLError(
        "a file must be sent as a part of a GraphQL multipart request (Content-Type: multipart/form-data), not inside the JSON body",
      );
    return v as File;
  },
});

builder.queryType({
  description: "Reads. Rankings may be public (configuration); everything else needs a token.",
});
builder.mutationType({
  description: "Writes. Rule and data administration is admin-only; scenarios are analyst+.",
});
builder.subscriptionType({ description: "Live updates over Server-Sent Events." });

// ---------------------------------------------------------------------------------------------
// Typed errors a client can act on; anything else is masked as "Unexpected error."

export const ErrorInterface = builder.interfaceRef<StoreError>("Error").implement({
  description: "A problem the client can act on. `code` is stable and machine-readable.",
  fields: (t) => ({
    message: t.exposeString("message"),
    code: t.exposeString("code"),
  }),
});

builder.objectType(StoreError, {
  name: "BaseError",
  description: "Any other client-actionable store error (e.g. an immutable row was asked to change).",
  interfaces: [ErrorInterface],
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ entity: t.exposeString("entity"), id: t.exposeString("id") }),
});

builder.objectType(ConflictError, {
  name: "ConflictError",
  description:
    "Someone else changed the thing first (e.g. a scheme version was published meanwhile): reload and retry.",
  interfaces: [ErrorInterface],
});

builder.objectType(CycleFinalisedError, {
  name: "CycleFinalisedError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ cycleId: t.exposeString("cycleId", { nullable: true }) }),
});

builder.objectType(ForbiddenError, {
  name: "ForbiddenError",
  description:
    "Authenticated, but not allowed to touch this particular object (e.g. another analyst's scenario).",
  interfaces: [ErrorInterface],
});

export const ValidationIssueRef = builder
  .objectRef<{ path: string; message: string }>("ValidationIssue")
  .implement({
    description: "One problem; `path` locates it in the input (`scheme.categories[2].points`, `input.name`).",
    fields: (t) => ({ path: t.exposeString("path"), message: t.exposeString("message") }),
  });

builder.objectType(ValidationError, {
  name: "ValidationError",
  description: "The input was rejected and nothing was written. Every problem is listed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ issues: t.field({ type: [ValidationIssueRef], resolve: (e) => e.issues }) }),
});

const ImportRowError = builder
  .objectRef<{ line: number; record?: number | undefined; column?: string | undefined; message: string }>(
    "ImportRowError",
  )
  .implement({
    fields: (t) => ({
      line: t.exposeInt("line", {
        description:
          "The file's line (a worksheet's row for XLSX) where the bad record starts; 0 when the problem is the file as a whole (a damaged workbook, a file that is not the format it says).",
      }),
      record: t.int({
        nullable: true,
        description:
          "For a JSON array, the bad record's 1-based number in it: an array written on one line has every record on line 1. Null for CSV, XLSX and NDJSON, whose line is the record's, and for the file as a whole.",
        resolve: (r) => r.record ?? null,
      }),
      column: t.string({
        nullable: true,
        description:
          "The column as the file's header names it; null when the problem is the row or the file.",
        resolve: (r) => r.column ?? null,
      }),
      message: t.exposeString("message"),
    }),
  });

builder.objectType(ImportError, {
  name: "ImportError",
  description: "The file was rejected and nothing was written; the first bad rows are listed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    rows: t.field({
      type: [ImportRowError],
      description:
        "The first 1,000 problems, in the file's order. The rows refused for one value alone (a unit the cycle does not have, a survey answer, respondent group or category the scheme does not declare) are one problem, at the first of them, its message saying how many rows hold the value and where the first are.",
      resolve: (e) => e.rows,
    }),
    totalErrors: t.exposeInt("totalErrors", {
      description: "Every problem found, listed or not, the rows of one refused value counting once.",
    }),
  }),
});

/** The typed errors most reads can produce. */
export const READ_ERRORS = [NotFoundError, ValidationError];
/** The typed errors most writes can produce. */
export const WRITE_ERRORS = [
  ValidationError,
  NotFoundError,
  ConflictError,
  CycleFinalisedError,
  ForbiddenError,
];
