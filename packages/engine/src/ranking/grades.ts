import { cmp, parseDecimal, type Rational } from "../rational.js";
import type { GradeRule, Scheme } from "../scheme/scheme-schema.js";
import { type RankEntry, sameStanding, sortByStanding } from "./competition-ranking.js";
import { fillQuota, quotaLimiter, quotaPopulation } from "./grade-quota.js";
import { quotaBasis } from "./quota-notes.js";

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
 * first rule that admits it. A quota is filled best first, or worst first for a bottom quota
 * ("the last 10% of those below 60"); units tied with the last one admitted share its grade
 * even if that exceeds the quota, as tied units share a rank, unless its `ties` are "exclude"
 * (none of them gets it). Percent quotas round as their `rounding` says, down by default:
 * "30% of 29 units" admits 8, never 9.
 */
export function assignGrades(
  grades: Scheme["grades"],
  candidates: readonly GradeCandidate[],
): Map<string, GradeAward> {
  const out = new Map<string, GradeAward>();
  // A unit a quota rule admitted but whose places went to others says so in the grade right after
  // that rule's, or a unit above the excellent line graded good reads as a mistake ("why not
  // excellent?"). Not further down: a unit graded pass missed more than a quota.
  const missed = new Map<string, { rule: number; note: string }>();
  // A later rule's note replaces an earlier one's: only the note of the rule right before the
  // grade a unit gets is shown, so a unit that missed 优秀 and then 良好 must keep 良好's.
  const missedBefore = (unit: string, index: number) => (missed.get(unit)?.rule ?? -1) < index;
  let ruleIndex = 0;
  const award = (unit: string, grade: GradeAward["grade"], reason: string) => {
    const m = missed.get(unit);
    const note = m !== undefined && m.rule === ruleIndex - 1 ? ` (${m.note})` : "";
    out.set(unit, { grade, reason: `${reason}${note}` });
  };
  const sorted = sortByStanding(candidates, (c) => c.entry);
  for (const [index, rule] of grades.rules.entries()) {
    ruleIndex = index;
    const line = linesOf(rule);
    const admissible = sorted.filter((c) => !out.has(c.entry.unit) && admits(rule, line, c));
    // A unit the grade's total admits but its eligibility does not (a veto) says so in the grade it
    // gets instead: "良好 good: total ≥ 75" alone left the reader to connect it with the veto.
    if (rule.requiresExcellenceEligibility)
      for (const c of sorted)
        if (
          !c.eligibleForExcellence &&
          !out.has(c.entry.unit) &&
          !missed.has(c.entry.unit) &&
          admitsTotal(rule, line, c.entry.total, true)
        )
          missed.set(c.entry.unit, {
            rule: index,
            note: `${rule.name} needs eligibility for excellence, which it lacks`,
          });
    if (!rule.quota) {
      for (const c of admissible) award(c.entry.unit, rule, thresholdReason(rule));
      continue;
    }
    const quota = rule.quota;
    const scopeOf = (c: GradeCandidate) => (quota.scope === "group" ? c.group : "");
    // Each scope's ranked units, best first: a percent is of all of them, admitted or not.
    const scopes = new Map<string, GradeCandidate[]>();
    for (const c of sorted) {
      if (!c.ranked) continue;
      const list = scopes.get(scopeOf(c));
      if (list) list.push(c);
      else scopes.set(scopeOf(c), [c]);
    }
    const admitted = new Set(admissible);
    const limitOf = quotaLimiter(quota);
    for (const [scope, list] of scopes) {
      const order = list.map((_, i) => i);
      const admitsAt = (i: number) => admitted.has(list[i]!);
      const population = quotaPopulation(quota, order, admitsAt);
      const limit = limitOf(population);
      const where = quota.scope === "group" ? `group ${scope}` : "all ranked units";
      const of = quotaBasis(quota, population);
      const passedOver = passedOverOf(rule, list, quota.from === "bottom");
      // A tied group the quota left out (ties: "exclude"), and the places it left empty.
      const leftOut: number[] = [];
      let empty = 0;
      fillQuota(
        quota,
        order,
        limit,
        admitsAt,
        (a, b) => sameStanding(list[a]!.entry, list[b]!.entry),
        (i, place) => {
          const tie = place > limit ? " (tied with the last within the quota)" : "";
          const from = quota.from === "bottom" ? " from the bottom" : "";
          award(
            list[i]!.entry.unit,
            rule,
            `${rule.name}: place ${place}${from} of a quota of ${limit}${of} in ${where}${tie}${passedOver(i)}${lineText(rule)}`,
          );
        },
        (i, places) => {
          leftOut.push(i);
          empty = places;
        },
      );
      const quotaText = `${rule.name}'s quota of ${limit}${of} in ${where}`;
      // A group that ties for the last places and would pass the limit is told why none of it
      // got the grade: a unit with the total of one graded excellent elsewhere reads as a mistake.
      if (leftOut.length > 0) {
        const from = quota.from === "bottom" ? " from the bottom" : "";
        const note = `${quotaText}: ${tiedText(list, leftOut)} for the last ${places(empty)}${from}, none given ${rule.name} (ties: exclude)`;
        for (const i of leftOut) {
          const unit = list[i]!.entry.unit;
          if (missedBefore(unit, index)) missed.set(unit, { rule: index, note });
        }
      }
      // A quota of none was filled by no one: a unit it admits is told so, or one at 95 read only
      // "no other grade applies", and 10% of 7 units (0.7, rounded down) stayed unseen.
      const side = quota.from === "bottom" ? "below" : "above";
      const note =
        limit === 0
          ? `${rule.name}'s quota is 0 places${of} in ${where}`
          : leftOut.length > 0
            ? `${quotaText} ended ${side} it, ${places(empty)} left empty by a tie (ties: exclude)`
            : `${quotaText} was filled ${side} it`;
      for (let i = 0; i < list.length; i++) {
        const unit = list[i]!.entry.unit;
        if (admitsAt(i) && !out.has(unit) && missedBefore(unit, index))
          missed.set(unit, { rule: index, note });
      }
    }
  }
  if (grades.fallback) {
    ruleIndex = grades.rules.length;
    for (const c of candidates)
      if (!out.has(c.entry.unit))
        award(c.entry.unit, grades.fallback, `${grades.fallback.name}: no other grade applies`);
  }
  return out;
}

/**
 * For a quota over `list`, the words naming the units standing before place-holder `i` (above it,
 * or below for a quota from the bottom) that the rule passed over for want of eligibility: why a
 * unit ranked 9th holds place 8. A unit tied with it is neither: it shares its rank, whichever
 * comes first in `list`. The ineligible are found once per scope: a few vetoed units, not a scan
 * of the scope per place (a province's overall quota has thousands of places).
 */
function passedOverOf(
  rule: GradeRule,
  list: readonly GradeCandidate[],
  fromBottom: boolean,
): (i: number) => string {
  if (!rule.requiresExcellenceEligibility) return () => "";
  const barred: number[] = [];
  for (let k = 0; k < list.length; k++) if (!list[k]!.eligibleForExcellence) barred.push(k);
  if (barred.length === 0) return () => "";
  if (fromBottom) barred.reverse();
  return (i) => {
    const before = barred
      .filter((k) => (fromBottom ? k > i : k < i) && !sameStanding(list[k]!.entry, list[i]!.entry))
      .map((k) => list[k]!.entry.unit);
    if (before.length === 0) return "";
    const shown =
      before.length > 3
        ? `${before.slice(0, 3).join(", ")} and ${before.length - 3} more`
        : before.join(", ");
    return ` (${shown} ${fromBottom ? "below" : "above"} it not eligible)`;
  };
}

/**
 * How many units tie at a quota's boundary, for the note of a tied group left out: "3 units tied
 * at the boundary, of which the rule admits 2,". Only those the rule admits (`leftOut`) take places,
 * but a reader holds the note against the ranking, where every unit of the tie shares the rank:
 * one not eligible counted there and not here read as a miscount. Tied units stand together in
 * `list` (best first), so the tie is a scan of its neighbours.
 */
function tiedText(list: readonly GradeCandidate[], leftOut: readonly number[]): string {
  const at = leftOut[0]!;
  const tied = (k: number) => sameStanding(list[k]!.entry, list[at]!.entry);
  let lo = at;
  let hi = at;
  while (lo > 0 && tied(lo - 1)) lo--;
  while (hi < list.length - 1 && tied(hi + 1)) hi++;
  const all = hi - lo + 1;
  return all === leftOut.length
    ? `${all} units tied at the boundary`
    : `${all} units tied at the boundary, of which the rule admits ${leftOut.length},`;
}

/** "1 place", "2 places". */
function places(n: number): string {
  return n === 1 ? "1 place" : `${n} places`;
}

export interface Lines {
  min: Rational | undefined;
  below: Rational | undefined;
}

/** The rule's threshold and line, read once per rule rather than once per unit. */
export function linesOf(rule: GradeRule): Lines {
  return {
    min: rule.minTotal === undefined ? undefined : parseDecimal(rule.minTotal),
    below: rule.belowTotal === undefined ? undefined : parseDecimal(rule.belowTotal),
  };
}

function admits(rule: GradeRule, line: Lines, c: GradeCandidate): boolean {
  return admitsTotal(rule, line, c.entry.total, c.eligibleForExcellence);
}

/** Whether a rule's eligibility, threshold and line admit a total (its quota aside). */
export function admitsTotal(rule: GradeRule, line: Lines, total: Rational, eligible: boolean): boolean {
  if (rule.requiresExcellenceEligibility && !eligible) return false;
  if (line.min !== undefined && cmp(total, line.min) < 0) return false;
  if (line.below !== undefined && cmp(total, line.below) >= 0) return false;
  return true;
}

function lineText(rule: GradeRule): string {
  return `${rule.minTotal !== undefined ? `, total ≥ ${rule.minTotal}` : ""}${rule.belowTotal !== undefined ? `, total < ${rule.belowTotal}` : ""}`;
}

function thresholdReason(rule: GradeRule): string {
  const line = lineText(rule);
  return line ? `${rule.name}:${line.slice(1)}` : rule.name;
}
