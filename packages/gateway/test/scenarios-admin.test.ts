import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * Saved scenarios as an administrator or an analyst meets them: the list of an unknown cycle.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const admin = { as: "admin" as const };
  const analyst = (subject: string) => ({ as: "analyst" as const, subject });

  let year = 2050;
  const createCycle = async (id: string) => {
    const { body } = await t.gql(
      `mutation($i: CreateCycleInput!) { createCycle(input: $i) { __typename } }`,
      { i: { id, name: id, year: year++, schemeId: "city-review", schemeVersion: 2, previousCycle: null } },
      admin,
    );
    expect(body.data.createCycle.__typename).toBe("Cycle");
  };
  const save = async (subject: string, cycleId: string, name: string, shared = false) => {
    const { body } = await t.gql(
      `mutation($i: SaveScenarioInput!) { saveScenario(input: $i) { __typename ... on Scenario { id } } }`,
      { i: { cycleId, name, patch: {}, shared } },
      analyst(subject),
    );
    expect(body.data.saveScenario.__typename).toBe("Scenario");
    return body.data.saveScenario.id as string;
  };
  const listed = async (cycleId: string, who: { as: "admin" | "analyst"; subject?: string }) =>
    (await t.gql(`query($c: ID!) { scenarios(cycleId: $c) { id owner } }`, { c: cycleId }, who)).body;

  it("answers an unknown cycle's scenarios with NOT_FOUND naming it, and a known one without any with []", async () => {
    const { body } = await t.gql(
      `{ scenarios(cycleId: "no-such-cycle") { id } cycle(id: "2018") { __typename } }`,
      {},
      analyst("ann"),
    );
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: "cycle 'no-such-cycle' not found",
        path: ["scenarios"],
        extensions: expect.objectContaining({ code: "NOT_FOUND" }),
      }),
    ]);
    // Null at its path only: the request's other fields are answered.
    expect(body.data).toEqual({ scenarios: null, cycle: { __typename: "Cycle" } });

    await createCycle("bare");
    expect(await listed("bare", analyst("ann"))).toEqual({ data: { scenarios: [] } });
    // Another's private scenario leaves the cycle's list empty to her, not unknown.
    await save("bob", "bare", "bob's own");
    expect(await listed("bare", analyst("ann"))).toEqual({ data: { scenarios: [] } });
  });
});
