import { movedGroup } from "./moved-group";
import type { WhatIfUnit } from "./whatif-api";
import type { OneSidedUnit } from "./year-on-year-api";

/**
 * How many of the units that rose, and of those that fell, moved only because units left or
 * joined their group's ranking: a bureau merged away above them (only in the base cycle), a
 * department set up (only in the compared one), a unit without a total on one side or in another
 * group there. Among the units ranked in their group in both cycles each kept its place; an
 * analyst reading "rose" would take it for the unit doing better.
 *
 * A rank is one more than the units ranked above it (ties share the better rank), so a unit's
 * rank change is the change in the units both sides rank above it, plus those that joined above
 * it, less those that left from above it: it moved only by the pool where the first is nought.
 * `units` must hold every shared unit of each group a counted unit stands in (the gateway's
 * rows of one group are those standing in it on either side); `oneSided` may be of any group.
 */
export function poolMoves(
  units: readonly WhatIfUnit[],
  oneSided: { onlyBefore: readonly OneSidedUnit[]; onlyAfter: readonly OneSidedUnit[] },
): { rose: number; fell: number } {
  // Rank on one side of each unit ranked in a group on that side only, by group.
  const left = new Map<string, number[]>();
  const joined = new Map<string, number[]>();
  const add = (pool: Map<string, number[]>, group: string, rank: number) => {
    const ranks = pool.get(group);
    if (ranks) ranks.push(rank);
    else pool.set(group, [rank]);
  };
  for (const o of oneSided.onlyBefore)
    if (o.standing.rank !== null) add(left, o.standing.group, o.standing.rank);
  for (const o of oneSided.onlyAfter)
    if (o.standing.rank !== null) add(joined, o.standing.group, o.standing.rank);
  for (const u of units) {
    const { baseline: b, scenario: a } = u;
    const same = !movedGroup(u);
    if (b.rank !== null && (a.rank === null || !same)) add(left, b.group, b.rank);
    if (a.rank !== null && (b.rank === null || !same)) add(joined, a.group, a.rank);
  }
  const above = (pool: Map<string, number[]>, group: string, rank: number) =>
    (pool.get(group) ?? []).filter((r) => r < rank).length;
  let rose = 0;
  let fell = 0;
  for (const u of units) {
    const { baseline: b, scenario: a } = u;
    if (movedGroup(u) || b.rank === null || a.rank === null || !u.rankDelta) continue;
    const byPool = above(joined, a.group, a.rank) - above(left, b.group, b.rank);
    if (byPool !== u.rankDelta) continue;
    if (u.rankDelta < 0) rose++;
    else fell++;
  }
  return { rose, fell };
}
