import type { CyclesApi } from "./api.js";
import type { Db } from "./db.js";
import { CycleFinalisedError, NotFoundError, ValidationError } from "./errors.js";
import { requireActor, requireText, writeAudit } from "./internal.js";
import type { CreateCycleInput, Cycle } from "./types.js";

interface CycleRow {
  id: string;
  year: number;
  name: string;
  scheme_id: string;
  scheme_version: number;
  status: "open" | "finalised";
  created_at: Date;
  finalised_at: Date | null;
}

const COLUMNS = "id, year, name, scheme_id, scheme_version, status, created_at, finalised_at";

export function toCycle(r: CycleRow): Cycle {
  return {
    id: r.id,
    year: r.year,
    name: r.name,
    schemeId: r.scheme_id,
    schemeVersion: r.scheme_version,
    status: r.status,
    createdAt: r.created_at,
    finalisedAt: r.finalised_at,
  };
}

export async function getCycle(db: Db, cycleId: string, lock = ""): Promise<Cycle> {
  const rows = await db.query<CycleRow>(`SELECT ${COLUMNS} FROM cycles WHERE id = $1 ${lock}`, [cycleId]);
  if (!rows[0]) throw new NotFoundError("cycle", cycleId);
  return toCycle(rows[0]);
}

function checkYear(year: unknown): number {
  if (typeof year !== "number" || !Number.isInteger(year) || year < 1900 || year > 9999) {
    throw new ValidationError([{ path: "year", message: "must be a four-digit year" }]);
  }
  return year;
}

async function requireSchemeVersion(tx: Db, schemeId: string, version: number): Promise<void> {
  const rows = await tx.query("SELECT 1 FROM scheme_versions WHERE scheme_id = $1 AND version = $2", [
    schemeId,
    version,
  ]);
  if (!rows[0]) throw new NotFoundError("scheme version", `${schemeId}@${version}`);
}

export class Cycles implements CyclesApi {
  constructor(private readonly db: Db) {}

  async list(): Promise<Cycle[]> {
    const rows = await this.db.query<CycleRow>(
      `SELECT ${COLUMNS} FROM cycles ORDER BY year DESC, id COLLATE "C"`,
    );
    return rows.map(toCycle);
  }

  async get(cycleId: string): Promise<Cycle> {
    return getCycle(this.db, cycleId);
  }

  async create(actor: string, input: CreateCycleInput): Promise<Cycle> {
    requireActor(actor);
    requireText(input.id, "id");
    requireText(input.name, "name");
    requireText(input.schemeId, "schemeId");
    checkYear(input.year);
    return this.db.transaction(async (tx) => {
      await requireSchemeVersion(tx, input.schemeId, input.schemeVersion);
      const rows = await tx.query<CycleRow>(
        `INSERT INTO cycles (id, year, name, scheme_id, scheme_version) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [input.id, input.year, input.name, input.schemeId, input.schemeVersion],
      );
      const cycle = toCycle(rows[0]!);
      await writeAudit(tx, {
        actor,
        action: "create",
        entity: "cycle",
        entityId: cycle.id,
        cycleId: cycle.id,
        after: cycle,
      });
      return cycle;
    });
  }

  private async change(
    actor: string,
    cycleId: string,
    action: string,
    /** The changed row, or null when the change would leave the cycle as it is. */
    apply: (tx: Db, before: Cycle) => Promise<CycleRow[] | null>,
  ): Promise<Cycle> {
    requireActor(actor);
    return this.db.transaction(async (tx) => {
      const before = await getCycle(tx, cycleId, "FOR UPDATE");
      if (before.status === "finalised") throw new CycleFinalisedError(cycleId);
      const rows = await apply(tx, before);
      // A write that changes nothing leaves no audit row: the history lists changes only.
      if (rows === null) return before;
      const after = toCycle(rows[0]!);
      await writeAudit(tx, { actor, action, entity: "cycle", entityId: cycleId, cycleId, before, after });
      return after;
    });
  }

  async update(actor: string, cycleId: string, patch: { name?: string; year?: number }): Promise<Cycle> {
    if (patch.name !== undefined) requireText(patch.name, "name");
    if (patch.year !== undefined) checkYear(patch.year);
    return this.change(actor, cycleId, "update", (tx, before) =>
      tx.query<CycleRow>(`UPDATE cycles SET name = $2, year = $3 WHERE id = $1 RETURNING ${COLUMNS}`, [
        cycleId,
        patch.name ?? before.name,
        patch.year ?? before.year,
      ]),
    );
  }

  async setScheme(
    actor: string,
    cycleId: string,
    target: { schemeId: string; version: number },
    options: { beforeChange?: (tx: Db) => Promise<void>; forced?: boolean } = {},
  ): Promise<Cycle> {
    const { schemeId, version } = target;
    requireText(schemeId, "schemeId");
    // A move past the check is its own action in the history: whoever reads why a ranking
    // failed sees that someone chose to move the cycle anyway.
    const action = options.forced ? "set-scheme-forced" : "set-scheme";
    return this.change(actor, cycleId, action, async (tx, before) => {
      // Already there: no check to pass (the records are scored under this version as they
      // stand), nothing to write, and `beforeChange` is not called.
      if (before.schemeId === schemeId && before.schemeVersion === version) return null;
      await requireSchemeVersion(tx, schemeId, version);
      // Under the cycle's row lock, which waits for every writer holding it FOR SHARE: the
      // records checked are exactly those the new version will score.
      await options.beforeChange?.(tx);
      return tx.query<CycleRow>(
        `UPDATE cycles SET scheme_id = $2, scheme_version = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
        [cycleId, schemeId, version],
      );
    });
  }

  async finalise(
    actor: string,
    cycleId: string,
    options: { beforeFreeze?: (tx: Db) => Promise<void> } = {},
  ): Promise<Cycle> {
    return this.change(actor, cycleId, "finalise", async (tx) => {
      // Runs under the cycle's row lock, which waits for every writer holding it FOR SHARE: what
      // the check sees is exactly what is frozen.
      await options.beforeFreeze?.(tx);
      return tx.query<CycleRow>(
        `UPDATE cycles SET status = 'finalised', finalised_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [cycleId],
      );
    });
  }
}
