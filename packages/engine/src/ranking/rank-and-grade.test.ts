import { describe, expect, it } from "vitest";
import type { Dataset } from "../dataset/dataset.js";
import { evaluate } from "../evaluation/evaluate.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";

// Last place where a unit a veto places last has no total (a category without a result), and so
// no rank: the veto still makes it its group's last, and no other unit is.

const scheme = (ranking?: SchemeInput["ranking"]): SchemeInput => ({
  id: "x",
  version: 1,
  name: "x",
  categories: [{ id: "all", name: "all", points: 100, method: { kind: "direct" } }],
  groups: [{ id: "g", name: "g" }],
  vetoTypes: [{ id: "fatal", name: "fatal", forceLast: true }],
  ...(ranking ? { ranking } : {}),
});

/** A, B, C in group g: B at 90, C at 80, A vetoed ("fatal": placed last), scored only when `a` is given. */
const dataset = (a?: number): Dataset => ({
  units: ["A", "B", "C"].map((id) => ({ id, name: id, group: "g" })),
  scores: [
    ...(a === undefined ? [] : [{ unit: "A", category: "all", value: a }]),
    { unit: "B", category: "all", value: 90 },
    { unit: "C", category: "all", value: 80 },
  ],
  vetoEvents: [{ id: "v", unit: "A", type: "fatal", reason: "fire" }],
});

const view = (r: ReturnType<typeof evaluate>) =>
  Object.fromEntries(
    r.units.map((u) => [
      u.unit,
      {
        rank: u.rank,
        excellence: u.eligibility.excellence,
        award: u.eligibility.award,
        reasons: u.eligibility.reasons.map((x) => `${x.kind}: ${x.text}`),
      },
    ]),
  );

describe("rankAndGrade's last place", () => {
  it("is the unit a veto places last even without a total: the lowest ranked unit keeps its award", () => {
    expect(view(evaluate(scheme(), dataset()))).toEqual({
      A: {
        rank: null,
        excellence: false,
        award: false,
        reasons: [
          "veto: fatal: fire",
          "insufficient: not scored (all: no records for this unit)",
          "last-ranked: last in group g (no rank without a total, placed last by a veto)",
        ],
      },
      B: { rank: 1, excellence: true, award: true, reasons: [] },
      C: { rank: 2, excellence: true, award: true, reasons: [] },
    });
  });

  it("tells a vetoed unit without a total what it tells one with a total, and what last place costs", () => {
    const scored = view(evaluate(scheme(), dataset(95)));
    expect(scored.A!.reasons).toEqual([
      "veto: fatal: fire",
      "last-ranked: last in group g (rank 3 of 3, placed last by a veto)",
    ]);
    expect(scored.C).toEqual({ rank: 2, excellence: true, award: true, reasons: [] });
    const barred = view(evaluate(scheme({ lastLosesExcellence: true }), dataset()));
    expect(barred.A!.reasons.at(-1)).toBe(
      "last-ranked: last in group g (no rank without a total, placed last by a veto): no award, and not eligible for excellence",
    );
    expect(barred.C).toEqual({ rank: 2, excellence: true, award: true, reasons: [] });
    // Where last place costs nothing, nothing says it.
    const free = view(evaluate(scheme({ lastLosesAward: false }), dataset()));
    expect(free.A!.reasons.some((x) => x.startsWith("last-ranked"))).toBe(false);
  });

  it("is the lowest ranked unit when the unit without a total has no veto placing it last", () => {
    const d = { ...dataset(), vetoEvents: [] };
    expect(view(evaluate(scheme(), d)).C).toEqual({
      rank: 2,
      excellence: true,
      award: false,
      reasons: ["last-ranked: last in group g (rank 2 of 2)"],
    });
  });

  it("names the vetoed units without a total among those a veto placed last, in a rank's explanation", () => {
    // Before: B read "as is C: both are last", while D, unscored, is last too.
    const d: Dataset = {
      units: ["A", "B", "C", "D"].map((id) => ({ id, name: id, group: "g" })),
      scores: [
        { unit: "A", category: "all", value: 90 },
        { unit: "B", category: "all", value: 50 },
        { unit: "C", category: "all", value: 40 },
      ],
      vetoEvents: ["B", "C", "D"].map((unit) => ({ id: unit, unit, type: "fatal", reason: "fire" })),
    };
    const r = evaluate(scheme(), d);
    const rankLine = (id: string) =>
      r.units.find((u) => u.unit === id)!.trace.find((t) => t.step === "rank")?.text;
    expect(["A", "B", "C", "D"].map(rankLine)).toEqual([
      "1 of 3 in group g",
      "2 of 3 in group g (placed last by a veto, as are C and D: all 3 are last)",
      "3 of 3 in group g (placed last by a veto, as are B and D: all 3 are last)",
      undefined,
    ]);
    // One scored and one unscored: both are last.
    const two = evaluate(scheme(), { ...d, vetoEvents: d.vetoEvents!.filter((v) => v.unit !== "C") });
    expect(two.units.find((u) => u.unit === "B")!.trace.find((t) => t.step === "rank")?.text).toBe(
      "3 of 3 in group g (placed last by a veto, as is D: both are last)",
    );
  });
});
