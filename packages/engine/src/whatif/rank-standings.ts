import type { Scheme } from "../scheme/scheme-schema.js";
import { frac, fracCmp } from "./frac.js";
import { type IndexedUnits, rankIndexed } from "./rank-indexed.js";
import type { Standing } from "./standing.js";

/** Positions of each unit's id in ascending id order. */
export function idOrderOf(ids: readonly string[]): Int32Array {
  const byId = Array.from(ids, (_, i) => i).sort((a, b) =>
    ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0,
  );
  const out = new Int32Array(ids.length);
  byId.forEach((i, p) => {
    out[i] = p;
  });
  return out;
}

/** Index of each unit's group among the scheme's groups (−1 when not listed). */
export function groupIndexOf(scheme: Scheme, groups: readonly string[]): Int32Array {
  const index = new Map(scheme.groups.map((g, k) => [g.id, k]));
  return Int32Array.from(groups, (g) => index.get(g) ?? -1);
}

/**
 * Ranks, last-place award loss and grades for standings whose totals are known (exact
 * fractions), by the pipeline's rules (`rankIndexed`). Mutates the standings given.
 */
export function rankStandings(scheme: Scheme, standings: Standing[]): void {
  const tieIdx = scheme.ranking.tieBreakers.map((t) =>
    scheme.categories.findIndex((c) => c.id === t.category),
  );
  const units: IndexedUnits = {
    count: standings.length,
    groupOf: groupIndexOf(
      scheme,
      standings.map((s) => s.group),
    ),
    scored: Uint8Array.from(standings, (s) => (s.total === null ? 0 : 1)),
    forcedLast: Uint8Array.from(standings, (s) => (s.forcedLast ? 1 : 0)),
    excellence: Uint8Array.from(standings, (s) => (s.excellence ? 1 : 0)),
    idOrder: idOrderOf(standings.map((s) => s.unit)),
    compare(a, b) {
      const x = standings[a]!;
      const y = standings[b]!;
      const t = fracCmp(y.total!, x.total!);
      if (t !== 0) return t;
      for (const k of tieIdx) {
        const kx = x.points[k] ?? null;
        const ky = y.points[k] ?? null;
        if (kx === null || ky === null) continue;
        const c = fracCmp(ky, kx);
        if (c !== 0) return c;
      }
      return 0;
    },
    markAtLeast(min, out) {
      const m = frac(min);
      standings.forEach((s, i) => {
        out[i] = s.total !== null && fracCmp(s.total, m) >= 0 ? 1 : 0;
      });
    },
  };
  const r = rankIndexed(scheme, units);
  standings.forEach((s, i) => {
    s.rank = r.rank[i] === 0 ? null : r.rank[i]!;
    s.rankedInGroup = r.rankedInGroup[i]!;
    s.grade = r.grade[i] === -1 ? null : r.gradeIds[r.grade[i]!]!;
    if (r.lostAward[i]) s.award = false;
    if (r.lostExcellence[i]) s.excellence = false;
  });
}
