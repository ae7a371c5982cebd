import { ValidationError } from "./store/index.js";

/**
 * Bounds on what-if work, so that one request cannot tie up the (single-threaded) server.
 * Analyses run synchronously on the event loop; their cost is estimated before they start in
 * "work units" of roughly 0.3 µs on the project machine (measured with 1,000 units:
 * a Monte-Carlo unit-sample ≈ 1 unit, a scenario ≈ 150 units per unit, a sweep ≈ 2.5 units per
 * pair of units in a group; the walk for an overall grade quota 0.5–0.8 per pair of ranked
 * units, measured at 2,000–10,000, priced at 1 whichever walk it is).
 * A request (every field of one operation together) may spend
 * WORK_PER_REQUEST, about 1.5 s of CPU.
 */
export const WORK_PER_REQUEST = 5_000_000;
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
   * A walk over all ranked units for an overall grade quota keeps grade changes only, so a
   * pair costs less there than in a group's walk, which writes every rank change out. One
   * along the quota's boundary (`walks.boundary`) is usually far cheaper, but how much is known
   * only once the engine has found which units cross near the boundary; it never orders more
   * pairs than the walk of every unit (it makes that walk instead), so it is priced as that.
   */
  sweep: (walks: { groups: Iterable<number>; overall: number }) => {
    let pairs = 0;
    for (const n of walks.groups) pairs += n * n;
    return Math.ceil(pairs * 2.5 + walks.overall * walks.overall) + 1_000;
  },
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

/** Takes `amount` from the request's budget, or refuses with a ValidationError naming `path`. */
export function spend(work: { remaining: number }, amount: number, path: string, what: string): void {
  const refused = overBudget(work, amount, what);
  if (refused)
    throw new ValidationError([
      { path, message: `${refused}: ask for less, or split it over several requests` },
    ]);
  work.remaining -= amount;
}
