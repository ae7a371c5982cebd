import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { directScheme } from "../_test-schemes.js";
import type { Dataset, Finding } from "../dataset/dataset.js";
import { cmp, mul, parseDecimal, ratio, toExactString } from "../rational.js";
import { compileScheme } from "../scheme/compile-scheme.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { evaluate, evaluateExact } from "./evaluate.js";

// Invariants every evaluation must keep, whatever the data.

const score = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((v) => (v / 100).toFixed(2));

const scheme: SchemeInput = directScheme({
  groups: [
    { id: "g1", name: "one" },
    { id: "g2", name: "two" },
  ],
  findingTypes: [
    {
      id: "visit",
      name: "unannounced visit",
      category: "business",
      levels: { city: { perFinding: 0.3, notRectified: 1, repeated: 2 }, bureau: { perFinding: 0.1 } },
      cap: 3,
    },
    { id: "complaint", name: "complaint", levels: { city: { perFinding: 0.5 } } },
  ],
  bonusTypes: [{ id: "award", name: "award", levels: { national: 3, city: 1 }, cap: 3 }],
  bonusCap: 2,
  vetoTypes: [{ id: "incident", name: "incident", forceLast: true }],
  ranking: { tieBreakers: [{ category: "public" }] },
  grades: {
    rules: [
      { id: "excellent", name: "excellent", quota: { percent: 30 }, requiresExcellenceEligibility: true },
      { id: "good", name: "good", minTotal: 75 },
    ],
    fallback: { id: "other", name: "other" },
  },
});

const findingArb = fc.record({
  type: fc.constantFrom("visit", "complaint"),
  level: fc.constant("city"),
  rectification: fc.constantFrom("on-time", "late", "not-rectified", "pending") as fc.Arbitrary<
    Finding["rectification"]
  >,
  repeated: fc.boolean(),
});

const datasetArb: fc.Arbitrary<Dataset> = fc
  .array(
    fc.record({
      group: fc.constantFrom("g1", "g2"),
      business: score(30),
      organ: score(30),
      pub: score(100),
      findings: fc.array(findingArb, { maxLength: 4 }),
      bonus: fc.option(fc.constantFrom("national", "city"), { nil: undefined }),
      veto: fc.nat({ max: 9 }).map((n) => n < 2),
    }),
    { minLength: 1, maxLength: 14 },
  )
  .map((rows) => ({
    units: rows.map((r, i) => ({ id: `U${i}`, name: `unit ${i}`, group: r.group })),
    scores: rows.flatMap((r, i) => [
      { unit: `U${i}`, category: "business", value: r.business },
      { unit: `U${i}`, category: "organ", value: r.organ },
      { unit: `U${i}`, category: "public", value: r.pub },
    ]),
    findings: rows.flatMap((r, i) => r.findings.map((f, j) => ({ id: `F${i}-${j}`, unit: `U${i}`, ...f }))),
    bonusEvents: rows.flatMap((r, i) =>
      r.bonus ? [{ id: `B${i}`, unit: `U${i}`, type: "award", level: r.bonus }] : [],
    ),
    vetoEvents: rows.flatMap((r, i) =>
      r.veto ? [{ id: `V${i}`, unit: `U${i}`, type: "incident", reason: "test" }] : [],
    ),
  }));

function shuffled<T>(items: readonly T[] | undefined, seed: number): T[] {
  const out = [...(items ?? [])];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("evaluation invariants", () => {
  const compiled = compileScheme(scheme);

  it("a total never exceeds the scheme's maximum, nor falls below zero", () => {
    fc.assert(
      fc.property(datasetArb, (dataset) => {
        const r = evaluate(compiled, dataset);
        for (const u of r.units) {
          const t = parseDecimal(u.total!);
          expect(cmp(t, compiled.maxTotal)).toBeLessThanOrEqual(0);
          expect(t.n >= 0n).toBe(true);
          for (const c of u.categories)
            expect(cmp(parseDecimal(c.points!), parseDecimal(c.maxPoints))).toBeLessThanOrEqual(0);
        }
      }),
    );
  });

  it("ranks within each group form a valid competition ranking", () => {
    fc.assert(
      fc.property(datasetArb, (dataset) => {
        const r = evaluate(compiled, dataset);
        for (const g of r.groups) {
          const ranks = r.units.filter((u) => u.group === g.id).map((u) => u.rank!);
          // Sorted output: rank i is either the previous rank (a tie) or the 1-based position.
          ranks.forEach((rank, i) => {
            expect(rank === i + 1 || rank === ranks[i - 1]).toBe(true);
          });
        }
      }),
    );
  });

  it("input row order never changes results", () => {
    fc.assert(
      fc.property(datasetArb, fc.integer(), (dataset, seed) => {
        const permuted: Dataset = {
          units: shuffled(dataset.units, seed),
          scores: shuffled(dataset.scores, seed + 1),
          findings: shuffled(dataset.findings, seed + 2),
          bonusEvents: shuffled(dataset.bonusEvents, seed + 3),
          vetoEvents: shuffled(dataset.vetoEvents, seed + 4),
        };
        expect(evaluate(compiled, permuted)).toEqual(evaluate(compiled, dataset));
      }),
    );
  });

  it("adding a deduction never raises a score", () => {
    fc.assert(
      fc.property(datasetArb, findingArb, fc.nat(), (dataset, finding, pick) => {
        const unit = dataset.units[pick % dataset.units.length]!.id;
        const more = {
          ...dataset,
          findings: [...(dataset.findings ?? []), { id: "extra", unit, ...finding }],
        };
        const before = evaluate(compiled, dataset).units.find((u) => u.unit === unit)!;
        const after = evaluate(compiled, more).units.find((u) => u.unit === unit)!;
        expect(cmp(parseDecimal(after.total!), parseDecimal(before.total!))).toBeLessThanOrEqual(0);
      }),
    );
  });

  it("scaling every category's points by k scales every unrounded total by exactly k", () => {
    const plain = directScheme({ rounding: { decimals: 2, stages: [] } });
    const base = compileScheme(plain);
    fc.assert(
      fc.property(
        datasetArb,
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom(1, 2, 4, 5, 8, 10, 20, 25),
        (dataset, kn, kd) => {
          const d: Dataset = {
            units: dataset.units.map((u) => ({ ...u, group: "g1" })),
            scores: dataset.scores,
          };
          const k = ratio(kn, kd);
          // kd has only the factors 2 and 5, so the scaled points stay finite decimals.
          const scaled = compileScheme({
            ...plain,
            categories: plain.categories.map((c) => ({
              ...c,
              points: toExactString(mul(parseDecimal(c.points), k)),
            })),
          });
          const a = evaluateExact(base, d);
          const b = evaluateExact(scaled, d);
          a.units.forEach((u, i) => {
            expect(cmp(mul(u.total!, k), b.units[i]!.total!)).toBe(0);
            expect(b.units[i]!.rank).toBe(u.rank);
          });
        },
      ),
    );
  });
});
