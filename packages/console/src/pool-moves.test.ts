import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { poolMoves } from "./pool-moves";
import type { WhatIfUnit } from "./whatif-api";
import type { OneSidedUnit } from "./year-on-year-api";

type Side = { group: string; rank: number | null };

const standing = (s: Side) => ({
  ...s,
  total: s.rank === null ? null : "80",
  rankedInGroup: 0,
  grade: null,
  eligibleForExcellence: true,
  eligibleForAward: true,
});

const shared = (unitId: string, b: Side, a: Side): WhatIfUnit => ({
  unitId,
  name: unitId,
  baseline: standing(b),
  scenario: standing(a),
  totalDelta: "0",
  rankDelta: b.rank !== null && a.rank !== null && b.group === a.group ? a.rank - b.rank : null,
  parts: [],
});

const only = (unitId: string, s: Side): OneSidedUnit => ({
  unitId,
  name: unitId,
  standing: { ...standing(s), gradeName: null },
});

const g = (rank: number | null): Side => ({ group: "g", rank });

describe("poolMoves", () => {
  it("counts a unit that rose only because a unit above it left, not one that also overtook", () => {
    // U21 (2nd) merged away: U3 and U4 rise by it alone; U5 passes U6 as well.
    const units = [
      shared("U1", g(1), g(1)),
      shared("U3", g(3), g(2)),
      shared("U4", g(4), g(3)),
      shared("U5", g(6), g(4)),
      shared("U6", g(5), g(5)),
    ];
    expect(poolMoves(units, { onlyBefore: [only("U21", g(2))], onlyAfter: [] })).toEqual({
      rose: 2,
      fell: 0,
    });
    // Without U21 in the lists the rises are unexplained: the units' own.
    expect(poolMoves(units, { onlyBefore: [], onlyAfter: [] })).toEqual({ rose: 0, fell: 0 });
  });

  it("counts a fall by a unit set up above it, and by a shared unit ranked on one side only", () => {
    const units = [
      shared("U1", g(1), g(2)), // U30, set up, above it
      shared("U2", g(2), g(4)), // U30 and U9 (no rank in the base cycle) above it
      shared("U9", g(null), g(3)),
      shared("U3", g(3), g(6)), // U7, below it, passed it: neither fell by the pool alone
      shared("U7", g(4), g(5)),
    ];
    expect(poolMoves(units, { onlyBefore: [], onlyAfter: [only("U30", g(1))] })).toEqual({
      rose: 0,
      fell: 2,
    });
    // A unit in another group in the compared cycle left the base's ranking as one merged away did.
    const moved = [shared("U8", g(1), { group: "h", rank: 1 }), shared("U2", g(2), g(1))];
    expect(poolMoves(moved, { onlyBefore: [], onlyAfter: [] })).toEqual({ rose: 1, fell: 0 });
  });

  it("counts each group's pool apart, and never a unit that moved group or stood still", () => {
    const units = [
      shared("A2", g(2), g(1)),
      shared("B1", { group: "h", rank: 1 }, { group: "h", rank: 1 }),
      shared("M", g(3), { group: "h", rank: 2 }),
    ];
    // A unit only the base cycle held in group h, above nobody who moved: A2's rise is its own.
    expect(poolMoves(units, { onlyBefore: [only("X", { group: "h", rank: 1 })], onlyAfter: [] })).toEqual({
      rose: 0,
      fell: 0,
    });
  });

  // Ranks as the engine gives them: one more than the units above (ties share the better rank).
  const ranked = (totals: readonly number[]) => totals.map((t) => 1 + totals.filter((o) => o > t).length);

  it("counts every unit that moved where the units both cycles rank keep their order", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            total: fc.integer({ min: 0, max: 20 }),
            side: fc.constantFrom("both", "before", "after"),
          }),
          {
            maxLength: 25,
          },
        ),
        (members) => {
          // The shared units' totals the same on both sides: their order among themselves holds.
          const before = members.filter((m) => m.side !== "after");
          const after = members.filter((m) => m.side !== "before");
          const rb = ranked(before.map((m) => m.total));
          const ra = ranked(after.map((m) => m.total));
          const units: WhatIfUnit[] = [];
          const onlyBefore: OneSidedUnit[] = [];
          const onlyAfter: OneSidedUnit[] = [];
          members.forEach((m, i) => {
            const b = before.indexOf(m);
            const a = after.indexOf(m);
            if (m.side === "both") units.push(shared(`U${i}`, g(rb[b]!), g(ra[a]!)));
            else if (m.side === "before") onlyBefore.push(only(`U${i}`, g(rb[b]!)));
            else onlyAfter.push(only(`U${i}`, g(ra[a]!)));
          });
          const moved = (d: (x: number) => boolean) => units.filter((u) => d(u.rankDelta ?? 0)).length;
          expect(poolMoves(units, { onlyBefore, onlyAfter })).toEqual({
            rose: moved((d) => d < 0),
            fell: moved((d) => d > 0),
          });
        },
      ),
    );
  });
});
