import type { Cycle } from "./queries";

/** The cycles on one scheme version, as the Rules page's row says them before Withdraw is asked. */
export interface CyclesOnVersion {
  /** Every cycle on the version, oldest year first: the row names them all. */
  all: Cycle[];
  /**
   * A finalised one among them: its ranking was scored under the version, which it keeps for
   * good, so the version can never be withdrawn. Open ones alone can be moved off it first.
   */
  finalised: boolean;
}

/**
 * The cycles on `schemeId`'s `version` among those the console read, or null when none is: the
 * gateway refuses to withdraw a version a cycle is on, so the row says it before a reason is typed.
 */
export function cyclesOnVersion(
  cycles: readonly Cycle[],
  schemeId: string,
  version: number,
): CyclesOnVersion | null {
  const all = cycles
    .filter((c) => c.schemeId === schemeId && c.schemeVersion === version)
    .sort((a, b) => a.year - b.year || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (all.length === 0) return null;
  return { all, finalised: all.some((c) => c.status === "FINALISED") };
}
