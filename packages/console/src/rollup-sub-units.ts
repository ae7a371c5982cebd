import type { RollupCount, RollupPart } from "./whatif-api";

/** A parent's sub-units as one side's roll-ups read them: how many, and how many had no result. */
export interface SubUnitCount {
  subUnits: number;
  withoutResult: number;
}

/**
 * One side's count: every roll-up reads all of the parent's sub-units, so chained roll-ups into
 * one target read the same ones and are not added up; the most any of them read (a sub-unit
 * moved away on one side only is still counted once). Null where none applies on that side.
 */
function sideCount(counts: readonly RollupCount[] | null): SubUnitCount | null {
  if (!counts || counts.length === 0) return null;
  return {
    subUnits: Math.max(...counts.map((c) => c.subUnits)),
    withoutResult: Math.max(...counts.map((c) => c.withoutResult)),
  };
}

/** The sub-units a roll-up part came from, on each side. */
export function subUnitsOf(part: Pick<RollupPart, "subUnits">): {
  baseline: SubUnitCount | null;
  scenario: SubUnitCount | null;
} {
  return { baseline: sideCount(part.subUnits.baseline), scenario: sideCount(part.subUnits.scenario) };
}
