import type { Db } from "./db.js";
import type { ForeignKey } from "./table-order.js";

// What the migrations made, read from the database's own catalog (the schema the store's
// unqualified names resolve to), so that a table a later migration adds is found without a list
// here to keep up to date.

const IN_SCHEMA = "c.relnamespace = current_schema()::regnamespace";

/**
 * Tables an extension keeps are the extension's, not the gateway's: PostGIS, installed in the
 * template database, puts spatial_ref_sys and its rows into every new database's public schema.
 */
const OURS = `NOT EXISTS (SELECT 1 FROM pg_depend d
  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`;

/**
 * The tables that hold rows: partitions themselves rather than their parent, which stores none;
 * a table that inherits is its own table, read without its children (SELECT … FROM ONLY).
 */
export async function tableNames(db: Db): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c WHERE ${IN_SCHEMA} AND ${OURS} AND c.relkind = 'r' ORDER BY c.relname`,
  );
  return rows.map((r) => r.name);
}

/** The privileges a gateway's role needs on each of its tables: those operators.md's GRANT gives. */
export const TABLE_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE"] as const;

/** A table on which the connected role lacks some of TABLE_PRIVILEGES. */
export interface TableWithoutGrants {
  table: string;
  /** As a GRANT names it: schema-qualified and quoted. */
  qualified: string;
  missing: string[];
}

/**
 * The gateway's tables on which the connected role lacks some of TABLE_PRIVILEGES, by name.
 * Each privilege asked on its own: has_table_privilege with a list answers whether any is held.
 */
export async function tablesWithoutGrants(db: Db): Promise<TableWithoutGrants[]> {
  return db.query<TableWithoutGrants>(
    `SELECT c.relname AS table, format('%I.%I', current_schema(), c.relname) AS qualified,
            array_agg(p.name ORDER BY p.n) AS missing
     FROM pg_class c CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS p(name, n)
     WHERE ${IN_SCHEMA} AND ${OURS} AND c.relkind = 'r' AND NOT has_table_privilege(c.oid, p.name)
     GROUP BY c.relname ORDER BY c.relname`,
    [[...TABLE_PRIVILEGES]],
  );
}

export interface Column {
  name: string;
  type: string;
  /** 'a' for GENERATED ALWAYS AS IDENTITY, which an insert of its value must override. */
  identity: string;
}

/** Each table's columns that take a value (not generated ones), in their order. */
export async function tableColumns(db: Db): Promise<Map<string, Column[]>> {
  const rows = await db.query<Column & { table: string }>(
    `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attidentity::text AS identity
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE ${IN_SCHEMA} AND ${OURS} AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     ORDER BY c.relname, a.attnum`,
  );
  const out = new Map<string, Column[]>();
  for (const { table, ...column } of rows) out.set(table, [...(out.get(table) ?? []), column]);
  return out;
}

export async function foreignKeys(db: Db): Promise<ForeignKey[]> {
  return db.query<ForeignKey>(
    `SELECT c.relname AS table, con.conname AS name, r.relname AS references,
            pg_get_constraintdef(con.oid) AS definition
     FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid
     WHERE ${IN_SCHEMA} AND ${OURS} AND con.contype = 'f'
     ORDER BY c.relname, con.conname`,
  );
}

export interface Trigger {
  table: string;
  name: string;
  /** pg_trigger.tgenabled: O (on), A (always), R (replica only). */
  mode: string;
}

/** The triggers the migrations made (not those PostgreSQL keeps for foreign keys) that are on. */
export async function enabledTriggers(db: Db): Promise<Trigger[]> {
  return db.query<Trigger>(
    `SELECT c.relname AS table, t.tgname AS name, t.tgenabled::text AS mode
     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE ${IN_SCHEMA} AND ${OURS} AND NOT t.tgisinternal AND t.tgenabled <> 'D'
     ORDER BY c.relname, t.tgname`,
  );
}

/** A sequence's state, as pg_sequences shows it. */
export interface SequenceValue {
  name: string;
  /** Null for a sequence that has given out none. */
  last: string | null;
  start: string;
}

/** Each sequence's last value given out (null for one that has given out none) and its start. */
export async function sequenceValues(db: Db): Promise<SequenceValue[]> {
  return db.query(
    `SELECT sequencename AS name, last_value::text AS last, start_value::text AS start FROM pg_sequences
     WHERE schemaname = current_schema() ORDER BY sequencename`,
  );
}

/** A name as SQL takes it, whatever it holds. */
export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
