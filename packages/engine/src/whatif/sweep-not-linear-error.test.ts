import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import type { Dataset } from "../dataset/dataset.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { syntheticYear } from "./_test-synthetic.js";
import { createBaseline } from "./baseline.js";
import { leaveOneOut } from "./leave-one-out.js";
import { monteCarlo } from "./monte-carlo.js";
import { type SweepNotLinearDetail, SweepNotLinearError } from "./sweep-not-linear-error.js";
import { weightSweep } from "./weight-sweep.js";

/** What `fn` throws, read as a program reads it; fails the test when it throws anything else. */
function refusal(fn: () => unknown): SweepNotLinearDetail & { message: string } {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof SweepNotLinearError)) throw e;
    const { reason, category, categories, rollup, message } = e;
    return { reason, category, categories, rollup, message };
  }
  throw new Error("expected a SweepNotLinearError");
}

describe("SweepNotLinearError says why in fields, for every analysis that raises it", () => {
  // "f" scores a unit by its points in "b".
  const formula = createBaseline(
    {
      id: "s",
      version: 1,
      name: "s",
      categories: [
        { id: "a", name: "A", points: 50, method: { kind: "direct", outOf: 100 } },
        { id: "b", name: "B", points: 20, method: { kind: "direct", outOf: 100 } },
        { id: "f", name: "F", points: 30, method: { kind: "formula", expression: "b", max: 20 } },
      ],
      groups: [{ id: "g", name: "g" }],
    },
    {
      units: ["u1", "u2"].map((id) => ({ id, name: id, group: "g" })),
      scores: [
        { unit: "u1", category: "a", value: 80 },
        { unit: "u1", category: "b", value: 60 },
        { unit: "u2", category: "a", value: 70 },
        { unit: "u2", category: "b", value: 90 },
      ],
    },
  );

  it("a formula reading the swept category, or any category under Monte-Carlo's draws", () => {
    expect(refusal(() => weightSweep(formula, { category: "b" }))).toEqual({
      reason: "formula-reads-moving-points",
      category: "b",
      categories: ["f", "b"],
      rollup: null,
      message:
        'totals are not piecewise linear in the points of "b": formula "f" reads "b", whose points move with the sweep',
    });
    // Rescaling moves "b" as "a" is swept.
    expect(refusal(() => weightSweep(formula, { category: "a", others: "rescale" }))).toMatchObject({
      reason: "formula-reads-moving-points",
      category: "a",
      categories: ["f", "b"],
    });
    expect(refusal(() => monteCarlo(formula, { samples: 10, seed: 1 }))).toMatchObject({
      reason: "formula-reads-moving-points",
      category: null,
      categories: ["f", "b"],
      rollup: null,
    });
  });

  it("roll-ups the sweep cannot follow exactly, naming the roll-up", () => {
    const y = syntheticYear(40, 2, 5, { rollup: "median" });
    // Deductions in public make sub-units' public shares vary with its points.
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
    expect(refusal(() => weightSweep(withHits, { category: "public" }))).toMatchObject({
      reason: "rollup-reads-moving-share",
      category: "public",
      categories: ["public"],
      rollup: "sub-units",
    });

    const totals = syntheticYear(40, 2, 5, { rollup: "totals" });
    const rolled = (rollup: object): [SchemeInput, Dataset] => [
      { ...totals.scheme, rollups: totals.scheme.rollups!.map((r) => ({ ...r, ...rollup })) },
      totals.dataset,
    ];
    const median = createBaseline(...rolled({ aggregation: "median" }));
    expect(refusal(() => weightSweep(median, { category: "public" }))).toMatchObject({
      reason: "rollup-median-of-totals",
      category: "public",
      categories: [],
      rollup: "sub-units",
    });
    const intoCategory = createBaseline(...rolled({ into: { category: "organ" } }));
    expect(refusal(() => weightSweep(intoCategory, { category: "public" }))).toMatchObject({
      reason: "rollup-totals-into-moving-maximum",
      category: "public",
      categories: ["organ"],
      rollup: "sub-units",
    });
  });

  it("grade quotas of both scopes in one scheme", () => {
    const mixed = directScheme({
      grades: {
        rules: [
          { id: "excellent", name: "excellent", quota: { count: 1, scope: "overall" } },
          { id: "last", name: "last", quota: { count: 1, from: "bottom" } },
        ],
        fallback: { id: "good", name: "good" },
      },
    });
    const data = directDataset([
      ["20", "25", "80"],
      ["25", "20", "90"],
      ["22", "22", "85"],
    ]);
    expect(refusal(() => weightSweep(createBaseline(mixed, data), { category: "public" }))).toMatchObject({
      reason: "mixed-quota-scopes",
      category: "public",
      categories: [],
      rollup: null,
    });
  });

  it("a category leave-one-out cannot leave out", () => {
    const only = directScheme({
      categories: directScheme().categories.map((c) => ({ ...c, points: c.id === "public" ? 100 : 0 })),
    });
    const b = createBaseline(only, directDataset([["20", "25", "80"]]));
    expect(refusal(() => leaveOneOut(b))).toMatchObject({
      reason: "category-holds-every-point",
      category: "public",
      categories: ["public"],
      rollup: null,
    });
  });

  it("is an Error named for itself, as logs print it", () => {
    const e = new SweepNotLinearError("m", {
      reason: "mixed-quota-scopes",
      category: null,
      categories: [],
      rollup: null,
    });
    expect([e instanceof Error, e.name, e.message]).toEqual([true, "SweepNotLinearError", "m"]);
  });
});
