import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { directScheme, issueLines } from "../_test-schemes.js";
import type { Dataset } from "../dataset/dataset.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { yearArb, yearOf } from "./_test-scenarios.js";
import { standingView } from "./_test-whatif.js";
import { applyScenario } from "./apply-scenario.js";
import { createBaseline } from "./baseline.js";
import { monteCarlo } from "./monte-carlo.js";
import { runScenario } from "./run-scenario.js";
import { standingsFromExact } from "./standing.js";

// Scenarios that patch a roll-up: "what if sub-units counted 20% toward their parent instead of 10%?"

/**
 * Bureau B (25 + 24 + public 80 of 100, 32.00 of 40) with two sub-units published at 30.02 and
 * 30.03 of 40 in public evaluation (shares 0.7505 and 0.75075, mean 0.750625), ranked against U1
 * and U2; the sub-units sit in an unranked group.
 */
function bureau(into: "category" | "total"): { scheme: SchemeInput; dataset: Dataset } {
  const scheme = directScheme({
    groups: [
      { id: "g1", name: "ranked" },
      { id: "g2", name: "sub-units", ranked: false },
    ],
    rollups: [
      {
        id: "subs",
        source: { category: "public" },
        share: 0.1,
        into: into === "category" ? { category: "public" } : { total: true },
      },
    ],
  });
  const rows: [string, string, string, string, string | undefined][] = [
    ["B", "g1", "25", "24", "80"],
    ["U1", "g1", "25", "24.59", "78"],
    ["U2", "g1", "20", "20", "60"],
    ["S1", "g2", "20", "20", "75.05"],
    ["S2", "g2", "20", "20", "75.075"],
  ];
  return {
    scheme,
    dataset: {
      units: rows.map(([id, group]) => ({
        id,
        name: id,
        group,
        ...(id.startsWith("S") ? { parent: "B" } : {}),
      })),
      scores: rows.flatMap(([unit, , business, organ, pub]) => [
        { unit, category: "business", value: business },
        { unit, category: "organ", value: organ },
        ...(pub === undefined ? [] : [{ unit, category: "public", value: pub }]),
      ]),
    },
  };
}

const twentyPercent = { name: "20%", patch: { rollups: { subs: { share: "0.2" } } } };

describe("a scenario patching a roll-up", () => {
  it("blends 20% of the sub-units' public evaluation into the parent's, exactly and rounded half-up", () => {
    const { scheme, dataset } = bureau("category");
    const r = runScenario(createBaseline(scheme, dataset), twentyPercent);
    const b = r.units.find((u) => u.unit === "B")!;
    // 10%: 0.9 × 32 + 0.1 × 0.750625 × 40 = 28.8 + 3.0025 = 31.8025 → 31.80.
    // 20%: 0.8 × 32 + 0.2 × 0.750625 × 40 = 25.6 + 6.005 = 31.605 → 31.61 (a half, rounded up).
    expect([b.baseline.total, b.scenario.total, b.totalDelta]).toEqual(["80.80", "80.61", "-0.19"]);
    expect(b.parts.find((p) => p.part === "public")).toMatchObject({
      baseline: "31.8",
      scenario: "31.61",
      delta: "-0.19",
    });
    // U1's 80.79 (25 + 24.59 + 31.20) is behind B's at 10%, and passes it at 20%.
    expect([b.baseline.rank, b.scenario.rank]).toEqual([1, 2]);
    expect(r.swaps).toMatchObject([{ overtaker: "U1", overtaken: "B" }]);
    expect(r.changes).toEqual([
      { path: "rollups[id=subs].share", kind: "changed", before: 0.1, after: "0.2" },
    ]);
    expect(r.recomputedCategories).toEqual([]);
  });

  it("blends 20% into the parent's total, on the categories' points", () => {
    const { scheme, dataset } = bureau("total");
    const r = runScenario(createBaseline(scheme, dataset), twentyPercent);
    const b = r.units.find((u) => u.unit === "B")!;
    // Own total 25 + 24 + 32 = 81. 10%: 72.9 + 0.1 × 0.750625 × 100 = 80.40625 → 80.41;
    // 20%: 64.8 + 15.0125 = 79.8125 → 79.81.
    expect([b.baseline.total, b.scenario.total]).toEqual(["80.41", "79.81"]);
  });

  it("takes the aggregation, the rule for a sub-unit without a result and the parents", () => {
    const { scheme, dataset } = bureau("category");
    // S2 without a public evaluation.
    const data = {
      ...dataset,
      scores: dataset.scores!.filter((s) => !(s.unit === "S2" && s.category === "public")),
    };
    const baseline = createBaseline(scheme, data);
    const total = (patch: object) =>
      runScenario(baseline, { name: "x", patch: { rollups: { subs: patch } } }).units.find(
        (u) => u.unit === "B",
      )!.scenario.total;
    // renormalize (the scheme's): S1 alone, 0.9 × 32 + 0.1 × 0.7505 × 40 = 31.802 → 31.80.
    expect(total({})).toBe("80.80");
    // zero: (0.7505 + 0) / 2 = 0.37525; 28.8 + 1.501 = 30.301 → 30.30.
    expect(total({ missingSubUnit: "zero" })).toBe("79.30");
    expect(total({ missingSubUnit: "insufficient" })).toBeNull();
    // Limited to U1, which has no sub-units: B keeps its own 32.00.
    expect(total({ parents: ["U1"] })).toBe("81.00");
    expect(total({ parents: null, share: 0 })).toBe("81.00");
    // The median of 0.7505 and 0 (two values: their mean), 20%: 25.6 + 3.002 = 28.602 → 28.60.
    expect(total({ aggregation: "median", missingSubUnit: "zero", share: "0.2" })).toBe("77.60");
  });

  it("is honoured by Monte-Carlo alternatives", () => {
    const { scheme, dataset } = bureau("category");
    const baseline = createBaseline(scheme, dataset);
    const scenario = runScenario(baseline, twentyPercent);
    const mc = monteCarlo(baseline, {
      samples: 40,
      seed: 3,
      spread: 0,
      alternatives: [{ name: "20%", patch: twentyPercent.patch }],
    });
    const ranks = (a: number) =>
      [...mc.alternative.keys()]
        .filter((s) => mc.alternative[s] === a)
        .map((s) => Array.from(mc.ranks.subarray(s * 5, s * 5 + 3)));
    expect(new Set(ranks(0).map(String))).toEqual(new Set(["1,2,3"]));
    expect(new Set(ranks(1).map(String))).toEqual(
      new Set([["B", "U1", "U2"].map((u) => scenario.units.find((x) => x.unit === u)!.scenario.rank).join()]),
    );
    expect(ranks(1)[0]).toEqual([2, 1, 3]);
  });

  it("refuses an unknown roll-up, a changed source or target, an unknown parent and a share above 1", () => {
    const { scheme, dataset } = bureau("category");
    const baseline = createBaseline(scheme, dataset);
    // Written as JSON arrives: misspelt and refused fields are the point.
    const run = (patch: object) => () =>
      runScenario(baseline, { name: "x", patch: { rollups: patch as Record<string, never> } });
    expect(issueLines(run({ sub: { share: 0.2 } }))).toEqual([
      'patch.rollups.sub: unknown roll-up "sub" (known: subs)',
    ]);
    expect(issueLines(run({ subs: { source: { total: true }, into: { total: true } } }))).toEqual([
      "patch.rollups.subs.source: cannot change in a scenario: a roll-up's source says which of the sub-units' results it reads, and another would be another rule (write it into a scheme version); a scenario changes how the sub-units count: share, aggregation, missingSubUnit, parents",
      "patch.rollups.subs.into: cannot change in a scenario: a roll-up's into says which of the parent's results it blends into, and another would be another rule (write it into a scheme version); a scenario changes how the sub-units count: share, aggregation, missingSubUnit, parents",
    ]);
    // Written as they are, they change nothing.
    expect(
      runScenario(baseline, {
        name: "x",
        patch: { rollups: { subs: { source: { category: "public" }, share: 0.2 } } },
      }).changes,
    ).toHaveLength(1);
    expect(issueLines(run({ subs: { parents: ["B", "u1"] } }))).toEqual([
      'patch.rollups.subs.parents.1: unknown unit "u1"; did you mean "U1"?',
    ]);
    expect(issueLines(run({ subs: { parents: [] } }))[0]).toMatch(
      /^patch.rollups.subs.parents: must list at least one parent unit/,
    );
    expect(issueLines(run({ subs: { share: 1.5 } }))).toEqual([
      "patch.rollups.subs.share: must be at most 1",
    ]);
    expect(issueLines(run({ subs: { shares: 0.2 } }))[0]).toMatch(
      /^patch.rollups.subs.shares: unknown field/,
    );
    // Only the fields a patch can change are offered: source and into are refused unless unchanged.
    expect(issueLines(run({ subs: { id: "zzz" } }))).toEqual([
      "patch.rollups.subs.id: unknown field (misspelt?); the fields are share, aggregation, missingSubUnit, parents",
    ]);
  });
});

describe("a roll-up patched by a scenario against the patched scheme evaluated from scratch", () => {
  const patchArb = fc.record({
    share: fc.option(
      fc.integer({ min: 0, max: 1000 }).map((k) => String(k / 1000)),
      { nil: undefined },
    ),
    aggregation: fc.option(fc.constantFrom("mean", "median") as fc.Arbitrary<"mean">, { nil: undefined }),
    missingSubUnit: fc.option(
      fc.constantFrom("renormalize", "zero", "insufficient") as fc.Arbitrary<"zero">,
      { nil: undefined },
    ),
    // With the points too: a weight-only scenario with a roll-up patched, in columns where they apply.
    public: fc.option(
      fc.integer({ min: 1, max: 6000 }).map((c) => (c / 100).toFixed(2)),
      { nil: undefined },
    ),
  });

  it("gives every unit's standing a fresh evaluation gives", () => {
    fc.assert(
      fc.property(
        yearArb.filter((y) => y.rollup !== undefined),
        patchArb,
        (y, { public: points, ...edit }) => {
          const year = yearOf(y);
          const baseline = createBaseline(year.scheme, year.dataset);
          const scenario = {
            name: "roll-up",
            patch: {
              rollups: {
                "sub-units": Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined)),
              },
              ...(points === undefined ? {} : { categories: { public: { points } } }),
            },
          };
          const r = runScenario(baseline, scenario);
          const applied = applyScenario(baseline.compiled, baseline.dataset, scenario);
          // From scratch: the patched scheme as plain JSON, every record read again.
          const fresh = createBaseline(JSON.parse(JSON.stringify(applied.compiled.scheme)), year.dataset);
          const after = new Map(standingsFromExact(fresh.exact).map((s) => [s.unit, s]));
          expect(r.standings.map(standingView)).toEqual(
            year.dataset.units.map((u) => standingView(after.get(u.id)!)),
          );
        },
      ),
      { numRuns: 60 },
    );
  }, 30_000);
});
