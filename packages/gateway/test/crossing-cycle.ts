import type { TestServer } from "./helpers.js";
import { importUnitsAndScores } from "./imported-cycle.js";

/**
 * Scheme `id`: work (60 points) and public evaluation (40) over one ranked group of `units`
 * units, as the weight-sweep tests sweep either.
 */
export function crossingScheme(id: string, units: number) {
  return {
    id,
    version: 1,
    name: `${units.toLocaleString("en")} units in one group`,
    categories: [
      { id: "work", name: "work", points: 60, method: { kind: "direct", outOf: 100 } },
      { id: "public", name: "public", points: 40, method: { kind: "direct", outOf: 100 } },
    ],
    groups: [{ id: "g", name: "all", ranked: true }],
    rounding: { decimals: 2, mode: "half-up" },
  };
}

/** Publishes `scheme` (crossingScheme's) and opens a cycle of its id with crossingRecords' `units`. */
export async function loadCrossingCycle(
  t: TestServer,
  scheme: ReturnType<typeof crossingScheme>,
  units: number,
): Promise<void> {
  await t.store.schemes.publish("test", {
    schemeId: scheme.id,
    basedOn: null,
    document: scheme,
    reason: "test",
  });
  await t.store.cycles.create("test", {
    id: scheme.id,
    year: 2024,
    name: scheme.id,
    schemeId: scheme.id,
    schemeVersion: 1,
  });
  const { rows, scores } = crossingRecords(units, () => "g");
  await importUnitsAndScores(t.store, scheme.id, rows, scores);
}

/**
 * `units` units, U0000 upwards, in the groups `groupOf` deals them to, with work and public
 * scores that run against each other: 500 work scores and 600 public ones, so that most pairs of
 * units cross somewhere when a category's points are swept, and many meet at one point.
 */
export function crossingRecords(units: number, groupOf: (i: number) => string) {
  const rows = Array.from({ length: units }, (_, i) => ({
    id: `U${String(i).padStart(4, "0")}`,
    name: `Unit ${i}`,
    group: groupOf(i),
  }));
  const scores = rows.flatMap((u, i) => [
    { unit: u.id, category: "work", value: String(50 + ((i * 37) % 500) / 10) },
    { unit: u.id, category: "public", value: String(40 + ((i * 53) % 600) / 10) },
  ]);
  return { rows, scores };
}
