import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import { cmp, parseDecimal } from "../rational.js";
import { syntheticYear } from "./_test-synthetic.js";
import { bruteForce, read, segmentAt } from "./_test-weight-sweep.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { createBaseline } from "./baseline.js";
import { runScenario } from "./run-scenario.js";
import { SweepNotLinearError } from "./sweep-not-linear-error.js";
import { weightSweep } from "./weight-sweep.js";

// The seed year's breakpoints against re-evaluation, and what a sweep's rows are. Roll-ups,
// groups, grades and quotas, ties and the options refused are in weight-sweep-*.test.ts.

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

  it("puts the anchor unit's nominal inside its stability interval", () => {
    const sweep = weightSweep(seed, { category: "public" });
    const u = sweep.units.find((x) => x.unit === "U09")!;
    expect(u.nominal?.rank).toBeGreaterThan(0);
    expect(cmp(read(u.stability!.from), parseDecimal(40))).toBeLessThanOrEqual(0);
    expect(cmp(read(u.stability!.to), parseDecimal(40))).toBeGreaterThanOrEqual(0);
  });

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
});
