import type { GroupsApi, UnitFilter, UnitsApi } from "./api.js";
import type { Db } from "./db.js";
import { NotFoundError, ValidationError } from "./errors.js";
import {
  auditCreatedGroups,
  compact,
  lockOpenCycle,
  lockRecord,
  optionalText,
  pageClause,
  requireActor,
  requireText,
  writeAudit,
} from "./internal.js";
import { type ProvenanceRow, type WithProvenance, withProvenance } from "./provenance.js";
import type { Group, GroupInput, Page, UnitRecord } from "./types.js";

interface GroupRow {
  id: string;
  name: string;
  ranked: boolean;
}

export interface UnitRow {
  id: string;
  name: string;
  group_id: string;
  parent_id: string | null;
  kind: string | null;
}

export const UNIT_COLUMNS = "id, name, group_id, parent_id, kind";

/** Units named when a group cannot be deleted because units are still in it; the rest are "…". */
const LISTED_MEMBERS = 5;

export function toUnit(r: UnitRow): UnitRecord {
  return compact({
    id: r.id,
    name: r.name,
    group: r.group_id,
    parent: r.parent_id,
    kind: r.kind,
  }) as UnitRecord;
}

const toGroup = (r: GroupRow): Group => ({ id: r.id, name: r.name, ranked: r.ranked });

export class Groups implements GroupsApi {
  constructor(private readonly db: Db) {}

  async list(
    cycleId: string,
    filter: { importId?: string | undefined } = {},
  ): Promise<WithProvenance<Group>[]> {
    const params: unknown[] = [cycleId];
    let where = "cycle_id = $1";
    if (filter.importId !== undefined) {
      params.push(filter.importId);
      where += ` AND import_id = $${params.length}`;
    }
    const rows = await this.db.query<GroupRow & ProvenanceRow>(
      `SELECT id, name, ranked, import_id FROM groups WHERE ${where} ORDER BY id COLLATE "C"`,
      params,
    );
    return rows.map(withProvenance(toGroup));
  }

  async upsert(actor: string, cycleId: string, input: GroupInput): Promise<Group> {
    requireActor(actor);
    requireText(input.id, "id");
    if (input.name !== undefined) requireText(input.name, "name");
    return this.db.transaction(async (tx) => {
      await lockOpenCycle(tx, cycleId);
      await lockRecord(tx, "groups", cycleId, input.id);
      const before = (
        await tx.query<GroupRow>(
          "SELECT id, name, ranked FROM groups WHERE cycle_id = $1 AND id = $2 FOR UPDATE",
          [cycleId, input.id],
        )
      )[0];
      const after: Group = {
        id: input.id,
        name: input.name ?? before?.name ?? input.id,
        ranked: input.ranked ?? before?.ranked ?? true,
      };
      // An edit by hand makes the group no units import's: removing that import leaves it.
      await tx.query(
        `INSERT INTO groups (cycle_id, id, name, ranked) VALUES ($1, $2, $3, $4)
         ON CONFLICT (cycle_id, id) DO UPDATE SET name = EXCLUDED.name, ranked = EXCLUDED.ranked, import_id = NULL`,
        [cycleId, after.id, after.name, after.ranked],
      );
      await writeAudit(tx, {
        actor,
        action: before ? "update" : "create",
        entity: "group",
        entityId: after.id,
        cycleId,
        before,
        after,
      });
      return after;
    });
  }

  async delete(actor: string, cycleId: string, groupId: string): Promise<void> {
    requireActor(actor);
    requireText(groupId, "id");
    return this.db.transaction(async (tx) => {
      // The cycle's write lock: a unit put in the group meanwhile (upsertUnit, an import) waits
      // for this delete, or this delete sees it; the group is never deleted under a unit.
      await lockOpenCycle(tx, cycleId);
      const members = await tx.query<{ id: string; n: number }>(
        `SELECT id, (count(*) OVER ())::int AS n FROM units WHERE cycle_id = $1 AND group_id = $2
         ORDER BY id COLLATE "C" LIMIT $3`,
        [cycleId, groupId, LISTED_MEMBERS],
      );
      // Said up front, by unit and with what to do, rather than as the foreign key's refusal.
      if (members[0]) {
        const n = members[0].n;
        const ids = members.map((m) => m.id).join(", ");
        throw new ValidationError([
          {
            path: "id",
            message: `group '${groupId}' still has ${n} unit${n === 1 ? "" : "s"} (${ids}${n > members.length ? ", …" : ""}); move them to another group with upsertUnit or delete them first`,
          },
        ]);
      }
      const rows = await tx.query<GroupRow>(
        "DELETE FROM groups WHERE cycle_id = $1 AND id = $2 RETURNING id, name, ranked",
        [cycleId, groupId],
      );
      if (!rows[0])
        throw new NotFoundError("group", groupId, `group '${groupId}' not found in cycle '${cycleId}'`);
      await writeAudit(tx, {
        actor,
        action: "delete",
        entity: "group",
        entityId: groupId,
        cycleId,
        before: rows[0],
      });
    });
  }
}

export class Units implements UnitsApi {
  constructor(private readonly db: Db) {}

  async list(cycleId: string, filter: UnitFilter & Page = {}): Promise<WithProvenance<UnitRecord>[]> {
    const params: unknown[] = [cycleId];
    let where = "cycle_id = $1";
    if (filter.group !== undefined) {
      params.push(filter.group);
      where += ` AND group_id = $${params.length}`;
    }
    if (filter.importId !== undefined) {
      params.push(filter.importId);
      where += ` AND import_id = $${params.length}`;
    }
    if (filter.parent === null) where += " AND parent_id IS NULL";
    else if (filter.parent !== undefined) {
      params.push(filter.parent);
      where += ` AND parent_id = $${params.length}`;
    }
    const rows = await this.db.query<UnitRow & ProvenanceRow>(
      `SELECT ${UNIT_COLUMNS}, import_id FROM units WHERE ${where} ORDER BY id COLLATE "C"${pageClause(filter, params)}`,
      params,
    );
    return rows.map(withProvenance(toUnit));
  }

  async get(cycleId: string, unitId: string): Promise<UnitRecord> {
    const rows = await this.db.query<UnitRow>(
      `SELECT ${UNIT_COLUMNS} FROM units WHERE cycle_id = $1 AND id = $2`,
      [cycleId, unitId],
    );
    if (!rows[0]) throw new NotFoundError("unit", unitId);
    return toUnit(rows[0]);
  }

  /**
   * A digest of the cycle's (unit, group) pairs in the list's order, in one statement. Not the
   * audit log's revision: that changes with every write to the cycle (a score would make a page
   * of units stale) and reads a row per write, this one a row per unit. Unfiltered: the units
   * list's filters are not in its cursors.
   */
  async revision(cycleId: string): Promise<string> {
    const rows = await this.db.query<{ digest: string }>(
      `SELECT encode(sha256(convert_to(coalesce(json_agg(json_build_array(id, group_id) ORDER BY id COLLATE "C")::text, ''), 'UTF8')), 'base64') AS digest
       FROM units WHERE cycle_id = $1`,
      [cycleId],
    );
    return rows[0]?.digest ?? "";
  }

  async upsert(
    actor: string,
    cycleId: string,
    unit: UnitRecord,
    newGroup?: { name: string; ranked: boolean },
    keep: { parent?: boolean; kind?: boolean } = {},
  ): Promise<UnitRecord> {
    requireActor(actor);
    requireText(unit.id, "id");
    requireText(unit.name, "name");
    requireText(unit.group, "group");
    const parent = optionalText(unit.parent, "parent");
    const kind = optionalText(unit.kind, "kind");
    const keepParent = keep.parent === true && parent === null;
    const keepKind = keep.kind === true && kind === null;
    if (parent === unit.id)
      throw new ValidationError([{ path: "parent", message: "a unit cannot be its own parent" }]);
    return this.db.transaction(async (tx) => {
      await lockOpenCycle(tx, cycleId);
      const created = await tx.query<GroupRow>(
        `INSERT INTO groups (cycle_id, id, name, ranked) VALUES ($1, $2, $3, $4) ON CONFLICT (cycle_id, id) DO NOTHING
         RETURNING id, name, ranked`,
        [cycleId, unit.group, newGroup?.name ?? unit.group, newGroup?.ranked ?? true],
      );
      await auditCreatedGroups(tx, actor, cycleId, created);
      if (parent !== null) {
        // One parent change per cycle at a time: two concurrent ones (a under b, b under a) each
        // passed the check below against the hierarchy without the other's change.
        await lockRecord(tx, "units.parent_id", cycleId);
        // Walking up from the new parent must not reach this unit, or the hierarchy gets a cycle.
        const loop = await tx.query(
          `WITH RECURSIVE up(id, parent_id) AS (
             SELECT id, parent_id FROM units WHERE cycle_id = $1 AND id = $2
             UNION SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id AND u.cycle_id = $1
           ) SELECT 1 FROM up WHERE id = $3 LIMIT 1`,
          [cycleId, parent, unit.id],
        );
        if (loop[0])
          throw new ValidationError([{ path: "parent", message: "the parent chain would form a cycle" }]);
      }
      await lockRecord(tx, "units", cycleId, unit.id);
      const beforeRow = (
        await tx.query<UnitRow>(
          `SELECT ${UNIT_COLUMNS} FROM units WHERE cycle_id = $1 AND id = $2 FOR UPDATE`,
          [cycleId, unit.id],
        )
      )[0];
      // An update is a correction by hand: the unit no longer belongs to the import that added it.
      // A kept parent is the stored one, which needs no loop check: it is not a change.
      const rows = await tx.query<UnitRow>(
        `INSERT INTO units (cycle_id, id, name, group_id, parent_id, kind) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (cycle_id, id) DO UPDATE SET name = EXCLUDED.name, group_id = EXCLUDED.group_id,
           parent_id = EXCLUDED.parent_id, kind = EXCLUDED.kind, import_id = NULL
         RETURNING ${UNIT_COLUMNS}`,
        [
          cycleId,
          unit.id,
          unit.name,
          unit.group,
          keepParent ? (beforeRow?.parent_id ?? null) : parent,
          keepKind ? (beforeRow?.kind ?? null) : kind,
        ],
      );
      const after = toUnit(rows[0]!);
      const before = beforeRow ? toUnit(beforeRow) : undefined;
      await writeAudit(tx, {
        actor,
        action: before ? "update" : "create",
        entity: "unit",
        entityId: unit.id,
        cycleId,
        before,
        after,
      });
      return after;
    });
  }

  async delete(actor: string, cycleId: string, unitId: string): Promise<void> {
    requireActor(actor);
    return this.db.transaction(async (tx) => {
      await lockOpenCycle(tx, cycleId);
      // Foreign keys from records and sub-units reject the delete (mapped to ValidationError).
      const rows = await tx.query<UnitRow>(
        `DELETE FROM units WHERE cycle_id = $1 AND id = $2 RETURNING ${UNIT_COLUMNS}`,
        [cycleId, unitId],
      );
      if (!rows[0]) throw new NotFoundError("unit", unitId);
      await writeAudit(tx, {
        actor,
        action: "delete",
        entity: "unit",
        entityId: unitId,
        cycleId,
        before: toUnit(rows[0]),
      });
    });
  }

  async copyFrom(actor: string, fromCycleId: string, toCycleId: string): Promise<number> {
    requireActor(actor);
    return this.db.transaction(async (tx) => {
      const from = await tx.query("SELECT 1 FROM cycles WHERE id = $1", [fromCycleId]);
      if (!from[0]) throw new NotFoundError("cycle", fromCycleId);
      await lockOpenCycle(tx, toCycleId);
      // The groups the copied units are in: an empty one (left behind by a rename of groups,
      // say) is not carried into the next year, where it would list a group of nobody.
      const groups = await tx.query<GroupRow>(
        `INSERT INTO groups (cycle_id, id, name, ranked) SELECT $2, g.id, g.name, g.ranked FROM groups g
         WHERE g.cycle_id = $1 AND EXISTS (SELECT 1 FROM units u WHERE u.cycle_id = $1 AND u.group_id = g.id)
         ON CONFLICT (cycle_id, id) DO NOTHING RETURNING id, name, ranked`,
        [fromCycleId, toCycleId],
      );
      // Each group made here has its own record; the units share one (thousands of them, as
      // an import's rows do).
      await auditCreatedGroups(tx, actor, toCycleId, groups);
      // One statement, so parents inserted in the same statement satisfy the self-reference.
      const rows = await tx.query<{ id: string }>(
        `INSERT INTO units (cycle_id, id, name, group_id, parent_id, kind)
         SELECT $2, id, name, group_id, parent_id, kind FROM units WHERE cycle_id = $1
         ON CONFLICT (cycle_id, id) DO NOTHING RETURNING id`,
        [fromCycleId, toCycleId],
      );
      // Copying no unit is no change (the groups it made have their own records).
      if (rows.length === 0) return 0;
      await writeAudit(tx, {
        actor,
        action: "copy-units",
        entity: "cycle",
        entityId: toCycleId,
        cycleId: toCycleId,
        after: { from: fromCycleId, units: rows.length },
      });
      return rows.length;
    });
  }
}

/** What may refer to a unit, as an administrator calls it. */
const UNIT_REFERENCES: readonly [table: string, column: string, what: string][] = [
  ["direct_scores", "unit_id", "scores"],
  ["formula_inputs", "unit_id", "formula inputs"],
  ["ballots", "unit_id", "ballots"],
  ["survey_forms", "unit_id", "survey forms"],
  ["findings", "unit_id", "findings"],
  ["bonus_events", "unit_id", "bonus events"],
  ["veto_events", "unit_id", "veto events"],
  ["units", "parent_id", "sub-units"],
];

/**
 * The units an import added that something else still refers to (records, or sub-units that
 * are not the import's own), as "U01 (ballots, scores)": at most `limit` of them.
 */
export async function importedUnitsInUse(
  tx: Db,
  cycleId: string,
  importId: string,
  limit = 10,
): Promise<string[]> {
  const mine = "SELECT id FROM units WHERE cycle_id = $1 AND import_id = $2";
  const parts = UNIT_REFERENCES.map(
    ([table, column, what]) =>
      `(SELECT DISTINCT r.${column} AS unit, '${what}' AS what FROM ${table} r
        WHERE r.cycle_id = $1 AND r.${column} IN (${mine})${table === "units" ? " AND r.import_id IS DISTINCT FROM $2" : ""})`,
  );
  const rows = await tx.query<{ unit: string; whats: string[] }>(
    `SELECT unit, array_agg(what ORDER BY what) AS whats FROM (${parts.join(" UNION ALL ")}) x
     GROUP BY unit ORDER BY unit COLLATE "C" LIMIT $3`,
    [cycleId, importId, limit],
  );
  return rows.map((r) => `${r.unit} (${r.whats.join(", ")})`);
}
