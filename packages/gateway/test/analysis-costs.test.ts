/**
 * What the analyses are charged against a request's work budget, on a cycle of 1,000 units in
 * ten ranked groups: what an analysis narrowed to some groups still does over every unit is
 * priced over every unit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";
import { loadWideCycle } from "./wide-cycle.js";

const GROUPS = 10;

describe.each(backends)("%s", (backend) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ seed: false, backend });
    await loadWideCycle(t.store, { groups: GROUPS, versions: 1 });
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
