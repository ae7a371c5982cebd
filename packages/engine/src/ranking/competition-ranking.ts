import { cmp, type Rational } from "../rational.js";

/** One unit's standing for ranking: its total, then tie-breaker keys in order (higher is better). */
export interface RankEntry {
  unit: string;
  total: Rational;
  tieKeys: readonly Rational[];
  /** Ranked after every unit without this flag (a veto that forces last place). */
  forcedLast: boolean;
}

/** Orders entries best first; unit id last so the order is total and reproducible. */
export function compareStanding(a: RankEntry, b: RankEntry): number {
  return standingOrder(a, b) || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0);
}

/** 0 when two entries stand equal on every key: they share a rank. */
function standingOrder(a: RankEntry, b: RankEntry): number {
  if (a.forcedLast !== b.forcedLast) return a.forcedLast ? 1 : -1;
  const byTotal = cmp(b.total, a.total);
  if (byTotal !== 0) return byTotal;
  for (let i = 0; i < Math.max(a.tieKeys.length, b.tieKeys.length); i++) {
    const ka = a.tieKeys[i];
    const kb = b.tieKeys[i];
    if (ka === undefined || kb === undefined) continue;
    const c = cmp(kb, ka);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Standard competition ranking ("1224"): units equal on total and every tie-breaker share
 * the better rank, and the next rank skips. Returns entries best first with their rank.
 */
export function competitionRanking(entries: readonly RankEntry[]): { entry: RankEntry; rank: number }[] {
  const sorted = [...entries].sort(compareStanding);
  const out: { entry: RankEntry; rank: number }[] = [];
  sorted.forEach((entry, i) => {
    const prev = out[i - 1];
    const rank = prev && standingOrder(prev.entry, entry) === 0 ? prev.rank : i + 1;
    out.push({ entry, rank });
  });
  return out;
}

/** True when two entries tie on every ranking key (used where quotas meet ties). */
export function sameStanding(a: RankEntry, b: RankEntry): boolean {
  return standingOrder(a, b) === 0;
}
