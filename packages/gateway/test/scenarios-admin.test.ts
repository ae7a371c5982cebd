import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * Saved scenarios as an administrator clearing a cycle meets them, and the list of an unknown
 * cycle: who may delete whose, what a refused deleteCycle tells an admin, and what is kept.
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
  const deleteScenario = async (id: string, who: { as: "admin" | "analyst" | "viewer"; subject?: string }) =>
    (
      await t.gql(
        `mutation($id: ID!) { deleteScenario(id: $id) { __typename ... on Deleted { id } ... on Error { code message } } }`,
        { id },
        who,
      )
    ).body;
  const deleteCycle = async (cycleId: string) =>
    (
      await t.gql(
        `mutation($c: ID!) { deleteCycle(cycleId: $c) { __typename ... on DeletedCycle { cycleId }
          ... on ValidationError { issues { path message } } } }`,
        { c: cycleId },
        admin,
      )
    ).body.data.deleteCycle;
  const listed = async (cycleId: string, who: { as: "admin" | "analyst"; subject?: string }) =>
    (await t.gql(`query($c: ID!) { scenarios(cycleId: $c) { id owner } }`, { c: cycleId }, who)).body;
  /** The scenario ids a deleteCycle refusal names, and how many more it counts. */
  const namedIds = (message: string) => {
    const m =
      /saved what-if scenarios? \(of [^)]*\), (?:each )?deleted with deleteScenario by its owner or by an admin \(ids? ([^)]*?)(?: and (\d+) more)?\)/.exec(
        message,
      );
    expect(m, message).not.toBeNull();
    return { ids: m![1]!.split(", "), more: Number(m![2] ?? 0) };
  };

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

  it("lets an admin delete an analyst's private scenario, keeps analysts to their own, and then deletes the cycle", async () => {
    await createCycle("scrap");
    const own = await save("ann", "scrap", "ann's private");
    const shared = await save("ann", "scrap", "ann's shared", true);
    const audit = await t.lastAuditId();

    expect((await deleteScenario(own, analyst("bob"))).data.deleteScenario).toEqual({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
      message: `scenario '${own}' not found`,
    });
    expect((await deleteScenario(shared, analyst("bob"))).data.deleteScenario).toEqual({
      __typename: "ForbiddenError",
      code: "FORBIDDEN",
      message: `scenario '${shared}' belongs to ann`,
    });
    const viewer = await deleteScenario(own, { as: "viewer" });
    expect(viewer.data).toBeNull();
    expect(viewer.errors?.[0]).toMatchObject({
      message: "viewer may not run deleteScenario: it needs analyst or admin",
      extensions: { code: "FORBIDDEN" },
    });
    expect(await t.lastAuditId()).toBe(audit);

    // The refusal names what an admin deletes: the ids, an admin's list showing only shared ones.
    const refused = await deleteCycle("scrap");
    expect(refused.__typename).toBe("ValidationError");
    expect(refused.issues[0].path).toBe("cycleId");
    const ids = [own, shared].sort();
    expect(refused.issues[0].message).toContain(
      `it still holds 2 saved what-if scenarios (of ann), each deleted with deleteScenario by its owner or by an admin (ids ${ids.join(", ")}).`,
    );
    expect(namedIds(refused.issues[0].message)).toEqual({ ids, more: 0 });
    expect((await listed("scrap", admin)).data.scenarios).toEqual([{ id: shared, owner: "ann" }]);

    expect((await deleteScenario(own, admin)).data.deleteScenario).toEqual({
      __typename: "Deleted",
      id: own,
    });
    const [entry] = await t.store.audit.list({ entity: "scenario", entityId: own, limit: 1 });
    expect(entry).toMatchObject({
      action: "delete",
      actor: "admin-1",
      cycleId: "scrap",
      before: { id: own, name: "ann's private", owner: "ann", shared: false },
      after: null,
    });
    expect((await listed("scrap", analyst("ann"))).data.scenarios).toEqual([{ id: shared, owner: "ann" }]);

    const last = await deleteCycle("scrap");
    expect(last.issues[0].message).toContain(
      `1 saved what-if scenario (of ann), deleted with deleteScenario by its owner or by an admin (id ${shared}).`,
    );
    expect((await deleteScenario(shared, admin)).data.deleteScenario).toEqual({
      __typename: "Deleted",
      id: shared,
    });
    expect(await deleteCycle("scrap")).toEqual({ __typename: "DeletedCycle", cycleId: "scrap" });
    expect((await deleteScenario(shared, admin)).data.deleteScenario).toMatchObject({
      __typename: "NotFoundError",
    });
  });

  it("names the first 20 scenario ids in a refusal and counts the rest, so an admin clears a crowded cycle", async () => {
    await createCycle("crowded");
    // 23 of three analysts (through SQL: 23 saves through HTTP take long), in no id order.
    await t.db.query(
      `INSERT INTO scenarios (id, cycle_id, owner, name, patch, shared)
       SELECT 'crowd-' || lpad(((n * 7) % 23)::text, 2, '0'), 'crowded', 'owner-' || (n % 3), 'crowd ' || n,
              '{}'::json, n % 2 = 0
       FROM generate_series(0, 22) AS n`,
    );
    const everyId = (
      await t.db.query<{ id: string; owner: string }>(
        "SELECT id, owner FROM scenarios WHERE cycle_id = 'crowded'",
      )
    )
      .sort((a, b) => (a.owner === b.owner ? (a.id < b.id ? -1 : 1) : a.owner < b.owner ? -1 : 1))
      .map((s) => s.id);

    const first = (await deleteCycle("crowded")).issues[0].message as string;
    expect(first).toContain("23 saved what-if scenarios (of owner-0, owner-1, owner-2)");
    expect(namedIds(first)).toEqual({ ids: everyId.slice(0, 20), more: 3 });
    for (const id of namedIds(first).ids)
      expect((await deleteScenario(id, admin)).data.deleteScenario.__typename).toBe("Deleted");

    const second = (await deleteCycle("crowded")).issues[0].message as string;
    expect(namedIds(second)).toEqual({ ids: everyId.slice(20), more: 0 });
    for (const id of namedIds(second).ids)
      expect((await deleteScenario(id, admin)).data.deleteScenario.__typename).toBe("Deleted");
    expect(await deleteCycle("crowded")).toEqual({ __typename: "DeletedCycle", cycleId: "crowded" });
  });
});
