import type { InputIssue } from "../../input-error.js";
import { cmp, parseDecimal, type Rational } from "../../rational.js";
import type { VoteParams } from "../../scheme/scheme-schema.js";
import type { DataContext } from "../scoring-method.js";
import { show } from "./vote-format.js";
import { readVoteRules, type VoteRules } from "./vote-rules.js";

type Path = (string | number)[];

function checkScore(score: unknown, at: Path, rules: VoteRules, issues: InputIssue[]): void {
  if (score === undefined || score === null || score === "") {
    issues.push({ path: [...at, "score"], message: "score is missing" });
    return;
  }
  let value: Rational;
  try {
    value = parseDecimal(score as number | string);
  } catch (e) {
    const message = e instanceof RangeError ? e.message : `not a decimal number: ${JSON.stringify(score)}`;
    issues.push({ path: [...at, "score"], message });
    return;
  }
  if (cmp(value, rules.min) < 0 || cmp(value, rules.max) > 0)
    issues.push({
      path: [...at, "score"],
      message: `${show(value)} is outside ${show(rules.min)}–${show(rules.max)}`,
    });
}

function checkGrade(
  grade: unknown,
  at: Path,
  points: ReadonlyMap<string, Rational>,
  issues: InputIssue[],
): void {
  if (grade === undefined || grade === null || grade === "") {
    issues.push({ path: [...at, "grade"], message: "grade is missing" });
  } else if (typeof grade !== "string" || !points.has(grade)) {
    const known = [...points.keys()].map((g) => `"${g}"`).join(", ");
    issues.push({
      path: [...at, "grade"],
      message: `unknown grade ${JSON.stringify(grade)}; the grades are ${known}`,
    });
  }
}

/**
 * Every problem in a vote category's ballots, each with its dataset path (e.g.
 * ["ballots", 12, "score"]): unknown unit, missing voter, score missing or outside the
 * range, grade missing or unknown, a score on a grade ballot or the reverse, duplicate
 * ballots (same voter, unit and category), and for role-weighted aggregation a role that
 * is missing, not in the weights table, or different between one voter's rows.
 */
export function validateVoteData(ctx: DataContext<VoteParams>): InputIssue[] {
  const { category, params, dataset, unitIds } = ctx;
  const rules = readVoteRules(params);
  const roleWeighted = params.aggregation.type === "role-weighted";
  const issues: InputIssue[] = [];
  // voter → unit → first row; nested maps avoid building a string key per row.
  const seen = new Map<string, Map<string, number>>();
  const voterRole = new Map<string, { role: string; row: number }>();
  const rows = dataset.ballots ?? [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.category !== category.id) continue;
    const at: Path = ["ballots", i];
    if (!unitIds.has(row.unit)) issues.push({ path: [...at, "unit"], message: `unknown unit "${row.unit}"` });
    if (typeof row.voter !== "string" || row.voter === "") {
      issues.push({ path: [...at, "voter"], message: "voter is missing" });
    } else {
      let units = seen.get(row.voter);
      if (!units) {
        units = new Map();
        seen.set(row.voter, units);
      }
      const first = units.get(row.unit);
      if (first === undefined) units.set(row.unit, i);
      else
        issues.push({
          path: at,
          message: `duplicate ballot: voter "${row.voter}" already voted for unit "${row.unit}" in "${category.id}" at ballots[${first}]`,
        });
    }

    if (rules.points) {
      checkGrade(row.grade, at, rules.points, issues);
      if (row.score !== undefined)
        issues.push({ path: [...at, "score"], message: `"${category.id}" takes grades, not scores` });
    } else {
      checkScore(row.score, at, rules, issues);
      if (row.grade !== undefined)
        issues.push({ path: [...at, "grade"], message: `"${category.id}" takes scores, not grades` });
    }

    if (!roleWeighted) continue;
    if (row.role === undefined || row.role === "") {
      issues.push({
        path: [...at, "role"],
        message: "role is missing (the category is weighted by voter role)",
      });
      continue;
    }
    if (!rules.weights!.has(row.role)) {
      const known = [...rules.weights!.keys()].map((r) => `"${r}"`).join(", ");
      issues.push({
        path: [...at, "role"],
        message: `role "${row.role}" is not in the weights table (${known})`,
      });
    }
    const earlier = voterRole.get(row.voter);
    if (!earlier) voterRole.set(row.voter, { role: row.role, row: i });
    else if (earlier.role !== row.role)
      issues.push({
        path: [...at, "role"],
        message: `voter "${row.voter}" is "${earlier.role}" at ballots[${earlier.row}], "${row.role}" here`,
      });
  }
  return issues;
}
