import type { AuditApi } from "./api.js";
import { CHAIN_CTE } from "./cycles.js";
import type { Db } from "./db.js";
import type { AuditFilter, AuditRecord } from "./types.js";

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
}

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
    const eq = (column: string, v: unknown) => {
      if (v === undefined) return;
      params.push(v);
      conds.push(`${column} = $${params.length}`);
    };
    eq("cycle_id", filter.cycleId);
    eq("entity", filter.entity);
    eq("entity_id", filter.entityId);
    eq("actor", filter.actor);
    if (filter.beforeId !== undefined) {
      params.push(filter.beforeId);
      conds.push(`id < $${params.length}`);
    }
    params.push(Math.min(Math.max(filter.limit ?? 100, 0), 1000), Math.max(filter.offset ?? 0, 0));
    const rows = await this.db.query<AuditRow>(
      `SELECT id, at, actor, action, entity, entity_id, cycle_id, before, after FROM audit_log
       ${conds.length ? `WHERE ${conds.join(" AND ")}` : ""}
       ORDER BY id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
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
    }));
  }
}
