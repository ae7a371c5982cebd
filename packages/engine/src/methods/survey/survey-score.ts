import { add, div, isZero, mul, type Rational, ratio, smallLcm, ZERO } from "../../rational.js";
import { plural } from "../trace-list.js";
import type { GroupWeights, SurveyRules } from "./survey-rules.js";
import type { SurveyCounts } from "./survey-tally.js";

/** One unit's (or one group's) forms by answer option. */
export interface OptionTally {
  /** Count per option, by option index. */
  readonly counts: readonly number[];
  readonly forms: number;
  /** Forms whose answer has points. */
  readonly valid: number;
  /** Forms whose answer has no points (不了解 "don't know"): neither valid nor scored. */
  readonly excluded: number;
}

export interface GroupResult {
  readonly group: string;
  readonly weight: Rational;
  readonly tally: OptionTally;
  /**
   * "weighted": counted in the score; "short": fewer valid forms than the minimum;
   * "unweighted": weight 0, its forms are shown but not scored.
   */
  readonly use: "weighted" | "short" | "unweighted";
  /** Mean points; null unless the group has at least one valid form. */
  readonly score: Rational | null;
  readonly satisfaction: Rational | null;
}

export interface GroupWeighting {
  /** The unit kind whose `byUnitKind` weights applied; undefined: the default `weights`. */
  readonly unitKind: string | undefined;
  /**
   * Under the default weights: the unit's kind and the `byUnitKind` key, used by no unit, that
   * most likely misspells it (`missedUnitKinds`); undefined otherwise.
   */
  readonly missedKind?: { readonly kind: string; readonly key: string } | undefined;
  readonly missingGroup: "insufficient" | "renormalize";
  readonly groups: readonly GroupResult[];
}

/** A unit's survey result, exact, with everything a trace needs to show the arithmetic. */
export type SurveyUnitScore =
  | {
      readonly status: "scored";
      /** On the rules' scale. */
      readonly value: Rational;
      /** Share of valid forms (weighted like the score) with a satisfied answer; null if none declared. */
      readonly satisfaction: Rational | null;
      readonly total: OptionTally;
      readonly weighting?: GroupWeighting | undefined;
    }
  | {
      readonly status: "insufficient";
      readonly reason: string;
      readonly total: OptionTally;
      readonly weighting?: GroupWeighting | undefined;
    };

/** Reads one block of `options.length` cells starting at `offset` into an {@link OptionTally}. */
export function readTally(rules: SurveyRules, cells: Float64Array, offset: number): OptionTally {
  const counts: number[] = [];
  let valid = 0;
  let excluded = 0;
  for (let o = 0; o < rules.options.length; o++) {
    const c = cells[offset + o]!;
    counts.push(c);
    if (rules.points[o] === null) excluded += c;
    else valid += c;
  }
  return { counts, forms: valid + excluded, valid, excluded };
}

/** Σ points(option) × count(option) / valid forms. The tally must have a valid form. */
export function meanPoints(rules: SurveyRules, tally: OptionTally): Rational {
  const integer = rules.integerPoints;
  if (integer) {
    // Exact in doubles: integer points below 2^32 times counts, summed well below 2^53 for any
    // realistic number of forms; checked, and otherwise the fraction path below is taken.
    let sum = 0;
    for (let o = 0; o < integer.length; o++) {
      const p = integer[o];
      if (p !== null && p !== undefined) sum += p * tally.counts[o]!;
    }
    if (Number.isSafeInteger(sum)) return ratio(BigInt(sum), rules.pointsDenominator * BigInt(tally.valid));
  }
  let total = ZERO;
  tally.counts.forEach((c, o) => {
    const p = rules.points[o];
    if (p && c > 0) total = add(total, mul(p, ratio(BigInt(c))));
  });
  return div(total, ratio(BigInt(tally.valid)));
}

/** Σ count(satisfied options) / valid forms, as a fraction of 1. The tally must have a valid form. */
export function satisfactionShare(rules: SurveyRules, tally: OptionTally): Rational {
  let satisfied = 0;
  tally.counts.forEach((c, o) => {
    if (rules.satisfied[o]) satisfied += c;
  });
  return ratio(BigInt(satisfied), BigInt(tally.valid));
}

/**
 * Scores one unit from its counts: pooled over all forms, or per respondent group and then
 * Σ w_g × score_g / Σ w_g. A unit below the minimum sample gets a reason, never a number.
 */
export function scoreSurveyUnit(
  rules: SurveyRules,
  counts: SurveyCounts,
  unit: { index: number; kind?: string | undefined; missedKey?: string | undefined },
): SurveyUnitScore {
  const O = rules.options.length;
  const G = rules.groups.length;
  const base = unit.index * G * O;
  const byGroup = rules.groups.map((_, g) => readTally(rules, counts.cells, base + g * O));
  const total = sumTallies(rules, byGroup);
  const w = rules.weighting;
  if (w.type === "pooled") {
    if (total.forms === 0) return { status: "insufficient", reason: "no survey forms", total };
    if (total.valid < rules.minValidForms || total.valid === 0)
      return {
        status: "insufficient",
        reason: `${plural(total.valid, "valid form")}, minimum ${rules.minValidForms}`,
        total,
      };
    return {
      status: "scored",
      value: meanPoints(rules, total),
      satisfaction: rules.reportsSatisfaction ? satisfactionShare(rules, total) : null,
      total,
    };
  }

  const byKind = unit.kind === undefined ? undefined : w.byUnitKind.get(unit.kind);
  const weights: GroupWeights = byKind ?? w.weights;
  const groups = rules.groups.map((group, g): GroupResult => {
    const tally = byGroup[g]!;
    const weight = weights[g] ?? ZERO;
    const hasValid = tally.valid > 0;
    return {
      group,
      weight,
      tally,
      use: isZero(weight)
        ? "unweighted"
        : tally.valid < rules.minValidForms || !hasValid
          ? "short"
          : "weighted",
      score: hasValid ? meanPoints(rules, tally) : null,
      satisfaction: hasValid && rules.reportsSatisfaction ? satisfactionShare(rules, tally) : null,
    };
  });
  const weighting: GroupWeighting = {
    unitKind: byKind ? unit.kind : undefined,
    missedKind:
      !byKind && unit.kind !== undefined && unit.missedKey !== undefined
        ? { kind: unit.kind, key: unit.missedKey }
        : undefined,
    missingGroup: w.missingGroup,
    groups,
  };

  const short = groups.filter((g) => g.use === "short");
  const used = groups.filter((g) => g.use === "weighted");
  const shortText = () =>
    short
      .map(
        (g) =>
          `group "${g.group}" has ${plural(g.tally.valid, "valid form")}, minimum ${rules.minValidForms}`,
      )
      .join("; ");
  if (total.forms === 0) return { status: "insufficient", reason: "no survey forms", total, weighting };
  if (short.length > 0 && w.missingGroup === "insufficient")
    return { status: "insufficient", reason: shortText(), total, weighting };
  if (used.length === 0)
    return {
      status: "insufficient",
      reason:
        short.length > 0
          ? `no weighted group has enough valid forms: ${shortText()}`
          : "no group has a weight above 0",
      total,
      weighting,
    };

  const weightSum = used.reduce((s, g) => add(s, g.weight), ZERO);
  const weighted = (pick: (g: GroupResult) => Rational) =>
    div(
      used.reduce((s, g) => add(s, mul(g.weight, pick(g))), ZERO),
      weightSum,
    );
  const integer = rules.integerPoints;
  return {
    status: "scored",
    value:
      (integer && wholeWeighted(used, (t) => pointsSum(integer, t), rules.pointsDenominator)) ??
      weighted((g) => g.score!),
    satisfaction: rules.reportsSatisfaction
      ? (wholeWeighted(used, (t) => satisfiedCount(rules, t), 1n) ?? weighted((g) => g.satisfaction!))
      : null,
    total,
    weighting,
  };
}

/**
 * Σ w_g × x_g / Σ w_g over the used groups, where x_g = part(tally_g) / (unit × valid_g)
 * (a group's mean points or satisfied share). With w_g = a_g / W and L = lcm(valid_g),
 * it is Σ a_g × part_g × (L / valid_g) / (unit × L × Σ a_g): whole numbers, summed in
 * doubles while every step is a safe integer (then exact), and reduced once. Null when a
 * step would not be exact; the caller then adds fractions.
 */
function wholeWeighted(
  used: readonly GroupResult[],
  part: (tally: OptionTally) => number,
  unit: bigint,
): Rational | null {
  let common = 1; // W
  let valid = 1; // L
  for (const g of used) {
    // Checked as doubles: a part past the limit stays past it when converted.
    const n = Number(g.weight.n);
    const d = Number(g.weight.d);
    if (!(d <= SMALL && n <= SMALL && n >= 0)) return null;
    common = smallLcm(common, d);
    valid = smallLcm(valid, g.tally.valid);
    if (common > SMALL || valid > SMALL) return null;
  }
  let sum = 0;
  let weights = 0;
  for (const g of used) {
    const a = Number(g.weight.n) * (common / Number(g.weight.d));
    const term = a * (valid / g.tally.valid) * part(g.tally);
    sum += term;
    weights += a;
    if (!Number.isSafeInteger(term) || !Number.isSafeInteger(sum) || !Number.isSafeInteger(weights))
      return null;
  }
  return ratio(BigInt(sum), unit * BigInt(valid) * BigInt(weights));
}

// Weight parts and valid-form counts up to 2^31 keep a × (L / valid) × part safe for any
// realistic sum; larger ones fall back to fractions.
const SMALL = 2 ** 31;

/** Σ count × points over the common points denominator: `meanPoints` × valid × denominator. */
function pointsSum(integer: readonly (number | null)[], tally: OptionTally): number {
  let sum = 0;
  for (let o = 0; o < integer.length; o++) {
    const p = integer[o];
    if (p !== null && p !== undefined) sum += p * tally.counts[o]!;
  }
  return sum;
}

function satisfiedCount(rules: SurveyRules, tally: OptionTally): number {
  let satisfied = 0;
  tally.counts.forEach((c, o) => {
    if (rules.satisfied[o]) satisfied += c;
  });
  return satisfied;
}

function sumTallies(rules: SurveyRules, tallies: readonly OptionTally[]): OptionTally {
  const counts = rules.options.map((_, o) => tallies.reduce((s, t) => s + t.counts[o]!, 0));
  const valid = tallies.reduce((s, t) => s + t.valid, 0);
  const excluded = tallies.reduce((s, t) => s + t.excluded, 0);
  return { counts, forms: valid + excluded, valid, excluded };
}
