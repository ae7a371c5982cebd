import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import { bruteForce } from "./_test-weight-sweep.js";
import { createBaseline } from "./baseline.js";

// Weight sweeps at points where units tie: ranks and grades that hold at one point alone.

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
