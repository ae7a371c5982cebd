import { ERROR_FIELDS, gql, unwrap } from "./api";

export interface SweepUnit {
  unitId: string;
  name: string;
  group: string;
  nominalRank: number | null;
  segments: {
    from: string;
    to: string;
    fromApprox: number;
    toApprox: number;
    /** null for a unit of an unranked group (its segments follow its threshold grade). */
    rank: number | null;
    grade: string | null;
  }[];
  breakpoints: string[];
  stability: { from: string; to: string } | null;
}
export interface Sweep {
  category: string;
  nominal: string;
  from: string;
  to: string;
  breakpointCount: number;
  units: SweepUnit[];
}

export async function runSweep(
  args: {
    cycleId: string;
    category: string;
    from: string;
    to: string;
    others: "FIXED" | "RESCALE";
    group: string | null;
  },
  signal?: AbortSignal,
): Promise<Sweep> {
  const data = await gql<{
    weightSweep: Omit<Sweep, "units"> & { __typename: string; units: { edges: { node: SweepUnit }[] } };
  }>(
    `query Sweep($cycleId: ID!, $category: ID!, $from: String, $to: String, $others: SweepOthers, $group: ID) {
      weightSweep(cycleId: $cycleId, category: $category, from: $from, to: $to, others: $others) {
        __typename ${ERROR_FIELDS}
        ... on WeightSweep { category nominal from to breakpointCount
          units(first: 500, group: $group) { edges { node { unitId name group nominalRank breakpoints
            segments { from to fromApprox toApprox rank grade } stability { from to } } } } }
      }
    }`,
    args,
    signal ? { signal } : {},
  );
  const s = unwrap(data.weightSweep, "WeightSweep");
  return { ...s, units: s.units.edges.map((e) => e.node) };
}

export interface UncertaintyUnit {
  unitId: string;
  name: string;
  group: string;
  nominalRank: number | null;
  medianRank: number | null;
  p5Rank: number | null;
  p95Rank: number | null;
  pExcellent: number;
  pLast: number;
}

export async function runUncertainty(
  args: { cycleId: string; samples: number; seed: number; concentration: number; group: string | null },
  signal?: AbortSignal,
): Promise<{ nominalReproduced: boolean; units: UncertaintyUnit[] }> {
  const data = await gql<{
    uncertainty: {
      __typename: string;
      nominalReproduced: boolean;
      units: { edges: { node: UncertaintyUnit }[] };
    };
  }>(
    `query Uncertainty($cycleId: ID!, $samples: Int, $seed: Int!, $concentration: Float, $group: ID) {
      uncertainty(cycleId: $cycleId, samples: $samples, seed: $seed, distribution: DIRICHLET, concentration: $concentration) {
        __typename ${ERROR_FIELDS}
        ... on Uncertainty { nominalReproduced
          units(first: 500, group: $group) { edges { node {
            unitId name group nominalRank medianRank p5Rank p95Rank pExcellent pLast } } } }
      }
    }`,
    args,
    signal ? { signal } : {},
  );
  const u = unwrap(data.uncertainty, "Uncertainty");
  return { nominalReproduced: u.nominalReproduced, units: u.units.edges.map((e) => e.node) };
}
