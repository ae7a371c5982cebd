import { createHash, randomUUID } from "node:crypto";
import { MAX_SCENARIOS_PER_OWNER } from "../scenario-limits.js";
import type { ScenariosApi } from "./api.js";
import type { Db } from "./db.js";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "./errors.js";
import { lockRecord, requireActor, requireText, writeAudit } from "./internal.js";
import { knownCycleList } from "./known-cycle-list.js";
import type { CreateScenarioInput, Scenario, UpdateScenarioInput } from "./types.js";

interface ScenarioRow {
  id: string;
  cycle_id: string;
  owner: string;
  name: string;
  patch: unknown;
  shared: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = "id, cycle_id, owner, name, patch, shared, created_at, updated_at";

const toScenario = (r: ScenarioRow): Scenario => ({
  id: r.id,
  cycleId: r.cycle_id,
  owner: r.owner,
  name: r.name,
  patch: r.patch,
  shared: r.shared,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * A save under a name the owner already gave another scenario of the cycle: said with the name
 * and what to do. The database's own words name the key's columns, or nothing when the name holds
 * ", " (its values cannot be told apart), and a save of two at once meets only the key.
 */
function takenName(err: unknown, cycleId: string, name: string): unknown {
  const cause = err instanceof ConflictError ? (err.cause as { constraint?: string } | undefined) : undefined;
  if (cause?.constraint !== "scenarios_cycle_id_owner_name_key") return err;
  return new ConflictError(
    `you already have a scenario named ${JSON.stringify(name)} on cycle '${cycleId}': choose another name, or save that one with its id to change it`,
    { cause: err },
  );
}

/**
 * The audit trail records which scenario changed, not its (possibly large) patch: a digest of the
 * patch instead, so that an edit of its rules or data is told from a save that changed nothing
 * (both read as the same before and after without it).
 */
const summary = (s: Scenario) => ({
  id: s.id,
  name: s.name,
  owner: s.owner,
  shared: s.shared,
  patchSha256: createHash("sha256").update(JSON.stringify(s.patch)).digest("hex"),
});

export class Scenarios implements ScenariosApi {
  constructor(private readonly db: Db) {}

  async list(cycleId: string, viewer: string): Promise<Scenario[]> {
    const rows = await this.db.query<ScenarioRow>(
      `SELECT ${COLUMNS} FROM scenarios WHERE cycle_id = $1 AND (owner = $2 OR shared)
       ORDER BY name COLLATE "C", id COLLATE "C"`,
      [cycleId, viewer],
    );
    return (await knownCycleList(this.db, cycleId, rows)).map(toScenario);
  }

  async get(scenarioId: string, viewer: string): Promise<Scenario> {
    const rows = await this.db.query<ScenarioRow>(
      `SELECT ${COLUMNS} FROM scenarios WHERE id = $1 AND (owner = $2 OR shared)`,
      [scenarioId, viewer],
    );
    if (!rows[0]) throw new NotFoundError("scenario", scenarioId);
    return toScenario(rows[0]);
  }

  async create(actor: string, input: CreateScenarioInput): Promise<Scenario> {
    requireActor(actor);
    requireText(input.name, "name");
    if (input.patch === undefined) throw new ValidationError([{ path: "patch", message: "required" }]);
    const created = this.db.transaction(async (tx) => {
      // Locked, as every writer of a cycle's rows locks it: a deleteCycle under way finishes first
      // (and the cycle is not found), or waits, counts this scenario and keeps the cycle. KEY
      // SHARE, not the others' SHARE: a scenario is no record, so finaliseCycle need not wait.
      const cycle = await tx.query("SELECT 1 FROM cycles WHERE id = $1 FOR KEY SHARE", [input.cycleId]);
      if (!cycle[0]) throw new NotFoundError("cycle", input.cycleId);
      // Saves of one owner on the cycle wait for each other here, so each counts the others'
      // scenarios: two at once each found room for the last one. Keyed by (cycle, owner), so
      // other analysts and other cycles' saves do not wait.
      await lockRecord(tx, "scenarios", input.cycleId, actor);
      const [kept] = await tx.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM scenarios WHERE cycle_id = $1 AND owner = $2",
        [input.cycleId, actor],
      );
      if ((kept?.n ?? 0) >= MAX_SCENARIOS_PER_OWNER)
        throw new ConflictError(
          `you already have ${MAX_SCENARIOS_PER_OWNER} scenarios on cycle '${input.cycleId}', the most one analyst may keep: delete one you no longer need (deleteScenario), or save over one with its id`,
        );
      const rows = await tx.query<ScenarioRow>(
        `INSERT INTO scenarios (id, cycle_id, owner, name, patch, shared) VALUES ($1, $2, $3, $4, $5::json, $6)
         RETURNING ${COLUMNS}`,
        [randomUUID(), input.cycleId, actor, input.name, JSON.stringify(input.patch), input.shared ?? false],
      );
      const s = toScenario(rows[0]!);
      await writeAudit(tx, {
        actor,
        action: "create",
        entity: "scenario",
        entityId: s.id,
        cycleId: s.cycleId,
        after: summary(s),
      });
      return s;
    });
    return created.catch((err: unknown) => {
      throw takenName(err, input.cycleId, input.name);
    });
  }

  /**
   * The scenario, locked, when the actor may change it: their own, or with `anyOwner` anyone's.
   * Another's private scenario is not found, as it is to every read of theirs.
   */
  private async owned(tx: Db, actor: string, scenarioId: string, anyOwner = false): Promise<Scenario> {
    const rows = await tx.query<ScenarioRow>(`SELECT ${COLUMNS} FROM scenarios WHERE id = $1 FOR UPDATE`, [
      scenarioId,
    ]);
    const row = rows[0];
    if (!row || (!anyOwner && row.owner !== actor && !row.shared))
      throw new NotFoundError("scenario", scenarioId);
    if (!anyOwner && row.owner !== actor)
      throw new ForbiddenError(`scenario '${scenarioId}' belongs to ${row.owner}`);
    return toScenario(row);
  }

  async update(actor: string, scenarioId: string, patch: UpdateScenarioInput): Promise<Scenario> {
    requireActor(actor);
    if (patch.name !== undefined) requireText(patch.name, "name");
    let cycleId = "";
    const updated = this.db.transaction(async (tx) => {
      const before = await this.owned(tx, actor, scenarioId);
      cycleId = before.cycleId;
      const name = patch.name ?? before.name;
      const document = JSON.stringify(patch.patch === undefined ? before.patch : patch.patch);
      const shared = patch.shared ?? before.shared;
      // The same values again are no change: no audit entry, and the scenario keeps its updatedAt.
      if (name === before.name && document === JSON.stringify(before.patch) && shared === before.shared)
        return before;
      const rows = await tx.query<ScenarioRow>(
        `UPDATE scenarios SET name = $2, patch = $3::json, shared = $4, updated_at = now() WHERE id = $1
         RETURNING ${COLUMNS}`,
        [scenarioId, name, document, shared],
      );
      const after = toScenario(rows[0]!);
      await writeAudit(tx, {
        actor,
        action: "update",
        entity: "scenario",
        entityId: scenarioId,
        cycleId: after.cycleId,
        before: summary(before),
        after: summary(after),
      });
      return after;
    });
    return updated.catch((err: unknown) => {
      throw takenName(err, cycleId, patch.name ?? "");
    });
  }

  async delete(actor: string, scenarioId: string, options: { anyOwner?: boolean } = {}): Promise<void> {
    requireActor(actor);
    return this.db.transaction(async (tx) => {
      // The before-summary names the owner: an administrator's delete of another's says whose it was.
      const before = await this.owned(tx, actor, scenarioId, options.anyOwner === true);
      await tx.query("DELETE FROM scenarios WHERE id = $1", [scenarioId]);
      await writeAudit(tx, {
        actor,
        action: "delete",
        entity: "scenario",
        entityId: scenarioId,
        cycleId: before.cycleId,
        before: summary(before),
      });
    });
  }
}
