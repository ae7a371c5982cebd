import { cmp, parseDecimal, type Rational } from "../rational.js";
import type { GradeRule, Scheme } from "../scheme/scheme-schema.js";
import { compareStanding, type RankEntry, sameStanding } from "./competition-ranking.js";

export interface GradeCandidate {
  entry: RankEntry;
  group: string;
  /** Quota grades are given only within ranked groups (unranked groups get threshold grades). */
  ranked: boolean;
  eligibleForExcellence: boolean;
}

export interface GradeAward {
  grade: { id: string; name: string };
  /** Why this grade: the rule, threshold and quota position, in words. */
  reason: string;
}

/**
 * Grades (等次) by threshold, by quota, or both. Rules are tried in order; a unit gets the
 * first rule that admits it. A quota is filled best first; units tied with the last one
 * admitted share its grade even if that exceeds the quota, as tied units share a rank.
 * Percent quotas round down: "30% of 29 units" admits 8, never 9.
 */
export function assignGrades(
  grades: Scheme["grades"],
  candidates: readonly GradeCandidate[],
): Map<string, GradeAward> {
  const out = new Map<string, GradeAward>();
  const sorted = [...candidates].sort((a, b) => compareStanding(a.entry, b.entry));
  for (const rule of grades.rules) {
    const minTotal = rule.minTotal === undefined ? undefined : parseDecimal(rule.minTotal);
    const admissible = sorted.filter((c) => !out.has(c.entry.unit) && admits(rule, minTotal, c));
    if (!rule.quota) {
      for (const c of admissible) out.set(c.entry.unit, { grade: rule, reason: thresholdReason(rule) });
      continue;
    }
    const quota = rule.quota;
    const scopeOf = (c: GradeCandidate) => (quota.scope === "group" ? c.group : "");
    const scopes = new Map<string, GradeCandidate[]>();
    for (const c of admissible) {
      if (!c.ranked) continue;
      const list = scopes.get(scopeOf(c));
      if (list) list.push(c);
      else scopes.set(scopeOf(c), [c]);
    }
    // A percent quota is of every ranked unit in the scope, admitted or not.
    const populations = new Map<string, number>();
    for (const c of candidates)
      if (c.ranked) populations.set(scopeOf(c), (populations.get(scopeOf(c)) ?? 0) + 1);
    for (const [scope, list] of scopes) {
      const population = populations.get(scope) ?? 0;
      const limit = quotaLimit(quota, population);
      let taken = 0;
      for (let i = 0; i < list.length; i++) {
        const c = list[i]!;
        const prev = list[i - 1];
        const tiedWithLast =
          prev !== undefined && out.get(prev.entry.unit) !== undefined && sameStanding(prev.entry, c.entry);
        if (taken >= limit && !tiedWithLast) break;
        taken++;
        const where = quota.scope === "group" ? `group ${scope}` : "all ranked units";
        const tie = taken > limit ? " (tied with the last within the quota)" : "";
        out.set(c.entry.unit, {
          grade: rule,
          reason: `${rule.name}: place ${taken} of a quota of ${limit} in ${where}${tie}${rule.minTotal !== undefined ? `, total ≥ ${rule.minTotal}` : ""}`,
        });
      }
    }
  }
  if (grades.fallback) {
    for (const c of candidates)
      if (!out.has(c.entry.unit))
        out.set(c.entry.unit, {
          grade: grades.fallback,
          reason: `${grades.fallback.name}: no other grade applies`,
        });
  }
  return out;
}

/** `minTotal` is the rule's threshold, read once per rule rather than once per unit. */
function admits(rule: GradeRule, minTotal: Rational | undefined, c: GradeCandidate): boolean {
  if (rule.requiresExcellenceEligibility && !c.eligibleForExcellence) return false;
  if (minTotal !== undefined && cmp(c.entry.total, minTotal) < 0) return false;
  return true;
}

function quotaLimit(quota: NonNullable<GradeRule["quota"]>, population: number): number {
  if (quota.count !== undefined) return quota.count;
  const p = parseDecimal(quota.percent ?? 0);
  return Number((p.n * BigInt(population)) / (p.d * 100n));
}

function thresholdReason(rule: GradeRule): string {
  return rule.minTotal !== undefined ? `${rule.name}: total ≥ ${rule.minTotal}` : rule.name;
}
