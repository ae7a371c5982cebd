import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/** How big a saved scenario may be, how many one analyst keeps, how much of them a request reads. */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const save = async (subject: string, input: Record<string, unknown>) => {
    const r = await t.gql(
      `mutation($input: SaveScenarioInput!) { saveScenario(input: $input) {
        __typename ... on Scenario { id } ... on ValidationError { issues { path message } } ... on Error { message } } }`,
      { input: { cycleId: "2018", ...input } },
      { as: "analyst", subject },
    );
    expect(r.body.errors).toBeUndefined();
    return r.body.data.saveScenario;
  };
  const rules = { patch: { categories: { public: { points: 50 } } } };

  it("refuses a patch over 256 KB at input.patch, on create and on update, and saves one under it", async () => {
    const over = { ...rules, description: "x".repeat(300_000) };
    const refusal = {
      __typename: "ValidationError",
      issues: [
        {
          path: "input.patch",
          message:
            "is 300,066 bytes as JSON, over the 262,144 (256 KB) a saved scenario may hold: save a smaller change, or split it into several scenarios",
        },
      ],
    };
    expect(await save("big", { name: "too big", patch: over })).toMatchObject(refusal);
    const under = await save("big", { name: "big", patch: { ...rules, description: "x".repeat(200_000) } });
    expect(under.__typename).toBe("Scenario");
    expect(await save("big", { id: under.id, name: "big", patch: over })).toMatchObject(refusal);
    const { body } = await t.gql(
      `query($id: ID!) { scenario(id: $id) { ... on Scenario { patch } } }`,
      { id: under.id },
      { as: "analyst", subject: "big" },
    );
    expect(body.data.scenario.patch.description).toHaveLength(200_000);
  });

  it("keeps at most 100 scenarios of one analyst on a cycle", async () => {
    // 99 saved before (through SQL: a hundred saves through HTTP take long), then the 100th here.
    await t.db.query(
      `INSERT INTO scenarios (id, cycle_id, owner, name, patch, shared)
       SELECT 'kept-' || n, '2018', 'keeper', 'kept ' || n, '{}'::json, false FROM generate_series(1, 99) AS n`,
    );
    expect((await save("keeper", { name: "the 100th", patch: rules })).__typename).toBe("Scenario");
    expect(await save("keeper", { name: "the 101st", patch: rules })).toEqual({
      __typename: "ConflictError",
      message:
        "you already have 100 scenarios on cycle '2018', the most one analyst may keep: delete one you no longer need (deleteScenario), or save over one with its id",
    });
    // Saving over one of them is no new scenario; another cycle and another analyst are apart.
    expect((await save("keeper", { id: "kept-1", name: "kept 1", patch: rules })).__typename).toBe(
      "Scenario",
    );
    expect((await save("keeper", { cycleId: "2019", name: "next year", patch: rules })).__typename).toBe(
      "Scenario",
    );
    expect((await save("other", { name: "the 101st", patch: rules })).__typename).toBe("Scenario");
    const deleted = await t.gql(
      `mutation { deleteScenario(id: "kept-2") { __typename } }`,
      {},
      { as: "analyst", subject: "keeper" },
    );
    expect(deleted.body.data.deleteScenario).toEqual({ __typename: "Deleted" });
    expect((await save("keeper", { name: "the 101st", patch: rules })).__typename).toBe("Scenario");
  });

  it("reads at most 8 MB of scenario patches in one request", async () => {
    // Shared scenarios of 1 MB each, as could be saved before patches had a limit.
    await t.db.query(
      `INSERT INTO scenarios (id, cycle_id, owner, name, patch, shared)
       SELECT 'large-' || n, '2019', 'hoarder', 'large ' || n,
              json_build_object('description', repeat('x', 1000000)), true
       FROM generate_series(1, 9) AS n`,
    );
    const reader = { as: "analyst" as const, subject: "reader" };
    const names = await t.gql(`{ scenarios(cycleId: "2019") { name } }`, {}, reader);
    expect(names.body.errors).toBeUndefined();
    expect(names.body.data.scenarios).toHaveLength(9);

    const all = await t.gql(`{ scenarios(cycleId: "2019") { name patch } }`, {}, reader);
    expect(all.body.data).toEqual({ scenarios: null });
    expect(all.body.errors).toEqual([
      expect.objectContaining({
        message:
          "this request reads more than 8,388,608 bytes (8 MB) of scenario patches (Scenario.patch): ask for the patch of fewer scenarios, such as one with scenario(id:), and leave it out of lists",
        extensions: expect.objectContaining({ code: "QUERY_TOO_COSTLY" }),
      }),
    ]);
    // Aliases share the one budget: each of these alone is under it.
    const one = `scenario(id: "large-1") { ... on Scenario { patch } }`;
    const aliased = await t.gql(
      `{ ${Array.from({ length: 9 }, (_, i) => `a${i}: ${one}`).join(" ")} }`,
      {},
      reader,
    );
    expect(aliased.body.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COSTLY");
    const single = await t.gql(`{ ${one} }`, {}, reader);
    expect(single.body.errors).toBeUndefined();
    expect(single.body.data.scenario.patch.description).toHaveLength(1_000_000);
  });
});
