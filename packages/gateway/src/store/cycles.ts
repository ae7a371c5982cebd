import { MAX_VETO_YEARS_IN_FORCE } from "@pingyi/engine";
import type { CyclesApi } from "./api.js";
import { whatCycleHolds } from "./cycle-holdings.js";
import type { Db } from "./db.js";
import {
  CycleFinalisedError,
  finalisedAtText,
  finalisedRefusal,
  NotFoundError,
  ValidationError,
} from "./errors.js";
import { optionalReason, requireActor, requireText, writeAudit } from "./internal.js";
import { knownCycleList } from "./known-cycle-list.js";
import { requireUsableVersion } from "./scheme-withdrawals.js";
import type { CreateCycleInput, Cycle, DeletedCycle } from "./types.js";
import { toUnit, UNIT_COLUMNS, type UnitRow } from "./units.js";

interface CycleRow {
  id: string;
  year: number;
  name: string;
  scheme_id: string;
  scheme_version: number;
  status: "open" | "finalised";
  created_at: Date;
  finalised_at: Date | null;
  previous_cycle_id: string | null;
}

const COLUMNS =
  "id, year, name, scheme_id, scheme_version, status, created_at, finalised_at, previous_cycle_id";

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
    previousCycleId: r.previous_cycle_id,
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

/**
 * `chain`: the cycle `$1` and the cycles it follows whose vetoes can still count in it, with
 * their depth along the links. Years strictly decrease along the links, so the walk ends; the
 * depth bound is for a database edited by hand.
 */
export const CHAIN_CTE = `WITH RECURSIVE chain (id, year, first_year, depth) AS (
    SELECT id, year, year, 0 FROM cycles WHERE id = $1
  UNION ALL
    SELECT p.id, p.year, chain.first_year, chain.depth + 1
    FROM chain JOIN cycles c ON c.id = chain.id JOIN cycles p ON p.id = c.previous_cycle_id
    WHERE chain.first_year - p.year < ${MAX_VETO_YEARS_IN_FORCE} AND chain.depth < ${MAX_VETO_YEARS_IN_FORCE}
  )`;

/** The cycles `cycleId` follows whose vetoes can still count in it, nearest first. */
export async function earlierCycles(db: Db, cycleId: string): Promise<{ id: string; yearsAgo: number }[]> {
  const rows = await db.query<{ id: string; years_ago: number | string }>(
    `${CHAIN_CTE} SELECT id, first_year - year AS years_ago FROM chain WHERE depth > 0 ORDER BY depth`,
    [cycleId],
  );
  return rows.map((r) => ({ id: r.id, yearsAgo: Number(r.years_ago) }));
}

/** The cycles that follow `cycleId` closely enough for its vetoes to count in them. */
export async function laterCycles(db: Db, cycleId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `WITH RECURSIVE later (id, first_year, depth) AS (
         SELECT id, year, 0 FROM cycles WHERE id = $1
       UNION ALL
         SELECT c.id, later.first_year, later.depth + 1
         FROM later JOIN cycles c ON c.previous_cycle_id = later.id
         WHERE c.year - later.first_year < ${MAX_VETO_YEARS_IN_FORCE} AND later.depth < ${MAX_VETO_YEARS_IN_FORCE}
       )
     SELECT id FROM later WHERE depth > 0 ORDER BY id COLLATE "C"`,
    [cycleId],
  );
  return rows.map((r) => r.id);
}

/** A scheme version as a cycle's history names it. */
export interface SchemeVersionKey {
  schemeId: string;
  version: number;
}

/**
 * The scheme versions the cycle has been on, newest first, each once: as its history records
 * them, in its `create` entry and each move since (`set-scheme`, `set-scheme-forced`), the
 * version moved off as well as the one moved to (a history missing its `create` entry still
 * names the first). A deleted cycle's entries, kept under the same id, are not this one's: the
 * history starts at the latest `create` or `delete` entry, so that one missing its `create` entry
 * (a database edited by hand) does not take a predecessor's versions for its own. One query, by
 * the audit log's (entity, entity_id, id) index.
 */
export async function schemeHistory(db: Db, cycleId: string): Promise<SchemeVersionKey[]> {
  const rows = await db.query<{ [k in "to_id" | "to_version" | "from_id" | "from_version"]: string | null }>(
    `SELECT after->>'schemeId' AS to_id, after->>'schemeVersion' AS to_version,
            before->>'schemeId' AS from_id, before->>'schemeVersion' AS from_version
     FROM audit_log
     WHERE entity = 'cycle' AND entity_id = $1 AND action IN ('create', 'set-scheme', 'set-scheme-forced')
       -- A 'delete' entry is not one of the actions read, so the history starts after it.
       AND id >= coalesce(
         (SELECT max(id) FROM audit_log
          WHERE entity = 'cycle' AND entity_id = $1 AND action IN ('create', 'delete')), 0)
     ORDER BY id DESC`,
    [cycleId],
  );
  const seen = new Map<string, SchemeVersionKey>();
  const add = (schemeId: string | null, version: string | null) => {
    const n = Number(version);
    // A database edited by hand may hold anything: what names no version names none.
    if (schemeId === null || version === null || !Number.isInteger(n)) return;
    const key = JSON.stringify([schemeId, n]);
    if (!seen.has(key)) seen.set(key, { schemeId, version: n });
  };
  for (const r of rows) {
    add(r.to_id, r.to_version);
    add(r.from_id, r.from_version);
  }
  return [...seen.values()];
}

/**
 * Refuses a link that would not run from a later year to an earlier one: the years ago of a
 * carried veto would be zero or negative, and a loop of links would never end.
 */
async function checkPrevious(tx: Db, cycle: { id: string; year: number }, previousId: string): Promise<void> {
  // FOR SHARE waits for a change of its year under way: a link made meanwhile is checked, and
  // later finalised, against the year it commits (see `checkFinalisedFollowers`).
  const rows = await tx.query<CycleRow>(`SELECT ${COLUMNS} FROM cycles WHERE id = $1 FOR SHARE`, [
    previousId,
  ]);
  const previous = rows[0];
  if (!previous)
    throw new ValidationError([{ path: "previousCycleId", message: `no cycle '${previousId}'` }]);
  if (previous.year >= cycle.year)
    throw new ValidationError([
      {
        path: "previousCycleId",
        message: `cycle '${previousId}' is of ${previous.year}: the cycle a cycle of ${cycle.year} follows must be of an earlier year`,
      },
    ]);
}

/**
 * Refuses a year that would bring an open cycle within the reach of a finalised one that follows
 * it: its vetoes, recorded or deleted later, would move that published ranking. Only the cycles
 * following it directly are read: a finalised cycle further on reaches it only through them, and
 * those within its reach were finalised before it.
 */
async function checkFinalisedFollowers(tx: Db, cycleId: string, year: number): Promise<void> {
  // FOR SHARE waits for a finalisation under way, and then reads the status it committed.
  const followers = await tx.query<CycleRow>(
    `SELECT ${COLUMNS} FROM cycles WHERE previous_cycle_id = $1 AND year - $2 < ${MAX_VETO_YEARS_IN_FORCE}
     ORDER BY year, id COLLATE "C" FOR SHARE`,
    [cycleId, year],
  );
  const finalised = followers.find((f) => f.status === "finalised");
  if (finalised)
    throw new ValidationError([
      {
        path: "year",
        message:
          `cycle '${finalised.id}' of ${finalised.year} follows this one and is finalised (at ${finalisedAtText(finalised.finalised_at)}): ` +
          `in ${year} this cycle's vetoes could count in its published ranking and move it (a veto stays in force ${MAX_VETO_YEARS_IN_FORCE} years at most), ` +
          `so its year must stay at ${finalised.year - MAX_VETO_YEARS_IN_FORCE} or before`,
      },
    ]);
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

  async knownList<T>(cycleId: string, list: T[]): Promise<T[]> {
    return knownCycleList(this.db, cycleId, list);
  }

  async create(actor: string, input: CreateCycleInput): Promise<Cycle> {
    requireActor(actor);
    requireText(input.id, "id");
    requireText(input.name, "name");
    requireText(input.schemeId, "schemeId");
    checkYear(input.year);
    const previous = input.previousCycleId ?? null;
    if (previous !== null) requireText(previous, "previousCycleId");
    return this.db.transaction(async (tx) => {
      const target = { schemeId: input.schemeId, version: input.schemeVersion };
      await requireUsableVersion(tx, target, "schemeVersion");
      if (previous !== null) await checkPrevious(tx, { id: input.id, year: input.year }, previous);
      const rows = await tx.query<CycleRow>(
        `INSERT INTO cycles (id, year, name, scheme_id, scheme_version, previous_cycle_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [input.id, input.year, input.name, input.schemeId, input.schemeVersion, previous],
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
    options: {
      /** What the refusal of a finalised cycle says, when not that it cannot be changed. */
      finalised?: (before: Cycle) => string;
      /** Why, in the audit entry: checked once the cycle is known to be open (a finalised one is said first). */
      reasonOf?: () => string | null;
      /** What the admin confirmed with the change, kept beside the cycle in the entry's `after`. */
      confirmed?: Record<string, unknown>;
    } = {},
  ): Promise<{ cycle: Cycle; changed: boolean }> {
    const { finalised, reasonOf, confirmed } = options;
    requireActor(actor);
    return this.db.transaction(async (tx) => {
      const before = await getCycle(tx, cycleId, "FOR UPDATE");
      if (before.status === "finalised")
        throw finalised
          ? new CycleFinalisedError(cycleId, finalised(before))
          : finalisedRefusal(cycleId, before.finalisedAt);
      const reason = reasonOf?.() ?? null;
      const rows = await apply(tx, before);
      // A write that changes nothing leaves no audit row: the history lists changes only.
      if (rows === null) return { cycle: before, changed: false };
      const after = toCycle(rows[0]!);
      await writeAudit(tx, {
        actor,
        action,
        entity: "cycle",
        entityId: cycleId,
        cycleId,
        before,
        after: confirmed === undefined ? after : { ...after, ...confirmed },
        reason,
      });
      return { cycle: after, changed: true };
    });
  }

  async update(
    actor: string,
    cycleId: string,
    patch: { name?: string; year?: number },
  ): Promise<{ cycle: Cycle; changed: boolean }> {
    if (patch.name !== undefined) requireText(patch.name, "name");
    if (patch.year !== undefined) checkYear(patch.year);
    return this.change(actor, cycleId, "update", async (tx, before) => {
      const year = patch.year ?? before.year;
      const name = patch.name ?? before.name;
      if (name === before.name && year === before.year) return null;
      if (year !== before.year) {
        // Moving a year across the cycle it follows, or one that follows it, would turn a link round.
        if (before.previousCycleId !== null)
          await checkPrevious(tx, { id: cycleId, year }, before.previousCycleId);
        const later = await tx.query<{ id: string; year: number }>(
          'SELECT id, year FROM cycles WHERE previous_cycle_id = $1 AND year <= $2 ORDER BY id COLLATE "C" LIMIT 1',
          [cycleId, year],
        );
        if (later[0])
          throw new ValidationError([
            {
              path: "year",
              message: `cycle '${later[0].id}' of ${later[0].year} follows this one: its year must stay before ${later[0].year}`,
            },
          ]);
        await checkFinalisedFollowers(tx, cycleId, year);
      }
      return tx.query<CycleRow>(`UPDATE cycles SET name = $2, year = $3 WHERE id = $1 RETURNING ${COLUMNS}`, [
        cycleId,
        name,
        year,
      ]);
    });
  }

  async setPrevious(
    actor: string,
    cycleId: string,
    previousCycleId: string | null,
  ): Promise<{ cycle: Cycle; changed: boolean }> {
    if (previousCycleId !== null) requireText(previousCycleId, "previousCycleId");
    return this.change(actor, cycleId, "set-previous-cycle", async (tx, before) => {
      if (before.previousCycleId === previousCycleId) return null;
      if (previousCycleId !== null) await checkPrevious(tx, before, previousCycleId);
      return tx.query<CycleRow>(
        `UPDATE cycles SET previous_cycle_id = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
        [cycleId, previousCycleId],
      );
    });
  }

  async setScheme(
    actor: string,
    cycleId: string,
    target: { schemeId: string; version: number },
    options: { beforeChange?: (tx: Db) => Promise<void>; forced?: boolean; reason?: string | null } = {},
  ): Promise<Cycle> {
    const { schemeId, version } = target;
    requireText(schemeId, "schemeId");
    const reasonOf = () => {
      const reason = optionalReason(options.reason);
      if (options.forced && reason === null)
        throw new ValidationError([
          {
            path: "reason",
            message:
              "say why the cycle is moved past the check: a forced move leaves its ranking failing until its records are corrected, and the history should say why",
          },
        ]);
      return reason;
    };
    // A move past the check is its own action in the history: whoever reads why a ranking
    // failed sees that someone chose to move the cycle anyway.
    const action = options.forced ? "set-scheme-forced" : "set-scheme";
    const { cycle } = await this.change(
      actor,
      cycleId,
      action,
      async (tx, before) => {
        // Already there: no check to pass (the records are scored under this version as they
        // stand), nothing to write, and `beforeChange` is not called.
        if (before.schemeId === schemeId && before.schemeVersion === version) return null;
        await requireUsableVersion(tx, target, "version");
        // Under the cycle's row lock, which waits for every writer holding it FOR SHARE: the
        // records checked are exactly those the new version will score.
        await options.beforeChange?.(tx);
        return tx.query<CycleRow>(
          `UPDATE cycles SET scheme_id = $2, scheme_version = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
          [cycleId, schemeId, version],
        );
      },
      { reasonOf },
    );
    return cycle;
  }

  async finalise(
    actor: string,
    cycleId: string,
    options: {
      beforeFreeze?: (tx: Db) => Promise<void>;
      reason?: string | null;
      expectedUnscoredUnits?: number | null;
    } = {},
  ): Promise<Cycle> {
    const { cycle } = await this.change(
      actor,
      cycleId,
      "finalise",
      async (tx) => {
        // A frozen ranking must not move when an earlier year's veto is recorded or deleted later:
        // every cycle whose vetoes can count here is final first. Those it follows in turn were
        // checked when it was finalised.
        const [nearest] = await earlierCycles(tx, cycleId);
        if (nearest) {
          const previous = await getCycle(tx, nearest.id, "FOR SHARE");
          if (previous.status !== "finalised")
            throw new ValidationError([
              {
                path: "previousCycleId",
                message: `cycle '${previous.id}', which this one follows, is still open: its vetoes can count in this year, so finalise it first (or unlink it with setPreviousCycle)`,
              },
            ]);
        }
        // Runs under the cycle's row lock, which waits for every writer holding it FOR SHARE: what
        // the check sees is exactly what is frozen.
        await options.beforeFreeze?.(tx);
        return tx.query<CycleRow>(
          `UPDATE cycles SET status = 'finalised', finalised_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
          [cycleId],
        );
      },
      {
        finalised: (before) =>
          `cycle '${cycleId}' is already finalised (at ${finalisedAtText(before.finalisedAt)}): ` +
          "it stays as published; a correction decided later goes in a new cycle of the same year",
        reasonOf: () => optionalReason(options.reason),
        // The count the admin read and confirmed, beside the cycle the history shows frozen.
        ...(options.expectedUnscoredUnits == null
          ? {}
          : { confirmed: { expectedUnscoredUnits: options.expectedUnscoredUnits } }),
      },
    );
    return cycle;
  }

  async delete(
    actor: string,
    cycleId: string,
    options: { reason?: string | null } = {},
  ): Promise<DeletedCycle> {
    requireActor(actor);
    return this.db.transaction(async (tx) => {
      // FOR UPDATE waits for every writer of the cycle (they hold its row FOR SHARE) and holds
      // off the next ones, which then find no cycle: what is counted below is all there is.
      const before = await getCycle(tx, cycleId, "FOR UPDATE");
      if (before.status === "finalised")
        throw new CycleFinalisedError(
          cycleId,
          `cycle '${cycleId}' is finalised (at ${finalisedAtText(before.finalisedAt)}): a published year is never deleted`,
        );
      const reason = optionalReason(options.reason);
      const held = await whatCycleHolds(tx, cycleId);
      if (held) throw new ValidationError([{ path: "cycleId", message: held }]);
      // Its set-up goes with it, kept whole in the audit record. One statement for the units,
      // so a sub-unit and its parent go together.
      const units = await tx.query<UnitRow>(
        `DELETE FROM units WHERE cycle_id = $1 RETURNING ${UNIT_COLUMNS}`,
        [cycleId],
      );
      const groups = await tx.query<{ id: string; name: string; ranked: boolean }>(
        "DELETE FROM groups WHERE cycle_id = $1 RETURNING id, name, ranked",
        [cycleId],
      );
      await tx.query("DELETE FROM cycles WHERE id = $1", [cycleId]);
      const byId = <T extends { id: string }>(rows: T[]) =>
        [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      await writeAudit(tx, {
        actor,
        action: "delete",
        entity: "cycle",
        entityId: cycleId,
        cycleId,
        before: { ...before, groups: byId(groups), units: byId(units).map(toUnit) },
        reason,
      });
      return { cycle: before, units: units.length, groups: groups.length };
    });
  }
}
