import { InputError, received } from "../input-error.js";
import { cmp, type Rational } from "../rational.js";
import { isExactValue } from "../rational-argument.js";

/** One unit's standing for ranking: its total, then tie-breaker keys in order (higher is better). */
export interface RankEntry {
  unit: string;
  total: Rational;
  tieKeys: readonly Rational[];
  /**
   * Ranked after every unit without this flag (a veto that forces last place). Required, true
   * or false: `competitionRanking` refuses an entry without it.
   */
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
 * Items sorted best first, as `compareStanding` orders their entries. Each total is read
 * once into a double: two totals whose doubles differ stand in that order (a fraction whose
 * parts are below 2^53 converts to its nearest double, and rounding to nearest keeps order),
 * so only totals with equal doubles are compared as fractions. Totals rounded to 0.01 have
 * different denominators in lowest terms (8523/100, 17/2), where a comparison of fractions
 * multiplies across: 10,000 grade candidates were sorted that way.
 */
export function sortByStanding<T>(items: readonly T[], entryOf: (item: T) => RankEntry): T[] {
  const keyed = items.map((item) => {
    const entry = entryOf(item);
    const { n, d } = entry.total;
    const exact = n < DOUBLE_EXACT && n > -DOUBLE_EXACT && d < DOUBLE_EXACT;
    return { item, entry, total: exact ? Number(n) / Number(d) : Number.NaN };
  });
  keyed.sort((a, b) => {
    if (a.entry.forcedLast === b.entry.forcedLast && a.total !== b.total) {
      // NaN (parts past 2^53) differs from everything: those compare as fractions.
      if (!Number.isNaN(a.total) && !Number.isNaN(b.total)) return b.total - a.total;
    }
    return compareStanding(a.entry, b.entry);
  });
  return keyed.map((k) => k.item);
}

/** Whole numbers below this convert to doubles exactly. */
const DOUBLE_EXACT = 2n ** 53n;

/**
 * Standard competition ranking ("1224"): units equal on total and every tie-breaker share
 * the better rank, and the next rank skips. Returns entries best first with their rank.
 * Throws an InputError naming the entry when a total or tie key is not an exact value, or
 * `forcedLast` is not true or false.
 */
export function competitionRanking(entries: readonly RankEntry[]): { entry: RankEntry; rank: number }[] {
  // Exported for embedders' own rankings: a total given as a number (80) compared as equal to
  // every other, so all stood first. The engine's own callers pay one test per entry.
  if (!Array.isArray(entries))
    throw new InputError("argument", [{ path: ["entries"], message: "must be a list of entries to rank" }]);
  entries.forEach((e, i) => {
    if (!isExactValue(e?.total) || !Array.isArray(e.tieKeys) || !e.tieKeys.every(isExactValue))
      throw new InputError("argument", [
        {
          path: ["entries", i],
          message:
            "must have a total and tieKeys that are exact values, as parseDecimal gives them ({ n, d } bigints, d above 0), not numbers or text",
        },
      ]);
    // A missing flag is not "false" to the comparator (undefined !== false): the order would
    // depend on the input's, with a 90 ranked below a 70.
    if (typeof e.forcedLast !== "boolean")
      throw new InputError("argument", [
        {
          path: ["entries", i, "forcedLast"],
          message: `must be true or false; got ${received(e.forcedLast)}`,
        },
      ]);
  });
  const sorted = sortByStanding(entries, (e) => e);
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
