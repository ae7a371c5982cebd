import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/** Saving, sharing and deleting what-if scenarios: what is refused, how it is said, what is kept. */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const SAVE = `mutation($i: SaveScenarioInput!) { saveScenario(input: $i) { __typename
    ... on Scenario { id name } ... on Error { code message } ... on NotFoundError { entity missing: id } } }`;
  const save = async (input: Record<string, unknown>, subject = "ann") => {
    const { body } = await t.gql(
      SAVE,
      { i: { cycleId: "2018", patch: {}, ...input } },
      { as: "analyst", subject },
    );
    expect(body.errors).toBeUndefined();
    return body.data.saveScenario;
  };
  const names = async (subject: string) => {
    const { body } = await t.gql(`{ scenarios(cycleId: "2018") { name } }`, {}, { as: "analyst", subject });
    return body.data.scenarios.map((s: { name: string }) => s.name);
  };

  it("answers an empty id as a scenario not found, and creates nothing", async () => {
    const audit = await t.lastAuditId();
    expect(await save({ id: "", name: "by an empty id" }, "eve")).toEqual({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
      message: "scenario '' not found",
      entity: "scenario",
      missing: "",
    });
    expect(await names("eve")).toEqual([]);
    expect(await t.lastAuditId()).toBe(audit);
  });
});
