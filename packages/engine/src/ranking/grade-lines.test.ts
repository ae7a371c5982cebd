import { describe, expect, it } from "vitest";
import { parseDecimal } from "../rational.js";
import { assignGrades, type GradeCandidate } from "./grades.js";

const cand = (unit: string, total: string): GradeCandidate => ({
  entry: { unit, total: parseDecimal(total), tieKeys: [], forcedLast: false },
  group: "g",
  ranked: true,
  eligibleForExcellence: true,
});

describe("grade thresholds (85 / 75 / 60 bands)", () => {
  it("admits a total exactly at a band's minimum, and not one a hundredth below", () => {
    const rule = (id: string, minTotal: string) => ({
      id,
      name: id,
      minTotal,
      requiresExcellenceEligibility: false,
    });
    const g = assignGrades(
      {
        rules: [rule("excellent", "85"), rule("good", "75"), rule("pass", "60")],
        fallback: { id: "poor", name: "poor" },
      },
      [cand("A", "85.00"), cand("B", "84.99"), cand("C", "75"), cand("D", "60"), cand("E", "59.99")],
    );
    expect(Object.fromEntries([...g].map(([u, a]) => [u, a.grade.id]))).toEqual({
      A: "excellent",
      B: "good",
      C: "good",
      D: "pass",
      E: "poor",
    });
    expect(g.get("A")!.reason).toBe("excellent: total ≥ 85");
  });
});
