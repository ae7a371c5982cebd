import type { ExactEvaluation } from "../evaluation/compose.js";
import { andList } from "../methods/trace-list.js";
import { quotaLimiter, quotaPopulation } from "../ranking/grade-quota.js";
import { admitsTotal, assignGrades, type Lines, linesOf } from "../ranking/grades.js";
import { quotaBasis } from "../ranking/quota-notes.js";
import { cmp, ratio, ZERO } from "../rational.js";
import type { GradeQuota, GradeRule, Scheme } from "../scheme/scheme-schema.js";
import type { Baseline } from "./baseline.js";
import type { Standing } from "./standing.js";

/**
 * Why a unit's grade or rank moved where its own total (`parts`) and overtakes (`swaps`) may not
 * say: a unit 9th on both sides can lose 优秀 because units below it lost their totals and the
 * quota shrank with the ranked pool.
 * - "total": the side where it has no total, and so no rank or grade: the categories without
 *   points, and why, as its eligibility there words it where the side holds it (a baseline, or a
 *   scenario whose stage two composed it; another scenario is not composed for it: its
 *   eligibility there is named instead), for a unit whose grade or rank differs;
 * - "grade": the scenario's grade note, as `evaluate` words it ("良好 good: total ≥ 75 (优秀
 *   excellent's quota of 7 (30% of 25 ranked units = 7.5, rounded down) in group g1 was filled
 *   above it)"), for a unit whose grade differs;
 * - "quota": a quota rule that can decide the unit's grade on either side (see `bearingQuotas`) and
 *   whose places in the unit's scope differ between the sides, for a unit whose grade differs (a
 *   side where its group is not ranked has none: quotas grade ranked units); a quota by group
 *   whose takings a later quota over all ranked units fills from, also where its places in
 *   another group differ, naming those groups ("优's quota in group g1: 1 place in the baseline, 2
 *   places in the scenario; 良's quota over all ranked units fills from the units it leaves in
 *   every group");
 * - "left" / "joined": units of its group ranked on one side only (no total on the other, in
 *   another group there, or, comparing two cycles' units in common, only one side holds it), for a
 *   unit ranked in the same group on both sides whose rank or ranked count differs; counted, with
 *   how many stood above it.
 */
export interface MoveReason {
  kind: "total" | "grade" | "quota" | "left" | "joined";
  text: string;
  /** The units the text names (at most three, those above the unit first); empty for "total", "grade" and "quota". */
  units: string[];
}

/**
 * A row's reasons by unit id: empty when its grade, rank and ranked count are the same on both
 * sides; undefined for a unit the comparison does not hold. Worked out when first asked, per row:
 * a what-if read only for its ranks pays nothing. The grade notes come from grading the
 * scenario's standings again (the unit's group, where every quota is by group), once, when a
 * grade's note there is first asked for: the grades alone, not the evaluation its eligibility
 * reasons compose.
 *
 * @example
 * const r = runScenario(baseline, { name: "min 247", patch: { categories: { public: { method: { minValidForms: 247 } } } } });
 * r.moveReasons("U13")?.map((m) => m.text);
 * // ["4 units ranked in group law-enforcement in the baseline are not ranked there in the scenario, all 4 above it: U04 (no total), U10 (no total), U03 (no total) and 1 more"]
 */
export type MoveReasons = (unit: string) => MoveReason[] | undefined;

/** One side of a comparison, as the reasons read it. */
export interface MoveSide {
  scheme: Scheme;
  standings: () => readonly Standing[];
  /**
   * Why a unit has no total there, as its eligibility words it ("not scored (public: …)"), where
   * the side holds its composed evaluation: a side without one is not composed for the words.
   */
  notScored?: (unit: string) => string[];
}

/** A baseline as a side: its standings and its evaluation are made already. */
export function baselineSide(baseline: Baseline): MoveSide {
  return {
    scheme: baseline.compiled.scheme,
    standings: () => baseline.standings,
    notScored: notScoredIn(() => baseline.exact),
  };
}

/**
 * A composed side's reasons for a unit without a total, as its eligibility words them; the
 * evaluation is read when a row first needs it, not when the side is made.
 */
export function notScoredIn(exact: () => ExactEvaluation): (unit: string) => string[] {
  let byUnit: Map<string, ExactEvaluation["units"][number]> | undefined;
  return (unit) => {
    byUnit ??= new Map(exact().units.map((u) => [u.unit.id, u]));
    return (byUnit.get(unit)?.reasons ?? []).filter((r) => r.kind === "insufficient").map((r) => r.text);
  };
}

const NAMED = 3;

/** The reader over a baseline and a scenario side. */
export function moveReasonsOf(baseline: MoveSide, scenario: MoveSide): MoveReasons {
  let pairs: Map<string, [Standing, Standing]> | undefined;
  // With every quota by group, a unit's grade is its group's business: a province's fifty groups
  // are graded one at a time, as their rows are asked for, not all ten thousand units for one row.
  const byGroup = scenario.scheme.grades.rules.every((r) => !r.quota || r.quota.scope === "group");
  const notesIn = new Map<string, Map<string, string>>();
  let pools: Map<string, Pool> | undefined;
  const quotas = [new Map<GradeRule, Map<string, number>>(), new Map<GradeRule, Map<string, number>>()];
  const populations = (side: 0 | 1, rule: GradeRule) => {
    const s = side === 0 ? baseline : scenario;
    let byScope = quotas[side]!.get(rule);
    if (!byScope) {
      byScope = quotaPopulations(s.scheme, rule, s.standings());
      quotas[side]!.set(rule, byScope);
    }
    return byScope;
  };
  return (unit) => {
    if (!pairs) {
      const after = new Map(scenario.standings().map((s) => [s.unit, s]));
      pairs = new Map();
      for (const b of baseline.standings()) {
        const a = after.get(b.unit);
        if (a) pairs.set(b.unit, [b, a]);
      }
    }
    const pair = pairs.get(unit);
    if (!pair) return undefined;
    const [b, a] = pair;
    const out: MoveReason[] = [];
    if ((b.total === null) !== (a.total === null) && (b.grade !== a.grade || b.rank !== a.rank))
      out.push(b.total === null ? noTotal("baseline", baseline, b) : noTotal("scenario", scenario, a));
    if (b.grade !== a.grade) {
      const scope = byGroup ? a.group : "";
      let notes = notesIn.get(scope);
      if (!notes) {
        const standings = scenario.standings();
        notes = gradeNotes(scenario.scheme, byGroup ? standings.filter((s) => s.group === scope) : standings);
        notesIn.set(scope, notes);
      }
      const note = notes.get(unit);
      if (note !== undefined) out.push({ kind: "grade", text: note, units: [] });
      // A unit without a total on a side has no place in its quotas: its eligibility says why.
      if (a.total !== null && b.total !== null)
        out.push(...quotaChanges(baseline.scheme, scenario.scheme, b, a, populations));
    }
    if (
      b.rank !== null &&
      a.rank !== null &&
      a.group === b.group &&
      (a.rank !== b.rank || a.rankedInGroup !== b.rankedInGroup)
    ) {
      pools ??= poolsOf(baseline.standings(), scenario.standings(), pairs);
      const pool = pools.get(a.group);
      if (pool) out.push(...poolReasons(pool, b.rank, a.rank));
    }
    return out;
  };
}

/**
 * Each scored unit's grade note, by `assignGrades` over the standings given: the grades of an
 * evaluation without composing one (a province's compose takes seconds).
 * Its candidates are made as `rankAndGrade` makes them: the total, the tie-breakers' final points
 * (0 for none), placed last by a veto or not, and eligibility for excellence after last place.
 */
function gradeNotes(scheme: Scheme, standings: readonly Standing[]): Map<string, string> {
  const ranked = new Map(scheme.groups.map((g) => [g.id, g.ranked]));
  const at = new Map(scheme.categories.map((c, i) => [c.id, i]));
  const tieAt = scheme.ranking.tieBreakers.map((t) => at.get(t.category));
  const candidates = standings.flatMap((s) => {
    if (s.total === null) return [];
    const tieKeys = tieAt.map((i) => {
      const p = i === undefined ? null : s.points[i];
      return p ? ratio(p.n, p.d) : ZERO;
    });
    return [
      {
        entry: { unit: s.unit, total: ratio(s.total.n, s.total.d), tieKeys, forcedLast: s.forcedLast },
        group: s.group,
        ranked: ranked.get(s.group) ?? false,
        eligibleForExcellence: s.excellence,
      },
    ];
  });
  return new Map([...assignGrades(scheme.grades, candidates)].map(([unit, g]) => [unit, g.reason]));
}

/**
 * Each scope's population for a quota rule, as `assignGrades` counts it: the ranked units of the
 * scope, or those of them the rule admits (`of: "admitted"`): not graded by an earlier rule, and
 * within its line and eligibility.
 */
function quotaPopulations(scheme: Scheme, rule: GradeRule, standings: readonly Standing[]) {
  const quota = rule.quota!;
  const index = scheme.grades.rules.indexOf(rule);
  const earlier = new Set(scheme.grades.rules.slice(0, index).map((r) => r.id));
  const line = linesOf(rule);
  const scopes = new Map<string, number[]>();
  standings.forEach((s, i) => {
    if (s.rank === null || s.total === null) return;
    const scope = quota.scope === "group" ? s.group : "";
    const list = scopes.get(scope);
    if (list) list.push(i);
    else scopes.set(scope, [i]);
  });
  const admits = (i: number) => {
    const s = standings[i]!;
    return (
      !(s.grade !== null && earlier.has(s.grade)) &&
      admitsTotal(rule, line, ratio(s.total!.n, s.total!.d), s.excellence)
    );
  };
  return new Map([...scopes].map(([scope, order]) => [scope, quotaPopulation(quota, order, admits)]));
}

/**
 * A unit without a total on one side: no rank or grade there, for a reason its own row's
 * eligibility gives as the evaluation words it ("not scored (public: …)"), quoted where the side
 * holds its evaluation (a baseline, a scenario whose stage two composed it). Another scenario's
 * is worded by composing it, which the reasons never do: they name the categories without
 * points, read from the standing, and say where the rest is.
 */
function noTotal(name: "baseline" | "scenario", side: MoveSide, s: Standing): MoveReason {
  const none = side.scheme.categories.filter((_, i) => s.points[i] === null).map((c) => c.name);
  const which = none.length === 0 ? "" : ` (no points in ${andList(none)})`;
  const why = side.notScored?.(s.unit) ?? [];
  return {
    kind: "total",
    text: `no total in the ${name}, so no rank or grade there${which}: ${why.length > 0 ? why.join("; ") : `its eligibility in the ${name} says why (not scored)`}`,
    units: [],
  };
}

/**
 * The quota rules (matched by id) whose places in the unit's scope differ between the sides; a
 * quota by group whose takings a later quota over all ranked units fills from (see
 * `bearingQuotas`), also where its places in another group differ, those groups named.
 */
function quotaChanges(
  baseScheme: Scheme,
  scheme: Scheme,
  b: Standing,
  a: Standing,
  populations: (side: 0 | 1, rule: GradeRule) => ReadonlyMap<string, number>,
): MoveReason[] {
  const baseRules = new Map(baseScheme.grades.rules.map((r) => [r.id, r]));
  const bearing = [bearingQuotas(baseScheme, b), bearingQuotas(scheme, a)] as const;
  const out: MoveReason[] = [];
  for (const rule of scheme.grades.rules) {
    const before = baseRules.get(rule.id);
    if (!rule.quota && !before?.quota) continue;
    if (!bearing[0].has(rule.id) && !bearing[1].has(rule.id)) continue;
    const sized = (side: 0 | 1, quota: GradeQuota, r: GradeRule, scope: string) => {
      const population = populations(side, r).get(scope) ?? 0;
      const limit = quotaLimiter(quota)(population);
      return { limit, text: `${places(limit)}${quotaBasis(quota, population)}` };
    };
    const place = (side: 0 | 1, r: GradeRule | undefined, s: Standing) => {
      if (!r?.quota) return { limit: -1, where: "", text: "no quota" };
      // Quotas grade ranked units only: a unit whose group is not ranked takes its threshold
      // grade there, whatever size the quota would have.
      if (s.rank === null) return { limit: -1, where: `group ${s.group}, which is not ranked`, text: "none" };
      const where = r.quota.scope === "group" ? `group ${s.group}` : "all ranked units";
      return { ...sized(side, r.quota, r, r.quota.scope === "group" ? s.group : ""), where };
    };
    const then = place(0, before, b);
    const now = place(1, rule, a);
    const said: string[] = [];
    // Said once where both sides' quotas cover the same units, as they mostly do.
    if (then.limit !== now.limit)
      said.push(
        then.where === now.where
          ? `in ${now.where}: ${then.text} in the baseline, ${now.text} in the scenario`
          : `: ${then.text}${then.where && ` in ${then.where}`} in the baseline, ${now.text}${now.where && ` in ${now.where}`} in the scenario`,
      );
    const wider = bearing[1].get(rule.id) ?? bearing[0].get(rule.id);
    if (wider && before?.quota?.scope === "group" && rule.quota?.scope === "group") {
      const { quota: was } = before;
      const { quota: is } = rule;
      const ranked = new Set([...populations(0, before).keys(), ...populations(1, rule).keys()]);
      const elsewhere = scheme.groups
        .map((g) => g.id)
        .filter((g) => g !== a.group && g !== b.group && ranked.has(g))
        .map((g) => [g, sized(0, was, before, g), sized(1, is, rule, g)] as const)
        .filter(([, x, y]) => x.limit !== y.limit);
      if (elsewhere.length > 0) {
        const named = elsewhere
          .slice(0, NAMED)
          .map(([g, x, y]) => `in group ${g}: ${x.text} in the baseline, ${y.text} in the scenario`);
        if (elsewhere.length > NAMED) named.push(`in ${elsewhere.length - NAMED} more groups`);
        said.push(
          ...named,
          `${wider.name}'s quota over all ranked units fills from the units it leaves in every group`,
        );
      }
    }
    if (said.length === 0) continue;
    const text = `${rule.name}'s quota${said[0]!.startsWith(":") ? "" : " "}${said.join("; ")}`;
    out.push({ kind: "quota", text, units: [] });
  }
  return out;
}

/**
 * The ids of the quota rules that can bear on a unit's grade on a side, each with the later quota
 * over all ranked units its takings reach where it is a quota by group (see below). `assignGrades`
 * tries the rules in order and gives a unit the first whose line and eligibility admit it and that
 * has a place for it: its grade is decided by the quota rules up to its grade's that admit it
 * (each passed it over or gave it the grade). An earlier quota bears on one of those where their
 * lines overlap: the units it takes, or not, are units that one admits, so its size moves that
 * one's pool (and a percent `of: "admitted"`, its places). Through a quota between them too: a
 * quota whose line overlaps the middle one's moves the middle one's takings, and with them what is
 * left to the later one. Nothing else carries a quota's size further: a threshold rule takes all
 * it admits whatever came before, and a unit neither line admits is neither's. So a quota whose
 * line, directly or through quotas between, never meets the line of one that admits the unit gives
 * or takes nothing that could reach it (差's new size, below 60, says nothing of a unit going 良好 →
 * 优秀, at 85 and above), nor does a rule after its grade's, which never saw it. Lines are compared
 * as lines, not as the totals units have: a quota listed may still, with these units, have changed
 * nothing. None for a unit not ranked: quotas grade ranked units only.
 *
 * A quota by group reaches past the unit's group where the chain meets a quota over all ranked
 * units: what it takes in another group is what that one fills from there, so its sizes in every
 * group bear on the unit (R0 by group at 20 and above, then R1 over all: R0's places falling in g1
 * leave g1's best to R1, above a unit of g2).
 */
function bearingQuotas(scheme: Scheme, s: Standing): Map<string, GradeRule | undefined> {
  if (s.rank === null || s.total === null) return new Map();
  const rules = scheme.grades.rules;
  const graded = rules.findIndex((r) => r.id === s.grade);
  const upTo = graded === -1 ? rules.length - 1 : graded;
  const total = ratio(s.total.n, s.total.d);
  const lines = rules.map(linesOf);
  // Each bearing quota's index, with the later quota over all ranked units it reaches, if any.
  const bearing = new Map<number, GradeRule | undefined>();
  for (let k = 0; k <= upTo; k++)
    if (rules[k]!.quota && admitsTotal(rules[k]!, lines[k]!, total, s.excellence)) bearing.set(k, undefined);
  // Latest first: a quota added here is tried for the ones before it in its turn, what it
  // reaches settled by then (only later quotas add to it).
  for (let k = upTo; k > 0; k--) {
    if (!bearing.has(k)) continue;
    const overall = rules[k]!.quota!.scope === "overall" ? rules[k]! : bearing.get(k);
    for (let j = 0; j < k; j++)
      if (rules[j]!.quota && overlap(lines[j]!, lines[k]!)) bearing.set(j, bearing.get(j) ?? overall);
  }
  return new Map([...bearing].map(([k, overall]) => [rules[k]!.id, overall]));
}

/** Whether some total is within both lines (eligibility never parts two rules: an eligible unit meets both). */
function overlap(x: Lines, y: Lines): boolean {
  const min =
    x.min === undefined ? y.min : y.min === undefined ? x.min : cmp(x.min, y.min) > 0 ? x.min : y.min;
  const below =
    x.below === undefined
      ? y.below
      : y.below === undefined
        ? x.below
        : cmp(x.below, y.below) < 0
          ? x.below
          : y.below;
  return min === undefined || below === undefined || cmp(min, below) < 0;
}

/** A unit ranked in a group on one side only, and why it is not on the other. */
interface Member {
  unit: string;
  rank: number;
  why: string;
}

/** A group's units ranked on one side only: `left` best first by baseline rank, `joined` by scenario rank. */
interface Pool {
  group: string;
  left: Member[];
  joined: Member[];
}

/** Every group's pool, in one pass over the units (a province has fifty groups). */
function poolsOf(
  order: readonly Standing[],
  scenarioOrder: readonly Standing[],
  pairs: ReadonlyMap<string, [Standing, Standing]>,
): Map<string, Pool> {
  const pools = new Map<string, Pool>();
  const poolOf = (group: string) => {
    let pool = pools.get(group);
    if (!pool) {
      pool = { group, left: [], joined: [] };
      pools.set(group, pool);
    }
    return pool;
  };
  for (const b of order) {
    const { unit } = b;
    const pair = pairs.get(unit);
    // A unit only one side holds (compareBaselines' `units: "common"`: a unit merged away, or
    // set up, between two cycles) took or gave up a place as much as one that lost its total.
    if (!pair) {
      if (b.rank !== null) poolOf(b.group).left.push({ unit, rank: b.rank, why: "only in the baseline" });
      continue;
    }
    const a = pair[1];
    const same = a.group === b.group;
    if (b.rank !== null && (a.rank === null || !same))
      poolOf(b.group).left.push({ unit, rank: b.rank, why: same ? "no total" : `in group ${a.group}` });
    if (a.rank !== null && (b.rank === null || !same))
      poolOf(a.group).joined.push({
        unit,
        rank: a.rank,
        why: same ? "no total in the baseline" : `from group ${b.group}`,
      });
  }
  for (const a of scenarioOrder)
    if (a.rank !== null && !pairs.has(a.unit))
      poolOf(a.group).joined.push({ unit: a.unit, rank: a.rank, why: "only in the scenario" });
  const byRank = (x: Member, y: Member) => x.rank - y.rank;
  for (const pool of pools.values()) {
    pool.left.sort(byRank);
    pool.joined.sort(byRank);
  }
  return pools;
}

/** The pool's reasons for a unit ranked `before` in the baseline and `after` in the scenario. */
function poolReasons(pool: Pool, before: number, after: number): MoveReason[] {
  const out: MoveReason[] = [];
  if (pool.left.length > 0) {
    const { count, above, named } = standingAbove(pool.left, before);
    out.push({
      kind: "left",
      text: `${unitsText(count)} ranked in group ${pool.group} in the baseline ${count === 1 ? "is" : "are"} not ranked there in the scenario, ${aboveText(above, count)}: ${namedText(named, count)}`,
      units: named.map((m) => m.unit),
    });
  }
  if (pool.joined.length > 0) {
    const { count, above, named } = standingAbove(pool.joined, after);
    out.push({
      kind: "joined",
      text: `${unitsText(count)} not ranked in group ${pool.group} in the baseline ${count === 1 ? "is" : "are"} ranked there in the scenario, ${aboveText(above, count)}: ${namedText(named, count)}`,
      units: named.map((m) => m.unit),
    });
  }
  return out;
}

/** How many of `members` stand above `rank`, and the ones to name: those above first. */
function standingAbove(members: readonly Member[], rank: number) {
  const above = members.filter((m) => m.rank < rank);
  const named = [...above, ...members.filter((m) => m.rank >= rank)].slice(0, NAMED);
  return { count: members.length, above: above.length, named };
}

/** "U03 (no total), U04 (in group g2) and 2 more". */
function namedText(named: readonly Member[], count: number): string {
  const texts = named.map((m) => `${m.unit} (${m.why})`);
  if (count > named.length) return `${texts.join(", ")} and ${count - named.length} more`;
  return andList(texts);
}

function aboveText(above: number, count: number): string {
  // A unit tied with it is not above it: its rank did not count it.
  if (count === 1) return above === 1 ? "above it" : "not above it";
  if (above === count) return `all ${count} above it`;
  if (above === 0) return "none of them above it";
  return `${above} of them above it`;
}

function unitsText(n: number): string {
  return n === 1 ? "1 unit" : `${n} units`;
}

/** "1 place", "2 places". */
function places(n: number): string {
  return n === 1 ? "1 place" : `${n} places`;
}
