import {
  type CompiledScheme,
  compileScheme,
  type Dataset,
  datasetIssues,
  type Evaluation,
  evaluate,
  formatPath,
  InputError,
  type InputIssue,
  type UnitResult,
} from "@pingyi/engine";
import type { Context } from "../context.js";
import { engineCall, type IssuePrefix, toClientError } from "../errors.js";
import type { RecordIssue } from "../import/index.js";
import { cost, overBudget } from "../limits.js";
import { recordsError } from "../records-error.js";
import {
  ConflictError,
  type Cycle,
  finalisedRefusal,
  type SchemeVersion,
  type Store,
  ValidationError,
  type ValidationIssue,
} from "../store/index.js";
import { namingDropped, type SchemesCompared } from "./categories-dropped.js";
import { cycleSecretVotes } from "./cycle-secret-votes.js";
import { liftedSentence, secrecyLifted, withLifted } from "./secrecy-lifted.js";
import { deleteBallotsCall, votesGone, votesGoneKinds } from "./votes-gone.js";

/**
 * A key for an engine issue that survives records being added, removed or reordered: the
 * record's index is replaced by its identity (id, or unit and category for scores).
 */
export function issueKey(dataset: Dataset, issue: InputIssue): string {
  const [collection, index, ...rest] = issue.path;
  let head = formatPath(issue.path.slice(0, 2));
  if (typeof collection === "string" && typeof index === "number") {
    const row = (dataset as unknown as Record<string, readonly Record<string, unknown>[] | undefined>)[
      collection
    ]?.[index];
    if (row && typeof row === "object") {
      const identity =
        typeof row.id === "string"
          ? row.id
          : JSON.stringify([row.unit ?? null, row.category ?? row.item ?? row.form ?? null]);
      head = `${collection}[${identity}]`;
    }
  }
  return `${head}.${formatPath(rest)}: ${issue.message}`;
}

/**
 * The engine issues of `after` that `before` did not have (pre-existing issues are tolerated).
 * `before` is null when it is known to have none (the cycle scores): one validation, not two.
 */
export function freshIssues(compiled: CompiledScheme, before: Dataset | null, after: Dataset): InputIssue[] {
  const issues = datasetIssues(compiled, after);
  if (before === null || issues.length === 0) return issues;
  const old = new Set(datasetIssues(compiled, before).map((i) => issueKey(before, i)));
  return issues.filter((i) => !old.has(issueKey(after, i)));
}

/** What a write is checked against: the cycle as read, its scheme version and its records. */
export interface Checkable {
  cycle: Cycle;
  scheme: SchemeVersion;
  /** Null only when the scheme itself does not compile (published schemes always do). */
  compiled: CompiledScheme | null;
  dataset: Dataset;
  /** Whether the cycle can be scored as it stands. */
  scores: boolean;
}

/** The scheme compiled, or null for one that does not compile (whose records the engine cannot check). */
export function compiles(document: unknown): CompiledScheme | null {
  try {
    return compileScheme(document);
  } catch {
    return null;
  }
}

/**
 * The cycle, its compiled scheme and stored dataset, whether or not the cycle can be scored: from
 * the evaluation cache when it scores, else loaded directly. All three come from one snapshot.
 */
export async function checkable(
  ctx: Pick<Context, "evaluations" | "store">,
  cycleId: string,
): Promise<Checkable> {
  const scored = await ctx.evaluations.get(cycleId).catch(() => null);
  if (scored) return { ...scored, scores: true };
  const { cycle, scheme, dataset } = await ctx.store.loadEvaluation(cycleId);
  return { cycle, scheme, compiled: compiles(scheme.document), dataset, scores: false };
}

/**
 * The engine's objections to a change (an unknown group or finding type, a score above the
 * category's maximum, ...), so one bad record cannot break a whole cycle's ranking. Only problems
 * the change introduces count, so a cycle that already cannot be scored still accepts records
 * that are valid themselves (and fixes), but no new bad ones.
 */
function engineIssues(current: Checkable, change: (d: Dataset) => Dataset): ValidationIssue[] {
  if (!current.compiled) return [];
  return freshIssues(current.compiled, current.scores ? null : current.dataset, change(current.dataset)).map(
    (i) => ({ path: `input.${String(i.path.at(-1) ?? "")}`, message: i.message }),
  );
}

/** The cycle moved to another scheme version between a write's check and its transaction. */
class SchemeChangedError extends ConflictError {}

/**
 * Holds the cycle's row FOR SHARE until the transaction ends and refuses a scheme version other
 * than the one the write was checked under. setCycleScheme takes the row FOR UPDATE, so it
 * either committed before this (and is seen here) or waits until the write has committed.
 */
async function holdScheme(tx: Store, checked: Cycle): Promise<void> {
  const [row] = await tx.db.query<{ scheme_id: string; scheme_version: number }>(
    "SELECT scheme_id, scheme_version FROM cycles WHERE id = $1 FOR SHARE",
    [checked.id],
  );
  if (row && (row.scheme_id !== checked.schemeId || row.scheme_version !== checked.schemeVersion)) {
    throw new SchemeChangedError(
      `cycle '${checked.id}' moved from scheme ${checked.schemeId} v${checked.schemeVersion} to ${row.scheme_id} v${row.scheme_version} while this write was being checked; nothing was written, send it again`,
    );
  }
}

/** Checks against a version that keeps changing are given up after this many. */
const ATTEMPTS = 3;

export interface CheckedWrite<T> {
  /** The write's own checks against the cycle and its scheme version (e.g. a unit's group). */
  issues?: (current: Checkable) => Promise<ValidationIssue[]>;
  /** The cycle's dataset with the change applied, for the engine's check. */
  change: (d: Dataset) => Dataset;
  /** The write itself, in a transaction under the scheme version it was checked against. */
  write: (tx: Store) => Promise<T>;
}

/**
 * Checks a write against the cycle's scheme version, then makes it under that same version. The
 * check runs outside the write's transaction (from the evaluation cache); a setCycleScheme that
 * commits in between is seen in the transaction, and the write is checked again under the new
 * version rather than let in a record that version refuses.
 */
export async function writeChecked<T>(ctx: Context, cycleId: string, w: CheckedWrite<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const current = await checkable(ctx, cycleId);
    // Before the records are checked: no record of a published year changes, valid or not.
    if (current.cycle.status === "finalised") throw finalisedRefusal(cycleId, current.cycle.finalisedAt);
    const own = (await w.issues?.(current)) ?? [];
    if (own.length) throw new ValidationError(own);
    const fresh = engineIssues(current, w.change);
    if (fresh.length) throw new ValidationError(fresh);
    try {
      return await ctx.store.transaction(async (tx) => {
        await holdScheme(tx, current.cycle);
        return w.write(tx);
      });
    } catch (err) {
      if (!(err instanceof SchemeChangedError) || attempt === ATTEMPTS) throw err;
    }
  }
}

/** The engine's checks of a bulk import, as `importFile` takes them. */
export interface ImportEngineChecks {
  /** Refuses, with the records named, an import that adds problems: nothing is committed then. */
  beforeCommit: (tx: Store) => Promise<void>;
  /**
   * The same problems, each with its record and field, for an import refused for other bad rows:
   * the importer lists those of its rows at their line and column (an unknown veto type with a
   * missing reason), so the file is not sent again only to learn of them.
   */
  recordIssues: (tx: Store) => Promise<RecordIssue[]>;
}

/**
 * The engine check for a bulk import (inside the import's transaction, so rows the scheme rejects
 * are never committed): a scorable cycle must stay scorable; a cycle that cannot be scored yet may
 * keep the issues it had, but gets no new ones. Checked under the scheme version the import
 * commits under (its transaction holds the cycle's row), which is not the one read before the
 * import if setCycleScheme committed meanwhile. What is known and what is not (a veto type, a
 * finding's level) is the compiled scheme's to say, never a list kept here.
 */
export async function importEngineCheck(
  ctx: Pick<Context, "evaluations" | "store">,
  cycleId: string,
): Promise<ImportEngineChecks> {
  const before = await checkable(ctx, cycleId);
  const fresh = async (tx: Store): Promise<{ dataset: Dataset; issues: InputIssue[] }> => {
    const { cycle, scheme, dataset } = await tx.loadEvaluation(cycleId);
    const same =
      cycle.schemeId === before.cycle.schemeId && cycle.schemeVersion === before.cycle.schemeVersion;
    const compiled = same ? before.compiled : compiles(scheme.document);
    if (!compiled) return { dataset, issues: [] };
    return { dataset, issues: freshIssues(compiled, same && before.scores ? null : before.dataset, dataset) };
  };
  return {
    beforeCommit: async (tx) => {
      const { issues } = await fresh(tx);
      if (issues.length) throw recordsError(issues, `the import would leave cycle '${cycleId}' unscorable`);
    },
    recordIssues: async (tx) => {
      const { dataset, issues } = await fresh(tx);
      const lists = dataset as unknown as Record<string, readonly Record<string, unknown>[] | undefined>;
      return issues.flatMap((i): RecordIssue[] => {
        const [collection, index, field] = i.path;
        const record =
          typeof collection === "string" && typeof index === "number"
            ? lists[collection]?.[index]
            : undefined;
        // Kept, with no list, so a caller can tell that not every problem is a record's.
        if (!record || typeof record !== "object")
          return [{ collection: "", record: {}, message: i.message }];
        return [
          {
            collection: collection as string,
            record,
            ...(typeof field === "string" ? { field } : {}),
            message: i.message,
          },
        ];
      });
    },
  };
}

/**
 * Runs engine code that scores a cycle's records under `label` ("scheme city-review v3", "the
 * candidate scheme"). The records it refuses come as one error that counts them, each named by
 * the engine (`score for unit "U01" in category "organ": 26.29 is outside 0–25`); other engine
 * errors (a bad scheme) are translated as `engineCall` does, under `prefix`. Shared by
 * setCycleScheme and the scheme preview, so both word a refused record alike.
 */
export function scoreUnder<T>(
  label: string,
  cycleId: string,
  fn: () => T,
  read: { dataset: Dataset; prefix?: IssuePrefix; schemes?: SchemesCompared },
): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InputError && err.subject === "dataset")
      throw unscorable({ label, cycleId, dataset: read.dataset, schemes: read.schemes }, err.issues);
    throw toClientError(err, read.prefix);
  }
}

/**
 * Listing one ballot of each vote the version cannot read, and one other record, at least. With
 * the two schemes, a record naming a category the target drops says so (`namingDropped`).
 */
function unscorable(
  move: { label: string; cycleId: string; dataset: Dataset; schemes?: SchemesCompared | undefined },
  issues: readonly InputIssue[],
) {
  const { label, cycleId, dataset } = move;
  return recordsError(
    namingDropped(issues, dataset, move.schemes),
    `${label} cannot score cycle '${cycleId}' as its records stand`,
    undefined,
    votesGoneKinds(dataset),
  );
}

/**
 * The error with what to do about it. After a dash, not a full stop: the list before it may end
 * in "…", and a sentence of its own would start in lower case.
 */
function advised(err: ValidationError, advice: string): ValidationError {
  return new ValidationError(err.issues, `${err.message} — ${advice}`);
}

/** Units listed when a move would take their totals away; the rest are counted. */
const LISTED_UNITS = 100;
/** Units repeated in the error's message. */
const MESSAGE_UNITS = 3;

/** Categories named in one unit's reason; the rest are counted. */
const LISTED_CATEGORIES = 3;

/**
 * Why the engine gave a unit no total, in its own words ("not scored (innovation: no records for
 * this unit)"). The engine names every category without a result, which for a version adding many
 * would make each unit's line, and the message repeating three of them, as long as the scheme:
 * past LISTED_CATEGORIES, the first few are named and the rest counted.
 */
function whyNoTotal(result: UnitResult): string {
  const missing = result.categories.filter((c) => c.points === null);
  if (missing.length > LISTED_CATEGORIES) {
    const named = missing.slice(0, LISTED_CATEGORIES).map((c) => `${c.category}: ${c.reason ?? "no result"}`);
    return `not scored (${named.join("; ")}; and ${(missing.length - LISTED_CATEGORIES).toLocaleString("en")} more categories)`;
  }
  const reasons = result.eligibility.reasons.filter((r) => r.kind === "insufficient").map((r) => r.text);
  return reasons.length ? reasons.join("; ") : "no total";
}

function totalsLost(label: string, cycleId: string, dataset: Dataset, lost: readonly UnitResult[]) {
  const at = new Map(dataset.units.map((u, i) => [u.id, i]));
  const n = lost.length;
  const listed = lost.slice(0, LISTED_UNITS).map((u) => ({
    path: `dataset.units[${at.get(u.unit) ?? "?"}]`,
    message: `unit ${u.unit}: ${whyNoTotal(u)}`,
  }));
  const shown = listed
    .slice(0, MESSAGE_UNITS)
    .map((i) => i.message)
    .join("; ");
  const units = `${n} unit${n === 1 ? "" : "s"}${n > LISTED_UNITS ? ` (the first ${LISTED_UNITS} listed)` : ""}`;
  return new ValidationError(
    listed,
    `under ${label}, ${units} of cycle '${cycleId}' that have a total now would have none: ${shown}${n > MESSAGE_UNITS ? "; …" : ""}`,
  );
}

/** The engine's evaluation of the records, or null when the scheme cannot score them. */
function evaluation(compiled: CompiledScheme | null, dataset: Dataset): Evaluation | null {
  if (!compiled) return null;
  try {
    return evaluate(compiled, dataset, { traces: false });
  } catch (err) {
    if (err instanceof InputError) return null;
    throw err;
  }
}

/** How many categories a stored scheme document has, for the price of an evaluation under it. */
function categoryCount(document: unknown): number {
  const categories = (document as { categories?: unknown } | null)?.categories;
  return Array.isArray(categories) ? categories.length : 1;
}

/**
 * Takes a move's check from the request's budget. Too costly to check within one request is
 * refused as such: `force: true` moves without the check. Not charged to the subject's minute of
 * analysis work (PINGYI_ANALYSIS_SECONDS_PER_MINUTE): it guards an administrator's write, each
 * one audited, and refusing it for the analyses run before would leave `force: true`, which
 * skips the check, as the way to move the cycle at once. The secret votes the move would lift
 * (`lifted`, which needs no evaluation) are said beside the refusal: forcing past the budget
 * lifts them as well.
 */
function spendOnCheck(
  work: { remaining: number },
  amount: number,
  move: { label: string; cycleId: string; lifted: readonly ValidationIssue[] },
): void {
  const refused = overBudget(work, amount, `checking the records under ${move.label}`);
  if (refused)
    throw withLifted(
      new ValidationError([
        {
          path: "version",
          message: `${refused}: pass force: true, with a reason, to move the cycle without the check`,
        },
      ]),
      move,
    );
  work.remaining -= amount;
}

/**
 * Refuses to move a cycle to a scheme version that cannot score its records (a category's scale
 * lowered below stored scores, a finding type or group dropped): the ranking would fail until an
 * administrator moved it back. The same engine check as the writes: a cycle that cannot be scored
 * may move to a version under which no record has a problem it did not have before.
 *
 * Also refuses a version that scores the records but leaves units that have a total now without
 * one (a category added that has no records yet, a survey quorum raised): the ranking would lose
 * them as surely. Units that had no total before are not made worse, so they do not count.
 *
 * Also refuses a version that declares a secret vote with ballots in the cycle a named vote: its
 * voters voted under a promise of secrecy, which only a forced move, with its reason in the
 * history, may break. The promise is the one the cycle's latest version to declare the vote made
 * (`cycleSecretVotes`), so a version naming again a vote an earlier version declared secret is
 * refused too. A version that drops, renames or rescores a secret vote breaks no promise (readers
 * list only named votes' ballots): it is refused for the vote's ballots, which it cannot score.
 * Runs inside setScheme's transaction, under the cycle's row lock.
 */
export async function schemeChangeCheck(
  tx: Store,
  cycleId: string,
  move: { target: { schemeId: string; version: number }; work: { remaining: number } },
): Promise<void> {
  const { target } = move;
  const { cycle, scheme: current, dataset } = await tx.loadEvaluation(cycleId);
  const next = await tx.schemes.get(target.schemeId, target.version);
  const label = `scheme ${target.schemeId} v${target.version}`;
  // Records are read under both versions and the cycle may be evaluated under each: priced as two
  // evaluations, by each version's categories as stored.
  const units = dataset.units.length;
  const price = (document: unknown) => cost.evaluation(units, categoryCount(document));
  const compiled = engineCall(() => compileScheme(next.document));
  const old = compiles(current.document);
  // Before the budget: it needs no evaluation, and a move forced past the budget lifts it too.
  const secret = await cycleSecretVotes(tx, cycle, { scheme: current.document, dataset });
  const lifted = secrecyLifted(secret, compiled);
  spendOnCheck(move.work, price(next.document) + price(current.document), { label, cycleId, lifted });
  // Said with the records' refusal too: a move forced past that one would lift the secrecy as well.
  const schemes = { from: current.document, to: next.document };
  const refused = recordsRefusal({ label, cycleId, dataset, schemes }, old, compiled);
  if (refused)
    throw advised(
      withLifted(refused.error, { label, cycleId, lifted }),
      recordsAdvice(refused, lifted, { cycleId, dataset }),
    );
  if (lifted.length > 0)
    throw advised(
      new ValidationError(lifted, liftedSentence(label, cycleId, lifted)),
      `delete the ${lifted.length === 1 ? "vote's" : "votes'"} ballots with deleteBallots, or pass force: true with a reason to move it anyway, if that is meant`,
    );
}

/**
 * What to do about the records a move is refused for. The ballots of a vote `next` has no vote
 * for (dropped, renamed, rescored; named or secret, see `votesGone`) cannot be corrected into
 * ones it reads. Dropped or rescored, deleting them is the correction (deleteBallots, a vote's
 * at once), after which the move goes through. Renamed, deleting them first would lose them: the move is forced, they are recorded
 * again under the new id, then deleted. Forced, the cycle keeps them, listed to admins only, and
 * its ranking fails until they are deleted. A secret vote `next` declares named (`lifted`) is
 * lifted whatever the records: said before the force, or an admin who corrects them is refused
 * again.
 */
function recordsAdvice(
  refused: Refusal,
  lifted: readonly ValidationIssue[],
  cycle: { cycleId: string; dataset: Dataset },
): string {
  const whose = lifted.length === 1 ? "vote's" : "votes'";
  const lifts = `the move still lifts the secrecy, which only deleting the secret ${whose} ballots (deleteBallots), or force: true with a reason, moves past`;
  const { votes, onlyTheirs } = votesGone(refused.records, cycle.dataset);
  if (votes.length === 0)
    return `${refused.correct}${lifted.length > 0 ? ` (that done, ${lifts})` : ""}, ${refused.force}`;
  const theirs = `the ballots of ${votes.map((c) => `"${c}"`).join(", ")}`;
  const how = `with ${deleteBallotsCall(cycle.cycleId, votes, cycle.dataset)}`;
  const then = `, after which ${lifted.length > 0 ? lifts : "the move goes through"}`;
  const vote = votes.length === 1 ? "the vote" : "a vote";
  const renamed = `if this version renames ${vote}, pass force: true with a reason, record those ballots again under the new id, then delete them with deleteBallots`;
  const until = onlyTheirs ? "they are deleted" : "they are deleted and the other records corrected";
  const force = `${refused.force}, leaving those ballots in the cycle, listed to admins only: its ranking fails until ${until}`;
  const first = onlyTheirs
    ? `delete ${theirs} first ${how}`
    : `${refused.correct}, deleting ${theirs} among them ${how}`;
  return `${first} if this version drops or rescores their vote (no correction makes it read them)${then}; ${renamed}; ${force}`;
}

/** Records that stop a move: the error naming them, and what to do about it in two halves. */
interface Refusal {
  error: ValidationError;
  /**
   * Where each refused record is (`["ballots", 3, "category"]`), for the advice on ballots the
   * version cannot read; none for units losing their total, which are no such ballots.
   */
  records: readonly InputIssue["path"][];
  /** How the records are corrected under the current version. */
  correct: string;
  /** The force that moves past them, after a comma. */
  force: string;
}

/**
 * Why the records stop the move, with what to do about it: records `next` cannot score that the
 * current version could, or units that have a total now and would have none. Null when neither.
 */
function recordsRefusal(
  move: { label: string; cycleId: string; dataset: Dataset; schemes: SchemesCompared },
  old: CompiledScheme | null,
  compiled: CompiledScheme,
): Refusal | null {
  const { label, cycleId, dataset } = move;
  const issues = datasetIssues(compiled, dataset);
  if (issues.length > 0) {
    // Where, not how: the same record still wrong, in other words, is not a new problem.
    const where = (i: InputIssue) => issueKey(dataset, { ...i, message: "" });
    const known = new Set(old ? datasetIssues(old, dataset).map(where) : []);
    const fresh = issues.filter((i) => !known.has(where(i)));
    // Only problems the cycle had already: it could not be scored before, so no total is lost.
    if (fresh.length === 0) return null;
    return {
      error: unscorable(move, fresh),
      records: fresh.map((i) => i.path),
      correct: "correct the records first",
      force: "or pass force: true with a reason to move it anyway",
    };
  }
  const after = scoreUnder(label, cycleId, () => evaluate(compiled, dataset, { traces: false }), {
    dataset,
    schemes: move.schemes,
  });
  const unscored = after.units.filter((u) => u.total === null);
  // The current evaluation only when the move could cost a total: most moves score every unit.
  if (unscored.length === 0) return null;
  const before = evaluation(old, dataset);
  const scoredBefore = new Set(before?.units.filter((u) => u.total !== null).map((u) => u.unit));
  const lost = unscored.filter((u) => scoredBefore.has(u.unit));
  if (lost.length === 0) return null;
  return {
    error: totalsLost(label, cycleId, dataset, lost),
    records: [],
    correct: "add what they lack first if the current version accepts it",
    force:
      "or pass force: true with a reason to move it anyway and add it after (they have no total until then)",
  };
}
