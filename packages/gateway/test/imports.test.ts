import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { atOnce, backends, startTestServer, type TestServer } from "./helpers.js";

/** An administrator who imported the wrong file can see it and take it out again. */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const admin = { as: "admin" as const };
  const IMPORTS = `query($c: ID!) { cycle(id: $c) { ... on Cycle { imports { id kind format rows actor fileHash createdAt } } } }`;
  const REMOVE = `mutation($i: ID!) { removeImport(importId: $i) {
    __typename ... on RemovedImport { importId cycleId removedRows } ... on Error { message } } }`;
  const scores = async (cycleId: string) => {
    const r = await t.gql(
      `query($c: ID!) { ranking(cycleId: $c) { ... on Ranking { entries(first: 10) { edges { node { unitId categories { category points } } } } } } }`,
      { c: cycleId },
      admin,
    );
    return Object.fromEntries(
      r.body.data.ranking.entries.edges.map((e: any) => [
        e.node.unitId,
        e.node.categories.find((c: any) => c.category === "business")?.points ?? null,
      ]),
    );
  };
  const upload = async (cycleId: string, importId: string, body: string) => {
    const r = await t.upload(
      `mutation($file: File!, $c: ID!, $i: ID!) { importFile(cycleId: $c, importId: $i, kind: SCORES, format: CSV, file: $file) {
        __typename ... on ImportResult { importId status rows } ... on Error { message } } }`,
      { c: cycleId, i: importId },
      { name: "scores.csv", body },
    );
    return r.body.data.importFile;
  };

  beforeAll(async () => {
    const c = await t.gql(
      `mutation { createCycle(input: { id: "undo", year: 2041, name: "undo", schemeId: "city-review", schemeVersion: 1 }) { __typename } }`,
      {},
      admin,
    );
    expect(c.body.data.createCycle.__typename).toBe("Cycle");
    for (const id of ["A", "B", "C"]) {
      const u = await t.gql(
        `mutation($u: UnitInput!) { upsertUnit(cycleId: "undo", input: $u) { __typename } }`,
        { u: { id, name: id, group: "law-enforcement" } },
        admin,
      );
      expect(u.body.data.upsertUnit.__typename).toBe("Unit");
    }
  });

  it("lists an import, and takes it out again except the rows corrected since", async () => {
    const csv = "unit,category,value\nA,business,28\nB,business,25\nC,business,20\n";
    expect(await upload("undo", " wrong-file ", csv)).toEqual({
      __typename: "ImportResult",
      importId: "wrong-file",
      status: "imported",
      rows: 3,
    });
    const listed = await t.gql(IMPORTS, { c: "undo" }, admin);
    expect(listed.body.data.cycle.imports).toEqual([
      {
        id: "wrong-file",
        kind: "SCORES",
        format: "CSV",
        rows: 3,
        actor: expect.any(String),
        fileHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        createdAt: expect.any(String),
      },
    ]);
    // B's score was corrected by hand: it no longer belongs to the import.
    const fixed = await t.gql(
      `mutation { setScore(cycleId: "undo", unitId: "B", category: "business", value: "26") { __typename } }`,
      {},
      admin,
    );
    expect(fixed.body.data.setScore.__typename).toBe("DirectScore");

    const audit = await t.lastAuditId();
    const removed = await t.gql(REMOVE, { i: "wrong-file" }, admin);
    expect(removed.body.data.removeImport).toEqual({
      __typename: "RemovedImport",
      importId: "wrong-file",
      cycleId: "undo",
      removedRows: 2,
    });
    expect(await t.lastAuditId()).toBeGreaterThan(audit);
    expect((await t.gql(IMPORTS, { c: "undo" }, admin)).body.data.cycle.imports).toEqual([]);
    const after = await scores("undo");
    expect(after.B).toBe("26.00");
    expect([after.A, after.C]).toEqual([null, null]);

    // The id may be used again, for the right file.
    expect((await upload("undo", "wrong-file", "unit,category,value\nA,business,29\n")).status).toBe(
      "imported",
    );
    expect((await scores("undo")).A).toBe("29.00");
  });

  it.runIf(backend === "postgres")(
    "removes an import sent for removal twice at once once, and says so once",
    async () => {
      expect((await upload("undo", "twice", "unit,category,value\nC,business,21\n")).rows).toBe(1);
      const audit = await t.lastAuditId();
      const remove = async () => (await t.gql(REMOVE, { i: "twice" }, admin)).body.data.removeImport;
      expect(await atOnce(t, "undo", remove, remove)).toEqual([
        { __typename: "RemovedImport", importId: "twice", cycleId: "undo", removedRows: 1 },
        { __typename: "NotFoundError", message: expect.stringContaining("twice") },
      ]);
      const entries = (await t.store.audit.list({ cycleId: "undo", limit: 10 })).filter((e) => e.id > audit);
      expect(entries.map((e) => [e.action, e.entity, e.entityId])).toEqual([["delete", "import", "twice"]]);
    },
  );

  it("names an unknown import, and leaves imports to administrators", async () => {
    const unknown = await t.gql(REMOVE, { i: "no-such-import" }, admin);
    expect(unknown.body.data.removeImport).toMatchObject({ __typename: "NotFoundError" });
    const asAnalyst = await t.gql(REMOVE, { i: "wrong-file" }, { as: "analyst" });
    expect(asAnalyst.body.errors?.[0]?.message).toBe("analyst may not run removeImport: it needs admin");
    const listedByViewer = await t.gql(IMPORTS, { c: "undo" }, { as: "viewer" });
    expect(listedByViewer.body.errors?.[0]?.message).toBe(
      "viewer may not read Cycle.imports: it needs admin",
    );
    expect((await t.gql(IMPORTS, { c: "undo" }, admin)).body.data.cycle.imports).toHaveLength(1);
  });
});
