import { describe, expect, it } from "vitest";
import { cmp, parseDecimal } from "../rational.js";
import { syntheticYear } from "./_test-synthetic.js";
import { bruteForce, read } from "./_test-weight-sweep.js";
import { createBaseline } from "./baseline.js";
import { weightSweep } from "./weight-sweep.js";

// Weight sweeps of unranked groups, and of the groups asked for alone.

describe("weightSweep", () => {
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
});
