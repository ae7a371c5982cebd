import { InputError } from "../input-error.js";
import { knownOptions } from "../known-options.js";
import { add, div, mul, parseDecimal, type Rational, sub, toExactString, ZERO } from "../rational.js";
import { withOptionsOf } from "./analysis-options.js";
import type { AppliedScenario } from "./apply-scenario.js";
import type { Baseline } from "./baseline.js";
import { checkBaselineArgument } from "./baseline-argument.js";
import { compareWithBaseline, scenarioStandings, weightOnlyInColumns } from "./run-scenario.js";
import { SweepNotLinearError } from "./sweep-not-linear-error.js";

export interface LeaveOneOutOptions {
  /** Rescale the remaining categories in proportion so the scheme's total is kept. Default false. */
  rescale?: boolean;
}

/** One unit's rank with and without a category. */
export interface RankShift {
  unit: string;
  /** Its official rank; null when unranked. */
  rank: number | null;
  rankWithout: number | null;
  /** rankWithout − rank: positive when it fell; null when unranked on either side. */
  rankDelta: number | null;
  /** Its total's change without the category, exact; null when it has no total on either side. */
  totalDelta: string | null;
}

export interface LeftOutCategory {
  category: string;
  /** Mean |rank change| over units ranked in the same group on both sides. */
  meanAbsoluteRankShift: number;
  /** Units whose rank changed. */
  unitsMoved: number;
  /**
   * Per unit, largest |rank change| first: its official rank, its rank without the category, and
   * their difference (positive: fell; null when unranked on either side).
   */
  shifts: RankShift[];
  /** The exact points every category was given (fractions "n/d" where a rescale does not terminate). */
  points: Record<string, string>;
}

/**
 * Leave-one-category-out impact: for each category, its points set to 0 (and, with
 * `rescale`, the others scaled up in proportion to keep the total), each run as an exact
 * scenario. Sorted by mean absolute rank shift, largest first: the categories the
 * ranking leans on most.
 *
 * @throws InputError of subject "argument" when `baseline` is not a baseline from
 * `createBaseline`, and of subject "scenario" for options it refuses (`rescale` not a boolean,
 * a misspelt option).
 * @throws SweepNotLinearError with `reason` "category-holds-every-point" when one category
 * holds all of the scheme's points: without it no unit could score.
 */
export function leaveOneOut(baseline: Baseline, options: LeaveOneOutOptions = {}): LeftOutCategory[] {
  checkBaselineArgument(baseline);
  return withOptionsOf("leave-one-out", () => leaveEachOut(baseline, options));
}

function leaveEachOut(baseline: Baseline, options: LeaveOneOutOptions): LeftOutCategory[] {
  knownOptions(options, ["rescale"]);
  // Read as a flag, the text "false" would rescale.
  if (options.rescale !== undefined && typeof options.rescale !== "boolean")
    throw new InputError("scenario", [{ path: ["rescale"], message: "must be true or false" }]);
  const { compiled, dataset } = baseline;
  const total = [...compiled.points.values()].reduce(add, ZERO);
  // Without a category that holds every point, every unit totals 0 and shares first place: no
  // ranking to compare with (and a scheme of 0 points is refused as a scenario). Refused before
  // any work, rather than reported as every unit 1st or as a category nothing leans on.
  for (const [id, p] of compiled.points)
    if (p.n !== 0n && sub(total, p).n === 0n)
      throw new SweepNotLinearError(
        `leave-one-out cannot leave out "${id}": it holds all of the scheme's ${toExactString(total)} points, so without it no unit could score and there would be no ranking to compare`,
        { reason: "category-holds-every-point", category: id, categories: [id], rollup: null },
      );
  const out: LeftOutCategory[] = [];
  for (const [id, p] of compiled.points) {
    const rest = sub(total, p);
    const scale = options.rescale && rest.n !== 0n ? div(total, rest) : { n: 1n, d: 1n };
    const points = new Map<string, Rational>(
      [...compiled.points].map(([k, q]) => [k, k === id ? ZERO : mul(q, scale)]),
    );
    // The baseline's compiled scheme with these points, not a patched document compiled: the
    // points are the analysis's, as a sweep's or a sample's are, not a scheme someone wrote, so
    // a scheme's checks are not theirs to pass. The published grid's above all: 12.5 left out
    // of 12.5 + 12.5 + 75 leaves a maximum of 87.5, which whole totals would publish as 88, and
    // the analysis ranks by totals rounded as the scheme rounds them all the same (documented in
    // docs/what-if.md). Stage two reads a category's points from `points` alone; no record is
    // re-read (an outcome is a share of its method's scale), so directly assessed scores stay
    // on their nominal scale, and the document serves for ids and names.
    const applied: AppliedScenario = {
      scenario: { name: `without ${id}`, patch: {} },
      compiled: {
        ...compiled,
        points,
        maxTotal: add([...points.values()].reduce(add, ZERO), parseDecimal(compiled.scheme.bonusCap)),
      },
      dataset,
      restage: new Set(),
      adjustmentsChanged: false,
      dataChanged: false,
    };
    // A category left out is a weight-only change: in columns where the scheme allows.
    const r =
      weightOnlyInColumns(baseline, applied) ??
      compareWithBaseline(baseline, compiled.scheme, scenarioStandings(baseline, applied).standings);
    out.push({
      category: id,
      meanAbsoluteRankShift: r.overall.meanAbsoluteRankShift,
      unitsMoved: r.overall.unitsMoved,
      shifts: r.units.map((u) => ({
        unit: u.unit,
        rank: u.baseline.rank,
        rankWithout: u.scenario.rank,
        rankDelta: u.rankDelta,
        totalDelta: u.totalDelta,
      })),
      points: Object.fromEntries([...points].map(([k, q]) => [k, toExactString(q)])),
    });
  }
  return out.sort(
    (a, b) => b.meanAbsoluteRankShift - a.meanAbsoluteRankShift || (a.category < b.category ? -1 : 1),
  );
}
