import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * auditEntry: one entry of the log by its id, with its before and after. The console's History
 * page lists entries without them (one of ballots deleted together holds every ballot) and opens
 * the one an administrator asks for.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const ENTRY = "id at actor action entity entityId cycleId before after reason";
  const QUERY = `query($id: ID!) { auditEntry(id: $id) { __typename
    ... on AuditEntry { ${ENTRY} }
    ... on NotFoundError { entity missing: id message }
    ... on ValidationError { issues { path message } } } }`;
  const entry = async (id: string, as: "viewer" | "analyst" | "admin" = "admin") =>
    (await t.gql(QUERY, { id }, { as, subject: "auditor" })).body;

  /** The cycle's entries as auditLog lists them, newest first, with their before and after. */
  const logged = async (cycleId: string) => {
    const r = await t.gql(
      `query($c: ID!) { auditLog(cycleId: $c) { edges { node { ${ENTRY} } } } }`,
      { c: cycleId },
      { as: "admin" },
    );
    expect(r.body.errors).toBeUndefined();
    return (r.body.data.auditLog.edges as { node: Record<string, unknown> }[]).map((e) => e.node);
  };

  beforeAll(async () => {
    t = await startTestServer({ backend });
    const r = await t.gql(
      `mutation {
        createCycle(input: { id: "entry-a", year: 2035, name: "entry a", schemeId: "city-review", schemeVersion: 2 }) { __typename }
        unit: upsertUnit(cycleId: "entry-a", input: { id: "A", name: "A", group: "law-enforcement" }) { __typename }
        renamed: upsertUnit(cycleId: "entry-a", input: { id: "A", name: "A renamed", group: "law-enforcement" }) { __typename }
        createCycle2: createCycle(input: { id: "entry-b", year: 2036, name: "entry b", schemeId: "city-review", schemeVersion: 2 }) { __typename }
        deleteCycle(cycleId: "entry-b", reason: "made by mistake") { __typename ... on Error { message } }
      }`,
      {},
      { as: "admin" },
    );
    expect(r.body.errors).toBeUndefined();
    expect(Object.values(r.body.data).map((v: any) => v.__typename)).toEqual([
      "Cycle",
      "Unit",
      "Unit",
      "Cycle",
      "DeletedCycle",
    ]);
  });
  afterAll(() => t?.close());

  it("answers the entry with that id, as auditLog lists it, and no other", async () => {
    const entries = await logged("entry-a");
    expect(entries.map((e) => [e.action, e.entity, e.entityId])).toEqual([
      ["update", "unit", "A"],
      ["create", "unit", "A"],
      ["create", "group", "law-enforcement"],
      ["create", "cycle", "entry-a"],
    ]);
    // Each has neighbours on both sides (the unit's create between its group and its update).
    for (const listed of entries) {
      const body = await entry(String(listed.id));
      expect(body.errors).toBeUndefined();
      expect(body.data.auditEntry).toEqual({ __typename: "AuditEntry", ...listed });
    }
    const update = (await entry(String(entries[0]!.id))).data.auditEntry;
    expect([update.before.name, update.after.name]).toEqual(["A", "A renamed"]);
  });

  it("keeps a deleted cycle's entries readable, what was deleted in before", async () => {
    const [deleted] = await logged("entry-b");
    const body = await entry(String(deleted!.id));
    expect(body.data.auditEntry).toMatchObject({
      action: "delete",
      entity: "cycle",
      entityId: "entry-b",
      reason: "made by mistake",
      before: { id: "entry-b", name: "entry b" },
      after: null,
    });
  });

  it("is NotFound for an id no entry has, and refuses an id that is not a whole number from 1 at id", async () => {
    const last = await t.lastAuditId();
    const missing = await entry(String(last + 1000));
    expect(missing.errors).toBeUndefined();
    expect(missing.data.auditEntry).toEqual({
      __typename: "NotFoundError",
      entity: "audit entry",
      missing: String(last + 1000),
      message: `audit entry '${last + 1000}' not found`,
    });
    for (const id of ["abc", "-1", "0", "1.5", "1e3", " 7", "", "99999999999999999999"]) {
      const refused = await entry(id);
      expect(refused.errors, id).toBeUndefined();
      expect(refused.data.auditEntry, id).toEqual({
        __typename: "ValidationError",
        issues: [
          {
            path: "id",
            message: `must be an entry's id as auditLog gives it, a whole number from 1 (got ${JSON.stringify(id)})`,
          },
        ],
      });
    }
  });

  it("is for admins only", async () => {
    const id = String(await t.lastAuditId());
    expect((await t.gql(QUERY, { id })).body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    for (const role of ["viewer", "analyst"] as const) {
      const body = await entry(id, role);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", needed: "admin" });
      expect(body.data?.auditEntry ?? null).toBeNull();
    }
  });
});
