import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pooledAgreement, pooledBaseline } from "./pooled-agreement.js";
import { rankCorrelations, rankWork } from "./rank-statistics.js";

/** rankCorrelations over the units with a total on both sides, in index order. */
function expected(before: Float64Array, after: Float64Array) {
  const x: number[] = [];
  const y: number[] = [];
  before.forEach((b, i) => {
    if (!Number.isNaN(b) && !Number.isNaN(after[i]!)) {
      x.push(b);
      y.push(after[i]!);
    }
  });
  const { spearman, kendallTauB } = rankCorrelations(x, y);
  return { units: x.length, spearman, kendallTauB };
}

const total = (max: number) => fc.option(fc.integer({ min: 0, max }), { freq: 10 });
const caseArb = fc.integer({ min: 0, max: 70 }).chain((U) =>
  fc.record({
    // Few distinct totals (ties in either side and both); now and then a span too wide to count.
    before: fc.array(total(8), { minLength: U, maxLength: U }),
    after: fc.array(total(8), { minLength: U, maxLength: U }),
    wide: fc.option(fc.integer({ min: 0, max: U }), { freq: 4 }),
    /** Keep the scenario's missing totals where the baseline's are (the usual case). */
    sameScored: fc.boolean(),
    halves: fc.boolean(),
  }),
);

describe("pooledAgreement", () => {
  it("gives rankCorrelations' numbers for the units scored on both sides", () => {
    const work = rankWork();
    fc.assert(
      fc.property(caseArb, (c) => {
        const before = Float64Array.from(c.before, (x) => x ?? Number.NaN);
        const after = Float64Array.from(c.after, (y, i) =>
          c.sameScored ? (Number.isNaN(before[i]!) ? Number.NaN : (y ?? 3)) : (y ?? Number.NaN),
        );
        if (c.halves) for (let i = 0; i < after.length; i += 3) after[i]! += 0.5;
        if (c.wide !== null && c.wide < after.length) after[c.wide] = 1e9;
        expect(pooledAgreement(pooledBaseline(before), before, after, work)).toEqual(expected(before, after));
      }),
      { numRuns: 400 },
    );
  });
});
