import { fillQuota, quotaLimiter, quotaPopulation } from "../ranking/grade-quota.js";
import { parseDecimal, type Rational } from "../rational.js";
import type { Scheme } from "../scheme/scheme-schema.js";

/**
 * What ranking and grading read of units addressed by index, whichever way their totals
 * are held (exact fractions in standings, whole 10^−decimals units in columns).
 */
export interface IndexedUnits {
  readonly count: number;
  /** Index into `groups` (the scheme's groups), −1 for a group the scheme does not list. */
  readonly groupOf: Int32Array;
  /** 1 when the unit has a total. */
  readonly scored: Uint8Array;
  readonly forcedLast: Uint8Array;
  /** 1 when no veto (or missing score) bars the unit from grades that require eligibility. */
  readonly excellence: Uint8Array;
  /** Position of the unit's id in ascending id order: the last tie-breaker. */
  readonly idOrder: Int32Array;
  /**
   * Negative when a is ahead of b by total then tie-breakers, 0 when they stand equal
   * (forced-last vetoes are applied around it); both scored.
   */
  compare(a: number, b: number): number;
  /** Sets out[i] to 1 for every scored unit whose total is at least `min` (others to 0). */
  markAtLeast(min: Rational, out: Uint8Array): void;
  /**
   * Optional: a whole number per scored unit, ascending in standing order with forced-last
   * vetoes applied, equal exactly when two units stand equal; with `byIdOrder` (the unit at
   * each id position) it lets groups be sorted natively on packed numbers.
   */
  readonly standingKey?: Float64Array | undefined;
  readonly byIdOrder?: Int32Array | undefined;
}

/** Ranks, grades (as indices into `gradeIds`) and award loss, by unit index. */
export interface IndexedRanking {
  /** 0 when unranked. */
  readonly rank: Int32Array;
  readonly rankedInGroup: Int32Array;
  /** Index into `gradeIds`, −1 for none. */
  readonly grade: Int16Array;
  /**
   * 1 when the unit is last in its group (placed last by a veto, with a total or not, or of the
   * lowest rank) and the scheme takes the award from the last.
   */
  readonly lostAward: Uint8Array;
  /** 1 when the unit is last in its group, as above, and the scheme takes eligibility for excellence from the last. */
  readonly lostExcellence: Uint8Array;
  readonly gradeIds: readonly string[];
  /**
   * The ranked units of each group, best first and equal standings by id:
   * group g's are members[groupStart[g] … groupStart[g + 1]). Comparisons read rank
   * agreement straight from these orders instead of sorting again.
   */
  readonly members: Int32Array;
  readonly groupStart: Int32Array;
}

/** The grade ids a ranking can give, in the order `IndexedRanking.grade` indexes them. */
export function gradeIdsOf(scheme: Scheme): string[] {
  // A loop, not map's callback: inlined into a scenario's ranking, the callback deoptimised
  // it in every scenario for want of type feedback.
  const ids: string[] = [];
  for (const r of scheme.grades.rules) ids.push(r.id);
  if (scheme.grades.fallback) ids.push(scheme.grades.fallback.id);
  return ids;
}

/**
 * The evaluation pipeline's ranking and grading rules over indexed units: competition
 * ranks ("1224") within ranked groups, forced-last vetoes after everyone, tie-breakers,
 * last place losing the award, then grade rules in order — a quota filled from the top or
 * the bottom (ties with the last admitted unit share it, or under `ties: "exclude"` are left
 * out whole), or a threshold or line over every
 * scored unit — and the fallback grade. One implementation serves both representations, so
 * a scenario computed in columns and one computed in fractions cannot rank differently.
 */
export function rankIndexed(scheme: Scheme, units: IndexedUnits, hint?: IndexedRanking): IndexedRanking {
  const n = units.count;
  const G = scheme.groups.length;
  const { groupOf, scored, idOrder, forcedLast } = units;
  const key = units.standingKey;
  const standing = key
    ? (a: number, b: number) => key[a]! - key[b]!
    : (a: number, b: number) =>
        forcedLast[a] !== forcedLast[b] ? forcedLast[a]! - forcedLast[b]! : units.compare(a, b);
  const order = (a: number, b: number) => standing(a, b) || idOrder[a]! - idOrder[b]!;
  // One buffer for every group's packed keys.
  const packed = key && units.byIdOrder ? new Float64Array(n) : null;
  const sortMembers = (list: Int32Array) =>
    sortByStanding(list, order, key, units.byIdOrder, idOrder, packed);
  // Members of each ranked group, best first.
  const ranked = scheme.groups.map((g) => g.ranked);
  const counts = new Int32Array(G + 1);
  for (let i = 0; i < n; i++)
    if (scored[i] && groupOf[i]! >= 0 && ranked[groupOf[i]!]) counts[groupOf[i]! + 1]!++;
  for (let g = 0; g < G; g++) counts[g + 1]! += counts[g]!;
  const start = counts.slice();
  const members = new Int32Array(counts[G]!);
  for (let i = 0; i < n; i++)
    if (scored[i] && groupOf[i]! >= 0 && ranked[groupOf[i]!]) members[start[groupOf[i]!]!++] = i;
  for (let g = 0; g < G; g++) {
    const list = members.subarray(counts[g]!, counts[g + 1]!);
    if (!(hint && key && settleFromHint(list, g, hint, groupOf, scored, key, idOrder))) sortMembers(list);
  }

  const rank = new Int32Array(n);
  // As in rankAndGrade: every unit of a ranked group, one without a total too.
  const rankedInGroup = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    if (g >= 0 && ranked[g]) rankedInGroup[i] = counts[g + 1]! - counts[g]!;
  }
  const lostAward = new Uint8Array(n);
  const lostExcellence = new Uint8Array(n);
  const { lastLosesAward, lastLosesExcellence } = scheme.ranking;
  // As in rankAndGrade: a unit a veto places last is its ranked group's last with no total too
  // (and so no rank), and then the lowest ranked unit without such a veto is not.
  const vetoedUnranked = new Uint8Array(G);
  if (lastLosesAward || lastLosesExcellence)
    for (let i = 0; i < n; i++)
      if (forcedLast[i] && !scored[i] && groupOf[i]! >= 0 && ranked[groupOf[i]!]) {
        vetoedUnranked[groupOf[i]!] = 1;
        if (lastLosesAward) lostAward[i] = 1;
        if (lastLosesExcellence) lostExcellence[i] = 1;
      }
  for (let g = 0; g < G; g++) {
    const lo = counts[g]!;
    const hi = counts[g + 1]!;
    for (let p = lo; p < hi; p++) {
      const i = members[p]!;
      rank[i] = p > lo && standing(members[p - 1]!, i) === 0 ? rank[members[p - 1]!]! : p - lo + 1;
    }
    if (!(lastLosesAward || lastLosesExcellence) || hi === lo) continue;
    // As in rankAndGrade: a veto's forced last places, after everyone else, are all last; else
    // the units tied for the lowest rank, and none where they all share first place.
    const bottom = members[hi - 1]!;
    const byVeto = forcedLast[bottom] === 1 || vetoedUnranked[g] === 1;
    if (!byVeto && (hi - lo === 1 || rank[bottom] === 1)) continue;
    for (let p = hi - 1; p >= lo; p--) {
      const i = members[p]!;
      if (byVeto ? forcedLast[i] !== 1 : rank[i] !== rank[bottom]) break;
      if (lastLosesAward) lostAward[i] = 1;
      if (lastLosesExcellence) lostExcellence[i] = 1;
    }
  }

  const gradeIds = gradeIdsOf(scheme);
  const grade = new Int16Array(n).fill(-1);
  // An overall quota takes the best units across groups: one pooled order, built only then.
  let pooled: Int32Array | null = null;
  // Which units a rule admits, decided for all units at once (a threshold per rule, not per unit).
  const admitted = new Uint8Array(n);
  const below = new Uint8Array(n);
  const admits = (i: number) => admitted[i] === 1;
  const same = (a: number, b: number) => standing(a, b) === 0;
  // Loops over every unit stay in module-level functions, not in callbacks made per call
  // (forEach's here): V8 holds a callback's optimised code only while the callback lives, so
  // after each full collection the next scenario ran those loops unoptimised.
  const rules = scheme.grades.rules;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (rule.minTotal === undefined) admitted.set(scored);
    else units.markAtLeast(parseDecimal(rule.minTotal), admitted);
    // A line: units at or above it are not admitted.
    if (rule.belowTotal !== undefined) units.markAtLeast(parseDecimal(rule.belowTotal), below);
    for (let i = 0; i < n; i++)
      if (
        grade[i] !== -1 ||
        (rule.requiresExcellenceEligibility && (units.excellence[i] !== 1 || lostExcellence[i] === 1)) ||
        (rule.belowTotal !== undefined && below[i] === 1)
      )
        admitted[i] = 0;
    const quota = rule.quota;
    if (!quota) {
      for (let i = 0; i < n; i++) if (admitted[i]) grade[i] = r;
      continue;
    }
    const take = (i: number) => {
      grade[i] = r;
      admitted[i] = 0;
    };
    const limitOf = quotaLimiter(quota);
    const fill = (list: Int32Array) =>
      fillQuota(quota, list, limitOf(quotaPopulation(quota, list, admits)), admits, same, take);
    if (quota.scope === "group") {
      for (let g = 0; g < G; g++)
        if (counts[g + 1]! > counts[g]!) fill(members.subarray(counts[g]!, counts[g + 1]!));
    } else {
      pooled ??= sortMembers(members.slice());
      fill(pooled);
    }
  }
  if (scheme.grades.fallback) {
    const f = gradeIds.length - 1;
    for (let i = 0; i < n; i++) if (scored[i] && grade[i] === -1) grade[i] = f;
  }
  return { rank, rankedInGroup, grade, lostAward, lostExcellence, gradeIds, members, groupStart: counts };
}

/**
 * Orders a group's members starting from another ranking's order of the same units (the
 * baseline's, for a scenario), by insertion on (standing key, id): a scenario moves few
 * units far, so this is linear where a sort is not. False, leaving the list as it was, when
 * the hint holds other units or the moves would cost more than a sort.
 */
function settleFromHint(
  list: Int32Array,
  g: number,
  hint: IndexedRanking,
  groupOf: Int32Array,
  scored: Uint8Array,
  key: Float64Array,
  idOrder: Int32Array,
): boolean {
  const lo = hint.groupStart[g]!;
  const n = list.length;
  if (hint.groupStart[g + 1]! - lo !== n) return false;
  // The same units: as many, each of this group and scored (a ranked group's members all are).
  for (let p = 0; p < n; p++) {
    const i = hint.members[lo + p]!;
    if (groupOf[i] !== g || !scored[i]) return false;
  }
  let budget = 4 * n + 64;
  for (let p = 0; p < n; p++) {
    const i = hint.members[lo + p]!;
    const k = key[i]!;
    let s = p;
    while (s > 0) {
      const j = list[s - 1]!;
      if (key[j]! < k || (key[j] === k && idOrder[j]! < idOrder[i]!)) break;
      list[s] = j;
      s--;
    }
    list[s] = i;
    budget -= p - s;
    if (budget < 0) {
      // The same units, in the hint's order, for the sort to start from.
      list.set(hint.members.subarray(lo, lo + n));
      return false;
    }
  }
  return true;
}

/**
 * Sorts units best first, equal standings by id: on packed numbers (standing key × n +
 * id position) with a native sort when the keys allow it, with the comparator otherwise.
 */
function sortByStanding(
  list: Int32Array,
  order: (a: number, b: number) => number,
  key: Float64Array | undefined,
  byIdOrder: Int32Array | undefined,
  idOrder: Int32Array,
  buffer: Float64Array | null,
): Int32Array {
  const n = idOrder.length;
  if (!key || !byIdOrder || !buffer) return list.sort(order);
  let max = 0;
  for (const i of list) if (key[i]! > max) max = key[i]!;
  if (!((max + 1) * n < 2 ** 53)) return list.sort(order);
  const packed = buffer.subarray(0, list.length);
  for (let p = 0; p < list.length; p++) packed[p] = key[list[p]!]! * n + idOrder[list[p]!]!;
  packed.sort();
  for (let p = 0; p < list.length; p++) list[p] = byIdOrder[packed[p]! % n]!;
  return list;
}
