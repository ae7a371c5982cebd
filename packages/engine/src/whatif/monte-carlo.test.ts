import { describe, expect, it } from "vitest";
import { argumentIssues } from "../_test-argument-issues.js";
import type { Dataset } from "../dataset/dataset.js";
import { evaluate } from "../evaluation/evaluate.js";
import { syntheticYear } from "./_test-synthetic.js";
import { loadSeed2018, loadSeed2019 } from "./_test-whatif.js";
import { createBaseline } from "./baseline.js";
import { checkAlternatives, monteCarlo } from "./monte-carlo.js";
import { SweepNotLinearError } from "./sweep-not-linear-error.js";

const { scheme, dataset } = await loadSeed2018();
const seed = createBaseline(scheme, dataset);

/** The 2018 scheme graded excellent from `minTotal` points instead of by quota. */
function excellentFrom(minTotal: number, lastLosesExcellence = false) {
  const s = JSON.parse(JSON.stringify(scheme));
  s.grades.rules[0] = { id: "excellent", name: "excellent", minTotal, requiresExcellenceEligibility: true };
  s.ranking = { ...s.ranking, lastLosesExcellence };
  return s;
}

describe("monteCarlo", () => {
  it("is reproducible from its seed and records every sample's points", () => {
    const a = monteCarlo(seed, { samples: 200, seed: 42, weights: { kind: "dirichlet", concentration: 50 } });
    const b = monteCarlo(seed, { samples: 200, seed: 42, weights: { kind: "dirichlet", concentration: 50 } });
    const c = monteCarlo(seed, { samples: 200, seed: 43, weights: { kind: "dirichlet", concentration: 50 } });
    expect(b).toEqual(a);
    expect(c.points).not.toEqual(a.points);
    expect(a.points).toHaveLength(200 * 3);
    for (let s = 0; s < 200; s++)
      expect(a.points[s * 3]! + a.points[s * 3 + 1]! + a.points[s * 3 + 2]!).toBeCloseTo(100, 9);
  });

  it("keeps the scheme's total by default, so a grade by threshold measures standing, not the draw's size", () => {
    // 2018 graded excellent at 85 points instead of by quota. U01 is 4th, and 4th or 5th in the draws.
    const baseline = createBaseline(excellentFrom(85), dataset);
    const sums = (r: ReturnType<typeof monteCarlo>) =>
      Array.from(
        { length: r.samples },
        (_, s) => r.points[s * 3]! + r.points[s * 3 + 1]! + r.points[s * 3 + 2]!,
      );
    const kept = monteCarlo(baseline, { samples: 2000, seed: 1 });
    expect(kept.weights).toMatchObject({ kind: "uniform", keepTotal: true, spread: 0.5 });
    for (const sum of sums(kept)) expect(sum).toBeCloseTo(100, 9);
    const u01 = (r: ReturnType<typeof monteCarlo>) => r.units.find((u) => u.unit === "U01")!;
    expect(u01(kept)).toMatchObject({ nominalRank: 4, p5Rank: 4, p95Rank: 5, pExcellent: 1 });
    // Free to add up to anything from 50 to 150 points, about half the draws fall under 100 and
    // U01 is "excellent" in only about half of them, at the same ranks.
    const free = monteCarlo(baseline, {
      samples: 2000,
      seed: 1,
      weights: { kind: "uniform", keepTotal: false },
    });
    expect(sums(free).filter((t) => t < 100).length).toBe(1007);
    expect(u01(free)).toMatchObject({ nominalRank: 4, p5Rank: 4, p95Rank: 5, pExcellent: 0.548 });
  });

  it("goes through JSON with its per-sample columns as arrays, keeping its typed arrays", () => {
    const r = monteCarlo(seed, { samples: 20, seed: 5, alternatives: [{ name: "no-trim", patch: {} }] });
    const sent = JSON.parse(JSON.stringify(r));
    expect(sent.ranks).toEqual(Array.from(r.ranks));
    expect(sent.points).toEqual(Array.from(r.points));
    expect(sent.alternative).toEqual(Array.from(r.alternative));
    expect(sent.ranks).toHaveLength(20 * r.units.length);
    expect({ ...sent, points: r.points, alternative: r.alternative, ranks: r.ranks }).toEqual({ ...r });
    // The typed arrays stay what the result holds: only JSON sees arrays.
    expect(r.ranks).toBeInstanceOf(Int32Array);
  });

  it("draws a diffuse Dirichlet near the corners, never at the nominal points", () => {
    // Concentration 0.003: shapes of ~0.001, whose gamma draws underflow to 0 in doubles.
    const r = monteCarlo(seed, {
      samples: 500,
      seed: 7,
      weights: { kind: "dirichlet", concentration: 0.003 },
    });
    let nominal = 0;
    let corner = 0;
    for (let s = 0; s < 500; s++) {
      const p = [r.points[s * 3]!, r.points[s * 3 + 1]!, r.points[s * 3 + 2]!];
      if (p[0] === 30 && p[1] === 30 && p[2] === 40) nominal++;
      if (Math.max(...p) > 99) corner++;
      expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(100, 9);
    }
    expect(nominal).toBe(0);
    expect(corner).toBeGreaterThan(450);
  });

  it("names inputs it would otherwise truncate, ignore or never finish on", () => {
    const run = (options: object) => () => monteCarlo(seed, { samples: 5, seed: 1, ...options });
    expect(run({ seed: 1.5 })).toThrow(/seed: must be a whole number/);
    expect(run({ seed: Number.NaN })).toThrow(/seed: must be a whole number/);
    // The generator takes 32 bits: these would have run as seeds 4294967295 and 1.
    expect(run({ seed: -1 })).toThrow(/seed: must be a whole number from 0 to 4294967295/);
    expect(run({ seed: 2 ** 32 + 1 })).toThrow(/seed: must be a whole number from 0 to 4294967295/);
    expect(() => run({ seed: 2 ** 32 - 1 })()).not.toThrow();
    expect(run({ weights: { kind: "dirichlet", concentration: Number.POSITIVE_INFINITY } })).toThrow(
      /weights.concentration: must be a finite number greater than 0/,
    );
    expect(run({ weights: { kind: "dirichlet", concentration: 1e308 } })).toThrow(/concentration/);
    expect(
      run({
        alternatives: [
          { name: "no excellent", patch: { grades: { rules: { excellent: { quota: null } } } } },
        ],
      }),
    ).toThrow(/alternatives\[0\].patch.grades: not varied by Monte-Carlo/);
    expect(run({ alternatives: [{ name: "x", patch: {}, data: { scores: [] } }] })).toThrow(
      /alternatives\[0\].data: an alternative has only a name and a patch/,
    );
    // Each sample draws the points: a reform as an alternative was run as the nominal, unseen.
    const reform = { categories: { public: { points: "50" }, organ: { points: "20" } } };
    expect(run({ alternatives: [{ name: "reform", patch: reform }] })).toThrow(
      /alternatives\[0\]\.patch\.categories\.public\.points: not varied by an alternative: every sample draws each category's points[\s\S]*alternatives\[0\]\.patch\.categories\.organ\.points/,
    );
  });

  it("refuses two alternatives of one name, and one named as the scheme itself", () => {
    // The result's alternative column is read by name: samples of two "x" could not be told apart.
    const run = (options: object) => () => monteCarlo(seed, { samples: 5, seed: 1, ...options });
    const twice = [
      { name: "x", patch: {} },
      { name: "y", patch: {} },
      { name: "x", patch: {} },
    ];
    expect(run({ alternatives: twice })).toThrow(
      /alternatives\[2\]\.name: "x" is already the name of alternatives\[0\]/,
    );
    expect(run({ alternatives: [{ name: "nominal", patch: {} }] })).toThrow(
      /alternatives\[0\]\.name: "nominal" names the scheme as it is/,
    );
  });

  it("names an option it does not read, and options that are no object", () => {
    // A misspelt "spread" would otherwise draw within the default ±50% without a word.
    expect(() => monteCarlo(seed, { samples: 5, seed: 1, spred: 0.1 } as never)).toThrow(
      /^invalid Monte-Carlo options \(1 problem\):\n {2}spred: unknown option \(misspelt\?\); known: samples, seed, weights, spread, alternatives, groups$/,
    );
    expect(() => monteCarlo(seed, undefined as never)).toThrow(/\(root\): must be an object of options/);
  });

  it("says a seed or sample count left out is required, not out of range, as options of the run", () => {
    expect(() => monteCarlo(seed, { samples: 5 } as never)).toThrow(
      /^invalid Monte-Carlo options \(1 problem\):\n {2}seed: is required and must be a whole number from 0 to 4294967295$/,
    );
    expect(() => monteCarlo(seed, { seed: 1 } as never)).toThrow(
      /^invalid Monte-Carlo options \(1 problem\):\n {2}samples: is required and must be a positive integer$/,
    );
    // Given but wrong, the range alone; still a scenario's problem for a caller placing its paths.
    let error: unknown;
    try {
      monteCarlo(seed, { samples: 5, seed: -1 });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      subject: "scenario",
      issues: [{ path: ["seed"], message: "must be a whole number from 0 to 4294967295" }],
    });
  });

  it("names a sample count whose points and ranks cannot be kept, instead of a RangeError", () => {
    expect(() => monteCarlo(seed, { samples: 1e12, seed: 1 })).toThrow(
      /^invalid Monte-Carlo options \(1 problem\):\n {2}samples: too many to keep: 1000000000000 samples/,
    );
    // Refused on every supported Node, not drawn for hours where a newer one allocates lazily.
    const group = seed.compiled.scheme.groups[0]!.id;
    expect(() => monteCarlo(seed, { samples: 1e9, seed: 1, groups: [group] })).toThrow(
      /samples: too many to keep: 1000000000 samples/,
    );
  });

  it("names a problem in an alternative's patch under that alternative", () => {
    const alternatives = [
      { name: "fine", patch: {} },
      { name: "typo", patch: { categories: { pubic: { name: "Public" } } } },
    ];
    expect(() => monteCarlo(seed, { samples: 5, seed: 1, alternatives })).toThrow(
      /^invalid Monte-Carlo options \(1 problem\):\n {2}alternatives\[1\]\.patch\.categories\.pubic: unknown category "pubic"; did you mean "public"\?$/,
    );
  });

  it("names the spread shorthand, and alternatives that are not a list, by the option given", () => {
    const run = (options: object) => () => monteCarlo(seed, { samples: 5, seed: 1, ...options });
    expect(run({ spread: 2 })).toThrow(
      /^invalid Monte-Carlo options \(1 problem\):\n {2}spread: must be between 0 and 1$/,
    );
    // A spread beside weights of their own would be dropped without a word.
    expect(run({ spread: 0.1, weights: { kind: "dirichlet", concentration: 50 } })).toThrow(
      /spread: give the spread inside weights, or spread without weights/,
    );
    expect(run({ alternatives: { name: "x", patch: {} } })).toThrow(/alternatives: must be a list/);
    // Read as a number, "" would have drawn every sample at the nominal points.
    expect(run({ spread: "" })).toThrow(
      /^invalid Monte-Carlo options \(1 problem\):\n {2}spread: must be a number between 0 and 1$/,
    );
  });

  it("reports the baseline's exact ranks as nominal, and its float model reproduces them", () => {
    const r = monteCarlo(seed, { samples: 10, seed: 1, weights: { kind: "uniform" } });
    expect(r.nominalReproduced).toBe(true);
    // The ranks of a separate evaluation: the baseline's standings are where nominalRank is
    // copied from, so comparing with them would compare a value with itself.
    const exact = new Map(evaluate(scheme, dataset).units.map((u) => [u.unit, u.rank]));
    expect(r.units.map((u) => u.nominalRank)).toEqual(r.units.map((u) => exact.get(u.unit)));
    for (const rollup of ["total", "category", "median"] as const) {
      const y = syntheticYear(200, 4, 9, { rollup });
      const b = createBaseline(y.scheme, y.dataset);
      expect(monteCarlo(b, { samples: 5, seed: 2, weights: { kind: "uniform" } }).nominalReproduced).toBe(
        true,
      );
    }
  });

  it("says when its float model does not reproduce the exact ranks, and still reports the exact ones", () => {
    // Without rounding, u1's 90.0000000000000000001 is above u2's 90 exactly, but not in
    // doubles; 90.0000000001 is in doubles, but unrounded totals are compared to 10^−9 (lest
    // noise split exact ties). The float model ties them where the official ranking does not.
    const baselineOf = (u1: string) =>
      createBaseline(
        {
          id: "s",
          version: 1,
          name: "s",
          categories: [
            { id: "a", name: "A", points: 60, method: { kind: "direct", outOf: 100 } },
            { id: "b", name: "B", points: 40, method: { kind: "direct", outOf: 100 } },
          ],
          groups: [{ id: "g", name: "g" }],
          rounding: { stages: [] },
        },
        {
          units: ["u1", "u2", "u3"].map((id) => ({ id, name: id, group: "g" })),
          scores: [
            { unit: "u1", category: "a", value: u1 },
            { unit: "u2", category: "a", value: "90" },
            { unit: "u3", category: "a", value: "70" },
            ...["u1", "u2", "u3"].map((unit) => ({ unit, category: "b", value: "50" })),
          ],
        },
      );
    // The nominal points, drawn every time: each sample is the float model's nominal ranking.
    const bounds = { a: ["60", "60"], b: ["40", "40"] } as Record<string, [string, string]>;
    const run = (u1: string) =>
      monteCarlo(baselineOf(u1), { samples: 3, seed: 1, weights: { kind: "uniform", bounds } });
    for (const u1 of ["90.0000000000000000001", "90.0000000001"]) {
      const apart = run(u1);
      expect(apart.nominalReproduced).toBe(false);
      expect(apart.units.map((u) => [u.unit, u.nominalRank, u.medianRank])).toEqual([
        ["u1", 1, 1],
        ["u2", 2, 1],
        ["u3", 3, 3],
      ]);
    }
    // A difference above 10^−9: reproduced.
    const held = run("90.001");
    expect(held.nominalReproduced).toBe(true);
    expect(held.units.map((u) => [u.unit, u.nominalRank, u.medianRank])).toEqual([
      ["u1", 1, 1],
      ["u2", 2, 2],
      ["u3", 3, 3],
    ]);
  });

  it("with degenerate bounds, every sample is the baseline: ranks, excellence and last place", () => {
    const bounds = { business: [30, 30], organ: [30, 30], public: [40, 40] } as Record<
      string,
      [number, number]
    >;
    const r = monteCarlo(seed, { samples: 20, seed: 5, weights: { kind: "uniform", bounds } });
    const byUnit = new Map(seed.standings.map((s) => [s.unit, s]));
    for (const u of r.units) {
      const s = byUnit.get(u.unit)!;
      expect([u.medianRank, u.p5Rank, u.p95Rank]).toEqual([s.rank, s.rank, s.rank]);
      expect(u.pExcellent).toBe(s.grade === "excellent" ? 1 : 0);
      expect(u.pLast).toBe(s.rank === s.rankedInGroup ? 1 : 0);
    }
  });

  it("takes excellence from each sample's last where last place bars it (lastLosesExcellence)", () => {
    // Excellent from 50 points, which every unit reaches in every draw: only last place keeps a unit out.
    const from50 = (lastLosesExcellence: boolean) =>
      createBaseline(excellentFrom(50, lastLosesExcellence), dataset);
    const options = { samples: 500, seed: 3, weights: { kind: "dirichlet" as const, concentration: 5 } };
    const barred = monteCarlo(from50(true), options);
    const free = monteCarlo(from50(false), options);
    expect(barred.units.filter((u) => u.pLast > 0).length).toBeGreaterThan(1);
    // A veto bars some units throughout; every other unit is excellent in every draw unless barred as last.
    const vetoed = free.units.filter((u) => u.pExcellent === 0).map((u) => u.unit);
    expect(free.units.filter((u) => u.pExcellent !== 0 && u.pExcellent !== 1)).toEqual([]);
    for (const u of barred.units)
      if (vetoed.includes(u.unit)) expect(u.pExcellent).toBe(0);
      else expect(u.pExcellent).toBeCloseTo(1 - u.pLast, 12);
    // At the nominal points alone, as the evaluation grades them.
    const nominal = from50(true);
    const bounds = { business: [30, 30], organ: [30, 30], public: [40, 40] } as Record<
      string,
      [number, number]
    >;
    const r = monteCarlo(nominal, { samples: 5, seed: 5, weights: { kind: "uniform", bounds } });
    const grade = new Map(nominal.standings.map((s) => [s.unit, s.grade]));
    expect(r.units.map((u) => `${u.unit} ${u.pExcellent}`)).toEqual(
      r.units.map((u) => `${u.unit} ${grade.get(u.unit) === "excellent" ? 1 : 0}`),
    );
    const last = nominal.standings.find((s) => s.rank !== null && s.rank === s.rankedInGroup)!;
    expect(vetoed).not.toContain(last.unit);
    expect(r.units.find((u) => u.unit === last.unit)?.pExcellent).toBe(0);
  });

  it("counts a first grade rule that is a bottom quota below a line as the pipeline grades it", () => {
    const y = syntheticYear(120, 3, 7);
    const poor = y.scheme.grades!.rules!.find((r) => r.id === "poor")!;
    y.scheme.grades!.rules = [
      { ...poor, belowTotal: 85 },
      ...y.scheme.grades!.rules!.filter((r) => r !== poor),
    ];
    const b = createBaseline(y.scheme, y.dataset);
    const poorUnits = b.standings.filter((s) => s.grade === "poor").length;
    expect(poorUnits).toBeGreaterThan(3);
    const bounds = Object.fromEntries(
      y.scheme.categories.map((c) => [c.id, [Number(c.points), Number(c.points)] as [number, number]]),
    );
    const r = monteCarlo(b, { samples: 5, seed: 9, weights: { kind: "uniform", bounds } });
    expect(r.excellentGrade).toBe("poor");
    const byUnit = new Map(b.standings.map((s) => [s.unit, s]));
    for (const u of r.units) expect(u.pExcellent).toBe(byUnit.get(u.unit)!.grade === "poor" ? 1 : 0);
  });

  it("ranks and reports only the groups asked for, each unit as in a run over every group", () => {
    for (const scope of ["group", "overall"] as const) {
      const y = syntheticYear(120, 3, 7, { rollup: "total" });
      const rules = y.scheme.grades!.rules!;
      rules[0] = { ...rules[0]!, quota: { ...rules[0]!.quota!, scope } };
      y.scheme.groups = y.scheme.groups.map((g) => (g.id === "G03" ? { ...g, ranked: false } : g));
      const b = createBaseline(y.scheme, y.dataset);
      const options = { samples: 60, seed: 3, spread: 0.4 };
      const all = monteCarlo(b, options);
      expect(all.groups).toBeNull();
      for (const groups of [["G02"], ["G03", "G01"]]) {
        const some = monteCarlo(b, { ...options, groups });
        const wanted = new Set(groups);
        expect(some.groups).toEqual(["G01", "G02", "G03"].filter((g) => wanted.has(g)));
        expect(some.units).toEqual(all.units.filter((u) => wanted.has(u.group)));
        expect(some.points).toEqual(all.points);
        expect(some.nominalReproduced).toBe(true);
        // The rank matrix holds the reported units' rows, in the order of `units`.
        const U = b.dataset.units.length;
        const index = new Map(b.dataset.units.map((u, i) => [u.id, i]));
        expect(some.ranks).toHaveLength(options.samples * some.units.length);
        some.units.forEach((u, j) => {
          for (let s = 0; s < options.samples; s++)
            expect(some.ranks[s * some.units.length + j]).toBe(all.ranks[s * U + index.get(u.unit)!]);
        });
      }
      // The first grade's quota reaches into the groups asked for: a run that decided it from
      // their units alone would give other chances.
      expect(all.units.some((u) => u.pExcellent > 0 && u.pExcellent < 1)).toBe(true);
    }
  });

  it("names each unknown group, and an empty list, instead of reporting no unit", () => {
    expect(() => monteCarlo(seed, { samples: 5, seed: 1, groups: [] })).toThrow(
      /groups: must name at least one group/,
    );
    expect(() => monteCarlo(seed, { samples: 5, seed: 1, groups: ["law-enforcement", "traffic"] })).toThrow(
      /groups\[1\]: unknown group "traffic"/,
    );
  });

  it("draws uniform points within bounds, optionally keeping the total", () => {
    const bounds = { business: [20, 40], organ: [10, 30], public: [30, 60] } as Record<
      string,
      [number, number]
    >;
    const r = monteCarlo(seed, { samples: 300, seed: 9, weights: { kind: "uniform", bounds } });
    for (let s = 0; s < 300; s++) {
      expect(r.points[s * 3]!).toBeGreaterThanOrEqual(20);
      expect(r.points[s * 3]!).toBeLessThanOrEqual(40);
    }
    const k = monteCarlo(seed, {
      samples: 50,
      seed: 9,
      weights: { kind: "uniform", bounds, keepTotal: true },
    });
    for (let s = 0; s < 50; s++)
      expect(k.points[s * 3]! + k.points[s * 3 + 1]! + k.points[s * 3 + 2]!).toBeCloseTo(100, 9);
  });

  it("samples alternative rules, re-reading records once per alternative", () => {
    const r = monteCarlo(seed, {
      samples: 100,
      seed: 3,
      weights: { kind: "dirichlet", concentration: 100 },
      alternatives: [
        { name: "stricter sample", patch: { categories: { public: { method: { minValidForms: 10_000 } } } } },
      ],
    });
    expect(r.alternatives).toEqual(["nominal", "stricter sample"]);
    const used = new Set(r.alternative);
    expect(used).toEqual(new Set([0, 1]));
    // Under the alternative nobody has enough forms, so nobody is ranked in those samples.
    for (let s = 0; s < 100; s++)
      if (r.alternative[s] === 1) expect(r.ranks[s * dataset.units.length]).toBe(0);
  });

  it("reads the ballots once per alternative aggregation, however many samples", async () => {
    const y = await loadSeed2019();
    let reads = 0;
    const ballots = new Proxy(y.dataset.ballots as NonNullable<Dataset["ballots"]>[number][], {
      get(target, key, receiver) {
        reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const b = createBaseline(y.scheme, { ...y.dataset, ballots });
    const plainMean = {
      name: "plain mean",
      patch: { categories: { organ: { method: { aggregation: { type: "mean" } } } } },
    };
    const readsFor = (samples: number) => {
      reads = 0;
      const r = monteCarlo(b, {
        samples,
        seed: 1,
        weights: { kind: "dirichlet", concentration: 300 },
        alternatives: [plainMean],
      });
      expect(r.nominalReproduced).toBe(true);
      return reads;
    };
    const few = readsFor(10);
    expect(few).toBeGreaterThan(0);
    expect(readsFor(300)).toBe(few);
  });

  it("refuses a formula that reads other categories' points instead of leaving every unit unranked", () => {
    // The float model scores a unit from fixed shares of each category's maximum; a formula's
    // share depends on the drawn points of what it reads.
    const b = createBaseline(
      {
        id: "s",
        version: 1,
        name: "s",
        categories: [
          { id: "a", name: "A", points: 60, method: { kind: "direct", outOf: 100 } },
          { id: "f", name: "F", points: 40, method: { kind: "formula", expression: "a", max: 60 } },
        ],
        groups: [{ id: "g", name: "g" }],
      },
      {
        units: ["u1", "u2", "u3"].map((id) => ({ id, name: id, group: "g" })),
        scores: [
          { unit: "u1", category: "a", value: 90 },
          { unit: "u2", category: "a", value: 50 },
          { unit: "u3", category: "a", value: 70 },
        ],
      },
    );
    expect(() => monteCarlo(b, { samples: 10, seed: 1 })).toThrow(SweepNotLinearError);
    expect(() => monteCarlo(b, { samples: 10, seed: 1 })).toThrow(/formula "f" reads "a"/);
  });
});

describe("checkAlternatives' argument", () => {
  // Wrong on purpose: what plain JavaScript can pass and TypeScript would refuse.
  const wrong = (value: unknown) => value as never;
  const expected =
    "alternatives: expected a list of { name, patch }, a Monte-Carlo run's alternatives (an empty list for none); got";
  it.each([
    ["nothing", undefined, "nothing"],
    ["null", null, "null"],
    ["one alternative, not in a list", { name: "trimmed", patch: {} }, "an object"],
  ])("refuses %s, naming it", (_, value, got) => {
    expect(argumentIssues(() => checkAlternatives(wrong(value)))).toEqual([`${expected} ${got}`]);
  });
});
