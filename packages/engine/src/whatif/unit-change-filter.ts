import { unknownId } from "../exact-id.js";
import { InputError } from "../input-error.js";
import { knownOptions } from "../known-options.js";
import type { UnitChangeFilter } from "./compare-standings.js";

/** A filter as `select` reads it: unit ids always as a Set. */
export interface CheckedFilter extends Omit<UnitChangeFilter, "unitIds"> {
  unitIds?: ReadonlySet<string>;
}

/**
 * A `unitChanges.select` filter as a caller passes it, checked: like every other option of the
 * engine, a misspelt key (`movedonly`) or a group the comparison does not have would otherwise
 * select every row, or none, without a word. `unitIds` may be a Set or a list of ids.
 */
export function checkedUnitChangeFilter(filter: unknown, groups: readonly string[]): CheckedFilter {
  knownOptions(filter, ["group", "unitIds", "movedOnly"]);
  const { group, unitIds, movedOnly } = filter as Record<string, unknown>;
  const issues: { path: string[]; message: string }[] = [];
  if (group !== undefined && (typeof group !== "string" || !groups.includes(group)))
    issues.push({
      path: ["group"],
      message:
        typeof group === "string"
          ? unknownId("group", group, new Set(groups), true)
          : `must be a group id; the groups are ${groups.join(", ")}`,
    });
  let ids: ReadonlySet<string> | undefined;
  if (unitIds instanceof Set) ids = unitIds as ReadonlySet<string>;
  else if (Array.isArray(unitIds) && unitIds.every((id) => typeof id === "string")) ids = new Set(unitIds);
  else if (unitIds !== undefined)
    issues.push({ path: ["unitIds"], message: "must be a Set or a list of unit ids" });
  if (movedOnly !== undefined && typeof movedOnly !== "boolean")
    issues.push({ path: ["movedOnly"], message: "must be true or false" });
  if (issues.length > 0) throw new InputError("scenario", issues);
  return {
    ...(group !== undefined ? { group: group as string } : {}),
    ...(ids ? { unitIds: ids } : {}),
    ...(movedOnly !== undefined ? { movedOnly: movedOnly as boolean } : {}),
  };
}
