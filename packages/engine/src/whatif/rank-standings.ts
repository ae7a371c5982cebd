import { parseDecimal } from "../rational.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import { type Frac, frac, fracCmp } from "./frac.js";
import type { Standing } from "./standing.js";

/**
 * Ranks, last-place award loss and grades for standings whose totals are known: the same
 * rules as the evaluation pipeline (competition ranking "1224", tie-breakers, vetoes that
 * force last place, quotas filled best first with ties sharing the last place), written
 * for one sort over all units so a province-scale scenario stays in milliseconds.
 * Mutates the standings given.
 */
export function rankStandings(scheme: Scheme, standings: Standing[]): void {
  const tieIdx = scheme.ranking.tieBreakers.map((t) =>
    scheme.categories.findIndex((c) => c.id === t.category),
  );
  const tieKey = (s: Standing, i: number): Frac | null => s.points[tieIdx[i]!] ?? null;
  const standingOrder = (a: Standing, b: Standing): number => {
    if (a.forcedLast !== b.forcedLast) return a.forcedLast ? 1 : -1;
    const t = fracCmp(b.total!, a.total!);
    if (t !== 0) return t;
    for (let i = 0; i < tieIdx.length; i++) {
      const ka = tieKey(a, i);
      const kb = tieKey(b, i);
      if (ka === null || kb === null) continue;
      const c = fracCmp(kb, ka);
      if (c !== 0) return c;
    }
    return 0;
  };
  const candidates = standings.filter((s) => s.total !== null);
  candidates.sort((a, b) => standingOrder(a, b) || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
  const rankedGroup = new Map(scheme.groups.map((g) => [g.id, g.ranked]));
  for (const s of standings) {
    s.rank = null;
    s.rankedInGroup = 0;
    s.grade = null;
  }

  // Ranks: walk the global order once, keeping each group's position and previous entry.
  const perGroup = new Map<string, { count: number; prev: Standing | null; members: Standing[] }>();
  for (const s of candidates) {
    if (!rankedGroup.get(s.group)) continue;
    let g = perGroup.get(s.group);
    if (!g) {
      g = { count: 0, prev: null, members: [] };
      perGroup.set(s.group, g);
    }
    g.count++;
    s.rank = g.prev && standingOrder(g.prev, s) === 0 ? g.prev.rank : g.count;
    g.prev = s;
    g.members.push(s);
  }
  for (const g of perGroup.values()) {
    const last = g.prev!.rank;
    for (const s of g.members) {
      s.rankedInGroup = g.count;
      if (scheme.ranking.lastLosesAward && g.count > 1 && s.rank === last) s.award = false;
    }
  }

  // Grades: rules in order; each takes the best admissible units not yet graded.
  const groupPopulation = new Map<string, number>();
  for (const [id, g] of perGroup) groupPopulation.set(id, g.count);
  const rankedTotal = [...groupPopulation.values()].reduce((a, b) => a + b, 0);
  for (const rule of scheme.grades.rules) {
    const minTotal = rule.minTotal === undefined ? null : frac(parseDecimal(rule.minTotal));
    const admits = (s: Standing) =>
      s.grade === null &&
      (!rule.requiresExcellenceEligibility || s.excellence) &&
      (minTotal === null || fracCmp(s.total!, minTotal) >= 0);
    const quota = rule.quota;
    if (!quota) {
      for (const s of candidates) if (admits(s)) s.grade = rule.id;
      continue;
    }
    const limitFor = (population: number) => {
      if (quota.count !== undefined) return quota.count;
      const p = parseDecimal(quota.percent ?? 0);
      return Number((p.n * BigInt(population)) / (p.d * 100n));
    };
    const scopes = new Map<
      string,
      { taken: number; limit: number; prev: Standing | null; closed: boolean }
    >();
    for (const s of candidates) {
      if (!rankedGroup.get(s.group) || !admits(s)) continue;
      const key = quota.scope === "group" ? s.group : "";
      let sc = scopes.get(key);
      if (!sc) {
        const population = quota.scope === "group" ? groupPopulation.get(key)! : rankedTotal;
        sc = { taken: 0, limit: limitFor(population), prev: null, closed: false };
        scopes.set(key, sc);
      }
      if (sc.closed) continue;
      const tiedWithLast = sc.prev !== null && sc.prev.grade === rule.id && standingOrder(sc.prev, s) === 0;
      if (sc.taken >= sc.limit && !tiedWithLast) {
        sc.closed = true;
        continue;
      }
      sc.taken++;
      s.grade = rule.id;
      sc.prev = s;
    }
  }
  if (scheme.grades.fallback)
    for (const s of candidates) if (s.grade === null) s.grade = scheme.grades.fallback.id;
}
