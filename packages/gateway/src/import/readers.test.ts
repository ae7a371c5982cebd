import fs from "node:fs";
import ExcelJS from "exceljs";
import { describe, expect, it, vi } from "vitest";
import { AutoDecoder, decodeStream, EncodingError } from "./encoding.js";
import { findingsSpec } from "./findings.js";
import { ownTmpdir } from "./fixtures/own-tmpdir.js";
import { NS, storedZip, zipEntries } from "./fixtures/stored-zip.js";
import { RowMapper, UnitIndex } from "./mapping.js";
import { FileFormatError, type ReaderEvent, readCsv, readJson, readXlsx } from "./readers.js";
import { scoresSpec } from "./scores.js";
import { surveyFormsSpec } from "./survey-forms.js";

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
async function* textChunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const decodeAll = async (bytes: Uint8Array, size: number) => {
  const d = new AutoDecoder();
  const text = (await collect(decodeStream(chunks(bytes, size), d))).join("");
  return { text, encoding: d.encoding };
};

// "单位,满意\n" in GB18030, and a longer ASCII prefix before it.
const GB_HEX = "b5a5cebb2cc2fad2e20a";
const gb = Buffer.from(GB_HEX, "hex");

describe("encoding detection", () => {
  it.each([1, 2, 3, 7, 65536])("detects GB18030 in chunks of %i bytes", async (size) => {
    const bytes = Buffer.concat([Buffer.from("unit,answer\n".repeat(50)), gb, gb]);
    const r = await decodeAll(bytes, size);
    expect(r.encoding).toBe("gb18030");
    expect(r.text).toBe(`${"unit,answer\n".repeat(50)}单位,满意\n单位,满意\n`);
  });

  it.each([1, 5, 65536])("detects UTF-8 with and without BOM in chunks of %i bytes", async (size) => {
    const text = "单位,满意,基本满意\n".repeat(300);
    for (const bytes of [
      Buffer.from(text),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    ]) {
      const r = await decodeAll(bytes, size);
      expect(r.encoding).toBe("utf-8");
      expect(r.text).toBe(text);
    }
  });

  it("reads pure ASCII without deciding", async () => {
    expect(await decodeAll(Buffer.from("a,b\n1,2\n"), 3)).toEqual({
      text: "a,b\n1,2\n",
      encoding: undefined,
    });
  });

  it("reports a file that turns invalid after being read as UTF-8", async () => {
    const bytes = Buffer.concat([Buffer.from("满意\n".repeat(2000)), gb]);
    await expect(decodeAll(bytes, 1024)).rejects.toBeInstanceOf(EncodingError);
  });
});

describe("CSV reader", () => {
  it("gives the header, rows with line numbers, and skips blank rows", async () => {
    const csv = 'unit,answer\r\nu1,"multi\r\nline"\r\n,,\r\n\r\nu2,满意\r\nu3,"a,""b"""';
    const events = await collect(readCsv(textChunks(csv, 4)));
    expect(events).toEqual([
      { type: "header", line: 1, headers: ["unit", "answer"] },
      { type: "row", line: 2, fields: { unit: "u1", answer: "multi\r\nline" } },
      { type: "row", line: 6, fields: { unit: "u2", answer: "满意" } },
      { type: "row", line: 7, fields: { unit: "u3", answer: 'a,"b"' } },
    ]);
  });

  it.each(["\n", "\r\n", "\r"])("counts lines with %j line endings, and mixed ones", async (eol) => {
    const csv = ["a,b", "1,2", "", '3,"x', 'y"', "5,6"].join(eol) + "\n\n7,8\r\n";
    const events = await collect(readCsv(textChunks(csv, 3)));
    expect(events.map((e) => e.line)).toEqual([1, 2, 4, 6, 8]);
  });

  it("reports rows with more fields than the header, and fails on a broken quote", async () => {
    const events = await collect(readCsv(textChunks("a,b\n1,2,3\n", 100)));
    expect(events[1]).toMatchObject({ type: "error", line: 2 });
    await expect(collect(readCsv(textChunks('a,b\n"1,2\n', 100)))).rejects.toBeInstanceOf(FileFormatError);
  });
});

describe("JSON reader", () => {
  const records = [
    { unit: "u1", answer: 'say "hi" [x] {y}', n: 1 },
    { unit: "u2", answer: "满意\\", nested: { a: [1, 2, { b: "}" }] } },
    { unit: "u3", answer: "" },
  ];

  it.each([1, 2, 5, 1000])("streams an array split into chunks of %i characters", async (size) => {
    const text = `\n[\n${records.map((r) => JSON.stringify(r, null, 1)).join(",\n")}\n]\n`;
    const events = await collect(readJson(textChunks(text, size)));
    expect(events.map((e) => (e.type === "row" ? e.fields : e))).toEqual(records);
    expect(events.map((e) => e.line)).toEqual([3, 8, 21]);
  });

  it.each([1, 3, 1000])("streams NDJSON split into chunks of %i characters", async (size) => {
    const text = `${records.map((r) => JSON.stringify(r)).join("\n")}\n\n{"broken": \n[1]`;
    const events: ReaderEvent[] = await collect(readJson(textChunks(text, size)));
    expect(events.slice(0, 3).map((e) => (e.type === "row" ? e.fields : e))).toEqual(records);
    expect(events.slice(3)).toEqual([
      { type: "error", line: 5, message: expect.stringContaining("invalid JSON") },
      { type: "error", line: 6, message: "expected an object" },
    ]);
  });

  const NOT_A_LIST = "not a list of rows: send an array of rows ([{…}, {…}]) or one row per line (NDJSON)";

  it.each([1, 3, 1000])(
    "says once that a pretty-printed object is not a list, in chunks of %i",
    async (size) => {
      for (const [text, line] of [
        [JSON.stringify({ rows: records }, null, 2), 1],
        [`${JSON.stringify({ rows: records })}\n`, 1], // the same on one line
        [JSON.stringify({ data: { rows: records } }), 1],
        [`\r\n\n${JSON.stringify(records[0], null, 1)}\n\n`, 3], // one row, pretty-printed
      ] as const) {
        const events = await collect(readJson(textChunks(text, size)));
        expect(events).toEqual([
          { type: "error", line, message: `the file is one JSON object, ${NOT_A_LIST}` },
        ]);
      }
    },
  );

  it("says once that a lone string, number or null is not a list", async () => {
    for (const [text, kind] of [
      [`${JSON.stringify(JSON.stringify(records))}\n`, "string"],
      ["\n42", "number"],
      ["null\n\n", "null"],
    ]) {
      const events = await collect(readJson(textChunks(text!, 2)));
      expect(events, text).toEqual([
        {
          type: "error",
          line: text!.startsWith("\n") ? 2 : 1,
          message: `the file is one JSON ${kind}, ${NOT_A_LIST}`,
        },
      ]);
    }
  });

  it("reads NDJSON that is not one value line by line, as before, even with a bad first line", async () => {
    const lines = records.map((r) => JSON.stringify(r));
    const rows = (n: number) => records.map((fields, i) => ({ type: "row", line: n + i, fields }));
    const badFirst = ['{"unit": "u1", ', ...lines].join("\n");
    const scalarFirst = ["5", ...lines].join("\n");
    const oneRow = `${lines[0]}\n`;
    for (const limit of [undefined, 10]) {
      expect(await collect(readJson(textChunks(badFirst, 3), limit))).toEqual([
        { type: "error", line: 1, message: expect.stringContaining("invalid JSON") },
        ...rows(2),
      ]);
      expect(await collect(readJson(textChunks(scalarFirst, 3), limit))).toEqual([
        { type: "error", line: 1, message: "expected an object" },
        ...rows(2),
      ]);
      expect(await collect(readJson(textChunks(oneRow, 3), limit))).toEqual(rows(1).slice(0, 1));
      // A first row holding a list is still a row when rows follow it: the mapping judges its cell.
      const nestedFirst = ['{"unit": ["u1"]}', ...lines].join("\n");
      expect(await collect(readJson(textChunks(nestedFirst, 3), limit))).toEqual([
        { type: "row", line: 1, fields: { unit: ["u1"] } },
        ...rows(2),
      ]);
    }
    // Past the length held to parse whole, a pretty-printed object is read line by line.
    const pretty = JSON.stringify({ a: 1, b: 2 }, null, 1);
    expect((await collect(readJson(textChunks(pretty, 3), 5))).map((e) => e.line)).toEqual([1, 2, 3, 4]);
  });

  it.each([1, 7, 1000])("numbers a one-line array's records, bad ones too, in chunks of %i", async (size) => {
    // As exporters write it: every record on line 1, so only its number finds it.
    const text = '[{"unit":"u1"},{"unit":"u2"},{"unit":"u3",},7,{"unit":"u5"}]';
    const events = await collect(readJson(textChunks(text, size)));
    expect(events).toEqual([
      { type: "row", line: 1, record: 1, fields: { unit: "u1" } },
      { type: "row", line: 1, record: 2, fields: { unit: "u2" } },
      { type: "error", line: 1, record: 3, message: expect.stringContaining("invalid JSON") },
      { type: "error", line: 1, record: 4, message: "expected an object" },
      { type: "row", line: 1, record: 5, fields: { unit: "u5" } },
    ]);
    // A pretty-printed array's records have both; NDJSON's line is its record's, and no number.
    const pretty = await collect(readJson(textChunks(JSON.stringify(records, null, 1), size)));
    expect(pretty.map((e) => e.type !== "header" && [e.line, e.record])).toEqual([
      [2, 1],
      [7, 2],
      [20, 3],
    ]);
    const ndjson = await collect(
      readJson(textChunks(records.map((r) => JSON.stringify(r)).join("\n"), size)),
    );
    expect(ndjson.map((e) => "record" in e)).toEqual([false, false, false]);
  });

  it.each([1, 7, 1000])(
    "refuses a value under a key of no name, as CSV and XLSX a column with no header, in chunks of %i",
    async (size) => {
      // An export with 整改情况's header cell left blank: read by no column, "未整改" was dropped.
      const rows = [
        { "": "未整改", id: "F1" },
        { "": "", id: "F2" },
        { "": null, id: "F3", " ": " " },
        { id: "F4", "": "是", " ": 0 },
      ];
      const NO_NAME = "which names no column: give the key a column's name, or delete the value";
      const expected = (place: (i: number) => { line: number; record?: number }) => [
        { type: "error", ...place(0), message: `a value under the key "", ${NO_NAME}` },
        { type: "row", ...place(1), fields: rows[1] },
        { type: "row", ...place(2), fields: rows[2] },
        {
          type: "error",
          ...place(3),
          message:
            'values under the keys "" and " ", which name no column: give the keys columns\' names, or delete the values',
        },
      ];
      const array = await collect(readJson(textChunks(JSON.stringify(rows), size)));
      expect(array).toEqual(expected((i) => ({ line: 1, record: i + 1 })));
      const ndjson = await collect(readJson(textChunks(rows.map((r) => JSON.stringify(r)).join("\n"), size)));
      expect(ndjson).toEqual(expected((i) => ({ line: i + 1 })));
      // A file of that one record is still a list of one row, not "one JSON object".
      expect(await collect(readJson(textChunks(`${JSON.stringify(rows[0])}\n`, size)))).toEqual([
        { type: "error", line: 1, message: `a value under the key "", ${NO_NAME}` },
      ]);
    },
  );

  it("reports non-object elements and a truncated array", async () => {
    const events = await collect(readJson(textChunks('[{"a":1}, 5, "x", null]', 2)));
    expect(events.map((e) => e.type)).toEqual(["row", "error", "error", "error"]);
    await expect(collect(readJson(textChunks('[{"a":1}, {"b"', 3)))).rejects.toBeInstanceOf(FileFormatError);
  });
});

describe("XLSX cells", () => {
  /** The first worksheet's rows, mapped as the import maps them; `formats` are number formats by cell. */
  async function mapped(spec: typeof scoresSpec, rows: unknown[][], formats: Record<string, string> = {}) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("s");
    for (const r of rows) ws.addRow(r);
    for (const [cell, format] of Object.entries(formats)) ws.getCell(cell).numFmt = format;
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const mapper = new RowMapper(spec, new UnitIndex([{ id: "u1", name: "u1" }]));
    const out = [];
    for await (const ev of readXlsx(chunks(bytes, 1000))) {
      if (ev.type === "header") mapper.header(ev.headers, ev.line);
      else if (ev.type === "row") out.push(mapper.map(ev.fields, { line: ev.line }));
    }
    return out;
  }

  it("reads a number as Excel shows and computes with it (15 significant digits)", async () => {
    const out = await mapped(scoresSpec, [
      ["unit", "category", "value"],
      ["u1", "a", { formula: "0.1*3", result: 0.30000000000000004 }],
      ["u1", "b", 1 / 3],
      ["u1", "c", 95.5],
      ["u1", "d", 123456789012345],
    ]);
    expect(out.map((r) => ("values" in r ? r.values[2] : r))).toEqual([
      "0.3",
      "0.333333333333333",
      "95.5",
      "123456789012345",
    ]);
  });

  it("reads a formula whose saved value is 0 or empty as that value, not as a value never saved", async () => {
    const out = await mapped(scoresSpec, [
      ["unit", "category", "value", "note"],
      ["u1", "a", { formula: "B1-B1", result: 0 }, { formula: '""', result: "" }],
      // A formula filled down: the cells below the first share its formula.
      ["u1", "b", { formula: "0*1", result: 0, shareType: "shared", ref: "C3:C4" }],
      ["u1", "c", { sharedFormula: "C3", result: 0 }],
    ]);
    expect(out.map((r) => ("values" in r ? r.values[2] : r))).toEqual(["0", "0", "0"]);
  });

  it.each(["Asia/Shanghai", "America/Los_Angeles", "UTC"])(
    "reads an Excel date as the calendar date in the cell, in time zone %s",
    async (tz) => {
      const zone = process.env.TZ;
      process.env.TZ = tz;
      try {
        // The zone is in force: midnight UTC is another day, or another hour, here.
        if (tz !== "UTC") expect(new Date(Date.UTC(2020, 5, 30)).getHours()).not.toBe(0);
        const out = await mapped(
          findingsSpec,
          [
            ["id", "unit", "type", "level", "整改期限", "整改日期"],
            // A JS Date, as ExcelJS writes it: serial 44012 in number format 14.
            ["f1", "u1", "t", "city", new Date(Date.UTC(2020, 5, 30)), new Date(Date.UTC(2024, 0, 1))],
            // Evening of the last day of a month (44012.75), and a 31 December.
            ["f2", "u1", "t", "city", 44012.75, 45657],
            // A deadline computed by a formula, formatted as a Chinese date.
            ["f3", "u1", "t", "city", { formula: "DATE(2020,6,30)", result: 44012 }, null],
            // A time of day is not a date.
            ["f4", "u1", "t", "city", 0.5, null],
          ],
          { E3: "yyyy-mm-dd hh:mm", F3: "yyyy/m/d", E4: 'yyyy"年"m"月"d"日"', E5: "h:mm" },
        );
        expect(out.map((r) => ("values" in r ? r.values.slice(-2) : r))).toEqual([
          ["2020-06-30", "2024-01-01"],
          ["2020-06-30", "2024-12-31"],
          ["2020-06-30", null],
          {
            errors: [
              {
                line: 5,
                column: "整改期限 (deadline)",
                message: "the cell is formatted as a date or time but holds no date from 1900 to 9999",
              },
            ],
          },
        ]);
      } finally {
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      }
    },
  );

  it("reads a date in a built-in format ExcelJS knows only by locale (Chinese Excel's) as its date", async () => {
    // Built-in formats have no <numFmt> in the file; ExcelJS knows 27-36 and 50-58 by locale
    // only, so their cells read as serial numbers: 43646 was refused in a date column and stored
    // in a text one. Style i has number format FORMATS[i].
    const DATES = [14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58];
    const TIMES = [18, 19, 20, 21, 32, 33, 34, 35, 45, 46, 47, 55, 56];
    const FORMATS = [0, ...DATES, ...TIMES, 2, 49];
    const style = (id: number) => FORMATS.indexOf(id);
    const text = (ref: string, t: string) => `<c r="${ref}" t="inlineStr"><is><t>${t}</t></is></c>`;
    const row = (r: number, id: string, cells: string) =>
      `<row r="${r}">${text(`A${r}`, id)}${text(`B${r}`, "u1")}${text(`C${r}`, "t")}${text(`D${r}`, "city")}${cells}</row>`;
    const rows = [
      `<row r="1">${["id", "unit", "type", "level", "deadline", "note"].map((h, i) => text(`${"ABCDEF"[i]}1`, h)).join("")}</row>`,
      // 2019-06-30 as a date column's value and a text column's, and a formula's result.
      ...DATES.map((id, i) =>
        row(
          i + 2,
          `d${id}`,
          `<c r="E${i + 2}" s="${style(id)}"><v>43646</v></c><c r="F${i + 2}" s="${style(id)}"><f>E${i + 2}</f><v>43646</v></c>`,
        ),
      ),
      // A date and time shown as a time is the date's; a time of day alone is no date.
      ...TIMES.map((id, i) => {
        const r = DATES.length + 2 + 2 * i;
        return `${row(r, `t${id}`, `<c r="E${r}" s="${style(id)}"><v>43646.5</v></c>`)}${row(r + 1, `h${id}`, `<c r="E${r + 1}" s="${style(id)}"><v>0.5</v></c>`)}`;
      }),
      // Other built-in formats are numbers.
      row(100, "n2", `<c r="F100" s="${style(2)}"><v>43646</v></c>`),
      row(101, "n49", `<c r="F101" s="${style(49)}"><v>43646</v></c>`),
    ];
    const parts: [string, string][] = [
      [
        "xl/_rels/workbook.xml.rels",
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      ],
      [
        "xl/workbook.xml",
        `<?xml version="1.0"?><workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ],
      [
        "xl/styles.xml",
        `<?xml version="1.0"?><styleSheet ${NS}><cellXfs count="${FORMATS.length}">${FORMATS.map((id) => `<xf numFmtId="${id}" applyNumberFormat="1"/>`).join("")}</cellXfs></styleSheet>`,
      ],
      [
        "xl/worksheets/sheet1.xml",
        `<?xml version="1.0"?><worksheet ${NS}><sheetData>${rows.join("")}</sheetData></worksheet>`,
      ],
    ];
    const mapper = new RowMapper(findingsSpec, new UnitIndex([{ id: "u1", name: "u1" }]));
    const read: Record<string, unknown> = {};
    const file = storedZip(parts.map(([name, xml]) => [name, Buffer.from(xml)]));
    for await (const ev of readXlsx(chunks(file, 1000))) {
      if (ev.type === "header") expect(mapper.header(ev.headers, ev.line)).toEqual([]);
      else if (ev.type === "row") {
        const m = mapper.map(ev.fields, { line: ev.line });
        read[String(ev.fields.id)] =
          "values" in m ? [m.values[7], m.values[6]] : m.errors.map((e) => e.message);
      }
    }
    const NO_DATE = ["the cell is formatted as a date or time but holds no date from 1900 to 9999"];
    expect(read).toEqual({
      ...Object.fromEntries(DATES.map((id) => [`d${id}`, ["2019-06-30", "2019-06-30"]])),
      ...Object.fromEntries(
        TIMES.flatMap((id) => [
          [`t${id}`, ["2019-06-30", null]],
          [`h${id}`, NO_DATE],
        ]),
      ),
      n2: [null, "43646"],
      n49: [null, "43646"],
    });
  });

  it("names a cell holding an Excel error or a formula without a value, rather than reading it as empty", async () => {
    const out = await mapped(findingsSpec, [
      ["id", "unit", "type", "level", "deadline", "note"],
      ["f1", "u1", "t", "city", { error: "#N/A" }, "x"],
      ["f2", "u1", "t", "city", "2024-03-05", { formula: "A1&B1" }],
      ["f3", "u1", "t", "city", { formula: "1/0", result: { error: "#DIV/0!" } }, "x"],
      // A formula filled down: the cells below the first share its formula.
      [
        "f4",
        "u1",
        "t",
        "city",
        { formula: "1/0", result: { error: "#DIV/0!" }, shareType: "shared", ref: "E5:E6" },
      ],
      ["f5", "u1", "t", "city", { sharedFormula: "E5", result: { error: "#N/A" } }],
    ]);
    expect(out).toEqual([
      { errors: [{ line: 2, column: "deadline", message: "the cell holds the Excel error #N/A" }] },
      {
        errors: [
          {
            line: 3,
            column: "note",
            message:
              "the formula =A1&B1 has no value saved in the file (not calculated, or an error): correct it, or open the file in Excel or WPS and save it again",
          },
        ],
      },
      ...[
        [
          4,
          "the formula =1/0 holds the Excel error #DIV/0!, not a value: correct the formula or the cells it uses",
        ],
        [
          5,
          "the formula =1/0 holds the Excel error #DIV/0!, not a value: correct the formula or the cells it uses",
        ],
        [
          6,
          "the cell's formula holds the Excel error #N/A, not a value: correct the formula or the cells it uses",
        ],
      ].map(([line, message]) => ({ errors: [{ line, column: "deadline", message }] })),
    ]);
  });
});

describe("XLSX text split between chunks", () => {
  it("reads every character of shared and inline strings, wherever the chunks end", async () => {
    // ExcelJS decoded each chunk of a part on its own: a character split between two (every
    // 16 KiB of an inflated part, or where an upload's chunks end) was read as U+FFFD, so a few
    // unit names past the first 16 KiB of shared strings were stored as 市公安局第1663��局….
    const names = Array.from({ length: 3000 }, (_, i) => `市公安局第${i}分局窗口服务中心`);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("s");
    ws.addRow(["编号", "名称"]);
    for (const [i, n] of names.entries()) ws.addRow([`U${i}`, n]);
    const shared = Buffer.from(await wb.xlsx.writeBuffer());
    // Inline strings, the worksheet read as it arrives (its shared strings and tabs first).
    const inline = (v: string, ref: string) => `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
    const rows = names
      .slice(0, 300)
      .map((n, i) => `<row r="${i + 2}">${inline(`U${i}`, `A${i + 2}`)}${inline(n, `B${i + 2}`)}</row>`);
    const arriving = storedZip(
      [
        [
          "xl/_rels/workbook.xml.rels",
          '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        ],
        ["xl/sharedStrings.xml", `<?xml version="1.0"?><sst ${NS}/>`],
        [
          "xl/workbook.xml",
          `<?xml version="1.0"?><workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>`,
        ],
        [
          "xl/worksheets/sheet1.xml",
          `<?xml version="1.0"?><worksheet ${NS}><sheetData><row r="1">${inline("编号", "A1")}${inline("名称", "B1")}</row>${rows.join("")}</sheetData></worksheet>`,
        ],
      ].map(([name, xml]) => [name!, Buffer.from(xml!)]),
    );
    for (const [file, size, count] of [
      [shared, shared.length, 3000],
      [shared, 1000, 3000],
      [arriving, 7, 300],
      [arriving, 1001, 300],
    ] as const) {
      const read: unknown[] = [];
      for await (const ev of readXlsx(chunks(file, size))) if (ev.type === "row") read.push(ev.fields.名称);
      expect(read, `chunks of ${size}`).toEqual(names.slice(0, count));
    }
  });
});

describe("a workbook whose worksheet comes before its shared strings and styles", () => {
  it("reads its texts and dates even when the worksheet's copy to a temporary file is slow", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("s");
    ws.addRow(["id", "unit", "type", "level", "整改期限"]);
    ws.addRow(["f1", "u1", "t", "city", new Date(Date.UTC(2020, 5, 30))]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    // ExcelJS copies a worksheet that comes first (as Excel stores it) to a temporary file; a
    // busy disk makes that copy finish after the zip's last byte has been parsed.
    const create = fs.createWriteStream;
    const slow = vi.spyOn(fs, "createWriteStream").mockImplementation(((
      ...args: Parameters<typeof create>
    ) => {
      const stream = create(...args);
      const emit = stream.emit.bind(stream);
      stream.emit = ((event: string, ...rest: unknown[]) => {
        if (event !== "finish") return emit(event, ...rest);
        setTimeout(() => emit(event, ...rest), 30);
        return true;
      }) as typeof stream.emit;
      return stream;
    }) as typeof create);
    try {
      for (const size of [bytes.length, 1000]) {
        const events = await collect(readXlsx(chunks(bytes, size)));
        expect(events).toEqual([
          { type: "header", line: 1, headers: ["id", "unit", "type", "level", "整改期限"] },
          {
            type: "row",
            line: 2,
            fields: {
              id: "f1",
              unit: "u1",
              type: "t",
              level: "city",
              整改期限: "2020-06-30",
            },
          },
        ]);
      }
      expect(slow).toHaveBeenCalled();
    } finally {
      slow.mockRestore();
    }
  });
});

describe("a value in a column the header does not name", () => {
  /** The rows and refusals of `grid` as a CSV file and as an XLSX sheet, with the header read. */
  async function read(grid: string[][]) {
    const csv = grid.map((r) => r.join(",")).join("\r\n");
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("s");
    for (const r of grid) ws.addRow(r.map((v) => (v === "" ? null : v)));
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const outcome = (events: ReaderEvent[]) =>
      events.flatMap((e) =>
        e.type === "error"
          ? [{ line: e.line, message: e.message }]
          : e.type === "row"
            ? [{ line: e.line }]
            : [],
      );
    return {
      csv: outcome(await collect(readCsv(textChunks(csv, 5)))),
      xlsx: outcome(await collect(readXlsx(chunks(xlsx, 1000)))),
    };
  }

  it("refuses the row, naming the column, in CSV and XLSX alike, rather than dropping the value", async () => {
    // 整改情况 typed under a header cell left blank, and past the header's last cell: read by no
    // column, a finding's "not rectified" was lost, and with it its deduction.
    const blankHeader = await read([
      ["id", "unit", "type", "level", "", "note"],
      ["f1", "u1", "t", "city", "未整改", "x"],
      ["f2", "u1", "t", "city", "", "x"],
    ]);
    const pastHeader = await read([
      ["id", "unit", "type", "level"],
      ["f1", "u1", "t", "city", "", "", "未整改"],
      ["f2", "u1", "t", "city", "", "", ""],
      ["f3", "u1", "t", "city", "未整改", "", "是"],
    ]);
    const NO_HEADER = "which has no header: give the column a header, or delete the value";
    for (const r of [blankHeader.csv, blankHeader.xlsx])
      expect(r).toEqual([{ line: 2, message: `a value in column 5 (E), ${NO_HEADER}` }, { line: 3 }]);
    for (const r of [pastHeader.csv, pastHeader.xlsx])
      expect(r).toEqual([
        { line: 2, message: `a value in column 7 (G), ${NO_HEADER}` },
        { line: 3 },
        {
          line: 4,
          message:
            "values in columns 5 (E) and 7 (G), which have no header: give the columns headers, or delete the values",
        },
      ]);
  });
});

describe("the worksheet an XLSX import reads", () => {
  const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  /**
   * A workbook ExcelJS wrote with the sheets 甲 (xl/worksheets/sheet1.xml, rId4) and 乙
   * (sheet2.xml, rId5), its <sheets> replaced by `sheets` as Excel writes them once a tab is moved,
   * hidden or added: the parts keep their names and their place in the zip.
   */
  async function workbook(
    sheets: string,
    extra: { rel: string; part: [string, string] } | undefined,
    arriving: boolean,
  ) {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("甲").addRows([["sheet"], ["甲"]]);
    wb.addWorksheet("乙").addRows([["sheet"], ["乙"]]);
    let parts = zipEntries(Buffer.from(await wb.xlsx.writeBuffer()))
      .filter(([name]) => !name.endsWith("/"))
      .map(([name, data]): [string, Uint8Array] => {
        let xml = Buffer.from(data).toString();
        if (name === "xl/workbook.xml")
          xml = xml.replace(/<sheets>.*<\/sheets>/, `<sheets>${sheets}</sheets>`);
        if (name === "xl/_rels/workbook.xml.rels" && extra)
          xml = xml.replace("</Relationships>", `${extra.rel}</Relationships>`);
        return [name, Buffer.from(xml)];
      });
    if (extra) parts.push([extra.part[0], Buffer.from(extra.part[1])]);
    // The worksheets after their shared strings and relationships (which ExcelJS reads a
    // worksheet on arrival after) and before the workbook part that orders the tabs.
    if (arriving) {
      const at = (name: string) =>
        name.startsWith("xl/worksheets/") ? 1 : name === "xl/workbook.xml" ? 2 : 0;
      parts = parts.sort((a, b) => at(a[0]) - at(b[0]));
    }
    return storedZip(parts);
  }
  const sheet = (name: string, rId: string, state = "visible") =>
    `<sheet name="${name}" sheetId="${rId.slice(3)}" state="${state}" r:id="${rId}"/>`;
  async function readSheet(sheets: string, extra?: { rel: string; part: [string, string] }) {
    const read: unknown[] = [];
    for (const arriving of [false, true])
      for (const size of [100_000, 1000]) {
        const file = await workbook(sheets, extra, arriving);
        const rows = (await collect(readXlsx(chunks(file, size)))).flatMap((e) =>
          e.type === "row" ? [e.fields.sheet] : e.type === "error" ? [e.message] : [],
        );
        read.push(rows.join());
      }
    expect(new Set(read).size, read.join(" / ")).toBe(1);
    return read[0];
  }

  it("is the first tab, not the first worksheet part in the zip (a tab moved in Excel)", async () => {
    expect(await readSheet(sheet("甲", "rId4") + sheet("乙", "rId5"))).toBe("甲");
    expect(await readSheet(sheet("乙", "rId5") + sheet("甲", "rId4"))).toBe("乙");
  });

  it("passes over a hidden first sheet, which the operator does not see", async () => {
    expect(await readSheet(sheet("甲", "rId4", "hidden") + sheet("乙", "rId5"))).toBe("乙");
    expect(await readSheet(sheet("乙", "rId5", "veryHidden") + sheet("甲", "rId4"))).toBe("甲");
  });

  it("passes over a chart sheet, which has no cells", async () => {
    const chart = {
      rel: `<Relationship Id="rId9" Type="${REL}/chartsheet" Target="chartsheets/sheet1.xml"/>`,
      part: ["xl/chartsheets/sheet1.xml", `<?xml version="1.0"?><chartsheet ${NS}/>`] as [string, string],
    };
    expect(await readSheet(sheet("图表", "rId9") + sheet("乙", "rId5") + sheet("甲", "rId4"), chart)).toBe(
      "乙",
    );
  });

  it("refuses a workbook with no visible worksheet, or whose first worksheet's part is missing", async () => {
    const none = await workbook(
      sheet("甲", "rId4", "hidden") + sheet("乙", "rId5", "hidden"),
      undefined,
      false,
    );
    await expect(collect(readXlsx(chunks(none, 1000)))).rejects.toEqual(
      new FileFormatError(
        1,
        "the workbook has no visible worksheet to read (its sheets are hidden, or chart sheets): unhide the sheet to import, and move its tab to the front",
      ),
    );
    const missing = {
      rel: `<Relationship Id="rId9" Type="${REL}/worksheet" Target="/xl/worksheets/数据.xml"/>`,
      part: ["docProps/custom.xml", "<x/>"] as [string, string],
    };
    const file = await workbook(sheet("数据", "rId9") + sheet("甲", "rId4"), missing, false);
    await expect(collect(readXlsx(chunks(file, 1000)))).rejects.toThrow(
      "its first worksheet '数据' (xl/worksheets/数据.xml) is not in the file",
    );
  });
});

describe("header rows", () => {
  it("says a row of one text is a title where the header should be, and not for a header of unknown names", () => {
    const mapper = () => new RowMapper(scoresSpec, new UnitIndex([]));
    const title = mapper().header(["2019年度考核得分 ", "", "2019年度考核得分"], 1);
    expect(title[0]).toEqual({
      line: 1,
      message:
        "this row holds one text ('2019年度考核得分') where the header should be: if it is a title above the table, delete it (and any other row above the header), so that the header comes first",
    });
    expect(title.slice(1).every((e) => e.message.startsWith("missing column"))).toBe(true);
    // Two texts are a header with the wrong names; one text naming a column is a header short of columns.
    for (const header of [["单位", "分数"], ["unit"]])
      expect(
        mapper()
          .header(header, 1)
          .some((e) => e.message.includes("title")),
      ).toBe(false);
  });

  it("refuses a column named twice, which would leave one of the two unread", () => {
    const twice = new RowMapper(scoresSpec, new UnitIndex([])).header(
      ["unit", "category", "value", "Unit "],
      1,
    );
    expect(twice).toEqual([
      {
        line: 1,
        column: "unit",
        message: "the header names this column twice (columns 1 and 4): delete one, or rename it",
      },
    ]);
    // Two headers of one column by different names: the better name wins, as documented; columns
    // the kind does not read may repeat.
    const mapper = new RowMapper(scoresSpec, new UnitIndex([]));
    expect(mapper.header(["单位编号", "单位名称", "category", "value", "备注", "备注", "", ""], 1)).toEqual(
      [],
    );
  });
});

describe("files that are not CSV as Excel saves it", () => {
  it("names UTF-16 (Excel's Unicode Text) instead of reading it as GB18030", async () => {
    const text = "\ufeff类别,单位名称,受访群体,答案\r\npublic,市公安局,residents,satisfied\r\n";
    for (const bytes of [Buffer.from(text, "utf16le"), Buffer.from(text, "utf16le").swap16()]) {
      await expect(decodeAll(bytes, 3)).rejects.toThrow(EncodingError);
      await expect(decodeAll(bytes, 3)).rejects.toThrow("the file is UTF-16");
    }
  });

  it("names an Excel workbook sent as text instead of reading its bytes as CSV or JSON", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("s").addRow(["unit", "category", "value"]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    // An Excel 97-2003 .xls starts with the compound file signature.
    const xls = Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(504)]);
    for (const [bytes, message] of [
      [xlsx, "the file is an XLSX workbook (or another zip file), not text: import it as xlsx"],
      [
        xls,
        "the file is an Excel 97-2003 workbook (.xls), not text: save it in Excel as an Excel Workbook (.xlsx) and import that as xlsx, or save it as CSV",
      ],
    ] as const)
      for (const encoding of [undefined, "utf-8", "gb18030"] as const)
        for (const size of [1, 3, 1000])
          for (const read of [readCsv, readJson]) {
            const events = collect(read(decodeStream(chunks(bytes, size), new AutoDecoder(encoding))));
            const err = await events.then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(err).toBeInstanceOf(EncodingError);
            expect(err).toMatchObject({ line: 1, message });
          }
    // A text file that starts with the letters "PK" is text.
    expect(await decodeAll(Buffer.from("PK,unit\n1,u1\n"), 1)).toEqual({
      text: "PK,unit\n1,u1\n",
      encoding: undefined,
    });
  });

  it("says a header of one column is tab- or semicolon-separated, not four missing columns", () => {
    const mapper = new RowMapper(surveyFormsSpec, new UnitIndex([]));
    const tabs = mapper.header(["category\tunit\trespondent_group\tanswer"], 1);
    expect(tabs).toEqual([
      {
        line: 1,
        message:
          "the header is one column separated by tabs ('category\\tunit\\trespondent_group\\tanswer'): save the file as CSV, with commas between columns",
      },
    ]);
    const semicolons = new RowMapper(surveyFormsSpec, new UnitIndex([])).header(
      ["类别;单位;受访群体;答案"],
      2,
    );
    expect(semicolons[0]!.message).toContain("separated by semicolons");
    // A one-column file naming a real column is still told what else is missing.
    const one = new RowMapper(surveyFormsSpec, new UnitIndex([])).header(["category"], 1);
    expect(one.map((e) => e.column)).toEqual(["unit", "respondent_group", "answer"]);
  });
});

describe("damaged XLSX files", () => {
  /** Every event, or the error the reader stopped with; a reader that never finishes fails. */
  async function outcome(bytes: Uint8Array, size: number): Promise<ReaderEvent[] | Error> {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("the reader did not finish within 2 s")), 2000);
    });
    try {
      return await Promise.race([collect(readXlsx(chunks(bytes, size))).catch((e: Error) => e), hang]);
    } finally {
      clearTimeout(timer);
    }
  }

  it("refuses a workbook whose workbook part holds no workbook, or is cut short, as damaged", async () => {
    // ExcelJS left its model undefined and failed on the next sheet's name ("Cannot read
    // properties of undefined (reading 'sheets')") after it had opened the sheet's copy, a stream
    // no one held. Read as a workbook of no tabs, the first sheet to come (here a hidden one)
    // would be imported instead of the first tab.
    const wb = new ExcelJS.Workbook();
    const hidden = wb.addWorksheet("old", { state: "hidden" });
    hidden.addRow(["unit", "category", "value"]);
    hidden.addRow(["OLD", "b1", 999]);
    const ws = wb.addWorksheet("data");
    ws.addRow(["unit", "category", "value"]);
    ws.addRow(["u1", "b1", 1]);
    const parts = zipEntries(new Uint8Array(await wb.xlsx.writeBuffer()));
    const workbook = parts.find(([name]) => name === "xl/workbook.xml")![1];
    const withPart = (part: Uint8Array) =>
      storedZip(
        parts.map(([name, data]): [string, Uint8Array] => [name, name === "xl/workbook.xml" ? part : data]),
      );
    const cut = workbook.subarray(0, workbook.length - "</workbook>".length);
    const sharedStringsFirst = (entries: [string, Uint8Array][]) => [
      ...entries.filter(([name]) => name === "xl/sharedStrings.xml"),
      ...entries.filter(([name]) => name !== "xl/sharedStrings.xml"),
    ];
    for (const part of [Buffer.from('<?xml version="1.0"?><nothing/>'), Buffer.from(""), cut]) {
      // The shared strings after the sheets (as ExcelJS writes them), and before (other writers).
      for (const file of [withPart(part), storedZip(sharedStringsFirst(zipEntries(withPart(part))))]) {
        const err = await collect(readXlsx(chunks(file, 100))).catch((e: unknown) => e);
        expect(err, String(part)).toBeInstanceOf(FileFormatError);
        expect(err).toMatchObject({
          line: 0,
          message:
            "not a readable XLSX workbook (the file is damaged or is not an Excel .xlsx file): its workbook part (xl/workbook.xml) holds no workbook, or is cut short, so which worksheet is the first tab is unknown; open the file in Excel or WPS and save it again",
        });
      }
    }
    // Whole, it reads the first tab, not the hidden sheet.
    expect(await collect(readXlsx(chunks(withPart(workbook), 100)))).toContainEqual({
      type: "row",
      line: 2,
      fields: { unit: "u1", category: "b1", value: 1 },
    });
  });

  it("finishes, with rows or a FileFormatError at line 0, whichever byte of the zip headers is flipped", async () => {
    const dir = ownTmpdir("flipped-bytes-test-");
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("s");
    ws.addRow(["unit", "category", "value"]);
    for (let i = 1; i <= 50; i++) ws.addRow(["u1", `b${i}`, i]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    // From the xl/_rels/ folder entry to the start of the worksheet's data: the stretch where
    // damage most often left ExcelJS waiting on a zip entry that never ended.
    for (let at = 776; at < 1170; at++) {
      const damaged = bytes.slice();
      damaged[at]! ^= 1;
      const r = await outcome(damaged, 997);
      if (r instanceof Error) {
        expect(r, `byte ${at}: ${r.message}`).toBeInstanceOf(FileFormatError);
        expect((r as FileFormatError).line, `byte ${at}: ${r.message}`).toBe(0);
      }
    }
    // Nor does a copy of the sheet (ExcelJS's, or the one read for merged cells) outlast a read,
    // whatever the damage.
    await vi.waitFor(() => expect(fs.readdirSync(dir)).toEqual([]), { timeout: 5000 });
  });
});
