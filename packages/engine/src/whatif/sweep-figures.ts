import { InputError, received } from "../input-error.js";
import { parseExact, toNumber } from "../rational.js";
import { checkSweepResultArgument } from "./sweep-result-argument.js";
import type { WeightSweepResult } from "./weight-sweep.js";

/**
 * An exact value as the what-if results write it — a decimal ("35.5") or a fraction in lowest
 * terms ("104470/2929") — as the nearest double, for plotting; never for official values.
 *
 * @throws InputError of subject "argument" naming `exact` for other than text (a number is
 * already a double; an exact value of the engine's own, `{ n, d }`, is read by `toNumber`).
 * @throws RangeError for text that is no such value ("abc", a denominator of 0).
 */
export function exactToNumber(exact: string): number {
  if (typeof exact !== "string")
    throw new InputError("argument", [
      {
        path: ["exact"],
        message: `expected an exact value's text as the what-if results write it, "35.5" or "104470/2929"; got ${received(exact)}`,
      },
    ]);
  return toNumber(parseExact(exact));
}

/**
 * Distinct breakpoints over every unit of a sweep. The sweep writes each exact value one way
 * (a decimal when it terminates, else a fraction in lowest terms), so equal texts are equal points.
 *
 * @throws InputError of subject "argument" (path `result`) for anything without the `units` and
 * their `breakpoints` of a `weightSweep` result.
 */
export function breakpointCount(result: Pick<WeightSweepResult, "units">): number {
  checkSweepResultArgument(result);
  const points = new Set<string>();
  for (const unit of result.units) for (const b of unit.breakpoints) points.add(b);
  return points.size;
}
