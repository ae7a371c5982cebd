/**
 * What the analyses are charged against a request's work budget, on a cycle of 1,000 units in
 * ten ranked groups: what an analysis narrowed to some groups still does over every unit is
 * priced over every unit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";
import { importUnitsAndScores } from "./imported-cycle.js";

const UNITS = 1000;
const GROUPS = 10;

describe.each(backends)("%s", (backend) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ seed: false, backend });
    const scheme = {
      id: "wide",
      version: 1,
      name: "1,000 units in ten groups",
      categories: [
        { id: "work", name: "work", points: 60, method: { kind: "direct", outOf: 100 } },
        { id: "public", name: "public", points: 40, method: { kind: "direct", outOf: 100 } },
      ],
      groups: Array.from({ length: GROUPS }, (_, g) => ({ id: `g${g}`, name: `group ${g}`, ranked: true })),
      rounding: { decimals: 2, mode: "half-up" },
    };
    await t.store.schemes.publish("test", {
      schemeId: "wide",
      basedOn: null,
      document: scheme,
      reason: "costs",
    });
    await t.store.cycles.create("test", {
      id: "wide",
      year: 2024,
      name: "wide",
      schemeId: "wide",
      schemeVersion: 1,
    });
    const units = Array.from({ length: UNITS }, (_, i) => ({
      id: `U${String(i).padStart(4, "0")}`,
      name: `Unit ${i}`,
      group: `g${i % GROUPS}`,
    }));
    const scores = units.flatMap((u, i) => [
      { unit: u.id, category: "work", value: String(50 + ((i * 37) % 500) / 10) },
      { unit: u.id, category: "public", value: String(40 + ((i * 53) % 600) / 10) },
    ]);
    await importUnitsAndScores(t.store, "wide", units, scores);
  }, 180_000);
  afterAll(() => t?.close());

  it("prices a Monte-Carlo run's alternative rules over every unit, whatever groups are ranked", async () => {
    // An alternative's rules re-score every unit of the cycle, however few groups are ranked
    // (a tenth of the units here): ten such runs are what ten over every group would be.
    const alternatives = [1, 2, 3, 4].map((k) => ({
      name: `out of ${100 + k}`,
      patch: { categories: { work: { method: { kind: "direct", outOf: 100 + k } } } },
    }));
    const runs = Array.from(
      { length: 10 },
      (_, i) =>
        `r${i}: uncertainty(cycleId: "wide", samples: 1, seed: ${i}, groups: ["g0"], alternatives: $a) { __typename ... on ValidationError { issues { path message } } }`,
    );
    const { body } = await t.gql(
      `query($a: [AlternativeRuleInput!]) { ${runs.join("\n")} }`,
      { a: alternatives },
      { as: "analyst" },
    );
    expect(body.errors).toBeUndefined();
    const answers = Object.values(body.data as Record<string, { __typename: string; issues?: unknown }>);
    const refused = answers.filter((a) => a.__typename === "ValidationError");
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.issues).toEqual([
      {
        path: "samples",
        message: expect.stringMatching(
          /^this Monte-Carlo run is too large for one request \(estimated 615,100 work units/,
        ),
      },
    ]);
  });
});
