import type { SweepWork, WalkWork } from "@pingyi/engine";
import { ValidationError } from "./store/index.js";

/**
 * Bounds on what-if work, so that one request cannot tie up the (single-threaded) server.
 * Analyses run synchronously on the event loop; their cost is estimated before they start in
 * "work units" of roughly 0.3 µs on the project machine (measured with 1,000 units:
 * a Monte-Carlo unit-sample ≈ 1 unit, a scenario ≈ 150 units per unit; a sweep from the
 * engine's estimate of the crossings it will step through, see `cost.sweep`).
 * A request (every field of one operation together) may spend
 * WORK_PER_REQUEST, about 1.5 s of CPU.
 */
export const WORK_PER_REQUEST = 5_000_000;
/** The work units of about a second of CPU, at ≈ 0.3 µs each: what settings in seconds are converted with. */
export const WORK_PER_SECOND = 3_333_333;
export const MAX_SAMPLES = 5_000;
/**
 * The most `UnitSweep.segments` the sweep pages of one request hold together. A sweep is priced
 * before it runs, but its pages' size is known only after: a unit's segments grow with the units
 * it crosses, so one page of 2,000 units of a group of 1,000 swept to 1,000,000 held 375,000
 * segments (36 MB, 5 s to write out), and a few aliases of it several times that. A page stops
 * before the unit whose segments would pass what the request has left (`hasNextPage` true, its
 * `endCursor` the last unit it holds) and always holds one unit, so that paging ends: a unit has
 * at most about two segments per unit it is ranked or graded with, a few thousand within the
 * work budget. Written out with its unit's breakpoints and the rest of a console page's fields,
 * a segment is ≈ 160 bytes and 20–35 µs (a group of 1,000 through HTTP on a busy machine): 20,000
 * are ≈ 3 MB and about half a second.
 */
export const SWEEP_SEGMENTS_PER_REQUEST = 20_000;
export const MAX_ALTERNATIVES = 4;
/**
 * The most categories a scheme document may have, at publish and in a preview. Real schemes have a
 * handful (the example: 3); thousands would make every evaluation of a cycle under them take
 * seconds, the ranking's included.
 */
export const MAX_SCHEME_CATEGORIES = 100;

export const cost = {
  scenario: (units: number) => units * 150,
  /**
   * A full evaluation with explanations (scheme compiled, every record read, traces built), and the
   * comparison a preview adds. Its work is per category of each unit. Previews measured through
   * HTTP on a machine about twice as fast as the project machine: 200 units, 27 more scored
   * categories ≈ 24 µs per unit and category; 29 units under 12,003 categories no record scores
   * ≈ 10 µs (7.6 s, ≈ 22 µs, as reported from a slower one). A scored category of a unit is so
   * ≈ 50 µs, 170 work units; priced at 150 (3 categories: 450 per unit, near the flat 400 it
   * replaces).
   */
  evaluation: (units: number, categories: number) => units * Math.max(1, categories) * 150,
  leaveOneOut: (units: number, categories: number) => units * categories * 150,
  /**
   * A weight sweep, from the engine's estimate of its work (`sweepWork`): its time follows the
   * pairs of units that cross in the swept range, which a group's size alone does not say (one
   * of 1,400 whose scores tie a lot crosses 485,000 times swept to 999,999 and 5,000 times over
   * two points around the nominal, both priced 4,901,000 by size). Per walk: 12 a crossing (20
   * in the walk over all ranked units for an overall quota); 0.1 a pair screened for
   * crossings; 10 a unit walked; 0.15 per unit walked each time a total meets a grade level
   * that grades them all again; and, where a crossing next to a quota's places grades them all
   * again (`regradingQuotas`), 0.004 per unit walked and such quota for every crossing, since
   * which crossings land there is known only as the walk runs (two quotas within a random group
   * of 1,400: ~28,000 of its 374,000 crossings, 2 s instead of 0.8). And 12 per category of each
   * unit swept, for its functions. Measured on the project machine under its usual load (sweeps
   * of 400–10,000 units: tie-heavy, random and province data, quotas within groups and over
   * all, thresholds before a quota; load 1.5 to 10 on 2 cores): 0.07–0.29 µs per work unit,
   * tie-heavy data the dearest per crossing (2.0–2.6 µs against 1.1–1.9). The walk along an overall quota's boundary
   * (`work.boundary`) orders at most the pairs the walk of every unit does, usually far fewer,
   * known only once it runs: it is priced as that walk.
   */
  sweep: (work: SweepWork, categories: number) => {
    const regrading = 0.004 * work.regradingQuotas;
    const walk = (w: WalkWork | null, perCrossing: number) =>
      w
        ? w.crossings * (perCrossing + regrading * w.units) +
          w.pairs * 0.1 +
          w.units * 10 +
          w.regrades * w.units * 0.15
        : 0;
    let units = 0;
    for (const g of work.groups) units += walk(g, 12);
    units += walk(work.overall, 20);
    return Math.ceil(units) + cost.sweepAtLeast(work.units, categories);
  },
  /**
   * The least a sweep of `units` (every unit of the groups asked for, or of the cycle) can be
   * priced at, known before its estimate: its units' functions, with no walk. The estimate
   * sweeps at least those units (every unit, under a grade quota over all of them).
   */
  sweepAtLeast: (units: number, categories: number) => units * Math.max(1, categories) * 12 + 1_000,
  /**
   * Samples and the nominal baseline are per unit ranked (`groups`); an alternative's rules re-score
   * every unit of the cycle whatever groups are ranked, so they are priced over `allUnits`.
   */
  monteCarlo: (units: number, samples: number, alternatives: number, allUnits: number) =>
    units * samples + units * 150 + alternatives * allUnits * 150,
};

/**
 * How many categories a scheme document sent by a client has, for its price; refused with a
 * ValidationError at `<path>.categories` beyond MAX_SCHEME_CATEGORIES. A document without a list
 * of categories counts as one: the engine refuses it.
 */
export function schemeCategories(document: unknown, path: string): number {
  const categories = (document as { categories?: unknown } | null)?.categories;
  if (!Array.isArray(categories)) return 1;
  if (categories.length > MAX_SCHEME_CATEGORIES)
    throw new ValidationError([
      {
        path: `${path}.categories`,
        message: `has ${categories.length.toLocaleString("en")} categories; a scheme may have at most ${MAX_SCHEME_CATEGORIES}`,
      },
    ]);
  return categories.length;
}

/**
 * Why `amount` does not fit what the request has left ("this preview is too large for one request
 * (estimated …)"), or null when it fits.
 */
export function overBudget(work: { remaining: number }, amount: number, what: string): string | null {
  if (amount <= work.remaining) return null;
  return `${what} is too large for one request (estimated ${amount.toLocaleString("en")} work units, ${Math.max(0, work.remaining).toLocaleString("en")} left of ${WORK_PER_REQUEST.toLocaleString("en")})`;
}

/**
 * What an analysis spends from: the request's budget, and `charge`, which takes the same amount
 * from what the caller's token subject may spend a minute (`AnalysisBudget`) or refuses it with
 * RATE_LIMITED, charging nothing.
 */
export interface Spendable {
  remaining: number;
  charge(amount: number, what: string): void;
}

/**
 * Takes `amount` from the request's budget, or refuses with a ValidationError naming `path`; then
 * charges it to the subject's minute. In that order: what one request may not do anyway is
 * refused as too large, whatever the minute holds, and is not charged.
 */
export function spend(work: Spendable, amount: number, path: string, what: string): void {
  refuseTooLarge(work, amount, path, what);
  work.charge(amount, what);
  work.remaining -= amount;
}

/**
 * `spend` for an analysis a cache keeps (a sweep, a Monte-Carlo run, leave-one-out), whose pages
 * are read one request each: takes `amount` from the request's budget now, as each page is priced
 * again, and returns what charges it to the subject's minute, for the cache to run on a miss
 * before it runs the analysis or keeps anything (`CachedRun.beforeRun`). The minute bounds the
 * CPU one subject takes from the one thread, which a page served from a cached run hardly uses:
 * charged per page, a sweep read in 8 pages counted 8 times. The cache runs a miss
 * synchronously, in the request that missed: each run is charged once, to that request's
 * subject, and a request after it finds the run cached.
 */
export function spendOnRun(work: Spendable, amount: number, path: string, what: string): () => void {
  refuseTooLarge(work, amount, path, what);
  work.remaining -= amount;
  return () => {
    try {
      work.charge(amount, what);
    } catch (refusal) {
      // As `spend`: what the minute refuses is not taken from the request's budget either.
      work.remaining += amount;
      throw refusal;
    }
  };
}

function refuseTooLarge(work: { remaining: number }, amount: number, path: string, what: string): void {
  const refused = overBudget(work, amount, what);
  if (refused)
    throw new ValidationError([
      { path, message: `${refused}: ask for less, or split it over several requests` },
    ]);
}
