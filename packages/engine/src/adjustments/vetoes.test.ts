import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import type { Dataset, VetoEvent } from "../dataset/dataset.js";
import { evaluate } from "../evaluation/evaluate.js";
import { InputError } from "../input-error.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { vetoesByUnit } from "./vetoes.js";

// Some rules bar a unit from excellence "this year and next" (当年及次年): last year's incident
// still counts this year, and the year after it no longer does.
const scheme: SchemeInput = directScheme({
  vetoTypes: [
    { id: "incident", name: "major incident", yearsInForce: 2 },
    { id: "audit", name: "audit finding" },
  ],
  grades: {
    rules: [{ id: "excellent", name: "excellent", quota: { count: 1 }, requiresExcellenceEligibility: true }],
    fallback: { id: "other", name: "other" },
  },
});

function year(vetoEvents: VetoEvent[]): Dataset {
  return {
    ...directDataset([
      ["30", "30", "100"],
      ["20", "20", "50"],
    ]),
    vetoEvents,
  };
}

function standing(dataset: Dataset) {
  const u1 = evaluate(scheme, dataset).units.find((u) => u.unit === "U1")!;
  return { grade: u1.grade?.id, excellence: u1.eligibility.excellence, reasons: u1.eligibility.reasons };
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw e;
  }
  throw new Error("expected an InputError");
}

describe("vetoes of earlier years (yearsInForce)", () => {
  it("bars excellence the year after an incident when the type stays in force two years", () => {
    const s = standing(year([{ id: "V1", unit: "U1", type: "incident", reason: "fire", yearsAgo: 1 }]));
    expect(s.grade).toBe("other");
    expect(s.excellence).toBe(false);
    expect(s.reasons).toEqual([{ kind: "veto", record: "V1", text: "major incident (previous year): fire" }]);
  });

  it("no longer bars once the term has run, nor for a type in force one year", () => {
    const clean = standing(year([]));
    expect(clean.grade).toBe("excellent");
    expect(standing(year([{ id: "V1", unit: "U1", type: "incident", reason: "fire", yearsAgo: 2 }]))).toEqual(
      clean,
    );
    expect(standing(year([{ id: "V1", unit: "U1", type: "audit", reason: "late", yearsAgo: 1 }]))).toEqual(
      clean,
    );
    // The same record in its own year does bar: it is the year that ended it, not the type.
    expect(standing(year([{ id: "V1", unit: "U1", type: "audit", reason: "late" }])).excellence).toBe(false);
  });

  it("lets an earlier year's veto name a unit or a type this year no longer has, with no effect", () => {
    const dataset = year([
      { id: "V1", unit: "merged-away", type: "incident", reason: "fire", yearsAgo: 1 },
      { id: "V2", unit: "U1", type: "abolished", reason: "old rule", yearsAgo: 1 },
    ]);
    expect(evaluate(scheme, dataset)).toEqual(evaluate(scheme, year([])));
    // This year's records are held to this year's units and types, as before.
    expect(
      issuesOf(() =>
        evaluate(
          scheme,
          year([{ id: "V1", unit: "merged-away", type: "abolished", reason: "fire", yearsAgo: 0 }]),
        ),
      ),
    ).toEqual([
      'vetoEvents.0.unit: unknown unit "merged-away"',
      'vetoEvents.0.type: unknown veto type "abolished"',
    ]);
  });

  it("refuses a calendar year, a negative or fractional count, or one older than any term", () => {
    for (const yearsAgo of [2018, -1, 1.5, 5])
      expect(
        issuesOf(() =>
          evaluate(scheme, year([{ id: "V1", unit: "U1", type: "incident", reason: "fire", yearsAgo }])),
        ),
      ).toEqual([
        "vetoEvents.0.yearsAgo: must be a whole number of years from 0 to 4 (how long before the evaluated year)",
      ]);
  });

  it("refuses a term outside one to five years in the scheme", () => {
    for (const yearsInForce of [0, 6, 1.5])
      expect(
        issuesOf(() =>
          evaluate(
            directScheme({ vetoTypes: [{ id: "incident", name: "major incident", yearsInForce }] }),
            year([]),
          ),
        )[0],
      ).toMatch(/^vetoTypes\.0\.yearsInForce: /);
  });

  it("says how many years ago an incident older than last year was", () => {
    const types = [
      {
        id: "incident",
        name: "major incident",
        yearsInForce: 3,
        ineligibleForExcellence: true,
        ineligibleForAward: false,
        forceLast: false,
      },
    ];
    const reasons = vetoesByUnit(types, [
      { id: "V1", unit: "U1", type: "incident", reason: "fire", yearsAgo: 2 },
    ]).get("U1")!.reasons;
    expect(reasons.map((r) => r.text)).toEqual(["major incident (2 years earlier): fire"]);
  });
});
