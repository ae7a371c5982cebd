import { updateParams, useUrlCorrection } from "../router";

/**
 * A saved scenario is of one cycle: another cycle chosen, the one in the URL is dropped, and the
 * page shows that cycle as it stands (the gateway would refuse the scenario for another cycle).
 * Judged by the scenario's own cycle, once read, not by a change of cycle: a link followed in the
 * tab changes both, and its scenario is of the cycle it names. A URL changed since the render
 * (useUrlCorrection) is left alone: its own render judges again. Held by useScenarioCycle, so
 * that every page with a saved scenario holds it.
 */
export function useScenarioOfCycle(cycleId: string | null, scenarioCycleId: string | null): void {
  const another = cycleId !== null && scenarioCycleId !== null && scenarioCycleId !== cycleId;
  useUrlCorrection(another ? () => updateParams({ scenario: null }) : null, [another]);
}
