import { compileScheme, type Evaluation } from "@pingyi/engine";
import { engineCall } from "../errors.js";
import { type EvaluationCache, scoreRecords } from "../evaluations.js";
import { type Store, ValidationError } from "../store/index.js";
import { unscoredRefusal } from "./unscored-units.js";

/** Categories named in the refusal, at most. */
const LISTED_CATEGORIES = 10;

const MISTAKE = "a cycle created by mistake (a mistyped id) is removed with deleteCycle instead";

/**
 * Refuses to freeze a year that would publish nothing, for good: one whose records its scheme
 * cannot score (said as the ranking says it), or in which no unit has a total (a mistyped
 * cycle id, records not loaded yet, a whole category missing). A year in which only some units
 * have no total is frozen only when `expectedUnscoredUnits` confirms how many (records half
 * loaded are the easy mistake this write makes permanent). Run under the cycle's row lock, so
 * what it sees is what is frozen.
 */
export async function finaliseCheck(
  store: Store,
  cycleId: string,
  options: { cache?: Pick<EvaluationCache, "peek">; expectedUnscoredUnits?: number | null } = {},
): Promise<void> {
  const evaluation =
    (await options.cache?.peek(store, cycleId))?.evaluation ?? (await scoreAfresh(store, cycleId));
  const refusal = nothingToPublish(cycleId, evaluation);
  if (refusal) throw new ValidationError([{ path: "cycleId", message: refusal }]);
  const unscored = unscoredRefusal(cycleId, evaluation, options.expectedUnscoredUnits);
  if (unscored) throw new ValidationError([{ path: "expectedUnscoredUnits", message: unscored }]);
}

async function scoreAfresh(store: Store, cycleId: string): Promise<Evaluation> {
  const { scheme, dataset } = await store.loadEvaluation(cycleId);
  const compiled = engineCall(() => compileScheme(scheme.document));
  return scoreRecords(cycleId, compiled, dataset, { traces: false, advice: "Correct them, then finalise" });
}

/**
 * Why an evaluation has nothing to publish (no unit has a total), or undefined when a unit has
 * one. Reads the engine's results only: which categories no unit has a result in.
 */
export function nothingToPublish(cycleId: string, evaluation: Evaluation): string | undefined {
  const { units } = evaluation;
  if (units.some((u) => u.total !== null)) return undefined;
  if (units.length === 0)
    return (
      `cycle '${cycleId}' has no units, so finalising it would publish an empty year for good: give it its units ` +
      `(createCycle's copyUnitsFrom, upsertUnit or a units import) and its records first; ${MISTAKE}`
    );
  const categories = units[0]!.categories.map((c) => c.category);
  const empty = categories.filter((id) =>
    units.every((u) => u.categories.find((c) => c.category === id)?.status !== "scored"),
  );
  const shown =
    empty.slice(0, LISTED_CATEGORIES).join(", ") + (empty.length > LISTED_CATEGORIES ? ", …" : "");
  const why =
    empty.length > 0
      ? `no unit has a result in ${shown} (no records, or too few: a vote without its quorum, too few valid forms)`
      : "each lacks a result in some category (scoreBreakdown says which)";
  const n = units.length;
  return (
    `none of the ${n} unit${n === 1 ? "" : "s"} of cycle '${cycleId}' has a total, so finalising it would publish ` +
    `an empty year for good: ${why}. Load the year's records (importFile, setScore, …) and check its ranking first; ${MISTAKE}`
  );
}
