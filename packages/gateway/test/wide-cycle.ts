/**
 * Test helper: the cycle "wide", 1,000 units whose two directly scored categories run against
 * each other, as the tests of what analyses cost and what a subject may spend load it.
 */
import type { Store } from "../src/store/index.js";
import { crossingRecords } from "./crossing-cycle.js";
import { importUnitsAndScores } from "./imported-cycle.js";

export const WIDE_UNITS = 1000;

/**
 * Version `version` of scheme "wide": work (60 − version points) and public (40 + version), so
 * that each version weighs them otherwise, over `groups` ranked groups g0, g1, ….
 */
export function wideScheme(version: number, groups: number) {
  return {
    id: "wide",
    version,
    name: `1,000 units in ${groups === 1 ? "one group" : `${groups} groups`}`,
    categories: [
      { id: "work", name: "work", points: 60 - version, method: { kind: "direct", outOf: 100 } },
      { id: "public", name: "public", points: 40 + version, method: { kind: "direct", outOf: 100 } },
    ],
    groups: Array.from({ length: groups }, (_, g) => ({ id: `g${g}`, name: `group ${g}`, ranked: true })),
    rounding: { decimals: 2, mode: "half-up" },
  };
}

/**
 * Publishes versions 1 to `versions` of wideScheme and opens cycle "wide" on version 1, with
 * crossingRecords' units U0000 to U0999 dealt to the groups in turn.
 */
export async function loadWideCycle(
  store: Store,
  { groups, versions }: { groups: number; versions: number },
): Promise<void> {
  for (let version = 1; version <= versions; version++)
    await store.schemes.publish("test", {
      schemeId: "wide",
      basedOn: version === 1 ? null : version - 1,
      document: wideScheme(version, groups),
      reason: "test",
    });
  await store.cycles.create("test", {
    id: "wide",
    year: 2024,
    name: "wide",
    schemeId: "wide",
    schemeVersion: 1,
  });
  const { rows, scores } = crossingRecords(WIDE_UNITS, (i) => `g${i % groups}`);
  await importUnitsAndScores(store, "wide", rows, scores);
}
