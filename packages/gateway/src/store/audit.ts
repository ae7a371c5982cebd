import { closestField } from "@pingyi/engine";
import type { AuditApi } from "./api.js";
import { CHAIN_CTE } from "./cycles.js";
import type { Db } from "./db.js";
import type { ValidationIssue } from "./errors.js";
import { AUDIT_ACTIONS, AUDIT_ENTITIES, type AuditFilter, type AuditRecord } from "./types.js";

interface AuditRow {
  id: number | string;
  at: Date;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  cycle_id: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
}

/** Unknown actions named one by one; each issue lists every action, and the rest are counted. */
const NAMED_UNKNOWN = 5;

/**
 * Why a filter's actions or entity would match nothing the gateway writes: each unknown value,
 * where it is (`actions[0]`), the value meant when it is a slip away from one, and the values
 * there are. A misspelt filter answered an empty log, which reads as "nothing was finalised".
 */
export function auditFilterIssues(filter: Pick<AuditFilter, "actions" | "entity">): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const unknown = (filter.actions ?? []).flatMap((action, i) =>
    (AUDIT_ACTIONS as readonly string[]).includes(action) ? [] : [{ action, i }],
  );
  for (const { action, i } of unknown.slice(0, NAMED_UNKNOWN))
    issues.push({ path: `actions[${i}]`, message: unknownValue("action", action, AUDIT_ACTIONS) });
  const more = unknown.length - NAMED_UNKNOWN;
  if (more > 0)
    issues.push({ path: "actions", message: `and ${more} more unknown action${more === 1 ? "" : "s"}` });
  if (filter.entity !== undefined && !(AUDIT_ENTITIES as readonly string[]).includes(filter.entity))
    issues.push({ path: "entity", message: unknownValue("entity", filter.entity, AUDIT_ENTITIES) });
  return issues;
}

function unknownValue(what: "action" | "entity", value: string, known: readonly string[]): string {
  const meant = closestField(value, known);
  const listed = `${what === "action" ? "actions" : "entities"} are ${known.join(", ")}`;
  return `unknown ${what} "${value}"; ${meant === undefined ? `the ${listed}` : `did you mean "${meant}"? The ${listed}`}`;
}

/** A bound for any caller; the API's pages ask for at most 2,001 (a page, and one to tell if more follow). */
const MAX_ROWS = 5000;

export class Audit implements AuditApi {
  constructor(private readonly db: Db) {}

  /**
   * A cycle's data revision: how many audit records it has, and the newest id. Every write
   * appends one in its own transaction and none is ever removed, so the count changes with
   * every commit — unlike the newest id alone, which a transaction that committed later but
   * drew a smaller id would leave unchanged. Saved scenarios are left out: they change no
   * record an evaluation reads, and counting them made every scenario save re-score the cycle.
   */
  async revision(cycleId: string): Promise<{ count: number; lastId: number }> {
    // The cycles it follows count too: their vetoes are read into its dataset.
    const [row] = await this.db.query<{ n: number | string; last: number | string }>(
      `${CHAIN_CTE} SELECT count(*) AS n, coalesce(max(id), 0) AS last FROM audit_log
       WHERE cycle_id IN (SELECT id FROM chain) AND entity <> 'scenario'`,
      [cycleId],
    );
    return { count: Number(row?.n ?? 0), lastId: Number(row?.last ?? 0) };
  }

  async list(filter: AuditFilter = {}): Promise<AuditRecord[]> {
    const params: unknown[] = [];
    const conds: string[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = (column: string, op: string, v: unknown) => {
      if (v !== undefined) conds.push(`${column} ${op} ${param(v)}`);
    };
    where("cycle_id", "=", filter.cycleId);
    where("entity", "=", filter.entity);
    where("entity_id", "=", filter.entityId);
    where("actor", "=", filter.actor);
    if (filter.actions !== undefined) conds.push(`action = ANY(${param([...filter.actions])}::text[])`);
    if (filter.schemeId !== undefined) {
      const s = `${param(filter.schemeId)}::text`;
      // A publication's `after` names its scheme; a cycle's rows are the whole cycle before and
      // after, so a rename (scheme unchanged) is not a record of the scheme.
      conds.push(`((entity = 'scheme_version' AND after->>'schemeId' = ${s})
        OR (entity = 'cycle' AND ${s} IN (before->>'schemeId', after->>'schemeId')
          AND (before->'schemeId' IS DISTINCT FROM after->'schemeId'
            OR before->'schemeVersion' IS DISTINCT FROM after->'schemeVersion')))`);
    }
    where("at", ">=", filter.since);
    where("at", "<", filter.until);
    where("id", "<", filter.beforeId);
    where("id", ">", filter.afterId);
    const limit = param(Math.min(Math.max(filter.limit ?? 100, 0), MAX_ROWS));
    const offset = param(Math.max(filter.offset ?? 0, 0));
    const rows = await this.db.query<AuditRow>(
      `SELECT id, at, actor, action, entity, entity_id, cycle_id, before, after, reason FROM audit_log
       ${conds.length ? `WHERE ${conds.join(" AND ")}` : ""}
       ORDER BY id ${filter.oldestFirst ? "ASC" : "DESC"} LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actor: r.actor,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      cycleId: r.cycle_id,
      before: r.before ?? null,
      after: r.after ?? null,
      reason: r.reason ?? null,
    }));
  }

  /**
   * Who finalised each of the cycles, by id: the actor of its newest `finalise` record (a cycle
   * deleted and created again under its id keeps the older records). Cycles never finalised, or
   * finalised with no record (a database edited by hand), are not in the map.
   */
  async finalisers(cycleIds: readonly string[]): Promise<Map<string, string>> {
    if (cycleIds.length === 0) return new Map();
    const rows = await this.db.query<{ entity_id: string; actor: string }>(
      `SELECT DISTINCT ON (entity_id) entity_id, actor FROM audit_log
       WHERE entity = 'cycle' AND action = 'finalise' AND entity_id = ANY($1::text[])
       ORDER BY entity_id, id DESC`,
      [[...new Set(cycleIds)]],
    );
    return new Map(rows.map((r) => [r.entity_id, r.actor]));
  }
}
