import { ApiError, gql } from "./api";

/**
 * The units of a cycle without a total, as the question before finalising says them: a year
 * finalised with records half loaded publishes them so for good, and the gateway finalises one
 * with some only when told their number (`expectedUnscoredUnits`), which the administrator sees
 * here first.
 */
export interface UnscoredUnits {
  /** Units without a total, ranked groups' and unranked alike: the number finaliseCycle confirms. */
  count: number;
  /** Every unit of the cycle. */
  units: number;
  /** The first few, in the ranking's order, each with what it lacks. */
  shown: UnscoredUnit[];
}

export interface UnscoredUnit {
  unitId: string;
  name: string;
  /** Each category without its result and why, in the engine's words ("organ: no records for this unit"). */
  lacks: string;
}

/** Units named in the question, at most: the rest are counted. */
export const SHOWN_UNSCORED = 5;

interface Entry {
  unitId: string;
  name: string;
  categories: { category: string; points: string | null; reason: string | null }[];
}

interface Answer {
  cycle: { __typename: string; unscoredUnits?: number | null };
  ranking: {
    __typename: string;
    groups?: { units: number }[];
    entries?: { edges: { node: Entry }[] } | null;
  };
}

/** What a unit lacks: its categories without points, each with the engine's reason. */
export function unitLacks(categories: Entry["categories"]): string {
  return categories
    .filter((c) => c.points === null)
    .map((c) => `${c.category}: ${c.reason ?? "no result"}`)
    .join("; ");
}

/**
 * The cycle's units without a total, read in one request (the count and the list come from one
 * evaluation), or null when its ranking cannot be had (records its scheme cannot score, the cycle
 * gone): finalising then goes without a number, and the gateway's refusal says why.
 */
export async function loadUnscoredUnits(cycleId: string): Promise<UnscoredUnits | null> {
  const data = await gql<Answer>(
    `query UnscoredUnits($cycleId: ID!) {
      cycle(id: $cycleId) { __typename ... on Cycle { unscoredUnits } }
      ranking(cycleId: $cycleId) { __typename ... on Ranking { groups { units }
        entries(flag: INSUFFICIENT, first: ${SHOWN_UNSCORED}) { edges { node { unitId name
          categories { category points reason } } } } } } }`,
    { cycleId },
  );
  const count = data.cycle.__typename === "Cycle" ? data.cycle.unscoredUnits : null;
  const { groups, entries } = data.ranking;
  if (count == null || !groups || !entries) return null;
  return {
    count,
    units: groups.reduce((sum, g) => sum + g.units, 0),
    shown: entries.edges.map(({ node }) => ({
      unitId: node.unitId,
      name: node.name,
      lacks: unitLacks(node.categories),
    })),
  };
}

/**
 * Whether a refusal to finalise is about the units without a total: their number left out, or
 * changed since it was read (a unit scored, or one left without a total, meanwhile). The gateway
 * puts it at `expectedUnscoredUnits`, whose name is its API's, not this console's.
 */
export function unscoredRefused(error: Error): boolean {
  return (
    error instanceof ApiError &&
    error.code === "VALIDATION" &&
    error.issues.some((i) => i.path === "expectedUnscoredUnits")
  );
}
