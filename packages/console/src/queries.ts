import { ERROR_FIELDS, gql, unwrap } from "./api";
import { everyPage, everyPageWithHeads, PAGE_INFO, type Page } from "./pages";

export interface CategoryPoints {
  category: string;
  name: string;
  points: string | null;
  maxPoints: string;
  status: string;
}
export interface Entry {
  rank: number | null;
  unitId: string;
  name: string;
  group: string;
  total: string | null;
  status: string;
  grade: { id: string; name: string } | null;
  flags: string[];
  categories: CategoryPoints[];
}
export interface RankingGroup {
  id: string;
  name: string;
  ranked: boolean;
  units: number;
  rankedUnits: number;
}
export interface Ranking {
  decimals: number;
  maxTotal: string;
  schemeId: string;
  schemeVersion: number;
  groups: RankingGroup[];
  entries: Entry[];
}
export interface Cycle {
  id: string;
  name: string;
  year: number;
  status: string;
  schemeId: string;
  schemeVersion: number;
}

export function loadCycles(signal?: AbortSignal): Promise<Cycle[]> {
  return everyPage(
    async (after) =>
      (
        await gql<{ cycles: Page<Cycle> }>(
          `query Cycles($after: String) { cycles(first: 100, after: $after) {
            ${PAGE_INFO} edges { node { id name year status schemeId schemeVersion } } } }`,
          { after },
          signal ? { signal } : {},
        )
      ).cycles,
  );
}

const PAGE = 500;

type RankingPage = Omit<Ranking, "entries"> & {
  __typename: string;
  entries: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Entry }[] };
};

/** A cycle's whole ranking (every page), optionally of one group. */
export async function loadRanking(
  cycleId: string,
  group: string | null,
  signal?: AbortSignal,
): Promise<Ranking> {
  const { heads, rows } = await everyPageWithHeads(async (after) => {
    const data: { ranking: RankingPage } = await gql(
      `query Ranking($cycleId: ID!, $group: ID, $after: String) {
        ranking(cycleId: $cycleId, group: $group) {
          __typename ${ERROR_FIELDS}
          ... on Ranking {
            decimals maxTotal schemeId schemeVersion
            groups { id name ranked units rankedUnits }
            entries(first: ${PAGE}, after: $after) {
              pageInfo { hasNextPage endCursor }
              edges { node { rank unitId name group total status grade { id name } flags
                categories { category name points maxPoints status } } }
            }
          }
        }
      }`,
      { cycleId, group, after },
      signal ? { signal } : {},
    );
    const { entries, ...head } = unwrap(data.ranking, "Ranking");
    return { head, page: entries };
  });
  // The scheme and groups of the read the entries come from: after a fresh start, not the stale one's.
  const [r] = heads;
  return {
    decimals: r.decimals,
    maxTotal: r.maxTotal,
    schemeId: r.schemeId,
    schemeVersion: r.schemeVersion,
    groups: r.groups,
    entries: rows,
  };
}

export interface TraceStep {
  step: string;
  text: string;
}
export interface Breakdown {
  unitId: string;
  name: string;
  group: string;
  rank: number | null;
  rankedInGroup: number;
  total: string | null;
  status: string;
  grade: { name: string } | null;
  flags: string[];
  trace: TraceStep[];
  adjustments: { kind: string; type: string; level: string; points: string; basis: string; record: string }[];
  eligibility: { excellence: boolean; award: boolean; reasons: { kind: string; text: string }[] };
  categories: (CategoryPoints & { deducted: string; reason: string | null; trace: TraceStep[] })[];
}

export async function loadBreakdown(
  cycleId: string,
  unitId: string,
  signal?: AbortSignal,
): Promise<Breakdown> {
  const data = await gql<{ scoreBreakdown: Breakdown & { __typename: string } }>(
    `query Breakdown($cycleId: ID!, $unitId: ID!) {
      scoreBreakdown(cycleId: $cycleId, unitId: $unitId) {
        __typename ${ERROR_FIELDS}
        ... on UnitResult {
          unitId name group rank rankedInGroup total status grade { name } flags trace { step text }
          adjustments { kind type level points basis record }
          eligibility { excellence award reasons { kind text } }
          categories { category name points maxPoints status deducted reason trace { step text } }
        }
      }
    }`,
    { cycleId, unitId },
    signal ? { signal } : {},
  );
  return unwrap(data.scoreBreakdown, "UnitResult");
}

export interface Comparison {
  summary: string;
  totalDifference: string | null;
  adjustmentDifference: string;
  /** What roll-ups into the total, its floor at zero and rounding add; null when a total is missing. */
  otherDifference: string | null;
  a: { unitId: string; name: string; rank: number | null; total: string | null };
  b: { unitId: string; name: string; rank: number | null; total: string | null };
  categories: {
    category: string;
    name: string;
    a: string | null;
    b: string | null;
    difference: string | null;
  }[];
}

export async function loadComparison(
  cycleId: string,
  unitA: string,
  unitB: string,
  signal?: AbortSignal,
): Promise<Comparison> {
  const data = await gql<{ compare: Comparison & { __typename: string } }>(
    `query Compare($cycleId: ID!, $a: ID!, $b: ID!) {
      compare(cycleId: $cycleId, unitA: $a, unitB: $b) {
        __typename ${ERROR_FIELDS}
        ... on Comparison {
          summary totalDifference adjustmentDifference otherDifference
          a { unitId name rank total } b { unitId name rank total }
          categories { category name a b difference }
        }
      }
    }`,
    { cycleId, a: unitA, b: unitB },
    signal ? { signal } : {},
  );
  return unwrap(data.compare, "Comparison");
}
