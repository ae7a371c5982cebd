import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  it("reads each event's records afresh: a renamed unit is named anew in every event", async () => {
    const sub = await t.subscribe(
      `subscription { rankingUpdated(cycleId: "2019") { ranking { entries(first: 1) { edges { node { unitId name unit { name } } } } } } }`,
      "viewer",
    );
    try {
      const first = async () => {
        const event = await sub.next();
        expect(event?.errors).toBeUndefined();
        return event.data.rankingUpdated.ranking.entries.edges[0].node;
      };
      const top = await t.gql(
        `{ ranking(cycleId: "2019") { ... on Ranking { entries(first: 1) { edges { node { unitId unit { groupId } } } } } } }`,
        {},
        { as: "viewer" },
      );
      const { unitId, unit } = top.body.data.ranking.entries.edges[0].node;
      for (const name of ["Name-A", "Name-B", "Name-C"]) {
        const r = await t.gql(
          `mutation($input: UnitInput!) { upsertUnit(cycleId: "2019", input: $input) { __typename } }`,
          { input: { id: unitId, name, group: unit.groupId } },
          { as: "admin" },
        );
        expect(r.body.data.upsertUnit).toEqual({ __typename: "Unit" });
        expect(await first()).toEqual({ unitId, name, unit: { name } });
      }
    } finally {
      sub.close();
    }
  });
});
