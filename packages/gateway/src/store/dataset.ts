import type { DatasetApi } from "./api.js";
import { earlierCycles, getCycle } from "./cycles.js";
import type { Db } from "./db.js";
import {
  BALLOT_SQL,
  BONUS_SQL,
  FINDING_SQL,
  INPUT_SQL,
  SCORE_SQL,
  surveyTallies,
  toBallot,
  toBonus,
  toFinding,
  toInput,
  toScore,
  toVeto,
  VETO_SQL,
} from "./records.js";
import { getSchemeVersion } from "./scheme-versions.js";
import type { Dataset, Evaluation, Finding, FindingRecord } from "./types.js";
import { toUnit } from "./units.js";

/**
 * Reads one consistent snapshot. Every list has a total, collation-independent order, so a
 * finalised cycle reloads to the same JSON byte for byte on either backend.
 */
export async function readDataset(tx: Db, cycleId: string): Promise<Dataset> {
  const p = [cycleId];
  const units = (
    await tx.query<Parameters<typeof toUnit>[0]>(
      `SELECT id, name, group_id, parent_id, kind FROM units WHERE cycle_id = $1 ORDER BY id COLLATE "C"`,
      p,
    )
  ).map(toUnit);
  const scores = (
    await tx.query<Parameters<typeof toScore>[0]>(
      `${SCORE_SQL} WHERE cycle_id = $1 ORDER BY unit_id COLLATE "C", category COLLATE "C"`,
      p,
    )
  ).map(toScore);
  const inputs = (
    await tx.query<Parameters<typeof toInput>[0]>(
      `${INPUT_SQL} WHERE cycle_id = $1 ORDER BY unit_id COLLATE "C", name COLLATE "C"`,
      p,
    )
  ).map(toInput);
  const ballots = (
    await tx.query<Parameters<typeof toBallot>[0]>(
      `${BALLOT_SQL} WHERE cycle_id = $1 ORDER BY category COLLATE "C", unit_id COLLATE "C", voter COLLATE "C"`,
      p,
    )
  ).map(toBallot);
  const surveyTalliesRows = await surveyTallies(tx, cycleId);
  const findings = (
    await tx.query<Parameters<typeof toFinding>[0]>(
      `${FINDING_SQL} WHERE cycle_id = $1 ORDER BY id COLLATE "C"`,
      p,
    )
  ).map((r) => engineFinding(toFinding(r)));
  const bonusEvents = (
    await tx.query<Parameters<typeof toBonus>[0]>(
      `${BONUS_SQL} WHERE cycle_id = $1 ORDER BY id COLLATE "C"`,
      p,
    )
  ).map(toBonus);
  const vetoEvents = (
    await tx.query<Parameters<typeof toVeto>[0]>(`${VETO_SQL} WHERE cycle_id = $1 ORDER BY id COLLATE "C"`, p)
  ).map(toVeto);
  // Earlier years' vetoes, each as the engine reads one: whether it still counts is the
  // engine's to say, under this year's scheme (a scenario may lengthen a type's term). The
  // cycle id before the event's own keeps ids of different years apart.
  for (const earlier of await earlierCycles(tx, cycleId)) {
    const rows = await tx.query<Parameters<typeof toVeto>[0]>(
      `${VETO_SQL} WHERE cycle_id = $1 ORDER BY id COLLATE "C"`,
      [earlier.id],
    );
    for (const row of rows)
      vetoEvents.push({ ...toVeto(row), id: `${earlier.id}/${row.id}`, yearsAgo: earlier.yearsAgo });
  }
  return {
    units,
    scores,
    inputs,
    ballots,
    surveyTallies: surveyTalliesRows,
    findings,
    bonusEvents,
    vetoEvents,
  };
}

/** Runs `fn` in a repeatable-read snapshot (or the caller's transaction, if there is one). */
async function snapshot<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (db.inTransaction) return fn(db);
  return db.transaction(async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    return fn(tx);
  });
}

export class DatasetLoader implements DatasetApi {
  constructor(private readonly db: Db) {}

  async loadDataset(cycleId: string): Promise<Dataset> {
    return snapshot(this.db, async (tx) => {
      await getCycle(tx, cycleId);
      return readDataset(tx, cycleId);
    });
  }

  async loadEvaluation(cycleId: string): Promise<Evaluation> {
    return snapshot(this.db, async (tx) => {
      const cycle = await getCycle(tx, cycleId);
      const scheme = await getSchemeVersion(tx, cycle.schemeId, cycle.schemeVersion);
      const dataset = await readDataset(tx, cycleId);
      return { cycle, scheme, dataset };
    });
  }
}

/**
 * A stored finding as the engine reads it: the dates are the gateway's own, and the engine
 * refuses fields it does not know.
 */
export function engineFinding({ deadline: _d, rectifiedOn: _r, ...finding }: FindingRecord): Finding {
  return finding;
}
