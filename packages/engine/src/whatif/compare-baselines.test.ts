import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Dataset } from "../dataset/dataset.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { createBaseline } from "./baseline.js";
import { compareBaselines } from "./compare-baselines.js";
import { runScenario } from "./run-scenario.js";

const seed = await loadSeed2018();
const copy = (s: unknown) => JSON.parse(JSON.stringify(s)) as SchemeInput;

describe("compareBaselines", () => {
  it("gives what the equivalent scenario gives when a candidate scheme only re-weights", () => {
    const { scheme, dataset } = seed;
    const before = createBaseline(scheme, dataset);
    const candidate = copy(scheme);
    candidate.version = 2;
    candidate.categories[1]!.points = 20;
    candidate.categories[2]!.points = 50;
    const after = createBaseline(candidate, dataset);
    const viaBaselines = compareBaselines(before, after);
    const viaScenario = runScenario(before, {
      name: "reform",
      patch: { categories: { organ: { points: 20 }, public: { points: 50 } } },
    });
    expect(viaBaselines.units).toEqual(viaScenario.units);
    expect(viaBaselines.swaps).toEqual(viaScenario.swaps);
    const anchor = viaBaselines.units.find((u) => u.name === "市市场监督管理局")!;
    expect([anchor.baseline.total, anchor.scenario.total]).toEqual(["84.20", "82.94"]);
  });

  it("selects by a group either scheme has, the baseline's alone included (a version that dropped it)", () => {
    const { scheme, dataset } = seed;
    const withOther = copy(scheme);
    withOther.groups = [...withOther.groups!, { id: "other", name: "Other", ranked: true }];
    const moved: Dataset = {
      ...dataset,
      units: dataset.units.map((u) => (u.id === "U29" ? { ...u, group: "other" } : u)),
    };
    const result = compareBaselines(createBaseline(withOther, moved), createBaseline(scheme, dataset));
    const picked = result.unitChanges.select({ group: "other" }).map((k) => result.unitChanges.at(k).unit);
    expect(picked).toEqual(["U29"]);
    // The other way round, a group only the candidate has, as before.
    const back = compareBaselines(createBaseline(scheme, dataset), createBaseline(withOther, moved));
    expect(back.unitChanges.select({ group: "other" }).map((k) => back.unitChanges.at(k).unit)).toEqual([
      "U29",
    ]);
    expect(() => result.unitChanges.select({ group: "nope" })).toThrow(/unknown group "nope"/);
  });

  it("keeps parts summing to the total change when the candidate drops a category", () => {
    const { scheme, dataset } = seed;
    const candidate = copy(scheme);
    candidate.categories = candidate.categories.filter((c) => c.id !== "organ");
    candidate.categories[0]!.points = 50;
    candidate.categories[1]!.points = 50;
    const noOrgan: Dataset = { ...dataset, scores: dataset.scores!.filter((s) => s.category !== "organ") };
    const result = compareBaselines(createBaseline(scheme, dataset), createBaseline(candidate, noOrgan));
    for (const u of result.units) {
      const sum = u.parts.reduce((s, p) => s + Number(p.delta), 0);
      expect(sum).toBeCloseTo(Number(u.totalDelta), 9);
      for (const p of u.parts)
        expect(Number(p.scenario ?? 0) - Number(p.baseline ?? 0)).toBeCloseTo(Number(p.delta), 9);
    }
  });

  it("gives a dropped category a part of its own, on the whole-units and the exact path alike", () => {
    const { scheme, dataset } = seed;
    const noOrgan: Dataset = { ...dataset, scores: dataset.scores!.filter((s) => s.category !== "organ") };
    for (const stages of [undefined, []]) {
      const base = copy(scheme);
      if (stages) base.rounding = { ...base.rounding, stages };
      const candidate = copy(base);
      candidate.version = 2;
      candidate.categories = candidate.categories.filter((c) => c.id !== "organ");
      const result = compareBaselines(createBaseline(base, dataset), createBaseline(candidate, noOrgan));
      const anchor = result.units.find((u) => u.name === "市市场监督管理局")!;
      expect(anchor.parts.map((p) => p.part)).toEqual([
        "business",
        "public",
        "organ",
        "bonus",
        "total-deductions",
        "total-rounding-and-floor",
      ]);
      const organ = anchor.parts.find((p) => p.part === "organ")!;
      expect(organ).toEqual({
        part: "organ",
        kind: "category",
        name: base.categories.find((c) => c.id === "organ")!.name,
        baseline: "26.94",
        scenario: null,
        delta: "-26.94",
      });
      // Nothing of the dropped points is left to read as rounding.
      expect(anchor.parts.find((p) => p.part === "total-rounding-and-floor")!.delta).toBe("0");
      expect(anchor.totalDelta).toBe("-26.94");
    }
  });

  it("gives a category only the candidate has no baseline side", () => {
    const { scheme, dataset } = seed;
    const candidate = copy(scheme);
    const organ = candidate.categories.find((c) => c.id === "organ")!;
    candidate.categories.push({ ...organ, id: "organ2", name: "机关建设 (again)", points: 10 });
    candidate.categories[2]!.points = 30;
    const doubled: Dataset = {
      ...dataset,
      scores: [
        ...dataset.scores!,
        ...dataset.scores!.filter((s) => s.category === "organ").map((s) => ({ ...s, category: "organ2" })),
      ],
    };
    const result = compareBaselines(createBaseline(scheme, dataset), createBaseline(candidate, doubled));
    const anchor = result.units.find((u) => u.name === "市市场监督管理局")!;
    const added = anchor.parts.find((p) => p.part === "organ2")!;
    expect([added.name, added.baseline]).toEqual(["机关建设 (again)", null]);
    expect(added.scenario).toBe(added.delta);
  });

  it("names units only one side has instead of failing or dropping them", () => {
    const { scheme, dataset } = seed;
    const all = createBaseline(scheme, dataset);
    const gone = dataset.units[0]!.id;
    const fewer = createBaseline(scheme, {
      ...dataset,
      units: dataset.units.slice(1),
      scores: dataset.scores!.filter((s) => s.unit !== gone),
      findings: dataset.findings?.filter((f) => f.unit !== gone),
      bonusEvents: dataset.bonusEvents?.filter((f) => f.unit !== gone),
      vetoEvents: dataset.vetoEvents?.filter((f) => f.unit !== gone),
      surveyTallies: dataset.surveyTallies?.filter((f) => f.unit !== gone),
      ballots: dataset.ballots?.filter((f) => f.unit !== gone),
    });
    expect(() => compareBaselines(all, fewer)).toThrow(`after.units: unit "${gone}" is missing`);
    expect(() => compareBaselines(fewer, all)).toThrow(`after.units: unit "${gone}" is not in the baseline`);
  });
});

/** The seed without the given units and their records. */
function without(dataset: Dataset, gone: ReadonlySet<string>): Dataset {
  const keep = <T extends { unit: string }>(rows: readonly T[] | undefined) =>
    rows?.filter((r) => !gone.has(r.unit));
  return {
    ...dataset,
    units: dataset.units.filter((u) => !gone.has(u.id)),
    scores: keep(dataset.scores),
    findings: keep(dataset.findings),
    bonusEvents: keep(dataset.bonusEvents),
    vetoEvents: keep(dataset.vetoEvents),
    surveyTallies: keep(dataset.surveyTallies),
    ballots: keep(dataset.ballots),
  };
}

describe('compareBaselines with units: "common"', () => {
  const { scheme, dataset } = seed;
  const all = createBaseline(scheme, dataset);
  // U05 ranks first: every ranked unit of its group rises one place without it.
  const gone = "U05";
  const fewer = createBaseline(scheme, without(dataset, new Set([gone])));
  const byUnit = (b: typeof all) => new Map(b.standings.map((s) => [s.unit, s]));

  it("compares the units both sides hold, each as its side ranked it, and lists the others", () => {
    expect(all.standings.find((s) => s.unit === gone)?.rank).toBe(1);
    const result = compareBaselines(all, fewer, { units: "common" });
    expect(result.units.map((u) => u.unit).sort()).toEqual(
      dataset.units
        .map((u) => u.id)
        .filter((id) => id !== gone)
        .sort(),
    );
    expect(result.onlyBefore).toEqual([
      {
        unit: gone,
        name: dataset.units.find((u) => u.id === gone)!.name,
        standing: expect.objectContaining({ rank: 1, group: "law-enforcement" }),
      },
    ]);
    expect(result.onlyAfter).toEqual([]);
    const [b, a] = [byUnit(all), byUnit(fewer)];
    for (const row of result.units) {
      expect(row.baseline.rank).toBe(b.get(row.unit)!.rank);
      expect(row.scenario.rank).toBe(a.get(row.unit)!.rank);
    }
    // Same records, so only the places move: one up for every unit ranked on both sides.
    const ranked = result.units.filter((u) => u.rankDelta !== null);
    expect(ranked.length).toBeGreaterThan(20);
    for (const row of ranked) expect([row.rankDelta, row.totalDelta]).toEqual([-1, "0"]);
    expect(result.swaps).toEqual([]);
    // The order of the shared units did not change; their published places did, every one.
    expect(result.groups[0]).toMatchObject({ spearman: 1, kendallTauB: 1, unitsMoved: ranked.length });
    expect(result.overall.meanAbsoluteRankShift).toBe(1);
  });

  it("refuses two sides without a unit in common rather than agreeing perfectly over none", () => {
    const ids = dataset.units.map((u) => u.id);
    const firstHalf = createBaseline(scheme, without(dataset, new Set(ids.slice(15))));
    const secondHalf = createBaseline(scheme, without(dataset, new Set(ids.slice(0, 15))));
    expect(() => compareBaselines(firstHalf, secondHalf, { units: "common" })).toThrow(
      "after.units: no unit in common with the baseline (its 15 units, 14 here): were the units renumbered?",
    );
  });

  it("says why a unit moved when a unit only one side holds stood above it", () => {
    const down = compareBaselines(all, fewer, { units: "common" });
    const some = down.units.find((u) => u.rankDelta === -1)!;
    expect(down.moveReasons(some.unit)).toEqual([
      {
        kind: "left",
        text: `1 unit ranked in group law-enforcement in the baseline is not ranked there in the scenario, above it: ${gone} (only in the baseline)`,
        units: [gone],
      },
    ]);
    expect(down.moveReasons(gone)).toBeUndefined();
    const up = compareBaselines(fewer, all, { units: "common" });
    expect(up.onlyAfter.map((u) => u.unit)).toEqual([gone]);
    expect(up.onlyBefore).toEqual([]);
    expect(up.moveReasons(some.unit)).toEqual([
      {
        kind: "joined",
        text: `1 unit not ranked in group law-enforcement in the baseline is ranked there in the scenario, above it: ${gone} (only in the scenario)`,
        units: [gone],
      },
    ]);
    // Its eligibility is still read on the side that holds it.
    expect(up.eligibility.scenario(gone)).toBeDefined();
  });

  it("gives what the default gives when both sides hold the same units", () => {
    const candidate = copy(scheme);
    candidate.categories[2]!.points = 50;
    candidate.categories[1]!.points = 20;
    const after = createBaseline(candidate, dataset);
    const common = compareBaselines(all, after, { units: "common" });
    const same = compareBaselines(all, after);
    expect(common.units).toEqual(same.units);
    expect(common.swaps).toEqual(same.swaps);
    expect([common.onlyBefore, common.onlyAfter, same.onlyBefore, same.onlyAfter]).toEqual([[], [], [], []]);
  });

  it("refuses an option it does not know, naming it", () => {
    expect(() => compareBaselines(all, fewer, { units: "all" as "same" })).toThrow(
      'options.units: must be "same" or "common"',
    );
    expect(() => compareBaselines(all, fewer, { unit: "common" } as never)).toThrow(
      "options.unit: unknown option (misspelt?); known: units",
    );
  });

  it("partitions each side's units into shared rows and its own list, whatever either side lacks", () => {
    const ids = dataset.units.map((u) => u.id);
    const made = new Map<string, typeof all>();
    const baselineWithout = (gone: string[]) => {
      const key = [...gone].sort().join(",");
      let b = made.get(key);
      if (!b) {
        b = createBaseline(scheme, without(dataset, new Set(gone)));
        made.set(key, b);
      }
      return b;
    };
    const some = fc.uniqueArray(fc.constantFrom(...ids), { maxLength: 4 });
    fc.assert(
      fc.property(some, some, (goneBefore, goneAfter) => {
        const before = baselineWithout(goneBefore);
        const after = baselineWithout(goneAfter);
        const r = compareBaselines(before, after, { units: "common" });
        const rows = r.units.map((u) => u.unit);
        const onlyB = r.onlyBefore.map((u) => u.unit);
        const onlyA = r.onlyAfter.map((u) => u.unit);
        // Each side's units, in its dataset order, are its own list and the shared rows.
        expect(
          before.standings
            .map((s) => s.unit)
            .filter((u) => !onlyB.includes(u))
            .sort(),
        ).toEqual([...rows].sort());
        expect(
          after.standings
            .map((s) => s.unit)
            .filter((u) => !onlyA.includes(u))
            .sort(),
        ).toEqual([...rows].sort());
        expect(onlyB).toEqual(ids.filter((u) => goneAfter.includes(u) && !goneBefore.includes(u)));
        expect(onlyA).toEqual(ids.filter((u) => goneBefore.includes(u) && !goneAfter.includes(u)));
        const [b, a] = [byUnit(before), byUnit(after)];
        for (const u of r.onlyBefore) expect(u.standing.rank).toBe(b.get(u.unit)!.rank);
        for (const u of r.onlyAfter) expect(u.standing.rank).toBe(a.get(u.unit)!.rank);
        for (const row of r.units) {
          expect(row.baseline.rank).toBe(b.get(row.unit)!.rank);
          expect(row.scenario.rank).toBe(a.get(row.unit)!.rank);
          expect(r.moveReasons(row.unit)).toBeDefined();
        }
      }),
      { numRuns: 25 },
    );
  });
});
