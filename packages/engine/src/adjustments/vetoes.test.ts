import { describe, expect, it } from "vitest";
import { directDataset, directScheme, issueLines } from "../_test-schemes.js";
import type { Dataset, VetoEvent } from "../dataset/dataset.js";
import { evaluate } from "../evaluation/evaluate.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { createBaseline } from "../whatif/baseline.js";
import { runScenario } from "../whatif/run-scenario.js";
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

describe("vetoes of earlier years (yearsInForce)", () => {
  it("bars excellence the year after an incident when the type stays in force two years", () => {
    const s = standing(year([{ id: "V1", unit: "U1", type: "incident", reason: "fire", yearsAgo: 1 }]));
    expect(s.grade).toBe("other");
    expect(s.excellence).toBe(false);
    expect(s.reasons).toEqual([
      { kind: "veto", record: "V1", yearsAgo: 1, text: "major incident (previous year): fire" },
    ]);
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
      issueLines(() =>
        evaluate(
          scheme,
          year([{ id: "V1", unit: "merged-away", type: "abolished", reason: "fire", yearsAgo: 0 }]),
        ),
      ),
    ).toEqual([
      'vetoEvents.0.unit: veto event "V1": unknown unit "merged-away"',
      'vetoEvents.0.type: veto event "V1" for unit "merged-away": unknown veto type "abolished"',
    ]);
  });

  it("numbers each year's events on their own: last year's V1 is not this year's V1", () => {
    const both = year([
      { id: "V1", unit: "U2", type: "audit", reason: "late" },
      { id: "V1", unit: "U1", type: "incident", reason: "fire", yearsAgo: 1 },
    ]);
    const u1 = evaluate(scheme, both).units.find((u) => u.unit === "U1")!;
    expect(u1.eligibility.reasons).toEqual([
      { kind: "veto", record: "V1", yearsAgo: 1, text: "major incident (previous year): fire" },
    ]);
    // Two events of one id on one unit: this year's first, whichever row came first.
    const twice = [
      { id: "V1", unit: "U1", type: "incident", reason: "fire", yearsAgo: 1 },
      { id: "V1", unit: "U1", type: "audit", reason: "late" },
    ];
    const reasons = (rows: VetoEvent[]) =>
      evaluate(scheme, year(rows))
        .units.find((u) => u.unit === "U1")!
        .eligibility.reasons.map((r) => r.text);
    expect(reasons(twice)).toEqual(["audit finding: late", "major incident (previous year): fire"]);
    expect(reasons([...twice].reverse())).toEqual(reasons(twice));
    // Within one year's register an id still names one event; the earlier year says which.
    expect(
      issueLines(() =>
        evaluate(
          scheme,
          year([
            { id: "V2", unit: "U2", type: "audit", reason: "late" },
            { id: "V1", unit: "U1", type: "incident", reason: "fire", yearsAgo: 2 },
            { id: "V1", unit: "U2", type: "incident", reason: "flood", yearsAgo: 2 },
            { id: "V2", unit: "U1", type: "audit", reason: "again" },
          ]),
        ),
      ),
    ).toEqual([
      'vetoEvents.2.id: veto event for unit "U2": duplicate id "V1" among the events of 2 years before',
      'vetoEvents.3.id: veto event for unit "U1": duplicate id "V2"',
    ]);
  });

  it("lets a scenario lift one year's V1 by { id, yearsAgo }, and refuses a bare id naming both", () => {
    const baseline = createBaseline(
      scheme,
      year([
        { id: "V1", unit: "U2", type: "audit", reason: "late" },
        { id: "V1", unit: "U1", type: "incident", reason: "fire", yearsAgo: 1 },
      ]),
    );
    const lifted = runScenario(baseline, {
      name: "without last year's fire",
      data: { vetoEvents: { remove: [{ id: "V1", yearsAgo: 1 }] } },
    });
    expect(lifted.eligibilityChanges.map((c) => c.unit)).toEqual(["U1"]);
    expect(
      issueLines(() => runScenario(baseline, { name: "x", data: { vetoEvents: { remove: ["V1"] } } })),
    ).toEqual([
      'data.vetoEvents.remove.0: "V1" names veto events of more than one year (yearsAgo 0, 1); write { id, yearsAgo } to say which',
    ]);
    expect(
      issueLines(() =>
        runScenario(baseline, { name: "x", data: { vetoEvents: { remove: [{ id: "V1", yearsAgo: 2 }] } } }),
      ),
    ).toEqual(['data.vetoEvents.remove.0: unknown veto event "V1" of 2 years before']);
  });

  it("refuses an earlier year's veto a scenario adds with a unit or type this year does not have", () => {
    const baseline = createBaseline(scheme, year([]));
    expect(
      issueLines(() =>
        runScenario(baseline, {
          name: "last year's fire",
          data: {
            vetoEvents: {
              add: [
                { id: "V1", unit: "U41", type: "incident", reason: "fire", yearsAgo: 1 },
                { id: "V2", unit: "U1", type: "incidnet", reason: "fire", yearsAgo: 1 },
              ],
            },
          },
        }),
      ),
    ).toEqual([
      'data.vetoEvents.add.0.unit: unknown unit "U41"',
      'data.vetoEvents.add.1.type: unknown veto type "incidnet"',
    ]);
  });

  it("refuses an earlier year's row with no unit or no type: a broken row, not an old one", () => {
    expect(
      issueLines(() =>
        evaluate(
          scheme,
          year([
            { id: "V1", type: "incident", reason: "fire", yearsAgo: 1 } as unknown as VetoEvent,
            { id: "V2", unit: "U1", reason: "fire", yearsAgo: 1 } as unknown as VetoEvent,
          ]),
        ),
      ),
    ).toEqual([
      'vetoEvents.0.unit: veto event "V1": unit is missing (required)',
      'vetoEvents.1.type: veto event "V2" for unit "U1": type is missing (required)',
    ]);
  });

  it("does in later years only what inLaterYears keeps: ranked last this year, barred from excellence next", () => {
    const rules = directScheme({
      vetoTypes: [
        {
          id: "fatal",
          name: "fatal incident",
          forceLast: true,
          ineligibleForAward: true,
          yearsInForce: 2,
          inLaterYears: { forceLast: false, ineligibleForAward: false },
        },
        { id: "warned", name: "warning", yearsInForce: 2, inLaterYears: { ineligibleForExcellence: false } },
      ],
      grades: {
        rules: [
          { id: "excellent", name: "excellent", quota: { count: 1 }, requiresExcellenceEligibility: true },
        ],
        fallback: { id: "other", name: "other" },
      },
    });
    const u1 = (events: VetoEvent[]) => evaluate(rules, year(events)).units.find((u) => u.unit === "U1")!;
    const own = u1([{ id: "V1", unit: "U1", type: "fatal", reason: "fire" }]);
    expect([own.rank, own.eligibility.excellence, own.eligibility.award]).toEqual([2, false, false]);
    const next = u1([{ id: "V1", unit: "U1", type: "fatal", reason: "fire", yearsAgo: 1 }]);
    expect([next.rank, next.eligibility.excellence, next.eligibility.award]).toEqual([1, false, true]);
    // A later year in which the type does nothing leaves no reason behind.
    const clean = u1([]);
    expect(u1([{ id: "V1", unit: "U1", type: "warned", reason: "late", yearsAgo: 1 }])).toEqual(clean);
    // A scenario can take the difference away: next year then repeats the incident year.
    const baseline = createBaseline(
      rules,
      year([{ id: "V1", unit: "U1", type: "fatal", reason: "fire", yearsAgo: 1 }]),
    );
    const same = runScenario(baseline, {
      name: "as in its own year",
      patch: { vetoTypes: { fatal: { inLaterYears: null } } },
    });
    expect(same.units.find((u) => u.unit === "U1")!.scenario.rank).toBe(2);
  });

  it("refuses a calendar year, a negative or fractional count, or one older than any term", () => {
    for (const [yearsAgo, got] of [
      [2018, "2018"],
      [-1, "-1"],
      [1.5, "1.5"],
      [5, "5"],
      ["1", 'text "1"'],
    ] as const)
      expect(
        issueLines(() =>
          evaluate(
            scheme,
            year([{ id: "V1", unit: "U1", type: "incident", reason: "fire", yearsAgo: yearsAgo as number }]),
          ),
        ),
      ).toEqual([
        `vetoEvents.0.yearsAgo: veto event "V1" for unit "U1": must be a whole number of years from 0 to 4 (how long before the evaluated year), got ${got}`,
      ]);
  });

  it("refuses a term outside one to five years in the scheme", () => {
    for (const yearsInForce of [0, 6, 1.5])
      expect(
        issueLines(() =>
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
