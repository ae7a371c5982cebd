import type { ImportsApi } from "./api.js";
import type { Db } from "./db.js";
import { NotFoundError, ValidationError } from "./errors.js";
import { lockOpenCycle, requireActor, writeAudit, writeAudits } from "./internal.js";
import { surveyFormsHeld } from "./survey-forms-held.js";
import type { ImportKind, ImportRecord } from "./types.js";
import { importedUnitsInUse } from "./units.js";

interface ImportRow {
  id: string;
  cycle_id: string;
  kind: ImportRecord["kind"];
  format: ImportRecord["format"];
  row_count: number;
  file_hash: string;
  actor: string;
  created_at: Date;
}

export const IMPORT_COLUMNS = "id, cycle_id, kind, format, row_count, file_hash, actor, created_at";

export const toImport = (r: ImportRow): ImportRecord => ({
  id: r.id,
  cycleId: r.cycle_id,
  kind: r.kind,
  format: r.format,
  rowCount: r.row_count,
  fileHash: r.file_hash,
  actor: r.actor,
  createdAt: r.created_at,
});

export const IMPORT_TABLE: Record<ImportKind, string> = {
  "survey-forms": "survey_forms",
  ballots: "ballots",
  findings: "findings",
  scores: "direct_scores",
  units: "units",
  vetoes: "veto_events",
  bonuses: "bonus_events",
};

/** Units listed when an import's units cannot be removed; the rest are "…". */
const LISTED_UNITS = 10;

export async function findImport(db: Db, importId: string): Promise<ImportRecord | undefined> {
  const rows = await db.query<ImportRow>(`SELECT ${IMPORT_COLUMNS} FROM imports WHERE id = $1`, [importId]);
  return rows[0] ? toImport(rows[0]) : undefined;
}

/**
 * Takes out the groups a units import created that no unit is left in (its own units gone), each
 * audited as upsertUnit's groups are; one changed by hand since stays, as a corrected record does
 * (`upsertGroup` clears its `import_id`, as an edit of a record clears the record's). The rest stay
 * too, no longer the import's.
 * Returns the ids removed.
 */
async function removeCreatedGroups(tx: Db, actor: string, cycleId: string, importId: string) {
  const removed = await tx.query<{ id: string; name: string; ranked: boolean }>(
    `DELETE FROM groups g WHERE g.cycle_id = $1 AND g.import_id = $2
       AND NOT EXISTS (SELECT 1 FROM units u WHERE u.cycle_id = g.cycle_id AND u.group_id = g.id)
     RETURNING g.id, g.name, g.ranked`,
    [cycleId, importId],
  );
  await tx.query("UPDATE groups SET import_id = NULL WHERE cycle_id = $1 AND import_id = $2", [
    cycleId,
    importId,
  ]);
  removed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await writeAudits(
    tx,
    removed.map((g) => ({ actor, action: "delete", entity: "group", entityId: g.id, cycleId, before: g })),
  );
  return removed.map((g) => g.id);
}

export class Imports implements ImportsApi {
  constructor(private readonly db: Db) {}

  async list(cycleId: string): Promise<ImportRecord[]> {
    const rows = await this.db.query<ImportRow>(
      `SELECT ${IMPORT_COLUMNS} FROM imports WHERE cycle_id = $1 ORDER BY created_at DESC, id COLLATE "C"`,
      [cycleId],
    );
    return rows.map(toImport);
  }

  async held(
    imports: readonly Pick<ImportRecord, "id" | "cycleId" | "kind">[],
  ): Promise<Map<string, number>> {
    const held = new Map(imports.map((i) => [i.id, 0]));
    // Survey forms, by far the most rows, are counted a cycle at a time in bounded reads; the
    // other kinds' counts, one SELECT per table, in one statement. The cycles narrow each scan
    // to theirs (every key and index starts with the cycle); import_id has none.
    const forms = new Map<string, string[]>();
    const tables = new Map<string, string[]>();
    for (const i of imports)
      if (i.kind === "survey-forms") forms.set(i.cycleId, [...(forms.get(i.cycleId) ?? []), i.id]);
      else tables.set(IMPORT_TABLE[i.kind], [...(tables.get(IMPORT_TABLE[i.kind]) ?? []), i.id]);
    if (tables.size > 0) {
      const params: unknown[] = [[...new Set(imports.map((i) => i.cycleId))]];
      const counts = [...tables].map(([table, ids]) => {
        params.push(ids);
        return `SELECT import_id AS id, count(*)::int AS n FROM ${table}
          WHERE cycle_id = ANY($1::text[]) AND import_id = ANY($${params.length}::text[]) GROUP BY import_id`;
      });
      const rows = await this.db.query<{ id: string; n: number }>(counts.join(" UNION ALL "), params);
      for (const r of rows) held.set(r.id, r.n);
    }
    for (const [cycleId, ids] of forms)
      for (const [id, n] of await surveyFormsHeld(this.db, cycleId, "import_id", { importIds: ids }))
        held.set(id, n);
    return held;
  }

  async get(importId: string): Promise<ImportRecord> {
    const found = await findImport(this.db, importId);
    if (!found) throw new NotFoundError("import", importId);
    return found;
  }

  async remove(actor: string, importId: string): Promise<number> {
    requireActor(actor);
    return this.db.transaction(async (tx) => {
      const found = await findImport(tx, importId);
      if (!found) throw new NotFoundError("import", importId);
      await lockOpenCycle(tx, found.cycleId);
      // Read again under the cycle's lock: a removal of the same import that committed while this
      // one waited has left nothing to remove, and a second audit record would say otherwise (an
      // import of that id made since in another cycle is not the one asked for, nor under this lock).
      const rec = await findImport(tx, importId);
      if (rec?.cycleId !== found.cycleId) throw new NotFoundError("import", importId);
      if (rec.kind === "units") {
        // Said up front, by unit: a foreign key would name one row of one table.
        const used = await importedUnitsInUse(tx, rec.cycleId, importId, LISTED_UNITS + 1);
        if (used.length)
          throw new ValidationError([
            {
              path: "importId",
              message: `import '${importId}' cannot be removed: records still refer to its units ${used.slice(0, LISTED_UNITS).join(", ")}${used.length > LISTED_UNITS ? ", …" : ""}; remove those first`,
            },
          ]);
      }
      const rows = await tx.query<{ n: number }>(
        `WITH d AS (DELETE FROM ${IMPORT_TABLE[rec.kind]} WHERE cycle_id = $1 AND import_id = $2 RETURNING 1)
         SELECT count(*)::int AS n FROM d`,
        [rec.cycleId, importId],
      );
      const groups = rec.kind === "units" ? await removeCreatedGroups(tx, actor, rec.cycleId, importId) : [];
      await tx.query("DELETE FROM imports WHERE id = $1", [importId]);
      const n = rows[0]?.n ?? 0;
      await writeAudit(tx, {
        actor,
        action: "delete",
        entity: "import",
        entityId: importId,
        cycleId: rec.cycleId,
        before: { ...rec, removedRows: n, ...(groups.length ? { removedGroups: groups } : {}) },
      });
      return n;
    });
  }
}
