import { ADJUSTMENT_NAMES } from "../explain/adjustment-names.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import { exactFrac, showFrac, wholeUnitsText } from "./format-frac.js";
import { FRAC_ZERO, type Frac, fracAdd, fracCmp, fracSub } from "./frac.js";
import { meanAbsoluteRankShift, rankCorrelations } from "./rank-statistics.js";
import type { Standing } from "./standing.js";
import { checkedUnitChangeFilter } from "./unit-change-filter.js";

/** A unit's official result on one side of a comparison. */
export interface UnitSnapshot {
  group: string;
  /** Official total (scheme decimals); null when not scored. */
  total: string | null;
  rank: number | null;
  rankedInGroup: number;
  grade: string | null;
  eligibleForExcellence: boolean;
  eligibleForAward: boolean;
}

/**
 * One part of a unit's total change. Category parts are the change in the category's final
 * points (after deductions and category rounding); "bonus" and "total-deductions" the
 * change in adjustments to the total; "total-rounding-and-floor" whatever the total's own
 * rounding, floor at zero and roll-ups added. The parts always sum exactly to `totalDelta`,
 * and each part's `scenario` − `baseline` is its `delta` where both are given.
 * Equal parts may be one frozen object shared by several units' rows.
 */
export interface DeltaPart {
  part: string;
  kind: "category" | "adjustment";
  /**
   * The category's name in the scenario's scheme (the baseline's for a category the scenario
   * drops); for an adjustment, what it is called.
   */
  name: string;
  /**
   * What the part adds to the baseline total, exact (deductions negative); null for a
   * category the baseline's scheme does not have.
   */
  baseline: string | null;
  /**
   * The same on the scenario side; null for a category only the baseline's scheme has (a
   * comparison with a version that dropped it), whose part comes after the scenario's categories.
   */
  scenario: string | null;
  /** Exact (a fraction "n/d" when not a terminating decimal). */
  delta: string;
}

export interface UnitChange {
  unit: string;
  name: string;
  baseline: UnitSnapshot;
  scenario: UnitSnapshot;
  /** Scenario total − baseline total, exact; null when either is not scored. */
  totalDelta: string | null;
  /**
   * Scenario rank − baseline rank: positive means the unit fell. Null when unranked on either
   * side or in another group on each.
   */
  rankDelta: number | null;
  parts: DeltaPart[];
}

/** `overtaker` was ranked below `overtaken` in the baseline and is above it in the scenario. */
export interface Swap {
  group: string;
  overtaker: string;
  overtaken: string;
}

export interface RankAgreement {
  /** Units compared (ranked on both sides for groups; scored on both sides overall). */
  units: number;
  spearman: number;
  kendallTauB: number;
  meanAbsoluteRankShift: number;
  unitsMoved: number;
}

/** Which rows of a comparison to list (`UnitChanges.select`). */
export interface UnitChangeFilter {
  /**
   * Units of this group on either side: a unit a scenario moves from g1 to g2 is in both
   * (on the weight-only path no unit changes group).
   */
  group?: string | undefined;
  /** These units (a Set, or a list of ids). */
  unitIds?: ReadonlySet<string> | readonly string[] | undefined;
  /**
   * Units whose rank, grade or official total changed: a rank that appears or disappears, and a
   * change of group, count as a change of rank.
   */
  movedOnly?: boolean | undefined;
}

/**
 * The rows of `StandingComparison.units`, readable one at a time: a province comparison
 * has ten thousand, and a caller that pages through them builds only the ones it shows.
 */
export interface UnitChanges {
  readonly length: number;
  /** The row at position k of `units`. */
  at(k: number): UnitChange;
  /**
   * Positions (ascending, in `units` order) of the rows that pass the filter. An unknown key or
   * group, or a value of the wrong type, is an InputError (subject "scenario") naming it.
   */
  select(filter: UnitChangeFilter): number[];
}

/** A unit whose grade differs: grade ids before (the baseline) and after; null for none. */
export interface GradeChange {
  unit: string;
  from: string | null;
  to: string | null;
}

/** A unit whose eligibility differs: [before, after] for excellence and for any award. */
export interface EligibilityChange {
  unit: string;
  excellence: [boolean, boolean];
  award: [boolean, boolean];
}

/** How far one group's ranking agrees on both sides. */
export interface GroupAgreement extends RankAgreement {
  group: string;
}

export interface StandingComparison {
  /**
   * Sorted by |rankDelta| descending (units without a rank delta last), then |totalDelta|
   * descending, then unit id. May be built on first read; `unitChanges` reads it by row.
   */
  units: UnitChange[];
  unitChanges: UnitChanges;
  /** Who overtook whom within a group; may be built on first read. */
  swaps: Swap[];
  swapCount: number;
  /** Units whose grade differs, in dataset order. */
  gradeChanges: GradeChange[];
  /** Units whose eligibility for excellence or an award differs, in dataset order. */
  eligibilityChanges: EligibilityChange[];
  groups: GroupAgreement[];
  /**
   * Over every unit scored on both sides: Spearman and Kendall on totals (a pooled
   * standing across groups); mean absolute shift of within-group ranks.
   */
  overall: RankAgreement;
}

function whole(f: Frac | null): number {
  return f === null ? 0 : Number(f.n);
}

function wholeOrNaN(f: Frac | null): number {
  return f === null ? Number.NaN : Number(f.n);
}

/** A part on the exact path: `after` − `before`, a side without the part counting as 0. */
function exactPart(
  part: string,
  kind: DeltaPart["kind"],
  name: string,
  before: Frac | null,
  after: Frac | null,
): DeltaPart {
  return {
    part,
    kind,
    name,
    baseline: before && exactFrac(before),
    scenario: after && exactFrac(after),
    delta: exactFrac(fracSub(after ?? FRAC_ZERO, before ?? FRAC_ZERO)),
  };
}

const SAFE = 1n << 50n;

/**
 * Whole 10^−decimals units whose integer sums stay exact in doubles. The magnitude is read
 * from the double (within 1e−12 of the value, far inside the margin to 2^53) because bigint
 * comparisons, ten per unit, were a visible share of a province comparison.
 */
function isWhole(f: Frac | null, scale: bigint, limit: number): boolean {
  return f === null || (f.d === scale ? Math.abs(f.f) < limit : f.n === 0n);
}

/** True when both standings hold only whole 10^−decimals values small enough for doubles. */
function wholeUnits(a: Standing, b: Standing, scale: bigint, limit: number): boolean {
  if (
    !isWhole(a.total, scale, limit) ||
    !isWhole(b.total, scale, limit) ||
    !isWhole(a.bonus, scale, limit) ||
    !isWhole(b.bonus, scale, limit) ||
    !isWhole(a.totalDeducted, scale, limit) ||
    !isWhole(b.totalDeducted, scale, limit)
  )
    return false;
  for (const p of a.points) if (!isWhole(p, scale, limit)) return false;
  for (const p of b.points) if (!isWhole(p, scale, limit)) return false;
  return true;
}

/**
 * One text per distinct value within a comparison: totals and deltas repeat a lot across
 * 10^4 units, and shared strings are also less garbage.
 */
function textCache(make: (n: number) => string): (n: number) => string {
  const texts = new Map<number, string>();
  return (n) => {
    let t = texts.get(n);
    if (t === undefined) {
      t = make(n);
      texts.set(n, t);
    }
    return t;
  };
}

/** `after` in the order of `before` (matched by id); usually the same order, so no map is needed. */
function alignedWith(before: readonly Standing[], after: readonly Standing[]): readonly Standing[] {
  let same = before.length === after.length;
  for (let i = 0; same && i < before.length; i++) same = before[i]!.unit === after[i]!.unit;
  if (same) return after;
  const byId = new Map(after.map((s) => [s.unit, s]));
  return before.map((b) => byId.get(b.unit)!);
}

/** Compares two sets of standings of the same units (matched by id). */
export function compareStandings(
  baseScheme: Scheme,
  scheme: Scheme,
  before: readonly Standing[],
  after: readonly Standing[],
): StandingComparison {
  return compareWithSnapshots(scheme, after, {
    scheme: baseScheme,
    standings: before,
    snapshots: snapshotsOf(baseScheme, before),
  });
}

/** Every unit's official snapshot, aligned with `standings`. */
export function snapshotsOf(scheme: Scheme, standings: readonly Standing[]): UnitSnapshot[] {
  const { decimals, mode } = scheme.rounding;
  return standings.map((s) => snapshotOf(s, decimals, mode));
}

function snapshotOf(
  s: Standing,
  decimals: number,
  mode: Scheme["rounding"]["mode"],
  official?: (f: Frac) => string,
): UnitSnapshot {
  return {
    group: s.group,
    total: s.total === null ? null : official ? official(s.total) : showFrac(s.total, decimals, mode),
    rank: s.rank,
    rankedInGroup: s.rankedInGroup,
    grade: s.grade,
    eligibleForExcellence: s.excellence,
    eligibleForAward: s.award,
  };
}

/**
 * `compareStandings` with the baseline's snapshots given (aligned with its standings):
 * a baseline compared many times (scenarios, leave-one-out) formats its own values once.
 */
export function compareWithSnapshots(
  scheme: Scheme,
  after: readonly Standing[],
  base: { scheme: Scheme; standings: readonly Standing[]; snapshots: readonly UnitSnapshot[] },
): StandingComparison {
  const { decimals, mode } = scheme.rounding;
  const baseScheme = base.scheme;
  const before = base.standings;
  const scaleB = baseScheme.rounding.decimals === decimals ? 10n ** BigInt(decimals) : -1n;
  const aligned = alignedWith(before, after);
  const catIds = scheme.categories.map((c) => c.id);
  const catNames = scheme.categories.map((c) => c.name);
  const text = textCache((n) => wholeUnitsText(n, decimals));
  // Parts repeat across units (the same values on both sides, above all the adjustments): shared.
  // Categories only the baseline's scheme has (a version that dropped one) get parts of their own.
  const catSet = new Set(catIds);
  const droppedIdx = baseScheme.categories.flatMap((c, i) => (catSet.has(c.id) ? [] : [i]));
  const dropped = droppedIdx.map((i) => baseScheme.categories[i]!);
  const part = deltaPartsOf(scheme, text, dropped);
  const scale = 10n ** BigInt(decimals);
  const fixed = textCache((n) => showFrac({ n: BigInt(n), d: scale, f: 0 }, decimals, mode));
  const official = (f: Frac) =>
    f.d === scale && f.n < SAFE && f.n > -SAFE ? fixed(Number(f.n)) : showFrac(f, decimals, mode);
  const unit = 10 ** decimals;
  // 2^50 whole units leaves room for the sums of a dozen parts below 2^53.
  const limit = 2 ** 50 / unit;
  const baseCatIndex = new Map(baseScheme.categories.map((c, i) => [c.id, i]));
  const baseIdx = catIds.map((id) => baseCatIndex.get(id));
  const changes: UnitChange[] = new Array(before.length);
  const rankKey = new Float64Array(before.length);
  const sizeKey = new Float64Array(before.length);
  const gradeChanges: StandingComparison["gradeChanges"] = [];
  const eligibilityChanges: StandingComparison["eligibilityChanges"] = [];
  for (let i = 0; i < before.length; i++) {
    const b = before[i]!;
    const a = aligned[i]!;
    let totalDelta: string | null = null;
    let sortKey = 0;
    const parts: DeltaPart[] = [];
    if (a.total !== null && b.total !== null && wholeUnits(a, b, scaleB, limit)) {
      // Every value is whole 10^−decimals units (rounded schemes): deltas in plain integers.
      const delta = whole(a.total) - whole(b.total);
      totalDelta = text(delta);
      // The double nearest |delta| on both paths, so rows sort alike whichever path a unit took.
      sortKey = Math.abs(delta) / unit;
      // Each side's categories, bonus and deductions; what they leave of its total is the last part.
      let restA = whole(a.total) - whole(a.bonus) + whole(a.totalDeducted);
      let restB = whole(b.total) - whole(b.bonus) + whole(b.totalDeducted);
      for (let k = 0; k < catIds.length; k++) {
        const bi = baseIdx[k];
        const pa = wholeOrNaN(a.points[k] ?? null);
        const pb = bi === undefined ? Number.NaN : wholeOrNaN(b.points[bi] ?? null);
        if (!Number.isNaN(pa)) restA -= pa;
        if (!Number.isNaN(pb)) restB -= pb;
        parts.push(part(k, pb, pa));
      }
      for (let k = 0; k < droppedIdx.length; k++) {
        const pb = wholeOrNaN(b.points[droppedIdx[k]!] ?? null);
        if (!Number.isNaN(pb)) restB -= pb;
        parts.push(part(catIds.length + k, pb, Number.NaN));
      }
      const n = catIds.length + droppedIdx.length;
      parts.push(
        part(n, whole(b.bonus), whole(a.bonus)),
        part(n + 1, -whole(b.totalDeducted), -whole(a.totalDeducted)),
        part(n + 2, restB, restA),
      );
    } else if (a.total !== null && b.total !== null) {
      const delta = fracSub(a.total, b.total);
      totalDelta = exactFrac(delta);
      sortKey = Math.abs(Number(delta.n) / Number(delta.d));
      let restA = fracAdd(fracSub(a.total, a.bonus), a.totalDeducted);
      let restB = fracAdd(fracSub(b.total, b.bonus), b.totalDeducted);
      catIds.forEach((id, k) => {
        const bi = baseCatIndex.get(id);
        const pa = a.points[k] ?? null;
        const pb = bi === undefined ? null : (b.points[bi] ?? null);
        if (pa) restA = fracSub(restA, pa);
        if (pb) restB = fracSub(restB, pb);
        parts.push(exactPart(id, "category", catNames[k]!, pb, pa));
      });
      for (const i of droppedIdx) {
        const pb = b.points[i] ?? null;
        if (pb) restB = fracSub(restB, pb);
        parts.push(
          exactPart(baseScheme.categories[i]!.id, "category", baseScheme.categories[i]!.name, pb, null),
        );
      }
      parts.push(
        exactPart("bonus", "adjustment", ADJUSTMENT_NAMES.bonus, b.bonus, a.bonus),
        exactPart(
          "total-deductions",
          "adjustment",
          ADJUSTMENT_NAMES.deductions,
          fracSub(FRAC_ZERO, b.totalDeducted),
          fracSub(FRAC_ZERO, a.totalDeducted),
        ),
        exactPart("total-rounding-and-floor", "adjustment", ADJUSTMENT_NAMES.rest, restB, restA),
      );
    }
    const rankDelta = a.rank !== null && b.rank !== null && a.group === b.group ? a.rank - b.rank : null;
    changes[i] = {
      unit: b.unit,
      name: b.name,
      baseline: base.snapshots[i]!,
      scenario: snapshotOf(a, decimals, mode, official),
      totalDelta,
      rankDelta,
      parts,
    };
    rankKey[i] = rankDelta === null ? -1 : Math.abs(rankDelta);
    sizeKey[i] = sortKey;
    if (a.grade !== b.grade) gradeChanges.push({ unit: b.unit, from: b.grade, to: a.grade });
    if (a.excellence !== b.excellence || a.award !== b.award)
      eligibilityChanges.push({
        unit: b.unit,
        excellence: [b.excellence, a.excellence],
        award: [b.award, a.award],
      });
  }
  // Indices sorted on typed keys: no per-unit sort key to strip from the rows afterwards.
  const sorted = Array.from(changes, (_, i) => i).sort(
    (x, y) =>
      rankKey[y]! - rankKey[x]! ||
      sizeKey[y]! - sizeKey[x]! ||
      (changes[x]!.unit < changes[y]!.unit ? -1 : changes[x]!.unit > changes[y]!.unit ? 1 : 0),
  );
  const { swaps, groups } = groupAgreement(scheme, before, aligned);
  const units = sorted.map((i) => changes[i]!);
  return {
    units,
    // A group only the baseline's scheme has (a version that dropped it) still holds units on
    // the baseline side, which `group` selects as it does on the other side.
    unitChanges: unitChangesOf(units, [
      ...new Set([...scheme.groups, ...baseScheme.groups].map((g) => g.id)),
    ]),
    swaps,
    swapCount: swaps.length,
    gradeChanges,
    eligibilityChanges,
    groups,
    overall: overallAgreement(before, aligned),
  };
}

/** Rows already built, read through the `UnitChanges` interface. */
export function unitChangesOf(rows: readonly UnitChange[], groups: readonly string[]): UnitChanges {
  return {
    length: rows.length,
    at: (k) => {
      if (!(Number.isInteger(k) && k >= 0 && k < rows.length))
        throw new RangeError(`no row ${k}: rows are 0 … ${rows.length - 1}`);
      return rows[k]!;
    },
    select(given) {
      const filter = checkedUnitChangeFilter(given, groups);
      const out: number[] = [];
      rows.forEach((u, k) => {
        if (
          filter.group !== undefined &&
          u.baseline.group !== filter.group &&
          u.scenario.group !== filter.group
        )
          return;
        if (filter.unitIds && !filter.unitIds.has(u.unit)) return;
        // A rank that appears or disappears, or one in another group, is a move: rankDelta
        // is null then, as it is for a unit unranked on both sides, which did not move.
        if (
          filter.movedOnly &&
          u.baseline.rank === u.scenario.rank &&
          u.baseline.group === u.scenario.group &&
          u.baseline.grade === u.scenario.grade &&
          u.baseline.total === u.scenario.total
        )
          return;
        out.push(k);
      });
      return out;
    },
  };
}

function groupAgreement(scheme: Scheme, before: readonly Standing[], aligned: readonly Standing[]) {
  const members = new Map<string, [Standing, Standing][]>(scheme.groups.map((g) => [g.id, []]));
  for (let i = 0; i < before.length; i++) {
    const b = before[i]!;
    const a = aligned[i]!;
    if (b.rank !== null && a.rank !== null && a.group === b.group) members.get(b.group)?.push([b, a]);
  }
  const swaps: Swap[] = [];
  const groups: GroupAgreement[] = [];
  for (const [group, pairs] of members) {
    if (pairs.length === 0) continue;
    pairs.sort(([x], [y]) => x.rank! - y.rank! || (x.unit < y.unit ? -1 : 1));
    const beforeRanks = Int32Array.from(pairs, ([b]) => b.rank!);
    const afterRanks = Int32Array.from(pairs, ([, a]) => a.rank!);
    const found: number[] = [];
    collectSwaps(
      Int32Array.from(pairs, (_, k) => k),
      beforeRanks,
      afterRanks,
      found,
    );
    for (let s = 0; s < found.length; s += 2)
      swaps.push({ group, overtaker: pairs[found[s]!]![0].unit, overtaken: pairs[found[s + 1]!]![0].unit });
    const x = new Float64Array(pairs.length);
    const y = new Float64Array(pairs.length);
    let unitsMoved = 0;
    for (let k = 0; k < pairs.length; k++) {
      const [b, a] = pairs[k]!;
      x[k] = -b.rank!;
      y[k] = -a.rank!;
      if (b.rank !== a.rank) unitsMoved++;
    }
    groups.push({
      group,
      units: pairs.length,
      ...agreementOf(rankCorrelations(x, y)),
      meanAbsoluteRankShift: meanAbsoluteRankShift(x, y),
      unitsMoved,
    });
  }
  return { swaps, groups };
}

/**
 * Who overtook whom: for `list` in baseline order (rank, then id), every pair whose
 * scenario ranks are strictly the other way round, as (overtaker, overtaken) entries of
 * `out`, by a merge sort that meets each inversion once.
 */
export function collectSwaps(list: Int32Array, before: Int32Array, after: Int32Array, out: number[]): void {
  let cur = list.slice();
  let buf = new Int32Array(cur.length);
  for (let width = 1; width < cur.length; width *= 2) {
    for (let lo = 0; lo < cur.length; lo += 2 * width) {
      const mid = Math.min(lo + width, cur.length);
      const hi = Math.min(lo + 2 * width, cur.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const right = cur[j]!;
        if (after[right]! < after[cur[i]!]!) {
          for (let m = i; m < mid; m++) if (before[cur[m]!]! < before[right]!) out.push(right, cur[m]!);
          buf[k++] = right;
          j++;
        } else buf[k++] = cur[i++]!;
      }
      while (i < mid) buf[k++] = cur[i++]!;
      while (j < hi) buf[k++] = cur[j++]!;
    }
    [cur, buf] = [buf, cur];
  }
}

/**
 * Frozen parts shared by units whose part has the same values on both sides (whole
 * 10^−decimals units; NaN for a side without the part). One entry per slot and baseline
 * value: adjustments (mostly 0 on both sides) are shared, and a category part, whose values
 * rarely repeat, costs its own object and no more.
 */
export function deltaPartsOf(
  scheme: Scheme,
  text: (wholeUnits: number) => string,
  dropped: readonly Scheme["categories"][number][] = [],
): (slot: number, before: number, after: number) => DeltaPart {
  const partNames: [string, DeltaPart["kind"], string][] = [
    ...[...scheme.categories, ...dropped].map((c): [string, DeltaPart["kind"], string] => [
      c.id,
      "category",
      c.name,
    ]),
    ["bonus", "adjustment", ADJUSTMENT_NAMES.bonus],
    ["total-deductions", "adjustment", ADJUSTMENT_NAMES.deductions],
    ["total-rounding-and-floor", "adjustment", ADJUSTMENT_NAMES.rest],
  ];
  const caches = partNames.map(() => new Map<number, { after: number; part: DeltaPart }>());
  return (slot, before, after) => {
    const cache = caches[slot]!;
    const hit = cache.get(before);
    if (hit !== undefined && Object.is(hit.after, after)) return hit.part;
    const [part, kind, name] = partNames[slot]!;
    // A side without the part is shown as null and counts as 0.
    const b = Number.isNaN(before) ? null : before;
    const a = Number.isNaN(after) ? null : after;
    const p: DeltaPart = Object.freeze({
      part,
      kind,
      name,
      baseline: b === null ? null : text(b),
      scenario: a === null ? null : text(a),
      delta: text((a ?? 0) - (b ?? 0)),
    });
    cache.set(before, { after, part: p });
    return p;
  };
}

function overallAgreement(before: readonly Standing[], aligned: readonly Standing[]): RankAgreement {
  const x: Frac[] = [];
  const y: Frac[] = [];
  const rb: number[] = [];
  const ra: number[] = [];
  for (let i = 0; i < before.length; i++) {
    const b = before[i]!;
    const a = aligned[i]!;
    if (b.total !== null && a.total !== null) {
      x.push(b.total);
      y.push(a.total);
    }
    if (b.rank !== null && a.rank !== null && a.group === b.group) {
      rb.push(b.rank);
      ra.push(a.rank);
    }
  }
  return {
    units: x.length,
    ...agreementOf(rankCorrelations(exactLevels(x), exactLevels(y))),
    meanAbsoluteRankShift: meanAbsoluteRankShift(rb, ra),
    unitsMoved: rb.filter((r, i) => r !== ra[i]).length,
  };
}

/**
 * Each total's place among the others as a whole number, equal exactly when the totals
 * are: two equal unrounded totals reached by different sums can differ in the last bit of
 * their doubles, which would break a tie the statistics must count as one.
 */
function exactLevels(totals: readonly Frac[]): Int32Array {
  const order = Array.from(totals, (_, i) => i).sort((a, b) => fracCmp(totals[a]!, totals[b]!));
  const out = new Int32Array(totals.length);
  let level = 0;
  for (let p = 0; p < order.length; p++) {
    if (p > 0 && fracCmp(totals[order[p - 1]!]!, totals[order[p]!]!) !== 0) level++;
    out[order[p]!] = level;
  }
  return out;
}

function agreementOf(c: { spearman: number; kendallTauB: number }): {
  spearman: number;
  kendallTauB: number;
} {
  return { spearman: c.spearman, kendallTauB: c.kendallTauB };
}
