import { wrongArgument } from "../argument-kind.js";
import type { MethodOutcomes } from "./score-records.js";

/** Throws the engine's InputError when `compose` is given other than scoreRecords' outcomes. */
export function checkOutcomesArgument(outcomes: unknown): asserts outcomes is MethodOutcomes {
  if (!(outcomes instanceof Map))
    throw wrongArgument("outcomes", "the method outcomes from scoreRecords(compiled, dataset)", outcomes);
}
