import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";
import { importUnitsAndScores } from "./imported-cycle.js";

const UNITS = 1000;
describe.each(backends)("%s", (backend) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ seed: false, backend });
    const scheme = {
      id: "big",
      version: 1,
      name: "1,000 units",
      categories: [{ id: "work", name: "work", points: 100, method: { kind: "direct", outOf: 100 } }],
      groups: [{ id: "g", name: "all", ranked: true }],
      rounding: { decimals: 2, mode: "half-up" },
    };
    await t.store.schemes.publish("test", {
      schemeId: "big",
      basedOn: null,
      document: scheme,
      reason: "bench",
    });
    await t.store.cycles.create("test", {
      id: "big",
      year: 2024,
      name: "big",
      schemeId: "big",
      schemeVersion: 1,
    });
    const units = Array.from({ length: UNITS }, (_, i) => ({
      id: `U${String(i).padStart(4, "0")}`,
      name: `Unit ${i}`,
      group: "g",
      ...(i >= 10 ? { parent: `U000${i % 10}` } : {}),
    }));
    const scores = units.map((u, i) => ({
      unit: u.id,
      category: "work",
      value: String(50 + ((i * 37) % 500) / 10),
    }));
    await importUnitsAndScores(t.store, "big", units, scores);
  }, 180_000);
  afterAll(() => t?.close());

  describe("a 1,000-unit ranking", () => {
    const query = `{ ranking(cycleId: "big") { ... on Ranking { entries(first: 1000) { edges { node {
    rank total unit { name parent { name } } } } } } } }`;

    it("costs a bounded number of SQL queries, fewer once the evaluation is cached", async () => {
      const before = t.db.queries;
      const first = await t.gql(query, {}, { as: "viewer" });
      const cold = t.db.queries - before;
      expect(first.body.errors).toBeUndefined();
      expect(first.body.data.ranking.entries.edges).toHaveLength(UNITS);
      expect(first.body.data.ranking.entries.edges[999].node.unit.parent.name).toMatch(/^Unit \d$/);
      // Revision check (2) + one snapshot load (~12 statements) + one batched unit list.
      expect(cold).toBeLessThanOrEqual(20);

      const mark = t.db.queries;
      await t.gql(query, {}, { as: "viewer" });
      const warm = t.db.queries - mark;
      expect(warm).toBeLessThanOrEqual(4);
      expect(t.gateway.services.evaluations.hits).toBeGreaterThan(0);
    });

    it("reads the cycles once for a page of units' histories, not once per unit", async () => {
      const q = `{ units(cycleId: "big", first: 1000) { edges { node { id results { cycleId rank } } } } }`;
      await t.gql(q, {}, { as: "viewer" });
      const mark = t.db.queries;
      const { body } = await t.gql(q, {}, { as: "viewer" });
      expect(body.errors).toBeUndefined();
      expect(body.data.units.edges).toHaveLength(UNITS);
      expect(body.data.units.edges[0].node.results).toEqual([{ cycleId: "big", rank: expect.any(Number) }]);
      expect(t.db.queries - mark).toBeLessThanOrEqual(10);
    });

    it("bounds what-if work per request: a 5,000-sample Monte-Carlo over 1,000 units is refused", async () => {
      const q = (samples: number) =>
        t.gql(
          `{ uncertainty(cycleId: "big", seed: 1, samples: ${samples}) { __typename
            ... on ValidationError { issues { path message } } ... on Uncertainty { parameters { samples } } } }`,
          {},
          { as: "analyst" },
        );
      const refused = await q(5000);
      expect(refused.body.data.uncertainty).toMatchObject({
        __typename: "ValidationError",
        issues: [{ path: "samples", message: expect.stringContaining("too large for one request") }],
      });
      const ok = await q(200);
      expect(ok.body.data.uncertainty).toEqual({ __typename: "Uncertainty", parameters: { samples: 200 } });
      // The budget is per request: two big runs in one operation are refused together.
      const twice = await t.gql(
        `{ a: uncertainty(cycleId: "big", seed: 1, samples: 3000) { __typename }
           b: uncertainty(cycleId: "big", seed: 2, samples: 3000) { __typename } }`,
        {},
        { as: "analyst" },
      );
      expect([twice.body.data.a.__typename, twice.body.data.b.__typename].sort()).toEqual([
        "Uncertainty",
        "ValidationError",
      ]);
    });

    it("is re-scored after a write (never stale), and only then", async () => {
      await t.gql(
        `mutation { setScore(cycleId: "big", unitId: "U0999", category: "work", value: "100") { __typename } }`,
        {},
        { as: "admin" },
      );
      const { body } = await t.gql(
        `{ ranking(cycleId: "big") { ... on Ranking { entries(first: 1) { edges { node { unitId total } } } } } }`,
        {},
        { as: "viewer" },
      );
      expect(body.data.ranking.entries.edges[0].node).toEqual({ unitId: "U0999", total: "100.00" });
    });
  });
});
