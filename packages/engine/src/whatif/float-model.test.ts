import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compose } from "../evaluation/compose.js";
import { ratio, round, toNumber } from "../rational.js";
import { syntheticYear } from "./_test-synthetic.js";
import { applyScenario } from "./apply-scenario.js";
import { createBaseline } from "./baseline.js";
import {
  type FloatModel,
  floatModel,
  floatSubset,
  floatTotals,
  roundF,
  SNAP_SPLIT,
  TIE_DECIMALS,
} from "./float-model.js";
import { meanOrMedian } from "./mean-or-median.js";

/** The rounding rule as documented, without the fast path: halves recognised within 1e-9. */
function roundByRule(x: number, decimals: number, halfEven: boolean): number {
  const scale = 10 ** decimals;
  const y = Math.abs(x) * scale;
  const fl = Math.floor(y);
  const rem = y - fl;
  const eps = 1e-9 * Math.max(1, y);
  let q: number;
  if (rem > 0.5 + eps) q = fl + 1;
  else if (rem < 0.5 - eps) q = fl;
  else q = halfEven ? (fl % 2 === 0 ? fl : fl + 1) : fl + 1;
  return (x < 0 ? -q : q) / scale;
}

describe("roundF", () => {
  it("is the documented rule for every double, near a half or not", () => {
    const x = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      // Halves and their neighbours a few ulps or a tolerance away.
      fc
        .tuple(
          fc.integer({ min: -2_000_000, max: 2_000_000 }),
          fc.constantFrom(0, 1, -1, 3e-10, -3e-10, 1e-9, -1e-9, 2e-9, -2e-9, 4e-9, -4e-9),
        )
        .map(([k, off]) => (k + 0.5) / 100 + off / 100),
    );
    fc.assert(
      fc.property(x, fc.integer({ min: 0, max: 4 }), fc.boolean(), (v, decimals, halfEven) => {
        expect(roundF(v, decimals, halfEven)).toBe(roundByRule(v, decimals, halfEven));
      }),
      { numRuns: 5000 },
    );
  });

  it("rounds decimal halves as the exact engine does", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        (k, decimals, extra, halfEven) => {
          const exact = ratio(BigInt(k), 10n ** BigInt(decimals + extra));
          const expected = toNumber(round(exact, decimals, halfEven ? "half-even" : "half-up"));
          // + 0: a negative value rounded to zero is −0 in doubles and 0 exactly, equal as numbers.
          expect(roundF(toNumber(exact), decimals, halfEven) + 0).toBe(expected + 0);
        },
      ),
      { numRuns: 5000 },
    );
  });
});

/**
 * Totals as first written: one unit at a time in processing order (deepest first), a list
 * per roll-up, rounding by the rule. The column passes must give the same doubles.
 */
function totalsUnitByUnit(m: FloatModel, P: Float64Array): { totals: Float64Array; points: Float64Array } {
  const U = m.units;
  const C = m.categories;
  const totals = new Float64Array(U);
  const points = new Float64Array(U * C);
  const round = (x: number) => roundByRule(x, m.rounding.decimals, m.rounding.halfEven);
  // What the scheme leaves unrounded, and is compared, is read to the nearest 10^−9 (or finer).
  const snap = (x: number) => Math.floor(x * m.rounding.tieScale + SNAP_SPLIT) / m.rounding.tieScale;
  const categorySum = P.reduce((a, b) => a + b, 0);
  const maxTotal = categorySum + m.bonusCap;
  // NaN: the roll-up is skipped; null: a sub-unit without a result leaves the target none.
  const childShare = (r: FloatModel["rollups"][number], i: number): number | null => {
    const values: number[] = [];
    const of = r.source >= 0 ? P[r.source]! : maxTotal;
    for (const k of m.children[i]!) {
      const v = r.source >= 0 ? points[r.source * U + k]! : totals[k]!;
      if (!Number.isNaN(v)) values.push(v / of);
      else if (r.missing === 2) return null;
      else if (r.missing === 1) values.push(0);
    }
    return of === 0 ? Number.NaN : meanOrMedian(values, r.median);
  };
  for (const i of m.order) {
    let missing = false;
    for (let k = 0; k < C; k++) {
      const s = m.shares[k * U + i]!;
      if (Number.isNaN(s)) {
        missing = true;
        points[k * U + i] = Number.NaN;
        continue;
      }
      let p = s * P[k]!;
      const h = m.hits[k * U + i]!;
      if (h !== 0) p = Math.max(0, p - h);
      points[k * U + i] = p;
    }
    const hasKids = m.children[i]!.length > 0;
    if (hasKids)
      for (const r of m.rollups) {
        if (r.into < 0 || (r.parents && !r.parents.has(i))) continue;
        const own = points[r.into * U + i]!;
        if (Number.isNaN(own)) continue;
        const agg = childShare(r, i);
        if (agg === null) points[r.into * U + i] = Number.NaN;
        else if (!Number.isNaN(agg))
          points[r.into * U + i] = (1 - r.share) * own + r.share * agg * P[r.into]!;
      }
    let sum = 0;
    for (let k = 0; k < C; k++) {
      let p = points[k * U + i]!;
      if (m.rounding.category) {
        if (!Number.isNaN(p)) points[k * U + i] = p = round(p);
      } else if (m.tieIndex.includes(k)) points[k * U + i] = p = snap(p);
      sum += p;
    }
    if (missing || Number.isNaN(sum)) {
      totals[i] = Number.NaN;
      continue;
    }
    let t: number | null = Math.max(0, sum + m.bonus[i]! - m.totalDeducted[i]!);
    if (hasKids)
      for (const r of m.rollups) {
        if (r.into >= 0 || (r.parents && !r.parents.has(i))) continue;
        const agg = childShare(r, i);
        if (agg === null) {
          t = null;
          break;
        }
        if (!Number.isNaN(agg))
          t = (1 - r.share) * t + r.share * agg * (r.source < 0 ? maxTotal : categorySum);
      }
    totals[i] = t === null ? Number.NaN : m.rounding.total ? round(t) : snap(t);
  }
  return { totals, points };
}

describe("floatTotals", () => {
  it("gives the unit-by-unit totals and points for any hierarchy, roll-ups and rounding", () => {
    const C = 3;
    const model = fc
      .record({
        // Unit i's parent is an earlier unit or none: hierarchies several levels deep.
        parents: fc.array(fc.option(fc.nat(), { nil: undefined }), { minLength: 1, maxLength: 40 }),
        // A unit without a share (insufficient) now and then; most have one.
        shares: fc.array(
          fc.oneof(
            // Shares as measured: fractions that are not short decimals (fc.double would draw
            // mostly 0, 1 and subnormals, where rounding has nothing to do).
            { arbitrary: fc.integer({ min: 0, max: 999_983 }).map((x) => x / 999_983), weight: 9 },
            { arbitrary: fc.constant(Number.NaN), weight: 1 },
          ),
          {
            minLength: 40 * C,
            maxLength: 40 * C,
          },
        ),
        hits: fc.array(fc.constantFrom(0, 0, 0.3, 1.25, 40), { minLength: 40 * C, maxLength: 40 * C }),
        adjust: fc.array(fc.tuple(fc.constantFrom(0, 0.5, 2), fc.constantFrom(0, 0.7, 3)), {
          minLength: 40,
          maxLength: 40,
        }),
        rollups: fc.array(
          fc.record({
            share: fc.constantFrom(0.1, 0.25, 0.5),
            source: fc.integer({ min: -1, max: C - 1 }),
            into: fc.integer({ min: -1, max: C - 1 }),
            median: fc.boolean(),
            missing: fc.constantFrom(0, 1, 2) as fc.Arbitrary<0 | 1 | 2>,
            limited: fc.boolean(),
          }),
          { maxLength: 3 },
        ),
        rounding: fc.record({
          decimals: fc.integer({ min: 0, max: 3 }),
          halfEven: fc.boolean(),
          category: fc.boolean(),
          total: fc.boolean(),
        }),
        tieIndex: fc.subarray([0, 1, 2], { maxLength: 2 }),
      })
      .map((d): FloatModel => {
        const U = d.parents.length;
        const parentOf = d.parents.map((p, i) => (p === undefined || i === 0 ? -1 : p % i));
        const kids: number[][] = parentOf.map(() => []);
        parentOf.forEach((p, i) => {
          if (p >= 0) kids[p]!.push(i);
        });
        const depth = parentOf.map((_, i) => {
          let n = 0;
          for (let p = parentOf[i]!; p >= 0; p = parentOf[p]!) n++;
          return n;
        });
        const order = Int32Array.from(
          parentOf.map((_, i) => i).sort((a, b) => depth[b]! - depth[a]! || a - b),
        );
        const shares = new Float64Array(U * C);
        const hits = new Float64Array(U * C);
        for (let k = 0; k < C; k++)
          for (let i = 0; i < U; i++) {
            shares[k * U + i] = d.shares[k * 40 + i]!;
            hits[k * U + i] = d.hits[k * 40 + i]!;
          }
        return {
          units: U,
          categories: C,
          shares,
          hits,
          bonus: Float64Array.from({ length: U }, (_, i) => d.adjust[i]![0]),
          totalDeducted: Float64Array.from({ length: U }, (_, i) => d.adjust[i]![1]),
          forcedLast: new Uint8Array(U),
          excellence: new Uint8Array(U).fill(1),
          order,
          children: kids,
          parents: order.filter((i) => kids[i]!.length > 0),
          isParent: Uint8Array.from(kids, (k) => (k.length > 0 ? 1 : 0)),
          mostChildren: kids.reduce((most, k) => Math.max(most, k.length), 0),
          rollups: d.rollups.map((r) => ({
            share: r.share,
            source: r.source,
            into: r.into,
            median: r.median,
            missing: r.missing,
            // A roll-up limited to some parents: every other unit with sub-units.
            parents: r.limited ? new Set(order.filter((i) => kids[i]!.length > 0 && i % 2 === 0)) : null,
          })),
          tieIndex: d.tieIndex,
          rounding: { ...d.rounding, tieScale: 10 ** TIE_DECIMALS },
          bonusCap: 5,
        };
      });
    const weights = fc.array(
      fc.oneof(
        { arbitrary: fc.constant(0), weight: 1 },
        { arbitrary: fc.integer({ min: 1, max: 6000 }).map((x) => x / 100), weight: 6 },
      ),
      {
        minLength: C,
        maxLength: C,
      },
    );
    fc.assert(
      fc.property(
        model,
        fc.array(weights, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat()),
        (m, draws, asked) => {
          const totals = new Float64Array(m.units);
          const points = new Float64Array(m.units * C);
          // A subset's units come out as in the whole; no other unit is written.
          const subset = floatSubset(
            m,
            asked.map((i) => i % m.units),
          );
          const inSubset = new Set(subset.units);
          for (const i of asked) expect(inSubset.has(i % m.units)).toBe(true);
          for (const draw of draws) {
            const P = Float64Array.from(draw);
            floatTotals(m, P, totals, points);
            const want = totalsUnitByUnit(m, P);
            expect(totals).toEqual(want.totals);
            expect(points).toEqual(want.points);
            const someTotals = new Float64Array(m.units).fill(-7);
            const somePoints = new Float64Array(m.units * C).fill(-7);
            floatTotals(m, P, someTotals, somePoints, subset);
            for (let i = 0; i < m.units; i++) {
              const on = inSubset.has(i);
              expect(someTotals[i]).toBe(on ? want.totals[i] : -7);
              for (let k = 0; k < C; k++)
                expect(somePoints[k * m.units + i]).toBe(on ? want.points[k * m.units + i] : -7);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("floatModel", () => {
  // Years whose sub-units sometimes have no result, each roll-up kind under each rule for them.
  const years = (["total", "totals", "category", "median"] as const).flatMap((rollup) =>
    (["renormalize", "zero", "insufficient"] as const).map((missingSubUnit) => {
      const y = syntheticYear(60, 2, 13, {
        rollup,
        missingSubUnit,
        subUnitsWithoutResult: true,
        bonuses: rollup === "totals",
      });
      return createBaseline(y.scheme, y.dataset);
    }),
  );

  it("gives a fresh evaluation's totals at any points, the nominal ones included, whatever the roll-up rule", () => {
    const cents = fc.oneof(
      { arbitrary: fc.constant(0), weight: 1 },
      { arbitrary: fc.integer({ min: 1, max: 6000 }), weight: 6 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: years.length - 1 }),
        // Points that add up to 0 make a scheme that ranks no one, refused as a scenario.
        fc.option(
          fc.tuple(cents, cents, cents).filter((c) => c.some((x) => x > 0)),
          { nil: null },
        ),
        (which, drawn) => {
          const b = years[which]!;
          const ids = b.compiled.scheme.categories.map((c) => c.id);
          const applied = applyScenario(b.compiled.scheme, b.dataset, {
            name: "points",
            patch: {
              categories: drawn
                ? Object.fromEntries(ids.map((id, k) => [id, { points: drawn[k]! / 100 }]))
                : {},
            },
          });
          // The Monte-Carlo model is the baseline's; only the points change from sample to sample.
          const m = floatModel(b.compiled, {
            dataset: b.dataset,
            outcomes: b.outcomes,
            adjustments: b.adjustments,
            memo: b.memo,
          });
          const P = Float64Array.from(ids, (id) => toNumber(applied.compiled.points.get(id)!));
          const totals = new Float64Array(m.units);
          floatTotals(m, P, totals, new Float64Array(m.units * m.categories));
          const fresh = compose(applied.compiled, b.dataset, b.outcomes, { traces: false });
          fresh.units.forEach((u, i) => {
            if (u.total === null) expect(totals[i]).toBeNaN();
            else expect(totals[i]).toBeCloseTo(toNumber(u.total), 9);
          });
        },
      ),
      { numRuns: 80 },
    );
  });
});
