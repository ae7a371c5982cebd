import { recordsError } from "../records-error.js";
import { type Cycle, type Store, ValidationError } from "../store/index.js";
import { compiles, freshIssues } from "./engine-check.js";

/** Groups, and units of each, named in the refusal; the rest are counted. */
const LISTED_GROUPS = 5;
const LISTED_UNITS = 3;

/**
 * Refuses copying into `cycle` the units of `fromId` that are in groups its scheme version does
 * not have (upsertUnit and the units import refuse such a unit too): the new cycle could not be
 * scored. Said by group, with the first units of each, at `input.copyUnitsFrom`.
 */
export async function copyableUnits(store: Store, fromId: string, cycle: Cycle): Promise<void> {
  const scheme = await store.schemes.get(cycle.schemeId, cycle.schemeVersion);
  // Published versions compile; one that no longer does is not checked by the engine either.
  const compiled = compiles(scheme.document);
  if (!compiled) return;
  const known = new Set(compiled.scheme.groups.map((g) => g.id));
  const stray = new Map<string, string[]>();
  for (const unit of await store.units.list(fromId))
    if (!known.has(unit.group)) stray.set(unit.group, [...(stray.get(unit.group) ?? []), unit.id]);
  if (stray.size === 0) return;
  const n = [...stray.values()].reduce((sum, ids) => sum + ids.length, 0);
  const groups = [...stray]
    .slice(0, LISTED_GROUPS)
    .map(([group, ids]) => {
      const shown = ids.slice(0, LISTED_UNITS).join(", ") + (ids.length > LISTED_UNITS ? ", …" : "");
      return `'${group}' (${ids.length} unit${ids.length === 1 ? "" : "s"}: ${shown})`;
    })
    .join(", ");
  const more = stray.size > LISTED_GROUPS ? ` and ${stray.size - LISTED_GROUPS} more groups` : "";
  throw new ValidationError([
    {
      path: "input.copyUnitsFrom",
      message:
        `${n} unit${n === 1 ? "" : "s"} of cycle '${fromId}' ${n === 1 ? "is" : "are"} in groups that scheme ` +
        `${cycle.schemeId} v${cycle.schemeVersion} does not have: ${groups}${more}; its groups are ` +
        `${[...known].join(", ")}. Nothing was created. Create the cycle under a version that has them, or ` +
        "without copyUnitsFrom and load its units with a units import",
    },
  ]);
}

/**
 * The engine's objections to the units just copied into `cycleId` (beyond their groups, checked
 * above), as every write is checked: none may leave the new cycle with a problem it did not have.
 */
export async function copiedUnitsCheck(store: Store, fromId: string, cycleId: string): Promise<void> {
  const { scheme, dataset } = await store.loadEvaluation(cycleId);
  const compiled = compiles(scheme.document);
  if (!compiled) return;
  const issues = freshIssues(compiled, { ...dataset, units: [] }, dataset);
  if (issues.length)
    throw recordsError(issues, `the units of cycle '${fromId}' would leave cycle '${cycleId}' unscorable`);
}
