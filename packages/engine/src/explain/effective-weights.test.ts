import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { argumentIssues } from "../_test-argument-issues.js";
import { directDataset, directScheme } from "../_test-schemes.js";
import type { Dataset } from "../dataset/dataset.js";
import { evaluate } from "../evaluation/evaluate.js";
import { InputError } from "../input-error.js";
import { add, div, mul, parseDecimal, type Rational, ratio, toExactString, ZERO } from "../rational.js";
import { compileScheme } from "../scheme/compile-scheme.js";
import { loadSeed2018, loadSeed2019 } from "../whatif/_test-whatif.js";
import { covariance, effectiveWeights, type GroupEffectiveWeights } from "./effective-weights.js";

const byPart = (g: GroupEffectiveWeights) => Object.fromEntries(g.lines.map((l) => [l.part, l]));
/** Exact text as the results write it: a decimal, or "n/d". */
const exact = (text: string): Rational => {
  const [n, d = "1"] = text.split("/");
  return div(parseDecimal(n!), parseDecimal(d));
};

describe("effectiveWeights by hand", () => {
  // Totals 90, 60, 75 (mean 75, variance 150). Business 30, 20, 25: covariance 50, share 1/3.
  // Organ 20 for everyone: share 0. Public 40, 20, 30: covariance 100, share 2/3.
  const scheme = directScheme();
  const dataset = directDataset([
    [30, 20, 100],
    [20, 20, 50],
    [25, 20, 75],
  ]);

  it("shares the variance of the totals among the categories, beside their nominal weights", () => {
    const w = effectiveWeights(scheme, evaluate(scheme, dataset));
    expect(w.basis).toBe("unrounded");
    const [g] = w.groups;
    expect(g).toMatchObject({
      group: "g1",
      ranked: true,
      units: 3,
      leftOut: 0,
      meanTotal: "75",
      variance: "150",
      reason: null,
    });
    expect(g!.standardDeviation).toBeCloseTo(Math.sqrt(150), 12);
    const lines = byPart(g!);
    expect(lines.business).toMatchObject({
      kind: "category",
      name: "business work",
      nominal: "0.3",
      nominalPercent: "30.00",
      covariance: "50",
      effective: "1/3",
      effectivePercent: "33.33",
      correlation: 1,
    });
    expect(lines.organ).toMatchObject({ nominal: "0.3", covariance: "0", effective: "0", correlation: null });
    expect(lines.public).toMatchObject({
      nominal: "0.4",
      covariance: "100",
      effective: "2/3",
      effectivePercent: "66.67",
    });
    // Without bonuses, deductions, roll-ups or rounding the adjustment lines are 0.
    for (const part of ["bonus", "total-deductions", "roll-ups-and-rounding"])
      expect(lines[part]).toMatchObject({
        kind: "adjustment",
        nominal: null,
        effective: "0",
        correlation: null,
      });
  });

  it("gives bonuses and deductions from the total lines of their own, and the shares add up to 1", () => {
    const scheme = directScheme({
      bonusTypes: [{ id: "award", name: "award", levels: { national: 3 } }],
      bonusCap: 5,
      findingTypes: [{ id: "complaint", name: "complaint", levels: { city: { perFinding: 1 } } }],
    });
    const withAdjustments: Dataset = {
      ...dataset,
      bonusEvents: [{ id: "B1", unit: "U2", type: "award", level: "national" }],
      findings: [{ id: "F1", unit: "U1", type: "complaint", level: "city" }],
    };
    // Totals 89, 63, 75: mean 227/3, deviations 40/3, −38/3, −2/3, variance 1016/9.
    const [g] = effectiveWeights(scheme, evaluate(scheme, withAdjustments)).groups;
    expect(g!.variance).toBe("1016/9");
    const lines = byPart(g!);
    expect(lines.business!.covariance).toBe("130/3");
    expect(lines.business!.effective).toBe("195/508");
    expect(lines.public!.effective).toBe("195/254");
    // Bonus 0, 3, 0 (deviations −1, 2, −1): covariance −38/3. It went to a unit below the mean.
    expect(lines.bonus).toMatchObject({
      covariance: "-38/3",
      effective: "-57/508",
      effectivePercent: "-11.22",
    });
    // Deductions −1, 0, 0 (deviations −2/3, 1/3, 1/3): covariance −40/9. They hit the top unit.
    expect(lines["total-deductions"]).toMatchObject({ covariance: "-40/9", effective: "-5/127" });
    expect(lines["roll-ups-and-rounding"]!.effective).toBe("0");
    expect(g!.lines.map((l) => exact(l.effective!)).reduce(add, ZERO)).toEqual(ratio(1));
  });

  it("reads categories unrounded and puts the rounding in its own line", () => {
    // 1 of 3 for public evaluation is 40/3 = 13.333…, published 13.33.
    const scheme = directScheme({
      categories: [
        { id: "business", name: "business work", points: 30, method: { kind: "direct", outOf: 30 } },
        { id: "organ", name: "organ construction", points: 30, method: { kind: "direct", outOf: 30 } },
        { id: "public", name: "public evaluation", points: 40, method: { kind: "direct", outOf: 3 } },
      ],
    });
    const ev = evaluate(
      scheme,
      directDataset([
        [30, 20, 1],
        [20, 20, 2],
        [25, 20, 3],
      ]),
    );
    expect(ev.units.find((u) => u.unit === "U1")!.total).toBe("63.33");
    const [g] = effectiveWeights(scheme, ev).groups;
    const lines = byPart(g!);
    // Public's points are 40/3, 80/3, 40 exactly; the totals 63.33, 66.67, 85 lose or gain 1/300.
    expect(lines["roll-ups-and-rounding"]!.covariance).not.toBe("0");
    expect(g!.lines.map((l) => exact(l.effective!)).reduce(add, ZERO)).toEqual(ratio(1));
  });

  it("leaves units without a total out and counts them; a group of one or without spread has no shares", () => {
    const scheme = directScheme({
      groups: [
        { id: "g1", name: "one" },
        { id: "g2", name: "two", ranked: false },
        { id: "g3", name: "three" },
      ],
    });
    const base = directDataset([
      [30, 20, 100],
      [20, 20, 50],
      [25, 20, 75],
      [25, 20, 75],
      [25, 20, 75],
    ]);
    const groups = ["g1", "g1", "g2", "g2", "g3"];
    const ds: Dataset = {
      units: base.units.map((u, i) => ({ ...u, group: groups[i]! })),
      // U2 has no public evaluation score: insufficient, no total.
      scores: base.scores!.filter((s) => !(s.unit === "U2" && s.category === "public")),
    };
    const w = effectiveWeights(scheme, evaluate(scheme, ds));
    const [g1, g2, g3] = w.groups;
    expect(g1).toMatchObject({
      units: 1,
      leftOut: 1,
      meanTotal: "90",
      variance: null,
      standardDeviation: null,
      reason: "fewer than 2 units with a total (1)",
    });
    expect(g1!.lines[0]).toMatchObject({
      nominal: "0.3",
      effective: null,
      covariance: null,
      correlation: null,
    });
    expect(g2).toMatchObject({
      ranked: false,
      units: 2,
      leftOut: 0,
      variance: "0",
      reason: "every unit has the same total: there is no spread to share",
    });
    expect(g2!.lines[0]).toMatchObject({ covariance: "0", effective: null, correlation: null });
    expect(g3).toMatchObject({ units: 1, reason: "fewer than 2 units with a total (1)" });
    expect(
      effectiveWeights(scheme, evaluate(scheme, ds), { group: "g2" }).groups.map((g) => g.group),
    ).toEqual(["g2"]);
  });

  it("refuses an unknown group, a misspelt option and an evaluation of another scheme, naming them", () => {
    const ev = evaluate(scheme, dataset);
    const issues = argumentIssues;
    expect(issues(() => effectiveWeights(scheme, ev, { group: "g9" }))).toEqual([
      'group: unknown group "g9" (known: g1)',
    ]);
    expect(issues(() => effectiveWeights(scheme, ev, { grop: "g1" } as never))).toEqual([
      "grop: unknown option (misspelt?); known: group",
    ]);
    expect(issues(() => effectiveWeights({ ...scheme, version: 2 }, ev))).toEqual([
      "evaluation: was scored under scheme test v1, not test v2",
    ]);
    const fewer = { ...scheme, categories: scheme.categories.slice(0, 2) };
    expect(issues(() => effectiveWeights(fewer, ev))[0]).toMatch(
      /^evaluation: unit U1 has the categories business, organ, public, not the scheme's business, organ$/,
    );
  });

  it("accepts a compiled scheme", () => {
    const compiled = compileScheme(scheme);
    expect(effectiveWeights(compiled, evaluate(compiled, dataset))).toEqual(
      effectiveWeights(scheme, evaluate(scheme, dataset)),
    );
  });
});

describe("effectiveWeights on the seed year", () => {
  it("2018: public evaluation is 40% of the points but about 9% of the spread", async () => {
    const { scheme, dataset } = await loadSeed2018();
    const [g] = effectiveWeights(scheme, evaluate(scheme, dataset)).groups;
    expect(g).toMatchObject({ group: "law-enforcement", units: 29, leftOut: 0, variance: "17858123/841000" });
    const percents = Object.fromEntries(
      g!.lines.map((l) => [l.part, [l.nominalPercent, l.effectivePercent]]),
    );
    expect(percents).toEqual({
      business: ["30.00", "46.05"],
      organ: ["30.00", "44.51"],
      public: ["40.00", "9.44"],
      bonus: [null, "0.00"],
      "total-deductions": [null, "0.00"],
      "roll-ups-and-rounding": [null, "0.00"],
    });
    // Categories and totals rounded to 2 decimals: −0.0027% of the spread, exactly.
    expect(exact(byPart(g!)["roll-ups-and-rounding"]!.effective!).n).toBeLessThan(0n);
    expect(g!.lines.map((l) => exact(l.effective!)).reduce(add, ZERO)).toEqual(ratio(1));
  });

  it("2019: the reform's 50 points for public evaluation make it about a quarter of the spread", async () => {
    const { scheme, dataset } = await loadSeed2019();
    const [g] = effectiveWeights(scheme, evaluate(scheme, dataset)).groups;
    const percents = Object.fromEntries(g!.lines.map((l) => [l.part, l.effectivePercent]));
    expect(percents).toMatchObject({ business: "45.81", organ: "28.60", public: "25.57" });
    const r = Object.fromEntries(g!.lines.map((l) => [l.part, l.correlation]));
    expect(r.business).toBeGreaterThan(0);
    expect(r.public).toBeGreaterThan(0);
  });
});

describe("effectiveWeights properties", () => {
  const score = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((v) => (v / 100).toFixed(2));
  const rows = fc.array(fc.tuple(score(30), score(30), score(100)), { minLength: 2, maxLength: 12 });
  // Public evaluation out of 7: its points are sevenths, so rounding has something to do.
  const scheme = directScheme({
    categories: [
      { id: "business", name: "business work", points: 30, method: { kind: "direct", outOf: 30 } },
      { id: "organ", name: "organ construction", points: 30, method: { kind: "direct", outOf: 30 } },
      { id: "public", name: "public evaluation", points: 40, method: { kind: "direct", outOf: 7 } },
    ],
    findingTypes: [
      { id: "visit", name: "visit", category: "business", levels: { city: { perFinding: 0.3 } }, cap: 3 },
      { id: "complaint", name: "complaint", levels: { city: { perFinding: 0.5 } } },
    ],
    bonusTypes: [{ id: "award", name: "award", levels: { city: 1 }, count: "sum" }],
    bonusCap: 2,
  });
  const withRecords = (r: [string, string, string][], findings: number[], bonuses: number[]): Dataset => {
    const base = directDataset(r.map(([b, o, p]) => [b, o, ((Number(p) * 7) / 100).toFixed(2)] as const));
    return {
      ...base,
      findings: findings.map((k, i) => ({
        id: `F${i}`,
        unit: `U${(k % r.length) + 1}`,
        type: i % 2 ? "visit" : "complaint",
        level: "city",
      })),
      bonusEvents: bonuses.map((k, i) => ({
        id: `B${i}`,
        unit: `U${(k % r.length) + 1}`,
        type: "award",
        level: "city",
      })),
    };
  };
  const records = fc.array(fc.nat(50), { maxLength: 8 });

  it("the shares add up to exactly 1 whenever the totals spread", () => {
    fc.assert(
      fc.property(rows, records, records, (r, findings, bonuses) => {
        const [g] = effectiveWeights(scheme, evaluate(scheme, withRecords(r, findings, bonuses))).groups;
        if (g!.reason !== null) return;
        expect(g!.lines.map((l) => exact(l.effective!)).reduce(add, ZERO)).toEqual(ratio(1));
        // The covariances add up to the variance the same way.
        expect(g!.lines.map((l) => exact(l.covariance!)).reduce(add, ZERO)).toEqual(exact(g!.variance!));
      }),
      { numRuns: 60 },
    );
  });

  it("a category with the same points for every unit has share 0", () => {
    fc.assert(
      fc.property(rows, score(30), records, (r, organ, bonuses) => {
        const same = r.map(([b, , p]) => [b, organ, p] as [string, string, string]);
        const [g] = effectiveWeights(scheme, evaluate(scheme, withRecords(same, [], bonuses))).groups;
        const line = byPart(g!).organ!;
        expect(line.covariance).toBe("0");
        if (g!.reason === null) expect(line.effective).toBe("0");
        expect(line.correlation).toBeNull();
      }),
      { numRuns: 40 },
    );
  });

  it("the covariance is linear: k × a series has k × its covariance with the total", () => {
    const value = fc
      .tuple(fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: 1, max: 997 }))
      .map(([n, d]) => ratio(n, d));
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 15 }), value, (pairs, k) => {
        const xs = pairs.map((p) => p[0]);
        const ts = pairs.map((p) => p[1]);
        expect(
          covariance(
            xs.map((x) => mul(x, k)),
            ts,
          ),
        ).toEqual(mul(covariance(xs, ts), k));
      }),
    );
  });

  it("scaling a category's points by k for every unit scales its covariance as the decomposition says", () => {
    // The totals move with it: t' = t + (k − 1)·x, so cov(k·x, t') = k·cov(x, t) + k(k − 1)·var(x).
    const withBusiness = (points: number) =>
      directScheme({
        categories: [
          { id: "business", name: "business work", points, method: { kind: "direct", outOf: 30 } },
          { id: "organ", name: "organ construction", points: 30, method: { kind: "direct", outOf: 30 } },
          { id: "public", name: "public evaluation", points: 40, method: { kind: "direct", outOf: 40 } },
        ],
      });
    const twoDecimals = fc.array(fc.tuple(score(30), score(30), score(40)), { minLength: 2, maxLength: 12 });
    fc.assert(
      fc.property(twoDecimals, fc.integer({ min: 1, max: 5 }), (r, k) => {
        const plain = withBusiness(30);
        const scaled = withBusiness(30 * k);
        const ev = evaluate(plain, directDataset(r));
        const one = effectiveWeights(plain, ev).groups[0]!;
        const many = effectiveWeights(scaled, evaluate(scaled, directDataset(r))).groups[0]!;
        if (one.variance === null) return;
        const xs = ev.units.map((u) => parseDecimal(u.categories[0]!.points!));
        const expected = add(
          mul(exact(byPart(one).business!.covariance!), ratio(k)),
          mul(covariance(xs, xs), ratio(k * (k - 1))),
        );
        expect(byPart(many).business!.covariance).toBe(toExactString(expected));
      }),
      { numRuns: 40 },
    );
  });
});

describe("a caller passing something other than an evaluation", () => {
  it("gets the engine's InputError naming the argument, not a TypeError", () => {
    expect(() => effectiveWeights(directScheme(), undefined as never)).toThrow(InputError);
    expect(() => effectiveWeights(directScheme(), undefined as never)).toThrow(
      /evaluation: must be an evaluation, as evaluate returns it/,
    );
  });
});
