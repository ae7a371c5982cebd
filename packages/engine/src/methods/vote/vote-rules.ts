import type { InputIssue } from "../../input-error.js";
import {
  cmp,
  isZero,
  max as maxOf,
  parseDecimal,
  type Rational,
  toExactString,
  ZERO,
} from "../../rational.js";
import type { VoteParams } from "../../scheme/scheme-schema.js";

/** A vote category's parameters read once into exact values. */
export interface VoteRules {
  /** Score ballots: the allowed range. Grade ballots: 0 to the scale. */
  min: Rational;
  max: Rational;
  /** What a ballot value is out of; category points are value / scale × points. */
  scale: Rational;
  /** Grade → points, for grade ballots only. */
  points: ReadonlyMap<string, Rational> | undefined;
  /** Role → weight, for role-weighted aggregation only. */
  weights: ReadonlyMap<string, Rational> | undefined;
}

/** Reads a vote category's parameters into exact values (zod has already checked their syntax). */
export function readVoteRules(params: VoteParams): VoteRules {
  const agg = params.aggregation;
  const weights =
    agg.type === "role-weighted"
      ? new Map(Object.entries(agg.roles).map(([role, w]) => [role, parseDecimal(w)] as const))
      : undefined;
  const ballot = params.ballot;
  if (ballot.type === "score") {
    const max = parseDecimal(ballot.max);
    return { min: parseDecimal(ballot.min), max, scale: max, points: undefined, weights };
  }
  const points = new Map(Object.entries(ballot.points).map(([g, p]) => [g, parseDecimal(p)] as const));
  let highest = ZERO;
  for (const p of points.values()) highest = maxOf(highest, p);
  const scale = ballot.max === undefined ? highest : parseDecimal(ballot.max);
  return { min: ZERO, max: scale, scale, points, weights };
}

function checkTrim(rule: VoteParams["aggregation"], path: (string | number)[]): InputIssue[] {
  if (rule.type !== "trimmed-mean") return [];
  // Trimming first applies at minVoters + 1 ballots and must leave at least one.
  if (2 * rule.trim <= rule.minVoters) return [];
  return [
    {
      path: [...path, "trim"],
      message:
        `dropping ${rule.trim} highest and ${rule.trim} lowest needs more than ${2 * rule.trim} ballots, ` +
        `but trimming starts above minVoters ${rule.minVoters}: set minVoters to at least ${2 * rule.trim}`,
    },
  ];
}

/** Problems in a vote category's parameters that the schema alone cannot see, under `path`. */
export function checkVoteParams(params: VoteParams, path: (string | number)[]): InputIssue[] {
  const issues: InputIssue[] = [];
  const rules = readVoteRules(params);
  const ballot = params.ballot;
  if (ballot.type === "score") {
    if (rules.min.n < 0n)
      issues.push({
        path: [...path, "ballot", "min"],
        message: "must not be negative (points are score / max)",
      });
    if (cmp(rules.min, rules.max) >= 0)
      issues.push({
        path: [...path, "ballot", "max"],
        message: `must be greater than min ${toExactString(rules.min)}`,
      });
  } else if (rules.points!.size === 0) {
    issues.push({ path: [...path, "ballot", "points"], message: "needs at least one grade" });
  } else {
    if (isZero(rules.scale))
      issues.push({
        path: [...path, "ballot", ballot.max === undefined ? "points" : "max"],
        message: "the scale must be greater than 0",
      });
    for (const [grade, p] of rules.points!)
      if (cmp(p, rules.scale) > 0)
        issues.push({
          path: [...path, "ballot", "points", grade],
          message: `${toExactString(p)} is above the scale max ${toExactString(rules.scale)}`,
        });
  }

  const agg = params.aggregation;
  if (agg.type === "role-weighted") {
    const rolesPath = [...path, "aggregation", "roles"];
    if (rules.weights!.size === 0) issues.push({ path: rolesPath, message: "needs at least one role" });
    else if ([...rules.weights!.values()].every(isZero))
      issues.push({ path: rolesPath, message: "all role weights are 0" });
    issues.push(...checkTrim(agg.within, [...path, "aggregation", "within"]));
  } else {
    issues.push(...checkTrim(agg, [...path, "aggregation"]));
  }

  const high = params.validity.maxHighScores;
  if (high) {
    const threshold = parseDecimal(high.threshold);
    let top = rules.max;
    if (rules.points) {
      top = ZERO;
      for (const p of rules.points.values()) top = maxOf(top, p);
    }
    if (cmp(threshold, top) > 0)
      issues.push({
        path: [...path, "validity", "maxHighScores", "threshold"],
        message: `${toExactString(threshold)} is above the highest possible ballot value ${toExactString(top)}, so the rule can never apply`,
      });
  }
  return issues;
}
