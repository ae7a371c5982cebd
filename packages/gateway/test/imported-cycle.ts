/**
 * Test helper: fills a cycle with many units and their direct scores through two imports, a
 * batched INSERT each. `loadDataset` writes a row at a time, each with its checks and audit
 * entry, as the seed year is written: ~6 ms a row on PGlite, which made loading the thousands
 * of units that cost and paging tests need most of their time.
 */
import type { Store } from "../src/store/index.js";
import { importText } from "./import-text.js";

export interface ImportedUnit {
  id: string;
  name: string;
  group: string;
  parent?: string;
}

export interface ImportedScore {
  unit: string;
  category: string;
  value: string;
}

const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const csv = (rows: readonly (readonly string[])[]) =>
  `${rows.map((r) => r.map(cell).join(",")).join("\n")}\n`;

/**
 * Imports `units` (their groups are made from the cycle's scheme, parents may come in any
 * order) and then `scores` into an open cycle, as imports `<cycleId>-units` and
 * `<cycleId>-scores`. Throws the import's error, listing bad rows, if the store refuses any.
 */
export async function importUnitsAndScores(
  store: Store,
  cycleId: string,
  units: readonly ImportedUnit[],
  scores: readonly ImportedScore[],
): Promise<void> {
  const load = (kind: "units" | "scores", rows: string[][]) =>
    importText(store, csv(rows), {
      cycleId,
      kind,
      format: "csv",
      importId: `${cycleId}-${kind}`,
      actor: "test",
      encoding: "utf-8",
    });
  await load("units", [
    ["id", "name", "group", "parent"],
    ...units.map((u) => [u.id, u.name, u.group, u.parent ?? ""]),
  ]);
  if (scores.length > 0)
    await load("scores", [
      ["unit", "category", "value"],
      ...scores.map((s) => [s.unit, s.category, s.value]),
    ]);
}
