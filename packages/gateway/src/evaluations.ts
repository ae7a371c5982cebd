import {
  type CompiledScheme,
  compileScheme,
  type Evaluation,
  evaluate,
  InputError,
  type InputIssue,
} from "@pingyi/engine";
import { atLeast, type Role } from "./auth/roles.js";
import { engineCall, toClientError } from "./errors.js";
import { Lru } from "./lru.js";
import { recordsError } from "./records-error.js";
import { secretBallotsUnnamed } from "./secret-ballot-issues.js";
import {
  type Cycle,
  type Dataset,
  type SchemeVersion,
  type Store,
  ValidationError,
  type ValidationIssue,
} from "./store/index.js";

/** One cycle scored under its scheme version, with what it was scored from. */
export interface Scored {
  key: string;
  cycle: Cycle;
  scheme: SchemeVersion;
  compiled: CompiledScheme;
  dataset: Dataset;
  evaluation: Evaluation;
}

/** Each evaluation's unit results by unit id, made at the first lookup and dropped with it. */
const resultsByUnit = new WeakMap<Evaluation, Map<string, Evaluation["units"][number]>>();

/**
 * A unit's result in an evaluation. A page of 2,000 units, each looking its result up in a
 * province's 10,000 (once per cycle for `Unit.results`), searched the list 2,000 times over.
 */
export function resultOf(evaluation: Evaluation, unitId: string): Evaluation["units"][number] | undefined {
  let byId = resultsByUnit.get(evaluation);
  if (!byId) {
    byId = new Map(evaluation.units.map((r) => [r.unit, r]));
    resultsByUnit.set(evaluation, byId);
  }
  return byId.get(unitId);
}

/**
 * A per-process LRU of evaluations keyed by (cycle, scheme version, data revision). The data
 * revision is the count and newest id of the cycle's audit records: every store write appends
 * one in the same transaction, so another process's write changes the key and this cache is
 * never stale (the count, because ids are drawn at insert and can commit out of order).
 */
export class EvaluationCache {
  private readonly entries: Lru<Scored>;

  constructor(
    private readonly store: Store,
    size: number,
  ) {
    this.entries = new Lru(size);
  }

  get hits(): number {
    return this.entries.hits;
  }
  get misses(): number {
    return this.entries.misses;
  }

  async get(cycleId: string): Promise<Scored> {
    // The dataset is read after the key, so it can only be newer than the key says: a later
    // reader then computes another key and reloads; it can never be older.
    const key = await this.keyOf(this.store, cycleId);
    return this.entries.get(key, () => this.load(key, cycleId));
  }

  /**
   * The evaluation of the cycle as `store` (a transaction holding the cycle's row) sees it, if one
   * is cached and finished; loads nothing and waits for no load still running (see `Lru.peek`). Finalising a province-scale year then checks the ranking it was
   * looking at instead of scoring the year again under its lock.
   */
  async peek(store: Store, cycleId: string): Promise<Scored | undefined> {
    return this.entries.peek(await this.keyOf(store, cycleId));
  }

  private async keyOf(store: Store, cycleId: string): Promise<string> {
    const [cycle, revision] = await Promise.all([store.cycles.get(cycleId), store.audit.revision(cycleId)]);
    return `${cycle.id}\u0000${cycle.schemeId}@${cycle.schemeVersion}\u0000${revision.count}:${revision.lastId}`;
  }

  private async load(key: string, cycleId: string): Promise<Scored> {
    const { cycle, scheme, dataset } = await this.store.loadEvaluation(cycleId);
    const compiled = engineCall(() => compileScheme(scheme.document));
    return { key, cycle, scheme, compiled, dataset, evaluation: scoreRecords(cycleId, compiled, dataset) };
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * A cycle's records scored under its compiled scheme. Records the scheme refuses (moved with
 * force, or stored before a check existed) come as one error that names each record, not its
 * index in a dataset no screen shows, led by "cycle '<id>' cannot be scored as its records
 * stand" wherever it is met (the ranking, finaliseCycle); `advice` follows the records.
 */
export function scoreRecords(
  cycleId: string,
  compiled: CompiledScheme,
  dataset: Dataset,
  options: { traces?: boolean; advice?: string } = {},
): Evaluation {
  try {
    return evaluate(compiled, dataset, options.traces === undefined ? {} : { traces: options.traces });
  } catch (err) {
    if (err instanceof InputError && err.subject === "dataset")
      throw unscorableRecords(cycleId, err.issues, { compiled, dataset, advice: options.advice });
    throw toClientError(err);
  }
}

/**
 * A cycle's records refused by its scheme: told apart from the other refusals of a scoring (a
 * scheme the engine no longer reads), which no correction of the records mends. `unnamed` is
 * the same refusal naming no ballot but a named vote's (a secret vote's, or one the version no
 * longer scores as a named vote, are counted), for callers who may not list them; itself when it
 * names none.
 */
export class UnscorableRecordsError extends ValidationError {
  readonly unnamed: UnscorableRecordsError;

  constructor(issues: ValidationIssue[], message: string, unnamed?: UnscorableRecordsError) {
    super(issues, message);
    this.unnamed = unnamed ?? this;
  }
}

/**
 * The error of a cycle whose records its scheme refuses, as every place that meets it words it.
 * `compiled` and `dataset` are what the issues were found in: they tell which ballots are not a
 * named vote's, redacted here once rather than per caller from records read again.
 */
export function unscorableRecords(
  cycleId: string,
  issues: readonly InputIssue[],
  found: { compiled: CompiledScheme; dataset: Dataset; advice?: string | undefined },
): UnscorableRecordsError {
  const what = `cycle '${cycleId}' cannot be scored as its records stand`;
  const unnamedIssues = secretBallotsUnnamed(found.compiled, found.dataset, issues);
  const unnamed = unnamedIssues ? recordsError(unnamedIssues, what, found.advice) : null;
  const { issues: listed, message } = recordsError(issues, what, found.advice);
  return new UnscorableRecordsError(
    listed,
    message,
    unnamed ? new UnscorableRecordsError(unnamed.issues, unnamed.message) : undefined,
  );
}

/**
 * An evaluation's error as `role` may read it: an admin, who corrects the records, sees each
 * refused ballot named; anyone else only how many a category has, but for a named vote's. The cached
 * error is shared by every caller, so this is applied where it reaches a request.
 */
export function readableBy<E>(err: E, role: Role | undefined): E {
  return err instanceof UnscorableRecordsError && !atLeast(role, "admin") ? (err.unnamed as E) : err;
}
