import { useEffect } from "react";
import { updateParams } from "../router";

/**
 * A saved scenario is of one cycle: another cycle chosen, the one in the URL is dropped, and the
 * page shows that cycle as it stands (the gateway would refuse the scenario for another cycle).
 * Judged by the scenario's own cycle, once read, not by a change of cycle: a link followed in the
 * tab changes both, and its scenario is of the cycle it names. The What-if and Robustness pages
 * both hold one (useScenarioCycle).
 */
export function useScenarioOfCycle(cycleId: string | null, scenarioCycleId: string | null): void {
  useEffect(() => {
    if (cycleId !== null && scenarioCycleId !== null && scenarioCycleId !== cycleId)
      updateParams({ scenario: null });
  }, [cycleId, scenarioCycleId]);
}
