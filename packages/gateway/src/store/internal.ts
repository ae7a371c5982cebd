import type { Db } from "./db.js";
import { finalisedRefusal, mapDbError, NotFoundError, ValidationError } from "./errors.js";
import type { DecimalValue, Page } from "./types.js";

/** Wraps a Db so every driver error surfaces as a StoreError where one applies. */
export class MappedDb implements Db {
  constructor(readonly inner: Db) {}
  get backend() {
    return this.inner.backend;
  }
  get inTransaction() {
    return this.inner.inTransaction;
  }
  workingNow(): boolean {
    return this.inner.workingNow?.() ?? false;
  }
  async query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    try {
      return await this.inner.query<T>(sql, params);
    } catch (err) {
      throw mapDbError(err);
    }
  }
  async exec(sql: string): Promise<void> {
    try {
      await this.inner.exec(sql);
    } catch (err) {
      throw mapDbError(err);
    }
  }
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    try {
      return await this.inner.transaction((tx) => fn(tx instanceof MappedDb ? tx : new MappedDb(tx)));
    } catch (err) {
      throw mapDbError(err);
    }
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  cycleId?: string | null | undefined;
  before?: unknown;
  after?: unknown;
  /** Why, where the change takes a reason (see AuditRecord.reason). */
  reason?: string | null | undefined;
}

/** Call inside the transaction of the change it records, so both commit or neither does. */
export async function writeAudit(tx: Db, e: AuditEntry): Promise<void> {
  requireActor(e.actor);
  // One row as plain parameters: through writeAudits' text arrays, a deleted vote's 200,000
  // ballots (a 15 MB `before`) took PGlite 8–9 s and PostgreSQL 4–6 s, as a jsonb parameter 1–3 s.
  await tx.query(
    `INSERT INTO audit_log (actor, action, entity, entity_id, cycle_id, before, after, reason)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)`,
    [
      e.actor,
      e.action,
      e.entity,
      e.entityId,
      e.cycleId ?? null,
      toJson(e.before),
      toJson(e.after),
      e.reason ?? null,
    ],
  );
}

/**
 * Audit records in one statement, in the order given (their ids follow it): a write that
 * changes thousands of rows at once (a voter's role on each of their ballots) records each
 * change without a round trip per row. `writeAudit` is the one-record case.
 */
export async function writeAudits(tx: Db, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  for (const e of entries) requireActor(e.actor);
  const column = <T>(f: (e: AuditEntry) => T) => entries.map(f);
  await tx.query(
    `INSERT INTO audit_log (actor, action, entity, entity_id, cycle_id, before, after, reason)
     SELECT actor, action, entity, entity_id, cycle_id, before::jsonb, after::jsonb, reason
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       WITH ORDINALITY AS e(actor, action, entity, entity_id, cycle_id, before, after, reason, n)
     ORDER BY n`,
    [
      column((e) => e.actor),
      column((e) => e.action),
      column((e) => e.entity),
      column((e) => e.entityId),
      column((e) => e.cycleId ?? null),
      column((e) => toJson(e.before)),
      column((e) => toJson(e.after)),
      column((e) => e.reason ?? null),
    ],
  );
}

/**
 * A "create" record for each group a write made on the fly (upsertUnit, copyFrom, a units
 * import), in id order: a group's history then says where it came from, whichever write it was.
 */
export async function auditCreatedGroups(
  tx: Db,
  actor: string,
  cycleId: string,
  groups: readonly { id: string; name: string; ranked: boolean }[],
): Promise<void> {
  const inIdOrder = [...groups].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await writeAudits(
    tx,
    inIdOrder.map((g) => ({ actor, action: "create", entity: "group", entityId: g.id, cycleId, after: g })),
  );
}

export function toJson(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

/** A reason says something: a letter or digit at least ("改革" does, "." does not). */
export const SAYS_SOMETHING = /[\p{L}\p{N}]/u;

/** A reason (a version's, a withdrawal's) as a refusal quotes it: the first 80 characters. */
export function quotedReason(reason: string): string {
  const chars = Array.from(reason);
  return JSON.stringify(chars.length > 80 ? `${chars.slice(0, 80).join("")}…` : reason);
}

/** The longest reason kept, a publication's or a change's. */
export const MAX_REASON_CHARS = 2000;

/** The largest number an `integer` column (a scheme version's) holds. */
export const MAX_INT = 2_147_483_647;

/** Scheme versions, each with its withdrawal if it has one. */
export const VERSIONS = "scheme_versions LEFT JOIN scheme_version_withdrawals USING (scheme_id, version)";

/**
 * A change's reason as the audit entry keeps it: trimmed, null when none was given (or only
 * spaces). Said in words: punctuation alone is refused, as a publication's reason is. `why`, what
 * the reason is for ("the version is withdrawn"), is named in the refusal: a write whose reason
 * is required (a withdrawal's) is checked here too, in its own words.
 */
export function optionalReason(reason: unknown, why?: string): string | null {
  if (reason == null) return null;
  if (typeof reason !== "string") throw new ValidationError([{ path: "reason", message: "must be text" }]);
  const text = reason.trim();
  if (text === "") return null;
  if (text.length > MAX_REASON_CHARS)
    throw new ValidationError([{ path: "reason", message: `has ${text.length} characters: at most 2,000` }]);
  if (!SAYS_SOMETHING.test(text))
    throw new ValidationError([
      {
        path: "reason",
        message: `say why${why ? ` ${why},` : ""} in words (punctuation alone says nothing)`,
      },
    ]);
  return text;
}

export function requireActor(actor: string): void {
  if (typeof actor !== "string" || actor.trim() === "") {
    throw new ValidationError([{ path: "actor", message: "an actor is required for the audit trail" }]);
  }
}

/**
 * Checks that the cycle exists and is open, and holds a share lock on it until the transaction
 * ends, so a concurrent finalise cannot slip in between this check and the write.
 *
 * Then waits for every other write of the cycle to end, and makes later ones wait for this
 * one: a check made before commit (an import's engine check) sees all the cycle's other
 * records. Without it two imports that each pass (one voter, two roles in a role-weighted
 * vote, one role per file) jointly left the cycle unscorable. The row stays FOR SHARE, and
 * is taken before the advisory lock as every writer does (a checked write holds it already):
 * upgrading it would deadlock two writers, and setScheme and finalise still wait for all.
 */
export async function lockOpenCycle(tx: Db, cycleId: string): Promise<void> {
  const rows = await tx.query<{ status: string; finalised_at: Date | null }>(
    "SELECT status, finalised_at FROM cycles WHERE id = $1 FOR SHARE",
    [cycleId],
  );
  if (!rows[0]) throw new NotFoundError("cycle", cycleId);
  if (rows[0].status === "finalised") throw finalisedRefusal(cycleId, rows[0].finalised_at);
  await lockRecord(tx, "cycles", cycleId);
}

/**
 * Serialises the writers of one record, whether it exists yet or not, until the transaction
 * ends. FOR UPDATE locks only a row that exists: two writers creating the same key both read
 * "nothing before", and the second's audit record said it created what it overwrote.
 */
export async function lockRecord(tx: Db, table: string, ...key: string[]): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [JSON.stringify([table, ...key])]);
}

export async function requireUnit(tx: Db, cycleId: string, unitId: string): Promise<void> {
  const rows = await tx.query("SELECT 1 FROM units WHERE cycle_id = $1 AND id = $2", [cycleId, unitId]);
  if (!rows[0]) throw new NotFoundError("unit", unitId, `unit '${unitId}' not found in cycle '${cycleId}'`);
}

export function requireText(value: unknown, path: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ValidationError([{ path, message: "must be a non-empty string" }]);
  }
  return value;
}

export function optionalText(value: unknown, path: string): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value !== "string") throw new ValidationError([{ path, message: "must be a string" }]);
  return value;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function isDecimal(value: unknown): value is DecimalValue {
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "string" && DECIMAL.test(value.trim());
}

const DECIMAL_PARTS = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Why PostgreSQL's numeric cannot hold a decimal's text (more than 131,072 digits before the
 * point or 16,383 after it), or undefined when it can. Checked before writing: the database's
 * own "value overflows numeric format" names neither the field nor the row.
 */
export function decimalRangeIssue(text: string): string | undefined {
  const m = DECIMAL_PARTS.exec(text);
  if (!m) return undefined;
  const int = m[1]!;
  const frac = m[2] ?? "";
  const exp = Number(m[3] ?? 0);
  const digits = int + frac;
  const lead = digits.length - digits.replace(/^0+/, "").length;
  const before = lead === digits.length ? 0 : int.length + exp - lead;
  const after = frac.length - exp;
  if (before > 131_072 || after > 16_383 || !(Math.abs(exp) < 1_073_741_823)) {
    return "has too many digits (at most 131,072 before the decimal point and 16,383 after it)";
  }
  return undefined;
}

/** The decimal as the text PostgreSQL's numeric reads exactly (numbers via their shortest round-trip form). */
export function decimalText(value: unknown, path: string): string {
  if (!isDecimal(value)) throw new ValidationError([{ path, message: "must be a decimal number" }]);
  const text = typeof value === "number" ? String(value) : value.trim();
  const issue = decimalRangeIssue(text);
  if (issue) throw new ValidationError([{ path, message: issue }]);
  return text;
}

/** Appends LIMIT/OFFSET placeholders; lists without a limit are capped to keep responses bounded. */
export function pageClause(page: Page | undefined, params: unknown[], maxLimit = 10_000): string {
  const limit = Math.min(Math.max(Math.trunc(page?.limit ?? maxLimit), 0), maxLimit);
  const offset = Math.max(Math.trunc(page?.offset ?? 0), 0);
  params.push(limit, offset);
  return ` LIMIT $${params.length - 1} OFFSET $${params.length}`;
}

/** Sets only the keys whose value is not null, so records compare and serialise identically. */
export function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
  return out as T;
}
