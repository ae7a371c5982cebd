import type { InputIssue } from "../input-error.js";
import { add, cmp, parseDecimal, type Rational, round, toExactString, toFixed, ZERO } from "../rational.js";
import type { Scheme } from "./scheme-schema.js";

/**
 * A rounded stage publishes on a grid of `rounding.decimals` places. The most it can give — a
 * category's points (stage "category"), the bonus cap ("adjustment"), the scheme's maximum
 * ("total") — must not round up off that grid: a full score would be published above it, and a
 * total above the scheme's maximum (97.5 + 2.5 points to whole points: 98 + 3 = 101 of 100).
 * Rounded down, nothing exceeds a maximum, so that is left alone; deductions need no such care
 * either, since rounded they still only lower a total.
 */
export function offGridIssues(scheme: Scheme): InputIssue[] {
  const { decimals, mode, stages } = scheme.rounding;
  const issues: InputIssue[] = [];
  const rounded = (v: Rational) => round(v, decimals, mode);
  const roundsUp = (v: Rational) => cmp(rounded(v), v) > 0;
  /** `effect` says what `most`, as published, would do. */
  const offGrid = (
    path: (string | number)[],
    what: string,
    most: Rational,
    effect: (published: string) => string,
  ) =>
    issues.push({
      path,
      message: `${what} is not on the published grid of rounding.decimals (${decimals}) and rounds up: ${effect(toFixed(rounded(most), decimals))}`,
    });

  const points = scheme.categories.map((c) => parseDecimal(c.points));
  const roundCategories = stages.includes("category");
  if (roundCategories)
    points.forEach((p, i) => {
      if (roundsUp(p))
        offGrid(
          ["categories", i, "points"],
          toExactString(p),
          p,
          (shown) => `a full score would be published as ${shown}, above the category's points`,
        );
    });
  const bonusCap = parseDecimal(scheme.bonusCap);
  // Without bonus types no unit has a bonus: the cap is never reached, nor rounded.
  const bonusReach = scheme.bonusTypes.length === 0 ? ZERO : bonusCap;
  const roundBonuses = stages.includes("adjustment");
  if (roundBonuses && roundsUp(bonusReach))
    offGrid(
      ["bonusCap"],
      toExactString(bonusCap),
      bonusCap,
      (shown) => `bonuses at the cap would be published as ${shown}, above the cap`,
    );
  if (!stages.includes("total") || issues.length > 0) return issues;

  // The most a total reaches before it is rounded: full marks, at the cap, each part as its
  // own stage publishes it. Parts that round down leave room below a maximum that rounds up.
  let reach = roundBonuses ? rounded(bonusReach) : bonusReach;
  for (const p of points) reach = add(reach, roundCategories ? rounded(p) : p);
  const categorySum = points.reduce(add, ZERO);
  const maximum = add(categorySum, bonusCap);
  if (cmp(rounded(reach), maximum) > 0)
    offGrid(
      // Categories whose sum is on the grid leave the cap to blame.
      cmp(rounded(categorySum), categorySum) === 0 ? ["bonusCap"] : ["categories"],
      `the scheme's maximum ${toExactString(maximum)} (the categories' points plus bonusCap)`,
      reach,
      (shown) => `a full total would be published as ${shown}, above the maximum`,
    );
  return issues;
}
