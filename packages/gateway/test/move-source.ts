/**
 * Test helper for moving a database: the example years plus a row in every table the example
 * leaves empty, and a dump of every table to compare two databases by.
 */
import { EvaluationCache } from "../src/evaluations.js";
import { seedExample } from "../src/seed.js";
import type { Db, Store } from "../src/store/index.js";
import { importText } from "./import-text.js";

const ACTOR = "tester";

/**
 * Fills an empty, migrated store: the city-review example (2018, 2019), imports of units (a
 * sub-unit and its parent), findings and survey forms into 2019, a saved scenario, a 2020 that
 * follows 2019 with formula inputs and bonus events, and 2018 finalised. Rows are written so
 * that a table's own references point forward in storage (a unit and a cycle renamed after
 * what refers to them is stored after it), as a copy in storage order must cope with.
 */
export async function fillMoveSource(store: Store): Promise<void> {
  if (!(await seedExample(store))) throw new Error("the city-review example was not loaded");
  const imp = (kind: "units" | "findings" | "survey-forms", importId: string, csv: string) =>
    importText(store, csv, { cycleId: "2019", kind, format: "csv", importId, actor: ACTOR });
  await imp(
    "units",
    "mv-units",
    "id,name,group,parent\nmv-p,上级局,law-enforcement,\nmv-c,下级所,law-enforcement,mv-p\n",
  );
  await store.units.upsert(ACTOR, "2019", { id: "mv-p", name: "上级局（更名）", group: "law-enforcement" });
  await imp("findings", "mv-findings", "id,unit,type,level\nmv-f1,mv-c,unannounced-visit,city\n");
  const forms = [
    "answer,category,unit,respondent_group",
    "satisfied,public,mv-c,service-recipients",
    "satisfied,public,mv-p,service-recipients",
  ];
  await imp("survey-forms", "mv-forms", `${forms.join("\n")}\n`);
  await store.scenarios.create("analyst", {
    cycleId: "2019",
    name: "假如 / what if",
    patch: { findings: { remove: ["mv-f1"] }, note: 'quote " and \\ backslash' },
    shared: true,
  });
  await store.cycles.create(ACTOR, {
    id: "2020",
    year: 2020,
    name: "2020 考评",
    schemeId: "city-review",
    schemeVersion: 2,
    previousCycleId: "2019",
  });
  await store.units.copyFrom(ACTOR, "2019", "2020");
  await store.records.setInput(ACTOR, "2020", { unit: "mv-c", name: "cases", value: 12.5 });
  await store.records.putBonusEvent(ACTOR, "2020", {
    id: "mv-b1",
    unit: "mv-c",
    type: "award",
    level: "province",
  });
  // A version withdrawn: the withdrawal moves with the versions.
  const { document } = await store.schemes.get("city-review", 2);
  await store.schemes.publish(ACTOR, { schemeId: "city-review", basedOn: 2, document, reason: "mv: again" });
  await store.schemes.withdraw(ACTOR, {
    schemeId: "city-review",
    version: 3,
    reason: "mv: version 2's rules",
  });
  await store.cycles.update(ACTOR, "2019", { name: "2019 考评（更名）" });
  await store.cycles.finalise(ACTOR, "2018");
}

/** Every table's rows as text, sorted, with times in UTC: equal dumps are equal databases. */
export async function dumpTables(db: Db): Promise<Record<string, string[]>> {
  return db.transaction(async (tx) => {
    await tx.query("SET LOCAL TIME ZONE 'UTC'");
    // Listed independently of the move's own catalog reading, so a table it missed shows here.
    const tables = await tx.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
    );
    const out: Record<string, string[]> = {};
    for (const { name } of tables) {
      const rows = await tx.query<{ r: string }>(`SELECT t::text AS r FROM ONLY "${name}" t`);
      out[name] = rows.map((r) => r.r).sort();
    }
    return out;
  });
}

/** A cycle's ranking as the gateway computes it. */
export async function ranking(store: Store, cycleId: string) {
  return (await new EvaluationCache(store, 1).get(cycleId)).evaluation;
}
