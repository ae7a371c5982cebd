import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

const codeOf = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  body.errors?.[0]?.extensions?.code;

const WEIGHTS = `query($c: ID!, $g: ID) {
  effectiveWeights(cycleId: $c, group: $g) {
    __typename
    ... on EffectiveWeights {
      cycle { id } schemeId schemeVersion basis
      groups {
        group name ranked units leftOut meanTotal variance standardDeviation reason
        lines { part kind name nominal nominalPercent effective effectivePercent covariance correlation }
      }
    }
    ... on ValidationError { code issues { path message } }
    ... on NotFoundError { code entity id }
  }
}`;

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  describe("effectiveWeights", () => {
    it("2018: public evaluation has 40% of the points and about 9% of the spread of the totals", async () => {
      const { body } = await t.gql(WEIGHTS, { c: "2018" }, { as: "viewer" });
      expect(body.errors).toBeUndefined();
      const w = body.data.effectiveWeights;
      expect(w).toMatchObject({
        __typename: "EffectiveWeights",
        cycle: { id: "2018" },
        schemeVersion: 1,
        basis: "unrounded",
      });
      expect(w.groups).toHaveLength(1);
      const [g] = w.groups;
      expect(g).toMatchObject({
        group: "law-enforcement",
        ranked: true,
        units: 29,
        leftOut: 0,
        variance: "17858123/841000",
        reason: null,
      });
      expect(g.standardDeviation).toBeCloseTo(Math.sqrt(17858123 / 841000), 12);
      const rows = g.lines.map((l: any) => [l.part, l.kind, l.nominalPercent, l.effectivePercent]);
      expect(rows).toEqual([
        ["business", "CATEGORY", "30.00", "46.05"],
        ["organ", "CATEGORY", "30.00", "44.51"],
        ["public", "CATEGORY", "40.00", "9.44"],
        ["bonus", "ADJUSTMENT", null, "0.00"],
        ["total-deductions", "ADJUSTMENT", null, "0.00"],
        ["roll-ups-and-rounding", "ADJUSTMENT", null, "0.00"],
      ]);
      const business = g.lines[0];
      expect(business).toMatchObject({ name: "业务工作 business work", nominal: "0.3" });
      expect(business.effective).toMatch(/^\d+\/\d+$/);
      expect(business.correlation).toBeCloseTo(0.897, 3);
      expect(business.correlation).toBeLessThanOrEqual(1);
    });

    it("reads the cached evaluation, and a write to the cycle gives new weights", async () => {
      const services = t.gateway.services;
      await t.gql(`{ ranking(cycleId: "2019") { __typename } }`, {}, { as: "viewer" });
      const misses = services.evaluations.misses;
      const first = await t.gql(WEIGHTS, { c: "2019", g: "law-enforcement" }, { as: "viewer" });
      const again = await t.gql(WEIGHTS, { c: "2019", g: "law-enforcement" }, { as: "viewer" });
      expect(services.evaluations.misses).toBe(misses);
      expect(again.body).toEqual(first.body);
      const parts = first.body.data.effectiveWeights.groups[0].lines.map((l: any) => [
        l.part,
        l.effectivePercent,
      ]);
      expect(Object.fromEntries(parts)).toMatchObject({ business: "45.81", organ: "28.60", public: "25.57" });

      // 市文化广电旅游局 (U29), last, gets full marks in business work: business work spreads less.
      const write = await t.gql(
        `mutation { setScore(cycleId: "2019", unitId: "U29", category: "business", value: "30") { __typename } }`,
        {},
        { as: "admin" },
      );
      expect(write.body.data.setScore.__typename).toBe("DirectScore");
      const after = await t.gql(WEIGHTS, { c: "2019", g: "law-enforcement" }, { as: "viewer" });
      const business = after.body.data.effectiveWeights.groups[0].lines[0];
      expect(business.effectivePercent).not.toBe("45.81");
    });

    it("names an unknown group and an unknown cycle", async () => {
      const group = await t.gql(WEIGHTS, { c: "2018", g: "nowhere" }, { as: "viewer" });
      expect(group.body.data.effectiveWeights).toEqual({
        __typename: "ValidationError",
        code: "VALIDATION",
        issues: [{ path: "group", message: 'unknown group "nowhere" (known: law-enforcement)' }],
      });
      // An empty id is an id given, not every group.
      const empty = await t.gql(WEIGHTS, { c: "2018", g: "" }, { as: "viewer" });
      expect(empty.body.data.effectiveWeights.__typename).toBe("ValidationError");
      const cycle = await t.gql(WEIGHTS, { c: "1999" }, { as: "viewer" });
      expect(cycle.body.data.effectiveWeights).toMatchObject({
        __typename: "NotFoundError",
        entity: "cycle",
      });
    });

    it("needs a token", async () => {
      const anonymous = await t.gql(WEIGHTS, { c: "2018" });
      expect(codeOf(anonymous.body)).toBe("UNAUTHENTICATED");
      expect(anonymous.body.data?.effectiveWeights ?? null).toBeNull();
    });
  });
});
