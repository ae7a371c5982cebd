import type { Dataset } from "../dataset/dataset.js";
import type { InputIssue } from "../input-error.js";
import { plural } from "../methods/trace-list.js";
import { countSecretBallots, isSecretVote } from "../methods/vote/secret-ballots.js";
import type { Category, Scheme } from "../scheme/scheme-schema.js";

type Method = Category["method"];

/**
 * What a scenario may not do to a secret vote. Its published explanations give values in value
 * order and name no voter; a what-if is a way round that unless it is held to what was
 * published:
 * - secrecy cannot be lifted (the explanations would name the voters);
 * - the ballot's range or grades and the validity rules cannot change: the ballots refused or
 *   voided under new ones, and the difference they make, would tell whose ballot is whose;
 * - a vote not weighed by role cannot be weighed by role: a role of one voter (the mayor) would
 *   have a result of its own.
 * `before` is the method as published, `after` with the patch merged in.
 */
export function secretVotePatchIssues(id: string, before: Method, after: Method): InputIssue[] {
  if (!isSecretVote(before) || before.kind !== "vote" || after.kind !== "vote") return [];
  const at = (...rest: string[]) => ["patch", "categories", id, "method", ...rest];
  const issues: InputIssue[] = [];
  if (after.secret !== true)
    issues.push({
      path: at("secret"),
      message: `cannot lift the secrecy of "${id}"'s vote: a scenario may make a vote secret, not name its voters`,
    });
  for (const part of ["ballot", "validity"] as const)
    if (JSON.stringify(after[part]) !== JSON.stringify(before[part]))
      issues.push({
        path: at(part),
        message: `cannot change the ${part === "ballot" ? "ballot" : "validity rules"} of "${id}"'s secret vote: the ballots refused or voided under new ones would tell whose ballot is whose`,
      });
  if (before.aggregation.type !== "role-weighted" && after.aggregation?.type === "role-weighted")
    issues.push({
      path: at("aggregation", "type"),
      message: `cannot weigh "${id}"'s secret vote by role: its rules give no result per role, and a role one voter holds would have one`,
    });
  return issues;
}

/**
 * A secret vote's ballots that a patch's parameters refuse, as one issue naming none of them:
 * each refusal would name the voter, and its index in the baseline their place among the unit's
 * ballots.
 */
export function secretBallotsRefused(id: string, ballots: number): InputIssue[] {
  if (ballots === 0) return [];
  return [
    {
      path: ["patch", "categories", id, "method"],
      message: `${plural(ballots, "ballot")} of "${id}", a secret vote, would be refused under this patch; a secret vote's ballots are not named`,
    },
  ];
}

/**
 * A scenario's record issues (paths into `dataset`) with each secret vote's refused ballots
 * counted as `secretBallotsRefused` counts them, where the category's first stood; every other
 * issue through `at`. Records a scenario changes (`data`) are checked whole, ballots too.
 */
export function withSecretBallotsCounted(
  scheme: Scheme,
  dataset: Dataset,
  issues: readonly InputIssue[],
  at: (issue: InputIssue) => InputIssue,
): InputIssue[] {
  const counted = countSecretBallots(scheme, dataset, issues);
  if (counted === null) return issues.map(at);
  return counted.flatMap((c) =>
    "secretVote" in c ? secretBallotsRefused(c.secretVote, c.ballots) : [at(c)],
  );
}
