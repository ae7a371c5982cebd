import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Dataset, Scheme } from "@pingyi/engine";
import type { Store } from "./store/index.js";

/** The city-review example, from the workspace (absent from an npm install: nothing is seeded). */
export const EXAMPLE_DIR = resolve(import.meta.dirname, "../../../examples/city-review");

const ACTOR = "system:seed";

/** Whether the database holds nothing yet (no scheme, no cycle). */
export async function isEmpty(store: Store): Promise<boolean> {
  const [schemes, cycles] = await Promise.all([store.schemes.list(), store.cycles.list()]);
  return schemes.length === 0 && cycles.length === 0;
}

// Any fixed number, distinct from the migrations' lock.
const SEED_LOCK = 0x73656564; // "seed"

/** Whether the example is there to load: in a checkout of the repository, not in an npm install. */
export function hasExample(dir = EXAMPLE_DIR): boolean {
  return existsSync(join(dir, "scheme-2018.json"));
}

/**
 * Loads the seed year into an empty database: both scheme versions as versions 1 and 2 of
 * "city-review", a 2018 cycle under version 1 and a 2019 cycle under version 2, with their
 * data. One transaction. False when there is no example to load or the database is not empty.
 */
export async function seedExample(store: Store, dir = EXAMPLE_DIR): Promise<boolean> {
  if (!hasExample(dir)) return false;
  const read = (f: string) => JSON.parse(readFileSync(join(dir, f), "utf8"));
  const years = [
    { year: 2018, scheme: read("scheme-2018.json") as Scheme, dataset: read("dataset-2018.json") as Dataset },
    { year: 2019, scheme: read("scheme-2019.json") as Scheme, dataset: read("dataset-2019.json") as Dataset },
  ];
  return store.transaction(async (tx) => {
    // Gateways starting together on one empty server all saw it empty: one seeds, under the
    // lock, and the others find it done instead of failing to start on a publish conflict.
    await tx.db.query("SELECT pg_advisory_xact_lock($1)", [SEED_LOCK]);
    if (!(await isEmpty(tx))) return false;
    let basedOn: number | null = null;
    for (const { year, scheme, dataset } of years) {
      const v = await tx.schemes.publish(ACTOR, {
        schemeId: "city-review",
        basedOn,
        document: scheme,
        reason: `seed: the ${year} rules`,
      });
      basedOn = v.version;
      const cycleId = String(year);
      await tx.cycles.create(ACTOR, {
        id: cycleId,
        year,
        name: scheme.name,
        schemeId: "city-review",
        schemeVersion: v.version,
        // 2019 follows 2018, whose major incident still bars its unit (this year and next).
        previousCycleId: year === 2018 ? null : String(year - 1),
      });
      await loadDataset(tx, cycleId, scheme, dataset);
    }
    return true;
  });
}

/** Writes a dataset through the store's audited API (also used by tests and the benchmark). */
export async function loadDataset(
  tx: Store,
  cycleId: string,
  scheme: Pick<Scheme, "groups">,
  d: Dataset,
): Promise<void> {
  for (const g of scheme.groups)
    await tx.groups.upsert(ACTOR, cycleId, { id: g.id, name: g.name, ranked: g.ranked });
  // Parents first: sub-units refer to them.
  const units = [...d.units].sort((a, b) => Number(Boolean(a.parent)) - Number(Boolean(b.parent)));
  for (const u of units) await tx.units.upsert(ACTOR, cycleId, u);
  for (const s of d.scores ?? []) await tx.records.setScore(ACTOR, cycleId, s);
  for (const i of d.inputs ?? []) await tx.records.setInput(ACTOR, cycleId, i);
  for (const b of d.ballots ?? []) await tx.records.putBallot(ACTOR, cycleId, b);
  for (const f of d.findings ?? []) await tx.records.putFinding(ACTOR, cycleId, f);
  for (const b of d.bonusEvents ?? []) await tx.records.putBonusEvent(ACTOR, cycleId, b);
  // An earlier year's veto is that year's cycle's own record, read through the link to it.
  for (const v of d.vetoEvents ?? []) if (!v.yearsAgo) await tx.records.putVetoEvent(ACTOR, cycleId, v);
  // The store keeps forms, not tallies: expand each tally back into its forms.
  const forms = [...(d.surveyForms ?? [])];
  for (const t of d.surveyTallies ?? []) {
    for (let i = 0; i < t.count; i++)
      forms.push({
        category: t.category,
        unit: t.unit,
        respondentGroup: t.respondentGroup,
        answer: t.answer,
      });
  }
  for (let i = 0; i < forms.length; i += 50_000)
    await tx.records.addSurveyForms(ACTOR, cycleId, forms.slice(i, i + 50_000));
}
