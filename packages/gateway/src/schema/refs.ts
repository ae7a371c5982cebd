/**
 * Object references declared before they are implemented, so area files can point at each
 * other's types without importing each other.
 */
import type { Evaluation } from "@pingyi/engine";
import { builder } from "../builder.js";
import type { Scored } from "../evaluations.js";
import type { Cycle, Group, SchemeVersion, UnitRecord, WithProvenance } from "../store/index.js";

/** A unit record in its cycle (units belong to a cycle, so a finalised year never changes). */
export interface CycleUnit {
  cycleId: string;
  unit: WithProvenance<UnitRecord>;
}

export interface CycleGroup {
  cycleId: string;
  group: WithProvenance<Group>;
}

/** A ranking: an evaluation (possibly a scenario's) of one cycle, optionally one group. */
export interface RankingShape {
  scored: Scored;
  evaluation: Evaluation;
  group: string | null;
  scenarioId: string | null;
  /**
   * What the table was computed from, for its cursors: the evaluation's key and, under a saved
   * scenario, the scenario's document (an edit makes another table of the same owner).
   */
  revision: string;
}

export const UnitRef = builder.objectRef<CycleUnit>("Unit");
export const GroupRef = builder.objectRef<CycleGroup>("Group");
export const CycleRef = builder.objectRef<Cycle>("Cycle");
export const RankingRef = builder.objectRef<RankingShape>("Ranking");
export const SchemeVersionRef = builder.objectRef<SchemeVersion | Omit<SchemeVersion, "document">>(
  "SchemeVersion",
);
