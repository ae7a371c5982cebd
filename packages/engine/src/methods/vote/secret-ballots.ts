import { argumentKind } from "../../argument-kind.js";
import type { Dataset } from "../../dataset/dataset.js";
import { InputError, type InputIssue, received } from "../../input-error.js";
import type { Scheme } from "../../scheme/scheme-schema.js";

/**
 * Whether a category's method is a secret vote (`vote.secret`, 无记名投票): a compiled scheme's,
 * or one read from a stored document as written.
 */
export function isSecretVote(
  method: { readonly kind?: unknown; readonly secret?: unknown } | undefined,
): boolean {
  return method?.kind === "vote" && method.secret === true;
}

/** A category's refused ballots among a check's issues: the category and how many ballots. */
export interface BallotsRefused {
  category: string;
  ballots: number;
}

/** A secret vote's ballots refused among a check's issues: the category and how many ballots. */
export interface SecretBallotsRefused {
  secretVote: string;
  ballots: number;
}

/**
 * A check's issues (paths into `dataset`) with those about the ballots of the categories
 * `counted` picks taken out: each names a voter, and its row's index in the dataset their place
 * among a unit's ballots. Each such category's are replaced by one entry, where its first
 * stood, counting its ballots (once each, however many issues one has). Null when no issue is
 * about one. For readers who may see only some categories' ballots named: a secret vote's, or
 * those of a category a scheme no longer scores by named ballots.
 *
 * @throws InputError of subject "argument" naming `dataset` for other than an object, `issues`
 * for other than a list, or `counted` for other than a function.
 */
export function countRefusedBallots(
  dataset: Dataset,
  issues: readonly InputIssue[],
  counted: (category: string) => boolean,
): (InputIssue | BallotsRefused)[] | null {
  const wrong = countArgumentIssues(dataset, issues);
  if (typeof counted !== "function")
    wrong.push({
      path: ["counted"],
      message: `expected a function of a category id, true where its ballots are counted; got ${received(counted)}`,
    });
  if (wrong.length > 0) throw new InputError("argument", wrong);
  const rows = new Map<string, Set<number>>();
  const out: (InputIssue | string)[] = [];
  for (const issue of issues) {
    const [list, row] = issue.path;
    const category =
      list === "ballots" && typeof row === "number"
        ? (dataset.ballots?.[row] as { category?: unknown } | undefined)?.category
        : undefined;
    if (typeof category !== "string" || !counted(category)) {
      out.push(issue);
      continue;
    }
    let seen = rows.get(category);
    if (!seen) {
      seen = new Set();
      rows.set(category, seen);
      out.push(category);
    }
    seen.add(row as number);
  }
  if (rows.size === 0) return null;
  return out.map((o) => (typeof o === "string" ? { category: o, ballots: rows.get(o)!.size } : o));
}

/**
 * `countRefusedBallots` of the secret votes `scheme` declares: a check's issues with each secret
 * category's refused ballots counted instead of named. Null when no issue is about one.
 *
 * @throws InputError of subject "argument" naming `scheme` for other than a scheme document
 * (a compiled scheme's is its `scheme`), `dataset` for other than an object, or `issues` for
 * other than a list.
 */
export function countSecretBallots(
  scheme: Scheme,
  dataset: Dataset,
  issues: readonly InputIssue[],
): (InputIssue | SecretBallotsRefused)[] | null {
  const wrong = countArgumentIssues(dataset, issues);
  if (!Array.isArray((scheme as Partial<Scheme> | null)?.categories))
    wrong.unshift({
      path: ["scheme"],
      message: `expected a scheme document, with its categories (a compiled scheme's is compiled.scheme); got ${argumentKind(scheme)}`,
    });
  if (wrong.length > 0) throw new InputError("argument", wrong);
  const secret = new Set(scheme.categories.filter((c) => isSecretVote(c.method)).map((c) => c.id));
  if (secret.size === 0) return null;
  const counted = countRefusedBallots(dataset, issues, (category) => secret.has(category));
  return counted?.map((c) => ("path" in c ? c : { secretVote: c.category, ballots: c.ballots })) ?? null;
}

/**
 * What is wrong with the dataset and issues a count was given: plain JavaScript's null or a
 * single issue failed as "issues is not iterable", or "reading 'ballots'" only when an issue
 * was about a ballot.
 */
function countArgumentIssues(dataset: unknown, issues: unknown): InputIssue[] {
  const wrong: InputIssue[] = [];
  if (typeof dataset !== "object" || dataset === null || Array.isArray(dataset))
    wrong.push({
      path: ["dataset"],
      message: `expected the dataset the issues are about; got ${received(dataset)}`,
    });
  if (!Array.isArray(issues))
    wrong.push({
      path: ["issues"],
      message: `expected a list of issues, a check's { path, message } (InputError's issues); got ${received(issues)}`,
    });
  return wrong;
}
