// Checks of a weight sweep against re-evaluation, shared by the weight-sweep-*.test.ts files;
// excluded from the build by the `_test-` prefix.
import { expect } from "vitest";
import {
  add,
  cmp,
  div,
  mul,
  parseDecimal,
  type Rational,
  round,
  sub,
  toExactString,
  toFixed,
  ZERO,
} from "../rational.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { applyScenario } from "./apply-scenario.js";
import { type Baseline, createBaseline } from "./baseline.js";
import { scenarioStandings, weightOnlyInColumns } from "./run-scenario.js";
import type { Standing } from "./standing.js";
import type { WeightSweepOptions } from "./sweep-options.js";
import { type RankSegment, weightSweep } from "./weight-sweep.js";

/**
 * The smallest roll-up year: P and Q ranked in g1, C (P's sub-unit) unranked, direct
 * categories a and b with the points given, scores per unit as [a, b], no rounding.
 */
export function parentYear(
  points: [number, number],
  rollup: NonNullable<SchemeInput["rollups"]>[number],
  scores: Record<"P" | "C" | "Q", [number, number]>,
  grades?: SchemeInput["grades"],
): Baseline {
  return createBaseline(
    {
      id: "s",
      version: 1,
      name: "s",
      categories: [
        { id: "a", name: "A", points: points[0], method: { kind: "direct", outOf: 100 } },
        { id: "b", name: "B", points: points[1], method: { kind: "direct", outOf: 100 } },
      ],
      rollups: [rollup],
      groups: [
        { id: "g1", name: "G1" },
        { id: "subs", name: "subs", ranked: false },
      ],
      ...(grades ? { grades } : {}),
      rounding: { stages: [] },
    },
    {
      units: [
        { id: "P", name: "P", group: "g1" },
        { id: "C", name: "C", group: "subs", parent: "P" },
        { id: "Q", name: "Q", group: "g1" },
      ],
      scores: Object.entries(scores).flatMap(([unit, [a, b]]) => [
        { unit, category: "a", value: a },
        { unit, category: "b", value: b },
      ]),
    },
  );
}

/** An exact point of a sweep ("12.5" or "25/3") as a fraction. */
export const read = (t: string): Rational => {
  const [n, d] = t.split("/");
  return d === undefined ? parseDecimal(n!) : { n: BigInt(n!), d: BigInt(d) };
};

/** A short decimal strictly between a and b (scheme points must be decimals). */
function decimalBetween(a: Rational, b: Rational): string {
  const m = div(add(a, b), { n: 2n, d: 1n });
  for (let k = 0; k < 40; k++) {
    const c = round(m, k);
    if (cmp(a, c) < 0 && cmp(c, b) < 0) return toFixed(c, k);
  }
  throw new Error("no decimal found");
}

/** A segment with its ends read once: the brute force looks a unit's segments up at every point. */
interface ReadSegment {
  segment: RankSegment;
  from: Rational;
  to: Rational;
}

const readSegments = (segments: readonly RankSegment[]): ReadSegment[] =>
  segments.map((segment) => ({ segment, from: read(segment.from), to: read(segment.to) }));

/** The segments holding x: inside, or at an end they include (exactly one, if the sweep is right). */
function holdingX(segments: readonly ReadSegment[], x: Rational): RankSegment[] {
  const holding: RankSegment[] = [];
  for (const { segment, from, to } of segments) {
    const f = cmp(from, x);
    const t = cmp(x, to);
    if ((f < 0 || (f === 0 && segment.includesFrom)) && (t < 0 || (t === 0 && segment.includesTo)))
      holding.push(segment);
  }
  return holding;
}

/** The one segment holding x: inside it, or at an end it includes. */
export function segmentAt(segments: RankSegment[], x: Rational): RankSegment {
  const holding = holdingX(readSegments(segments), x);
  expect({ x: toExactString(x), holding: holding.length }).toEqual({ x: toExactString(x), holding: 1 });
  return holding[0]!;
}

/**
 * Re-evaluates (unrounded, like the sweep) at a decimal inside every interval between the
 * breakpoints of all units, and at every breakpoint and end exactly, and compares every unit's
 * rank and grade there with its segment's; then each stability interval with the nominal's
 * segment. Disagreements are gathered and asserted once, all of them named: one `expect` per
 * unit and point was most of the time of a check with thousands of them.
 */
export function bruteForce(b: Baseline, options: WeightSweepOptions) {
  const sweep = weightSweep(b, options);
  const points = b.compiled.points;
  const total = [...points.values()].reduce(add, { n: 0n, d: 1n });
  const nominal = points.get(options.category)!;
  const all = new Set<string>([sweep.from, sweep.to]);
  for (const u of sweep.units) for (const x of u.breakpoints) all.add(x);
  const xs = [...all].map(read).sort(cmp);
  const rows = sweep.units
    .filter((u) => u.segments.length > 0)
    .map((u) => ({ unit: u.unit, segments: readSegments(u.segments) }));
  const problems: object[] = [];
  let checked = 0;
  const compare = (x: string, at: Rational, byUnit: Map<string, Standing>) => {
    for (const { unit, segments } of rows) {
      const holding = holdingX(segments, at);
      const s = byUnit.get(unit)!;
      if (holding.length !== 1) problems.push({ unit, x, holding: holding.length });
      else if (holding[0]!.rank !== s.rank || holding[0]!.grade !== s.grade)
        problems.push({
          unit,
          x,
          sweep: { rank: holding[0]!.rank, grade: holding[0]!.grade },
          evaluation: { rank: s.rank, grade: s.grade },
        });
      checked++;
    }
  };
  for (let i = 0; i + 1 < xs.length; i++) {
    const x = decimalBetween(xs[i]!, xs[i + 1]!);
    const at = parseDecimal(x);
    const categories: Record<string, { points: string }> = { [options.category]: { points: x } };
    let decimals = true;
    if (options.others === "rescale") {
      const rest = div(add(total, { n: -nominal.n, d: nominal.d }), { n: 1n, d: 1n });
      for (const [id, p] of points) {
        if (id === options.category) continue;
        // A patch takes decimals: where the rescaled points are none, the exact points below
        // (breakpoints and ends) are still checked.
        const q = div({ n: p.n * (total.n * at.d - at.n * total.d), d: p.d * total.d * at.d }, rest);
        const s = toFixed(q, 12);
        if (cmp(parseDecimal(s), q) !== 0) decimals = false;
        categories[id] = { points: s };
      }
    }
    if (options.others === "transfer") {
      const donor = options.donor!;
      categories[donor] = { points: toExactString(sub(add(nominal, points.get(donor)!), at)) };
    }
    if (!decimals) continue;
    const applied = applyScenario(b.compiled, b.dataset, {
      name: `x=${x}`,
      patch: { categories, rounding: { stages: [] } },
    });
    // runScenario's standings, without the comparison with the baseline and the rules' changes
    // it also makes: nothing here reads them, and they were half of each re-evaluation's time.
    const standings = (weightOnlyInColumns(b, applied) ?? scenarioStandings(b, applied)).standings;
    compare(x, at, new Map(standings.map((s) => [s.unit, s])));
  }
  // The breakpoints themselves (and the range's ends), at their exact values: a tie there can
  // give a rank or grade that holds at that point only.
  const exactly = standingsAt(b, options);
  for (const x of xs) compare(toExactString(x), x, exactly(x));
  // The count, and the first few named: a sweep wrong everywhere would otherwise print thousands.
  expect({ problems: problems.length, first: problems.slice(0, 10) }).toEqual({ problems: 0, first: [] });
  // Segments are checked everywhere, so the stability interval is true if it is the nominal's segment.
  for (const u of sweep.units) {
    if (!u.stability) continue;
    const { from, to, includesFrom, includesTo, rank, grade } = segmentAt(u.segments, nominal);
    expect({ unit: u.unit, stability: u.stability, nominal: u.nominal }).toEqual({
      unit: u.unit,
      stability: { from, to, includesFrom, includesTo },
      nominal: { rank, grade },
    });
  }
  return { sweep, checked };
}

/**
 * Standings, unrounded, with the category at exactly x (a fraction where need be), as
 * leaveOneOut sets points a decimal patch cannot give: the patch keeps each category's nominal
 * points (so direct scores stay read on their scale), then the exact points replace them.
 * The patch is the same at every x, so it is applied once and the points replaced per x.
 */
function standingsAt(b: Baseline, options: WeightSweepOptions): (x: Rational) => Map<string, Standing> {
  const { compiled, dataset: data } = b;
  const total = [...compiled.points.values()].reduce(add, ZERO);
  const nominal = compiled.points.get(options.category)!;
  const applied = applyScenario(compiled.scheme, data, {
    name: "exact points",
    patch: {
      categories: Object.fromEntries(
        [...compiled.points].map(([id, p]) => [id, { points: toExactString(p) }]),
      ),
      rounding: { stages: [] },
    },
  });
  const bonusCap = parseDecimal(compiled.scheme.bonusCap);
  return (x) => {
    const scale = options.others === "rescale" ? div(sub(total, x), sub(total, nominal)) : { n: 1n, d: 1n };
    const points = new Map<string, Rational>(
      [...compiled.points].map(([id, p]) => [id, id === options.category ? x : mul(p, scale)]),
    );
    if (options.others === "transfer") {
      const donor = options.donor!;
      points.set(donor, sub(add(nominal, compiled.points.get(donor)!), x));
    }
    const maxTotal = add([...points.values()].reduce(add, ZERO), bonusCap);
    const exact = { ...applied, compiled: { ...applied.compiled, points, maxTotal } };
    return new Map(scenarioStandings(b, exact).standings.map((s) => [s.unit, s]));
  };
}
