import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * Files as a city's offices write them by hand in Excel or WPS: a full-width input method, text
 * pasted from a chat, a district's table pasted under the last one's, unit codes with leading
 * zeros, a score column formatted as a percentage, the rows put on the second sheet. Each is read
 * as the operator sees it, or refused at its line and column saying what it is; never half-written.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const admin = { as: "admin" as const };

  beforeAll(async () => {
    t = await startTestServer({ backend });
    const c = await t.gql(
      `mutation { createCycle(input: { id: "habits", year: 2043, name: "habits", schemeId: "city-review", schemeVersion: 1 }) { __typename } }`,
      {},
      admin,
    );
    expect(c.body.data.createCycle.__typename).toBe("Cycle");
    for (const [id, name] of [
      ["007", "第七所"],
      ["U1", "甲局"],
      ["U2", "乙局"],
    ]) {
      const u = await t.gql(
        `mutation($u: UnitInput!) { upsertUnit(cycleId: "habits", input: $u) { __typename } }`,
        { u: { id, name, group: "law-enforcement" } },
        admin,
      );
      expect(u.body.data.upsertUnit.__typename).toBe("Unit");
    }
  });
  afterAll(() => t?.close());

  /** A multipart upload of text or bytes (an XLSX), as a browser's form sends it. */
  async function upload(
    importId: string,
    kind: string,
    body: string | Uint8Array,
    format = "CSV",
    fields = "rows message",
  ) {
    const query = `mutation($file: File!, $i: ID!) { importFile(cycleId: "habits", importId: $i, kind: ${kind}, format: ${format}, file: $file) {
      __typename ... on ImportResult { ${fields} } ... on ImportError { totalErrors bad: rows { line column message } }
      ... on Error { message } } }`;
    const form = new FormData();
    form.append("operations", JSON.stringify({ query, variables: { i: importId, file: null } }));
    form.append("map", JSON.stringify({ 0: ["variables.file"] }));
    form.append("0", new Blob([body as Uint8Array<ArrayBuffer>]), `f.${format.toLowerCase()}`);
    const res = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${await t.token("admin")}`, "x-pingyi-client": "test" },
      body: form,
    });
    const json: any = await res.json();
    if (!json.data) throw new Error(JSON.stringify(json));
    // An ImportError's message sums up its rows, which are compared instead.
    const { message, ...rest } = json.data.importFile;
    return rest.__typename === "ImportError" ? rest : { ...rest, message };
  }

  async function workbook(fill: (book: ExcelJS.Workbook) => void): Promise<Uint8Array> {
    const book = new ExcelJS.Workbook();
    fill(book);
    return new Uint8Array(await book.xlsx.writeBuffer());
  }

  const scores = async () => {
    const r = await t.gql(
      `{ cycle(id: "habits") { ... on Cycle { scores(first: 50) { edges { node { unitId category value } } } } } }`,
      {},
      admin,
    );
    return r.body.data.cycle.scores.edges.map((e: any) => e.node);
  };
  const findings = async () => {
    const r = await t.gql(
      `{ cycle(id: "habits") { ... on Cycle { findings(first: 50) { edges { node { id unitId deadline repeated } } } } } }`,
      {},
      admin,
    );
    return r.body.data.cycle.findings.edges.map((e: any) => e.node);
  };
  const removeImport = async (importId: string) => {
    const r = await t.gql(
      `mutation($i: ID!) { removeImport(importId: $i) { __typename } }`,
      { i: importId },
      admin,
    );
    expect(r.body.data.removeImport.__typename).toBe("RemovedImport");
  };

  it("refuses a header repeated mid-file (tables pasted one under another) at its line, writing nothing", async () => {
    const audit = await t.lastAuditId();
    const csv = "unit,category,value\r\nU1,business,20\r\n\r\nUnit, Category ,VALUE\r\nU2,business,21\r\n";
    expect(await upload("again-csv", "SCORES", csv)).toEqual({
      __typename: "ImportError",
      totalErrors: 1,
      bad: [
        {
          line: 4,
          column: null,
          message: "this row repeats the header (line 1): a file has one header row; delete this one",
        },
      ],
    });
    const xlsx = await workbook((book) => {
      const sheet = book.addWorksheet("汇总");
      sheet.addRow(["单位编号", "考核类别", "得分"]);
      sheet.addRow(["U1", "business", 20]);
      sheet.addRow([" 单位编号", "考核类别 ", "得分"]);
      sheet.addRow(["U2", "business", 21]);
    });
    expect(await upload("again-xlsx", "SCORES", xlsx, "XLSX")).toEqual({
      __typename: "ImportError",
      totalErrors: 1,
      bad: [
        {
          line: 3,
          column: null,
          message: "this row repeats the header (line 1): a file has one header row; delete this one",
        },
      ],
    });
    expect(await scores()).toEqual([]);
    expect(await t.lastAuditId()).toBe(audit);
  });

  it("reads full-width digits, signs and points, and a CSV date with its time of day as the day", async () => {
    const csv = ["unit,category,value", "U1,business,１２．５", "U2,business,＋２８"].join("\n");
    expect(await upload("full-width", "SCORES", csv)).toEqual({
      __typename: "ImportResult",
      rows: 2,
      message: "imported 2 rows",
    });
    expect(await scores()).toEqual([
      { unitId: "U1", category: "business", value: "12.5" },
      { unitId: "U2", category: "business", value: "28" },
    ]);
    await removeImport("full-width");

    // Excel saves a date-and-time cell to CSV as it shows it, and WPS as typed full-width.
    const inspections = [
      "id,unit,type,level,deadline,repeated",
      "F-1,U1,unannounced-visit,city,2024/3/5 14:30,１",
      "F-2,U2,unannounced-visit,city,２０２４－０３－０６,０",
      "F-3,U2,unannounced-visit,city,2024-03-07 00:00:00,",
    ].join("\n");
    expect(await upload("date-times", "FINDINGS", inspections)).toMatchObject({
      __typename: "ImportResult",
      rows: 3,
    });
    expect(await findings()).toEqual([
      { id: "F-1", unitId: "U1", deadline: "2024-03-05", repeated: true },
      { id: "F-2", unitId: "U2", deadline: "2024-03-06", repeated: false },
      { id: "F-3", unitId: "U2", deadline: "2024-03-07", repeated: false },
    ]);
    await removeImport("date-times");
  });

  it("passes over zero-width spaces around ids and headers (text pasted from a chat), as over spaces", async () => {
    const csv =
      "\u200bunit\u200b,category,value\nU1\u200b,\u2060business,20\n\u00a0U2\u200b\u3000,business,21\n";
    expect(await upload("zero-width", "SCORES", csv)).toMatchObject({ __typename: "ImportResult", rows: 2 });
    expect(await scores()).toEqual([
      { unitId: "U1", category: "business", value: "20" },
      { unitId: "U2", category: "business", value: "21" },
    ]);
    await removeImport("zero-width");
  });

  it("reads a unit code typed 007 in a column formatted 000 as 007, as Excel shows it", async () => {
    const xlsx = await workbook((book) => {
      const sheet = book.addWorksheet("得分");
      sheet.addRow(["单位编号", "考核类别", "得分"]);
      sheet.addRow([7, "business", 20]).getCell(1).numFmt = "000";
    });
    expect(await upload("zero-padded", "SCORES", xlsx, "XLSX")).toMatchObject({
      __typename: "ImportResult",
      rows: 1,
    });
    expect(await scores()).toEqual([{ unitId: "007", category: "business", value: "20" }]);
    await removeImport("zero-padded");
  });

  it("says a percentage, a thousands separator and Excel's number for a day are what they are, in CSV and XLSX", async () => {
    const audit = await t.lastAuditId();
    const csv = ["unit,category,value", "U1,business,95.5%", 'U2,business,"1,020.5"'].join("\n");
    expect(await upload("percent-csv", "SCORES", csv)).toEqual({
      __typename: "ImportError",
      totalErrors: 2,
      bad: [
        {
          line: 2,
          column: "value",
          message:
            "'95.5%' is not a number: a percentage is read as neither 95.5 nor 0.955; write the value to import without %",
        },
        {
          line: 3,
          column: "value",
          message: "'1,020.5' is not a number: write it without thousands separators (1020.5)",
        },
      ],
    });
    // The same sheet saved as .xlsx holds 0.955, shown as 95.5%: not taken as either.
    const xlsx = await workbook((book) => {
      const sheet = book.addWorksheet("得分");
      sheet.addRow(["unit", "category", "value"]);
      sheet.addRow(["U1", "business", 0.955]).getCell(3).numFmt = "0.0%";
      sheet.addRow(["U2", "business", { formula: "B9/C9", result: 0.25 }]).getCell(3).numFmt = "0%";
    });
    expect(await upload("percent-xlsx", "SCORES", xlsx, "XLSX")).toEqual({
      __typename: "ImportError",
      totalErrors: 2,
      bad: [
        {
          line: 2,
          column: "value",
          message:
            "the cell is formatted as a percentage: it holds 0.955, which Excel shows as 95.5%; format it as a number showing the value to import",
        },
        {
          line: 3,
          column: "value",
          message:
            "the cell is formatted as a percentage: it holds 0.25, which Excel shows as 25%; format it as a number showing the value to import",
        },
      ],
    });
    const days = "id,unit,type,level,deadline\nF-9,U1,unannounced-visit,city,45356\n";
    expect(await upload("serial-day", "FINDINGS", days)).toEqual({
      __typename: "ImportError",
      totalErrors: 1,
      bad: [
        {
          line: 2,
          column: "deadline",
          message:
            "'45356' is not a date (YYYY-MM-DD): it looks like Excel's number for the day 2024-03-05, saved from a cell formatted as a number; format the column as a date, or write the day",
        },
      ],
    });
    expect(await scores()).toEqual([]);
    expect(await t.lastAuditId()).toBe(audit);
  });

  it("names the sheet with the rows when the first is empty, and the sheets with rows it did not import", async () => {
    const audit = await t.lastAuditId();
    const emptyFirst = await workbook((book) => {
      book.addWorksheet("Sheet1");
      const rows = book.addWorksheet("区县汇总");
      rows.addRow(["unit", "category", "value"]);
      rows.addRow(["U1", "business", 20]);
    });
    expect(await upload("empty-first", "SCORES", emptyFirst, "XLSX")).toEqual({
      __typename: "ImportError",
      totalErrors: 1,
      bad: [
        {
          line: 1,
          column: null,
          message:
            "the first worksheet, 'Sheet1', is empty, and only the first worksheet is read: the rows are on the sheet '区县汇总'; move the tab to import to the front, or delete the empty sheet",
        },
      ],
    });
    expect(await t.lastAuditId()).toBe(audit);

    const perDistrict = await workbook((book) => {
      for (const [name, unit] of [
        ["一区", "U1"],
        ["二区", "U2"],
        ["三区", "007"],
      ]) {
        const sheet = book.addWorksheet(name);
        sheet.addRow(["unit", "category", "value"]);
        sheet.addRow([unit, "business", 20]);
      }
      book.addWorksheet("说明");
      book.addWorksheet("下拉选项", { state: "hidden" }).addRow(["business"]);
    });
    expect(await upload("per-district", "SCORES", perDistrict, "XLSX", "rows message otherSheets")).toEqual({
      __typename: "ImportResult",
      rows: 1,
      message:
        "imported 1 row; only the first worksheet, '一区', was read: the sheets '二区' and '三区' have rows that were not imported",
      // For a client to list or to import next: the hidden sheet and the empty one are not.
      otherSheets: ["二区", "三区"],
    });
    expect(await scores()).toEqual([{ unitId: "U1", category: "business", value: "20" }]);
    await removeImport("per-district");
  });

  it("says a header separated by full-width commas is, rather than that every column is missing", async () => {
    expect(await upload("full-width-commas", "SCORES", "unit，category，value\nU1，business，20\n")).toEqual({
      __typename: "ImportError",
      totalErrors: 1,
      bad: [
        {
          line: 1,
          column: null,
          message:
            "the header is one column separated by full-width commas (，) ('unit，category，value'): write commas (,) between columns, not ，",
        },
      ],
    });
  });
});
