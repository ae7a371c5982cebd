import { type Context, unitKey } from "../context.js";
import { ValidationError } from "../store/index.js";

/**
 * A list's unit filter checked against the cycle: filtering by a unit it does not have (a typo)
 * would answer "no veto" as if the unit had none.
 */
export async function unitFilter(
  ctx: Pick<Context, "loaders">,
  cycleId: string,
  unitId: string | number | null | undefined,
): Promise<string | undefined> {
  if (unitId == null) return undefined;
  const id = String(unitId);
  if (!(await ctx.loaders.unit.load(unitKey(cycleId, id))))
    throw new ValidationError([{ path: "unitId", message: `unknown unit "${id}" in cycle '${cycleId}'` }]);
  return id;
}
