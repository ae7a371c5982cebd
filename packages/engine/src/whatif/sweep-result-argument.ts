import { wrongArgument } from "../argument-kind.js";
import type { WeightSweepResult } from "./weight-sweep.js";

/** Throws the engine's InputError when `breakpointCount` is given other than a sweep's result. */
export function checkSweepResultArgument(
  result: unknown,
): asserts result is Pick<WeightSweepResult, "units"> {
  const units = (result as Partial<WeightSweepResult> | null | undefined)?.units;
  if (!Array.isArray(units) || !units.every((u) => Array.isArray(u?.breakpoints)))
    throw wrongArgument("result", "a sweep's result from weightSweep(baseline, options)", result);
}
