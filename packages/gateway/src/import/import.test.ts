import { readFile } from "node:fs/promises";
import { evaluate } from "@pingyi/engine";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, CycleFinalisedError, ImportError, ValidationError } from "../store/errors.js";
import { backends, openTestDatabase, seedCycle, type TestDatabase, uid } from "../store/test-backends.js";
import { MAX_IMPORT_ID_LENGTH } from "./import-id.js";
import { type ImportOptions, importFile, MAX_LISTED_ERRORS } from "./index.js";

async function* chunked(data: Uint8Array | string, size = 997): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** A small deterministic PRNG so generated files are the same every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const GROUPS = ["企业", "居民", "服务对象", "人大代表"];
const ANSWERS = ["满意", "基本满意", "不满意", "不了解"];

function generateForms(
  n: number,
  units: number,
  seed = 1,
  categories = ["public", "public", "public", "service"],
) {
  const r = rng(seed);
  const forms = [];
  for (let i = 0; i < n; i++) {
    forms.push({
      category: categories[Math.floor(r() * categories.length)]!,
      unit: `u${1 + Math.floor(r() * units)}`,
      respondentGroup: GROUPS[Math.floor(r() * GROUPS.length)]!,
      answer: ANSWERS[Math.floor(r() * ANSWERS.length)]!,
    });
  }
  return forms;
}

// The fixture's exact GB18030 bytes, so an editor re-saving it as UTF-8 cannot go unnoticed.
const GB18030_FIXTURE_HEX =
  "c0e0b1f02cb5a5cebb2ccadcb7c3c8bacce52cb4f0b0b80d0ab9abd6dac6c0d2e92cb5a5cebb312cc6f3d2b52cc2fad2e20d0ab9abd6dac6c0d2e92cb5a5cebb312cbed3c3f12cbbf9b1bec2fad2e20d0ab9abd6dac6c0d2e92c75322cc6f3d2b52cb2bbc2fad2e20d0ab9abd6dac6c0d2e92c75322cbed3c3f12cb2bbc1cbbde20d0a";

describe.each(backends)("imports on %s", (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  const run = (o: Omit<ImportOptions, "actor"> & { actor?: string }) =>
    importFile(t.store, { actor: "importer", ...o });

  it("imports survey forms from CSV and the SQL tallies equal counting the forms", async () => {
    const c = await seedCycle(t.store, 7);
    const forms = generateForms(12_345, 7);
    const csv = `category,unit,respondent_group,answer\n${forms.map((f) => `${f.category},${f.unit},${f.respondentGroup},${f.answer}`).join("\n")}\n`;
    const progress: number[] = [];
    const res = await run({
      cycleId: c,
      kind: "survey-forms",
      format: "csv",
      importId: uid("imp"),
      stream: chunked(csv, 4096),
      batchSize: 5000,
      onProgress: (n) => progress.push(n),
    });
    expect(res).toMatchObject({ status: "imported", rows: 12_345, encoding: "utf-8" });
    expect(res.fileHash).toMatch(/^[0-9a-f]{64}$/);
    expect(progress).toEqual([5000, 10_000, 12_345]);

    const expected = new Map<string, number>();
    for (const f of forms) {
      const k = [f.category, f.unit, f.respondentGroup, f.answer].join("|");
      expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    const ds = await t.store.loadDataset(c);
    const got = new Map(
      ds.surveyTallies!.map((x) => [[x.category, x.unit, x.respondentGroup, x.answer].join("|"), x.count]),
    );
    expect(got).toEqual(expected);
    const rec = await t.store.imports.get(res.importId);
    expect(rec).toMatchObject({
      cycleId: c,
      kind: "survey-forms",
      format: "csv",
      rowCount: 12_345,
      fileHash: res.fileHash,
    });
    const [audit] = await t.store.audit.list({ cycleId: c, entity: "import" });
    expect(audit).toMatchObject({ action: "import", entityId: res.importId, actor: "importer" });
  });

  it("gives the engine the same results from the SQL tallies as from the forms themselves", async () => {
    const scheme = {
      id: "survey-check",
      version: 1,
      name: "survey check",
      categories: [
        {
          id: "public",
          name: "公众评议",
          points: 100,
          method: {
            kind: "survey",
            options: { 满意: 100, 基本满意: 70, 不满意: 30, 不了解: null },
            satisfiedOptions: ["满意", "基本满意"],
            respondentGroups: GROUPS,
            weighting: {
              type: "group-weighted",
              weights: { 企业: 0.4, 居民: 0.3, 服务对象: 0.2, 人大代表: 0.1 },
            },
          },
        },
      ],
      groups: [
        { id: "g1", name: "第一组" },
        { id: "g2", name: "第二组" },
      ],
    };
    const schemeId = uid("survey-scheme");
    await t.store.schemes.publish("x", { schemeId, document: scheme, reason: "test", basedOn: null });
    const c = uid("cycle");
    await t.store.cycles.create("x", { id: c, year: 2024, name: "c", schemeId, schemeVersion: 1 });
    for (let i = 1; i <= 6; i++)
      await t.store.units.upsert("x", c, { id: `u${i}`, name: `单位${i}`, group: i % 2 ? "g1" : "g2" });
    const forms = generateForms(6000, 6, 7, ["public"]);
    const csv = `单位,评议群体,评价\n${forms.map((f) => `${f.unit},${f.respondentGroup},${f.answer}`).join("\n")}\n`;
    await run({
      cycleId: c,
      kind: "survey-forms",
      format: "csv",
      importId: uid("e"),
      stream: chunked(csv),
      defaults: { category: "public" },
    });

    const { scheme: stored, dataset } = await t.store.loadEvaluation(c);
    const fromTallies = evaluate(stored.document, dataset, { traces: false });
    const fromForms = evaluate(scheme, { units: dataset.units, surveyForms: forms }, { traces: false });
    const summary = (e: typeof fromForms) =>
      e.units.map((u) => [u.unit, u.total, u.rank, u.categories.map((x) => [x.methodPoints, x.details])]);
    expect(summary(fromTallies)).toEqual(summary(fromForms));
    expect(fromTallies.units.every((u) => u.status === "scored")).toBe(true);
  });

  it("imports a GB18030 CSV with Chinese headers, resolving units by name", async () => {
    const c = await seedCycle(t.store, 2);
    const bytes = await readFile(new URL("./fixtures/survey-forms-gb18030.csv", import.meta.url));
    expect(bytes.toString("hex")).toBe(GB18030_FIXTURE_HEX);
    const res = await run({
      cycleId: c,
      kind: "survey-forms",
      format: "csv",
      importId: uid("gb"),
      stream: chunked(bytes, 7),
    });
    expect(res).toMatchObject({ status: "imported", rows: 4, encoding: "gb18030" });
    expect(await t.store.records.surveyTallies(c)).toEqual([
      { category: "公众评议", unit: "u1", respondentGroup: "企业", answer: "满意", count: 1 },
      { category: "公众评议", unit: "u1", respondentGroup: "居民", answer: "基本满意", count: 1 },
      { category: "公众评议", unit: "u2", respondentGroup: "企业", answer: "不满意", count: 1 },
      { category: "公众评议", unit: "u2", respondentGroup: "居民", answer: "不了解", count: 1 },
    ]);
  });

  it("imports a UTF-8 CSV with BOM and a default for a missing column", async () => {
    const c = await seedCycle(t.store, 2);
    const csv = "\uFEFF单位编号,评议群体,评价\r\nu1,企业,满意\r\nu2,居民,不满意\r\n";
    const res = await run({
      cycleId: c,
      kind: "survey-forms",
      format: "csv",
      importId: uid("bom"),
      stream: chunked(csv),
      defaults: { category: "public" },
    });
    expect(res).toMatchObject({ rows: 2, encoding: "utf-8" });
    expect(await t.store.records.countSurveyForms(c, { category: "public" })).toBe(2);
  });

  it("imports ballots from XLSX (first worksheet, number and text cells)", async () => {
    const c = await seedCycle(t.store, 3);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("票决");
    ws.addRow(["类别", "投票人", "角色", "单位", "分数", "等次"]);
    ws.addRow(["vote", "市长", "mayor", "u1", 95.5, null]);
    ws.addRow(["vote", "市长", "mayor", "单位2", 88, null]);
    ws.addRow([]);
    ws.addRow(["vote", "副市长", "vice", "u3", null, "优秀"]);
    wb.addWorksheet("notes").addRow(["ignored", "sheet"]);
    const buf = new Uint8Array(await wb.xlsx.writeBuffer());
    const res = await run({
      cycleId: c,
      kind: "ballots",
      format: "xlsx",
      importId: uid("x"),
      stream: chunked(buf, 1000),
    });
    expect(res).toMatchObject({ status: "imported", rows: 3 });
    expect(res.encoding).toBeUndefined();
    const { importId } = res;
    expect(await t.store.records.listBallots(c)).toEqual([
      { category: "vote", voter: "市长", role: "mayor", unit: "u1", score: "95.5", importId },
      { category: "vote", voter: "市长", role: "mayor", unit: "u2", score: "88", importId },
      { category: "vote", voter: "副市长", role: "vice", unit: "u3", grade: "优秀", importId },
    ]);
  });

  it("reports bad XLSX rows by worksheet row number", async () => {
    const c = await seedCycle(t.store, 1);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("s");
    ws.addRow(["category", "voter", "unit", "score"]);
    ws.addRow(["vote", "a", "u1", "abc"]);
    const buf = new Uint8Array(await wb.xlsx.writeBuffer());
    const err = await run({
      cycleId: c,
      kind: "ballots",
      format: "xlsx",
      importId: uid("x"),
      stream: chunked(buf),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.rows).toEqual([{ line: 2, column: "score", message: "'abc' is not a number" }]);
  });

  it("imports findings from a JSON array and scores from NDJSON", async () => {
    const c = await seedCycle(t.store, 2);
    const findings = [
      {
        id: "F-1",
        unit: "u1",
        type: "明察暗访",
        level: "city",
        rectification: "逾期整改",
        repeated: "是",
        deadline: "2024/3/5",
      },
      { id: "F-2", 单位: "单位2", 问题类型: "投诉", 层级: "district", 整改情况: "on-time", 备注: "已回访" },
    ];
    const r1 = await run({
      cycleId: c,
      kind: "findings",
      format: "json",
      importId: uid("j"),
      stream: chunked(JSON.stringify(findings, null, 2), 5),
    });
    expect(r1.rows).toBe(2);
    expect(await t.store.records.listFindings(c)).toEqual([
      {
        id: "F-1",
        unit: "u1",
        type: "明察暗访",
        level: "city",
        rectification: "late",
        repeated: true,
        deadline: "2024-03-05",
        importId: r1.importId,
      },
      {
        id: "F-2",
        unit: "u2",
        type: "投诉",
        level: "district",
        rectification: "on-time",
        repeated: false,
        note: "已回访",
        importId: r1.importId,
      },
    ]);
    const nd =
      '{"unit":"u1","category":"business","value":26.4}\n{"unit":"u2","category":"business","value":"30.00"}\n';
    const r2 = await run({
      cycleId: c,
      kind: "scores",
      format: "json",
      importId: uid("n"),
      stream: chunked(nd, 10),
    });
    expect(r2.rows).toBe(2);
    expect(await t.store.records.listScores(c)).toEqual([
      { unit: "u1", category: "business", value: "26.4", importId: r2.importId },
      { unit: "u2", category: "business", value: "30.00", importId: r2.importId },
    ]);

    // Rows written in the GraphQL inputs' shape name the unit `unitId`.
    const apiShaped = [{ id: "V-1", unitId: "u1", type: "incident", reason: "重大安全事故" }];
    const r3 = await run({
      cycleId: c,
      kind: "vetoes",
      format: "json",
      importId: uid("v"),
      stream: chunked(JSON.stringify(apiShaped), 7),
    });
    expect(r3.rows).toBe(1);
    expect((await t.store.records.listVetoEvents(c)).map((v) => v.unit)).toEqual(["u1"]);
  });

  it("rolls the whole import back when beforeCommit rejects it", async () => {
    const c = await seedCycle(t.store, 2);
    const csv = "unit,category,value\nu1,b,150\nu2,b,80\n";
    const importId = uid("check");
    let seen: unknown;
    await expect(
      run({
        cycleId: c,
        kind: "scores",
        format: "csv",
        importId,
        stream: chunked(csv),
        beforeCommit: async (tx) => {
          const ds = await tx.loadDataset(c);
          seen = ds.scores;
          if (ds.scores?.some((x) => Number(x.value) > 100))
            throw new ValidationError([{ path: "value", message: "over 100" }]);
        },
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(seen).toHaveLength(2);
    expect(await t.store.records.listScores(c)).toEqual([]);
    await expect(t.store.imports.get(importId)).rejects.toThrow(/not found/);
  });

  it("lists every bad row with line and column, and writes nothing", async () => {
    const c = await seedCycle(t.store, 2);
    const audit0 = (await t.store.audit.list({ cycleId: c, limit: 1000 })).length;
    const csv = [
      "category,voter,unit,score,grade",
      "vote,a,u1,90,", // line 2 ok
      "vote,a,ghost,90,", // 3 unknown unit
      "vote,b,u1,,", // 4 neither score nor grade
      "vote,c,u1,9O,", // 5 not a number
      ",d,u2,80,", // 6 category missing
      "vote,a,u1,70,", // 7 duplicate of line 2
      "vote,e,u2,60,好", // 8 both
    ].join("\n");
    const importId = uid("bad");
    const err = await run({
      cycleId: c,
      kind: "ballots",
      format: "csv",
      importId,
      stream: chunked(csv, 8),
      batchSize: 2,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.rows).toEqual([
      { line: 3, column: "unit", message: "unknown unit 'ghost' in this cycle" },
      { line: 4, column: "score", message: "a ballot needs a score or a grade" },
      { line: 5, column: "score", message: "'9O' is not a number" },
      { line: 6, column: "category", message: "required" },
      { line: 7, message: "duplicate of line 2 (category, voter, unit)" },
      { line: 8, column: "grade", message: "a ballot has a score or a grade, not both" },
    ]);
    expect(err.totalErrors).toBe(6);
    expect(await t.store.records.listBallots(c)).toEqual([]);
    await expect(t.store.imports.get(importId)).rejects.toThrow(/not found/);
    expect((await t.store.audit.list({ cycleId: c, limit: 1000 })).length).toBe(audit0);
  });

  it("names a one-line JSON array's bad records by their number in it, in the file's order", async () => {
    const c = await seedCycle(t.store, 2);
    await run({
      cycleId: c,
      kind: "ballots",
      format: "json",
      importId: uid("first"),
      stream: chunked('[{"category":"vote","voter":"z","unit":"u2","score":75}]'),
    });
    const ballots = [
      { category: "vote", voter: "a", unit: "u1", score: 90 }, // 1
      { category: "vote", voter: "b", unit: "u1", score: "9O" }, // 2 not a number
      { category: "vote", voter: "c", unit: "ghost", score: 80 }, // 3 unknown unit
      5, // 4 not a record
      { category: "vote", voter: "a", unit: "u1", score: 70 }, // 5 duplicate of record 1
      { voter: "d", unit: "u2", score: 60 }, // 6 category missing, a column before record 2's
      { category: "vote", voter: "z", unit: "u2", score: 75 }, // 7 already in the cycle
    ];
    // One line, as exporters write it: every record is on line 1.
    const err = await run({
      cycleId: c,
      kind: "ballots",
      format: "json",
      importId: uid("one-line"),
      stream: chunked(JSON.stringify(ballots), 16),
      batchSize: 2,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.rows).toEqual([
      { line: 1, record: 2, column: "score", message: "'9O' is not a number" },
      { line: 1, record: 3, column: "unit", message: "unknown unit 'ghost' in this cycle" },
      { line: 1, record: 4, message: "expected an object" },
      { line: 1, record: 5, message: "duplicate of record 1 (line 1) (category, voter, unit)" },
      { line: 1, record: 6, column: "category", message: "required" },
      { line: 1, record: 7, message: "already in the cycle: category=vote, voter=z, unit=u2" },
    ]);
    expect(err.message).toContain("(first: record 2 (line 1), score: '9O' is not a number)");
    expect(await t.store.records.listBallots(c)).toHaveLength(1);
  });

  it("caps the listed errors but counts them all", async () => {
    const c = await seedCycle(t.store, 1);
    const lines = ["category,unit,respondent_group,answer"];
    // Each its own unknown unit: the rows of one are said together, as one problem.
    for (let i = 0; i < 1500; i++) lines.push(`p,nobody-${i},r,a`);
    lines.push("p,u1,r,a");
    const err = await run({
      cycleId: c,
      kind: "survey-forms",
      format: "csv",
      importId: uid("cap"),
      stream: chunked(lines.join("\n")),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.rows).toHaveLength(MAX_LISTED_ERRORS);
    expect(err.totalErrors).toBe(1500);
    expect(await t.store.records.countSurveyForms(c)).toBe(0);
  });

  it("lists bad rows in the file's order, by line and then column as the file has them", async () => {
    const c = await seedCycle(t.store, 3);
    await run({
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: uid("s0"),
      stream: chunked("unit,category,value\nu1,b,1\n"),
    });
    // Line 2 is found bad only when its batch is checked against the cycle, after line 3 was
    // read; line 3 has two bad cells, its value left of its unit.
    const err = await run({
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: uid("order"),
      stream: chunked("value,unit,category\n2,u1,b\nx,ghost,b\n"),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.rows).toEqual([
      { line: 2, message: "already in the cycle: unit=u1, category=b" },
      { line: 3, column: "value", message: "'x' is not a number" },
      { line: 3, column: "unit", message: "unknown unit 'ghost' in this cycle" },
    ]);
  });

  it("caps the listed errors after putting them in the file's order", async () => {
    const c = await seedCycle(t.store, 1);
    await run({
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: uid("s0"),
      stream: chunked("unit,category,value\nu1,b,1\n"),
    });
    // Line 2's problem is found last, when its batch is checked against the cycle.
    const lines = ["unit,category,value", "u1,b,2"];
    for (let i = 0; i < MAX_LISTED_ERRORS + 10; i++) lines.push(`nobody-${i},b,1`);
    const err = await run({
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: uid("cap"),
      stream: chunked(lines.join("\n")),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.totalErrors).toBe(MAX_LISTED_ERRORS + 11);
    expect(err.rows).toHaveLength(MAX_LISTED_ERRORS);
    expect(err.rows[0]).toEqual({ line: 2, message: "already in the cycle: unit=u1, category=b" });
    expect(err.rows.at(-1).line).toBe(MAX_LISTED_ERRORS + 1);
  });

  it("rejects a file without a required column as a whole", async () => {
    const c = await seedCycle(t.store, 1);
    const err = await run({
      cycleId: c,
      kind: "survey-forms",
      format: "csv",
      importId: uid("h"),
      stream: chunked("unit,answer\nu1,a\n"),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.rows.map((r: { column: string }) => r.column)).toEqual(["category", "respondent_group"]);
  });

  it("refuses a header naming one column by two different names, writing nothing", async () => {
    const c = await seedCycle(t.store, 1);
    const refused = async (kind: ImportOptions["kind"], format: ImportOptions["format"], file: string) => {
      const importId = uid("two-names");
      const err = await run({ cycleId: c, kind, format, importId, stream: chunked(file) }).catch((e) => e);
      expect(err).toBeInstanceOf(ImportError);
      await expect(t.store.imports.get(importId)).rejects.toThrow(/not found/);
      return err.rows;
    };
    // 分值 is the points available, 得分 the points scored: reading either alone stores a wrong score.
    expect(await refused("scores", "csv", "单位编号,考核项目,分值,得分\nu1,business,30,22.5\n")).toEqual([
      {
        line: 1,
        column: "value",
        message:
          'columns "分值" and "得分" both give value: keep the one to import and rename or remove the other',
      },
    ]);
    expect(
      await refused("findings", "csv", "编号,单位,类型,问题类型,层级\nF-1,u1,投诉,明察暗访,city\n"),
    ).toEqual([
      {
        line: 1,
        column: "type",
        message:
          'columns "类型" and "问题类型" both give type: keep the one to import and rename or remove the other',
      },
    ]);
    const three = await refused("scores", "csv", "unit,category,value,分值,得分\nu1,business,30,30,22.5\n");
    expect(three[0].message).toBe(
      'columns "value", "分值" and "得分" all give value: keep the one to import and rename or remove the others',
    );
    // A JSON record is its own header.
    expect(
      await refused(
        "scores",
        "json",
        '[{"unit":"u1","category":"business","value":1},{"unit":"u1","category":"organ","分值":30,"得分":22.5}]',
      ),
    ).toEqual([
      {
        line: 1,
        record: 2,
        column: "value",
        message:
          'columns "分值" and "得分" both give value: keep the one to import and rename or remove the other',
      },
    ]);
    expect(await t.store.records.listScores(c)).toEqual([]);
    expect(await t.store.records.listFindings(c)).toEqual([]);
  });

  it("reads a unit given by id and by name, and refuses a row where the two name different units", async () => {
    const c = await seedCycle(t.store, 3);
    const header = "单位编号,单位名称,考核类别,受访群体,满意度\n";
    const agreeing = `${header}u1,单位1,public,企业,满意\n,单位2,public,企业,满意\nu3,,public,企业,满意\n`;
    const ok = await run({
      cycleId: c,
      kind: "survey-forms",
      format: "csv",
      importId: uid("both"),
      stream: chunked(agreeing),
    });
    expect(ok.rows).toBe(3);
    expect((await t.store.records.surveyTallies(c)).map((r) => r.unit)).toEqual(["u1", "u2", "u3"]);

    const importId = uid("clash");
    const err = await run({
      cycleId: c,
      kind: "survey-forms",
      format: "csv",
      importId,
      stream: chunked(
        `${header}u1,单位2,public,企业,满意\nu2,单位9,public,企业,满意\nu3,单位3,public,企业,满意\n`,
      ),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.rows).toEqual([
      {
        line: 2,
        column: "单位名称 (unit)",
        message:
          "'单位2' is unit u2, while 单位编号 (unit) gives u1: correct the one that is wrong, or remove a column to import by the other alone",
      },
      {
        line: 3,
        column: "单位名称 (unit)",
        message:
          "unknown unit '单位9' in this cycle, while 单位编号 (unit) gives u2: correct the one that is wrong, or remove a column to import by the other alone",
      },
    ]);
    await expect(t.store.imports.get(importId)).rejects.toThrow(/not found/);
    expect(await t.store.records.countSurveyForms(c)).toBe(3);
  });

  it("rejects keys that are already in the cycle", async () => {
    const c = await seedCycle(t.store, 2);
    const first = await run({
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: uid("s1"),
      stream: chunked("unit,category,value\nu1,b,1\n"),
    });
    const err = await run({
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: uid("s2"),
      stream: chunked("unit,category,value\nu2,b,2\nu1,b,3\n"),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.rows).toEqual([{ line: 3, message: "already in the cycle: unit=u1, category=b" }]);
    expect(await t.store.records.listScores(c)).toEqual([
      { unit: "u1", category: "b", value: "1", importId: first.importId },
    ]);
  });

  it("names the line and column of a number too large or too precise for the database", async () => {
    const c = await seedCycle(t.store, 3);
    // One batch, and a batch per row (the bad row then follows a batch already being written).
    for (const [batchSize, bad] of [
      [5000, "1e200000"],
      [1, "1e-16384"],
      [1, "12e131071"],
    ] as const) {
      const err = await run({
        cycleId: c,
        kind: "scores",
        format: "csv",
        importId: uid("huge"),
        batchSize,
        stream: chunked(`unit,category,value\nu1,b,1\nu2,b,${bad}\nu3,b,3\n`),
      }).catch((e) => e);
      expect(err).toBeInstanceOf(ImportError);
      expect(err.rows).toEqual([
        { line: 3, column: "value", message: expect.stringMatching(/too many digits/) },
      ]);
    }
    // PostgreSQL's numeric limits themselves are accepted.
    await run({
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: uid("edge"),
      stream: chunked("unit,category,value\nu1,b,1e131071\nu2,b,1e-16383\nu3,b,0e200000\n"),
    });
    expect((await t.store.records.listScores(c)).map((s) => String(s.value).length)).toEqual([
      131_072, 16_385, 1,
    ]);
  });

  it("is idempotent by import id, and refuses the id for a different file", async () => {
    const c = await seedCycle(t.store, 2);
    const csv = "category,unit,respondent_group,answer\np,u1,r,满意\np,u2,r,满意\n";
    const importId = uid("idem");
    const first = await run({
      cycleId: c,
      kind: "survey-forms",
      format: "csv",
      importId,
      stream: chunked(csv),
    });
    const again = await run({
      cycleId: c,
      kind: "survey-forms",
      format: "csv",
      importId,
      stream: chunked(csv, 3),
    });
    expect(first.status).toBe("imported");
    expect(again).toMatchObject({ status: "already-imported", rows: 2, fileHash: first.fileHash });
    expect(again.message).toMatch(/already imported/);
    expect(await t.store.records.countSurveyForms(c)).toBe(2);
    await expect(
      run({
        cycleId: c,
        kind: "survey-forms",
        format: "csv",
        importId,
        stream: chunked(`${csv}p,u1,r,满意\n`),
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await t.store.records.countSurveyForms(c)).toBe(2);

    // Removing an import takes its rows away and frees the id.
    expect(await t.store.imports.remove("admin", importId)).toBe(2);
    expect(await t.store.records.countSurveyForms(c)).toBe(0);
    expect(
      (await run({ cycleId: c, kind: "survey-forms", format: "csv", importId, stream: chunked(csv) })).status,
    ).toBe("imported");
  });

  it("refuses the same file under a second import id, which would count its forms twice", async () => {
    const c = await seedCycle(t.store, 1);
    const csv = "respondent_group,unit,category,answer\np,u1,r,满意\np,u1,r,不满意\n";
    const form = (importId: string, text = csv) =>
      run({ cycleId: c, kind: "survey-forms", format: "csv", importId, stream: chunked(text) });
    const first = uid("forms");
    expect((await form(first)).status).toBe("imported");
    const revision = await t.store.audit.revision(c);
    const err = await form(uid("forms-again")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toMatch(
      new RegExp(`already imported into cycle '${c}' as import '${first}' \\(2 rows on .*nothing was added`),
    );
    expect(await t.store.records.countSurveyForms(c)).toBe(2);
    expect((await t.store.imports.list(c)).map((i) => i.id)).toEqual([first]);
    expect(await t.store.audit.revision(c)).toEqual(revision);
    // Another file is another batch; the same file after its import was removed is a replacement.
    const batch = "respondent_group,unit,category,answer\np,u1,r,不满意\np,u1,r,不满意\np,u1,r,不满意\n";
    expect((await form(uid("forms-more"), batch)).status).toBe("imported");
    await t.store.imports.remove("admin", first);
    expect((await form(uid("forms-replaced"))).status).toBe("imported");
    expect(await t.store.records.countSurveyForms(c)).toBe(5);
  });

  it("refuses an import id over 200 characters, as the API and the command line do", async () => {
    const c = await seedCycle(t.store, 1);
    const csv = "unit,category,value\nu1,b,1\n";
    const longest = uid("id").padEnd(MAX_IMPORT_ID_LENGTH, "x");
    const err = await run({
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: `${longest}y`,
      stream: chunked(csv),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual([
      { path: "importId", message: "at most 200 characters (this one has 201)" },
    ]);
    expect(await t.store.records.listScores(c)).toEqual([]);
    const res = await run({
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: longest,
      stream: chunked(csv),
    });
    expect(res).toMatchObject({ status: "imported", importId: longest, rows: 1 });
  });

  it("refuses a default for a column the kind has not, and a kind named after an object's property", async () => {
    const c = await seedCycle(t.store, 1);
    const csv = "unit,respondent_group,answer\nu1,企业,满意\n";
    const err = await run({
      cycleId: c,
      kind: "survey-forms",
      format: "csv",
      importId: uid("defaults"),
      stream: chunked(csv),
      defaults: { catgory: "public" },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual([
      {
        path: "defaults.catgory",
        message: "not a column of survey-forms (its columns: category, unit, respondent_group, answer)",
      },
    ]);
    const kind = await run({
      cycleId: c,
      kind: "toString" as never,
      format: "csv",
      importId: uid("kind"),
      stream: chunked(csv),
    }).catch((e: unknown) => e);
    expect(kind).toBeInstanceOf(ValidationError);
    expect((kind as ValidationError).issues).toEqual([
      {
        path: "kind",
        message: "must be one of units, survey-forms, ballots, findings, scores, vetoes, bonuses",
      },
    ]);
    expect(await t.store.imports.list(c)).toEqual([]);
    expect(await t.store.records.countSurveyForms(c)).toBe(0);
  });

  it("takes an import id trimmed, as the API and the command line do", async () => {
    const c = await seedCycle(t.store, 1);
    const csv = "unit,category,value\nu1,b,1\n";
    const importId = uid("trim");
    const first = await run({
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: ` ${importId} `,
      stream: chunked(csv),
    });
    expect(first).toMatchObject({ status: "imported", importId, rows: 1 });
    // The same file under the id without its spaces is the same import, recognised as a retry.
    const again = await run({ cycleId: c, kind: "scores", format: "csv", importId, stream: chunked(csv) });
    expect(again).toMatchObject({ status: "already-imported", importId });
  });

  it("refuses imports into a finalised cycle but still recognises a retry", async () => {
    const c = await seedCycle(t.store, 1);
    const csv = "category,unit,respondent_group,answer\np,u1,r,a\n";
    const importId = uid("fin");
    await run({ cycleId: c, kind: "survey-forms", format: "csv", importId, stream: chunked(csv) });
    await t.store.cycles.finalise("boss", c);
    await expect(
      run({ cycleId: c, kind: "survey-forms", format: "csv", importId: uid("late"), stream: chunked(csv) }),
    ).rejects.toBeInstanceOf(CycleFinalisedError);
    expect(
      (await run({ cycleId: c, kind: "survey-forms", format: "csv", importId, stream: chunked(csv) })).status,
    ).toBe("already-imported");
    await expect(t.store.imports.remove("admin", importId)).rejects.toBeInstanceOf(CycleFinalisedError);
  });

  // A server runs imports side by side; PGlite runs them one after the other.
  it.skipIf(backend === "pglite")(
    "makes a second import into the cycle wait for the first, then names the rows the first committed",
    async () => {
      const c = await seedCycle(t.store, 4);
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let firstWritten!: () => void;
      const written = new Promise<void>((r) => {
        firstWritten = r;
      });
      async function* paused(): AsyncGenerator<string> {
        yield "unit,category,value\nu1,b,1\nu2,c,1\n";
        await gate;
      }
      // The first import writes u1/b and holds its transaction open.
      const first = run({
        cycleId: c,
        kind: "scores",
        format: "csv",
        importId: uid("first"),
        encoding: "utf-8",
        batchSize: 1,
        stream: paused(),
        onProgress: () => firstWritten(),
      });
      await written;
      // The second, into the same cycle, waits for the first (the cycle's writes queue, so its
      // engine check before commit sees the first's rows), then finds u1/b already there.
      const second = run({
        cycleId: c,
        kind: "scores",
        format: "csv",
        importId: uid("second"),
        batchSize: 1,
        stream: chunked("unit,category,value\nu1,b,2\nu2,b,2\nu3,b,2\nu4,b,2\n"),
      }).catch((e) => e);
      const waiting = async () =>
        (
          await t.db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          )
        )[0]!.n;
      for (let i = 0; i < 200 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
      release();
      expect((await first).rows).toBe(2);
      const err = await second;
      expect(err).toBeInstanceOf(ImportError);
      expect(err.rows).toEqual([{ line: 2, message: "already in the cycle: unit=u1, category=b" }]);
      const { importId } = await first;
      expect(await t.store.records.listScores(c, { category: "b" })).toEqual([
        { unit: "u1", category: "b", value: "1", importId },
      ]);
    },
  );

  it("treats concurrent imports with the same id as one", async () => {
    const c = await seedCycle(t.store, 2);
    const csv = `category,unit,respondent_group,answer\n${"p,u1,r,a\n".repeat(3000)}`;
    const importId = uid("race");
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        run({ cycleId: c, kind: "survey-forms", format: "csv", importId, stream: chunked(csv) }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["already-imported", "already-imported", "imported"]);
    expect(await t.store.records.countSurveyForms(c)).toBe(3000);
  });
});
