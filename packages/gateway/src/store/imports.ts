import type { ImportsApi } from "./api.js";
import type { Db } from "./db.js";
import { NotFoundError, ValidationError } from "./errors.js";
import { lockOpenCycle, requireActor, writeAudit } from "./internal.js";
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
};

/** Units listed when an import's units cannot be removed; the rest are "…". */
const LISTED_UNITS = 10;

export async function findImport(db: Db, importId: string): Promise<ImportRecord | undefined> {
  const rows = await db.query<ImportRow>(`SELECT ${IMPORT_COLUMNS} FROM imports WHERE id = $1`, [importId]);
  return rows[0] ? toImport(rows[0]) : undefined;
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

  async get(importId: string): Promise<ImportRecord> {
    const found = await findImport(this.db, importId);
    if (!found) throw new NotFoundError("import", importId);
    return found;
  }

  async remove(actor: string, importId: string): Promise<number> {
    requireActor(actor);
    return this.db.transaction(async (tx) => {
      const rec = await findImport(tx, importId);
      if (!rec) throw new NotFoundError("import", importId);
      await lockOpenCycle(tx, rec.cycleId);
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
      await tx.query("DELETE FROM imports WHERE id = $1", [importId]);
      const n = rows[0]?.n ?? 0;
      await writeAudit(tx, {
        actor,
        action: "delete",
        entity: "import",
        entityId: importId,
        cycleId: rec.cycleId,
        before: { ...rec, removedRows: n },
      });
      return n;
    });
  }
}
