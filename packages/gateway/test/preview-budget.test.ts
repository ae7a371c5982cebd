/**
 * A scheme preview against a subject's minute of analysis work (PINGYI_ANALYSIS_SECONDS_PER_MINUTE):
 * a draft the preview refuses scores nothing, so it spends none of the minute. On the 1,000 units
 * of cycle "wide", a preview of two categories is priced at 300,000 work units (0.09 s): a minute
 * of 2 s holds 22 of them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";
import { loadWideCycle, wideScheme } from "./wide-cycle.js";

const PREVIEW = `mutation($document: JSON!) {
  previewSchemeImpact(cycleId: "wide", document: $document) {
    __typename
    ... on ValidationError { issues { path message } }
    ... on RankMovements { movements(first: 1) { totalCount } }
  } }`;

describe.each(backends)("%s", (backend) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ seed: false, backend, env: { PINGYI_ANALYSIS_SECONDS_PER_MINUTE: "2" } });
    await loadWideCycle(t.store, { groups: 1, versions: 1 });
  }, 180_000);
  afterAll(() => t?.close());

  it("charges no draft it refuses: more refusals than the minute would hold leave it whole for a preview that runs", async () => {
    // A grade line typed as 850 for 85: publishing refuses it, and so does the preview.
    const typo = { ...wideScheme(2, 1), grades: { rules: [{ id: "x", name: "x", minTotal: 850 }] } };
    for (let i = 0; i < 25; i++) {
      const { body } = await t.gql(PREVIEW, { document: typo }, { as: "admin", subject: "pat" });
      expect(body.errors).toBeUndefined();
      expect(body.data.previewSchemeImpact).toMatchObject({
        __typename: "ValidationError",
        issues: [{ path: "document.grades.rules[0].minTotal" }],
      });
    }
    const { body } = await t.gql(PREVIEW, { document: wideScheme(2, 1) }, { as: "admin", subject: "pat" });
    expect(body.errors).toBeUndefined();
    expect(body.data.previewSchemeImpact).toEqual({
      __typename: "RankMovements",
      movements: { totalCount: 1000 },
    });
  });
});
