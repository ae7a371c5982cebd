import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import type { Dataset } from "../dataset/dataset.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { createBaseline } from "./baseline.js";
import { type MonteCarloResult, monteCarlo } from "./monte-carlo.js";

/** Type-7 quantile (R's default, linear between order statistics) of sorted values. */
function type7(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Each unit's ranks over the samples in which it was ranked, from the recorded sample ranks. */
function sampledRanks(r: MonteCarloResult, unit: number): number[] {
  const U = r.units.length;
  const out: number[] = [];
  for (let s = 0; s < r.samples; s++) {
    const rank = r.ranks[s * U + unit]!;
    if (rank > 0) out.push(rank);
  }
  return out.sort((a, b) => a - b);
}

describe("Monte-Carlo summaries agree with the sample ranks they summarise", () => {
  it("gives each unit's median and 5th–95th percentile ranks as type-7 quantiles of its sampled ranks", async () => {
    const { scheme, dataset } = await loadSeed2018();
    const r = monteCarlo(createBaseline(scheme, dataset), {
      samples: 200,
      seed: 42,
      weights: { kind: "dirichlet", concentration: 50 },
    });
    let interpolated = 0;
    r.units.forEach((u, i) => {
      const ranks = sampledRanks(r, i);
      if (ranks.length === 0) {
        expect([u.medianRank, u.p5Rank, u.p95Rank]).toEqual([null, null, null]);
        return;
      }
      expect(u.medianRank).toBeCloseTo(type7(ranks, 0.5), 9);
      expect(u.p5Rank).toBeCloseTo(type7(ranks, 0.05), 9);
      expect(u.p95Rank).toBeCloseTo(type7(ranks, 0.95), 9);
      for (const q of [u.medianRank, u.p5Rank, u.p95Rank]) if (!Number.isInteger(q)) interpolated++;
    });
    // Otherwise the check above could not tell interpolation from taking the lower rank.
    expect(interpolated).toBeGreaterThan(0);
  });

  it("counts a unit last only where its group has a last: never for units that all share first place", () => {
    const rows = directDataset([
      ["25", "15", "60"],
      ["15", "25", "60"],
      ["20", "20", "50"],
      ["20", "20", "50"],
    ]);
    const dataset: Dataset = {
      ...rows,
      units: rows.units.map((u) => (u.id === "U3" || u.id === "U4" ? { ...u, group: "g2" } : u)),
    };
    const scheme = directScheme({
      groups: [
        { id: "g1", name: "group 1" },
        { id: "g2", name: "group 2" },
      ],
    });
    const r = monteCarlo(createBaseline(scheme, dataset), {
      samples: 100,
      seed: 3,
      weights: { kind: "dirichlet", concentration: 2 },
    });
    const pLast = Object.fromEntries(r.units.map((u) => [u.unit, u.pLast]));
    // U3 and U4 are equal in every category: first together in every sample.
    expect(pLast.U3).toBe(0);
    expect(pLast.U4).toBe(0);
    // In g1, U1 is last where organ construction outweighs business work, U2 elsewhere.
    expect(pLast.U1).toBeGreaterThan(0);
    expect(pLast.U2).toBeGreaterThan(0);
    expect(pLast.U1! + pLast.U2!).toBeLessThanOrEqual(1);
  });

  it("counts every unit a veto places last as last in every sample, and the lowest of the others never", () => {
    const dataset: Dataset = {
      ...directDataset([
        ["28", "28", "90"],
        ["26", "26", "80"],
        ["24", "24", "70"],
        ["22", "22", "60"],
        ["20", "20", "50"],
      ]),
      vetoEvents: [
        { id: "V1", unit: "U1", type: "incident", reason: "serious incident" },
        { id: "V2", unit: "U2", type: "incident", reason: "serious incident" },
      ],
    };
    const scheme = directScheme({ vetoTypes: [{ id: "incident", name: "incident", forceLast: true }] });
    const r = monteCarlo(createBaseline(scheme, dataset), {
      samples: 50,
      seed: 4,
      weights: { kind: "dirichlet", concentration: 2 },
    });
    // U1 and U2 rank 4th and 5th between themselves, both last; U5, ranked 3rd, is not.
    expect(r.units.map((u) => [u.unit, u.pLast])).toEqual([
      ["U1", 1],
      ["U2", 1],
      ["U3", 0],
      ["U4", 0],
      ["U5", 0],
    ]);
  });
});
