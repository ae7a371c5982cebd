import { ApiError, ERROR_FIELDS, gql, unwrap } from "./api";
import {
  compareDecimals,
  type DecimalRule,
  type NumberProblem,
  rangeText,
  readDecimal,
  sumDecimals,
} from "./number-field";
import { everyPage, everyPageWithHeads, PAGE_INFO, type Page } from "./pages";

/** A stretch of the swept points, exact ("n/d" when not a terminating decimal). */
export interface ExactInterval {
  from: string;
  to: string;
  /** Whether `from` (`to`) itself belongs to the stretch: each point lies in exactly one segment. */
  includesFrom: boolean;
  includesTo: boolean;
  fromApprox: number;
  toApprox: number;
}

export interface SweepUnit {
  unitId: string;
  name: string;
  group: string;
  nominalRank: number | null;
  segments: (ExactInterval & {
    /** null for a unit of an unranked group (its segments follow its threshold grade). */
    rank: number | null;
    grade: string | null;
  })[];
  breakpoints: string[];
  /**
   * The segment holding the nominal points, where the unit's nominal rank and grade hold; null
   * when the nominal lies outside the sweep, or the unit has no total (no segments).
   */
  stability: ExactInterval | null;
}
export interface Sweep {
  /** The saved scenario the sweep ran under, as the gateway echoes it; null: the cycle as it stands. */
  scenarioId: string | null;
  category: string;
  nominal: string;
  from: string;
  to: string;
  breakpointCount: number;
  units: SweepUnit[];
}

/**
 * How the other categories move while one is swept: they keep their points, share what is left of
 * the total, or one of them (the donor) gives what the swept one gains and the rest keep theirs.
 */
export type SweepOthers = "FIXED" | "RESCALE" | "TRANSFER";

/** The mode as the gateway takes it: a donor with a transfer, and none otherwise (it refuses one). */
export type SweepMode =
  | { others: "FIXED" | "RESCALE"; donor?: undefined }
  | { others: "TRANSFER"; donor: string };

export async function runSweep(
  args: {
    cycleId: string;
    category: string;
    from: string;
    to: string;
    group: string | null;
    /** A saved scenario to sweep under (its rules and records the baseline, its points the nominal). */
    scenarioId: string | null;
  } & SweepMode,
  signal?: AbortSignal,
): Promise<Sweep> {
  // Each page runs the sweep again on the gateway (deterministic: the same result every time).
  const { heads, rows } = await everyPageWithHeads(async (after) => {
    const data = await gql<{
      weightSweep: Omit<Sweep, "units"> & { __typename: string; units: Page<SweepUnit> };
    }>(
      `query Sweep($cycleId: ID!, $category: ID!, $from: String, $to: String, $others: SweepOthers, $donor: ID, $groups: [ID!], $group: ID, $scenarioId: ID, $after: String) {
        weightSweep(cycleId: $cycleId, category: $category, from: $from, to: $to, others: $others, donor: $donor, groups: $groups, scenarioId: $scenarioId) {
          __typename ${ERROR_FIELDS}
          ... on WeightSweep { scenarioId category nominal from to breakpointCount
            units(first: 500, after: $after, group: $group) { ${PAGE_INFO} edges { node { unitId name group
              nominalRank breakpoints segments { from to includesFrom includesTo fromApprox toApprox rank grade } stability { from to includesFrom includesTo fromApprox toApprox } } } } }
        }
      }`,
      { ...args, from: bound(args.from), to: bound(args.to), groups: onlyGroup(args.group), after },
      signal ? { signal } : {},
    );
    const { units, ...head } = unwrap(data.weightSweep, "WeightSweep");
    return { head, page: units };
  });
  // The summary of the read the units come from: after a fresh start, not the stale first page's.
  return { ...heads[0], units: rows };
}

/**
 * The group on screen is the only one the gateway computes: at province scale one group's
 * sweep or Monte-Carlo run is a small part of the whole (every group: left out).
 */
const onlyGroup = (group: string | null): string[] | undefined => (group === null ? undefined : [group]);

/**
 * An emptied bound is left out: the gateway then sweeps from 0, or to the sum of every category's
 * points (with a transfer, of the category's and the donor's).
 */
const bound = (text: string): string | undefined => (text.trim() === "" ? undefined : text);

export type SweepBound = "from" | "to";

/**
 * What the sweep's bounds are checked against: the scheme's total (the sum of every category's
 * points) and, with a transfer, the swept category's and the donor's points together (the
 * donorSum). Either unknown (the scheme not read yet, points that do not read) is left to the
 * gateway.
 */
export interface SweepLimits {
  total?: string | undefined;
  others?: SweepOthers;
  donorSum?: string | undefined;
}

/**
 * The gateway's default to and, where it has one, its limit on to: the total, held to under
 * rescaling (what the category leaves the others cannot be below 0); with a transfer, the donor's
 * sum for both (the donor cannot give more than it has).
 */
function toLimits({ total, others, donorSum }: SweepLimits): { end?: string; most?: string } {
  if (others === "TRANSFER") return donorSum === undefined ? {} : { end: donorSum, most: donorSum };
  return total === undefined ? {} : { end: total, ...(others === "RESCALE" ? { most: total } : {}) };
}

/**
 * The sweep's bounds as the gateway takes them, checked at their boxes before anything is sent:
 * exact decimals, from at least 0 and to above from. An empty box is the gateway's default (0 for
 * from, so to must be above 0; for to, the scheme's total, or with a transfer the donor's sum).
 * With those known, the gateway's checks against them are made here too: with to left empty, from
 * below that default; with the others rescaled, to at most the total; with a transfer, at most the
 * donor's sum.
 */
export function readSweepBounds(
  texts: Record<SweepBound, string>,
  sweep: SweepLimits = {},
): {
  values: Record<SweepBound, string>;
  problems: Partial<Record<SweepBound, { problem: NumberProblem; range: string }>>;
} {
  const values = { from: "", to: "" };
  const problems: Partial<Record<SweepBound, { problem: NumberProblem; range: string }>> = {};
  // Each rule in turn, so that the box names the limit it is past: "≥ 0" or "< 100", never both.
  const read = (key: SweepBound, ...rules: DecimalRule[]) => {
    let r: ReturnType<typeof readDecimal> = { value: undefined };
    for (const rule of rules) {
      r = readDecimal(texts[key], { optional: true, ...rule });
      if ("problem" in r) {
        problems[key] = { problem: r.problem, range: rangeText(rule) };
        return r;
      }
    }
    values[key] = r.value ?? "";
    return r;
  };
  const { end, most } = toLimits(sweep);
  const toEmpty = texts.to.trim() === "";
  // An empty to is the gateway's end: a from at or above it leaves nothing to sweep.
  const from = read(
    "from",
    { min: "0" },
    ...(end !== undefined && toEmpty ? [{ max: end, maxExclusive: true }] : []),
  );
  // A from that cannot be read still leaves to above 0.
  read(
    "to",
    { min: ("value" in from && from.value) || "0", minExclusive: true },
    ...(most !== undefined ? [{ max: most }] : []),
  );
  return { values, problems };
}

/** How far either side of a category's points its sweep starts. */
const DEFAULT_SPAN = "20";

/**
 * The bounds a category's sweep starts from: its points ± 20, worked out digit by digit (as
 * floats, 37.3 − 20 is 17.299999999999997, which the gateway refuses). From is held at 0 and to,
 * with the others rescaled, at the scheme's total, or with a transfer at the category's and the
 * donor's points together, as readSweepBounds holds them (when known). Points that cannot be read
 * digit by digit leave both boxes empty: the gateway's own range.
 */
export function defaultSweepRange(
  points: number | string,
  sweep: SweepLimits = {},
): Record<SweepBound, string> {
  const from = sumDecimals([points, `-${DEFAULT_SPAN}`]);
  const to = sumDecimals([points, DEFAULT_SPAN]);
  if (from === undefined || to === undefined) return { from: "", to: "" };
  const { most } = toLimits(sweep);
  const held = most !== undefined && compareDecimals(to, most) > 0;
  return { from: compareDecimals(from, "0") < 0 ? "0" : from, to: held ? most : to };
}

export interface UncertaintyUnit {
  unitId: string;
  name: string;
  group: string;
  nominalRank: number | null;
  medianRank: number | null;
  p5Rank: number | null;
  p95Rank: number | null;
  pExcellent: number;
  pLast: number;
}

export interface UncertaintyParameters {
  seed: number;
  samples: number;
  /** The Dirichlet concentration used. */
  concentration: number | null;
}

export interface Uncertainty {
  /** The saved scenario the run was under, as the gateway echoes it; null: the cycle as it stands. */
  scenarioId: string | null;
  /** Whether the sampling model gives back every official rank at the nominal points. */
  nominalReproduced: boolean;
  /** The run's parameters as the gateway applied them (its defaults filled in): what reproduces it. */
  parameters: UncertaintyParameters;
  /** The first grade rule's id: what `pExcellent` counts (null: the scheme grades none). */
  excellentGrade: string | null;
  units: UncertaintyUnit[];
}

export async function runUncertainty(
  // A count or concentration left out takes the gateway's own default (its `uncertainty` arguments).
  args: {
    cycleId: string;
    samples?: number;
    seed: number;
    concentration?: number;
    group: string | null;
    scenarioId: string | null;
  },
  signal?: AbortSignal,
): Promise<Uncertainty> {
  // Each page draws the samples again on the gateway: the seed makes every page the same run.
  const { heads, rows } = await everyPageWithHeads(async (after) => {
    const data = await gql<{
      uncertainty: {
        __typename: string;
        scenarioId: string | null;
        nominalReproduced: boolean;
        parameters: UncertaintyParameters;
        excellentGrade: string | null;
        units: Page<UncertaintyUnit>;
      };
    }>(
      `query Uncertainty($cycleId: ID!, $samples: Int, $seed: Seed!, $concentration: Float, $groups: [ID!], $group: ID, $scenarioId: ID, $after: String) {
        uncertainty(cycleId: $cycleId, samples: $samples, seed: $seed, distribution: DIRICHLET, concentration: $concentration, groups: $groups, scenarioId: $scenarioId) {
          __typename ${ERROR_FIELDS}
          ... on Uncertainty { scenarioId nominalReproduced excellentGrade parameters { seed samples concentration }
            units(first: 500, after: $after, group: $group) { ${PAGE_INFO} edges { node {
              unitId name group nominalRank medianRank p5Rank p95Rank pExcellent pLast } } } }
        }
      }`,
      { ...args, groups: onlyGroup(args.group), after },
      signal ? { signal } : {},
    );
    const u = unwrap(data.uncertainty, "Uncertainty");
    return {
      head: {
        reproduced: u.nominalReproduced,
        excellentGrade: u.excellentGrade,
        scenarioId: u.scenarioId,
        parameters: u.parameters,
      },
      page: u.units,
    };
  });
  // Every page of the read the units come from, and only those: a stale read's pages are not this run.
  return {
    scenarioId: heads[0].scenarioId ?? null,
    nominalReproduced: heads.every((h) => h.reproduced),
    parameters: heads[0].parameters,
    excellentGrade: heads[0].excellentGrade,
    units: rows,
  };
}

/** The columns the Monte-Carlo table sorts by. */
export type UncertaintyColumn =
  | "name"
  | "nominalRank"
  | "medianRank"
  | "p5Rank"
  | "p95Rank"
  | "pExcellent"
  | "pLast";

/**
 * The units in a column's order, ascending or descending; a unit without a value in it (no rank:
 * an unranked or insufficient unit) comes last either way, and ties keep the official order.
 */
export function sortUncertainty(
  units: readonly UncertaintyUnit[],
  column: UncertaintyColumn,
  descending: boolean,
): UncertaintyUnit[] {
  const byNominal = (a: UncertaintyUnit, b: UncertaintyUnit) =>
    (a.nominalRank ?? Number.POSITIVE_INFINITY) - (b.nominalRank ?? Number.POSITIVE_INFINITY) ||
    a.name.localeCompare(b.name);
  const sign = descending ? -1 : 1;
  return [...units].sort((a, b) => {
    if (column === "name") return sign * a.name.localeCompare(b.name) || byNominal(a, b);
    const x = a[column];
    const y = b[column];
    if (x === null || y === null) return x === y ? byNominal(a, b) : x === null ? 1 : -1;
    return sign * (x - y) || byNominal(a, b);
  });
}

/** One category left out (set to 0 points, the others kept or scaled up), as the gateway ran it. */
export interface LeftOutCategory {
  category: string;
  /** Over every ranked unit of every group; null when no unit has a rank to move. */
  meanAbsoluteRankShift: number | null;
  unitsMoved: number;
  /** The points every category was given in that run, exact. */
  points: { category: string; points: string }[];
}
/** A unit's official rank, and its rank with each category left out, both as the gateway gave them. */
export interface LeftOutUnit {
  unitId: string;
  name: string;
  rank: number | null;
  without: Record<
    string,
    { rankWithout: number | null; rankDelta: number | null; totalDelta: string | null }
  >;
}
export interface LeaveOneOut {
  /** The saved scenario the run was under, as the gateway echoes it; null: the cycle as it stands. */
  scenarioId: string | null;
  rescale: boolean;
  categories: LeftOutCategory[];
  units: LeftOutUnit[];
}

/**
 * A page of a left-out category's shifts: the gateway's cost limit lets 1,000 rows through with
 * their units' names and the categories' figures beside them (2,000 it refuses).
 */
const SHIFTS_PAGE = 1000;

/**
 * How many times the whole run is read again when the cycle's data changed under it, as
 * everyPage reads a list again (pages.ts): one write is mended by a fresh start; data that
 * changes under every read is being written faster than it can be read.
 */
const FRESH_STARTS = 3;

interface RawShift {
  unitId: string;
  rank: number | null;
  rankWithout: number | null;
  rankDelta: number | null;
  totalDelta: string | null;
  /** Null only when the unit was deleted after the run. */
  unit: { name: string; groupId: string } | null;
}
type RawLeftOut = LeftOutCategory & { shifts: Page<RawShift> };

/** A leave-one-out run: each category left out of the cycle, or of the cycle under a saved scenario. */
export interface LeaveOneOutArgs {
  cycleId: string;
  rescale: boolean;
  group: string | null;
  scenarioId: string | null;
}

/** Thrown when a category's shifts were read again from their first page: the data changed. */
class RunChanged extends Error {}

/**
 * Each category left out in turn (leaveOneOut), with the units of the group on screen. Both ranks
 * come from the run's own shifts: a rank read from the ranking apart could be of another version
 * of the data than the run, after a write between the two reads. Every shift is read, never a
 * first page only: a cut table would hide units.
 */
export async function runLeaveOneOut(args: LeaveOneOutArgs, signal?: AbortSignal): Promise<LeaveOneOut> {
  for (let start = 0; ; start++) {
    try {
      return await readLeaveOneOut(args, signal);
    } catch (err) {
      if (!(err instanceof RunChanged)) throw err;
      if (start >= FRESH_STARTS)
        throw new ApiError(
          `leaveOneOut: the cycle's data changed while the run was read, ${start + 1} times in a row`,
          "STALE_CURSOR",
        );
    }
  }
}

async function readLeaveOneOut(args: LeaveOneOutArgs, signal?: AbortSignal): Promise<LeaveOneOut> {
  // Every category (`category` null) with its first page, or one category's page after `after`.
  const read = async (category: string | null, after: string | null) =>
    unwrap(
      (
        await gql<{
          leaveOneOut: {
            __typename: string;
            scenarioId: string | null;
            rescale: boolean;
            categories: RawLeftOut[];
          };
        }>(
          `query LeaveOneOut($cycleId: ID!, $rescale: Boolean, $scenarioId: ID, $category: ID, $after: String) {
            leaveOneOut(cycleId: $cycleId, rescale: $rescale, scenarioId: $scenarioId) {
              __typename ${ERROR_FIELDS}
              ... on LeaveOneOut { scenarioId rescale categories(category: $category) {
                category meanAbsoluteRankShift unitsMoved points { category points }
                shifts(first: ${SHIFTS_PAGE}, after: $after) { ${PAGE_INFO}
                  edges { node { unitId rank rankWithout rankDelta totalDelta unit { name groupId } } } } } }
            }
          }`,
          { cycleId: args.cycleId, rescale: args.rescale, scenarioId: args.scenarioId, category, after },
          signal ? { signal } : {},
        )
      ).leaveOneOut,
      "LeaveOneOut",
    );
  const run = await read(null, null);
  const categories: (LeftOutCategory & { shifts: RawShift[] })[] = [];
  // One category after the other: each page runs the whole leave-one-out again on the gateway.
  for (const first of run.categories) {
    let firstPage: Page<RawShift> | null = first.shifts;
    const rows = await everyPage(async (after) => {
      if (after === null) {
        // everyPage starts again only when a cursor was refused as stale: the categories
        // already read are of the old data, so the whole run is read again instead.
        if (!firstPage) throw new RunChanged();
        const page = firstPage;
        firstPage = null;
        return page;
      }
      const [c] = (await read(first.category, after)).categories;
      // The category's list is the one its cursor came from: a scheme without it has changed.
      if (!c) throw new RunChanged();
      return c.shifts;
    });
    const { shifts: _, ...figures } = first;
    categories.push({ ...figures, shifts: rows });
  }
  return { scenarioId: run.scenarioId ?? null, ...leftOut(run.rescale, categories, args.group) };
}

/** The run's categories and the units of `group` (every unit when null), official rank first. */
function leftOut(
  rescale: boolean,
  categories: (LeftOutCategory & { shifts: RawShift[] })[],
  group: string | null,
): Omit<LeaveOneOut, "scenarioId"> {
  const units = new Map<string, LeftOutUnit & { group: string | null }>();
  for (const c of categories)
    for (const s of c.shifts) {
      let u = units.get(s.unitId);
      if (!u) {
        u = {
          unitId: s.unitId,
          name: s.unit?.name ?? s.unitId,
          group: s.unit?.groupId ?? null,
          rank: s.rank,
          without: {},
        };
        units.set(s.unitId, u);
      }
      u.without[c.category] = {
        rankWithout: s.rankWithout,
        rankDelta: s.rankDelta,
        totalDelta: s.totalDelta,
      };
    }
  const none = { rankWithout: null, rankDelta: null, totalDelta: null };
  return {
    rescale,
    categories: categories.map(({ shifts: _, ...c }) => c),
    units: [...units.values()]
      .filter((u) => group === null || u.group === group)
      // Unranked last; ranks compare within a group only, so the groups are kept apart.
      .sort(
        (a, b) =>
          compareKeys(a.group ?? "", b.group ?? "") ||
          (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY) ||
          compareKeys(a.unitId, b.unitId),
      )
      .map(({ group: _, ...u }) => ({
        ...u,
        without: Object.fromEntries(categories.map((c) => [c.category, u.without[c.category] ?? none])),
      })),
  };
}

const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
