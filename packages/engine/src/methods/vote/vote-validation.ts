import { hasSpacesAround, spacedId, unknownId } from "../../exact-id.js";
import { type InputIssue, quoted, received } from "../../input-error.js";
import { cmp, parseDecimal, type Rational, toExactString } from "../../rational.js";
import type { VoteParams } from "../../scheme/scheme-schema.js";
import type { DataContext } from "../scoring-method.js";
import { readBallotGroups } from "./ballot-groups.js";
import { readVoteRules, type VoteRules } from "./vote-rules.js";

// Paths are built only when there is an issue: most of 200,000 rows have none.
function at(row: number, field?: string): (string | number)[] {
  return field === undefined ? ["ballots", row] : ["ballots", row, field];
}

/** What is wrong with a score, or `null`. */
function scoreProblem(score: unknown, rules: VoteRules): string | null {
  if (score === undefined || score === null || score === "") return "score is missing";
  let value: Rational;
  try {
    value = parseDecimal(score as number | string);
  } catch (e) {
    return e instanceof RangeError ? e.message : `not a decimal number: ${received(score)}`;
  }
  if (cmp(value, rules.min) < 0 || cmp(value, rules.max) > 0)
    return `${toExactString(value)} is outside ${toExactString(rules.min)}–${toExactString(rules.max)}`;
  return null;
}

/** What is wrong with a voter id, or `null`. */
function voterProblem(voter: unknown): string | null {
  if (typeof voter === "string" && voter !== "") return null;
  if (voter === undefined || voter === null || voter === "") return "voter is missing";
  // A voter number from a spreadsheet is there, only not text: "missing" would send the reader looking for nothing.
  if (typeof voter === "number") return `must be a voter id (text), not the number ${voter}`;
  return `must be a voter id (text), not ${typeof voter === "object" ? "an object" : `a ${typeof voter}`}`;
}

/** What is wrong with a grade, or `null`. */
function gradeProblem(grade: unknown, points: ReadonlyMap<string, Rational>): string | null {
  if (grade === undefined || grade === null || grade === "") return "grade is missing";
  if (typeof grade === "string" && points.has(grade)) return null;
  const known = [...points.keys()].map((g) => `"${g}"`).join(", ");
  return `unknown grade ${typeof grade === "string" ? quoted(grade) : received(grade)}; the grades are ${known}`;
}

/**
 * Every problem in a vote category's ballots, each with its dataset path (e.g.
 * ["ballots", 12, "score"]), in row order: unknown unit, missing voter, score missing or
 * outside the range, grade missing or unknown, a score on a grade ballot or the reverse,
 * duplicate ballots (same voter, unit and category), and for role-weighted aggregation a
 * role that is missing, not in the weights table, or different between one voter's rows.
 */
export function validateVoteData(ctx: DataContext<VoteParams>): InputIssue[] {
  const { category, params, dataset, unitIds } = ctx;
  const rules = readVoteRules(params);
  const { rows, positions, voterOf, units, order, start } = readBallotGroups(
    dataset.ballots ?? [],
    category.id,
    ctx.read,
  );
  const issues: { row: number; issue: InputIssue }[] = [];
  const report = (row: number, field: string | undefined, message: string): void => {
    issues.push({ row, issue: { path: at(row, field), message } });
  };

  // Grouped by unit in voter order, a duplicate sits right after its original.
  for (let k = 0; k < units.length; k++) {
    const known = unitIds.has(units[k]!);
    for (let j = start[k]!; j < start[k + 1]!; j++) {
      const i = order[j]!;
      if (!known)
        report(
          positions[i]!,
          "unit",
          units[k] == null ? "unit is missing (required)" : unknownId("unit", units[k], unitIds),
        );
      const voter = rows[i]!.voter;
      if (
        j === start[k] ||
        voterOf[order[j - 1]!] !== voterOf[i] ||
        typeof voter !== "string" ||
        voter === ""
      )
        continue;
      let first = j - 1;
      while (first > start[k]! && voterOf[order[first - 1]!] === voterOf[i]) first--;
      // The dataset check puts the ballot's name (voter, unit, category) first: only where the first one is is left to say.
      report(positions[i]!, undefined, `duplicate of ballots[${positions[order[first]!]}]`);
    }
  }

  const roleWeighted = params.aggregation.type === "role-weighted";
  const firstRoleRow = new Int32Array(roleWeighted ? voterOf.length : 0).fill(-1);
  // Few distinct scores recur across 200,000 rows: judge each once.
  const scoreProblems = new Map<unknown, string | null>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const p = positions[i]!;
    const voter = row.voter;
    if (typeof voter !== "string" || voter === "") report(p, "voter", voterProblem(voter)!);
    // There is no roll of voters to check against: "mayor " would be a second voter, its ballots
    // counted beside "mayor"'s and past the duplicate-ballot check.
    else if (hasSpacesAround(voter)) report(p, "voter", spacedId("voter", voter));
    if (rules.points) {
      const problem = gradeProblem(row.grade, rules.points);
      if (problem !== null) report(p, "grade", problem);
      if (row.score !== undefined) report(p, "score", "the category takes grades, not scores");
    } else {
      let problem = scoreProblems.get(row.score);
      if (problem === undefined) {
        problem = scoreProblem(row.score, rules);
        scoreProblems.set(row.score, problem);
      }
      if (problem !== null) report(p, "score", problem);
      if (row.grade !== undefined) report(p, "grade", "the category takes scores, not grades");
    }

    if (!roleWeighted) continue;
    // null is how a JSON export writes an empty column.
    if (row.role === undefined || row.role === null || row.role === "") {
      report(p, "role", "role is missing (the category is weighted by voter role)");
      continue;
    }
    if (!rules.weights!.has(row.role)) {
      const known = [...rules.weights!.keys()].map((r) => `"${r}"`).join(", ");
      report(p, "role", `role "${row.role}" is not in the weights table (${known})`);
    }
    const first = firstRoleRow[voterOf[i]!]!;
    if (first < 0) firstRoleRow[voterOf[i]!] = i;
    else if (rows[first]!.role !== row.role)
      report(
        p,
        "role",
        `the voter is "${rows[first]!.role}" at ballots[${positions[first]}], "${row.role}" here`,
      );
  }
  // Stable: issues of one row keep the order they were found in.
  issues.sort((a, b) => a.row - b.row);
  return issues.map((x) => x.issue);
}
