import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { findingsSpec } from "./findings.js";
import { ownTmpdir } from "./fixtures/own-tmpdir.js";
import { NS, storedZip } from "./fixtures/stored-zip.js";
import { RowMapper, UnitIndex } from "./mapping.js";
import { FileFormatError, type ReaderEvent, readXlsx } from "./readers.js";
import { TemporaryFileError } from "./spooled-sheet.js";

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** A findings sheet as ExcelJS writes it (the worksheet before its shared strings, as Excel does), with `merges`. */
async function workbook(rows: (string | null)[][], merges: string[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("s");
  for (const r of rows) ws.addRow(r);
  for (const m of merges) ws.mergeCells(m);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/**
 * The same sheet as other writers lay it out: shared strings first, so the worksheet is read as
 * it arrives, in the chunks the upload comes in; covered cells left out, as some writers do.
 */
function arriving(rows: (string | null)[][], merges: string[], tabsFirst = false): Uint8Array {
  const cell = (v: string | null, c: number, r: number) =>
    v === null ? "" : `<c r="${"ABCDEFGH"[c]}${r}" t="inlineStr"><is><t>${v}</t></is></c>`;
  const sheet = `<?xml version="1.0"?><worksheet ${NS}><sheetData>${rows
    .map((row, i) => `<row r="${i + 1}">${row.map((v, c) => cell(v, c, i + 1)).join("")}</row>`)
    .join("")}</sheetData><mergeCells count="${merges.length}">${merges
    .map((m) => `<mergeCell ref="${m}"/>`)
    .join("")}</mergeCells></worksheet>`;
  const parts = [
    [
      "xl/_rels/workbook.xml.rels",
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ],
    ["xl/sharedStrings.xml", `<?xml version="1.0"?><sst ${NS}/>`],
    ["xl/worksheets/sheet1.xml", sheet],
    [
      "xl/workbook.xml",
      `<?xml version="1.0"?><workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
  ];
  // The workbook part (the tabs) before the worksheet: read as it arrives, not copied by ExcelJS.
  if (tabsFirst) parts.splice(2, 0, parts.pop()!);
  return storedZip(parts.map(([name, xml]) => [name!, Buffer.from(xml!)]));
}

/** Each row's findings values by column name, or its errors' messages, as the import maps them. */
async function findings(file: Uint8Array, size: number) {
  const mapper = new RowMapper(findingsSpec, new UnitIndex([{ id: "u1", name: "市公安局" }]));
  const out: unknown[] = [];
  for await (const ev of readXlsx(chunks(file, size))) {
    if (ev.type === "header") expect(mapper.header(ev.headers, ev.line)).toEqual([]);
    else if (ev.type === "error") out.push({ line: ev.line, error: ev.message });
    else {
      const m = mapper.map(ev.fields, { line: ev.line });
      out.push(
        "values" in m
          ? {
              line: ev.line,
              ...Object.fromEntries(
                findingsSpec.columns.flatMap((c, i) => (m.values[i] === null ? [] : [[c.name, m.values[i]]])),
              ),
            }
          : { line: ev.line, errors: m.errors.map((e) => `${e.column}: ${e.message}`) },
      );
    }
  }
  return out;
}

const both = async (rows: (string | null)[][], merges: string[]) => {
  const made = await workbook(rows, merges);
  const other = arriving(rows, merges);
  return [
    ["ExcelJS's layout", await findings(made, 1000)],
    ["another writer's, in chunks of 7", await findings(other, 7)],
  ] as const;
};

describe("merged cells", () => {
  it("says a title merged across the top is a title, not a header of missing columns", async () => {
    const rows = [
      ["2019年度日常考核问题清单", null, null, null, null],
      ["编号", "被评单位", "问题类型", "检查层级", "整改情况"],
      ["F1", "市公安局", "visit", "city", "未整改"],
    ];
    for (const file of [await workbook(rows, ["A1:E1"]), arriving(rows, ["A1:E1"])]) {
      const mapper = new RowMapper(findingsSpec, new UnitIndex([]));
      let refused: ReturnType<RowMapper["header"]> | undefined;
      for await (const ev of readXlsx(chunks(file, 7)))
        if (ev.type === "header") refused ??= mapper.header(ev.headers, ev.line);
      expect(refused![0]).toEqual({
        line: 1,
        message:
          "this row holds one text ('2019年度日常考核问题清单') where the header should be: if it is a title above the table, delete it (and any other row above the header), so that the header comes first",
      });
      // The columns the kind needs are still listed, with the headers each accepts.
      expect(refused!.slice(1).map((e) => e.column)).toEqual(
        findingsSpec.columns.filter((c) => c.required).map((c) => c.name),
      );
    }
  });

  it("reads a value merged down over several rows in each of them, a required column's too", async () => {
    // 整改情况 and 是否重复 merged over a unit's three findings: the second and third were stored
    // as of unknown rectification and not repeated, their deductions lost; the unit, merged too,
    // refused them as "required".
    const rows = [
      ["编号", "被评单位", "问题类型", "检查层级", "整改情况", "是否重复"],
      ["F1", "市公安局", "visit", "city", "未整改", "是"],
      ["F2", null, "visit", "city", null, null],
      ["F3", null, "visit", "city", null, null],
      ["F4", "市公安局", "visit", "city", "已整改", null],
    ];
    for (const [layout, read] of await both(rows, ["B2:B3", "E2:E4", "F2:F4"]))
      expect(read, layout).toEqual([
        ...[2, 3].map((line) => ({
          line,
          id: `F${line - 1}`,
          unit: "u1",
          type: "visit",
          level: "city",
          rectification: "not-rectified",
          repeated: "true",
        })),
        // B4 is outside B2:B3: its own cell, empty.
        { line: 4, errors: ["被评单位 (unit): required"] },
        {
          line: 5,
          id: "F4",
          unit: "u1",
          type: "visit",
          level: "city",
          rectification: "on-time",
          repeated: "false",
        },
      ]);
  });

  it("reads a value merged across columns in its first column, the others as empty", async () => {
    // A wide 备注 column: its header and each row's note merged over F and G.
    const rows = [
      ["编号", "被评单位", "问题类型", "检查层级", "整改情况", "备注", null],
      ["F1", "市公安局", "visit", "city", "未整改", "窗口服务", null],
      ["F2", "市公安局", "visit", "city", "已整改", "复查", null],
    ];
    for (const [layout, read] of await both(rows, ["F1:G1", "F2:G2", "F3:G3"]))
      expect(read, layout).toEqual([
        {
          line: 2,
          id: "F1",
          unit: "u1",
          type: "visit",
          level: "city",
          rectification: "not-rectified",
          repeated: "false",
          note: "窗口服务",
        },
        {
          line: 3,
          id: "F2",
          unit: "u1",
          type: "visit",
          level: "city",
          rectification: "on-time",
          repeated: "false",
          note: "复查",
        },
      ]);
  });

  it("refuses the rows of a value merged across columns that have headers of their own", async () => {
    // Which of 整改情况 and 是否重复 the value is meant for is not the reader's to guess.
    const rows = [
      ["编号", "被评单位", "问题类型", "检查层级", "整改情况", "是否重复"],
      ["F1", "市公安局", "visit", "city", "未整改", null],
      ["F2", "市公安局", "visit", "city", null, null],
      ["F3", "市公安局", "visit", "city", "已整改", "否"],
    ];
    const refused =
      "the merged cell E2:F3 spans columns 5 (E) to 6 (F), which have headers of their own: unmerge it, and put each value in its own column";
    for (const [layout, read] of await both(rows, ["E2:F3"]))
      expect(read, layout).toEqual([
        { line: 2, error: refused },
        { line: 3, error: refused },
        {
          line: 4,
          id: "F3",
          unit: "u1",
          type: "visit",
          level: "city",
          rectification: "on-time",
          repeated: "false",
        },
      ]);
  });

  it("refuses a header merged down into the rows below it", async () => {
    // A header of two rows: read as a data row, the second was a finding with id "编号".
    const rows = [
      ["编号", "被评单位", "问题类型", "检查层级", "整改", null],
      [null, null, null, null, "情况", "期限"],
      ["F1", "市公安局", "visit", "city", "未整改", "2020-06-30"],
    ];
    for (const [file, size] of [
      [await workbook(rows, ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:F1"]), 1000],
      [arriving(rows, ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:F1"]), 7],
    ] as const) {
      const events: ReaderEvent[] = [];
      const err = await (async () => {
        for await (const ev of readXlsx(chunks(file, size))) events.push(ev);
      })().catch((e: unknown) => e);
      expect(events).toEqual([]);
      expect(err).toBeInstanceOf(FileFormatError);
      expect(err).toMatchObject({
        line: 1,
        message:
          "the header's cell A1 is merged with the rows below it (A1:A2): a header is one row; unmerge it, and give each column one header cell",
      });
    }
  });

  it("stops reading a sheet whose merges would take too long, or too much memory, to read", async () => {
    const header = [["编号", "被评单位", "问题类型", "检查层级"]];
    // Overlapping merges (Excel writes none) over every row: 20,000 ranges of two cells a row
    // each are 40,000 cells a row, past 50,000,000 on the 1,251st (line 1,252).
    const overlapping = arriving(
      [...header, ...Array.from({ length: 2600 }, (_, i) => [`F${i}`, "市公安局", "visit", "city"])],
      Array.from({ length: 20_000 }, () => "A2:B1048576"),
    );
    const many = arriving(
      header,
      Array.from({ length: 1_000_001 }, (_, i) => `E${2 * i + 2}:E${2 * i + 3}`),
    );
    for (const [file, line, message] of [
      [
        overlapping,
        1252,
        "the worksheet's merged cells cover more than 50,000,000 cells of its rows: unmerge them, and import it again",
      ],
      [
        many,
        0,
        "the worksheet has more than 1,000,000 merged cells: unmerge them (in Excel, select the sheet and turn off Merge & Center), and import it again",
      ],
    ] as const) {
      const err = await (async () => {
        for await (const _ of readXlsx(chunks(file, 65_536)));
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FileFormatError);
      expect(err).toMatchObject({ line, message });
    }
  });

  describe("the worksheet's copy in the temporary directory", () => {
    let dir: string;
    beforeEach(() => {
      dir = ownTmpdir("merged-cells-test-");
    });
    const copies = () => readdirSync(dir).filter((f) => f.startsWith("pingyi-sheet-"));

    it("is there while the rows are read, and removed when they are, or when reading stops", async () => {
      const rows = [
        ["编号", "被评单位", "问题类型", "检查层级"],
        ["F1", "市公安局", "visit", "city"],
        ["F2", "市公安局", "visit", "city"],
      ];
      for (const file of [await workbook(rows, []), arriving(rows, [])]) {
        const seen: number[] = [];
        for await (const ev of readXlsx(chunks(file, 100))) if (ev.type === "row") seen.push(copies().length);
        expect(seen).toEqual([1, 1]);
        expect(copies()).toEqual([]);
        for await (const ev of readXlsx(chunks(file, 100))) if (ev.type === "header") break;
        expect(copies()).toEqual([]);
      }
    });

    it("removes ExcelJS's own copies when reading stops before a sheet is read, once ExcelJS is done", async () => {
      // Two sheets per district, as ExcelJS and Excel write them: both copied to wait for the
      // shared strings, which come after them.
      const districts = async (mergedHeader: boolean) => {
        const wb = new ExcelJS.Workbook();
        const first = wb.addWorksheet("一区");
        first.addRow(["编号", "被评单位", "问题类型", "检查层级"]);
        first.addRow([mergedHeader ? null : "F1", "市公安局", "visit", "city"]);
        if (mergedHeader) first.mergeCells("A1:A2");
        wb.addWorksheet("二区").addRow(["编号", "被评单位", "问题类型", "检查层级"]);
        return new Uint8Array(await wb.xlsx.writeBuffer());
      };
      // A header merged with the rows below is refused at once; the second sheet is never read.
      const err = await (async () => {
        for await (const _ of readXlsx(chunks(await districts(true), 100)));
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FileFormatError);
      // Removed after ExcelJS has returned, which the read does not wait for; emptied till then.
      // A copy removed between the listing and its stat counts as empty.
      const sizes = () =>
        readdirSync(dir).map((f) => statSync(join(dir, f), { throwIfNoEntry: false })?.size ?? 0);
      expect(sizes().filter((size) => size > 0)).toEqual([]);
      await vi.waitFor(() => expect(readdirSync(dir)).toEqual([]), { timeout: 5000 });
      // The caller stops at the header (an import cut off).
      for await (const ev of readXlsx(chunks(await districts(false), 100))) if (ev.type === "header") break;
      expect(sizes().filter((size) => size > 0)).toEqual([]);
      await vi.waitFor(() => expect(readdirSync(dir)).toEqual([]), { timeout: 5000 });
    });

    it("says that it could not be written, rather than that the workbook is damaged", async () => {
      process.env.TMPDIR = join(dir, "missing");
      // A worksheet ExcelJS reads as it arrives: only this copy is made.
      const file = arriving([["编号", "被评单位", "问题类型", "检查层级"]], [], true);
      const err = await (async () => {
        for await (const _ of readXlsx(chunks(file, 100)));
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TemporaryFileError);
      expect((err as Error).message).toMatch(
        `could not copy the worksheet to a temporary file in ${join(dir, "missing")}: ENOENT`,
      );
    });
  });
});
