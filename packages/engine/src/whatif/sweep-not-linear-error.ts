/**
 * Why an analysis cannot run on a scheme's structure, as `SweepNotLinearError.reason` says it:
 * - `"formula-reads-moving-points"`: a formula category reads a category whose points the
 *   analysis moves (the swept one, the others under `"rescale"`, or any under Monte-Carlo's
 *   draws), and a formula need not be linear in what it reads;
 * - `"rollup-reads-moving-share"`: a roll-up reads sub-units' share of a category that varies
 *   with the swept points;
 * - `"rollup-median-of-totals"`: a roll-up takes the median of sub-unit totals, which is not
 *   linear in the swept points;
 * - `"rollup-totals-into-moving-maximum"`: a roll-up reads sub-unit totals as a share of a
 *   category maximum that varies with the sweep;
 * - `"mixed-quota-scopes"`: grade quotas within groups and over all ranked units in one scheme,
 *   which the sweep does not support yet;
 * - `"category-holds-every-point"`: leave-one-out cannot leave out a category that holds all
 *   of the scheme's points (no unit could score without it).
 */
export type SweepNotLinearReason =
  | "formula-reads-moving-points"
  | "rollup-reads-moving-share"
  | "rollup-median-of-totals"
  | "rollup-totals-into-moving-maximum"
  | "mixed-quota-scopes"
  | "category-holds-every-point";

/** What a program reads of a `SweepNotLinearError` instead of its message. */
export interface SweepNotLinearDetail {
  readonly reason: SweepNotLinearReason;
  /**
   * The category the analysis was asked about: a sweep's `category`, or the category
   * leave-one-out cannot leave out; null for Monte-Carlo, whose draws move every category.
   */
  readonly category: string | null;
  /**
   * The scheme's categories the reason is about: the formula category and the moving category
   * it reads (in that order), a roll-up's source or target category, the category that holds
   * every point; empty when no category is (a median of totals, mixed quota scopes).
   */
  readonly categories: readonly string[];
  /** The roll-up's id, for the roll-up reasons; null otherwise. */
  readonly rollup: string | null;
}

/**
 * Thrown on purpose when an analysis (`weightSweep`, `monteCarlo`, `leaveOneOut`) cannot be run
 * exactly on a scheme's structure, rather than reporting figures that would not be exact; and
 * by `sweepWork`, which estimates a sweep, for the schemes `weightSweep` refuses. Not
 * an `InputError`: the scheme and options are valid, and the evaluation and scenarios work on
 * them. `reason`, `category`, `categories` and `rollup` say why for a program; the message says
 * it in words.
 */
export class SweepNotLinearError extends Error implements SweepNotLinearDetail {
  override readonly name = "SweepNotLinearError";
  readonly reason: SweepNotLinearReason;
  readonly category: string | null;
  readonly categories: readonly string[];
  readonly rollup: string | null;

  constructor(message: string, detail: SweepNotLinearDetail) {
    super(message);
    this.reason = detail.reason;
    this.category = detail.category;
    this.categories = detail.categories;
    this.rollup = detail.rollup;
  }
}
