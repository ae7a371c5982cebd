import { readFile } from "node:fs/promises";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportError } from "../store/errors.js";
import { backends, openTestDatabase, seedCycle, type TestDatabase, uid } from "../store/test-backends.js";
import { type ImportOptions, importFile } from "./index.js";
import { MAX_KEY_LENGTH } from "./mapping.js";

/**
 * Hostile files against importFile, the entry point every import goes through. A property (to
 * come) starts from a small valid file of each kind, breaks it (cells, headers, rows, then
 * bytes), and checks what administrators are promised: the import either succeeds or fails with
 * an ImportError whose rows name a line (and the column, where a cell is at fault); a failed
 * import leaves the cycle's rows, its imports and the audit log exactly as they were; and a valid
 * file under the same import id still imports afterwards. The examples first are what it found.
 */

async function* chunked(data: Uint8Array | string, size = 997): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** The import's outcome, or a failure of its own if it does not finish: a hang is a bug too. */
function settled<T>(p: Promise<T>, ms = 10_000): Promise<{ ok: T } | { err: unknown }> {
  return Promise.race([
    p.then(
      (ok) => ({ ok }),
      (err: unknown) => ({ err }),
    ),
    new Promise<{ err: Error }>((resolve) =>
      setTimeout(() => resolve({ err: new Error(`the import did not finish within ${ms / 1000} s`) }), ms),
    ),
  ]);
}

async function rejection(p: Promise<unknown>): Promise<ImportError> {
  const r = await settled(p);
  if ("ok" in r) throw new Error(`expected the import to be rejected: ${JSON.stringify(r.ok)}`);
  if (!(r.err instanceof ImportError)) throw r.err;
  return r.err;
}

/** A zip of stored (uncompressed) entries, for XLSX files whose container is sound but not their content. */
function storedZip(entries: [string, Uint8Array][]): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    parts.push(local, n, Buffer.from(data));
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(n.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, n);
    offset += 30 + n.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';

/** The parts of a one-sheet workbook (unit, category, value; u1, b, 1), as other writers lay them out. */
const XLSX_PARTS: Record<string, string> = {
  "xl/_rels/workbook.xml.rels":
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
  "xl/workbook.xml": `<?xml version="1.0"?><workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  "xl/sharedStrings.xml": `<?xml version="1.0"?><sst ${NS} count="5" uniqueCount="5"><si><t>unit</t></si><si><t>category</t></si><si><t>value</t></si><si><t>u1</t></si><si><t>b</t></si></sst>`,
  "xl/worksheets/sheet1.xml": `<?xml version="1.0"?><worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row><row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c><c r="C2"><v>1</v></c></row></sheetData></worksheet>`,
};

// Long enough to pass the encoding detection window, and (unlike "xxx…") not compressible to a
// few bytes in an index entry.
const LONG_CJK = (() => {
  let s = "";
  let x = 12345;
  for (let i = 0; i < 3000; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += String.fromCharCode(0x4e00 + (x % 20000));
  }
  return s;
})();

// "单位" in GB18030.
const GB18030_BYTES = Buffer.from("b5a5cebb", "hex");

describe.each(backends)("files the property below found mishandled, on %s", (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await t?.close();
  });
  const run = (o: Omit<ImportOptions, "actor">) => importFile(t.store, { actor: "importer", ...o });
  const FORMS = "category,unit,respondent_group,answer\n";

  it("rejects, rather than waits forever for, a CSV whose bytes stop being UTF-8 after the first 4 KiB", async () => {
    const c = await seedCycle(t.store, 2);
    // Read as UTF-8 from the first 4 KiB on; the GB18030 bytes on line 502 are not UTF-8.
    const late = Buffer.concat([
      Buffer.from(FORMS + "p,u1,企业,满意\n".repeat(500)),
      Buffer.from("p,u2,"),
      GB18030_BYTES,
      Buffer.from(",满意\n"),
    ]);
    const fixture = await readFile(new URL("./fixtures/survey-forms-gb18030.csv", import.meta.url));
    for (const [bytes, encoding] of [
      [late, undefined],
      [fixture, "utf-8"], // GB18030 sent as UTF-8
    ] as const) {
      const importId = uid("late");
      const err = await rejection(
        run({
          cycleId: c,
          kind: "survey-forms",
          format: "csv",
          importId,
          stream: chunked(bytes),
          ...(encoding ? { encoding } : {}),
        }),
      );
      expect(err.rows).toEqual([
        { line: expect.any(Number), message: expect.stringMatching(/not valid UTF-8/) },
      ]);
      // The import's transaction is over: the id is free and the cycle takes the next file.
      await run({
        cycleId: c,
        kind: "survey-forms",
        format: "csv",
        importId,
        stream: chunked(`${FORMS}p,u1,企业,满意\n`),
      });
    }
    expect(await t.store.records.countSurveyForms(c)).toBe(2);
  });

  it("names the line of the first bytes that are not UTF-8", async () => {
    const c = await seedCycle(t.store, 2);
    for (const eol of ["\n", "\r\n", "\r"])
      for (const size of [1, 997, 4096]) {
        const bytes = Buffer.concat([
          Buffer.from((FORMS + "p,u1,企业,满意\n".repeat(500)).replace(/\n/g, eol)),
          Buffer.from(`p,u2,企业,满意${eol}p,u2,`),
          GB18030_BYTES,
          Buffer.from(`,满意${eol}`),
        ]);
        const err = await rejection(
          run({
            cycleId: c,
            kind: "survey-forms",
            format: "csv",
            importId: uid("line"),
            stream: chunked(bytes, size),
          }),
        );
        expect(err.rows, `${JSON.stringify(eol)} in chunks of ${size}`).toEqual([
          {
            line: 503,
            message: `the file is not valid UTF-8 at byte ${bytes.indexOf(GB18030_BYTES)}: it mixes encodings; save it again as UTF-8 or GB18030`,
          },
        ]);
      }
    const nd = Buffer.concat([
      Buffer.from('{"category":"p","unit":"u1","respondent_group":"企业","answer":"满意"}\n'.repeat(100)),
      Buffer.from('{"category":"p","unit":"'),
      GB18030_BYTES,
      Buffer.from('"}\n'),
    ]);
    const err = await rejection(
      run({ cycleId: c, kind: "survey-forms", format: "json", importId: uid("line"), stream: chunked(nd) }),
    );
    expect(err.rows.map((r) => r.line)).toEqual([101]);
  });

  it("names the line where a record with a broken quote starts, whatever the line endings", async () => {
    const c = await seedCycle(t.store, 3);
    for (const eol of ["\n", "\r\n", "\r"])
      for (const [bad, message] of [
        ['u3,"c,3', /Quote Not Closed/], // the file cut mid-quote
        ['u3,"c"x,3', /Invalid Closing Quote/],
        ['u3,c"x,3', /Invalid Opening Quote/],
      ] as const) {
        // Line 3 holds a quoted line break, so the bad record starts on line 5.
        const csv = ["unit,category,value", "u1,b,1", 'u2,"two', 'lines",2', bad, "u1,d,4", ""].join(eol);
        const err = await rejection(
          run({ cycleId: c, kind: "scores", format: "csv", importId: uid("quote"), stream: chunked(csv, 7) }),
        );
        expect(err.rows, `${JSON.stringify(eol)} ${bad}`).toEqual([
          { line: 5, message: expect.stringMatching(message) },
        ]);
        expect(err.rows[0]!.message).not.toMatch(/line \d/);
      }
  });

  it("refuses a key over 100 characters by line and column, rather than failing in the database", async () => {
    const c = await seedCycle(t.store, 2);
    // Not "考".repeat(3000): the database compresses that below its index limit, this it cannot.
    const long = LONG_CJK;
    for (const [kind, csv, column] of [
      ["scores", `unit,category,value\nu1,${long},1\n`, "category"],
      ["ballots", `category,voter,unit,score\nvote,${long},u1,1\n`, "voter"],
      ["findings", `id,unit,type,level\n${long},u1,投诉,city\n`, "id"],
      ["units", `id,name,group\n${long},新单位,g1\n`, "id"],
    ] as const) {
      const err = await rejection(
        run({ cycleId: c, kind, format: "csv", importId: uid("long"), stream: chunked(csv) }),
      );
      expect(err.rows, kind).toEqual([
        { line: 2, column, message: "at most 100 characters (this one has 3000)" },
      ]);
    }
    const longest = "考".repeat(MAX_KEY_LENGTH);
    await run({
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: uid("longest"),
      stream: chunked(`unit,category,value\nu1,${longest},1\n`),
    });
    expect(await t.store.records.listScores(c)).toEqual([{ unit: "u1", category: longest, value: "1" }]);
  });

  it("reads an XLSX whose workbook part comes after its worksheet and shared strings", async () => {
    const c = await seedCycle(t.store, 1);
    const order = [
      "xl/_rels/workbook.xml.rels",
      "xl/sharedStrings.xml",
      "xl/worksheets/sheet1.xml",
      "xl/workbook.xml",
    ];
    const file = storedZip(order.map((p) => [p, Buffer.from(XLSX_PARTS[p]!)]));
    const res = await run({
      cycleId: c,
      kind: "scores",
      format: "xlsx",
      importId: uid("order"),
      stream: chunked(file),
    });
    expect(res.rows).toBe(1);
    expect(await t.store.records.listScores(c)).toEqual([{ unit: "u1", category: "b", value: "1" }]);
  });
});
