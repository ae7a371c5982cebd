import { gql } from "./api";

/** A saved scenario as a list shows it: who owns it, whether others see it, when it last changed. */
export interface SavedScenario {
  id: string;
  name: string;
  /** The subject of the token that saved it (the session's `subject` for one's own). */
  owner: string;
  shared: boolean;
  /** ISO moment. */
  updatedAt: string;
  /** The document's `description`, when it has one as text. */
  description: string | null;
}

/**
 * The document's description. The gateway stores what the engine accepts, but a list must not
 * break on a record saved with something else there: anything but text reads as none.
 */
export function scenarioDescription(patch: unknown): string | null {
  if (typeof patch !== "object" || patch === null) return null;
  const d = (patch as { description?: unknown }).description;
  return typeof d === "string" && d.trim() !== "" ? d : null;
}

/** The caller's own scenarios of the cycle and everyone's shared ones, by name (the gateway's order). */
export async function loadScenarios(cycleId: string, signal?: AbortSignal): Promise<SavedScenario[]> {
  const data = await gql<{
    scenarios: (Omit<SavedScenario, "description"> & { patch: unknown })[];
  }>(
    `query Scenarios($cycleId: ID!) { scenarios(cycleId: $cycleId) { id name owner shared updatedAt patch } }`,
    { cycleId },
    signal ? { signal } : {},
  );
  return data.scenarios.map(({ patch, ...s }) => ({ ...s, description: scenarioDescription(patch) }));
}

/** A scenario's name by its id among those listed; the id itself when it is not (yet) listed. */
export function scenarioName(scenarios: readonly SavedScenario[] | null, id: string): string {
  return scenarios?.find((s) => s.id === id)?.name ?? id;
}
