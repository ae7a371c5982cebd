import type { Dataset } from "../dataset/dataset.js";
import { unknownId } from "../exact-id.js";
import type { InputIssue } from "../input-error.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import { ROLLUP_PATCH_FIELDS, type SchemePatch } from "./scenario.js";

/** What a roll-up connects: which result it reads of each sub-unit, and which of the parent's it blends into. */
const ROLLUP_ENDS = {
  source: "which of the sub-units' results it reads",
  into: "which of the parent's results it blends into",
} as const;

/**
 * A patch's roll-up edits as they merge: how much and how the sub-units count. A changed `source`
 * or `into` is refused: it would connect other results, another rule rather than this one
 * weighted otherwise. Listed `parents` must be units of the year, as the scheme's must (checked
 * here, where a scenario's records are not validated again unless it changes them): a misspelt
 * one would blend into nobody.
 */
export function rollupEdits(
  scheme: Scheme,
  dataset: Dataset,
  edits: SchemePatch["rollups"],
  issues: InputIssue[],
): Record<string, object> | undefined {
  if (!edits) return edits;
  const units = new Set(dataset.units.map((u) => u.id));
  const merged: Record<string, object> = {};
  for (const [id, { source, into, ...edit }] of Object.entries(edits)) {
    const rule = scheme.rollups.find((r) => r.id === id);
    if (!rule) continue;
    for (const [end, given] of [
      ["source", source],
      ["into", into],
    ] as const)
      if (given !== undefined && JSON.stringify(given) !== JSON.stringify(rule[end]))
        issues.push({
          path: ["patch", "rollups", id, end],
          message: `cannot change in a scenario: a roll-up's ${end} says ${ROLLUP_ENDS[end]}, and another would be another rule (write it into a scheme version); a scenario changes how the sub-units count: ${ROLLUP_PATCH_FIELDS.join(", ")}`,
        });
    edit.parents?.forEach((parent, j) => {
      if (!units.has(parent))
        issues.push({
          path: ["patch", "rollups", id, "parents", j],
          message: unknownId("unit", parent, units, true),
        });
    });
    merged[id] = edit;
  }
  return merged;
}
