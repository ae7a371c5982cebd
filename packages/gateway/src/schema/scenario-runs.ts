import type { Evaluation } from "@pingyi/engine";
import type { Scored } from "../evaluations.js";
import { ValidationError } from "../store/index.js";

/**
 * Runs a saved scenario against a scored cycle. Wired to the engine's what-if API once it is
 * exported from @pingyi/engine; until then scenarios are stored but cannot be run.
 */
export function applyScenarioTo(_scored: Scored, _patch: unknown): Evaluation {
  throw new ValidationError([
    { path: "scenarioId", message: "what-if runs are not available in this build yet" },
  ]);
}
