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
      const abort = new AbortController();
      const res = await fetch(`${t.url}/graphql`, {
        method: "POST",
        signal: abort.signal,
        headers: {
          accept: "text/event-stream",
          "content-type": "application/json",
          authorization: `Bearer ${await t.token("viewer")}`,
        },
        body: JSON.stringify({
          query: `subscription { rankingUpdated(cycleId: "2019") { cycleId reason ranking { entries(first: 1) { edges { node { unitId total } } } } } }`,
        }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();

      // The subscription is registered once the stream is open; give the server a tick.
      await new Promise((r) => setTimeout(r, 100));
      const write = await t.gql(
        `mutation { setScore(cycleId: "2019", unitId: "U01", category: "business", value: "30") { __typename } }`,
        {},
        { as: "admin" },
      );
      expect(write.body.data.setScore.__typename).toBe("DirectScore");

      let text = "";
      while (!text.includes("event: next")) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      abort.abort();
      const data = JSON.parse(text.split("event: next")[1]!.split("data: ")[1]!.split("\n")[0]!);
      expect(data.data.rankingUpdated).toMatchObject({ cycleId: "2019", reason: "score" });
      expect(data.data.rankingUpdated.ranking.entries.edges).toHaveLength(1);
    });
  });
});
