import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

const codeOf = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  body.errors?.[0]?.extensions?.code;

const PROFILE = `query($c: ID!, $u: ID!, $n: Int, $s: ID) {
  unitProfile(cycleId: $c, unitId: $u, count: $n, scenarioId: $s) {
    __typename
    ... on UnitProfile {
      cycleId scenarioId unitId name group groupRanked total rank rankedInGroup count
      unit { id name }
      categories { category name status points maxPoints share sharePercent rank of median gapToMedian }
      strongest { category rank }
      weakest { category rank }
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

  describe("unitProfile", () => {
    it("2019, 市市场监督管理局: 7th in business work, 11th in organ construction, 18th in public evaluation", async () => {
      const { body } = await t.gql(PROFILE, { c: "2019", u: "U09" }, { as: "viewer" });
      expect(body.errors).toBeUndefined();
      const p = body.data.unitProfile;
      expect(p).toMatchObject({
        __typename: "UnitProfile",
        cycleId: "2019",
        scenarioId: null,
        unitId: "U09",
        name: "市市场监督管理局",
        group: "law-enforcement",
        groupRanked: true,
        total: "82.94",
        rank: 9,
        rankedInGroup: 29,
        count: 1,
        unit: { id: "U09", name: "市市场监督管理局" },
        strongest: [{ category: "business", rank: 7 }],
        weakest: [{ category: "public", rank: 18 }],
      });
      expect(
        p.categories.map((c: any) => [
          c.category,
          c.points,
          c.sharePercent,
          c.rank,
          c.of,
          c.median,
          c.gapToMedian,
        ]),
      ).toEqual([
        ["business", "26.40", "88.00", 7, 29, "25.1", "1.3"],
        ["organ", "17.96", "89.80", 11, 29, "17.2", "0.76"],
        ["public", "38.58", "77.16", 18, 29, "39.28", "-0.7"],
      ]);
    });

    it("says how many it listed when more are asked than half the categories", async () => {
      const { body } = await t.gql(PROFILE, { c: "2019", u: "U09", n: 3 }, { as: "viewer" });
      expect(body.data.unitProfile).toMatchObject({ count: 1, strongest: [{ category: "business" }] });
    });

    it("names a bad count, an unknown unit and an unknown cycle", async () => {
      const count = await t.gql(PROFILE, { c: "2019", u: "U09", n: 0 }, { as: "viewer" });
      expect(count.body.data.unitProfile).toEqual({
        __typename: "ValidationError",
        code: "VALIDATION",
        issues: [{ path: "count", message: "must be a whole number of at least 1, not 0" }],
      });
      const unit = await t.gql(PROFILE, { c: "2019", u: "U99" }, { as: "viewer" });
      expect(unit.body.data.unitProfile).toMatchObject({
        __typename: "NotFoundError",
        entity: "unit",
        id: "U99",
      });
      const cycle = await t.gql(PROFILE, { c: "1999", u: "U09" }, { as: "viewer" });
      expect(cycle.body.data.unitProfile).toMatchObject({ __typename: "NotFoundError", entity: "cycle" });
    });

    it("under a saved scenario (analysts): the 2019 reform on the 2018 results", async () => {
      const saved = await t.gql(
        `mutation($p: JSON!) { saveScenario(input: { cycleId: "2018", name: "2019 reform", patch: $p }) {
          __typename ... on Scenario { id } } }`,
        { p: { patch: { categories: { public: { points: 50 }, organ: { points: 20 } } } } },
        { as: "analyst", subject: "ann" },
      );
      const id = saved.body.data.saveScenario.id;
      const viewer = await t.gql(PROFILE, { c: "2018", u: "U09", s: id }, { as: "viewer" });
      expect(codeOf(viewer.body)).toBe("FORBIDDEN");

      const { body } = await t.gql(
        PROFILE,
        { c: "2018", u: "U09", s: id },
        { as: "analyst", subject: "ann" },
      );
      expect(body.errors).toBeUndefined();
      const p = body.data.unitProfile;
      expect(p).toMatchObject({ scenarioId: id, total: "82.94", rank: 10 });
      expect(p.categories.map((c: any) => [c.category, c.points, c.maxPoints])).toEqual([
        ["business", "26.40", "30.00"],
        ["organ", "17.96", "20.00"],
        ["public", "38.58", "50.00"],
      ]);
      // Without the scenario the same unit reads as published in 2018.
      const published = await t.gql(PROFILE, { c: "2018", u: "U09" }, { as: "viewer" });
      expect(published.body.data.unitProfile).toMatchObject({ scenarioId: null, total: "84.20", rank: 9 });
    });

    it("needs a token", async () => {
      const anonymous = await t.gql(PROFILE, { c: "2019", u: "U09" });
      expect(codeOf(anonymous.body)).toBe("UNAUTHENTICATED");
    });
  });
});
