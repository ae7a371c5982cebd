import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Dataset, DirectScore, Finding } from "../dataset/dataset.js";
import { evaluate } from "../evaluation/evaluate.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { applyScenario } from "./apply-scenario.js";
import { createBaseline } from "./baseline.js";
import { monteCarlo } from "./monte-carlo.js";

type Stage = "category" | "adjustment" | "total";

/** Every set of rounded stages, the empty one included. */
const everyStages: Stage[][] = Array.from({ length: 8 }, (_, mask) =>
  (["category", "adjustment", "total"] as const).filter((_, b) => (mask >> b) & 1),
);

/**
 * Monte-Carlo with every sample at the scheme's own points, or at other points (each
 * category's share of its points kept), against the official pipeline at those points: the
 * same ranks, excellence and last places; and the float model's self-check passes.
 */
function expectPinnedAsOfficial(scheme: SchemeInput, dataset: Dataset, at?: readonly string[]): void {
  const points = scheme.categories.map((c, k) => at?.[k] ?? String(c.points));
  const moved = applyScenario(scheme, dataset, {
    name: "pinned",
    patch: {
      categories: Object.fromEntries(scheme.categories.map((c, k) => [c.id, { points: points[k]! }])),
    },
  });
  // The official units come in standing order, Monte-Carlo's in dataset order.
  const official = new Map(evaluate(moved.compiled, moved.dataset).units.map((u) => [u.unit, u]));
  const bounds = Object.fromEntries(
    scheme.categories.map((c, k) => [c.id, [points[k]!, points[k]!] as [string, string]]),
  );
  const r = monteCarlo(createBaseline(scheme, dataset), {
    samples: 2,
    seed: 1,
    // Pinned points need not add up to the scheme's total.
    weights: { kind: "uniform", bounds, keepTotal: false },
  });
  const want = dataset.units.map(({ id }) => {
    const u = official.get(id)!;
    return {
      unit: id,
      rank: u.rank,
      pExcellent: u.grade?.id === "excellent" ? 1 : 0,
      // Last as the evaluation says, by the reason it gives (the schemes keep lastLosesAward):
      // every unit a veto places last, else the lowest rank of a group that has one.
      pLast: u.eligibility.reasons.some((r) => r.kind === "last-ranked") ? 1 : 0,
    };
  });
  const got = r.units.map((u) => ({
    unit: u.unit,
    rank: u.medianRank,
    pExcellent: u.pExcellent,
    pLast: u.pLast,
  }));
  expect(got).toEqual(want);
  expect(r.nominalReproduced).toBe(true);
}

describe("monteCarlo ties", () => {
  // 28 + 28.84 + 29.71 and 26.7 + 29.95 + 29.9 are both 86.55, but the first is
  // 86.55000000000001 in doubles; U30's public 30.01 less a 0.3 deduction is 29.71, as U20's,
  // but 29.710000000000004 in doubles.
  const scheme = (stages: Stage[]): SchemeInput => ({
    id: "s",
    version: 1,
    name: "s",
    groups: [{ id: "g", name: "g" }],
    rounding: { decimals: 2, mode: "half-up", stages },
    categories: [
      { id: "business", name: "业务工作", points: "30", method: { kind: "direct" } },
      { id: "organ", name: "机关建设", points: "30", method: { kind: "direct" } },
      { id: "public", name: "开门评议", points: "40", method: { kind: "direct" } },
    ],
    findingTypes: [
      { id: "visit", name: "visit", category: "public", levels: { city: { perFinding: "0.3" } } },
    ],
    ranking: { tieBreakers: [{ category: "public" }] },
    grades: {
      rules: [{ id: "excellent", name: "优秀", quota: { count: 2 } }],
      fallback: { id: "good", name: "良好" },
    },
  });
  const row = (unit: string, business: string, organ: string, pub: string): DirectScore[] => [
    { unit, category: "business", value: business },
    { unit, category: "organ", value: organ },
    { unit, category: "public", value: pub },
  ];
  const dataset: Dataset = {
    units: ["U20", "U28", "U30"].map((id) => ({ id, name: id, group: "g" })),
    scores: [
      ...row("U20", "28.00", "28.84", "29.71"),
      ...row("U28", "26.70", "29.95", "29.90"),
      ...row("U30", "28.00", "28.84", "30.01"),
    ],
    findings: [{ id: "f1", unit: "U30", type: "visit", level: "city" }],
  };

  it("ranks totals and tie-breakers equal in exact arithmetic as tied, whatever stages are rounded", () => {
    for (const stages of everyStages) {
      // Officially U28 is first on public evaluation; U20 and U30 tie for second, both take
      // the quota's last place and both are last.
      const official = evaluate(scheme(stages), dataset).units;
      expect(official.map((u) => [u.unit, u.total, u.rank]).sort()).toEqual([
        ["U20", "86.55", 2],
        ["U28", "86.55", 1],
        ["U30", "86.55", 2],
      ]);
      expectPinnedAsOfficial(scheme(stages), dataset);
    }
  });

  it("gives the official ranks, excellence and last places at the points drawn, whatever stages are rounded", () => {
    // Scores close together, in points (a direct score's share is of the category's points):
    // many units tie to the cent, and doubles add their scores with different noise.
    const cents = fc.integer({ min: 500, max: 5000 });
    const year = fc
      .record({
        points: fc.tuple(cents, cents, cents),
        units: fc.array(
          fc.record({
            below: fc.tuple(fc.nat(60), fc.nat(60), fc.nat(60)),
            findings: fc.array(fc.constantFrom(0, 1, 2), { maxLength: 2 }),
            // Placed last by a veto, one unit in five: two or more in a group now and then.
            forced: fc.nat({ max: 4 }).map((n) => n === 0),
            // Without an organ construction score, one unit in five: no total, so no rank, and
            // where a veto places it last, still its group's last.
            unscored: fc.nat({ max: 4 }).map((n) => n === 0),
          }),
          { minLength: 2, maxLength: 30 },
        ),
        stages: fc.constantFrom(...everyStages),
        decimals: fc.integer({ min: 2, max: 4 }),
        tieBreaker: fc.boolean(),
        quota: fc.integer({ min: 1, max: 10 }),
        // Last place barring excellence, which the quota's rule then requires.
        barLast: fc.boolean(),
        // Units tied at the quota's boundary share it, or none of them gets it.
        ties: fc.constantFrom(undefined, "share", "exclude"),
        // Or a percent of the units, rounded as a scheme may choose.
        percent: fc.option(
          fc.record({
            of: fc.integer({ min: 0, max: 100 }),
            rounding: fc.constantFrom(undefined, "down", "half-up", "up"),
          }),
          { nil: undefined },
        ),
        line: fc.integer({ min: 0, max: 180 }),
        // Every third unit a sub-unit of the one before, blended into its public evaluation or total.
        rollup: fc.constantFrom(null, "category", "total"),
        // Samples elsewhere than at the scheme's points, now and then.
        at: fc.option(fc.tuple(cents, cents, cents), { nil: undefined }),
      })
      .map((y) => {
        const ids = ["business", "organ", "public"];
        const pts = y.points.map((c) => c / 100);
        const scores: DirectScore[] = [];
        const findings: Finding[] = [];
        y.units.forEach((u, i) => {
          const unit = `U${String(i).padStart(2, "0")}`;
          ids.forEach((category, k) => {
            if (u.unscored && category === "organ") return;
            scores.push({ unit, category, value: ((y.points[k]! - u.below[k]!) / 100).toFixed(2) });
          });
          // 0.3 from public evaluation (the tie-breaker), 0.7 from the total.
          u.findings.forEach((f, n) => {
            if (f > 0)
              findings.push({ id: `${unit}-${n}`, unit, type: f === 1 ? "visit" : "report", level: "city" });
          });
        });
        const scheme: SchemeInput = {
          id: "s",
          version: 1,
          name: "s",
          groups: [{ id: "g", name: "g" }],
          rounding: { decimals: y.decimals, mode: "half-up", stages: y.stages },
          ...(y.rollup && {
            rollups: [
              {
                id: "sub-units",
                source: y.rollup === "total" ? { total: true } : { category: "public" },
                share: "0.1",
                into: y.rollup === "total" ? { total: true } : { category: "public" },
              },
            ],
          }),
          categories: ids.map((id, k) => ({
            id,
            name: id,
            points: pts[k]!.toFixed(2),
            method: { kind: "direct" },
          })),
          findingTypes: [
            { id: "visit", name: "visit", category: "public", levels: { city: { perFinding: "0.3" } } },
            { id: "report", name: "report", levels: { city: { perFinding: "0.7" } } },
          ],
          vetoTypes: [{ id: "incident", name: "incident", forceLast: true, ineligibleForExcellence: false }],
          ranking: {
            tieBreakers: y.tieBreaker ? [{ category: "public" }] : [],
            lastLosesExcellence: y.barLast,
          },
          grades: {
            rules: [
              {
                id: "excellent",
                name: "excellent",
                quota: {
                  ...(y.percent
                    ? {
                        percent: y.percent.of,
                        ...(y.percent.rounding ? { rounding: y.percent.rounding } : {}),
                      }
                    : { count: y.quota }),
                  ...(y.ties ? { ties: y.ties } : {}),
                },
                // A line the totals reach now and then to the cent.
                minTotal: (pts.reduce((a, b) => a + b, 0) - y.line / 100).toFixed(2),
                requiresExcellenceEligibility: y.barLast,
              },
            ],
            fallback: { id: "other", name: "other" },
          },
        };
        const dataset: Dataset = {
          units: y.units.map((_, i) => ({
            id: `U${String(i).padStart(2, "0")}`,
            name: `unit ${i}`,
            group: "g",
            ...(y.rollup && i % 3 === 2 && { parent: `U${String(i - 1).padStart(2, "0")}` }),
          })),
          scores,
          findings,
          vetoEvents: y.units.flatMap((u, i) =>
            u.forced
              ? [
                  {
                    id: `V${i}`,
                    unit: `U${String(i).padStart(2, "0")}`,
                    type: "incident",
                    reason: "incident",
                  },
                ]
              : [],
          ),
        };
        return { scheme, dataset, at: y.at?.map((c) => (c / 100).toFixed(2)) };
      });
    fc.assert(
      fc.property(year, ({ scheme, dataset, at }) => expectPinnedAsOfficial(scheme, dataset, at)),
      { numRuns: 150 },
    );
  });
});

describe("Monte-Carlo ties of unrounded totals one decimal past its grid", () => {
  it("keeps units tied whose exact totals end in 5 at the tenth decimal (a half of the 1e-9 grid)", () => {
    const scheme: SchemeInput = {
      id: "s",
      version: 1,
      name: "s",
      groups: [{ id: "g", name: "g" }],
      rounding: { decimals: 2, mode: "half-up", stages: [] },
      categories: [
        { id: "a", name: "a", points: "30", method: { kind: "direct" } },
        { id: "b", name: "b", points: "30", method: { kind: "direct" } },
        { id: "c", name: "c", points: "40", method: { kind: "direct" } },
      ],
    };
    // Every unit's total is exactly 70.1234567895, reached by different sums of three scores.
    const total = 701234567895n;
    const text = (v: bigint) => {
      const s = v.toString().padStart(11, "0");
      return `${s.slice(0, -10)}.${s.slice(-10)}`;
    };
    const units: { id: string; name: string; group: string }[] = [];
    const scores: DirectScore[] = [];
    for (let i = 0; i < 120; i++) {
      const a = 150_000_000_000n + BigInt(i) * 1_234_567_891n;
      const b = 250_000_000_000n - BigInt(i) * 987_654_321n;
      units.push({ id: `U${i}`, name: `U${i}`, group: "g" });
      scores.push(
        { unit: `U${i}`, category: "a", value: text(a) },
        { unit: `U${i}`, category: "b", value: text(b) },
        { unit: `U${i}`, category: "c", value: text(total - a - b) },
      );
    }
    const dataset: Dataset = { units, scores };
    expect(new Set(evaluate(scheme, dataset).units.map((u) => u.rank))).toEqual(new Set([1]));
    const r = monteCarlo(createBaseline(scheme, dataset), {
      samples: 2,
      seed: 1,
      weights: { kind: "uniform", bounds: { a: ["30", "30"], b: ["30", "30"], c: ["40", "40"] } },
    });
    expect(r.nominalReproduced).toBe(true);
    expect(new Set(r.units.map((u) => u.medianRank))).toEqual(new Set([1]));
  });
});
