import { type CompiledScheme, compileScheme, datasetIssues } from "@pingyi/engine";
import type { Context } from "../context.js";
import { engineCall } from "../errors.js";
import { readableBy, type Scored, UnscorableRecordsError, unscorableRecords } from "../evaluations.js";
import type { Cycle, Dataset, ValidationError } from "../store/index.js";

interface Read {
  cycle: Cycle;
  /** The cycle's current scheme version, compiled. */
  compiled: CompiledScheme;
  dataset: Dataset;
  /** The data it was read from: a cursor of a list built from other data is stale. */
  revision: string;
}

/**
 * A cycle under its current scheme version: its evaluation, or, when that version cannot score
 * its records, the error its ranking answers with (`unscorable`), with what was read.
 */
export type CurrentScoring =
  | (Read & { scored: Scored; unscorable: null })
  | (Read & { scored: null; unscorable: ValidationError });

/**
 * The cycle as its current scheme version scores it, or why that version cannot. Only records
 * the version refuses make a cycle unscorable: a failing database, an unknown cycle or a scheme
 * the engine no longer reads stays the error it is.
 */
export async function currentScoring(
  ctx: Pick<Context, "loaders" | "store" | "principal">,
  cycleId: string,
  again = true,
): Promise<CurrentScoring> {
  try {
    const scored = await ctx.loaders.evaluation.load(cycleId);
    const { cycle, compiled, dataset, key } = scored;
    return { cycle, compiled, dataset, revision: key, scored, unscorable: null };
  } catch (err) {
    if (!(err instanceof UnscorableRecordsError)) throw err;
    // Read before the records, as the evaluation cache reads its key: the records can only be
    // newer than the revision says, so a later read's cursors are stale rather than wrong.
    const { count, lastId } = await ctx.store.audit.revision(cycleId);
    const { cycle, scheme, dataset } = await ctx.store.loadEvaluation(cycleId);
    const compiled = engineCall(() => compileScheme(scheme.document));
    const issues = datasetIssues(compiled, dataset);
    if (issues.length === 0) {
      // Corrected since the evaluation was refused (the loader keeps its answer for the
      // request): scored once more, they answer.
      if (!again) throw err;
      ctx.loaders.evaluation.clear(cycleId);
      return currentScoring(ctx, cycleId, false);
    }
    const revision = JSON.stringify([cycle.schemeId, cycle.schemeVersion, count, lastId]);
    // Named to an admin only, as the loader's error is (readableBy).
    const unscorable = readableBy(
      unscorableRecords(cycle.id, issues, { compiled, dataset }),
      ctx.principal?.role,
    );
    return { cycle, compiled, dataset, revision, scored: null, unscorable };
  }
}
