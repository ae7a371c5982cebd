import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keepTotalPlan } from "./keep-total-acceptance.js";
import { seededRandom } from "./seeded-random.js";

/** The share of `n` proposals that land among the points keeping the total, drawn as the sampler draws them. */
function keptShare(w: number[], S: number, free: number, proposal: "box" | "simplex", n: number): number {
  const rnd = seededRandom(7);
  const m = w.length;
  const y = new Float64Array(m);
  let kept = 0;
  for (let t = 0; t < n; t++) {
    if (proposal === "box") {
      let rest = S;
      for (let k = 0; k < m; k++) if (k !== free) rest -= y[k] = rnd.next() * w[k]!;
      y[free] = rest;
    } else {
      let sum = 0;
      for (let k = 0; k < m; k++) sum += y[k] = -Math.log(1 - rnd.next());
      for (let k = 0; k < m; k++) y[k] = (S * y[k]!) / sum;
    }
    if (y.every((v, k) => v >= 0 && v <= w[k]!)) kept++;
  }
  return kept / n;
}

describe("keepTotalPlan", () => {
  it("counts the share of proposals kept exactly", () => {
    // Three widths of 1 sharing 1.5: a box draw of two keeps the total when their sum is within
    // 0.5 to 1.5, three draws in four.
    expect(keepTotalPlan([1, 1, 1], 1.5, 0)).toEqual({ proposal: "box", accept: 0.75 });
    // Two categories: the segment is the box's one width, or the slack's whole length.
    expect(keepTotalPlan([3, 5], 4, 1)).toEqual({ proposal: "box", accept: 1 });
    expect(keepTotalPlan([3, 5], 2, 1)).toEqual({ proposal: "simplex", accept: 1 });
  });

  it("splits the slack where it is small beside the widths, and keeps every such draw", () => {
    // Nine categories with 1.125 points between them: a box draw keeps one in 8!.
    const plan = keepTotalPlan(new Array(9).fill(1.125), 1.125, 0);
    expect(plan).toEqual({ proposal: "simplex", accept: 1 });
  });

  it("counts a corner too small for doubles, where inclusion–exclusion's terms cancel", () => {
    // Twenty categories, every other one 0.01 wide, sharing 1: in doubles the 2^20 terms of
    // size ~1 leave nothing of a volume of ~10^-6 of them.
    const w = Array.from({ length: 20 }, (_, k) => (k % 2 ? 0.01 : 1));
    const { proposal, accept } = keepTotalPlan(w, 1, 0);
    expect(proposal).toBe("box");
    expect(accept).toBeGreaterThan(1.7e-6);
    expect(accept).toBeLessThan(1.8e-6);
  });

  it("gives up counting past 2^16 terms instead of taking seconds", () => {
    const w = Array.from({ length: 24 }, () => 1);
    expect(keepTotalPlan(w, 12, 0).accept).toBeNull();
  });

  it("agrees with the share of proposals its chosen draw keeps", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 6 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (tenths, at) => {
          const w = tenths.map((t) => t / 10);
          const total = w.reduce((a, b) => a + b, 0);
          const S = at * total;
          let free = 0;
          w.forEach((x, k) => {
            if (x > w[free]!) free = k;
          });
          const plan = keepTotalPlan(w, S, free);
          if (plan.accept === null || plan.accept < 0.02) return;
          const n = 20_000;
          const share = keptShare(w, S, free, plan.proposal, n);
          // Five standard errors of a share of n draws.
          const se = Math.sqrt((plan.accept * (1 - plan.accept)) / n);
          expect(Math.abs(share - plan.accept)).toBeLessThan(5 * se + 1e-3);
          // And the other proposal is kept no more often.
          const other = keptShare(w, S, free, plan.proposal === "box" ? "simplex" : "box", n);
          expect(other).toBeLessThan(plan.accept + 5 * se + 1e-3);
        },
      ),
      { numRuns: 40, seed: 20261207 },
    );
  });
});
