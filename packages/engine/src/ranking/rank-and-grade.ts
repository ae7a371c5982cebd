import type { ExactUnit } from "../evaluation/compose.js";
import { asPublished } from "../methods/exact-text.js";
import { cmp, ZERO } from "../rational.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import type { TraceStep } from "../trace.js";
import { competitionRanking, type RankEntry } from "./competition-ranking.js";
import { assignGrades } from "./grades.js";

/**
 * How a tie on the total was settled, for the rank's explanation: " (total 80.74, as U06's;
 * ahead on public: 36.38 against 33.90)". A tie-breaker decides ranks, and with them award
 * eligibility for last place, so an auditor must see that it did and by which figures. Empty
 * when no other unit of the group has the same total.
 */
function tieText(
  scheme: CompiledScheme["scheme"],
  ranking: readonly { entry: RankEntry; rank: number }[],
  entry: RankEntry,
  rank: number,
): string {
  const decimals = scheme.rounding.decimals;
  const peers = ranking.filter(
    (r) => r.entry !== entry && !r.entry.forcedLast && cmp(r.entry.total, entry.total) === 0,
  );
  if (peers.length === 0) return "";
  const parts = peers.map(({ entry: peer, rank: theirs }) => {
    const k = scheme.ranking.tieBreakers.findIndex((_, i) => cmp(entry.tieKeys[i]!, peer.tieKeys[i]!) !== 0);
    if (k < 0) return `${peer.unit} shares rank ${theirs}`;
    const side = rank < theirs ? "ahead of" : "behind";
    return `${side} ${peer.unit} on ${scheme.ranking.tieBreakers[k]!.category}: ${asPublished(entry.tieKeys[k]!, decimals)} against ${asPublished(peer.tieKeys[k]!, decimals)}`;
  });
  const shown = parts.length > 3 ? [...parts.slice(0, 3), `${parts.length - 3} more`] : parts;
  return ` (total ${asPublished(entry.total, decimals)} tied: ${shown.join("; ")})`;
}

/** Ranks within ranked groups, flags the last-ranked, then grades. Mutates the units given. */
export function rankAndGrade(
  compiled: CompiledScheme,
  units: ExactUnit[],
  note: (trace: TraceStep[], step: string, text: () => string) => void,
): void {
  const { scheme } = compiled;
  const entries = new Map<string, RankEntry>();
  for (const u of units) {
    if (u.total === null) continue;
    const tieKeys = scheme.ranking.tieBreakers.map(
      (t) => u.categories.find((c) => c.category === t.category)?.points ?? ZERO,
    );
    entries.set(u.unit.id, { unit: u.unit.id, total: u.total, tieKeys, forcedLast: u.forcedLast });
  }
  const ranked = new Map(scheme.groups.map((g) => [g.id, g.ranked]));
  const byId = new Map(units.map((u) => [u.unit.id, u]));
  const membersOf = new Map<string, ExactUnit[]>();
  for (const u of units) {
    if (!entries.has(u.unit.id)) continue;
    const list = membersOf.get(u.unit.group);
    if (list) list.push(u);
    else membersOf.set(u.unit.group, [u]);
  }
  for (const group of scheme.groups) {
    if (!group.ranked) continue;
    const members = membersOf.get(group.id) ?? [];
    const ranking = competitionRanking(members.map((m) => entries.get(m.unit.id)!));
    // Units that all share first place have no last among them: none loses its award for it.
    const last = ranking[ranking.length - 1]?.rank;
    for (const { entry, rank } of ranking) {
      const u = byId.get(entry.unit)!;
      u.rank = rank;
      u.rankedInGroup = ranking.length;
      note(
        u.trace,
        "rank",
        () =>
          `${rank} of ${ranking.length} in group ${group.id}${u.forcedLast ? " (placed last by a veto)" : tieText(scheme, ranking, entry, rank)}`,
      );
      if (scheme.ranking.lastLosesAward && last !== 1 && rank === last) {
        u.reasons.push({
          kind: "last-ranked",
          excellence: false,
          award: true,
          text: `last in group ${group.id} (rank ${rank} of ${ranking.length})`,
        });
        u.eligibleForAward = false;
      }
    }
  }
  const grades = assignGrades(
    scheme.grades,
    units
      .filter((u) => entries.has(u.unit.id))
      .map((u) => ({
        entry: entries.get(u.unit.id)!,
        group: u.unit.group,
        ranked: ranked.get(u.unit.group) ?? false,
        eligibleForExcellence: u.eligibleForExcellence,
      })),
  );
  for (const u of units) {
    const g = grades.get(u.unit.id);
    if (!g) continue;
    u.grade = g;
    note(u.trace, "grade", () => g.reason);
  }
}
