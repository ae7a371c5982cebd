import type { RollupCount, RollupPart } from "./whatif-api";

/** A parent's sub-units as one side's roll-ups read them: how many, and how many had no result. */
export interface SubUnitCount {
  subUnits: number;
  withoutResult: number;
}

/**
 * One side's sub-units: null where no roll-up applies on that side; "unread" where roll-ups apply
 * but the parent had no result of its own there, so the engine read none of its sub-units into
 * it; otherwise how many were read.
 */
export type SideSubUnits = SubUnitCount | "unread" | null;

/**
 * One side's count: every roll-up reads all of the parent's sub-units, so chained roll-ups into
 * one target read the same ones and are not added up; the most any of them read (a sub-unit
 * moved away on one side only is still counted once). The engine lists no roll-up where none
 * was read, so an empty list is not "0 sub-units".
 */
function sideCount(counts: readonly RollupCount[] | null): SideSubUnits {
  if (counts === null) return null;
  if (counts.length === 0) return "unread";
  return {
    subUnits: Math.max(...counts.map((c) => c.subUnits)),
    withoutResult: Math.max(...counts.map((c) => c.withoutResult)),
  };
}

/** The sub-units a roll-up part came from, on each side. */
export function subUnitsOf(part: Pick<RollupPart, "subUnits">): {
  baseline: SideSubUnits;
  scenario: SideSubUnits;
} {
  return { baseline: sideCount(part.subUnits.baseline), scenario: sideCount(part.subUnits.scenario) };
}

/** A side's count where its sub-units were read; null where none applies or none was read. */
export function countOf(side: SideSubUnits): SubUnitCount | null {
  return side === null || side === "unread" ? null : side;
}
