import { readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_DIR, loadDataset } from "../src/seed.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/** Veto and bonus events imported from files, all or nothing, as the other record kinds are. */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const admin = { as: "admin" as const };
  const read = (f: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, f), "utf8"));
  const scheme = {
    ...read("scheme-2019.json"),
    id: "bonus-review",
    bonusTypes: [
      {
        id: "commendation",
        name: "表彰 commendation",
        levels: { national: 3, provincial: 2, city: 1 },
        count: "highest",
        cap: 3,
      },
    ],
    bonusCap: 3,
  };

  beforeAll(async () => {
    t = await startTestServer({ backend });
    const p = await t.gql(
      `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename } }`,
      { i: { schemeId: "bonus-review", basedOn: null, document: scheme, reason: "bonuses" } },
      admin,
    );
    expect(p.body.data.publishSchemeVersion.__typename).toBe("SchemeVersion");
    const c = await t.gql(
      `mutation { createCycle(input: { id: "b2019", year: 2019, name: "b", schemeId: "bonus-review", schemeVersion: 1 }) { __typename } }`,
      {},
      admin,
    );
    expect(c.body.data.createCycle.__typename).toBe("Cycle");
    await loadDataset(t.store, "b2019", scheme, read("dataset-2019.json"));
  });
  afterAll(() => t?.close());

  /** A multipart upload of text or bytes (an XLSX), as a browser's form sends it. */
  async function upload(
    cycleId: string,
    importId: string,
    kind: string,
    body: string | Uint8Array<ArrayBuffer>,
    format = "CSV",
  ) {
    const query = `mutation($file: File!, $c: ID!, $i: ID!) { importFile(cycleId: $c, importId: $i, kind: ${kind}, format: ${format}, file: $file) {
      __typename ... on ImportResult { status rows } ... on ImportError { totalErrors bad: rows { line column message } }
      ... on ValidationError { issues { path message } } ... on Error { message } } }`;
    const form = new FormData();
    form.append("operations", JSON.stringify({ query, variables: { c: cycleId, i: importId, file: null } }));
    form.append("map", JSON.stringify({ 0: ["variables.file"] }));
    form.append("0", new Blob([body]), `f.${format.toLowerCase()}`);
    const res = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${await t.token("admin")}`, "x-pingyi-client": "test" },
      body: form,
    });
    const json: any = await res.json();
    if (!json.data) throw new Error(JSON.stringify(json));
    return json.data.importFile;
  }

  async function result(cycleId: string, unitId: string) {
    const r = await t.gql(
      `query($c: ID!, $u: ID!) { scoreBreakdown(cycleId: $c, unitId: $u) { ... on UnitResult {
        total eligibility { excellence reasons { kind record } } } } }`,
      { c: cycleId, u: unitId },
      { as: "viewer" },
    );
    return r.body.data.scoreBreakdown;
  }

  async function listed(cycleId: string, field: "vetoEvents" | "bonusEvents") {
    const r = await t.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { ${field}(first: 2000) { edges { node { id unitId } } } } } }`,
      { c: cycleId },
      admin,
    );
    return r.body.data.cycle[field].edges.map((e: any) => `${e.node.id}:${e.node.unitId}`);
  }

  it("imports veto events with Chinese headers and units by name; they bar the unit", async () => {
    expect((await result("2019", "U09")).eligibility.excellence).toBe(true);
    const r = await upload(
      "2019",
      "vetoes-1",
      "VETOES",
      "否决编号,单位名称,否决类型,否决事由\nV-imp-1,市市场监督管理局,major-incident,食品安全重大事故\n",
    );
    expect(r).toEqual({ __typename: "ImportResult", status: "imported", rows: 1 });
    expect(await listed("2019", "vetoEvents")).toContain("V-imp-1:U09");
    const u09 = await result("2019", "U09");
    expect(u09.eligibility.excellence).toBe(false);
    expect(u09.eligibility.reasons).toContainEqual({ kind: "veto", record: "V-imp-1" });
    const imports = await t.gql(
      `{ cycle(id: "2019") { ... on Cycle { imports { id kind rows } } } }`,
      {},
      admin,
    );
    expect(imports.body.data.cycle.imports).toContainEqual({ id: "vetoes-1", kind: "VETOES", rows: 1 });
  });

  it("refuses bad rows by line and column, and a veto type the scheme lacks, writing nothing", async () => {
    const audit = await t.lastAuditId();
    const bad = await upload(
      "2019",
      "vetoes-bad",
      "VETOES",
      "id,unit,type,reason\n" +
        "V-imp-2,U01,major-incident,\n" +
        "V-imp-1,U02,major-incident,again\n" +
        "V-imp-3,U01,major-incident,x\n" +
        "V-imp-3,U01,major-incident,y\n",
    );
    expect(bad).toMatchObject({
      __typename: "ImportError",
      totalErrors: 3,
      bad: [
        { line: 2, column: "reason", message: "required" },
        { line: 3, column: "id", message: "already in the cycle: id=V-imp-1" },
        { line: 5, column: "id", message: "duplicate of line 4 (id)" },
      ],
    });
    const type = await upload(
      "2019",
      "vetoes-type",
      "VETOES",
      "id,unit,type,reason\nV-imp-4,U01,no-such-veto,x\n",
    );
    expect(type).toMatchObject({
      __typename: "ImportError",
      totalErrors: 1,
      bad: [
        {
          line: 2,
          column: "type",
          message: 'veto event "V-imp-4" for unit "U01": unknown veto type "no-such-veto"',
        },
      ],
    });
    // An earlier year's veto (the engine's yearsAgo) belongs in that year's cycle: stored here it
    // would bar the unit as this year's incident. A 0 or an empty cell is this year's and passes.
    const message =
      "an earlier year's veto is recorded in that year's cycle (import it there); this cycle reads it through its previous cycle";
    expect(
      await upload(
        "2019",
        "vetoes-earlier",
        "VETOES",
        "id,unit,type,reason,years ago\nV-imp-5,U01,major-incident,now,0\nV-imp-6,U01,major-incident,old,1\nV-imp-7,U02,major-incident,now,\n",
      ),
    ).toMatchObject({
      __typename: "ImportError",
      totalErrors: 1,
      bad: [{ line: 3, column: "years ago", message }],
    });
    expect(
      await upload(
        "2019",
        "vetoes-earlier-json",
        "VETOES",
        JSON.stringify([{ id: "V-imp-8", unit: "U01", type: "major-incident", reason: "old", yearsAgo: 1 }]),
        "JSON",
      ),
    ).toMatchObject({
      __typename: "ImportError",
      totalErrors: 1,
      bad: [{ line: 1, column: "yearsAgo", message }],
    });
    expect(await t.lastAuditId()).toBe(audit);
    expect(await listed("2019", "vetoEvents")).not.toContain("V-imp-4:U01");
  });

  it("imports bonus events from NDJSON and XLSX, which add their points", async () => {
    const u09 = Number((await result("b2019", "U09")).total);
    const u10 = Number((await result("b2019", "U10")).total);
    const ndjson = `${JSON.stringify({ 编号: "B-1", 单位: "U09", 加分类型: "commendation", 表彰级别: "provincial", 备注: "省级文明单位" })}\n`;
    expect(await upload("b2019", "bonuses-json", "BONUSES", ndjson, "JSON")).toEqual({
      __typename: "ImportResult",
      status: "imported",
      rows: 1,
    });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("加分");
    ws.addRow(["bonus_id", "unit_id", "bonus_type", "level", "note"]);
    ws.addRow(["B-2", "U10", "commendation", "national", "全国表彰"]);
    const xlsx = new Uint8Array(await wb.xlsx.writeBuffer());
    expect(await upload("b2019", "bonuses-xlsx", "BONUSES", xlsx, "XLSX")).toEqual({
      __typename: "ImportResult",
      status: "imported",
      rows: 1,
    });
    expect(Number((await result("b2019", "U09")).total) - u09).toBeCloseTo(2, 10);
    expect(Number((await result("b2019", "U10")).total) - u10).toBeCloseTo(3, 10);
    const notes = await t.gql(
      `{ cycle(id: "b2019") { ... on Cycle { bonusEvents { edges { node { id unitId type level note } } } } } }`,
      {},
      admin,
    );
    expect(notes.body.data.cycle.bonusEvents.edges.map((e: any) => e.node)).toEqual([
      { id: "B-1", unitId: "U09", type: "commendation", level: "provincial", note: "省级文明单位" },
      { id: "B-2", unitId: "U10", type: "commendation", level: "national", note: "全国表彰" },
    ]);
  });

  it("refuses a bonus level the type does not have, naming the record", async () => {
    const r = await upload(
      "b2019",
      "bonuses-level",
      "BONUSES",
      "id,unit,type,level\nB-3,U01,commendation,galactic\n",
    );
    expect(r).toMatchObject({
      __typename: "ImportError",
      totalErrors: 1,
      bad: [
        {
          line: 2,
          column: "level",
          message:
            'bonus event "B-3" for unit "U01": unknown level "galactic" for "commendation" (known: national, provincial, city)',
        },
      ],
    });
    expect(await listed("b2019", "bonusEvents")).toEqual(["B-1:U09", "B-2:U10"]);
  });

  it("are taken out with their import, except those corrected by hand since", async () => {
    const r = await upload(
      "2019",
      "vetoes-2",
      "VETOES",
      "id,unit,type,reason\nV-rm-1,U01,major-incident,one\nV-rm-2,U02,major-incident,two\n",
    );
    expect(r.rows).toBe(2);
    const corrected = await t.gql(
      `mutation { recordVetoEvent(cycleId: "2019", input: { id: "V-rm-1", unitId: "U01", type: "major-incident", reason: "one, as the committee worded it" }) { __typename } }`,
      {},
      admin,
    );
    expect(corrected.body.data.recordVetoEvent.__typename).toBe("VetoEvent");
    const removed = await t.gql(
      `mutation { removeImport(importId: "vetoes-2") { ... on RemovedImport { removedRows } } }`,
      {},
      admin,
    );
    expect(removed.body.data.removeImport).toEqual({ removedRows: 1 });
    const left = await listed("2019", "vetoEvents");
    expect(left).toContain("V-rm-1:U01");
    expect(left).not.toContain("V-rm-2:U02");
    // The id is free again, and the same file goes in as new (less the row still there by hand).
    const again = await upload(
      "2019",
      "vetoes-2",
      "VETOES",
      "id,unit,type,reason\nV-rm-2,U02,major-incident,two\n",
    );
    expect(again).toEqual({ __typename: "ImportResult", status: "imported", rows: 1 });
  });
});
