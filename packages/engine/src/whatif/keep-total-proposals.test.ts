import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type KeepTotalProposal, keepTotalPlan, proposer } from "./keep-total-proposals.js";
import { seededRandom } from "./seeded-random.js";

const plan = (w: number[], S: number, free: number) =>
  keepTotalPlan(Float64Array.from(w), S, free, seededRandom);

/** The share of `n` proposals kept, as the sampler draws them (another seed than the pilot's). */
function keptShare(w: number[], S: number, free: number, proposal: KeepTotalProposal, n: number): number {
  const propose = proposer(proposal, Float64Array.from(w), S, free, seededRandom(7));
  const y = new Float64Array(w.length);
  let kept = 0;
  for (let t = 0; t < n; t++) if (propose(y)) kept++;
  return kept / n;
}

describe("keepTotalPlan", () => {
  it("counts the share of proposals kept exactly", () => {
    // Three widths of 1 sharing 1.5: a box draw of two keeps the total when their sum is within
    // 0.5 to 1.5, three draws in four.
    expect(plan([1, 1, 1], 1.5, 0)).toEqual({ proposal: "box", accept: 0.75, estimated: false });
    // Two categories: the segment is the box's one width, or the slack's whole length.
    expect(plan([3, 5], 4, 1)).toEqual({ proposal: "box", accept: 1, estimated: false });
    expect(plan([3, 5], 2, 1)).toEqual({ proposal: "slack", accept: 1, estimated: false });
  });

  it("splits the slack near the lows' corner and the shortfall near the highs', keeping every such draw", () => {
    // Nine categories with 1.125 points between them and their lows: a box draw keeps one in 8!.
    expect(plan(new Array(9).fill(1.125), 1.125, 0)).toEqual({
      proposal: "slack",
      accept: 1,
      estimated: false,
    });
    // The same corner reflected: 1.125 points short of their highs.
    expect(plan(new Array(9).fill(1.125), 9 * 1.125 - 1.125, 0)).toEqual({
      proposal: "shortfall",
      accept: 1,
      estimated: false,
    });
  });

  it("counts a corner too small for doubles, where inclusion–exclusion's terms cancel", () => {
    // Twenty categories, every other one 0.01 wide, sharing 1: in doubles the terms of size ~1
    // leave nothing of a volume of ~10^-6 of them.
    const w = Array.from({ length: 20 }, (_, k) => (k % 2 ? 0.01 : 1));
    const { proposal, accept, estimated } = plan(w, 1, 0);
    expect([proposal, estimated]).toEqual(["box", false]);
    expect(accept).toBeGreaterThan(1.7e-6);
    expect(accept).toBeLessThan(1.8e-6);
  });

  it("estimates, from a seed of its own, where counting would take long", () => {
    // 24 widths of 1 through their middle: ~8 million sets of widths on either side.
    const w = new Array(24).fill(1);
    const middle = plan(w, 12, 0);
    expect(middle.estimated).toBe(true);
    expect(middle).toEqual(plan(w, 12, 0));
    expect(Math.abs(middle.accept - keptShare(w, 12, 0, middle.proposal, 100_000))).toBeLessThan(0.01);
    // Widths of unlike size (10^-300 beside 1) are not counted in integers of thousands of bits.
    const t = Date.now();
    const unlike = plan([...new Array(15).fill(1), 1e-300], 5, 0);
    expect(unlike.estimated).toBe(true);
    expect(Date.now() - t).toBeLessThan(2_000);
  });

  it("agrees with the share of proposals its chosen draw keeps, and chooses the one kept most often", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 6 }),
        fc.double({ min: 0.02, max: 0.98, noNaN: true }),
        (tenths, at) => {
          const w = tenths.map((t) => t / 10);
          const total = w.reduce((a, b) => a + b, 0);
          const S = at * total;
          let free = 0;
          w.forEach((x, k) => {
            if (x > w[free]!) free = k;
          });
          const p = plan(w, S, free);
          expect(p.estimated).toBe(false);
          if (p.accept < 0.02) return;
          const n = 20_000;
          // Five standard errors of a share of n draws.
          const se = Math.sqrt((p.accept * (1 - p.accept)) / n);
          expect(Math.abs(keptShare(w, S, free, p.proposal, n) - p.accept)).toBeLessThan(5 * se + 1e-3);
          for (const other of ["box", "slack", "shortfall"] as const)
            expect(keptShare(w, S, free, other, n)).toBeLessThan(p.accept + 5 * se + 1e-3);
        },
      ),
      { numRuns: 40, seed: 20261207 },
    );
  });
});
