import { describe, expect, it } from "vitest";
import { evaluate } from "../evaluation/evaluate.js";
import { add, cmp, div } from "../rational.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { syntheticYear } from "./_test-synthetic.js";
import { bruteForce, read, segmentAt } from "./_test-weight-sweep.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { createBaseline } from "./baseline.js";
import { weightSweep } from "./weight-sweep.js";

// Weight sweeps where each group's last place loses excellence, as the last unit changes.

const { scheme, dataset } = await loadSeed2018();

describe("weightSweep", () => {
  describe("where last place bars excellence (ranking.lastLosesExcellence)", () => {
    const lastBars = (s: SchemeInput, bars = true): SchemeInput => ({
      ...s,
      ranking: { ...s.ranking, lastLosesExcellence: bars },
    });
    // Excellent from 60 points: many units reach it, the last among them too unless barred.
    const byThreshold = (s: SchemeInput): SchemeInput => ({
      ...s,
      grades: {
        ...s.grades!,
        rules: [
          { id: "excellent", name: "excellent", minTotal: 60, requiresExcellenceEligibility: true },
          { id: "good", name: "good", minTotal: 40 },
        ],
      },
    });
    /**
     * The grade of every segment in which its unit is its group's lowest ranked (of more than
     * one rank), of every group or of one.
     */
    const lastGrades = (sweep: ReturnType<typeof weightSweep>, group?: string) => {
      const grades: (string | null)[] = [];
      for (const u of sweep.units)
        for (const g of group === undefined || u.group === group ? u.segments : []) {
          if (g.rank === null) continue;
          const [a, b] = [read(g.from), read(g.to)];
          const x = cmp(a, b) === 0 ? a : div(add(a, b), { n: 2n, d: 1n });
          const last = Math.max(
            ...sweep.units
              .filter((v) => v.group === u.group && v.segments.length > 0)
              .map((v) => segmentAt(v.segments, x).rank ?? 0),
          );
          if (last > 1 && g.rank === last) grades.push(g.grade);
        }
      return grades;
    };

    it("agrees with re-evaluation as each group's last moves, and grades no last unit excellent", () => {
      const barred = createBaseline(lastBars(byThreshold(scheme as SchemeInput)), dataset);
      const { sweep, checked } = bruteForce(barred, { category: "public", from: 0, to: 100 });
      expect(checked).toBeGreaterThan(100);
      const free = weightSweep(createBaseline(byThreshold(scheme as SchemeInput), dataset), {
        category: "public",
        from: 0,
        to: 100,
      });
      // Without the rule the last unit is excellent somewhere in the range; with it, nowhere.
      expect(lastGrades(free)).toContain("excellent");
      expect(lastGrades(sweep)).not.toContain("excellent");
      expect(lastGrades(sweep)).toContain("good");
      for (const others of ["rescale", "fixed"] as const)
        expect(bruteForce(barred, { category: "organ", others }).checked).toBeGreaterThan(0);
    });

    it("agrees with re-evaluation under a quota, across groups and with roll-ups", () => {
      for (const seed of [3, 4]) {
        const y = syntheticYear(60, 4, seed, { rollup: seed === 3 ? "category" : "total" });
        // A quota that reaches the last unit of a group.
        const wide = (s: SchemeInput): SchemeInput => ({
          ...s,
          grades: {
            ...s.grades!,
            rules: s.grades!.rules!.map((r) =>
              r.id === "excellent" ? { ...r, quota: { percent: 100, scope: "group" as const } } : r,
            ),
          },
        });
        const b = createBaseline(lastBars(wide(y.scheme)), y.dataset);
        expect(bruteForce(b, { category: "public" }).checked).toBeGreaterThan(0);
        expect(
          bruteForce(b, { category: "organ", others: "transfer", donor: "business" }).checked,
        ).toBeGreaterThan(0);
      }
    });

    it("does not grade at the quota's boundary alone when last place moves who a rule admits", () => {
      const y = syntheticYear(60, 4, 6);
      // One quota over all ranked units, first and without a threshold (what the boundary walk
      // takes), and a later rule that needs eligibility; then the quota itself needing it.
      const rules = (quotaNeeds: boolean) => [
        {
          id: "excellent",
          name: "excellent",
          quota: { count: 50, scope: "overall" as const },
          requiresExcellenceEligibility: quotaNeeds,
        },
        { id: "good", name: "good", minTotal: 40, requiresExcellenceEligibility: true },
      ];
      for (const quotaNeeds of [false, true]) {
        const s: SchemeInput = {
          ...y.scheme,
          grades: { rules: rules(quotaNeeds), fallback: { id: "pass", name: "pass" } },
        };
        const b = createBaseline(lastBars(s), y.dataset);
        const { sweep, checked } = bruteForce(b, { category: "public" });
        expect(checked).toBeGreaterThan(0);
        expect(lastGrades(sweep)).not.toContain(quotaNeeds ? "excellent" : "good");
        expect(lastGrades(weightSweep(createBaseline(s, y.dataset), { category: "public" }))).toContain(
          quotaNeeds ? "excellent" : "good",
        );
      }
    });

    it("takes each group's last apart in the walk of every ranked unit (a quota over all of them)", () => {
      const y = syntheticYear(60, 4, 5);
      // Every quota over all ranked units (a sweep takes one scope), the excellent one reaching last places.
      const overallWide = (s: SchemeInput): SchemeInput => ({
        ...s,
        grades: {
          ...s.grades!,
          rules: s.grades!.rules!.map((r) =>
            r.quota
              ? {
                  ...r,
                  quota: {
                    ...r.quota,
                    scope: "overall" as const,
                    ...(r.id === "excellent" ? { percent: 95 } : {}),
                  },
                }
              : r,
          ),
        },
      });
      const b = createBaseline(lastBars(overallWide(y.scheme)), y.dataset);
      const { sweep, checked } = bruteForce(b, { category: "public" });
      expect(checked).toBeGreaterThan(0);
      expect(lastGrades(sweep)).not.toContain("excellent");
      const free = weightSweep(createBaseline(lastBars(overallWide(y.scheme), false), y.dataset), {
        category: "public",
      });
      expect(lastGrades(free)).toContain("excellent");
    });

    it("bars every unit a veto places last, wherever the points put it, and not the lowest of the others", () => {
      // A fifth of the units vetoed and placed last, the veto itself leaving excellence alone:
      // only last place bars them, two or more in a group, while the lowest unit without a veto
      // keeps its eligibility.
      const y = syntheticYear(60, 4, 8, { vetoes: { share: 0.2, forceLast: true } });
      const lastOnly = (s: SchemeInput): SchemeInput => ({
        ...s,
        vetoTypes: s.vetoTypes!.map((t) => ({
          ...t,
          ineligibleForExcellence: false,
          ineligibleForAward: false,
        })),
      });
      const forced = new Set(y.dataset.vetoEvents!.map((v) => v.unit));
      const perGroup = new Map<string, number>();
      for (const u of y.dataset.units)
        if (forced.has(u.id)) perGroup.set(u.group, (perGroup.get(u.group) ?? 0) + 1);
      expect(Math.max(...perGroup.values())).toBeGreaterThan(1);
      for (const shape of [byThreshold, (s: SchemeInput) => s]) {
        const b = createBaseline(lastBars(lastOnly(shape(y.scheme))), y.dataset);
        const { sweep, checked } = bruteForce(b, { category: "public" });
        expect(checked).toBeGreaterThan(0);
        const vetoed = sweep.units.filter((u) => forced.has(u.unit));
        expect(vetoed.every((u) => u.segments.every((g) => g.grade !== "excellent"))).toBe(true);
      }
      // Without the bar, some of them are excellent somewhere on the range.
      const free = weightSweep(createBaseline(lastOnly(byThreshold(y.scheme)), y.dataset), {
        category: "public",
      });
      expect(
        free.units.some((u) => forced.has(u.unit) && u.segments.some((g) => g.grade === "excellent")),
      ).toBe(true);
    });

    it("bars a group's lowest ranked unit where a unit a veto places last has no total, as evaluate does", () => {
      // Every other vetoed unit has no total: G02's and G04's only vetoed units have none, G01
      // has them with and without a total, G03 only with one.
      const y = syntheticYear(60, 4, 8, { vetoes: { share: 0.2, forceLast: true, withoutResult: true } });
      const s = lastBars(byThreshold(y.scheme));
      const unscoredVetoed = new Set(
        evaluate(s, y.dataset)
          .units.filter((u) => u.total === null && y.dataset.vetoEvents!.some((v) => v.unit === u.unit))
          .map((u) => u.group),
      );
      expect([...unscoredVetoed].sort()).toEqual(["G01", "G02", "G04"]);
      const b = createBaseline(s, y.dataset);
      const { sweep, checked } = bruteForce(b, { category: "public" });
      expect(checked).toBeGreaterThan(0);
      // The nominal's ranks and grades are the evaluation's.
      const official = new Map(evaluate(s, y.dataset).units.map((u) => [u.unit, u]));
      for (const u of sweep.units)
        if (u.nominal)
          expect([u.unit, u.nominal]).toEqual([
            u.unit,
            { rank: official.get(u.unit)!.rank, grade: official.get(u.unit)!.grade?.id ?? null },
          ]);
      // Where the vetoed units all lack a total, the lowest ranked unit is not last, and so
      // excellent where the points lift it to 60; where some have a total, they are last.
      expect(["G02", "G04"].map((g) => lastGrades(sweep, g).includes("excellent"))).toEqual([true, true]);
      expect(["G01", "G03"].map((g) => lastGrades(sweep, g).includes("excellent"))).toEqual([false, false]);
    });
  });
});
