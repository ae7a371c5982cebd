import type { Dataset, Unit } from "../dataset/dataset.js";
import type { InputIssue } from "../input-error.js";
import type { Rational } from "../rational.js";
import type { Category, Scheme } from "../scheme/scheme-schema.js";
import type { TraceStep } from "../trace.js";

/**
 * What a scoring method produced for one unit in one category.
 * `value` is on the method's own `scale` (e.g. 86.5 of 100 votes points, 26.94 of 30);
 * the engine turns it into category points as value / scale × category points.
 */
export type MethodOutcome =
  | {
      status: "scored";
      value: Rational;
      scale: Rational;
      trace: TraceStep[];
      /** Figures worth showing beside the score (valid forms, satisfaction rate, voters, …). */
      details?: Record<string, string>;
    }
  | {
      /** Not enough data for a number (quorum not met, too few valid forms, no score recorded). */
      status: "insufficient";
      reason: string;
      trace: TraceStep[];
    };

export interface CompileContext {
  category: Category;
  scheme: Scheme;
  /** Path of the category's `method` in the scheme, for issues. */
  path: (string | number)[];
}

export interface Compiled<C> {
  issues: InputIssue[];
  compiled: C;
  /** Other categories this one reads; they are scored first. */
  dependsOn: string[];
}

/**
 * What one call's validation already read from the records (a category's survey counts,
 * its ballots grouped by unit), for scoring in the same call: 2,000,000 forms are then
 * read once, not twice. Made per call and dropped with it, never kept across calls, in
 * which the caller may have changed the dataset. Keys are the methods' own.
 */
export type RecordsRead = Map<string, unknown>;

export interface DataContext<P> {
  category: Category;
  params: P;
  dataset: Dataset;
  unitIds: ReadonlySet<string>;
  /** Present when validation and scoring run in one call over the same, unchanged dataset. */
  read?: RecordsRead | undefined;
}

export interface ScoreContext<P, C> extends DataContext<P> {
  compiled: C;
  units: readonly Unit[];
  /** Exact, unrounded points of already-scored categories, by category then unit. */
  categoryPoints: ReadonlyMap<string, ReadonlyMap<string, Rational>>;
  /** False when nobody will read the explanation: a method may then skip building trace text. */
  traces?: boolean;
}

/**
 * A scoring method declares its whole behaviour here, in one place: how its parameters are
 * checked and prepared once per scheme, how its records are validated, how units are scored.
 */
export interface ScoringMethod<P, C = undefined> {
  readonly kind: string;
  compile(params: P, ctx: CompileContext): Compiled<C>;
  /**
   * Every problem in this category's records, with dataset paths (e.g. ["ballots", 12, "score"]).
   * Messages say what is wrong, not whose record it is: the dataset check names the record
   * before each (`withRecordNames`).
   */
  validateData(ctx: DataContext<P>): InputIssue[];
  /** Scores every unit; a unit with no outcome is treated as "insufficient: no data". */
  score(ctx: ScoreContext<P, C>): Map<string, MethodOutcome>;
}
