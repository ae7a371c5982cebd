import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FloatGroupRanks } from "./float-group-ranks.js";
import type { FloatModel } from "./float-model.js";

/** The reference: sort by standing (forced last, total, tie-breakers) then id; equal standings share a rank. */
function byComparator(
  m: FloatModel,
  totals: Float64Array,
  pts: Float64Array,
  idOrder: Int32Array,
  members: number[],
) {
  const U = m.units;
  const tie = (a: number, b: number) => {
    for (const k of m.tieIndex) {
      const e = pts[k * U + b]! - pts[k * U + a]!;
      if (e !== 0) return e;
    }
    return 0;
  };
  const standing = (a: number, b: number) =>
    m.forcedLast[a] !== m.forcedLast[b]
      ? m.forcedLast[a]! - m.forcedLast[b]!
      : totals[b]! - totals[a]! || tie(a, b);
  const sorted = members
    .filter((i) => !Number.isNaN(totals[i]!))
    .sort((a, b) => standing(a, b) || idOrder[a]! - idOrder[b]!);
  const ranks = new Int32Array(U);
  sorted.forEach((u, k) => {
    ranks[u] = k > 0 && standing(sorted[k - 1]!, u) === 0 ? ranks[sorted[k - 1]!]! : k + 1;
  });
  return { sorted, ranks };
}

/**
 * Ranks the group once per draw of totals, with the same ranker (so each draw starts from the
 * order the last one left), and checks every draw against the comparator sort.
 */
function rankEachDraw(
  ranker: FloatGroupRanks,
  g: { m: FloatModel; totals: Float64Array; pts: Float64Array; idOrder: Int32Array; members: number[] },
  draws: readonly Float64Array[],
): void {
  for (const draw of draws) {
    g.totals.set(draw);
    const ref = byComparator(g.m, g.totals, g.pts, g.idOrder, g.members);
    const out = new Int32Array(g.m.units);
    const sorted: number[] = [];
    ranker.rank(g.members, out, 0, sorted);
    expect(sorted).toEqual(ref.sorted);
    expect(out).toEqual(ref.ranks);
  }
}

describe("FloatGroupRanks", () => {
  it("gives the comparator sort's ranks and order, ties, vetoes and unscored units included", () => {
    const unit = fc.record({
      total: fc.oneof(
        fc.integer({ min: 0, max: 6 }).map((x) => x / 2),
        fc.constant(Number.NaN),
      ),
      forced: fc.boolean(),
      keys: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
    });
    fc.assert(
      fc.property(
        fc.array(unit, { minLength: 1, maxLength: 120, size: "medium" }),
        fc.integer({ min: 0, max: 2 }),
        fc.record({ decimals: fc.integer({ min: 1, max: 3 }), total: fc.boolean(), category: fc.boolean() }),
        (units, ties, rounding) => {
          const U = units.length;
          // Rounded totals (and a rounded tie-breaker) take the packed-key path, others the comparator's.
          const m = {
            units: U,
            forcedLast: Uint8Array.from(units, (u) => (u.forced ? 1 : 0)),
            tieIndex: [0, 1].slice(0, ties),
            rounding,
          } as unknown as FloatModel;
          const totals = Float64Array.from(units, (u) => u.total);
          const pts = new Float64Array(2 * U);
          units.forEach((u, i) => {
            pts[i] = u.keys[0];
            pts[U + i] = u.keys[1];
          });
          const idOrder = Int32Array.from(units, (_, i) => U - 1 - i);
          const members = units.map((_, i) => i).filter((i) => i % 5 !== 3);
          const ranker = new FloatGroupRanks(m, totals, pts, idOrder);
          // Later samples start from the order the ranker kept from earlier ones: a slight
          // change, a reversal (past the insertion sort's budget) and the first totals again.
          const draws = [
            Float64Array.from(totals),
            totals.map((t, i) => (Number.isNaN(t) || i % 3 !== 0 ? t : Math.min(3, t + 0.5))),
            totals.map((t) => (Number.isNaN(t) ? t : 3 - t)),
            Float64Array.from(totals),
          ];
          rankEachDraw(ranker, { m, totals, pts, idOrder, members }, draws);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("falls back to a full sort when a group's order turns over, with the same result", () => {
    const U = 200;
    const m = {
      units: U,
      forcedLast: Uint8Array.from({ length: U }, (_, i) => (i % 37 === 0 ? 1 : 0)),
      tieIndex: [0],
      rounding: { decimals: 2, total: true, category: true },
    } as unknown as FloatModel;
    const ascending = Float64Array.from({ length: U }, (_, i) =>
      i % 53 === 0 ? Number.NaN : ((i * 7919) % 1000) / 100,
    );
    const totals = new Float64Array(U);
    const pts = Float64Array.from({ length: U }, (_, i) => (i % 5) / 4);
    const idOrder = Int32Array.from({ length: U }, (_, i) => (i * 31) % U);
    const members = Array.from({ length: U }, (_, i) => i);
    const ranker = new FloatGroupRanks(m, totals, pts, idOrder);
    // The second draw reverses the order the ranker kept: about U²/2 exchanges, far past its budget.
    rankEachDraw(ranker, { m, totals, pts, idOrder, members }, [
      ascending,
      ascending.map((t) => 20 - t),
      ascending,
    ]);
  });
});
