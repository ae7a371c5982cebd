import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ratio } from "../rational.js";
import { approxValueAt, floorAtZero, linear, type PiecewiseLinear, plus, times } from "./piecewise-linear.js";
import { Crossings } from "./sweep-crossings.js";
import { type WalkLevel, type WalkMembers, walkWork } from "./walk-work.js";

const FROM = 0;
const TO = 20;

/** a + b·x, plus c·max(0, x − k) when c is not 0: a kink at the whole number k. */
function total([a, b, c, k]: readonly [number, number, number, number]): PiecewiseLinear {
  const line = linear(ratio(a), ratio(b), ratio(FROM), ratio(TO));
  if (c === 0) return line;
  return plus(line, times(floorAtZero(linear(ratio(-k), ratio(1), ratio(FROM), ratio(TO))), ratio(c)));
}

const coefficients = fc.tuple(
  fc.integer({ min: 0, max: 40 }),
  fc.integer({ min: -3, max: 3 }),
  fc.integer({ min: -2, max: 2 }),
  fc.integer({ min: 1, max: 19 }),
);
const member = fc.record({
  total: coefficients,
  key: fc.option(coefficients, { nil: null }),
  forced: fc.boolean(),
});
const members = fc.array(member, { minLength: 0, maxLength: 30 }).map(
  (raw): WalkMembers => ({
    totals: raw.map((m) => total(m.total)),
    keys: raw.map((m) => [m.key && total(m.key)]),
    forced: raw.map((m) => m.forced),
  }),
);
const levels = fc.array(fc.record({ at: fc.integer({ min: 0, max: 60 }), regrades: fc.boolean() }), {
  maxLength: 3,
});

function kinks(f: PiecewiseLinear): number[] {
  return f.pieces
    .slice(1)
    .map((p) => p.ff)
    .filter((x) => x > FROM && x < TO);
}

/** A member's standing at x: not forced last, total, tie-breaker (none below every value). */
function standing(m: WalkMembers, l: number, x: number): number[] {
  const key = m.keys[l]![0];
  return [
    m.forced[l] ? 0 : 1,
    approxValueAt(m.totals[l]!, x),
    key ? approxValueAt(key, x) : Number.NEGATIVE_INFINITY,
  ];
}

function compare(a: number[], b: number[]): number {
  for (let c = 0; c < a.length; c++) if (a[c] !== b[c]) return a[c]! > b[c]! ? -1 : 1;
  return 0;
}

/**
 * Pair by pair and stretch by stretch between every kink: pairs whose standings compare
 * differently at its ends, but for a tie at an end of the range.
 */
function bruteForce(m: WalkMembers, ls: readonly WalkLevel[]) {
  const n = m.totals.length;
  const all = [...m.totals, ...m.keys.flatMap((k) => k.filter((f) => f !== null))].flatMap(kinks);
  const points = [FROM, ...[...new Set(all)].sort((a, b) => a - b), TO];
  let crossings = 0;
  for (let t = 1; t < points.length; t++)
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const before = compare(standing(m, i, points[t - 1]!), standing(m, j, points[t - 1]!));
        const after = compare(standing(m, i, points[t]!), standing(m, j, points[t]!));
        // Swapped in between, or met at a point that is no end of the range.
        if (before * after < 0) crossings++;
        else if (before === 0 && after !== 0 && t > 1) crossings++;
        else if (after === 0 && before !== 0 && t < points.length - 1) crossings++;
      }
  let meetings = 0;
  let regrades = 0;
  for (const f of m.totals) {
    const xs = [FROM, ...kinks(f), TO];
    for (const level of ls)
      for (let k = 1; k < xs.length; k++) {
        const before = Math.sign(approxValueAt(f, xs[k - 1]!) - level.at);
        if (before === Math.sign(approxValueAt(f, xs[k]!) - level.at)) continue;
        meetings++;
        if (level.regrades) regrades++;
      }
  }
  return { crossings, levels: meetings, regrades, points: points.length };
}

describe("walkWork", () => {
  it("counts the pairs whose order differs across each stretch between kinks, as pair by pair", () => {
    fc.assert(
      fc.property(members, levels, (m, ls) => {
        const n = m.totals.length;
        expect(walkWork(m, FROM, TO, ls, 1000)).toEqual({
          units: n,
          pairs: (n * (n - 1)) / 2,
          ...bruteForce(m, ls),
        });
      }),
      { seed: 20261206, numRuns: 300 },
    );
  });

  it("counts at least every crossing the sweep finds, and more with fewer points than kinks", () => {
    // Kinks at whole numbers, where the doubles are exact: the count is exact there.
    fc.assert(
      fc.property(members, fc.integer({ min: 2, max: 6 }), (m, few) => {
        const n = m.totals.length;
        const found = new Crossings();
        for (let i = 0; i < n; i++)
          for (let j = i + 1; j < n; j++) {
            if (m.forced[i] !== m.forced[j]) continue;
            found.between(i, j);
            found.addCrossings(m.totals[i]!, m.totals[j]!);
          }
        const every = walkWork({ ...m, keys: m.totals.map(() => []) }, FROM, TO, [], 1000);
        expect(every.crossings).toBeGreaterThanOrEqual(found.size);
        const coarse = walkWork({ ...m, keys: m.totals.map(() => []) }, FROM, TO, [], few);
        expect(coarse.points).toBeLessThanOrEqual(few);
        expect(coarse.crossings).toBeGreaterThanOrEqual(every.crossings);
      }),
      { seed: 20261207, numRuns: 300 },
    );
  });

  it("counts a tie-heavy group's crossings as the sweep finds them, and few over a narrow range", () => {
    // The review's group: work 50 + (37i mod 500)/10 at 60 points of 100, public 40 + (53i mod
    // 600)/10 at 40. Over the range of work's points, totals are lines; crossings found pair by pair.
    const n = 300;
    const line = (i: number, from: number, to: number) =>
      linear(
        ratio((40 * (400 + ((53 * i) % 600))) / 10, 100),
        ratio(500 + ((37 * i) % 500), 1000),
        ratio(from),
        ratio(to),
      );
    for (const [from, to] of [
      [0, 100],
      [59, 61],
    ] as const) {
      const totals = Array.from({ length: n }, (_, i) => line(i, from, to));
      const found = new Crossings();
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) {
          found.between(i, j);
          found.addCrossings(totals[i]!, totals[j]!);
        }
      const work = walkWork(
        { totals, keys: totals.map(() => []), forced: totals.map(() => false) },
        from,
        to,
        [],
        2,
      );
      expect(work.crossings).toBe(found.size);
    }
    // Sweeping from 0 the one category with points: every total is 0 there, where the walk has
    // no event, and the lines part at once, never to meet again.
    const through = Array.from({ length: n }, (_, i) =>
      linear(ratio(0), ratio(1 + (i % 50), 100), ratio(0), ratio(100)),
    );
    const work = walkWork(
      { totals: through, keys: through.map(() => []), forced: through.map(() => false) },
      0,
      100,
      [],
      2,
    );
    expect(work.crossings).toBe(0);
  });
});
