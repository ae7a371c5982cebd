import type { Db } from "../store/db.js";
import type { ImportRowError } from "../store/errors.js";
import type { ImportKind } from "../store/types.js";
import { trimCell } from "./cell-text.js";
import type { RecordPlace } from "./record-place.js";

/**
 * How one kind of import maps file columns onto a table. Headers are matched after
 * normalisation (trimmed, lower-case, spaces and hyphens as "_"), against the English name
 * and its aliases (Chinese headers as exported by the usual spreadsheets).
 */
export type ColumnType = "text" | "unit" | "decimal" | "boolean" | "date" | "rectification";

export interface ImportColumn {
  /** The documented English header, e.g. "respondent_group". */
  name: string;
  /** The table column it fills. */
  dbColumn: string;
  aliases: readonly string[];
  type: ColumnType;
  required?: boolean;
  /** Stored when the cell is empty (for NOT NULL columns with a natural default). */
  emptyValue?: string;
}

export interface KindSpec {
  kind: ImportKind;
  table: string;
  columns: readonly ImportColumn[];
  /** Column names that identify a row; duplicates in the file or in the cycle are rejected. */
  key?: readonly string[];
  /**
   * Fields a row must leave empty (or 0): the cycle has no place for them, and dropping them
   * would change what the row means (an earlier year's veto stored as this year's).
   */
  refused?: readonly { names: readonly string[]; message: string }[];
  /** Cross-column rule on the mapped values (by column name); returns an issue or undefined. */
  check?(values: Record<string, string | null>): { column: string; message: string } | undefined;
  /**
   * For kinds whose rows refer to each other (units and their parents, in any order): every
   * mapped row is held until the file ends, then checked together, and written in the order
   * returned. May write what the rows need first (groups), inside the import's transaction.
   */
  prepare?(file: WholeFile, rows: readonly MappedRow[]): Promise<Prepared>;
}

/** One row of the file, its values in column order, and where it is. */
export interface MappedRow extends RecordPlace {
  values: readonly (string | null)[];
}

export interface WholeFile {
  tx: Db;
  cycleId: string;
  importId: string;
  actor: string;
  /** A column as the file names it, for errors: "上级单位 (parent)". */
  label(column: string): string;
}

export type Prepared = { errors: ImportRowError[] } | { order: readonly MappedRow[] };

export const normaliseHeader = (h: string) =>
  trimCell(h)
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

export const UNIT_ALIASES = [
  "unit_id",
  // The GraphQL inputs' name (recordFinding's `unitId`): JSON written from the API's shape.
  "unitId",
  "unit_code",
  "单位编号",
  "单位代码",
  "单位",
  "被评单位",
  "被评议单位",
  "单位名称",
];
export const CATEGORY_ALIASES = ["category_id", "类别", "考核类别", "评议类别", "考核项目"];

const SQL_CAST: Record<ColumnType, string> = {
  text: "",
  unit: "",
  decimal: "::numeric",
  boolean: "::boolean",
  date: "::date",
  rectification: "",
};

/** INSERT … SELECT … FROM unnest($3::text[], …): one round trip per batch on both backends. */
export function insertSql(spec: KindSpec): string {
  const cols = spec.columns;
  const arrays = cols.map((_, i) => `$${i + 3}::text[]`).join(", ");
  const aliases = cols.map((_, i) => `c${i}`).join(", ");
  const select = cols.map((c, i) => `c${i}${SQL_CAST[c.type]}`).join(", ");
  return `INSERT INTO ${spec.table} (cycle_id, import_id, ${cols.map((c) => c.dbColumn).join(", ")})
    SELECT $1, $2, ${select} FROM unnest(${arrays}) AS t(${aliases})`;
}

/**
 * Finds which of a batch's rows have a key already in the cycle, as their 1-based places in the
 * batch (`n`): the row, and so its line, is known from the batch itself, never looked up again
 * from the stored key's text.
 */
export function existingKeysSql(spec: KindSpec): string | undefined {
  if (!spec.key) return undefined;
  const keyCols = spec.key.map((k) => spec.columns.find((c) => c.name === k)!);
  const arrays = keyCols.map((_, i) => `$${i + 2}::text[]`).join(", ");
  const names = keyCols.map((_, i) => `k${i}`).join(", ");
  const match = keyCols.map((c, i) => `x.${c.dbColumn} = b.k${i}${SQL_CAST[c.type]}`).join(" AND ");
  return `SELECT b.n::int AS n FROM unnest(${arrays}) WITH ORDINALITY AS b(${names}, n)
    WHERE EXISTS (SELECT 1 FROM ${spec.table} x WHERE x.cycle_id = $1 AND ${match})`;
}
