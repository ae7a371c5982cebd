import { ballotsCounted } from "../ballots-counted.js";
import { isCalendarDay } from "../calendar-day.js";
import type { BallotFilter, EventFilter, FindingFilter, RecordsApi, ScoreFilter } from "./api.js";
import { ballotsByCategory } from "./ballots-by-category.js";
import { CHAIN_CTE } from "./cycles.js";
import type { Db } from "./db.js";
import { deleteInBatches } from "./delete-in-batches.js";
import { deleteSurveyForms } from "./delete-survey-forms.js";
import { NotFoundError, ValidationError } from "./errors.js";
import {
  compact,
  decimalText,
  lockOpenCycle,
  lockRecord,
  optionalReason,
  optionalText,
  pageClause,
  requireActor,
  requireText,
  requireUnit,
  writeAudit,
  writeAudits,
} from "./internal.js";
import { noSuchBallots } from "./no-such-ballots.js";
import { type ProvenanceRow, type WithProvenance, withProvenance } from "./provenance.js";
import type {
  Ballot,
  BallotCount,
  BallotInput,
  BallotKey,
  BonusEvent,
  BonusEventInput,
  DirectScore,
  FindingRecord,
  FormulaInput,
  Page,
  RectificationInput,
  SurveyFilter,
  SurveyForm,
  SurveyFormSet,
  SurveyTally,
  VetoEvent,
} from "./types.js";
import { storedOtherRoles, voterRoleConflict } from "./voter-role-conflict.js";

export const RECTIFICATIONS = ["on-time", "late", "not-rectified", "pending"] as const;

// Row shapes and mappers, shared with dataset.ts so a loaded dataset equals what the lists return.

const SCORE_COLUMNS = "unit_id, category, value::text AS value";
export const SCORE_SQL = `SELECT ${SCORE_COLUMNS} FROM direct_scores`;
export const toScore = (r: { unit_id: string; category: string; value: string }): DirectScore => ({
  unit: r.unit_id,
  category: r.category,
  value: r.value,
});
// The lists' reads, with each record's import (the dataset and the audit records go without).
const LISTED_SCORE_SQL = `SELECT ${SCORE_COLUMNS}, import_id FROM direct_scores`;
const listedScore = withProvenance(toScore);

export const INPUT_SQL = `SELECT unit_id, name, value::text AS value FROM formula_inputs`;
export const toInput = (r: { unit_id: string; name: string; value: string }): FormulaInput => ({
  unit: r.unit_id,
  name: r.name,
  value: r.value,
});

type UnitValueRow = { unit_id: string; value: string } & Record<string, string>;

/**
 * Direct scores and formula inputs are the same kind of record: one decimal per (unit, key)
 * in a cycle, written and deleted with an audit record. One description of each table lets
 * one pair of functions serve both. Table and column names are constants, never input.
 */
interface UnitValueTable<T> {
  table: "direct_scores" | "formula_inputs";
  key: "category" | "name";
  entity: "score" | "input";
  select: string;
  read: (row: UnitValueRow) => T;
  /** Extra assignment on update: a hand-edited score no longer belongs to the import that loaded it. */
  onUpdate: string;
}

const SCORES: UnitValueTable<DirectScore> = {
  table: "direct_scores",
  key: "category",
  entity: "score",
  select: SCORE_SQL,
  read: (r) => toScore(r as { unit_id: string; category: string; value: string }),
  onUpdate: ", import_id = NULL",
};

const INPUTS: UnitValueTable<FormulaInput> = {
  table: "formula_inputs",
  key: "name",
  entity: "input",
  select: INPUT_SQL,
  read: (r) => toInput(r as { unit_id: string; name: string; value: string }),
  onUpdate: "",
};

async function putUnitValue<T>(
  tx: Db,
  spec: UnitValueTable<T>,
  change: { actor: string; cycleId: string; unit: string; key: string; value: string },
): Promise<T> {
  const { actor, cycleId, unit, key, value } = change;
  await lockRecord(tx, spec.table, cycleId, unit, key);
  const before = (
    await tx.query<UnitValueRow>(
      `${spec.select} WHERE cycle_id = $1 AND unit_id = $2 AND ${spec.key} = $3 FOR UPDATE`,
      [cycleId, unit, key],
    )
  ).map(spec.read)[0];
  const rows = await tx.query<UnitValueRow>(
    `INSERT INTO ${spec.table} (cycle_id, unit_id, ${spec.key}, value) VALUES ($1, $2, $3, $4::numeric)
     ON CONFLICT (cycle_id, unit_id, ${spec.key}) DO UPDATE SET value = EXCLUDED.value${spec.onUpdate}
     RETURNING unit_id, ${spec.key}, value::text AS value`,
    [cycleId, unit, key, value],
  );
  const after = spec.read(rows[0]!);
  await writeAudit(tx, {
    actor,
    action: before ? "update" : "create",
    entity: spec.entity,
    entityId: `${unit}/${key}`,
    cycleId,
    before,
    after,
  });
  return after;
}

async function deleteUnitValue<T>(
  tx: Db,
  spec: UnitValueTable<T>,
  change: { actor: string; cycleId: string; unit: string; key: string },
): Promise<void> {
  const { actor, cycleId, unit, key } = change;
  const rows = await tx.query<UnitValueRow>(
    `DELETE FROM ${spec.table} WHERE cycle_id = $1 AND unit_id = $2 AND ${spec.key} = $3
     RETURNING unit_id, ${spec.key}, value::text AS value`,
    [cycleId, unit, key],
  );
  if (!rows[0]) throw new NotFoundError(spec.entity, `${unit}/${key}`);
  await writeAudit(tx, {
    actor,
    action: "delete",
    entity: spec.entity,
    entityId: `${unit}/${key}`,
    cycleId,
    before: spec.read(rows[0]),
  });
}

export interface BallotRow {
  category: string;
  voter: string;
  role: string | null;
  unit_id: string;
  score: string | null;
  grade: string | null;
}
const BALLOT_COLUMNS = "category, voter, role, unit_id, score::text AS score, grade";
export const BALLOT_SQL = `SELECT ${BALLOT_COLUMNS} FROM ballots`;
const LISTED_BALLOT_SQL = `SELECT ${BALLOT_COLUMNS}, import_id FROM ballots`;
export const toBallot = (r: BallotRow): Ballot =>
  compact({
    category: r.category,
    voter: r.voter,
    role: r.role,
    unit: r.unit_id,
    score: r.score,
    grade: r.grade,
  }) as Ballot;
const listedBallot = withProvenance(toBallot);

interface FindingRow {
  id: string;
  unit_id: string;
  type: string;
  level: string;
  rectification: FindingRecord["rectification"] | null;
  repeated: boolean;
  note: string | null;
  deadline: string | null;
  rectified_on: string | null;
}
const FINDING_COLUMNS = `id, unit_id, type, level, rectification, repeated, note,
  to_char(deadline, 'YYYY-MM-DD') AS deadline, to_char(rectified_on, 'YYYY-MM-DD') AS rectified_on`;
export const FINDING_SQL = `SELECT ${FINDING_COLUMNS} FROM findings`;
const LISTED_FINDING_SQL = `SELECT ${FINDING_COLUMNS}, import_id FROM findings`;
export const toFinding = (r: FindingRow): FindingRecord =>
  compact({
    id: r.id,
    unit: r.unit_id,
    type: r.type,
    level: r.level,
    rectification: r.rectification,
    repeated: r.repeated,
    note: r.note,
    deadline: r.deadline,
    rectifiedOn: r.rectified_on,
  }) as FindingRecord;
const listedFinding = withProvenance(toFinding);

type EventRow = { id: string; unit_id: string } & Record<string, string | null>;

const BONUS_COLUMNS = "id, unit_id, type, level, note";
export const BONUS_SQL = `SELECT ${BONUS_COLUMNS} FROM bonus_events`;
export const toBonus = (r: EventRow): BonusEvent =>
  compact({ id: r.id, unit: r.unit_id, type: r.type, level: r.level, note: r.note }) as BonusEvent;

const VETO_COLUMNS = "id, unit_id, type, reason";
export const VETO_SQL = `SELECT ${VETO_COLUMNS} FROM veto_events`;
export const toVeto = (r: EventRow): VetoEvent => ({
  id: r.id,
  unit: r.unit_id,
  type: r.type!,
  reason: r.reason!,
});

/**
 * Bonus and veto events are the same kind of record: a row per (cycle, id) naming a unit, a
 * type and a few text columns, written and deleted with an audit record. One description of
 * each table lets one set of functions serve both. Names are constants, never input.
 */
interface EventTable<T> {
  table: "bonus_events" | "veto_events";
  /** The columns after id and unit_id, in the order `putEvent` is given their values. */
  columns: readonly string[];
  entity: "bonus_event" | "veto_event";
  /** The record's name in a NotFoundError. */
  noun: string;
  select: string;
  /** `select` with each event's import, as the lists read them. */
  listed: string;
  read: (row: EventRow) => T;
}

const BONUS_EVENTS: EventTable<BonusEvent> = {
  table: "bonus_events",
  columns: ["type", "level", "note"],
  entity: "bonus_event",
  noun: "bonus event",
  select: BONUS_SQL,
  listed: `SELECT ${BONUS_COLUMNS}, import_id FROM bonus_events`,
  read: toBonus,
};

const VETO_EVENTS: EventTable<VetoEvent> = {
  table: "veto_events",
  columns: ["type", "reason"],
  entity: "veto_event",
  noun: "veto event",
  select: VETO_SQL,
  listed: `SELECT ${VETO_COLUMNS}, import_id FROM veto_events`,
  read: toVeto,
};

async function listEvents<T extends object>(
  db: Db,
  spec: EventTable<T>,
  cycleId: string,
  filter: EventFilter & Page,
): Promise<WithProvenance<T>[]> {
  const params: unknown[] = [];
  const w = where(cycleId, filter, EVENT_FILTER, params);
  const rows = await db.query<EventRow & ProvenanceRow>(
    `${spec.listed}${w} ORDER BY id COLLATE "C"${pageClause(filter, params)}`,
    params,
  );
  return rows.map(withProvenance(spec.read));
}

async function putEvent<T>(
  tx: Db,
  spec: EventTable<T>,
  change: {
    actor: string;
    cycleId: string;
    id: string;
    unit: string;
    /** In `spec.columns` order; undefined keeps the stored value (null for a new event). */
    values: readonly (string | null | undefined)[];
  },
): Promise<T> {
  const { actor, cycleId, id, unit } = change;
  await lockRecord(tx, spec.table, cycleId, id);
  const stored = (
    await tx.query<EventRow>(`${spec.select} WHERE cycle_id = $1 AND id = $2 FOR UPDATE`, [cycleId, id])
  )[0];
  const before = stored && spec.read(stored);
  // Merged under the row lock, so a correction made meanwhile is not lost to an omitted field.
  const values = change.values.map((v, k) => (v === undefined ? (stored?.[spec.columns[k]!] ?? null) : v));
  const columns = ["unit_id", ...spec.columns];
  // Written by hand, an event no longer belongs to the import that loaded it: removing that
  // import keeps the correction.
  const rows = await tx.query<EventRow>(
    `INSERT INTO ${spec.table} (cycle_id, id, ${columns.join(", ")})
     VALUES (${["$1", "$2", ...columns.map((_, k) => `$${k + 3}`)].join(", ")})
     ON CONFLICT (cycle_id, id) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(", ")}, import_id = NULL
     RETURNING id, ${columns.join(", ")}`,
    [cycleId, id, unit, ...values],
  );
  const after = spec.read(rows[0]!);
  await writeAudit(tx, {
    actor,
    action: before ? "update" : "create",
    entity: spec.entity,
    entityId: id,
    cycleId,
    before,
    after,
  });
  return after;
}

async function deleteEvent<T>(
  tx: Db,
  spec: EventTable<T>,
  change: { actor: string; cycleId: string; id: string },
): Promise<void> {
  const { actor, cycleId, id } = change;
  const rows = await tx.query<EventRow>(
    `DELETE FROM ${spec.table} WHERE cycle_id = $1 AND id = $2 RETURNING id, unit_id, ${spec.columns.join(", ")}`,
    [cycleId, id],
  );
  if (!rows[0]) throw new NotFoundError(spec.noun, id);
  await writeAudit(tx, {
    actor,
    action: "delete",
    entity: spec.entity,
    entityId: id,
    cycleId,
    before: spec.read(rows[0]),
  });
}

/**
 * The error for an id that is not the cycle's own but a carried veto's as this cycle shows it
 * ("<cycle>/<id>"): that event is in the register of the earlier cycle, the only place it changes.
 */
async function carriedVeto(tx: Db, cycleId: string, shownId: string): Promise<NotFoundError | undefined> {
  // Matched by the key (cycle_id, id): the earlier cycle's id may itself contain "/".
  // The shown id ("2018/V7"), or the event's own id as the earlier cycle's register lists it ("V7").
  const rows = await tx.query<{ cycle_id: string; id: string; status: string; shown: boolean }>(
    `${CHAIN_CTE} SELECT v.cycle_id, v.id, c.status, v.id <> $2 AS shown
       FROM chain JOIN veto_events v ON v.cycle_id = chain.id JOIN cycles c ON c.id = chain.id
     WHERE chain.depth > 0 AND (v.id = $2 OR (left($2, length(chain.id) + 1) = chain.id || '/'
       AND v.id = substr($2, length(chain.id) + 2)))
     ORDER BY shown DESC, chain.depth LIMIT 1`,
    [cycleId, shownId],
  );
  const carried = rows[0];
  if (!carried) return undefined;
  const counted = carried.shown ? "" : ` (counted here as '${carried.cycle_id}/${carried.id}')`;
  // A finalised year's record cannot change: what is left is whether this cycle reads it.
  const remedy =
    carried.status === "finalised"
      ? "that cycle is finalised, so the event stands; whether it counts here is for this cycle's rules (the type's yearsInForce) and its link (setPreviousCycle)"
      : "delete or correct it there";
  return new NotFoundError(
    VETO_EVENTS.noun,
    shownId,
    `veto event '${shownId}' is not this cycle's own: it is veto event '${carried.id}' of cycle '${carried.cycle_id}', which this cycle follows${counted}; ${remedy}`,
  );
}

/** Byte order, as COLLATE "C" sorts, for ids within the Basic Multilingual Plane. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const TALLY_ORDER = `category COLLATE "C", unit_id COLLATE "C", respondent_group COLLATE "C", answer COLLATE "C"`;

/** Builds "WHERE cycle_id = $1 AND col = $n …" from the filter's defined fields. */
function where(cycleId: string, filter: object, columns: Record<string, string>, params: unknown[]) {
  params.push(cycleId);
  let sql = ` WHERE cycle_id = $${params.length}`;
  for (const [key, column] of Object.entries(columns)) {
    const v = (filter as Record<string, unknown>)[key];
    if (v === undefined) continue;
    params.push(v);
    sql += ` AND ${column} = $${params.length}`;
  }
  return sql;
}

const FINDING_FILTER = {
  unit: "unit_id",
  type: "type",
  rectification: "rectification",
  importId: "import_id",
};
const SCORE_FILTER = { unit: "unit_id", category: "category", importId: "import_id" };
const BALLOT_FILTER = { category: "category", unit: "unit_id", voter: "voter", importId: "import_id" };
const EVENT_FILTER = { unit: "unit_id", importId: "import_id" };

function ballotWhere(cycleId: string, filter: BallotFilter, params: unknown[]): string {
  const w = where(cycleId, filter, BALLOT_FILTER, params);
  const only = filter.onlyCategories;
  if (only === undefined) return w;
  // An empty list matches no ballot, as ANY of an empty array is false: no category is readable.
  params.push(only);
  return `${w} AND category = ANY($${params.length}::text[])`;
}

async function count(
  db: Db,
  table: "findings" | "direct_scores" | "ballots",
  whereSql: string,
  params: unknown[],
): Promise<number> {
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}${whereSql}`, params);
  return rows[0]!.n;
}

/** `count` of the rows `where` finds with `filter`. */
function countWhere(
  db: Db,
  table: "findings" | "direct_scores",
  cycleId: string,
  filter: object,
  columns: Record<string, string>,
): Promise<number> {
  const params: unknown[] = [];
  return count(db, table, where(cycleId, filter, columns, params), params);
}

function isoDate(v: unknown, path: string): string | null {
  if (v === undefined || v === null || v === "") return null;
  if (typeof v !== "string" || !isCalendarDay(v)) {
    throw new ValidationError([{ path, message: "must be a date YYYY-MM-DD" }]);
  }
  return v;
}

function checkRectification(v: unknown, path: string): FindingRecord["rectification"] | null {
  if (v === undefined || v === null) return null;
  if (!(RECTIFICATIONS as readonly unknown[]).includes(v)) {
    throw new ValidationError([{ path, message: `must be one of ${RECTIFICATIONS.join(", ")}` }]);
  }
  return v as FindingRecord["rectification"];
}

export class Records implements RecordsApi {
  constructor(private readonly db: Db) {}

  /** One audited, cycle-checked change. */
  private async write<T>(actor: string, cycleId: string, fn: (tx: Db) => Promise<T>): Promise<T> {
    requireActor(actor);
    return this.db.transaction(async (tx) => {
      await lockOpenCycle(tx, cycleId);
      return fn(tx);
    });
  }

  // Direct scores ------------------------------------------------------------------------------

  async listScores(cycleId: string, filter: ScoreFilter & Page = {}): Promise<WithProvenance<DirectScore>[]> {
    const params: unknown[] = [];
    const w = where(cycleId, filter, SCORE_FILTER, params);
    const rows = await this.db.query<{ unit_id: string; category: string; value: string } & ProvenanceRow>(
      `${LISTED_SCORE_SQL}${w} ORDER BY unit_id COLLATE "C", category COLLATE "C"${pageClause(filter, params)}`,
      params,
    );
    return rows.map(listedScore);
  }

  async countScores(cycleId: string, filter: ScoreFilter = {}): Promise<number> {
    return countWhere(this.db, "direct_scores", cycleId, filter, SCORE_FILTER);
  }

  async setScore(actor: string, cycleId: string, score: DirectScore): Promise<DirectScore> {
    requireText(score.unit, "unit");
    requireText(score.category, "category");
    const value = decimalText(score.value, "value");
    return this.write(actor, cycleId, async (tx) => {
      await requireUnit(tx, cycleId, score.unit);
      return putUnitValue(tx, SCORES, { actor, cycleId, unit: score.unit, key: score.category, value });
    });
  }

  async deleteScore(actor: string, cycleId: string, unit: string, category: string): Promise<void> {
    return this.write(actor, cycleId, (tx) =>
      deleteUnitValue(tx, SCORES, { actor, cycleId, unit, key: category }),
    );
  }

  // Formula inputs -----------------------------------------------------------------------------

  async listInputs(
    cycleId: string,
    filter: { unit?: string; name?: string } & Page = {},
  ): Promise<FormulaInput[]> {
    const params: unknown[] = [];
    const w = where(cycleId, filter, { unit: "unit_id", name: "name" }, params);
    const rows = await this.db.query<{ unit_id: string; name: string; value: string }>(
      `${INPUT_SQL}${w} ORDER BY unit_id COLLATE "C", name COLLATE "C"${pageClause(filter, params)}`,
      params,
    );
    return rows.map(toInput);
  }

  async setInput(actor: string, cycleId: string, input: FormulaInput): Promise<FormulaInput> {
    requireText(input.unit, "unit");
    requireText(input.name, "name");
    const value = decimalText(input.value, "value");
    return this.write(actor, cycleId, async (tx) => {
      await requireUnit(tx, cycleId, input.unit);
      return putUnitValue(tx, INPUTS, { actor, cycleId, unit: input.unit, key: input.name, value });
    });
  }

  async deleteInput(actor: string, cycleId: string, unit: string, name: string): Promise<void> {
    return this.write(actor, cycleId, (tx) =>
      deleteUnitValue(tx, INPUTS, { actor, cycleId, unit, key: name }),
    );
  }

  // Ballots ------------------------------------------------------------------------------------

  async listBallots(cycleId: string, filter: BallotFilter & Page = {}): Promise<WithProvenance<Ballot>[]> {
    const params: unknown[] = [];
    const w = ballotWhere(cycleId, filter, params);
    const rows = await this.db.query<BallotRow & ProvenanceRow>(
      `${LISTED_BALLOT_SQL}${w} ORDER BY category COLLATE "C", unit_id COLLATE "C", voter COLLATE "C"${pageClause(filter, params)}`,
      params,
    );
    return rows.map(listedBallot);
  }

  async countBallots(cycleId: string, filter: BallotFilter = {}): Promise<number> {
    const params: unknown[] = [];
    return count(this.db, "ballots", ballotWhere(cycleId, filter, params), params);
  }

  async ballotCategories(cycleId: string, filter: BallotFilter = {}): Promise<BallotCount[]> {
    const params: unknown[] = [];
    return ballotsByCategory(this.db, { sql: ballotWhere(cycleId, filter, params), params });
  }

  async putBallot(
    actor: string,
    cycleId: string,
    ballot: BallotInput,
    options: { keepOmitted?: boolean; replaceOnly?: boolean } = {},
  ): Promise<Ballot> {
    requireText(ballot.category, "category");
    requireText(ballot.voter, "voter");
    requireText(ballot.unit, "unit");
    // undefined: the stored role, read under the row lock below.
    const role =
      options.keepOmitted && ballot.role === undefined ? undefined : optionalText(ballot.role, "role");
    const grade = optionalText(ballot.grade, "grade");
    const score =
      ballot.score === undefined || ballot.score === null ? null : decimalText(ballot.score, "score");
    if ((score === null) === (grade === null)) {
      throw new ValidationError([{ path: "score", message: "a ballot has either a score or a grade" }]);
    }
    const id = `${ballot.category}/${ballot.voter}/${ballot.unit}`;
    return this.write(actor, cycleId, async (tx) => {
      await requireUnit(tx, cycleId, ballot.unit);
      await lockRecord(tx, "ballots", cycleId, ballot.category, ballot.voter, ballot.unit);
      const before = (
        await tx.query<BallotRow>(
          `${BALLOT_SQL} WHERE cycle_id = $1 AND category = $2 AND voter = $3 AND unit_id = $4 FOR UPDATE`,
          [cycleId, ballot.category, ballot.voter, ballot.unit],
        )
      ).map(toBallot)[0];
      // Under the lock: a correction must not bring back a ballot a colleague deleted meanwhile.
      if (!before && options.replaceOnly) throw new NotFoundError("ballot", id);
      // A correction of the score keeps the voter's role unless it says otherwise.
      const keptRole = role === undefined ? (before?.role ?? null) : role;
      const conflict = voterRoleConflict(ballot, await storedOtherRoles(tx, cycleId, ballot), keptRole);
      if (conflict) throw new ValidationError([{ path: "role", message: conflict }]);
      const rows = await tx.query<BallotRow>(
        `INSERT INTO ballots (cycle_id, category, voter, unit_id, role, score, grade) VALUES ($1, $2, $3, $4, $5, $6::numeric, $7)
         ON CONFLICT (cycle_id, category, voter, unit_id)
         DO UPDATE SET role = EXCLUDED.role, score = EXCLUDED.score, grade = EXCLUDED.grade, import_id = NULL
         RETURNING category, voter, role, unit_id, score::text AS score, grade`,
        [cycleId, ballot.category, ballot.voter, ballot.unit, keptRole, score, grade],
      );
      const after = toBallot(rows[0]!);
      await writeAudit(tx, {
        actor,
        action: before ? "update" : "create",
        entity: "ballot",
        entityId: id,
        cycleId,
        before,
        after,
      });
      return after;
    });
  }

  async deleteBallot(actor: string, cycleId: string, key: BallotKey): Promise<void> {
    const id = `${key.category}/${key.voter}/${key.unit}`;
    return this.write(actor, cycleId, async (tx) => {
      const rows = await tx.query<BallotRow>(
        `DELETE FROM ballots WHERE cycle_id = $1 AND category = $2 AND voter = $3 AND unit_id = $4
         RETURNING category, voter, role, unit_id, score::text AS score, grade`,
        [cycleId, key.category, key.voter, key.unit],
      );
      if (!rows[0]) throw new NotFoundError("ballot", id);
      await writeAudit(tx, {
        actor,
        action: "delete",
        entity: "ballot",
        entityId: id,
        cycleId,
        before: toBallot(rows[0]),
      });
    });
  }

  async deleteBallots(
    actor: string,
    cycleId: string,
    which: { category: string; voter?: string | undefined },
    options: { expected: number; reason?: string | null },
  ): Promise<number> {
    const { category, voter } = which;
    requireText(category, "category");
    if (voter !== undefined) requireText(voter, "voter");
    if (!Number.isSafeInteger(options.expected) || options.expected < 1)
      throw new ValidationError([
        { path: "expectedBallots", message: "must be a whole number of ballots, 1 or more" },
      ]);
    return this.write(actor, cycleId, async (tx) => {
      const reason = optionalReason(options.reason);
      const rows = await deleteInBatches(tx, cycleId, category, voter);
      if (rows.length === 0) throw await noSuchBallots(tx, cycleId, which);
      // Checked after the delete, under the cycle's lock, so that ballots written between the
      // count a caller confirmed and this write are not deleted unseen: the transaction rolls back.
      if (rows.length !== options.expected) {
        const whose = voter === undefined ? "" : ` by voter ${JSON.stringify(voter)}`;
        throw new ValidationError([
          {
            path: "expectedBallots",
            message: `cycle '${cycleId}' holds ${ballotsCounted(rows.length)} of ${JSON.stringify(category)}${whose}, not ${options.expected.toLocaleString("en")}: none was deleted; read the count again (Cycle.ballotCategories, or ballots' totalCount) and confirm it`,
          },
        ]);
      }
      rows.sort((a, b) => byText(a.unit_id, b.unit_id) || byText(a.voter, b.voter));
      // One record holding them all, as a deleted cycle's holds its units: one per ballot would
      // be 200,000 rows of the log for one decision. What the record says once (the category,
      // the voter named) is not repeated on each ballot: a fifth of a 19 MB record.
      await writeAudit(tx, {
        actor,
        action: "delete",
        entity: "ballot",
        entityId: voter === undefined ? category : `${category}/${voter}`,
        cycleId,
        before: {
          category,
          ...(voter === undefined ? {} : { voter }),
          count: rows.length,
          ballots: rows.map((r) =>
            compact({
              ...(voter === undefined ? { voter: r.voter } : {}),
              role: r.role,
              unit: r.unit_id,
              score: r.score,
              grade: r.grade,
            }),
          ),
        },
        reason,
      });
      return rows.length;
    });
  }

  async setVoterRole(
    actor: string,
    cycleId: string,
    voter: Omit<BallotKey, "unit">,
    role: string | null,
  ): Promise<WithProvenance<Ballot>[]> {
    requireText(voter.category, "category");
    requireText(voter.voter, "voter");
    const newRole = optionalText(role, "role");
    return this.write(actor, cycleId, async (tx) => {
      // In unit order, as listBallots returns them: two changes of one voter lock alike.
      const stored = await tx.query<BallotRow & ProvenanceRow>(
        `${LISTED_BALLOT_SQL} WHERE cycle_id = $1 AND category = $2 AND voter = $3 ORDER BY unit_id COLLATE "C" FOR UPDATE`,
        [cycleId, voter.category, voter.voter],
      );
      const before = stored.map(toBallot);
      if (before.length === 0)
        throw new NotFoundError(
          "ballot",
          `${voter.category}/${voter.voter}`,
          `voter "${voter.voter}" has no ballot in category "${voter.category}" of cycle '${cycleId}'`,
        );
      // One statement for the ballots that change, one for their audit records: a voter of a
      // province year has ~10,000 ballots in a category.
      const rows = await tx.query<BallotRow>(
        `UPDATE ballots SET role = $4, import_id = NULL
         WHERE cycle_id = $1 AND category = $2 AND voter = $3 AND role IS DISTINCT FROM $4
         RETURNING category, voter, role, unit_id, score::text AS score, grade`,
        [cycleId, voter.category, voter.voter, newRole],
      );
      const changed = new Map(rows.map((r) => [r.unit_id, toBallot(r)]));
      // A ballot the role already was stays as it was, its import's still.
      const after = stored.map((b): WithProvenance<Ballot> => changed.get(b.unit_id) ?? listedBallot(b));
      // One record per ballot, as putBallot writes them: each ballot's history stays whole.
      await writeAudits(
        tx,
        before
          .filter((b) => changed.has(b.unit))
          .map((b) => ({
            actor,
            action: "update" as const,
            entity: "ballot" as const,
            entityId: `${b.category}/${b.voter}/${b.unit}`,
            cycleId,
            before: b,
            after: changed.get(b.unit),
          })),
      );
      return after;
    });
  }

  // Survey forms -------------------------------------------------------------------------------

  async addSurveyForms(actor: string, cycleId: string, forms: readonly SurveyForm[]): Promise<number> {
    forms.forEach((f, i) => {
      requireText(f.category, `forms[${i}].category`);
      requireText(f.unit, `forms[${i}].unit`);
      requireText(f.respondentGroup, `forms[${i}].respondentGroup`);
      requireText(f.answer, `forms[${i}].answer`);
    });
    return this.write(actor, cycleId, async (tx) => {
      // Nothing added is no change: an audit record would move the cycle's revision and drop
      // every cached evaluation of it.
      if (forms.length === 0) return 0;
      // Unknown units fail the foreign key (→ ValidationError) and nothing is added.
      await tx.query(
        `INSERT INTO survey_forms (cycle_id, category, unit_id, respondent_group, answer)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])`,
        [
          cycleId,
          forms.map((f) => f.category),
          forms.map((f) => f.unit),
          forms.map((f) => f.respondentGroup),
          forms.map((f) => f.answer),
        ],
      );
      await writeAudit(tx, {
        actor,
        action: "create",
        entity: "survey_forms",
        entityId: cycleId,
        cycleId,
        after: { count: forms.length },
      });
      return forms.length;
    });
  }

  async countSurveyForms(cycleId: string, filter: SurveyFilter = {}): Promise<number> {
    const params: unknown[] = [];
    const w = where(cycleId, { ...filter }, SURVEY_FILTER_COLUMNS, params);
    const rows = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM survey_forms${w}`,
      params,
    );
    return rows[0]?.n ?? 0;
  }

  async deleteSurveyForms(
    actor: string,
    cycleId: string,
    set: SurveyFormSet,
    options: { expected: number; reason?: string | null },
  ): Promise<number> {
    requireText(set.category, "category");
    if (set.unit !== undefined) requireText(set.unit, "unitId");
    if (set.respondentGroup !== undefined) requireText(set.respondentGroup, "respondentGroup");
    if (!Number.isSafeInteger(options.expected) || options.expected < 1)
      throw new ValidationError([
        { path: "expectedForms", message: "must be a whole number of survey forms, 1 or more" },
      ]);
    return this.write(actor, cycleId, async (tx) => {
      const reason = optionalReason(options.reason);
      return deleteSurveyForms(tx, { actor, cycleId, set, expected: options.expected, reason });
    });
  }

  async surveyTallies(cycleId: string, filter: SurveyFilter & Page = {}): Promise<SurveyTally[]> {
    return surveyTallies(this.db, cycleId, filter);
  }

  async countSurveyTallies(cycleId: string, filter: SurveyFilter = {}): Promise<number> {
    const params: unknown[] = [];
    const w = where(cycleId, { ...filter }, SURVEY_FILTER_COLUMNS, params);
    const rows = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM survey_forms${w}
         GROUP BY category, unit_id, respondent_group, answer) AS tallies`,
      params,
    );
    return rows[0]?.n ?? 0;
  }

  // Findings -----------------------------------------------------------------------------------

  async listFindings(
    cycleId: string,
    filter: FindingFilter & Page = {},
  ): Promise<WithProvenance<FindingRecord>[]> {
    const params: unknown[] = [];
    const w = where(cycleId, filter, FINDING_FILTER, params);
    const rows = await this.db.query<FindingRow & ProvenanceRow>(
      `${LISTED_FINDING_SQL}${w} ORDER BY id COLLATE "C"${pageClause(filter, params)}`,
      params,
    );
    return rows.map(listedFinding);
  }

  async countFindings(cycleId: string, filter: FindingFilter = {}): Promise<number> {
    return countWhere(this.db, "findings", cycleId, filter, FINDING_FILTER);
  }

  async getFinding(cycleId: string, findingId: string): Promise<FindingRecord> {
    const rows = await this.db.query<FindingRow>(`${FINDING_SQL} WHERE cycle_id = $1 AND id = $2`, [
      cycleId,
      findingId,
    ]);
    if (!rows[0]) throw new NotFoundError("finding", findingId);
    return toFinding(rows[0]);
  }

  async putFinding(
    actor: string,
    cycleId: string,
    input: FindingRecord,
    options: { keepOmitted?: boolean } = {},
  ): Promise<FindingRecord> {
    requireText(input.id, "id");
    requireText(input.unit, "unit");
    requireText(input.type, "type");
    requireText(input.level, "level");
    checkRectification(input.rectification, "rectification");
    optionalText(input.note, "note");
    isoDate(input.deadline, "deadline");
    isoDate(input.rectifiedOn, "rectifiedOn");
    if (input.repeated !== undefined && typeof input.repeated !== "boolean") {
      throw new ValidationError([{ path: "repeated", message: "must be true or false" }]);
    }
    return this.write(actor, cycleId, async (tx) => {
      await requireUnit(tx, cycleId, input.unit);
      await lockRecord(tx, "findings", cycleId, input.id);
      const before = (
        await tx.query<FindingRow>(`${FINDING_SQL} WHERE cycle_id = $1 AND id = $2 FOR UPDATE`, [
          cycleId,
          input.id,
        ])
      ).map(toFinding)[0];
      // Merged under the row lock, so a concurrent setRectification is not lost either.
      const f: FindingRecord =
        options.keepOmitted && before
          ? {
              ...input,
              rectification: input.rectification ?? before.rectification,
              repeated: input.repeated ?? before.repeated,
              note: input.note ?? before.note,
              deadline: input.deadline ?? before.deadline,
              rectifiedOn: input.rectifiedOn ?? before.rectifiedOn,
            }
          : input;
      const rectification = checkRectification(f.rectification, "rectification");
      const note = optionalText(f.note, "note");
      const deadline = isoDate(f.deadline, "deadline");
      const rectifiedOn = isoDate(f.rectifiedOn, "rectifiedOn");
      await tx.query(
        `INSERT INTO findings (cycle_id, id, unit_id, type, level, rectification, repeated, note, deadline, rectified_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date, $10::date)
         ON CONFLICT (cycle_id, id) DO UPDATE SET unit_id = EXCLUDED.unit_id, type = EXCLUDED.type,
           level = EXCLUDED.level, rectification = EXCLUDED.rectification, repeated = EXCLUDED.repeated,
           note = EXCLUDED.note, deadline = EXCLUDED.deadline, rectified_on = EXCLUDED.rectified_on, import_id = NULL`,
        [
          cycleId,
          f.id,
          f.unit,
          f.type,
          f.level,
          rectification,
          f.repeated ?? false,
          note,
          deadline,
          rectifiedOn,
        ],
      );
      const after = toFinding(
        (await tx.query<FindingRow>(`${FINDING_SQL} WHERE cycle_id = $1 AND id = $2`, [cycleId, f.id]))[0]!,
      );
      await writeAudit(tx, {
        actor,
        action: before ? "update" : "create",
        entity: "finding",
        entityId: f.id,
        cycleId,
        before,
        after,
      });
      return after;
    });
  }

  async setRectification(
    actor: string,
    cycleId: string,
    findingId: string,
    input: RectificationInput,
  ): Promise<FindingRecord> {
    const rectification = checkRectification(input.rectification, "rectification");
    if (rectification === null) throw new ValidationError([{ path: "rectification", message: "required" }]);
    const deadline = isoDate(input.deadline, "deadline");
    const rectifiedOn = isoDate(input.rectifiedOn, "rectifiedOn");
    return this.write(actor, cycleId, async (tx) => {
      const beforeRow = (
        await tx.query<FindingRow>(`${FINDING_SQL} WHERE cycle_id = $1 AND id = $2 FOR UPDATE`, [
          cycleId,
          findingId,
        ])
      )[0];
      if (!beforeRow) throw new NotFoundError("finding", findingId);
      // undefined keeps the stored date; null clears it. Corrected by hand, the finding no longer
      // belongs to the import that loaded it (as with every other hand edit): removing that
      // import must not take the correction with it.
      await tx.query(
        `UPDATE findings SET rectification = $3,
           deadline = CASE WHEN $4::boolean THEN $5::date ELSE deadline END,
           rectified_on = CASE WHEN $6::boolean THEN $7::date ELSE rectified_on END,
           import_id = NULL
         WHERE cycle_id = $1 AND id = $2`,
        [
          cycleId,
          findingId,
          rectification,
          input.deadline !== undefined,
          deadline,
          input.rectifiedOn !== undefined,
          rectifiedOn,
        ],
      );
      const after = toFinding(
        (
          await tx.query<FindingRow>(`${FINDING_SQL} WHERE cycle_id = $1 AND id = $2`, [cycleId, findingId])
        )[0]!,
      );
      await writeAudit(tx, {
        actor,
        action: "rectify",
        entity: "finding",
        entityId: findingId,
        cycleId,
        before: toFinding(beforeRow),
        after,
      });
      return after;
    });
  }

  async deleteFinding(actor: string, cycleId: string, findingId: string): Promise<void> {
    return this.write(actor, cycleId, async (tx) => {
      const before = (
        await tx.query<FindingRow>(`${FINDING_SQL} WHERE cycle_id = $1 AND id = $2 FOR UPDATE`, [
          cycleId,
          findingId,
        ])
      )[0];
      if (!before) throw new NotFoundError("finding", findingId);
      await tx.query("DELETE FROM findings WHERE cycle_id = $1 AND id = $2", [cycleId, findingId]);
      await writeAudit(tx, {
        actor,
        action: "delete",
        entity: "finding",
        entityId: findingId,
        cycleId,
        before: toFinding(before),
      });
    });
  }

  // Bonus and veto events ----------------------------------------------------------------------

  async listBonusEvents(
    cycleId: string,
    filter: EventFilter & Page = {},
  ): Promise<WithProvenance<BonusEvent>[]> {
    return listEvents(this.db, BONUS_EVENTS, cycleId, filter);
  }

  async putBonusEvent(
    actor: string,
    cycleId: string,
    e: BonusEventInput,
    options: { keepOmitted?: boolean } = {},
  ): Promise<BonusEvent> {
    requireText(e.id, "id");
    requireText(e.unit, "unit");
    requireText(e.type, "type");
    requireText(e.level, "level");
    const note = options.keepOmitted && e.note === undefined ? undefined : optionalText(e.note, "note");
    return this.write(actor, cycleId, async (tx) => {
      await requireUnit(tx, cycleId, e.unit);
      return putEvent(tx, BONUS_EVENTS, {
        actor,
        cycleId,
        id: e.id,
        unit: e.unit,
        values: [e.type, e.level, note],
      });
    });
  }

  async deleteBonusEvent(actor: string, cycleId: string, eventId: string): Promise<void> {
    return this.write(actor, cycleId, (tx) => deleteEvent(tx, BONUS_EVENTS, { actor, cycleId, id: eventId }));
  }

  async listVetoEvents(
    cycleId: string,
    filter: EventFilter & Page = {},
  ): Promise<WithProvenance<VetoEvent>[]> {
    return listEvents(this.db, VETO_EVENTS, cycleId, filter);
  }

  async putVetoEvent(actor: string, cycleId: string, e: VetoEvent): Promise<VetoEvent> {
    // Stored as this cycle's own, it would count as this year's incident, with this year's effects.
    if (e.yearsAgo !== undefined && e.yearsAgo !== 0)
      throw new ValidationError([
        {
          path: "yearsAgo",
          message:
            "an earlier year's veto is recorded in that year's cycle; this cycle reads it there through its previous cycle",
        },
      ]);
    requireText(e.id, "id");
    requireText(e.unit, "unit");
    requireText(e.type, "type");
    requireText(e.reason, "reason");
    return this.write(actor, cycleId, async (tx) => {
      await requireUnit(tx, cycleId, e.unit);
      return putEvent(tx, VETO_EVENTS, {
        actor,
        cycleId,
        id: e.id,
        unit: e.unit,
        values: [e.type, e.reason],
      });
    });
  }

  async deleteVetoEvent(actor: string, cycleId: string, eventId: string): Promise<void> {
    return this.write(actor, cycleId, async (tx) => {
      try {
        await deleteEvent(tx, VETO_EVENTS, { actor, cycleId, id: eventId });
      } catch (err) {
        throw (err instanceof NotFoundError && (await carriedVeto(tx, cycleId, eventId))) || err;
      }
    });
  }
}

const SURVEY_FILTER_COLUMNS = {
  category: "category",
  unit: "unit_id",
  respondentGroup: "respondent_group",
  importId: "import_id",
};

/**
 * Counts forms in SQL so the engine gets a few thousand tallies instead of millions of forms.
 * Unpaged, every tally: a province's may pass any cap a page has, and the evaluation needs them all.
 */
export async function surveyTallies(
  db: Db,
  cycleId: string,
  filter: SurveyFilter & Page = {},
): Promise<SurveyTally[]> {
  const params: unknown[] = [];
  const w = where(cycleId, { ...filter }, SURVEY_FILTER_COLUMNS, params);
  const paged = filter.limit !== undefined || filter.offset !== undefined;
  const rows = await db.query<{
    category: string;
    unit_id: string;
    respondent_group: string;
    answer: string;
    count: number;
  }>(
    `SELECT category, unit_id, respondent_group, answer, count(*)::int AS count FROM survey_forms${w}
     GROUP BY category, unit_id, respondent_group, answer ORDER BY ${TALLY_ORDER}${paged ? pageClause(filter, params) : ""}`,
    params,
  );
  return rows.map((r) => ({
    category: r.category,
    unit: r.unit_id,
    respondentGroup: r.respondent_group,
    answer: r.answer,
    count: r.count,
  }));
}
