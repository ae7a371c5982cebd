import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers.js";

/**
 * The analyst's fields over real HTTP with bad input: whatever arrives, the answer is a GraphQL
 * answer (data or errors), every error names the argument it is about and carries a code a client
 * can act on (never the masked "Unexpected error."), a refused write leaves the saved scenarios and
 * the audit trail as they were, and the server keeps answering.
 */

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.close());

const ERRORS = `__typename ... on Error { code message } ... on ValidationError { issues { path message } }
  ... on NotFoundError { entity missing: id }`;

describe("whatIf", () => {
  const analyst = (subject = "ann") => ({ as: "analyst" as const, subject });

  it("whatIf: an empty scenarioId is a scenario not found, not a missing scenario document", async () => {
    const { body } = await t.gql(
      `query($id: ID) { whatIf(cycleId: "2018", scenarioId: $id) { ${ERRORS} } }`,
      { id: "" },
      analyst(),
    );
    expect(body.data.whatIf).toMatchObject({ __typename: "NotFoundError", entity: "scenario", missing: "" });
  });
});

describe("ranking", () => {
  it("refuses an empty group or scenarioId rather than answering the published table", async () => {
    const q = `query($g: ID, $id: ID) { ranking(cycleId: "2018", group: $g, scenarioId: $id) { ${ERRORS}
      ... on Ranking { group scenarioId } } }`;
    const group = await t.gql(q, { g: "" }, { as: "viewer" });
    expect(group.body.data.ranking).toMatchObject({
      __typename: "ValidationError",
      issues: [{ path: "group", message: "no group '' in this cycle's scheme" }],
    });
    const scenario = await t.gql(q, { id: "" }, { as: "analyst", subject: "ann" });
    expect(scenario.body.data.ranking).toMatchObject({
      __typename: "NotFoundError",
      entity: "scenario",
      missing: "",
    });
    // Asking under a scenario, even an empty id, is an analyst's question.
    expect((await t.gql(q, { id: "" }, { as: "viewer" })).body.errors?.[0]?.extensions?.code).toBe(
      "FORBIDDEN",
    );
  });
});
