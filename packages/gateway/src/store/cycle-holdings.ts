import type { Db } from "./db.js";

/** Ids named per kind in the refusal; the rest are "…". */
const LISTED = 5;

/**
 * Saved scenarios named by id: an administrator deletes each by its id, and the ids of other
 * analysts' private ones are read nowhere else. Enough for a cycle's few; the rest are counted.
 */
const SCENARIOS_LISTED = 20;

/**
 * The records a cycle may hold besides its set-up (groups and units), as an administrator calls
 * them, and the write that deletes one (null: none of the API's; they come with imports). Rows
 * an import added are its to take out: only those entered one by one are counted here.
 */
const RECORDS: readonly {
  table: string;
  one: string;
  many: string;
  imported: boolean;
  remedy: string | null;
}[] = [
  { table: "direct_scores", one: "score", many: "scores", imported: true, remedy: "deleteScore" },
  { table: "findings", one: "finding", many: "findings", imported: true, remedy: "deleteFinding" },
  { table: "veto_events", one: "veto event", many: "veto events", imported: true, remedy: "deleteVetoEvent" },
  {
    table: "bonus_events",
    one: "bonus event",
    many: "bonus events",
    imported: true,
    remedy: "deleteBonusEvent",
  },
  {
    table: "ballots",
    one: "ballot",
    many: "ballots",
    imported: true,
    remedy: "deleteBallots (a category's, or a voter's in it, at once) or deleteBallot",
  },
  {
    table: "survey_forms",
    one: "survey form",
    many: "survey forms",
    imported: true,
    remedy: "deleteSurveyForms (a category's, or a unit's or a respondent group's in it, at once)",
  },
  { table: "formula_inputs", one: "formula input", many: "formula inputs", imported: false, remedy: null },
];

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const listed = (ids: readonly string[], n: number) => `${ids.join(", ")}${n > ids.length ? ", …" : ""}`;

/**
 * What keeps a cycle from being deleted without losing anything stored: its imports, records
 * entered one by one, saved what-if scenarios and the cycles that follow it, each with how to
 * take it out; undefined when it holds none of them. Read under the cycle's row lock.
 */
export async function whatCycleHolds(tx: Db, cycleId: string): Promise<string | undefined> {
  const parts: string[] = [];

  const imports = await tx.query<{ id: string; n: number }>(
    `SELECT id, (count(*) OVER ())::int AS n FROM imports WHERE cycle_id = $1
     ORDER BY created_at, id COLLATE "C" LIMIT ${LISTED}`,
    [cycleId],
  );
  if (imports[0]) {
    const n = imports[0].n;
    parts.push(
      `${count(n, "import", "imports")} (${listed(
        imports.map((i) => i.id),
        n,
      )}), each taken out with removeImport`,
    );
  }

  const counts = await tx.query<{ n: number }>(
    RECORDS.map(
      (r) =>
        `SELECT count(*)::int AS n FROM ${r.table} WHERE cycle_id = $1${r.imported ? " AND import_id IS NULL" : ""}`,
    ).join(" UNION ALL "),
    [cycleId],
  );
  RECORDS.forEach((r, i) => {
    const n = counts[i]?.n ?? 0;
    if (n === 0) return;
    const what = `${count(n, r.one, r.many)}${r.imported ? " not from an import" : ""}`;
    parts.push(r.remedy ? `${what}, deleted with ${r.remedy}` : `${what}, which no API write deletes`);
  });

  const owners = await tx.query<{ owner: string; n: number; owners: number }>(
    `SELECT owner, (sum(count(*)) OVER ())::int AS n, (count(*) OVER ())::int AS owners FROM scenarios
     WHERE cycle_id = $1 GROUP BY owner ORDER BY owner COLLATE "C" LIMIT ${LISTED}`,
    [cycleId],
  );
  if (owners[0]) {
    const { n } = owners[0];
    const whose = listed(
      owners.map((o) => o.owner),
      owners[0].owners,
    );
    const ids = (
      await tx.query<{ id: string }>(
        `SELECT id FROM scenarios WHERE cycle_id = $1 ORDER BY owner COLLATE "C", id COLLATE "C"
         LIMIT ${SCENARIOS_LISTED}`,
        [cycleId],
      )
    ).map((s) => s.id);
    const more = n > ids.length ? ` and ${(n - ids.length).toLocaleString("en")} more` : "";
    parts.push(
      `${count(n, "saved what-if scenario", "saved what-if scenarios")} (of ${whose}), ` +
        `${n === 1 ? "" : "each "}deleted with deleteScenario by its owner or by an admin ` +
        `(${n === 1 ? "id" : "ids"} ${ids.join(", ")}${more})`,
    );
  }

  const links: string[] = [];
  const followers = await tx.query<{ id: string; status: string }>(
    `SELECT id, status FROM cycles WHERE previous_cycle_id = $1 ORDER BY id COLLATE "C"`,
    [cycleId],
  );
  for (const f of followers)
    links.push(
      f.status === "finalised"
        ? `cycle '${f.id}' follows it and is finalised, so it is kept for good`
        : `cycle '${f.id}' follows it: link that one to another cycle or to none first ` +
            `(setPreviousCycle(cycleId: "${f.id}", previousCycleId: null))`,
    );

  if (parts.length === 0 && links.length === 0) return undefined;
  const holds = parts.length ? [`it still holds ${parts.join("; ")}`] : [];
  return (
    `cycle '${cycleId}' was not deleted, as nothing stored may be lost: ${[...holds, ...links].join(". ")}. ` +
    "A cycle is deleted once it holds no records, imports or saved scenarios and no cycle follows it; " +
    "its groups and units then go with it"
  );
}
