import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import type { Dataset } from "../dataset/dataset.js";
import { createBaseline } from "./baseline.js";
import { weightSweep } from "./weight-sweep.js";

describe("weight sweep: a unit of an unranked group sitting exactly on a grade threshold", () => {
  it("holds its nominal grade from the nominal points up, where the threshold is met", () => {
    const scheme = directScheme({
      groups: [
        { id: "g1", name: "group 1" },
        { id: "g2", name: "group 2", ranked: false },
      ],
      grades: {
        rules: [{ id: "excellent", name: "优秀", minTotal: 85, requiresExcellenceEligibility: false }],
        fallback: { id: "pass", name: "合格" },
      },
    });
    const rows = directDataset([
      ["20", "20", "50"],
      ["30", "15", "100"], // x + 15 + 40: exactly 85 at business's nominal 30 points
    ]);
    const dataset: Dataset = {
      ...rows,
      units: rows.units.map((u) => (u.id === "U2" ? { ...u, group: "g2" } : u)),
    };
    const sweep = weightSweep(createBaseline(scheme, dataset), { category: "business" });
    const u2 = sweep.units.find((u) => u.unit === "U2")!;
    expect(u2.segments).toEqual([
      { from: "0", to: "30", includesFrom: true, includesTo: false, rank: null, grade: "pass" },
      { from: "30", to: "100", includesFrom: true, includesTo: true, rank: null, grade: "excellent" },
    ]);
    expect(u2.breakpoints).toEqual(["30"]);
    expect(u2.nominal).toEqual({ rank: null, grade: "excellent" });
    // Excellent holds on [30, 100]: a stability of the single point 30 would say the opposite.
    expect(u2.stability).toEqual({ from: "30", to: "100", includesFrom: true, includesTo: true });
  });
});
