import { InputError, type InputIssue, received } from "../input-error.js";
import { knownOptions } from "../known-options.js";
import { fillQuota, quotaLimiter, quotaPopulation } from "../ranking/grade-quota.js";
import { parseDecimal, toNumber } from "../rational.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import { withOptionsOf } from "./analysis-options.js";
import { type AppliedWeights, appliedWeights } from "./applied-weights.js";
import { applyScenario } from "./apply-scenario.js";
import type { Baseline } from "./baseline.js";
import { checkBaselineArgument } from "./baseline-argument.js";
import { computeAdjustments } from "./fast-stage-two.js";
import { FloatGroupRanks } from "./float-group-ranks.js";
import { type FloatModel, type FloatSubset, floatModel, floatSubset, floatTotals } from "./float-model.js";
import { askedGroups } from "./groups-option.js";
import { rankQuantile } from "./rank-quantile.js";
import { scenarioStandings } from "./run-scenario.js";
import { samplerDefaults } from "./sampler-defaults.js";
import type { SchemePatch } from "./scenario.js";
import { seededRandom } from "./seeded-random.js";
import { SweepNotLinearError } from "./sweep-not-linear-error.js";
import { sampler, type WeightSampler } from "./weight-sampler.js";

export interface MonteCarloOptions {
  samples: number;
  /** A whole number from 0 to 2^32 − 1; equal seeds give identical results. */
  seed: number;
  /**
   * Default: uniform within ±`spread` of the nominal points, adding up to the scheme's total
   * (`samplerDefaults.keepTotal`).
   */
  weights?: WeightSampler;
  /** Shorthand for `weights: { kind: "uniform", spread }`. */
  spread?: number;
  /**
   * Alternative rules drawn with equal probability beside the nominal scheme, e.g. a
   * trimmed instead of a plain mean for a vote. Each alternative's records are re-read
   * once, not per sample. Points, groups, ranking and grade rules cannot vary: every sample
   * draws the points and is ranked and graded under the baseline's rules (an InputError says so).
   */
  alternatives?: { name: string; patch: SchemePatch }[];
  /**
   * Only these groups' units are ranked and reported; default every group. Draws do not
   * depend on it, and each group is ranked on its own, so a group's units come out as in a
   * run over every group with the same seed (a first grade whose quota spans every ranked
   * unit still ranks them all, to fill it).
   */
  groups?: readonly string[];
}

/**
 * Alternatives change how units are scored (methods, tables, caps, rounding); each sample is
 * ranked and graded under the baseline's groups, ranking and grade rules, and scored from
 * its records. A patch of those, or changed records, would be silently ignored: refused.
 * Exported so that a caller applying each alternative first (to locate its problems) says
 * this, the reason it is refused whatever else it says, before a merge problem in it.
 *
 * @throws InputError of subject "scenario" naming `alternatives[<i>]…` for each such problem
 * (two of one name, a field other than name and patch, a patch of what cannot vary).
 * @throws InputError of subject "argument" naming `alternatives` for other than a list.
 */
export function checkAlternatives(alternatives: readonly { name: string; patch: SchemePatch }[]): void {
  if (!Array.isArray(alternatives))
    throw new InputError("argument", [
      {
        path: ["alternatives"],
        message: `expected a list of { name, patch }, a Monte-Carlo run's alternatives (an empty list for none); got ${received(alternatives)}`,
      },
    ]);
  const issues: InputIssue[] = [];
  // A run's `alternative` column indexes `alternatives`, and readers tell them apart by name:
  // two alike (or one called as the scheme itself is) would make samples unattributable.
  const named = new Map<string, number>([["nominal", -1]]);
  alternatives.forEach((alt, a) => {
    const at = ["alternatives", a];
    if (typeof alt?.name !== "string" || alt.name === "")
      issues.push({ path: [...at, "name"], message: "must be a non-empty string" });
    else if (named.has(alt.name)) {
      const first = named.get(alt.name)!;
      issues.push({
        path: [...at, "name"],
        message:
          first < 0
            ? '"nominal" names the scheme as it is: choose another name'
            : `"${alt.name}" is already the name of alternatives[${first}]`,
      });
    } else named.set(alt.name, a);
    for (const key of Object.keys(alt ?? {}))
      if (key !== "name" && key !== "patch")
        issues.push({ path: [...at, key], message: "an alternative has only a name and a patch" });
    for (const key of ["grades", "groups", "ranking"] as const)
      if (alt?.patch?.[key] !== undefined)
        issues.push({
          path: [...at, "patch", key],
          message: "not varied by Monte-Carlo: samples are ranked and graded under the baseline's rules",
        });
    // Every sample draws every category's points: an alternative's would be overridden unseen.
    const categories = alt?.patch?.categories;
    if (categories && typeof categories === "object")
      for (const [id, change] of Object.entries(categories))
        if (change && typeof change === "object" && "points" in change && change.points !== undefined)
          issues.push({
            path: [...at, "patch", "categories", id, "points"],
            message:
              "not varied by an alternative: every sample draws each category's points (set their range with the weights' bounds or spread)",
          });
  });
  if (issues.length > 0) throw new InputError("scenario", issues);
}

/** An alternative applied to the baseline, its problems named where the caller wrote them. */
function appliedAlternative(baseline: Baseline, alt: { name: string; patch: SchemePatch }, a: number) {
  try {
    return applyScenario(baseline.compiled, baseline.dataset, { name: alt.name, patch: alt.patch });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(
      "scenario",
      e.issues.map((i) => ({ ...i, path: ["alternatives", a, ...i.path] })),
    );
  }
}

/**
 * A formula that reads other categories is scored from their points, which every sample
 * draws anew; the float model has no share for it and would leave every unit unranked.
 */
function refuseFormulas(compiled: CompiledScheme): void {
  for (const [id, reads] of compiled.dependsOn)
    if (reads.length > 0)
      throw new SweepNotLinearError(
        `Monte-Carlo cannot draw category points for this scheme: formula "${id}" reads "${reads[0]}", so its score changes with the drawn points`,
        { reason: "formula-reads-moving-points", category: null, categories: [id, reads[0]!], rollup: null },
      );
}

export interface MonteCarloUnit {
  unit: string;
  name: string;
  group: string;
  /** The baseline's official rank (exact), null when unranked. */
  nominalRank: number | null;
  /**
   * The median of the unit's ranks over the samples in which it was ranked; null if never.
   * This and the percentiles below are interpolated between ranks (type 7: R's default,
   * NumPy's "linear"), so they may fall between whole ranks: 7.05 is a twentieth of the way
   * from 7 to 8. Each is the double nearest the exact value.
   */
  medianRank: number | null;
  /** The 5th percentile of the same ranks (type 7, as `medianRank`); null if never ranked. */
  p5Rank: number | null;
  /** The 95th percentile of the same ranks (type 7, as `medianRank`); null if never ranked. */
  p95Rank: number | null;
  /**
   * Share of samples in which the unit got the first grade rule (quotas, thresholds and vetoes
   * applied): a count over `samples`, one division, so the double nearest the exact share.
   */
  pExcellent: number;
  /**
   * Share of samples in which the unit was last in its group: placed last by a veto (in every
   * sample, with a total or without one), or, in a group without such a unit, ranked last (of
   * more than one unit, not all sharing first place).
   */
  pLast: number;
}

export interface MonteCarloResult {
  seed: number;
  samples: number;
  /**
   * How the points were drawn, as applied: defaults filled in, each category's range and what
   * set it. A uniform draw's `spread` is null when every category has bounds (none was drawn
   * with a spread, whatever the options said or defaulted to).
   */
  weights: AppliedWeights;
  categories: string[];
  /** "nominal" first, then the alternatives' names. */
  alternatives: string[];
  /** The drawn points: points[s * categories.length + k]. Every run's parameters, kept. */
  points: Float64Array;
  /** Which alternative each sample used (index into `alternatives`). */
  alternative: Uint16Array;
  /** Ranks per sample: ranks[s * units.length + j] for `units[j]`, 0 when unranked. */
  ranks: Int32Array;
  /** The first grade rule's id (what pExcellent counts). */
  excellentGrade: string | null;
  /** Whether the float model reproduced every baseline rank at the nominal points (a self-check). */
  nominalReproduced: boolean;
  /** The groups asked for, in the scheme's order; null when every group is reported. */
  groups: string[] | null;
  /** The reported units, in dataset order. */
  units: MonteCarloUnit[];
}

/**
 * Monte-Carlo uncertainty analysis of the weights (and optionally of aggregation rules):
 * seeded, and reproducible on the same JavaScript engine (Node's V8 on any OS; another engine's
 * `Math.log`, `Math.sin`, … may draw differently in the last bits, and so differ); samples are
 * ranked in doubles from per-unit coefficients
 * precomputed once (statistics, not official values); the nominal ranks reported are the
 * baseline's exact ones.
 *
 * @throws InputError of subject "argument" when `baseline` is not a baseline from
 * `createBaseline`, and of subject "scenario" (paths into `options`) for options it refuses: a
 * sample count, seed, spread or weights it cannot use, an unknown group, an alternative it
 * cannot apply (its issues under `["alternatives", i, …]`), a misspelt option.
 * @throws SweepNotLinearError with `reason` "formula-reads-moving-points" when a formula
 * category reads another category, whose points every sample draws anew.
 */
export function monteCarlo(baseline: Baseline, options: MonteCarloOptions): MonteCarloResult {
  checkBaselineArgument(baseline);
  return withOptionsOf("Monte-Carlo", () => drawSamples(baseline, options));
}

function drawSamples(baseline: Baseline, options: MonteCarloOptions): MonteCarloResult {
  knownOptions(options, ["samples", "seed", "weights", "spread", "alternatives", "groups"]);
  const { compiled, dataset } = baseline;
  const { scheme } = compiled;
  const S = options.samples;
  // Left out, each is said to be required, as a scheme's missing field is, not out of range.
  const required = (given: unknown, what: string) => (given === undefined ? `is required and ${what}` : what);
  if (!Number.isInteger(S) || S < 1)
    throw new InputError("scenario", [
      { path: ["samples"], message: required(S, "must be a positive integer") },
    ]);
  // A seed of 1.5 or NaN would run as 1 or 0 while the result echoed it: not reproducible from
  // what it says. The generator takes 32 bits, so -1 and 2^32 + 1 would run as 4294967295 and 1.
  if (!Number.isSafeInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff)
    throw new InputError("scenario", [
      { path: ["seed"], message: required(options.seed, "must be a whole number from 0 to 4294967295") },
    ]);
  if (options.spread !== undefined) {
    // The shorthand's own name, not weights.spread, which the caller never wrote.
    const spreadIssue = (message: string) => new InputError("scenario", [{ path: ["spread"], message }]);
    if (options.weights !== undefined)
      throw spreadIssue("give the spread inside weights, or spread without weights");
    // Read as a number, "0.2" would pass and "" would be a spread of 0; a null is left out.
    if (options.spread !== null && typeof options.spread !== "number")
      throw spreadIssue("must be a number between 0 and 1");
    if (!(options.spread >= 0 && options.spread <= 1)) throw spreadIssue("must be between 0 and 1");
  }
  if (options.alternatives !== undefined && !Array.isArray(options.alternatives))
    throw new InputError("scenario", [
      { path: ["alternatives"], message: "must be a list of { name, patch }" },
    ]);
  checkAlternatives(options.alternatives ?? []);
  const asked = askedGroups(scheme, options.groups);
  const reported = asked ? new Set(asked) : null;
  const ids = scheme.categories.map((c) => c.id);
  const C = ids.length;
  const U = dataset.units.length;
  const nominal = Float64Array.from(ids, (id) => toNumber(compiled.points.get(id)!));
  const T = nominal.reduce((a, b) => a + b, 0);

  refuseFormulas(compiled);
  const models: FloatModel[] = [
    floatModel(compiled, {
      dataset,
      outcomes: baseline.outcomes,
      adjustments: baseline.adjustments,
      memo: baseline.memo,
    }),
  ];
  const names = ["nominal"];
  for (const [a, alt] of (options.alternatives ?? []).entries()) {
    const applied = appliedAlternative(baseline, alt, a);
    refuseFormulas(applied.compiled);
    const { outcomes } = scenarioStandings(baseline, applied);
    const adj = applied.adjustmentsChanged
      ? computeAdjustments(applied.compiled, applied.dataset)
      : baseline.adjustments;
    models.push(
      floatModel(applied.compiled, {
        dataset: applied.dataset,
        outcomes,
        adjustments: adj,
        memo: baseline.memo,
      }),
    );
    names.push(alt.name);
  }
  const weights: WeightSampler = options.weights ?? {
    kind: "uniform",
    spread: options.spread ?? samplerDefaults.spread,
  };
  const draw = sampler(weights, ids, nominal, T, options.seed);
  const applied = appliedWeights(weights, ids, nominal);
  const rnd = seededRandom((options.seed ^ 0x5bd1e995) >>> 0);

  const rule = scheme.grades.rules[0];
  const everyGroup = rankedGroups(baseline);
  const groups = reported ? everyGroup.filter((g) => reported.has(g.id)) : everyGroup;
  // A quota over every ranked unit reads every group's order.
  const ranking = rule?.quota?.scope === "overall" ? everyGroup : groups;
  // The reported units by dataset index (every unit by default): the rows of the result.
  const rows: number[] = [];
  dataset.units.forEach((u, i) => {
    if (!reported || reported.has(u.group)) rows.push(i);
  });
  const R = rows.length;
  // Asked for some groups, a sample computes only the totals it reads: the groups reported
  // and ranked, and their sub-units (a fiftieth of a province for one group).
  const wanted = reported ? [...rows, ...ranking.flatMap((g) => g.members)] : [];
  const subsets = new Map<FloatModel, FloatSubset | null>(
    models.map((m) => [m, reported ? floatSubset(m, wanted) : null]),
  );
  const line = {
    min: rule?.minTotal === undefined ? -Infinity : toNumber(parseDecimal(rule.minTotal)),
    below: rule?.belowTotal === undefined ? Infinity : toNumber(parseDecimal(rule.belowTotal)),
  };
  const limitOf = rule?.quota ? quotaLimiter(rule.quota) : () => 0;
  const idOrder = idRanks(dataset.units.map((u) => u.id));
  const { points, alternative, ranks } = sampleArrays(S, C, R);
  // Asked for some groups, a sample is ranked into `sample` and its rows copied out: the
  // matrix holds the reported units only (40 MB for a province's 1,000 samples otherwise).
  const sample = reported ? new Int32Array(U) : null;
  const excellent = new Int32Array(U);
  const last = new Int32Array(U);
  // Where last place also bars excellence, each sample's last-ranked units, marked while it is graded.
  const lastNow =
    rule?.requiresExcellenceEligibility && scheme.ranking.lastLosesExcellence ? new Uint8Array(U) : null;
  const totals = new Float64Array(U);
  const catPoints = new Float64Array(U * C);
  const P = new Float64Array(C);
  const rankers = new Map(models.map((m) => [m, new FloatGroupRanks(m, totals, catPoints, idOrder)]));
  // An alternative may add or lift a veto: each model's own.
  const vetoedBy = new Map(models.map((m) => [m, vetoedMembers(everyGroup, m.forcedLast)]));
  const rankOnce = (m: FloatModel, out: Int32Array, offset: number) => {
    const ranker = rankers.get(m)!;
    for (const g of ranking) ranker.rank(g.members, out, offset, g.sorted);
  };
  for (let s = 0; s < S; s++) {
    draw(P);
    points.set(P, s * C);
    const a = models.length === 1 ? 0 : Math.floor(rnd.next() * models.length);
    alternative[s] = a;
    const m = models[a]!;
    floatTotals(m, P, totals, catPoints, subsets.get(m)!);
    const out = sample ?? ranks;
    const at = sample ? 0 : s * U;
    rankOnce(m, out, at);
    if (sample) for (let j = 0; j < R; j++) ranks[s * R + j] = sample[rows[j]!]!;
    const vetoed = vetoedBy.get(m)!;
    addAtLast(groups, vetoed, { ranks: out, at }, last, 1);
    if (lastNow) addAtLast(ranking, vetoed, { ranks: out, at }, lastNow, 1);
    if (rule)
      admitFirstRule(rule, m, ranking, totals, line, limitOf, excellent, lastNow, {
        by: standingComparator(m, totals, catPoints, idOrder),
        same: (x, y) => sameStanding(m, totals, catPoints, x, y),
      });
    if (lastNow) addAtLast(ranking, vetoed, { ranks: out, at }, lastNow, -1);
  }

  // Self-check: the float model at the nominal points against the exact baseline ranks.
  const check = new Int32Array(U);
  floatTotals(models[0]!, nominal, totals, catPoints, subsets.get(models[0]!)!);
  rankOnce(models[0]!, check, 0);
  const nominalReproduced = rows.every((i) => (baseline.standings[i]!.rank ?? 0) === check[i]);

  // Ranks are small whole numbers: each unit's quantiles come from counts of its ranks, not
  // from sorting its samples (10,000 sorts of 1,000 ranks were an eighth of a province run).
  let H = 1;
  for (const g of groups) H = Math.max(H, g.members.length + 1);
  const counts = new Int32Array(R * H);
  for (let s = 0; s < S; s++)
    for (let j = 0; j < R; j++) {
      const r = ranks[s * R + j]!;
      if (r > 0) counts[j * H + r]!++;
    }
  const units: MonteCarloUnit[] = rows.map((i, j) => {
    const st = baseline.standings[i]!;
    const ofUnit = counts.subarray(j * H, (j + 1) * H);
    let n = 0;
    for (let v = 0; v < H; v++) n += ofUnit[v]!;
    return {
      unit: st.unit,
      name: st.name,
      group: st.group,
      nominalRank: st.rank,
      medianRank: rankQuantile(ofUnit, n, 50),
      p5Rank: rankQuantile(ofUnit, n, 5),
      p95Rank: rankQuantile(ofUnit, n, 95),
      pExcellent: excellent[i]! / S,
      pLast: last[i]! / S,
    };
  });
  return withArraysInJson({
    seed: options.seed,
    samples: S,
    weights: applied,
    categories: ids,
    alternatives: names,
    points,
    alternative,
    ranks,
    excellentGrade: rule?.id ?? null,
    nominalReproduced,
    groups: asked,
    units,
  });
}

/**
 * `JSON.stringify` writes a typed array as an object keyed "0", "1", … (ranks would arrive
 * without a length, at three times the size): the result's per-sample columns go out as arrays.
 * Not enumerable, so spreading, comparing and `structuredClone` (which keeps the typed arrays)
 * do not see it.
 */
function withArraysInJson(result: MonteCarloResult): MonteCarloResult {
  return Object.defineProperty(result, "toJSON", {
    value: () => ({
      ...result,
      points: Array.from(result.points),
      alternative: Array.from(result.alternative),
      ranks: Array.from(result.ranks),
    }),
  });
}

/**
 * The longest typed array Node 20, the oldest Node supported, can make. Newer Nodes make longer
 * ones, lazily: there a billion samples of one group were accepted and drawn for hours. Held to
 * this everywhere, a run one supported Node accepts is accepted by all.
 */
const MAX_KEPT = 2 ** 32 - 1;

/**
 * Every sample's points and ranks are kept. No cap on samples is set here (the gateway sets its
 * own): a count whose arrays are longer than MAX_KEPT, or that memory cannot give, is named
 * rather than left a bare RangeError from the allocation.
 */
function sampleArrays(S: number, C: number, R: number) {
  const tooMany = () =>
    new InputError("scenario", [
      {
        path: ["samples"],
        message: `too many to keep: ${S} samples of ${C} categories' points and ${R} units' ranks do not fit in memory`,
      },
    ]);
  if (S * C > MAX_KEPT || S * R > MAX_KEPT) throw tooMany();
  try {
    return { points: new Float64Array(S * C), alternative: new Uint16Array(S), ranks: new Int32Array(S * R) };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw tooMany();
  }
}

interface Group {
  id: string;
  members: number[];
  sorted: number[];
}

function rankedGroups(baseline: Baseline): Group[] {
  const ranked = new Set(baseline.compiled.scheme.groups.filter((g) => g.ranked).map((g) => g.id));
  const byId = new Map<string, Group>();
  baseline.dataset.units.forEach((u, i) => {
    if (!ranked.has(u.group)) return;
    let g = byId.get(u.group);
    if (!g) {
      g = { id: u.group, members: [], sorted: [] };
      byId.set(u.group, g);
    }
    g.members.push(i);
  });
  return [...byId.values()];
}

function idRanks(ids: string[]): Int32Array {
  const order = ids.map((_, i) => i).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  const out = new Int32Array(ids.length);
  order.forEach((i, r) => {
    out[i] = r;
  });
  return out;
}

function sameStanding(m: FloatModel, totals: Float64Array, pts: Float64Array, a: number, b: number): boolean {
  if (m.forcedLast[a] !== m.forcedLast[b] || totals[a] !== totals[b]) return false;
  for (const k of m.tieIndex) if (pts[k * m.units + a] !== pts[k * m.units + b]) return false;
  return true;
}

function standingComparator(m: FloatModel, totals: Float64Array, pts: Float64Array, idOrder: Int32Array) {
  return (a: number, b: number): number => {
    if (m.forcedLast[a] !== m.forcedLast[b]) return m.forcedLast[a]! - m.forcedLast[b]!;
    const d = totals[b]! - totals[a]!;
    if (d !== 0) return d;
    for (const k of m.tieIndex) {
      const e = pts[k * m.units + b]! - pts[k * m.units + a]!;
      if (e !== 0) return e;
    }
    return idOrder[a]! - idOrder[b]!;
  };
}

/**
 * Each group's members a veto places last, with a total or not, under one model; a group
 * without any is left out. They are its last in every sample, whatever the weights.
 */
function vetoedMembers(groups: readonly Group[], forcedLast: Uint8Array): Map<Group, number[]> {
  const out = new Map<Group, number[]>();
  for (const g of groups) {
    const list = g.members.filter((u) => forcedLast[u] === 1);
    if (list.length > 0) out.set(g, list);
  }
  return out;
}

/**
 * Adds `delta` at each unit last in its group in one sample, whose ranks `sample.ranks[sample.at
 * + i]` hold: counting last places, or marking them while the sample is graded. As in
 * rankAndGrade: every unit a veto places last is last (`vetoed`, ranked after all others or
 * without a total and so unranked), and then no other; else the units tied for the lowest rank,
 * and none in a group of one unit or whose units all share first place.
 */
function addAtLast(
  groups: readonly Group[],
  vetoed: ReadonlyMap<Group, readonly number[]>,
  sample: { ranks: Int32Array; at: number },
  into: Int32Array | Uint8Array,
  delta: number,
): void {
  const { ranks, at } = sample;
  for (const g of groups) {
    const forced = vetoed.get(g);
    if (forced) {
      for (const u of forced) into[u]! += delta;
      continue;
    }
    const n = g.sorted.length;
    if (n === 0) continue;
    const bottom = g.sorted[n - 1]!;
    const lastRank = ranks[at + bottom]!;
    if (n > 1 && lastRank > 1)
      for (let k = n - 1; k >= 0 && ranks[at + g.sorted[k]!] === lastRank; k--) into[g.sorted[k]!]! += delta;
  }
}

/**
 * The first grade rule, as the pipeline applies it: eligibility (a veto's, and last place's
 * where `lastNow` marks it), threshold and line, quota filled from its end, ties at its
 * boundary as the quota's `ties` says.
 */
function admitFirstRule(
  rule: NonNullable<Baseline["compiled"]["scheme"]["grades"]["rules"][number]>,
  m: FloatModel,
  groups: Group[],
  totals: Float64Array,
  line: { min: number; below: number },
  limitOf: (population: number) => number,
  counts: Int32Array,
  lastNow: Uint8Array | null,
  order: { by: (a: number, b: number) => number; same: (a: number, b: number) => boolean },
): void {
  const admits = (i: number) =>
    (!rule.requiresExcellenceEligibility ||
      (m.excellence[i] === 1 && (lastNow === null || lastNow[i] === 0))) &&
    totals[i]! >= line.min &&
    totals[i]! < line.below;
  const quota = rule.quota;
  if (!quota) {
    for (let i = 0; i < m.units; i++) if (!Number.isNaN(totals[i]!) && admits(i)) counts[i]!++;
    return;
  }
  const take = (i: number) => {
    counts[i]!++;
  };
  const fill = (sorted: number[]) =>
    fillQuota(quota, sorted, limitOf(quotaPopulation(quota, sorted, admits)), admits, order.same, take);
  if (quota.scope === "group") {
    for (const g of groups) fill(g.sorted);
    return;
  }
  fill(groups.flatMap((g) => g.sorted).sort(order.by));
}
