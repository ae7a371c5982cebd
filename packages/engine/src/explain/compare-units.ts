import type { Evaluation } from "../evaluation/evaluate.js";
import { InputError } from "../input-error.js";
import {
  cmp,
  parseDecimal,
  parseExact,
  type Rational,
  sub,
  toExactString,
  toFixed,
  ZERO,
} from "../rational.js";
import { checkEvaluationArgument } from "./evaluation-argument.js";

export interface CategoryDifference {
  category: string;
  name: string;
  a: string | null;
  b: string | null;
  /** a − b, exact; null when either is insufficient. */
  difference: string | null;
}

/** One side of a comparison: the unit, its published total and its rank. */
export interface ComparedUnit {
  unit: string;
  name: string;
  total: string | null;
  rank: number | null;
}

export interface UnitComparison {
  a: ComparedUnit;
  b: ComparedUnit;
  /** a − b of the totals. */
  totalDifference: string | null;
  categories: CategoryDifference[];
  /** Bonuses minus deductions on the total, after caps and as far as the floor at zero took them, a − b. */
  adjustmentDifference: string;
  /**
   * What the categories and `adjustmentDifference` leave of `totalDifference`: sub-unit
   * roll-ups into the total, rounding (the floor at zero is in what the deductions took). Null
   * when either has no total.
   */
  otherDifference: string | null;
  /** One sentence a reader can repeat: where A gains and where it loses against B. */
  summary: string;
}

/**
 * "Why is A above B": the total difference split by category, largest first in the
 * summary, plus what bonuses and deductions on the total contributed. Where the ranking does
 * not follow the totals, or does not hold both units, the summary says how they stand in it and
 * why: a unit a veto placed last (一票否决) is ranked after every unit without one whatever its
 * total, totals equal as published are ranked apart by a tie-breaker (as the rank's trace words
 * it) or by unrounded totals that differ (the totals' traces give them), a group not ranked ranks
 * no one, and two groups are ranked apart.
 *
 * @throws InputError of subject "argument": path `unitA` or `unitB` for a unit id the evaluation
 * does not hold, `evaluation` for anything but an evaluation.
 */
export function compareUnits(evaluation: Evaluation, unitA: string, unitB: string): UnitComparison {
  // From JavaScript or a store anything may come; a TypeError would read as the engine's bug.
  checkEvaluationArgument(evaluation);
  const a = evaluation.units.find((u) => u.unit === unitA);
  const b = evaluation.units.find((u) => u.unit === unitB);
  const issues = [];
  if (!a) issues.push({ path: ["unitA"], message: `unknown unit "${unitA}"` });
  if (!b) issues.push({ path: ["unitB"], message: `unknown unit "${unitB}"` });
  // The evaluation was valid: the ids are what was asked of it.
  if (!a || !b) throw new InputError("argument", issues);

  const categories = a.categories.map((ca) => {
    const cb = b.categories.find((c) => c.category === ca.category);
    const diff =
      ca.points !== null && cb?.points != null ? sub(parseDecimal(ca.points), parseDecimal(cb.points)) : null;
    return {
      category: ca.category,
      name: ca.name,
      a: ca.points,
      b: cb?.points ?? null,
      difference: diff === null ? null : toExactString(diff),
    };
  });
  // What the caps let through, not the sum of the lines: two +3 awards under a cap of 2 count 2.
  const totalAdjustment = (u: typeof a) => sub(parseDecimal(u.bonus), parseDecimal(u.deducted));
  const adjustment = sub(totalAdjustment(a), totalAdjustment(b));
  const totalDifference =
    a.total !== null && b.total !== null ? sub(parseDecimal(a.total), parseDecimal(b.total)) : null;
  // The parts named must add up to the difference stated: a parent 4 below a peer with the
  // same categories only because of its sub-units would otherwise be given no reason at all.
  const other =
    totalDifference === null
      ? null
      : categories.reduce(
          (rest, c) => (c.difference === null ? rest : sub(rest, parseDecimal(c.difference))),
          sub(totalDifference, adjustment),
        );

  const ranked = categories
    .filter((c) => c.difference !== null && c.difference !== "0")
    .sort((x, y) => cmp(abs(parseDecimal(y.difference!)), abs(parseDecimal(x.difference!))));
  const phrase = (c: CategoryDifference) =>
    `${c.name} ${c.difference!.startsWith("-") ? "" : "+"}${c.difference}`;
  const gains = ranked.filter((c) => !c.difference!.startsWith("-")).map(phrase);
  const losses = ranked.filter((c) => c.difference!.startsWith("-")).map(phrase);
  const parts =
    (gains.length ? `; ahead on ${gains.join(", ")}` : "") +
    (losses.length ? `; behind on ${losses.join(", ")}` : "") +
    (adjustment.n !== 0n ? `; bonuses and deductions on the total ${toExactString(adjustment)}` : "") +
    (other !== null && other.n !== 0n
      ? `; roll-ups into the total and rounding ${toExactString(other)}`
      : "");
  let summary: string;
  if (totalDifference === null) summary = `${a.name} and ${b.name} cannot be compared: ${noTotalText(a, b)}`;
  else {
    // The same unit twice is level with itself: the ranking has nothing to add (its veto, were
    // it placed last, would read as two units both placed last).
    const order = a === b ? "" : rankingOrder(evaluation, a, b);
    const sign = cmp(totalDifference, ZERO);
    const by = toExactString(abs(totalDifference));
    if (order === "") {
      // "below by 4", not "below by -4": the verb carries the sign.
      const verb =
        sign > 0
          ? `above ${b.name} by ${by}`
          : sign < 0
            ? `below ${b.name} by ${by}`
            : `level with ${b.name}${a === b ? " (the same unit)" : ""}`;
      summary = `${a.name} is ${verb}${parts}`;
    } else {
      // The totals alone would claim an order the ranking does not hold: a veto's last place,
      // a group not ranked, two groups ranked apart. The totals are stated as totals.
      const totals =
        sign === 0
          ? `${a.name}'s total is level with ${b.name}'s`
          : `${a.name}'s total is ${by} ${sign > 0 ? "above" : "below"} ${b.name}'s`;
      summary = `${totals}${order}${parts}`;
    }
  }
  return {
    a: { unit: a.unit, name: a.name, total: a.total, rank: a.rank },
    b: { unit: b.unit, name: b.name, total: b.total, rank: b.rank },
    totalDifference: totalDifference === null ? null : toExactString(totalDifference),
    categories,
    adjustmentDifference: toExactString(adjustment),
    otherDifference: other === null ? null : toExactString(other),
    summary,
  };
}

type Published = Evaluation["units"][number];

/**
 * How the ranking orders the two, where their totals alone would say otherwise or nothing: ""
 * when both are ranked in one group, neither was placed last by a veto and the totals order them
 * (equal totals at one rank included), else a clause to follow the totals with.
 */
function rankingOrder(evaluation: Evaluation, a: Published, b: Published): string {
  if (a.rank === null || b.rank === null) {
    const unranked = [a, b].filter((u) => u.rank === null);
    const groups = [...new Set(unranked.map((u) => u.group))].map((g) => `group ${g}`);
    const who = unranked.length === 2 ? "neither is ranked" : `${unranked[0]!.name} is not ranked`;
    return `; ${who} (${groups.join(" and ")} ${groups.length === 1 ? "is" : "are"} not ranked)`;
  }
  const forced = [a, b].filter((u) => placedLastByVeto(evaluation, u));
  const why = forced.map(
    (u) =>
      `${u.name} was ranked after every unit without a veto (一票否决)${a.group === b.group ? "" : ` in group ${u.group}`}, by ${vetoText(u)}${vetoedBelow(evaluation, u)}`,
  );
  if (a.group !== b.group)
    return `; they are ranked in different groups (${a.name} ${a.rank} of ${a.rankedInGroup} in group ${a.group}, ${b.name} ${b.rank} of ${b.rankedInGroup} in group ${b.group})${why.map((w) => `; ${w}`).join("")}`;
  const totalSign = cmp(parseDecimal(a.total!), parseDecimal(b.total!));
  // Equal totals as published ranked apart: a tie-breaker did it, among units a veto placed last
  // or not, or the unrounded totals differ.
  const tie = totalSign === 0 && a.rank !== b.rank ? tieBroken(evaluation, a, b) : null;
  if (forced.length === 0 && tie === null) return "";
  const ranked = a.rank < b.rank ? "above" : a.rank > b.rank ? "below" : "level with";
  // "but" where the totals point the other way (or nowhere): the veto or the tie-breaker is why.
  const rankSign = Math.sign(b.rank - a.rank);
  const joint = totalSign === rankSign && totalSign !== 0 ? "and" : "but";
  const because =
    forced.length === 2
      ? `: both were ranked after every unit without a veto (一票否决) (${a.name} by ${vetoText(a)}; ${b.name} by ${vetoText(b)}), and such units rank between themselves by total${tie ? (tie.unrounded ? `; ${tie.clause}` : `, then ${tie.clause}`) : ""}`
      : forced.length === 1
        ? `: ${why[0]!}`
        : tie!.unrounded
          ? `: ${tie!.clause}`
          : ` ${tie!.clause}`;
  // "level as shown": the unrounded totals are not level, and the clause says so.
  return `${tie?.unrounded ? " as shown" : ""}, ${joint} ${a.name} is ranked ${ranked} ${b.name} (rank ${a.rank} against ${b.rank})${because}`;
}

/**
 * What ranked apart two units whose published totals are equal. The ranking words a tie on the
 * exact total in the rank step of each unit tied ("total 80.74 tied: behind U3 on public: 20.00
 * against 30.00"), so with traces a rank step that says no tie means the unrounded totals differ
 * (a scheme that rounds no total): then no tie-breaker was used, and the totals' steps give the
 * exact totals. The quote is built from the units' and the category's names, which the sentence
 * uses, not the trace's ids. A step names three of the units tied with it: past them the clause
 * says only that the tie-breakers did it. Without traces the evaluation records neither.
 */
function tieBroken(
  evaluation: Evaluation,
  a: Published,
  b: Published,
): { clause: string; unrounded: boolean } {
  const rankStep = (u: Published) => u.trace.find((t) => t.step === "rank")?.text;
  if (rankStep(a) === undefined || rankStep(b) === undefined)
    return {
      clause:
        "by the tie-breakers or by unrounded totals that differ (evaluated without traces, the evaluation does not record which)",
      unrounded: false,
    };
  const [ea, eb] = [exactTotal(a), exactTotal(b)];
  const tied = (u: Published) => / tied: /.test(rankStep(u)!);
  if ((ea && eb && cmp(ea, eb) !== 0) || !tied(a) || !tied(b)) {
    const exact =
      ea && eb
        ? ` (${exactText(ea, eb, evaluation.decimals)} against ${exactText(eb, ea, evaluation.decimals)})`
        : "";
    return { clause: `the unrounded totals differ${exact}`, unrounded: true };
  }
  for (const [u, peer] of [
    [a, b],
    [b, a],
  ] as const) {
    const said = rankStep(u)!.match(
      new RegExp(`(ahead of|behind) ${escaped(peer.unit)} on ([^:;]+): ([^\\s;)]+) against ([^\\s;)]+)`),
    );
    if (said) {
      const category = u.categories.find((c) => c.category === said[2])?.name ?? said[2];
      return {
        clause: `by the tie-breakers (${u.name} is ${said[1]} ${peer.name} on ${category}, ${said[3]} against ${said[4]})`,
        unrounded: false,
      };
    }
  }
  return {
    clause: "by the tie-breakers (their rank traces name others tied with them, not each other)",
    unrounded: false,
  };
}

/**
 * The unit's exact total, as its total step arrives at it ("… = 2991553/37050 (≈ 80.74)"), where
 * nothing changed it after that step (a roll-up into the total, or rounding, which the published
 * total then shows); null otherwise.
 */
function exactTotal(u: Published): Rational | null {
  const at = u.trace.findIndex((t) => t.step === "total");
  const next = u.trace[at + 1]?.step;
  if (at < 0 || (next !== undefined && next !== "rank" && next !== "grade")) return null;
  const value = u.trace[at]!.text.match(/ = (-?[\d./]+)(?: \(≈ [^)]*\))?(?: \(floored at 0[^)]*\))?$/);
  if (!value) return null;
  try {
    return parseExact(value[1]!);
  } catch {
    return null;
  }
}

/** "2991553/37050 ≈ 80.74367": exact, with as many decimals as tell it from `other`. */
function exactText(value: Rational, other: Rational, decimals: number): string {
  const text = toExactString(value);
  if (!text.includes("/")) return text;
  let places = decimals + 1;
  while (places < 12 && toFixed(value, places) === toFixed(other, places)) places++;
  return `${text} ≈ ${toFixed(value, places)}`;
}

/**
 * ", and 2 other vetoed units are below it" where the unit a veto put last is not last itself.
 * Only units a veto put last rank after one (forced last places come after all others): every
 * unit ranked below it is one, whether or not anything published says so.
 */
function vetoedBelow(evaluation: Evaluation, u: Published): string {
  const below = evaluation.units.filter(
    (o) => o.group === u.group && o.rank !== null && o.rank > u.rank!,
  ).length;
  return below === 0 ? "" : `, and ${below} other vetoed unit${below === 1 ? " is" : "s are"} below it`;
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Whether a veto placed the unit last in its group. The published evaluation carries no flag
 * for it, but says it where it says last place: in the last-ranked reason (under
 * `lastLosesAward` or `lastLosesExcellence`) and in the rank's trace step (with traces). Without
 * either, the ranking shows it where it matters here: a unit ranked above it with a lower total
 * stands there only because a veto put this one after every unit without one.
 */
function placedLastByVeto(evaluation: Evaluation, u: Published): boolean {
  if (u.rank === null || u.total === null || !u.eligibility.reasons.some((r) => r.kind === "veto"))
    return false;
  const says = (text: string) => text.includes(PLACED_LAST_BY_A_VETO);
  if (u.eligibility.reasons.some((r) => r.kind === "last-ranked" && says(r.text))) return true;
  if (u.trace.some((t) => t.step === "rank" && says(t.text))) return true;
  const total = parseDecimal(u.total);
  return evaluation.units.some(
    (o) =>
      o.group === u.group &&
      o.rank !== null &&
      o.rank < u.rank! &&
      o.total !== null &&
      cmp(parseDecimal(o.total), total) < 0,
  );
}

/** As `rankAndGrade` words last place given by a veto. */
const PLACED_LAST_BY_A_VETO = "placed last by a veto";

/**
 * The unit's vetoes as its eligibility words them, by type and reason: "its veto (重大责任事故
 * major incident: …)"; the record's id is nothing a published ranking's reader sees. The
 * evaluation does not say which of several placed it last (the scheme's veto types do): all are named.
 */
function vetoText(u: Published): string {
  const vetoes = u.eligibility.reasons.filter((r) => r.kind === "veto").map((r) => `(${r.text})`);
  return vetoes.length === 1 ? `its veto ${vetoes[0]}` : `one of its vetoes ${vetoes.join(", ")}`;
}

/** Which of the two has no total, and why, as its eligibility says ("not scored (public: …)"). */
function noTotalText(a: Published, b: Published): string {
  const why = (u: Published) =>
    u.eligibility.reasons
      .filter((r) => r.kind === "insufficient")
      .map((r) => r.text)
      .join("; ");
  const none = [...new Set([a, b])].filter((u) => u.total === null);
  if (none.length === 2)
    return `neither has a total, so neither is ranked (${a.name}: ${why(a)}; ${b.name}: ${why(b)})`;
  return `${none[0]!.name} has no total, so no rank (${why(none[0]!)})`;
}

function abs(r: ReturnType<typeof parseDecimal>) {
  return r.n < 0n ? { n: -r.n, d: r.d } : r;
}
