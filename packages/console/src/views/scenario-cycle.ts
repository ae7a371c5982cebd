import { useQuery } from "../use-query";
import { loadScenario } from "../whatif-api";
import { useCycle } from "./cycle-picker";
import { useScenarioOfCycle } from "./use-scenario-of-cycle";

/**
 * The saved scenario (`?scenario=`) and the cycle (`?cycle=`) a page's URL names. A scenario is of
 * its own cycle: a link that names it but no cycle opens in the scenario's, which the URL then
 * names, as it names a default cycle (the menu carries it to the next page). Until the scenario
 * is read (or refused) no cycle is chosen, else the cycle list arriving first would open the
 * newest, and a page that drops a scenario of another cycle than its own would drop the one
 * linked to. A scenario of another cycle than the one chosen is dropped from the URL
 * (useScenarioOfCycle).
 */
export function useScenarioCycle(params: URLSearchParams) {
  const scenarioId = params.get("scenario");
  const saved = useQuery(scenarioId, () => loadScenario(scenarioId!));
  // Not `data`: the scenario opened before stays there a render after another is asked for, or
  // none (the menu's What-if), and its cycle is not this link's.
  const savedCycle = saved.current?.cycleId ?? null;
  const cycleParam = params.get("cycle");
  const known = cycleParam !== null || !scenarioId || saved.key === scenarioId;
  const cyclesRead = useCycle(cycleParam, known, savedCycle);
  useScenarioOfCycle(cyclesRead.cycle?.id ?? null, savedCycle);
  return { scenarioId, saved, cyclesRead, cycles: cyclesRead.cycles, cycle: cyclesRead.cycle };
}
