import {
  type CompiledScheme,
  compileScheme,
  type Dataset,
  datasetIssues,
  formatPath,
  type InputIssue,
  validateDataset,
} from "@pingyi/engine";
import type { Context } from "../context.js";
import { engineCall } from "../errors.js";
import { type Store, ValidationError } from "../store/index.js";

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

/**
 * The cycle's compiled scheme and stored dataset, whether or not the cycle can be scored: from the
 * evaluation cache when it scores, else loaded directly. Null only when the scheme itself does not
 * compile (published schemes always do).
 */
export async function checkable(
  ctx: Pick<Context, "evaluations" | "store">,
  cycleId: string,
): Promise<{ compiled: CompiledScheme; dataset: Dataset; scores: boolean } | null> {
  const scored = await ctx.evaluations.get(cycleId).catch(() => null);
  if (scored) return { compiled: scored.compiled, dataset: scored.dataset, scores: true };
  const { scheme, dataset } = await ctx.store.loadEvaluation(cycleId);
  try {
    return { compiled: compileScheme(scheme.document), dataset, scores: false };
  } catch {
    return null;
  }
}

/**
 * Refuses a write that the engine would reject when scoring (an unknown group or finding type, a
 * score above the category's maximum, ...), so one bad record cannot break a whole cycle's
 * ranking. Only problems the change introduces are reported, so a cycle that already cannot be
 * scored still accepts records that are valid themselves (and fixes), but no new bad ones.
 */
export async function checkWithEngine(
  ctx: Context,
  cycleId: string,
  change: (d: Dataset) => Dataset,
): Promise<void> {
  const current = await checkable(ctx, cycleId);
  if (!current) return;
  const fresh = freshIssues(
    current.compiled,
    current.scores ? null : current.dataset,
    change(current.dataset),
  );
  if (fresh.length) {
    throw new ValidationError(
      fresh.map((i) => ({ path: `input.${String(i.path.at(-1) ?? "")}`, message: i.message })),
    );
  }
}

/**
 * The engine check for a bulk import, as its `beforeCommit` (inside the import's transaction, so
 * rows the scheme rejects are never committed): a scorable cycle must stay scorable; a cycle that
 * cannot be scored yet may keep the issues it had, but gets no new ones.
 */
export async function importEngineCheck(
  ctx: Pick<Context, "evaluations" | "store">,
  cycleId: string,
): Promise<(tx: Store) => Promise<void>> {
  const scorableBefore = await ctx.evaluations.get(cycleId).then(
    () => true,
    () => false,
  );
  const before = scorableBefore ? null : await checkable(ctx, cycleId);
  return async (tx) => {
    const { scheme, dataset } = await tx.loadEvaluation(cycleId);
    if (scorableBefore) {
      engineCall(() => validateDataset(compileScheme(scheme.document), dataset));
      return;
    }
    if (!before) return;
    const fresh = freshIssues(before.compiled, before.dataset, dataset);
    if (fresh.length)
      throw new ValidationError(
        fresh.map((i) => ({ path: `dataset.${formatPath(i.path)}`, message: i.message })),
      );
  };
}
