import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/** The audit log shows every change, and hand corrections outlive the imports they correct. */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const admin = { as: "admin" as const };
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  it("upsertUnit audits the group it creates on the fly", async () => {
    const c = await t.gql(
      `mutation { createCycle(input: { id: "history", year: 2032, name: "history", schemeId: "city-review", schemeVersion: 2 }) { __typename } }`,
      {},
      admin,
    );
    expect(c.body.data.createCycle.__typename).toBe("Cycle");
    const u = await t.gql(
      `mutation { upsertUnit(cycleId: "history", input: { id: "A", name: "A", group: "law-enforcement" }) { __typename } }`,
      {},
      admin,
    );
    expect(u.body.data.upsertUnit.__typename).toBe("Unit");
    const groups = await t.gql(`{ groups(cycleId: "history") { id name ranked } }`, {}, admin);
    // Named as the cycle's scheme declares it, not by its id.
    const declared = {
      id: "law-enforcement",
      name: "执法监管部门 law enforcement and regulation",
      ranked: true,
    };
    expect(groups.body.data.groups).toEqual([declared]);
    const history = await t.store.audit.list({ cycleId: "history" });
    expect(history.map((r) => [r.action, r.entity, r.entityId, r.actor]).reverse()).toEqual([
      ["create", "cycle", "history", "admin-1"],
      ["create", "group", "law-enforcement", "admin-1"],
      ["create", "unit", "A", "admin-1"],
    ]);
    expect(history[1]!.after).toEqual(declared);

    // Another unit of the group creates nothing more.
    await t.gql(
      `mutation { upsertUnit(cycleId: "history", input: { id: "B", name: "B", group: "law-enforcement" }) { __typename } }`,
      {},
      admin,
    );
    expect((await t.store.audit.list({ cycleId: "history", entity: "group" })).length).toBe(1);
  });

  it("a finding whose rectification was corrected by hand outlives the import that loaded it", async () => {
    const query = `mutation($file: File!) { importFile(cycleId: "history", importId: "inspections-q1", kind: FINDINGS, format: CSV, file: $file) {
      __typename ... on ImportResult { rows } ... on Error { message } } }`;
    const csv =
      "id,unit,type,level,rectification\nq1,A,unannounced-visit,city,pending\nq2,A,unannounced-visit,city,pending\n";
    const imported = await t.upload(query, {}, { name: "q1.csv", body: csv });
    expect(imported.body.data.importFile).toEqual({ __typename: "ImportResult", rows: 2 });
    const rect = await t.gql(
      `mutation { setRectification(cycleId: "history", findingId: "q1", input: { rectification: LATE, rectifiedOn: "2032-04-02" }) { __typename } }`,
      {},
      admin,
    );
    expect(rect.body.data.setRectification.__typename).toBe("Finding");

    // Removing the import takes away only what is still as it was imported.
    const removed = await t.gql(
      `mutation { removeImport(importId: "inspections-q1") {
        __typename ... on RemovedImport { cycleId removedRows } ... on Error { message } } }`,
      {},
      admin,
    );
    expect(removed.body.data.removeImport).toEqual({
      __typename: "RemovedImport",
      cycleId: "history",
      removedRows: 1,
    });
    expect(await t.store.records.listFindings("history")).toEqual([
      {
        id: "q1",
        unit: "A",
        type: "unannounced-visit",
        level: "city",
        rectification: "late",
        repeated: false,
        rectifiedOn: "2032-04-02",
      },
    ]);
  });

  it("a bulk write of no rows leaves the audit log, and so the cached ranking, as they were", async () => {
    const ranking = `{ ranking(cycleId: "2019") { ... on Ranking { entries(first: 3) { edges { cursor } } } } }`;
    const copied = await t.gql(
      `mutation { createCycle(input: { id: "copied", year: 2033, name: "copied", schemeId: "city-review", schemeVersion: 2, copyUnitsFrom: "2019" }) { __typename } }`,
      {},
      admin,
    );
    expect(copied.body.data.createCycle.__typename).toBe("Cycle");
    const first = await t.gql(ranking, {}, admin);
    expect(first.body.errors).toBeUndefined();
    const evaluations = t.gateway.services.evaluations;
    const misses = evaluations.misses;
    const audit = await t.lastAuditId();
    const revision = await t.store.audit.revision("2019");

    // Through the store: no mutation makes the first and last (imports write their own rows under
    // an import record; createCycle copies units only into the cycle it creates), so none can send
    // them no rows. deleteSurveyForms refuses to delete nothing, and writes nothing either.
    expect(await t.store.records.addSurveyForms("admin-1", "2019", [])).toBe(0);
    await expect(
      t.store.records.deleteSurveyForms(
        "admin-1",
        "2019",
        { category: "public", unit: "no-such-unit" },
        { expected: 1 },
      ),
    ).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: "unitId" }] });
    expect(await t.store.units.copyFrom("admin-1", "2019", "copied")).toBe(0);

    expect(await t.lastAuditId()).toBe(audit);
    expect(await t.store.audit.revision("2019")).toEqual(revision);
    expect((await t.gql(ranking, {}, admin)).body).toEqual(first.body);
    expect(evaluations.misses).toBe(misses);
  });
});
