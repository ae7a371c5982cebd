import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/** An administrator loads a year's units from one file, through the API, and can take them out again. */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const admin = { as: "admin" as const };
  const IMPORT = `mutation($file: File!, $c: ID!, $i: ID!) { importFile(cycleId: $c, importId: $i, kind: UNITS, format: CSV, file: $file) {
    __typename ... on ImportResult { importId status rows }
    ... on ImportError { totalErrors badRows: rows { line column message } } ... on Error { message } } }`;
  const REMOVE = `mutation($i: ID!) { removeImport(importId: $i) {
    __typename ... on RemovedImport { removedRows } ... on ValidationError { issues { path message } } ... on Error { message } } }`;
  const UNITS = `query($c: ID!) { units(cycleId: $c, first: 100) { edges { node { id name groupId parentId kind } } }
    groups(cycleId: $c) { id name ranked } }`;

  /** A multipart upload of raw bytes (a GB18030 file is not a JavaScript string). */
  async function upload(cycleId: string, importId: string, body: Uint8Array | string) {
    const form = new FormData();
    form.append(
      "operations",
      JSON.stringify({ query: IMPORT, variables: { c: cycleId, i: importId, file: null } }),
    );
    form.append("map", JSON.stringify({ 0: ["variables.file"] }));
    form.append("0", new Blob([body as BlobPart], { type: "text/csv" }), "units.csv");
    const res = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${await t.token("admin")}`, "x-pingyi-client": "test" },
      body: form,
    });
    expect(res.status).toBe(200);
    return (await res.json()).data.importFile;
  }
  const units = async (cycleId: string) => {
    const r = await t.gql(UNITS, { c: cycleId }, admin);
    return { units: r.body.data.units.edges.map((e: any) => e.node), groups: r.body.data.groups };
  };
  const cycle = async (id: string, year: number) => {
    const c = await t.gql(
      `mutation($i: CreateCycleInput!) { createCycle(input: $i) { __typename } }`,
      { i: { id, year, name: id, schemeId: "city-review", schemeVersion: 1 } },
      admin,
    );
    expect(c.body.data.createCycle.__typename).toBe("Cycle");
  };

  it("loads a GB18030 file with Chinese headers, sub-units before their parents, creating the group as declared", async () => {
    await cycle("u-gb", 2051);
    const bytes = await readFile(new URL("../src/import/fixtures/units-gb18030.csv", import.meta.url));
    const audit = await t.lastAuditId();
    expect(await upload("u-gb", "units-2051", bytes)).toEqual({
      __typename: "ImportResult",
      importId: "units-2051",
      status: "imported",
      rows: 4,
    });
    expect(await units("u-gb")).toEqual({
      units: [
        { id: "U10", name: "市公安局", groupId: "law-enforcement", parentId: null, kind: "局" },
        { id: "U11", name: "交警支队", groupId: "law-enforcement", parentId: "U10", kind: "分局" },
        { id: "U13", name: "城东派出所", groupId: "law-enforcement", parentId: "U11", kind: "派出所" },
        { id: "U20", name: "市民政局", groupId: "law-enforcement", parentId: null, kind: "局" },
      ],
      // Named and ranked as scheme city-review v1 declares it, not after its id.
      groups: [{ id: "law-enforcement", name: "执法监管部门 law enforcement and regulation", ranked: true }],
    });
    const trail = (await t.store.audit.list({ cycleId: "u-gb", limit: 100 })).filter((a) => a.id > audit);
    expect(trail.map((a) => [a.action, a.entity, a.entityId]).sort()).toEqual([
      ["create", "group", "law-enforcement"],
      ["import", "import", "units-2051"],
    ]);

    // The same import id again adds nothing.
    expect(await upload("u-gb", "units-2051", bytes)).toMatchObject({ status: "already-imported", rows: 4 });
    expect((await units("u-gb")).units).toHaveLength(4);
  });

  it("names each bad row by line and column, and writes nothing", async () => {
    await cycle("u-bad", 2052);
    expect((await upload("u-bad", "first", "id,name,group\nOLD,旧,law-enforcement\n")).status).toBe(
      "imported",
    );
    const audit = await t.lastAuditId();
    const csv = [
      "单位编号,单位名称,可比组,上级单位",
      "A,甲,law-enforcement,NOWHERE",
      "B,乙,law-enforcement,B",
      "C,丙,law-enforcement,D",
      "D,丁,law-enforcement,C",
      "E,戊,law-enforcement,",
      "E,戊二,law-enforcement,",
      "OLD,旧,law-enforcement,",
    ].join("\r\n");
    const r = await upload("u-bad", "second", csv);
    expect(r.__typename).toBe("ImportError");
    expect(r.totalErrors).toBe(6);
    expect(r.badRows.map((e: any) => [e.line, e.column, e.message.split(":")[0]])).toEqual([
      [2, "上级单位 (parent)", "unknown parent 'NOWHERE'"],
      [3, "上级单位 (parent)", "a unit cannot be its own parent"],
      [4, "上级单位 (parent)", "the parent chain loops"],
      [5, "上级单位 (parent)", "the parent chain loops"],
      [7, "单位编号 (id)", "duplicate of line 6 (id)"],
      [
        8,
        "单位编号 (id)",
        "unit 'OLD' is already in the cycle (an import only adds units; change one with upsertUnit)",
      ],
    ]);
    expect((await units("u-bad")).units.map((u: any) => u.id)).toEqual(["OLD"]);
    expect(await t.lastAuditId()).toBe(audit);
  });

  it("refuses a group the scheme does not declare, with nothing written", async () => {
    await cycle("u-group", 2053);
    const audit = await t.lastAuditId();
    const r = await upload("u-group", "groups", "id,name,group\nA,甲,law-enforcement\nB,乙,culture\n");
    expect(r).toMatchObject({
      __typename: "ImportError",
      totalErrors: 1,
      badRows: [
        {
          line: 3,
          column: "group",
          message: 'unknown group "culture" (known: law-enforcement), in scheme city-review v1',
        },
      ],
    });
    expect(await units("u-group")).toEqual({ units: [], groups: [] });
    expect(await t.lastAuditId()).toBe(audit);
  });

  it("takes its units out again, but not while records refer to them", async () => {
    await cycle("u-undo", 2054);
    const csv = "id,name,group,parent\nS,分局,law-enforcement,B\nB,局,law-enforcement,\n";
    expect((await upload("u-undo", "undo-units", csv)).status).toBe("imported");
    const score = await t.gql(
      `mutation { setScore(cycleId: "u-undo", unitId: "S", category: "business", value: "20") { __typename } }`,
      {},
      admin,
    );
    expect(score.body.data.setScore.__typename).toBe("DirectScore");

    const audit = await t.lastAuditId();
    const refused = await t.gql(REMOVE, { i: "undo-units" }, admin);
    expect(refused.body.data.removeImport).toMatchObject({
      __typename: "ValidationError",
      issues: [
        {
          path: "importId",
          message:
            "import 'undo-units' cannot be removed: records still refer to its units S (scores); remove those first",
        },
      ],
    });
    expect((await units("u-undo")).units.map((u: any) => u.id)).toEqual(["B", "S"]);
    expect(await t.lastAuditId()).toBe(audit);

    const deleted = await t.gql(
      `mutation { deleteScore(cycleId: "u-undo", unitId: "S", category: "business") { __typename } }`,
      {},
      admin,
    );
    expect(deleted.body.errors).toBeUndefined();
    const removed = await t.gql(REMOVE, { i: "undo-units" }, admin);
    expect(removed.body.data.removeImport).toEqual({ __typename: "RemovedImport", removedRows: 2 });
    expect((await units("u-undo")).units).toEqual([]);
    // The id is free again.
    expect((await upload("u-undo", "undo-units", csv)).status).toBe("imported");
  });
});
