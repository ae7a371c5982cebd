import type { Evaluation } from "../evaluation/evaluate.js";
import { InputError } from "../input-error.js";
import { knownOptions } from "../known-options.js";
import { competitionRanking } from "../ranking/competition-ranking.js";
import {
  cmp,
  div,
  median as medianOf,
  mul,
  parseDecimal,
  type Rational,
  ratio,
  round,
  sub,
  toExactString,
  toFixed,
} from "../rational.js";
import { checkEvaluationArgument } from "./evaluation-argument.js";

/** One category of one unit, against the units of its group. */
export interface CategoryStanding {
  category: string;
  name: string;
  status: "scored" | "insufficient";
  /** The unit's points as published; null when insufficient. */
  points: string | null;
  /** The category's maximum as published. */
  maxPoints: string;
  /** points / maxPoints, exact; null when insufficient or the category is worth 0 points. */
  share: string | null;
  /** `share` as a percent, 2 decimals, half-up. */
  sharePercent: string | null;
  /** Competition rank ("1224") of the unit's points among the group's units with points here; null when insufficient. */
  rank: number | null;
  /** How many units of the group have points in this category: the rank is out of these. */
  of: number;
  /** Median of those units' points, exact (the mean of the middle two for an even count); null when none has points. */
  median: string | null;
  /** points − median, exact; null when insufficient. */
  gapToMedian: string | null;
}

export interface UnitStrengths {
  unit: string;
  name: string;
  group: string;
  /** Whether the group is ranked: category ranks are given either way, as comparisons within the group. */
  groupRanked: boolean;
  total: string | null;
  rank: number | null;
  rankedInGroup: number;
  /** How many categories `strongest` and `weakest` each hold: the count asked for, at most half the ranked categories. */
  count: number;
  /** Every category, in the scheme's order. */
  categories: CategoryStanding[];
  /** Best first: by rank, then by share of maximum, then in the scheme's order. */
  strongest: CategoryStanding[];
  /** Weakest first, in the reverse of that order. */
  weakest: CategoryStanding[];
}

export interface StrengthsOptions {
  /** How many strongest and how many weakest categories (default 1). */
  count?: number;
}

/** With the usual three categories, one of each leaves one in the middle. */
const DEFAULT_COUNT = 1;

/**
 * A unit's strengths and weaknesses (优势与短板): its rank in each category among the units of
 * its group (competition ranking on the points as published, so ties are the ties a reader of
 * the table sees; within a group under one scheme the same order as by share of the maximum),
 * its share of the category's maximum, the group's median there and its gap to it; and its
 * `count` strongest and weakest categories by that rank, as COINr lists a unit's top and bottom
 * indicators. The two lists never share a category: `count` is limited to half the categories
 * the unit has a rank in (one of three), and the result says what was used.
 *
 * Reads a published evaluation only, so it works as well on an evaluation under a scenario.
 *
 * @throws InputError of subject "argument": path `unit` for a unit id the evaluation does not
 * hold, `count` for a count that is not a whole number of at least 1, an unknown option's name,
 * `evaluation` for anything but an evaluation.
 */
export function strengthsAndWeaknesses(
  evaluation: Evaluation,
  unitId: string,
  options: StrengthsOptions = {},
): UnitStrengths {
  checkEvaluationArgument(evaluation);
  knownOptions(options, ["count"], [], "argument");
  const issues = [];
  const asked = options.count ?? DEFAULT_COUNT;
  if (!Number.isSafeInteger(asked) || asked < 1)
    issues.push({ path: ["count"], message: `must be a whole number of at least 1, not ${String(asked)}` });
  const unit = evaluation.units.find((u) => u.unit === unitId);
  if (!unit) issues.push({ path: ["unit"], message: `unknown unit "${unitId}"` });
  if (!unit || issues.length) throw new InputError("argument", issues);

  const peers = evaluation.units.filter((u) => u.group === unit.group);
  const categories = unit.categories.map((c, i): CategoryStanding => {
    const scored: { unit: string; points: Rational }[] = [];
    for (const p of peers) {
      // Every unit of an evaluation lists the scheme's categories in the same order.
      const points = p.categories[i]?.points;
      if (points != null) scored.push({ unit: p.unit, points: parseDecimal(points) });
    }
    const ranks = new Map(
      competitionRanking(
        scored.map((s) => ({ unit: s.unit, total: s.points, tieKeys: [], forcedLast: false })),
      ).map((r) => [r.entry.unit, r.rank]),
    );
    const median = scored.length === 0 ? null : medianOf(scored.map((s) => s.points));
    const points = c.points === null ? null : parseDecimal(c.points);
    const max = parseDecimal(c.maxPoints);
    const share = points === null || max.n === 0n ? null : div(points, max);
    return {
      category: c.category,
      name: c.name,
      status: c.status,
      points: c.points,
      maxPoints: c.maxPoints,
      share: share && toExactString(share),
      sharePercent: share && toFixed(round(mul(share, ratio(100)), 2, "half-up"), 2),
      rank: ranks.get(unit.unit) ?? null,
      of: scored.length,
      median: median && toExactString(median),
      gapToMedian: points === null || median === null ? null : toExactString(sub(points, median)),
    };
  });

  const ordered = categories
    .map((c, i) => ({ c, i, share: c.share === null ? null : shareOf(c) }))
    .filter((x) => x.c.rank !== null)
    .sort(
      (a, b) =>
        a.c.rank! - b.c.rank! ||
        // A category worth 0 points has no share: after those that have one.
        (a.share === null ? (b.share === null ? 0 : 1) : b.share === null ? -1 : cmp(b.share, a.share)) ||
        a.i - b.i,
    )
    .map((x) => x.c);
  const count = Math.min(asked, Math.floor(ordered.length / 2));
  const group = evaluation.groups.find((g) => g.id === unit.group);
  return {
    unit: unit.unit,
    name: unit.name,
    group: unit.group,
    groupRanked: group?.ranked ?? false,
    total: unit.total,
    rank: unit.rank,
    rankedInGroup: unit.rankedInGroup,
    count,
    categories,
    strongest: ordered.slice(0, count),
    weakest: ordered.slice(ordered.length - count).reverse(),
  };
}

function shareOf(c: CategoryStanding): Rational {
  return div(parseDecimal(c.points!), parseDecimal(c.maxPoints));
}
