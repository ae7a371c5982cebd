import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import type { InputError } from "../input-error.js";
import { add, cmp, div, parseDecimal } from "../rational.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { syntheticYear } from "./_test-synthetic.js";
import { bruteForce, parentYear, read, segmentAt } from "./_test-weight-sweep.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { createBaseline } from "./baseline.js";
import { runScenario } from "./run-scenario.js";
import { SweepNotLinearError } from "./sweep-not-linear-error.js";
import { sweepDefaults, type WeightSweepOptions } from "./sweep-options.js";
import { weightSweep } from "./weight-sweep.js";

const { scheme, dataset } = await loadSeed2018();

describe("weightSweep", () => {
  const seed = createBaseline(scheme, dataset);

  it("agrees with re-evaluation on either side of every breakpoint (seed year, public evaluation)", () => {
    const { sweep, checked } = bruteForce(seed, { category: "public", from: 0, to: 100 });
    expect(checked).toBeGreaterThan(100);
    expect(sweep.units.some((u) => u.breakpoints.length > 0)).toBe(true);
    expect(sweep.rounding).toBe("unrounded");
  });

  it("agrees with re-evaluation for organ construction and business work", () => {
    expect(bruteForce(seed, { category: "organ", from: 0, to: 60 }).checked).toBeGreaterThan(0);
    expect(bruteForce(seed, { category: "business", from: 10, to: 40 }).checked).toBeGreaterThan(0);
  });

  it("agrees with re-evaluation when the other categories are rescaled to keep the total", () => {
    const { checked } = bruteForce(seed, { category: "public", from: 0, to: 100, others: "rescale" });
    expect(checked).toBeGreaterThan(0);
  });

  it("agrees with re-evaluation when one category gives the points the swept one gains", () => {
    const { sweep, checked } = bruteForce(seed, { category: "public", others: "transfer", donor: "organ" });
    expect(checked).toBeGreaterThan(29 * 10);
    // Organ construction has 30 points to give: public runs from 0 to 70 by default.
    expect([sweep.from, sweep.to, sweep.others, sweep.donor]).toEqual(["0", "70", "transfer", "organ"]);
    expect(
      bruteForce(seed, { category: "organ", from: "12.5", to: 55, others: "transfer", donor: "business" })
        .checked,
    ).toBeGreaterThan(29);
  });

  it("follows the 2019 reform as one point of a transfer from organ construction to public evaluation", () => {
    const sweep = weightSweep(seed, { category: "public", others: "transfer", donor: "organ" });
    const reform = runScenario(seed, {
      name: "2019 reform, unrounded",
      patch: { categories: { public: { points: 50 }, organ: { points: 20 } }, rounding: { stages: [] } },
    });
    const at50 = new Map(sweep.units.map((u) => [u.unit, segmentAt(u.segments, parseDecimal(50))]));
    for (const s of reform.standings) expect([s.unit, at50.get(s.unit)!.rank]).toEqual([s.unit, s.rank]);
  });

  it("agrees with re-evaluation with roll-ups that stay linear", () => {
    for (const rollup of ["total", "category"] as const) {
      const y = syntheticYear(60, 2, 5, { rollup });
      const b = createBaseline(y.scheme, y.dataset);
      expect(bruteForce(b, { category: "public", from: 0, to: 80 }).checked).toBeGreaterThan(0);
    }
    // Two years re-evaluated at and between every breakpoint: ~10 s on a loaded 2-core machine.
  }, 60_000);

  it("agrees with re-evaluation when sub-units' totals roll into a total under a bonus cap", () => {
    // The total's maximum moves with the swept points; a sub-unit's share of it, applied to it,
    // is its total, so the parent's total stays linear.
    const y = syntheticYear(60, 2, 5, { rollup: "totals", bonuses: true });
    const b = createBaseline(y.scheme, y.dataset);
    expect(bruteForce(b, { category: "public", from: 0, to: 80 }).checked).toBeGreaterThan(0);
    expect(bruteForce(b, { category: "public", from: 0, to: 80, others: "rescale" }).checked).toBeGreaterThan(
      0,
    );
  }, 60_000);

  it("agrees with re-evaluation when sub-units without a result are left out, count as 0 or leave none", () => {
    const cases = [
      ["category", "zero"],
      ["category", "insufficient"],
      ["total", "renormalize"],
      ["total", "zero"],
      ["totals", "zero"],
      ["totals", "insufficient"],
    ] as const;
    for (const [rollup, missingSubUnit] of cases) {
      const y = syntheticYear(40, 2, 5, {
        rollup,
        missingSubUnit,
        subUnitsWithoutResult: true,
        bonuses: rollup === "totals",
      });
      const b = createBaseline(y.scheme, y.dataset);
      // Public evaluation swept from 0, where the roll-ups that read it have nothing to read.
      const { sweep, checked } = bruteForce(b, { category: "public", from: 0, to: 80 });
      expect(checked).toBeGreaterThan(0);
      const none = sweep.units.filter((u) => u.segments.length === 0).length;
      if (missingSubUnit === "insufficient") expect(none).toBeGreaterThan(0);
    }
    const y = syntheticYear(40, 2, 5, {
      rollup: "total",
      missingSubUnit: "zero",
      subUnitsWithoutResult: true,
    });
    const b = createBaseline(y.scheme, y.dataset);
    expect(bruteForce(b, { category: "business", others: "rescale" }).checked).toBeGreaterThan(0);
  }, 120_000);

  it("follows the threshold grades of units in unranked groups, and agrees with re-evaluation", () => {
    const y = syntheticYear(60, 2, 5);
    y.scheme.groups = y.scheme.groups.map((g) => (g.id === "G02" ? { ...g, ranked: false } : g));
    const b = createBaseline(y.scheme, y.dataset);
    const { sweep, checked } = bruteForce(b, { category: "public", from: 0, to: 80 });
    expect(checked).toBeGreaterThan(0);
    const outside = sweep.units.filter((u) => u.group === "G02");
    expect(outside.every((u) => u.segments.every((s) => s.rank === null))).toBe(true);
    // Thresholds at 60 (pass) and 75 (good) move grades as public evaluation's points do.
    expect(outside.some((u) => u.breakpoints.length > 0)).toBe(true);
    for (const u of outside.filter((x) => x.segments.length > 0)) {
      expect(u.nominal?.rank).toBeNull();
      const s = u.stability!;
      expect(cmp(read(s.from), parseDecimal(40))).toBeLessThanOrEqual(0);
      expect(cmp(read(s.to), parseDecimal(40))).toBeGreaterThanOrEqual(0);
    }
  }, 30_000);

  it("makes a unit's segments, breakpoints and stability when read, as plain fields whatever the order", () => {
    const y = syntheticYear(40, 2, 7);
    y.scheme.groups = y.scheme.groups.map((g) => (g.id === "G02" ? { ...g, ranked: false } : g));
    const b = createBaseline(y.scheme, y.dataset);
    const options = { category: "public", from: 0, to: 80 };
    const first = weightSweep(b, options);
    const later = weightSweep(b, options);
    // Read one sweep's rows stability first, the other's segments first: both walks and thresholds.
    expect(new Set(first.units.map((u) => u.group)).size).toBe(2);
    const stabilities = first.units.map((u) => u.stability);
    const segments = later.units.map((u) => u.segments);
    expect(later.units.map((u) => u.stability)).toEqual(stabilities);
    expect(first.units.map((u) => u.segments)).toEqual(segments);
    expect(first.units.some((u) => u.breakpoints.length > 0)).toBe(true);
    const u = first.units[0]!;
    expect(Object.keys(u)).toEqual([
      "unit",
      "name",
      "group",
      "segments",
      "breakpoints",
      "nominal",
      "stability",
    ]);
    expect(u.segments).toBe(u.segments);
    const plain = JSON.parse(JSON.stringify(first));
    expect(first.units.map((r) => ({ ...r }))).toEqual(plain.units);
    // Fields stay assignable, as plain data's are.
    u.segments = [];
    u.breakpoints = [];
    u.stability = null;
    expect([u.segments, u.breakpoints, u.stability]).toEqual([[], [], null]);
  });

  it("rolls sub-units up from a category whose nominal points are 0", () => {
    // At a = 0 the roll-up has nothing to read; anywhere above, P takes half its sub-unit's share.
    const zero = parentYear(
      [0, 100],
      { id: "r", source: { category: "a" }, share: 0.5, into: { category: "a" } },
      { P: [0, 50], C: [100, 50], Q: [30, 50] },
    );
    // P = 50 + 0.5·x, Q = 50 + 0.3·x: P leads from the start of the range.
    const p = weightSweep(zero, { category: "a", from: 0, to: 100 }).units.find((u) => u.unit === "P")!;
    expect(p.segments.map((s) => [s.from, s.to, s.rank])).toEqual([["0", "100", 1]]);
    expect(bruteForce(zero, { category: "a", from: 0, to: 100 }).checked).toBeGreaterThan(0);
  });

  it("sweeps a category beside a formula that reads only fixed categories, and refuses one it moves", () => {
    // f reads b's points: sweeping a with b fixed leaves f's value where it was; sweeping b
    // (or rescaling b with a) moves it in a way no line describes.
    const formula = createBaseline(
      {
        id: "s",
        version: 1,
        name: "s",
        categories: [
          { id: "a", name: "A", points: 50, method: { kind: "direct", outOf: 100 } },
          { id: "b", name: "B", points: 30, method: { kind: "direct", outOf: 100 } },
          { id: "f", name: "F", points: 20, method: { kind: "formula", expression: "b", max: 30 } },
        ],
        groups: [{ id: "g", name: "g" }],
        grades: { rules: [{ id: "top", name: "top", quota: { count: 1 } }] },
        rounding: { stages: [] },
      },
      {
        units: ["u1", "u2", "u3"].map((id) => ({ id, name: id, group: "g" })),
        scores: [
          { unit: "u1", category: "a", value: 90 },
          { unit: "u1", category: "b", value: 20 },
          { unit: "u2", category: "a", value: 40 },
          { unit: "u2", category: "b", value: 100 },
          { unit: "u3", category: "a", value: 60 },
          { unit: "u3", category: "b", value: 60 },
        ],
      },
    );
    const { sweep, checked } = bruteForce(formula, { category: "a", from: 0, to: 100 });
    expect(sweep.units.every((u) => u.segments.length > 0 && u.nominal !== null)).toBe(true);
    expect(checked).toBeGreaterThan(0);
    expect(() => weightSweep(formula, { category: "b" })).toThrow(/formula "f" reads "b"/);
    expect(() => weightSweep(formula, { category: "a", others: "rescale" })).toThrow(SweepNotLinearError);
  });

  it("sweeps only the groups asked for, each unit as in a sweep of every group", () => {
    // Sub-units sit in the other group than their parent: a group's parents still read them.
    for (const rollup of ["total", "category", "totals"] as const) {
      const y = syntheticYear(40, 2, 3, { rollup });
      const b = createBaseline(y.scheme, y.dataset);
      for (const others of ["fixed", "rescale"] as const) {
        const all = weightSweep(b, { category: "public", others });
        expect(all.groups).toBeNull();
        for (const groups of [["G01"], ["G02"], ["G02", "G01", "G02"]]) {
          const some = weightSweep(b, { category: "public", others, groups });
          const wanted = new Set(groups);
          expect(some.groups).toEqual(["G01", "G02"].filter((g) => wanted.has(g)));
          expect(some.units).toEqual(all.units.filter((u) => wanted.has(u.group)));
          expect(some.units.length).toBeGreaterThan(0);
        }
      }
    }
    // A sweep of an unranked group: its units follow their threshold grades alone.
    const y = syntheticYear(40, 2, 3, { rollup: "total" });
    y.scheme.groups = y.scheme.groups.map((g) => (g.id === "G02" ? { ...g, ranked: false } : g));
    const b = createBaseline(y.scheme, y.dataset);
    const all = weightSweep(b, { category: "public" });
    for (const id of ["G01", "G02"])
      expect(weightSweep(b, { category: "public", groups: [id] }).units).toEqual(
        all.units.filter((u) => u.group === id),
      );
  });

  it("names each unknown group, and an empty list, instead of sweeping nothing", () => {
    expect(() => weightSweep(seed, { category: "public", groups: [] })).toThrow(
      /groups: must name at least one group/,
    );
    const error = (() => {
      try {
        weightSweep(seed, {
          category: "public",
          groups: ["nope", seed.compiled.scheme.groups[0]!.id, "gone"],
        });
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(error?.issues).toEqual([
      { path: ["groups", 0], message: 'unknown group "nope" (known: law-enforcement)' },
      { path: ["groups", 2], message: 'unknown group "gone" (known: law-enforcement)' },
    ]);
  });

  it("names a group that is no id instead of failing to quote it", () => {
    const groups = [seed.compiled.scheme.groups[0]!.id, JSON.parse('{ "toString": 0 }'), 5];
    expect(() => weightSweep(seed, { category: "public", groups })).toThrow(
      /^invalid weight sweep options \(2 problems\):\n {2}groups\[1\]: must be a group id\n {2}groups\[2\]: must be a group id$/,
    );
  });

  it("names a bad option instead of guessing", () => {
    expect(() => weightSweep(seed, { category: "public", others: "Fixed" as never })).toThrow(
      /others: must be "fixed", "rescale" or "transfer"/,
    );
    expect(() => weightSweep(seed, { category: "public", to: "lots" })).toThrow(/to: not a decimal number/);
  });

  it("names an option it does not read, and options that are no object", () => {
    // A misspelt "from" would otherwise sweep the default range without a word.
    expect(() => weightSweep(seed, { category: "public", form: 30 } as never)).toThrow(
      /^invalid weight sweep options \(1 problem\):\n {2}form: unknown option \(misspelt\?\); known: category, from, to, others, donor, groups$/,
    );
    expect(() => weightSweep(seed, null as never)).toThrow(/\(root\): must be an object of options/);
  });

  it("names a category that is no id instead of failing to quote it", () => {
    // JSON can give an object whose toString is no function: quoting it threw a TypeError.
    expect(() => weightSweep(seed, { category: JSON.parse('{ "toString": 0 }') })).toThrow(
      /^invalid weight sweep options \(1 problem\):\n {2}category: must be a category id$/,
    );
  });

  it("says a category left out is required, in the sweep's options", () => {
    expect(() => weightSweep(seed, {} as never)).toThrow(
      /^invalid weight sweep options \(1 problem\):\n {2}category: is required and must be a category id$/,
    );
  });

  it("names an end past the other, left-out end at the end given, saying where the other defaults to", () => {
    const issues = (options: WeightSweepOptions) => {
      try {
        weightSweep(seed, options);
      } catch (e) {
        return (e as InputError).issues;
      }
      return null;
    };
    expect(issues({ category: "public", from: 200 })).toEqual([
      {
        path: ["from"],
        message: "must be below the scheme's total of 100, where the sweep ends when to is left out",
      },
    ]);
    expect(issues({ category: "public", others: "transfer", donor: "organ", from: 80 })).toEqual([
      {
        path: ["from"],
        message:
          'must be below 70, the points of "public" and "organ" together, since "organ" gives the points',
      },
    ]);
    expect(issues({ category: "public", others: "rescale", from: 100 })).toEqual([
      { path: ["from"], message: "must be below the scheme's total of 100 when the others are rescaled" },
    ]);
    expect(issues({ category: "public", to: 0 })).toEqual([
      { path: ["to"], message: "must be greater than 0, where the sweep starts when from is left out" },
    ]);
    // Neither end given, nor a start that could help: the donor is the one to change.
    const none = createBaseline(
      directScheme({
        categories: directScheme().categories.map((c) => ({ ...c, points: c.id === "public" ? 100 : 0 })),
      }),
      directDataset([
        ["20", "20", "60"],
        ["25", "15", "80"],
      ]),
    );
    for (const from of [undefined, 0])
      expect(() =>
        weightSweep(none, {
          category: "business",
          others: "transfer",
          donor: "organ",
          ...(from === undefined ? {} : { from }),
        }),
      ).toThrow(
        /^invalid weight sweep options \(1 problem\):\n {2}donor: has no points to give: "business" and "organ" have 0 points together$/,
      );
    // Both ends given: the end is the one out of place.
    expect(issues({ category: "public", from: 60, to: 30 })).toEqual([
      { path: ["to"], message: "must be greater than from" },
    ]);
  });

  it("names others, not to, when no other category has points to rescale", () => {
    const alone = createBaseline(
      {
        id: "s",
        version: 1,
        name: "s",
        categories: [
          { id: "a", name: "A", points: 100, method: { kind: "direct" } },
          { id: "b", name: "B", points: 0, method: { kind: "direct", outOf: 100 } },
        ],
        groups: [{ id: "g", name: "g" }],
      },
      {
        units: ["u1", "u2"].map((id) => ({ id, name: id, group: "g" })),
        scores: ["u1", "u2"].flatMap((unit, i) => [
          { unit, category: "a", value: 50 + i },
          { unit, category: "b", value: 60 - i },
        ]),
      },
    );
    expect(() => weightSweep(alone, { category: "a", from: 0, to: 80, others: "rescale" })).toThrow(
      /^invalid weight sweep options \(1 problem\):\n {2}others: .*"a" holds all of the scheme's 100 points/,
    );
    expect(() => weightSweep(seed, { category: "public", to: 120, others: "rescale" })).toThrow(
      /^invalid weight sweep options \(1 problem\):\n {2}to: must be at most the scheme's total of 100/,
    );
  });

  it("sweeps from 0 the one category with points: at 0 alone every unit totals 0 and shares first place", () => {
    // Kept, not refused: 0 is the default start, and a range reaching it says where the ranking
    // begins. The end itself is a point of its own, a scheme that a scenario would refuse.
    const only = createBaseline(
      directScheme({
        categories: directScheme().categories.map((c) => ({ ...c, points: c.id === "public" ? 40 : 0 })),
      }),
      directDataset([
        ["20", "20", "60"],
        ["25", "15", "80"],
      ]),
    );
    const r = weightSweep(only, { category: "public" });
    expect(
      r.units.map((u) => [u.unit, u.segments.map((s) => [s.from, s.to, s.includesFrom, s.rank])]),
    ).toEqual([
      [
        "U1",
        [
          ["0", "0", true, 1],
          ["0", "40", false, 2],
        ],
      ],
      ["U2", [["0", "40", true, 1]]],
    ]);
    expect(() =>
      runScenario(only, { name: "none", patch: { categories: { public: { points: 0 } } } }),
    ).toThrow(/patch\.categories: the categories' points add up to 0: no unit could score/);
  });

  it("names a donor that is missing, unknown, the category itself, or given without a transfer", () => {
    const problem = (options: WeightSweepOptions) => {
      try {
        weightSweep(seed, options);
      } catch (e) {
        return (e as InputError).issues;
      }
      return null;
    };
    expect(problem({ category: "public", others: "transfer" })).toEqual([
      {
        path: ["donor"],
        message: 'is required when others is "transfer": the category that gives the points',
      },
    ]);
    expect(problem({ category: "public", others: "transfer", donor: "orgn" })).toEqual([
      { path: ["donor"], message: 'unknown category "orgn"; did you mean "organ"?' },
    ]);
    expect(problem({ category: "public", others: "transfer", donor: "public" })).toEqual([
      { path: ["donor"], message: 'must be another category than the one swept ("public")' },
    ]);
    expect(problem({ category: "public", donor: "organ" })).toEqual([
      { path: ["donor"], message: 'gives points only when others is "transfer" (others is "fixed")' },
    ]);
    expect(
      problem({ category: "public", others: "transfer", donor: JSON.parse('{ "toString": 0 }') }),
    ).toEqual([{ path: ["donor"], message: "must be a category id" }]);
    // Organ construction's 30 points are all it can give.
    expect(problem({ category: "public", others: "transfer", donor: "organ", to: "70.01" })).toEqual([
      {
        path: ["to"],
        message:
          'must be at most 70, the points of "public" and "organ" together, since "organ" gives the points',
      },
    ]);
    expect(sweepDefaults(seed, { category: "public", others: "transfer", donor: "organ" })).toEqual({
      from: "0",
      to: "70",
    });
    expect(sweepDefaults(seed, { category: "public", others: "transfer", donor: "nope" })).toEqual(
      sweepDefaults(seed),
    );
  });

  it("puts the anchor unit's nominal inside its stability interval", () => {
    const sweep = weightSweep(seed, { category: "public" });
    const u = sweep.units.find((x) => x.unit === "U09")!;
    expect(u.nominal?.rank).toBeGreaterThan(0);
    expect(cmp(read(u.stability!.from), parseDecimal(40))).toBeLessThanOrEqual(0);
    expect(cmp(read(u.stability!.to), parseDecimal(40))).toBeGreaterThanOrEqual(0);
  });

  describe("with a quota over all ranked units (scope overall)", () => {
    // "25 of the city's ranked units are rated excellent": one quota across every group, while
    // ranks stay by group. Grades then move where units of different groups cross.
    const overall = (s: SchemeInput, extra: object = {}): SchemeInput => ({
      ...s,
      grades: {
        ...s.grades!,
        rules: (s.grades!.rules ?? []).map((r) =>
          r.quota ? { ...r, quota: { ...r.quota, scope: "overall" as const, ...extra } } : r,
        ),
      },
    });

    it("agrees with re-evaluation across four groups, fixed, rescaled and transferred", () => {
      const y = syntheticYear(60, 4, 3);
      const b = createBaseline(overall(y.scheme), y.dataset);
      const fixed = bruteForce(b, { category: "public" });
      expect(fixed.checked).toBeGreaterThan(100);
      // Grades follow the order of all groups together: some change where the unit's rank does not.
      expect(
        fixed.sweep.units.some((u) => u.segments.some((s, i) => i > 0 && s.rank === u.segments[i - 1]!.rank)),
      ).toBe(true);
      expect(bruteForce(b, { category: "organ", others: "rescale" }).checked).toBeGreaterThan(0);
      expect(
        bruteForce(b, { category: "public", others: "transfer", donor: "organ" }).checked,
      ).toBeGreaterThan(0);
    }, 30_000);

    it("agrees with re-evaluation for synthetic years with roll-ups and a percent of the admitted units", () => {
      for (const rollup of ["total", "category"] as const) {
        const y = syntheticYear(60, 4, 7, { rollup });
        for (const extra of [{}, { of: "admitted" }]) {
          const b = createBaseline(overall(y.scheme, extra), y.dataset);
          expect(bruteForce(b, { category: "public" }).checked).toBeGreaterThan(0);
        }
      }
    }, 30_000);

    it("reports the groups asked for as in a sweep of every group", () => {
      const y = syntheticYear(40, 2, 3, { rollup: "total" });
      const b = createBaseline(overall(y.scheme), y.dataset);
      const all = weightSweep(b, { category: "public" });
      const one = weightSweep(b, { category: "public", groups: ["G02"] });
      expect(one.units).toEqual(all.units.filter((u) => u.group === "G02"));
    });

    it("refuses a scheme with quotas of both scopes", () => {
      const s = overall(scheme as SchemeInput);
      const mixed: SchemeInput = {
        ...s,
        grades: {
          ...s.grades!,
          rules: [
            ...(s.grades!.rules ?? []),
            { id: "last", name: "last", quota: { count: 1, from: "bottom" } },
          ],
        },
      };
      expect(() => weightSweep(createBaseline(mixed, dataset), { category: "public" })).toThrow(
        /quotas within groups and over all ranked units/,
      );
    });
  });

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
    /** The grade of every segment in which its unit is its group's last (of more than one rank). */
    const lastGrades = (sweep: ReturnType<typeof weightSweep>) => {
      const grades: (string | null)[] = [];
      for (const u of sweep.units)
        for (const g of u.segments) {
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
  });

  describe("with one quota over all ranked units, first and without a threshold (walked at its boundary)", () => {
    // "The best 30% of the city's units are excellent", then thresholds: only units near the
    // quota's boundary are walked, slab by slab (quota-boundary.ts).
    const boundary = (s: SchemeInput, quota: object = { percent: 30 }): SchemeInput => ({
      ...s,
      grades: {
        ...s.grades!,
        rules: (s.grades!.rules ?? []).map((r) =>
          r.id === "excellent"
            ? { ...r, quota: { ...quota, scope: "overall" as const } }
            : { ...r, quota: undefined },
        ),
      },
    });
    // The same grades through the walk over every ranked unit: a second quota of no places
    // takes no one, but the boundary walk does not apply to two quotas.
    const everyUnit = (s: SchemeInput): SchemeInput => ({
      ...s,
      grades: {
        ...s.grades!,
        rules: [
          ...(s.grades!.rules ?? []),
          { id: "none", name: "none", quota: { count: 0, scope: "overall" } },
        ],
      },
    });

    it("agrees with re-evaluation, with roll-ups, a count, and a percent of the eligible units", () => {
      for (const rollup of [undefined, "total", "category"] as const) {
        const y = syntheticYear(60, 4, 11, rollup ? { rollup } : {});
        for (const quota of [{ percent: 30 }, { count: 7 }, { percent: 25, of: "admitted" }]) {
          const b = createBaseline(boundary(y.scheme, quota), y.dataset);
          const { sweep, checked } = bruteForce(b, { category: "public" });
          expect(checked).toBeGreaterThan(0);
          // The quota moves between groups: some unit gains or loses it somewhere on the range.
          expect(
            sweep.units.some((u) => new Set(u.segments.map((g) => g.grade === "excellent")).size > 1),
          ).toBe(true);
        }
      }
      const y = syntheticYear(60, 4, 12, { rollup: "total" });
      const b = createBaseline(boundary(y.scheme), y.dataset);
      expect(bruteForce(b, { category: "organ", others: "rescale" }).checked).toBeGreaterThan(0);
      expect(
        bruteForce(b, { category: "public", others: "transfer", donor: "organ" }).checked,
      ).toBeGreaterThan(0);
    }, 60_000);

    it("grades as the walk over every ranked unit does, at a few hundred units", () => {
      for (const [seed, rollup] of [
        [21, undefined],
        [22, "total"],
        [23, "category"],
      ] as const) {
        const y = syntheticYear(320, 8, seed, rollup ? { rollup } : {});
        const fast = createBaseline(boundary(y.scheme), y.dataset);
        const slow = createBaseline(everyUnit(boundary(y.scheme)), y.dataset);
        for (const options of [
          { category: "public" },
          { category: "business", from: "10", to: "45" },
          { category: "public", others: "transfer" as const, donor: "organ" },
        ]) {
          const a = weightSweep(fast, options);
          expect(a.units).toEqual(weightSweep(slow, options).units);
          expect(a.units.some((u) => u.segments.some((g) => g.grade === "excellent"))).toBe(true);
        }
      }
    }, 120_000);

    it("grades as the walk over every ranked unit does where totals are bunched, or all one", () => {
      // The same survey answers everywhere and direct scores within a fifth of a point: every
      // unit is within a point of the boundary; then every unit alike, near it in every slab,
      // where the boundary walk leaves the grades to the walk of every unit.
      for (const spread of [21, 1]) {
        const y = syntheticYear(160, 4, 41);
        const model = y.dataset.surveyTallies!.filter((t) => t.unit === y.dataset.units[0]!.id);
        y.dataset.surveyTallies = y.dataset.units.flatMap((u) => model.map((t) => ({ ...t, unit: u.id })));
        y.dataset.scores = y.dataset.scores!.map((s, k) => ({
          ...s,
          value: 25 + ((k * 7919) % spread) / 100,
        }));
        y.dataset.findings = [];
        const fast = createBaseline(boundary(y.scheme), y.dataset);
        const slow = createBaseline(everyUnit(boundary(y.scheme)), y.dataset);
        for (const options of [{ category: "public" }, { category: "organ", others: "rescale" as const }]) {
          const a = weightSweep(fast, options);
          expect(a.units).toEqual(weightSweep(slow, options).units);
          expect(a.units.some((u) => u.segments.some((g) => g.grade === "excellent"))).toBe(true);
        }
      }
    }, 120_000);

    it("walks every unit when a veto places an eligible unit last, which the boundary walk cannot", () => {
      const y = syntheticYear(120, 4, 31);
      const lastButEligible = (s: SchemeInput): SchemeInput => ({
        ...s,
        vetoTypes: [
          { id: "incident", name: "major incident", forceLast: true, ineligibleForExcellence: false },
        ],
      });
      const fast = createBaseline(lastButEligible(boundary(y.scheme, { count: 118 })), y.dataset);
      const slow = createBaseline(everyUnit(lastButEligible(boundary(y.scheme, { count: 118 }))), y.dataset);
      expect(y.dataset.vetoEvents!.length).toBeGreaterThan(0);
      expect(weightSweep(fast, { category: "public" }).units).toEqual(
        weightSweep(slow, { category: "public" }).units,
      );
    });
  });

  it("refuses roll-ups that would make totals non-linear", () => {
    const y = syntheticYear(40, 2, 5, { rollup: "median" });
    const b = createBaseline(y.scheme, y.dataset);
    // the median of sub-units' public shares is constant unless sub-units have public deductions
    expect(() => weightSweep(b, { category: "public" })).not.toThrow();
    const withHits = createBaseline(
      {
        ...y.scheme,
        findingTypes: [{ id: "c", name: "c", category: "public", levels: { city: { perFinding: 5 } } }],
      },
      {
        ...y.dataset,
        findings: y.dataset.units.map((u, i) => ({ id: `f${i}`, unit: u.id, type: "c", level: "city" })),
      },
    );
    expect(() => weightSweep(withHits, { category: "public" })).toThrow(SweepNotLinearError);
  });
});

describe("weightSweep at exact tie points", () => {
  // Business sweeps 15…40 points (scores of 30); lines cross at x = 20, where A = B = 60.
  const rows = (extra: [number, number, number][] = []) =>
    directDataset([
      [30, 30, 100], // U1: x + 70, first everywhere
      [30, 0, 100], // U2 "A": x + 40
      [0, 20, 100], // U3 "B": 60
      [0, 10, 100], // U4: 50
      [0, 5, 100], // U5: 45
      [0, 0, 100], // U6: 40
      ...extra,
    ]);
  const quotas = directScheme({
    grades: {
      rules: [
        { id: "excellent", name: "优秀", quota: { count: 2 } },
        { id: "good", name: "良好", quota: { count: 2 } },
      ],
      fallback: { id: "pass", name: "合格" },
    },
  });
  const options = { category: "business", from: 15, to: 40 };

  it("gives a third unit the grade it has only where two units tie at a quota's last place", () => {
    // Tied for second, U2 and U3 both take an excellent place, so the good places go one unit
    // further down: U5 is good at x = 20 only.
    const b = createBaseline(quotas, rows());
    const { sweep } = bruteForce(b, options);
    const unit = (id: string) => sweep.units.find((u) => u.unit === id)!;
    expect(unit("U5").segments).toEqual([
      { from: "15", to: "20", includesFrom: true, includesTo: false, rank: 5, grade: "pass" },
      { from: "20", to: "20", includesFrom: true, includesTo: true, rank: 5, grade: "good" },
      { from: "20", to: "40", includesFrom: false, includesTo: true, rank: 5, grade: "pass" },
    ]);
    expect(unit("U5").breakpoints).toEqual(["20"]);
    // The nominal 30 is pass: from just after 20, not through it.
    expect(unit("U5").stability).toEqual({ from: "20", to: "40", includesFrom: false, includesTo: true });
    // Below both tied units, U4 keeps its competition rank (1 + the three units ahead).
    expect(unit("U4").segments).toEqual([
      { from: "15", to: "40", includesFrom: true, includesTo: true, rank: 4, grade: "good" },
    ]);
    // Each tied unit holds the better rank at 20: U2 from there on, U3 up to there.
    expect(unit("U2").segments.map((s) => [s.from, s.to, s.includesFrom, s.includesTo, s.rank])).toEqual([
      ["15", "20", true, false, 3],
      ["20", "40", true, true, 2],
    ]);
    expect(unit("U3").segments.map((s) => [s.from, s.to, s.includesFrom, s.includesTo, s.rank])).toEqual([
      ["15", "20", true, true, 2],
      ["20", "40", false, true, 3],
    ]);
  });

  it("gives the middle of three units meeting at one point the better rank there only", () => {
    // U7 = x/2 + 50 is between U3 and U2 on either side of 20, and tied with both at 20.
    const b = createBaseline(quotas, rows([[15, 10, 100]]));
    const { sweep } = bruteForce(b, options);
    const u7 = sweep.units.find((u) => u.unit === "U7")!;
    expect(u7.segments.map((s) => [s.from, s.to, s.rank, s.grade])).toEqual([
      ["15", "20", 3, "good"],
      ["20", "20", 2, "excellent"],
      ["20", "40", 3, "good"],
    ]);
    expect(u7.stability).toEqual({ from: "20", to: "40", includesFrom: false, includesTo: true });
  });

  it("holds a unit's state at the range's ends, where a tie is no crossing", () => {
    // From 20: the tie at the start is the sweep's first point.
    const b = createBaseline(quotas, rows());
    const { sweep } = bruteForce(b, { category: "business", from: 20, to: 40 });
    expect(sweep.units.find((u) => u.unit === "U5")!.segments.map((s) => [s.from, s.to, s.grade])).toEqual([
      ["20", "20", "good"],
      ["20", "40", "pass"],
    ]);
  });
});

describe("weightSweep where a roll-up's source category is worth 0 points", () => {
  // P's sub-unit C scores 100 on a; the roll-up gives P half of that share of b. Where a is
  // worth 0 a fresh evaluation has no share to read and skips the roll-up: P keeps its own b.
  const year = (aPoints: number) =>
    createBaseline(
      {
        id: "s",
        version: 1,
        name: "s",
        categories: [
          { id: "a", name: "A", points: aPoints, method: { kind: "direct", outOf: 100 } },
          { id: "b", name: "B", points: 80, method: { kind: "direct", outOf: 100 } },
          { id: "c", name: "C", points: 20, method: { kind: "direct", outOf: 100 } },
        ],
        rollups: [{ id: "r", source: { category: "a" }, share: 0.5, into: { category: "b" } }],
        ranking: { tieBreakers: [{ category: "b" }] },
        groups: [
          { id: "g1", name: "G1" },
          { id: "solo", name: "solo", ranked: false },
          { id: "subs", name: "subs", ranked: false },
        ],
        grades: {
          rules: [
            { id: "top", name: "top", quota: { count: 1 } },
            { id: "good", name: "good", minTotal: 70 },
          ],
          fallback: { id: "pass", name: "pass" },
        },
        rounding: { stages: [] },
      },
      {
        units: [
          { id: "P", name: "P", group: "g1" },
          { id: "C", name: "C", group: "subs", parent: "P" },
          { id: "Q", name: "Q", group: "g1" },
          { id: "R", name: "R", group: "solo" },
          { id: "D", name: "D", group: "subs", parent: "R" },
        ],
        scores: [
          ["P", 0, 50, 100],
          ["C", 100, 0, 0],
          ["Q", 0, 75, 0],
          ["R", 0, 50, 100],
          ["D", 100, 0, 0],
        ].flatMap(([unit, a, b, c]) => [
          { unit: unit as string, category: "a", value: a as number },
          { unit: unit as string, category: "b", value: b as number },
          { unit: unit as string, category: "c", value: c as number },
        ]),
      },
    );
  const unit = (sweep: { units: { unit: string }[] }, id: string) =>
    sweep.units.find((u) => u.unit === id) as ReturnType<typeof weightSweep>["units"][number];

  it("reports at x = 0 the evaluation's rank and grade, with the roll-up skipped there", () => {
    // Above 0: P = 20 + 40 + 20 = 80 leads Q = 60. At 0: P = 40 + 20 = 60 ties Q on totals and
    // loses on the tie-breaker b (40 against 60); the line's limit would keep P first.
    const { sweep } = bruteForce(year(20), { category: "a" });
    expect(unit(sweep, "P").segments).toEqual([
      { from: "0", to: "0", includesFrom: true, includesTo: true, rank: 2, grade: "pass" },
      { from: "0", to: "120", includesFrom: false, includesTo: true, rank: 1, grade: "top" },
    ]);
    expect(unit(sweep, "Q").segments).toEqual([
      { from: "0", to: "0", includesFrom: true, includesTo: true, rank: 1, grade: "top" },
      { from: "0", to: "120", includesFrom: false, includesTo: true, rank: 2, grade: "pass" },
    ]);
    expect(unit(sweep, "P").breakpoints).toEqual(["0"]);
    // The stability interval around the nominal 20 stops short of 0.
    expect(unit(sweep, "P").stability).toEqual({
      from: "0",
      to: "120",
      includesFrom: false,
      includesTo: true,
    });
    // R, in an unranked group, is good by threshold above 0 only (60 < 70 at 0).
    expect(
      unit(sweep, "R").segments.map((s) => [s.from, s.to, s.includesFrom, s.includesTo, s.grade]),
    ).toEqual([
      ["0", "0", true, true, "pass"],
      ["0", "120", false, true, "good"],
    ]);
  });

  it("gives a nominal of 0 points the evaluation's state and a stability of that point alone", () => {
    const { sweep } = bruteForce(year(0), { category: "a", to: 50 });
    expect(unit(sweep, "P").nominal).toEqual({ rank: 2, grade: "pass" });
    expect(unit(sweep, "P").stability).toEqual({ from: "0", to: "0", includesFrom: true, includesTo: true });
    expect(unit(sweep, "R").nominal).toEqual({ rank: null, grade: "pass" });
    expect(unit(sweep, "R").stability).toEqual({ from: "0", to: "0", includesFrom: true, includesTo: true });
  });

  it("keeps the line where the sweep starts above 0", () => {
    const { sweep } = bruteForce(year(20), { category: "a", from: 10 });
    expect(unit(sweep, "P").segments.map((s) => [s.from, s.to, s.rank])).toEqual([["10", "120", 1]]);
  });

  it("reports the evaluation's state where rescaled categories a roll-up reads reach 0", () => {
    // Sweeping b with a rescaled (a = 100 − x): at b = 100 a is worth 0 and the roll-up into
    // the total is skipped, so P = 50 there against the line's 75, behind Q = 60.
    const rescaled = parentYear(
      [20, 80],
      { id: "r", source: { category: "a" }, share: 0.5, into: { total: true } },
      { P: [0, 50], C: [100, 0], Q: [0, 60] },
      { rules: [{ id: "top", name: "top", quota: { count: 1 } }], fallback: { id: "pass", name: "pass" } },
    );
    const { sweep } = bruteForce(rescaled, { category: "b", others: "rescale" });
    const row = (id: string) =>
      unit(sweep, id).segments.map((s) => [s.from, s.to, s.includesFrom, s.includesTo, s.rank, s.grade]);
    expect(row("P")).toEqual([
      ["0", "100", true, false, 1, "top"],
      ["100", "100", true, true, 2, "pass"],
    ]);
    expect(row("Q")).toEqual([
      ["0", "100", true, false, 2, "pass"],
      ["100", "100", true, true, 1, "top"],
    ]);
    expect(unit(sweep, "P").stability).toEqual({
      from: "0",
      to: "100",
      includesFrom: true,
      includesTo: false,
    });
  });

  it("agrees with re-evaluation for synthetic roll-ups swept from 0 and rescaled to the total", () => {
    const y = syntheticYear(60, 2, 5, { rollup: "total" });
    const b = createBaseline(y.scheme, y.dataset);
    expect(bruteForce(b, { category: "business", others: "rescale" }).checked).toBeGreaterThan(0);
  }, 30_000);
});
