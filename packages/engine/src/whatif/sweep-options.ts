import type { DecimalValue } from "../dataset/dataset.js";
import { unknownId } from "../exact-id.js";
import { InputError } from "../input-error.js";
import { knownOptions } from "../known-options.js";
import { add, cmp, parseDecimal, type Rational, toExactString, ZERO } from "../rational.js";
import type { Baseline } from "./baseline.js";
import { checkBaselineArgument } from "./baseline-argument.js";
import { askedGroups } from "./groups-option.js";
import { SweepNotLinearError } from "./sweep-not-linear-error.js";
import { overallQuota } from "./sweep-walks.js";
import type { OthersMode } from "./unit-functions.js";

export interface WeightSweepOptions {
  /** The category whose points are swept. */
  category: string;
  /** Default 0. */
  from?: DecimalValue;
  /** Default: the sum of all categories' points (the whole range the category could take). */
  to?: DecimalValue;
  /**
   * "fixed" (default): other categories keep their points. "rescale": they share the rest of
   * the total in proportion. "transfer": `donor` gives what the category gains (and takes back
   * what it loses), the others keep theirs.
   */
  others?: OthersMode;
  /**
   * With others "transfer", the category that gives the points: sweeping public evaluation
   * with organ construction as donor follows the 2019 reform (public 40 → 50 as organ 30 → 20)
   * and every point on the way. Its points and the category's add up to the same at every x,
   * so `to` defaults to, and may be at most, that sum.
   */
  donor?: string;
  /**
   * Only these groups' units are swept; default every group. Each group is ranked and graded
   * on its own, so a group's units come out as in a sweep of every group: a caller showing
   * one group of a province does not pay for the other forty-nine. Except under a grade quota
   * over all ranked units: their grades need one more walk over all of them, along the quota's
   * boundary for one quota filled from the top (2–3 s for a province of 10,000, and never
   * more than the other; not where last place bars excellence), else over every crossing
   * (~n²: ~19 s there);
   * `sweepWalks` says which, and `sweepWork` estimates the work, for a host that bounds it.
   */
  groups?: readonly string[];
}

/** A weight sweep's options, checked, with their defaults filled in. */
export interface SweepRange {
  category: string;
  others: OthersMode;
  /** The category that gives the points under others "transfer"; undefined otherwise. */
  donor: string | undefined;
  from: Rational;
  to: Rational;
  /** The category's nominal points. */
  nominal: Rational;
  /** The groups asked for, in the scheme's order; null for every group. */
  groups: string[] | null;
  /** Whether a grade quota spans every ranked unit: their grades then take one walk over them all. */
  pooledGrades: boolean;
}

/**
 * Checks a sweep's options as `weightSweep` reads them, naming the option and the reason;
 * `sweepWork` checks them alike, so that a host pricing a sweep refuses what the sweep would.
 */
export function sweepRange(baseline: Baseline, options: WeightSweepOptions): SweepRange {
  knownOptions(options, ["category", "from", "to", "others", "donor", "groups"]);
  const { compiled } = baseline;
  const { scheme } = compiled;
  const others = options.others ?? "fixed";
  const total = schemeTotal(baseline);
  const bad = (path: string, message: string) => new InputError("scenario", [{ path: [path], message }]);
  if (others !== "fixed" && others !== "rescale" && others !== "transfer")
    throw bad("others", 'must be "fixed", "rescale" or "transfer"');
  const read = (path: "from" | "to", value: string | number): Rational => {
    try {
      return parseDecimal(value);
    } catch (e) {
      throw bad(path, (e as Error).message);
    }
  };
  // Quoted below in messages: an object there (JSON can give one with its own toString)
  // would throw a TypeError from the quoting.
  if (typeof options.category !== "string")
    throw bad(
      "category",
      options.category === undefined ? "is required and must be a category id" : "must be a category id",
    );
  const maybeNominal = compiled.points.get(options.category);
  if (!maybeNominal)
    throw bad("category", unknownId("category", options.category, new Set(compiled.points.keys()), true));
  const nominal: Rational = maybeNominal;
  const donor = options.donor;
  if (donor !== undefined && others !== "transfer")
    throw bad("donor", `gives points only when others is "transfer" (others is "${others}")`);
  if (others === "transfer") {
    if (donor === undefined)
      throw bad("donor", 'is required when others is "transfer": the category that gives the points');
    if (typeof donor !== "string") throw bad("donor", "must be a category id");
    if (!compiled.points.has(donor))
      throw bad("donor", unknownId("category", donor, new Set(compiled.points.keys()), true));
    if (donor === options.category)
      throw bad("donor", `must be another category than the one swept ("${donor}")`);
  }
  const defaults = sweepDefaults(baseline, options);
  const from = read("from", options.from ?? defaults.from);
  const to = read("to", options.to ?? defaults.to);
  if (from.n < 0n) throw bad("from", "must not be negative");
  // An end past the other, left-out end is the end given: "to: must be greater than from" would
  // name an option the caller never wrote. Said in the words of the limits on `to` below.
  if (cmp(to, from) <= 0) {
    if (options.to !== undefined && options.from === undefined)
      throw bad("to", `must be greater than ${defaults.from}, where the sweep starts when from is left out`);
    if (options.to !== undefined) throw bad("to", "must be greater than from");
    // Two categories of 0 points leave the range no room, wherever it starts.
    if (others === "transfer" && to.n === 0n)
      throw bad(
        "donor",
        `has no points to give: "${options.category}" and "${donor}" have 0 points together`,
      );
    throw bad(
      "from",
      others === "transfer"
        ? `must be below ${defaults.to}, the points of "${options.category}" and "${donor}" together, since "${donor}" gives the points`
        : others === "rescale"
          ? `must be below the scheme's total of ${defaults.to} when the others are rescaled`
          : `must be below the scheme's total of ${defaults.to}, where the sweep ends when to is left out`,
    );
  }
  if (others === "rescale" && cmp(nominal, total) >= 0)
    throw bad(
      "others",
      `"${options.category}" holds all of the scheme's ${toExactString(total)} points: no other category has points to rescale`,
    );
  if (others === "transfer" && cmp(to, parseDecimal(defaults.to)) > 0)
    throw bad(
      "to",
      `must be at most ${defaults.to}, the points of "${options.category}" and "${donor}" together, since "${donor}" gives the points`,
    );
  if (others === "rescale" && cmp(to, total) > 0)
    throw bad(
      "to",
      `must be at most the scheme's total of ${toExactString(total)} when the others are rescaled`,
    );
  // A quota over every ranked unit grades by the order of them all; ranks stay by group.
  const pooledGrades = overallQuota(scheme);
  if (pooledGrades && scheme.grades.rules.some((r) => r.quota && r.quota.scope !== "overall"))
    throw new SweepNotLinearError(
      "grade quotas within groups and over all ranked units in one scheme are not supported by the sweep yet",
      { reason: "mixed-quota-scopes", category: options.category, categories: [], rollup: null },
    );

  const groups = askedGroups(scheme, options.groups);
  return { category: options.category, others, donor, from, to, nominal, groups, pooledGrades };
}

/**
 * The range a sweep takes when `from` or `to` is left out: from 0 to the sum of every
 * category's points, the whole range a category could take, or under others "transfer" to
 * the sum of the category's and the donor's points (where the donor has none left). A caller
 * that keys sweeps by their options (a cache) fills these in so that an omitted end and its
 * default are one sweep. Options the sweep would refuse get the whole total.
 */
export function sweepDefaults(
  baseline: Baseline,
  options?: Pick<WeightSweepOptions, "category" | "others" | "donor">,
): { from: string; to: string } {
  checkBaselineArgument(baseline);
  const { points } = baseline.compiled;
  const swept = options?.others === "transfer" && points.get(options.category);
  const given = swept && typeof options.donor === "string" && points.get(options.donor);
  return { from: "0", to: toExactString(swept && given ? add(swept, given) : schemeTotal(baseline)) };
}

export function schemeTotal(baseline: Baseline): Rational {
  return [...baseline.compiled.points.values()].reduce(add, ZERO);
}
