import type { Db } from "../store/db.js";
import { ConflictError } from "../store/errors.js";

/** An earlier survey-forms import of the cycle, as its refusal names it. */
interface Earlier {
  id: string;
  row_count: number;
  actor: string;
  created_at: Date;
}

const forms = (n: number) => `${n.toLocaleString("en")} form${n === 1 ? "" : "s"}`;

/**
 * Survey forms that are an earlier import's forms again: the same file saved again (as UTF-8, as
 * XLSX, its rows sorted), which its bytes no longer give away. Forms carry no id, so each would
 * count twice. Said with that import, the ways out in the words of the API (`message`) or of the
 * command line (`commandLine`).
 */
export class SameFormsError extends ConflictError {
  readonly commandLine: string;
  constructor(
    /** What the forms are: "these 8,648 forms tally exactly as import 'forms-2019' …". */
    found: string,
    /** The earlier import. */
    readonly twin: string,
  ) {
    const advice = (removal: string, other: string) =>
      `the same forms again, saved differently? Nothing was imported. To replace that import, remove it first (${removal}); if these are truly other forms, import them with ${other}`;
    super(`${found}: ${advice("removeImport", `otherFormsThan: ${JSON.stringify(twin)}`)}`);
    this.commandLine = `${found}: ${advice(`pingyi remove-import '${twin}'`, `--other-forms-than '${twin}'`)}`;
  }
}

/** Units whose forms are tallied by one query: the rest of the import is served between. */
const UNITS_A_QUERY = 50;

/** Each import's forms of `units`, counted by what a form says: "category\0unit\0group\0answer" → forms. */
async function talliesOf(tx: Db, cycleId: string, importIds: readonly string[], units: readonly string[]) {
  const rows = await tx.query<{
    import_id: string;
    category: string;
    unit_id: string;
    respondent_group: string;
    answer: string;
    n: number;
  }>(
    `SELECT import_id, category, unit_id, respondent_group, answer, count(*)::int AS n
       FROM survey_forms WHERE cycle_id = $1 AND unit_id = ANY($2::text[]) AND import_id = ANY($3::text[])
      GROUP BY import_id, category, unit_id, respondent_group, answer`,
    [cycleId, units, importIds],
  );
  const tallies = new Map<string, Map<string, number>>(importIds.map((id) => [id, new Map()]));
  for (const r of rows)
    tallies
      .get(r.import_id)!
      .set(`${r.category}\u0000${r.unit_id}\u0000${r.respondent_group}\u0000${r.answer}`, r.n);
  return tallies;
}

/** How many forms `part` has, when `all` has at least as many of each of its tallies; else -1. */
function heldIn(all: ReadonlyMap<string, number>, part: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const [key, forms] of part) {
    if ((all.get(key) ?? 0) < forms) return -1;
    n += forms;
  }
  return n;
}

/**
 * The refusal of survey forms just written under `importId` (`rows` of them) that hold every
 * form an earlier survey-forms import of the cycle holds: all of them and no more (the same forms
 * tallied exactly as they were), or all of them and more (a file of that import's forms with
 * others added). Only an import of at most as many rows can be held, so most are never read; the
 * others are read a few units at a time, each dropped at its first tally the file has fewer of,
 * which for another batch of forms is most often among the first units. A file that holds part of
 * an earlier import's forms is not refused: a second batch of a survey shares tallies with the
 * first by chance (five 满意 forms for one unit and group), and only their whole tells them apart.
 * `otherFormsThan` names imports the person sending the file has said are of other forms.
 * Undefined when nothing is held again.
 */
export async function sameFormsRefusal(
  tx: Db,
  file: { cycleId: string; importId: string; rows: number; otherFormsThan: readonly string[] },
  turn: () => Promise<void>,
): Promise<SameFormsError | undefined> {
  const { cycleId, importId, rows } = file;
  const earlier = await tx.query<Earlier>(
    `SELECT id, row_count, actor, created_at FROM imports
      WHERE cycle_id = $1 AND kind = 'survey-forms' AND id <> $2 AND row_count BETWEEN 1 AND $3
        AND NOT (id = ANY($4::text[]))
      ORDER BY created_at, id COLLATE "C"`,
    [cycleId, importId, rows, file.otherFormsThan],
  );
  if (earlier.length === 0) return undefined;
  // Each import still possibly held, with its forms found so far.
  const held = new Map(earlier.map((e) => [e.id, 0]));
  const units = (
    await tx.query<{ id: string }>('SELECT id FROM units WHERE cycle_id = $1 ORDER BY id COLLATE "C"', [
      cycleId,
    ])
  ).map((u) => u.id);
  for (let from = 0; from < units.length && held.size > 0; from += UNITS_A_QUERY) {
    await turn();
    const tallies = await talliesOf(
      tx,
      cycleId,
      [importId, ...held.keys()],
      units.slice(from, from + UNITS_A_QUERY),
    );
    const mine = tallies.get(importId)!;
    for (const [id, before] of held) {
      const n = heldIn(mine, tallies.get(id)!);
      if (n < 0) held.delete(id);
      else held.set(id, before + n);
    }
  }
  // In the order imported: the first import the file holds again is named.
  const twin = earlier.find((e) => (held.get(e.id) ?? 0) > 0);
  if (!twin) return undefined;
  const theirs = held.get(twin.id)!;
  const as = `import '${twin.id}' (${forms(twin.row_count)} imported by ${twin.actor} on ${twin.created_at.toISOString()})`;
  return new SameFormsError(
    theirs === rows
      ? `these ${forms(rows)} tally exactly as ${as} does`
      : `these ${forms(rows)} hold every form of ${as} again, plus ${(rows - theirs).toLocaleString("en")} more`,
    twin.id,
  );
}
