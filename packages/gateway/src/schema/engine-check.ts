import {
  type CompiledScheme,
  compileScheme,
  type Dataset,
  datasetIssues,
  formatPath,
  type InputIssue,
} from "@pingyi/engine";
import type { Context } from "../context.js";
import { engineCall } from "../errors.js";
import { recordsError } from "../record-label.js";
import {
  ConflictError,
  type Cycle,
  type SchemeVersion,
  type Store,
  ValidationError,
  type ValidationIssue,
} from "../store/index.js";

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

function compiles(document: unknown): CompiledScheme | null {
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

/**
 * The engine check for a bulk import, as its `beforeCommit` (inside the import's transaction, so
 * rows the scheme rejects are never committed): a scorable cycle must stay scorable; a cycle that
 * cannot be scored yet may keep the issues it had, but gets no new ones. Checked under the scheme
 * version the import commits under (its transaction holds the cycle's row), which is not the one
 * read before the import if setCycleScheme committed meanwhile.
 */
export async function importEngineCheck(
  ctx: Pick<Context, "evaluations" | "store">,
  cycleId: string,
): Promise<(tx: Store) => Promise<void>> {
  const before = await checkable(ctx, cycleId);
  return async (tx) => {
    const { cycle, scheme, dataset } = await tx.loadEvaluation(cycleId);
    const same =
      cycle.schemeId === before.cycle.schemeId && cycle.schemeVersion === before.cycle.schemeVersion;
    const compiled = same ? before.compiled : compiles(scheme.document);
    if (!compiled) return;
    const fresh = freshIssues(compiled, same && before.scores ? null : before.dataset, dataset);
    if (fresh.length)
      throw recordsError(dataset, fresh, `the import would leave cycle '${cycleId}' unscorable`);
  };
}

/**
 * Refuses to move a cycle to a scheme version that cannot score its records (a category's scale
 * lowered below stored scores, a finding type or group dropped): the ranking would fail until an
 * administrator moved it back. The same engine check as the writes: a cycle that cannot be scored
 * may move to a version under which no record has a problem it did not have before. Runs inside
 * setScheme's transaction, under the cycle's row lock.
 */
export async function schemeChangeCheck(
  tx: Store,
  cycleId: string,
  target: { schemeId: string; version: number },
): Promise<void> {
  const { scheme: current, dataset } = await tx.loadEvaluation(cycleId);
  const next = await tx.schemes.get(target.schemeId, target.version);
  const compiled = engineCall(() => compileScheme(next.document));
  const issues = datasetIssues(compiled, dataset);
  if (issues.length === 0) return;
  // Where, not how: the same record still wrong, in other words, is not a new problem.
  const where = (i: InputIssue) => issueKey(dataset, { ...i, message: "" });
  const old = compiles(current.document);
  const known = new Set(old ? datasetIssues(old, dataset).map(where) : []);
  const fresh = issues.filter((i) => !known.has(where(i)));
  if (fresh.length === 0) return;
  throw recordsError(
    dataset,
    fresh,
    `scheme ${target.schemeId} v${target.version} cannot score cycle '${cycleId}' as its records stand`,
    "correct the records first, or pass force: true to move it anyway",
  );
}
