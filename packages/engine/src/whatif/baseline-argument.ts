import { wrongArgument } from "../argument-kind.js";
import { isCompiled } from "../scheme/compile-scheme.js";
import type { Baseline } from "./baseline.js";

/**
 * Throws the engine's InputError when a what-if analysis is given anything but a baseline (an
 * evaluation from evaluate() most often): it would fail deep inside with a TypeError, or blame
 * a scheme the caller never passed.
 */
export function checkBaselineArgument(
  baseline: unknown,
  parameter = "baseline",
): asserts baseline is Baseline {
  const b = baseline as Partial<Baseline> | null | undefined;
  if (
    !isCompiled(b?.compiled) ||
    !(b?.outcomes instanceof Map) ||
    !Array.isArray(b?.standings) ||
    // Asked with `in`, not read: a scenario reads the baseline's evaluation only when its
    // eligibility is asked for.
    !("exact" in b) ||
    typeof b?.memo !== "object"
  )
    throw wrongArgument(parameter, "a baseline from createBaseline(scheme, dataset)", baseline);
}
