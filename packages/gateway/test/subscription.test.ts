import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  describe("rankingUpdated over Server-Sent Events", () => {
    it("delivers the fresh ranking when a score changes", async () => {
      const sub = await t.subscribe(
        `subscription { rankingUpdated(cycleId: "2019") { cycleId reason ranking { entries(first: 1) { edges { node { unitId total } } } } } }`,
        "viewer",
      );
      expect(sub.status).toBe(200);
      expect(sub.contentType).toMatch(/text\/event-stream/);
      const write = await t.gql(
        `mutation { setScore(cycleId: "2019", unitId: "U01", category: "business", value: "30") { __typename } }`,
        {},
        { as: "admin" },
      );
      expect(write.body.data.setScore.__typename).toBe("DirectScore");
      const data = await sub.next();
      sub.close();
      expect(data.data.rankingUpdated).toMatchObject({ cycleId: "2019", reason: "score" });
      expect(data.data.rankingUpdated.ranking.entries.edges).toHaveLength(1);
    });
  });
});
