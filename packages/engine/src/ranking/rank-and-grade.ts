import type { ExactUnit } from "../evaluation/compose.js";
import { asPublished } from "../methods/exact-text.js";
import { andList } from "../methods/trace-list.js";
import { cmp, ZERO } from "../rational.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import type { TraceStep } from "../trace.js";
import { competitionRanking, type RankEntry } from "./competition-ranking.js";
import { assignGrades } from "./grades.js";

/**
 * How a tie on the total was settled, for the rank's explanation: "total 80.74 tied: ahead of
 * U06 on public: 36.38 against 33.90". A tie-breaker decides ranks, and with them award
 * eligibility for last place, so an auditor must see that it did and by which figures. Empty
 * when no other unit of the group has the same total. Units placed last by a veto tie only among
 * themselves, as they are ranked. The ranking is in standing order, so the units tied with the
 * one at `at` are its neighbours (a veto's forced last places come after all others): a scan of
 * them, not of the group, keeps a province's traced evaluation linear.
 */
function tieText(
  scheme: CompiledScheme["scheme"],
  ranking: readonly { entry: RankEntry; rank: number }[],
  at: number,
): string {
  const { entry, rank } = ranking[at]!;
  const tied = (k: number) =>
    ranking[k]!.entry.forcedLast === entry.forcedLast && cmp(ranking[k]!.entry.total, entry.total) === 0;
  let lo = at;
  let hi = at;
  while (lo > 0 && tied(lo - 1)) lo--;
  while (hi < ranking.length - 1 && tied(hi + 1)) hi++;
  if (lo === hi) return "";
  const decimals = scheme.rounding.decimals;
  const parts: string[] = [];
  for (let k = lo; k <= hi && parts.length <= 3; k++) {
    if (k === at) continue;
    const { entry: peer, rank: theirs } = ranking[k]!;
    const t = scheme.ranking.tieBreakers.findIndex((_, i) => cmp(entry.tieKeys[i]!, peer.tieKeys[i]!) !== 0);
    parts.push(
      t < 0
        ? `${peer.unit} shares rank ${theirs}`
        : `${rank < theirs ? "ahead of" : "behind"} ${peer.unit} on ${scheme.ranking.tieBreakers[t]!.category}: ${asPublished(entry.tieKeys[t]!, decimals)} against ${asPublished(peer.tieKeys[t]!, decimals)}`,
    );
  }
  const others = hi - lo;
  const shown = others > 3 ? [...parts.slice(0, 3), `${others - 3} more`] : parts;
  return `total ${asPublished(entry.total, decimals)} tied: ${shown.join("; ")}`;
}

/**
 * Which other units a veto placed last with `unit`, for its rank's explanation: "placed last by
 * a veto, as are U3 and U7: all 3 are last". Every one of them is last whatever its rank, so two
 * at "rank 12 of 13" (equal totals) or at 12 and 13 read as a mistake without it. `lastByVeto`
 * is the group's forced last places in standing order, then its vetoed units without a total
 * (last too, with no rank); at most three others are named, as other notes do.
 */
function vetoLastText(lastByVeto: readonly string[], unit: string): string {
  const count = lastByVeto.length;
  if (count < 2) return "placed last by a veto";
  const others: string[] = [];
  for (let k = 0; k < count && others.length < 4; k++)
    if (lastByVeto[k] !== unit) others.push(lastByVeto[k]!);
  const named = count - 1 > 3 ? `${others.slice(0, 3).join(", ")} and ${count - 4} more` : andList(others);
  return `placed last by a veto, as ${count === 2 ? "is" : "are"} ${named}: ${count === 2 ? "both" : `all ${count}`} are last`;
}

/** The units at the end of a ranking (standing order) a veto placed last, in that order. */
function vetoedLast(ranking: readonly { entry: RankEntry }[]): string[] {
  let count = 0;
  while (count < ranking.length && ranking[ranking.length - 1 - count]!.entry.forcedLast) count++;
  return ranking.slice(ranking.length - count).map((r) => r.entry.unit);
}

/**
 * Which places of a group's ranking (standing order) are last, for last place's consequences.
 * A veto that places a unit last (直接定为末位) makes it last whatever its rank: two such units
 * are both last, ranked between themselves by their totals, and the lowest unit without one
 * keeps its eligibility. So it does where the vetoed unit has no total (`vetoedUnranked`), and
 * so no rank: the veto, not a missing score, decides who is the group's worst, and the lowest
 * ranked unit does not lose its award for the other's missing score. Without such a veto the
 * units tied for the lowest rank are last, and units that all share first place have no last
 * among them.
 */
function lastPlaces(
  ranking: readonly { entry: RankEntry; rank: number }[],
  vetoedUnranked: boolean,
): (at: number) => boolean {
  const n = ranking.length;
  // Forced last places come after all others: the group has one when its bottom unit has.
  if (vetoedUnranked || (n > 0 && ranking[n - 1]!.entry.forcedLast))
    return (at) => ranking[at]!.entry.forcedLast;
  const last = ranking[n - 1]?.rank;
  return (at) => last !== 1 && ranking[at]!.rank === last;
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
  // Units a veto places last that have no total: no rank, but their group's last all the same.
  const vetoedUnranked = new Map<string, ExactUnit[]>();
  for (const u of units) {
    const into = entries.has(u.unit.id) ? membersOf : u.forcedLast ? vetoedUnranked : null;
    if (!into) continue;
    const list = into.get(u.unit.group);
    if (list) list.push(u);
    else into.set(u.unit.group, [u]);
  }
  const { lastLosesAward, lastLosesExcellence } = scheme.ranking;
  /** What last place costs `u`, its reason saying where it stands ("rank 3 of 3, placed last by a veto"). */
  const loseLastPlace = (u: ExactUnit, group: string, where: string) => {
    u.reasons.push({
      kind: "last-ranked",
      excellence: lastLosesExcellence,
      award: lastLosesAward,
      // By default last place costs the award, and the text has always said only where the unit
      // stands; where it costs excellence, the text says so, since the grade moves with it.
      text: `last in group ${group} (${where})${lastLosesExcellence ? (lastLosesAward ? ": no award, and not eligible for excellence" : ": not eligible for excellence") : ""}`,
    });
    if (lastLosesAward) u.eligibleForAward = false;
    // Before grades: the grade rules that need excellence pass this unit over.
    if (lastLosesExcellence) u.eligibleForExcellence = false;
  };
  for (const group of scheme.groups) {
    if (!group.ranked) continue;
    const members = membersOf.get(group.id) ?? [];
    const ranking = competitionRanking(members.map((m) => entries.get(m.unit.id)!));
    const unranked = vetoedUnranked.get(group.id) ?? [];
    const isLast = lastPlaces(ranking, unranked.length > 0);
    const lastByVeto = [...vetoedLast(ranking), ...unranked.map((u) => u.unit.id)];
    for (const [at, { entry, rank }] of ranking.entries()) {
      const u = byId.get(entry.unit)!;
      u.rank = rank;
      note(u.trace, "rank", () => {
        const why = [
          entry.forcedLast ? vetoLastText(lastByVeto, entry.unit) : "",
          tieText(scheme, ranking, at),
        ];
        const said = why.filter((w) => w !== "").join("; ");
        return `${rank} of ${ranking.length} in group ${group.id}${said ? ` (${said})` : ""}`;
      });
      if ((lastLosesAward || lastLosesExcellence) && isLast(at))
        loseLastPlace(
          u,
          group.id,
          `rank ${rank} of ${ranking.length}${entry.forcedLast ? ", placed last by a veto" : ""}`,
        );
    }
    // Its veto's reason names the incident, not last place: the reason says it holds it, as a
    // vetoed unit with a rank is told (its missing score has cost the award already).
    if (lastLosesAward || lastLosesExcellence)
      for (const u of unranked) loseLastPlace(u, group.id, "no rank without a total, placed last by a veto");
  }
  // "of 29" for every unit of a ranked group, one without a total too (shown "— of 29").
  for (const u of units)
    if (ranked.get(u.unit.group)) u.rankedInGroup = membersOf.get(u.unit.group)?.length ?? 0;
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
