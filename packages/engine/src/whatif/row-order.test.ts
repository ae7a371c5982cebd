import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rowOrder } from "./row-order.js";

/** The rule spelt out as one comparator sort: |rank delta| (none last), |total delta|, id. */
function expectedOrder(rank: Float64Array, total: Float64Array, idOrder: Int32Array): number[] {
  const rankKey = (i: number) => (Number.isNaN(rank[i]!) ? -1 : Math.abs(rank[i]!));
  const sizeKey = (i: number) => (Number.isNaN(total[i]!) ? 0 : Math.abs(total[i]!));
  return [...rank.keys()].sort(
    (x, y) => rankKey(y) - rankKey(x) || sizeKey(y) - sizeKey(x) || idOrder[x]! - idOrder[y]!,
  );
}

const caseArb = (maxTotal: number) =>
  fc.integer({ min: 0, max: 80 }).chain((U) =>
    fc.record({
      rank: fc.array(fc.option(fc.integer({ min: -6, max: 6 }), { freq: 6 }), { minLength: U, maxLength: U }),
      total: fc.array(fc.option(fc.integer({ min: -maxTotal, max: maxTotal }), { freq: 6 }), {
        minLength: U,
        maxLength: U,
      }),
      ids: fc.shuffledSubarray([...Array(U).keys()], { minLength: U, maxLength: U }),
      reads: fc.array(fc.nat(), { maxLength: 20 }),
    }),
  );

function check(c: { rank: (number | null)[]; total: (number | null)[]; ids: number[]; reads: number[] }) {
  const U = c.rank.length;
  const rank = Float64Array.from(c.rank, (x) => x ?? Number.NaN);
  const total = Float64Array.from(c.total, (x) => x ?? Number.NaN);
  const idOrder = Int32Array.from(c.ids);
  const byIdOrder = new Int32Array(U);
  for (let i = 0; i < U; i++) byIdOrder[idOrder[i]!] = i;
  const order = rowOrder(rank, total, idOrder, byIdOrder);
  const expected = expectedOrder(rank, total, idOrder);
  // Rows read in any order first (buckets are sorted on first read), then all of them.
  for (const r of c.reads) if (U > 0) expect(order.unitAt(r % U)).toBe(expected[r % U]);
  expect(Array.from({ length: U }, (_, k) => order.unitAt(k))).toEqual(expected);
}

describe("rowOrder", () => {
  it("orders rows by |rank delta| (none last), |total delta|, id, whichever rows are read first", () => {
    fc.assert(fc.property(caseArb(50), check), { numRuns: 300 });
  });

  it("orders the same when total deltas are too large to pack into one number", () => {
    fc.assert(fc.property(caseArb(2 ** 50), check), { numRuns: 100 });
  });
});
