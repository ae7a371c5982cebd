import type { Unit } from "../dataset/dataset.js";
import {
  applyRollup,
  type RollupCount,
  sourceMax,
  subUnitsByParent,
  targetMaxOf,
} from "../evaluation/rollup.js";
import { type Rational, ratio, sub, toExactString, ZERO } from "../rational.js";
import type { CompiledScheme } from "../scheme/compile-scheme.js";
import type { Rollup } from "../scheme/scheme-schema.js";
import type { Baseline } from "./baseline.js";
import type { Frac } from "./frac.js";
import type { Standing } from "./standing.js";

// Rebuilt from what each side already holds, not recorded by compose: a parent reads its
// sub-units' final values (category points after rounding, or totals), which are exactly what
// the standings publish, and blends them by compose's own `applyRollup`, so the parts come out
// the same to the last digit, by the same rules. Recording them in compose would cost every
// evaluation, and a fast or column scenario composes nothing to record them in; here a what-if
// read only for its ranks pays nothing.

/** One side's values of a roll-up part: exact strings, as a DeltaPart's. */
export interface RollupPartValues {
  /** Null where no roll-up into the target applies to the unit on that side, or the target has no result. */
  baseline: string | null;
  scenario: string | null;
  /** scenario − baseline, exact; null when either side is null. */
  delta: string | null;
}

/**
 * What a unit's sub-units (下属单位评议结果按比例计入) put into one of its parts, on each side.
 * For a category target, `own` + `fromSubUnits` is exactly the category's final points on each
 * side where both are given: its DeltaPart's `baseline` and `scenario` in a row that has parts
 * (a total on both sides). For the total, it is the unit's exact total, not its
 * `total-rounding-and-floor` part (which holds only the roll-ups' net effect and the rounding).
 * The total's split is by the roll-ups into the total only: what sub-units put into a category
 * through a category roll-up is in that category's `fromSubUnits` and in the total's `own`.
 */
export interface RollupPart {
  /** What the roll-ups blend into: a category (its part in `parts`) or the total. */
  into: "category" | "total";
  /** The category's id, as its DeltaPart's `part`; null for the total. */
  category: string | null;
  /** The category's name in the scenario's scheme (the baseline's for one only it has); "total" for the total. */
  name: string;
  /** The roll-ups into the target that apply to the unit on either side, in scheme order. */
  rollups: string[];
  /**
   * What came from the sub-units: each roll-up's share × its sub-units' aggregate share of
   * maximum × the target's maximum, times (1 − share) of every later roll-up into the same
   * target that blended, so that chained roll-ups add up. 0 for a roll-up that kept the
   * parent's value (no sub-unit with a result, a source worth 0 points).
   */
  fromSubUnits: RollupPartValues;
  /**
   * The rest: the target's value minus what came from the sub-units (the parent's own result
   * as the roll-ups kept it, with the category's or total's rounding). For the total it includes
   * what sub-units put into the categories through category roll-ups: their whole weight in the
   * total is the total's `fromSubUnits` plus each category's `fromSubUnits` × (1 − share) of
   * every roll-up into the total that blended.
   */
  own: RollupPartValues;
  /**
   * Per side, the sub-units each applying roll-up read and how many had no result (left out,
   * counted as 0 or leaving the target without a result, as the rule says), as the evaluation
   * records them (`rollups` of its unit): none after one that left the target no result, none
   * into the total where a category has no result, and none into a category that had no result
   * of its own. The standings cannot tell that last case from one where a roll-up with a sub-unit
   * without a result (`missingSubUnit: "insufficient"`) left the category none: such a roll-up's
   * counts are given, and those before it, as the evaluation records them where the category had
   * a result of its own. Null where no roll-up applies on that side; `[]` where some apply and
   * none was read.
   */
  subUnits: { baseline: RollupCount[] | null; scenario: RollupCount[] | null };
}

/**
 * A row's roll-up parts by unit id: one per target (categories in the order of the row's parts,
 * then the total) that a roll-up applying to the unit blends into on either side; empty for a unit
 * without roll-ups; undefined for a unit the comparison does not hold. Worked out per row when
 * first asked, from the sides' standings, schemes and parent links, and kept: asked again, the
 * same parts (the same objects) come back.
 *
 * @example
 * // Bureau B (public evaluation 80 of 100: 32 of 40) and its sub-units S1 and S2 (public 75.05 and
 * // 75.075), under a roll-up "subs" of 10% of their public evaluation into B's (rollup-parts.test.ts,
 * // TEN_PERCENT, which runs this). B's public evaluation, 0.9 × 32 + 0.1 × 0.750625 × 40 = 31.8025
 * // → 31.80, is 3.0025 from its two sub-units and 28.7975 its own (28.8 less the rounding); at
 * // 20%, 6.005 of 31.61.
 * const baseline = createBaseline(scheme, dataset);
 * const r = runScenario(baseline, { name: "20%", patch: { rollups: { subs: { share: "0.2" } } } });
 * r.rollupParts("B")?.map((p) => [p.category, p.own.baseline, p.fromSubUnits.baseline, p.fromSubUnits.scenario]);
 * // [["public", "28.7975", "3.0025", "6.005"]]
 */
export type RollupParts = (unit: string) => RollupPart[] | undefined;

/** One side of a comparison, as the roll-up parts read it. */
export interface RollupSide {
  compiled: CompiledScheme;
  units: readonly Unit[];
  standings: () => readonly Standing[];
}

/** A baseline as a side. */
export function baselineRollupSide(baseline: Baseline): RollupSide {
  return { compiled: baseline.compiled, units: baseline.dataset.units, standings: () => baseline.standings };
}

/** What a side gives for one target: null values where the target has no result. */
interface SideTarget {
  rollups: string[];
  from: Rational | null;
  value: Rational | null;
  counts: RollupCount[];
  /** Whether compose reads the next roll-up into it: not after one that left it no result. */
  read: boolean;
  /** Whether a roll-up left it no result (missingSubUnit "insufficient"). */
  ended: boolean;
}

/** The reader over a baseline side and a scenario side. */
export function rollupPartsOf(baseline: RollupSide, scenario: RollupSide): RollupParts {
  let read:
    | { sides: [SideIndex, SideIndex]; names: Map<string, string>; order: Set<string | symbol> }
    | undefined;
  // A row's parts once worked out are kept, as the other readers keep theirs: a page read again
  // (or a GraphQL row asked for twice) pays once.
  const known = new Map<string, RollupPart[]>();
  return (unit) => {
    const kept = known.get(unit);
    if (kept) return kept;
    read ??= {
      sides: [sideIndex(baseline), sideIndex(scenario)],
      names: new Map(
        [...baseline.compiled.scheme.categories, ...scenario.compiled.scheme.categories].map((c) => [
          c.id,
          c.name,
        ]),
      ),
      order: new Set([
        ...scenario.compiled.scheme.categories.map((c) => c.id),
        ...baseline.compiled.scheme.categories.map((c) => c.id),
        TOTAL,
      ]),
    };
    const [b, a] = read.sides;
    const before = b.at.get(unit);
    const after = a.at.get(unit);
    if (!before || !after) return undefined;
    const inBaseline = targetsOf(baseline.compiled, b, before);
    const inScenario = targetsOf(scenario.compiled, a, after);
    const out: RollupPart[] = [];
    for (const key of read.order) {
      const [x, y] = [inBaseline.get(key), inScenario.get(key)];
      if (!x && !y) continue;
      const category = typeof key === "string" ? key : null;
      out.push({
        into: category === null ? "total" : "category",
        category,
        name: category === null ? "total" : read.names.get(category)!,
        rollups: [...new Set([...(x?.rollups ?? []), ...(y?.rollups ?? [])])],
        fromSubUnits: values(x?.from ?? null, y?.from ?? null),
        own: values(ownOf(x), ownOf(y)),
        subUnits: { baseline: x?.counts ?? null, scenario: y?.counts ?? null },
      });
    }
    known.set(unit, out);
    return out;
  };
}

// The total as a target key: a symbol, which no category id can be.
const TOTAL = Symbol("total");

interface SideIndex {
  at: Map<string, Standing>;
  children: Map<string, Unit[]>;
  /** Category positions in the side's scheme, as its standings' points hold them. */
  position: Map<string, number>;
  targetMax: (rollup: Rollup) => Rational;
}

function sideIndex(side: RollupSide): SideIndex {
  return {
    at: new Map(side.standings().map((s) => [s.unit, s])),
    children: subUnitsByParent(side.units),
    position: new Map(side.compiled.scheme.categories.map((c, i) => [c.id, i])),
    targetMax: targetMaxOf(side.compiled),
  };
}

/**
 * The targets a side's roll-ups blend into for one unit, by compose's own `applyRollup` over the
 * sub-units' published values. A blend is linear in the parent's own value, (1 − s) × own + s ×
 * aggregate × maximum, so blending the sub-units' part so far, from 0, gives their part after
 * it: what the roll-up added, with what each later one kept of it. A roll-up that kept the
 * parent's value keeps that part as it is.
 */
function targetsOf(
  compiled: CompiledScheme,
  side: SideIndex,
  unit: Standing,
): Map<string | symbol, SideTarget> {
  const out = new Map<string | symbol, SideTarget>();
  const kids = side.children.get(unit.unit);
  if (!kids) return out;
  const { scheme } = compiled;
  const { position: at, targetMax } = side;
  const resultOf = (s: Standing, r: Rollup): Frac | null =>
    "category" in r.source ? (s.points[at.get(r.source.category)!] ?? null) : s.total;
  // Compose blends into the total only where every category has a result: a total to blend.
  const hasTotal = unit.points.every((p) => p !== null);
  for (const r of scheme.rollups) {
    if (r.parents && !r.parents.includes(unit.unit)) continue;
    const key = "category" in r.into ? r.into.category : TOTAL;
    let target = out.get(key);
    if (!target) {
      const value = "category" in r.into ? (unit.points[at.get(r.into.category)!] ?? null) : unit.total;
      target = {
        rollups: [],
        from: value && ZERO,
        value: value && ratio(value.n, value.d),
        counts: [],
        read: "category" in r.into || hasTotal,
        ended: false,
      };
      out.set(key, target);
    }
    target.rollups.push(r.id);
    if (!target.read) continue;
    const children = kids.map((k) => {
      const v = resultOf(side.at.get(k.id)!, r);
      return { unit: k.id, value: v && ratio(v.n, v.d) };
    });
    const label = "category" in r.into ? r.into.category : "total";
    const result = applyRollup(
      r,
      target.from ?? ZERO,
      targetMax(r),
      sourceMax(r, compiled),
      children,
      label,
      false,
    );
    target.counts.push({ rollup: r.id, subUnits: result.subUnits, withoutResult: result.withoutResult });
    if (result.status === "insufficient") {
      target.read = false;
      target.ended = true;
    } else if (target.from !== null) target.from = result.value;
  }
  // A category without a result that no roll-up ended had none of its own: compose read none of
  // its roll-ups. (One a roll-up ended may have had none either: see `RollupPart.subUnits`.)
  for (const t of out.values()) if (t.value === null && !t.ended) t.counts = [];
  return out;
}

function ownOf(t: SideTarget | undefined): Rational | null {
  return t?.value && t.from ? sub(t.value, t.from) : null;
}

function values(before: Rational | null, after: Rational | null): RollupPartValues {
  return {
    baseline: before && toExactString(before),
    scenario: after && toExactString(after),
    delta: before && after ? toExactString(sub(after, before)) : null,
  };
}
