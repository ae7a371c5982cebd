import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dominanceCounts } from "./dominance-count.js";

describe("dominance counts", () => {
  it("count the units below and above at both ends as comparing every pair does, ties and margins included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }), fc.boolean()), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.constantFrom(0, 0.5, 1),
        fc.boolean(),
        (units, m, shuffled) => {
          const start = Float64Array.from(units, (u) => u[0]);
          const end = Float64Array.from(units, (u) => u[1]);
          const included = Uint8Array.from(units, (u) => (u[2] ? 1 : 0));
          const order = Int32Array.from(units, (_, i) => i);
          // Any order is taken: the one of a neighbouring stretch, or none in particular.
          if (shuffled) order.reverse();
          const got = dominanceCounts({ start, end, included, margin: () => m }, order);
          units.forEach((_, i) => {
            if (!included[i]) {
              expect([got.belowBoth[i], got.aboveBoth[i]]).toEqual([0, 0]);
              return;
            }
            let below = 0;
            let above = 0;
            units.forEach((_, j) => {
              if (!included[j]) return;
              if (start[j]! < start[i]! - m && end[j]! < end[i]! - m) below++;
              if (start[j]! > start[i]! + m && end[j]! > end[i]! + m) above++;
            });
            expect([got.belowBoth[i], got.aboveBoth[i]]).toEqual([below, above]);
          });
          // The units by end value, for the next stretch.
          expect(Array.from(got.byEnd, (i) => end[i]!)).toEqual([...end].sort((p, q) => p - q));
        },
      ),
      { numRuns: 300 },
    );
  });
});
