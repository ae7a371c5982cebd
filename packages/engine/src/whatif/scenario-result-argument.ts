import { wrongArgument } from "../argument-kind.js";
import type { ScenarioResult } from "./run-scenario.js";

/** Throws the engine's InputError when `scenarioReport` is given other than runScenario's result. */
export function checkScenarioResultArgument(result: unknown): asserts result is ScenarioResult {
  const r = result as Partial<ScenarioResult> | null | undefined;
  if (typeof r?.scenario !== "object" || r.scenario === null || !Array.isArray(r.units) || !r.stageTwo)
    throw wrongArgument("result", "a scenario result from runScenario(baseline, scenario)", result);
}
