import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/helpers.js";
import { EvaluationCache } from "../evaluations.js";
import { importEngineCheck } from "../schema/engine-check.js";
import { EXAMPLE_DIR } from "../seed.js";
import { ConflictError, ImportError } from "../store/errors.js";
import { backends, openTestDatabase, seedCycle, type TestDatabase, uid } from "../store/test-backends.js";
import { type ImportOptions, importFile } from "./index.js";

/** What a refused import says: where each refusal is in the file, and which earlier import holds it. */

async function* chunked(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

const exampleScheme = () => JSON.parse(readFileSync(join(EXAMPLE_DIR, "scheme-2019.json"), "utf8"));

describe.each(backends)("refusals on %s", (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  const run = ({ text, ...o }: Omit<ImportOptions, "actor" | "stream"> & { text: string }) =>
    importFile(t.store, { actor: "importer", ...o, stream: chunked(text) });
  const refusal = (o: Parameters<typeof run>[0]) =>
    run(o).then(
      () => {
        throw new Error("the import was not refused");
      },
      (e: unknown) => e,
    );

  /** An open cycle under the example's city-review scheme, with units A and B. */
  async function exampleCycle(): Promise<string> {
    const schemeId = uid("scheme");
    await t.store.schemes.publish("x", {
      schemeId,
      document: { ...exampleScheme(), id: schemeId },
      reason: "test",
      basedOn: null,
    });
    const c = uid("cycle");
    await t.store.cycles.create("x", { id: c, year: 2024, name: "c", schemeId, schemeVersion: 1 });
    for (const id of ["A", "B"])
      await t.store.units.upsert("x", c, { id, name: `单位${id}`, group: "law-enforcement" });
    return c;
  }

  it("says a file without data rows at its header's line, or at line 1, never at line 0", async () => {
    const c = await seedCycle(t.store, 1);
    for (const [format, text, line] of [
      ["csv", "unit,category,value\n", 1],
      // Blank lines before the header are skipped: the header is the line to look at.
      ["csv", "\n\nunit,category,value\n,,\n", 3],
      ["csv", "", 1],
      ["json", "[]", 1],
      ["json", "", 1],
    ] as const) {
      const err = await refusal({ cycleId: c, kind: "scores", format, importId: uid("empty"), text });
      expect(err, `${format} ${JSON.stringify(text)}`).toBeInstanceOf(ImportError);
      expect((err as ImportError).rows).toEqual([{ line, message: "the file has no data rows" }]);
    }
    expect(await t.store.imports.list(c)).toEqual([]);
  });

  it("refuses a keyed file sent again under another import id as that earlier import's, writing nothing", async () => {
    const c = await seedCycle(t.store, 3);
    const csv = "unit,category,value\nu1,b,1\nu2,b,2\nu3,b,3\n";
    const first = uid("scores");
    await run({ cycleId: c, kind: "scores", format: "csv", importId: first, text: csv });
    const revision = await t.store.audit.revision(c);
    const err = await refusal({
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: uid("again"),
      text: csv,
    });
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^this file was already imported into cycle '${c}' as import '${first}' \\(3 rows on .*remove import '${first}' first$`,
      ),
    );
    expect((await t.store.imports.list(c)).map((i) => i.id)).toEqual([first]);
    expect(await t.store.audit.revision(c)).toEqual(revision);
    // Another file whose rows are in the cycle is still refused row by row.
    const other = await refusal({
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: uid("other"),
      text: `${csv}u1,c,4\n`,
    });
    expect(other).toBeInstanceOf(ImportError);
    expect((other as ImportError).totalErrors).toBe(3);

    // Units too, whose file is checked as a whole.
    const e = await exampleCycle();
    const units = "id,name,group\nn1,一,law-enforcement\nn2,二,law-enforcement\n";
    const loaded = uid("units");
    await run({ cycleId: e, kind: "units", format: "csv", importId: loaded, text: units });
    const again = await refusal({
      cycleId: e,
      kind: "units",
      format: "csv",
      importId: uid("u"),
      text: units,
    });
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as Error).message).toContain(`as import '${loaded}' (2 rows on `);
  });

  it("refuses an import id taken by another cycle's import, naming that cycle and asking for an id of its own", async () => {
    const last = await seedCycle(t.store, 1);
    const next = await seedCycle(t.store, 1);
    const id = uid("scores-2018");
    await run({
      cycleId: last,
      kind: "scores",
      format: "csv",
      importId: id,
      text: "unit,category,value\nu1,b,1\n",
    });
    const when = (await t.store.imports.get(id)).createdAt.toISOString();
    const revision = await t.store.audit.revision(next);
    const err = await refusal({
      cycleId: next,
      kind: "scores",
      format: "csv",
      importId: id,
      text: "unit,category,value\nu1,b,2\n",
    });
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toBe(
      `import id '${id}' was already used for a different import (scores into cycle '${last}', 1 row), imported by importer on ${when}: an import id names one import, whatever its cycle, so nothing was imported. Send this file under an import id of its own`,
    );
    expect(await t.store.imports.list(next)).toEqual([]);
    expect(await t.store.audit.revision(next)).toEqual(revision);
    // In its own cycle, another file under the id may be meant to replace the import: said how.
    const same = await refusal({
      cycleId: last,
      kind: "scores",
      format: "csv",
      importId: id,
      text: "unit,category,value\nu1,b,3\n",
    });
    expect((same as Error).message).toMatch(
      /was already used for a different file \(scores into cycle .*Send this file under an import id of its own; to replace that import, remove it first \(removeImport\)$/,
    );
  });

  it("says a file sent as another kind is that kind's, at its header or a JSON file's first record", async () => {
    const c = await seedCycle(t.store, 1);
    const scores = "unit,category,value\nu1,b,1\n";
    const header = await refusal({
      cycleId: c,
      kind: "units",
      format: "csv",
      importId: uid("u"),
      text: scores,
    });
    expect((header as ImportError).rows).toEqual([
      {
        line: 1,
        message:
          "this looks like a scores file, not a units file: its headers 'unit', 'category' and 'value' are scores columns, while units needs id, name and group. Import it as kind scores",
      },
    ]);
    const json = await refusal({
      cycleId: c,
      kind: "units",
      format: "json",
      importId: uid("u"),
      text: JSON.stringify([
        { unit: "u1", category: "b", value: 1 },
        { unit: "u1", category: "c", value: 2 },
      ]),
    });
    expect((json as ImportError).rows).toEqual([
      {
        line: 1,
        record: 1,
        message: expect.stringMatching(/^this looks like a scores file, not a units file/),
      },
    ]);
    expect(await t.store.imports.list(c)).toEqual([]);
  });

  it("lists the Chinese words a rectification cell is read in beside the statuses, for one it does not read", async () => {
    const c = await seedCycle(t.store, 1);
    const err = await refusal({
      cycleId: c,
      kind: "findings",
      format: "csv",
      importId: uid("f"),
      text: "id,unit,type,level,整改情况\nf1,u1,t,city,已完成\n",
    });
    expect((err as ImportError).rows).toEqual([
      {
        line: 2,
        column: "整改情况 (rectification)",
        message:
          "'已完成' is not one of on-time (按时整改, 按期整改, 已整改), late (逾期整改, 超期整改), not-rectified (未整改), pending (整改中, 待整改)",
      },
    ]);
  });

  it("lists the scheme's refusals of rows with the file's other bad rows, wherever the rows were written", async () => {
    const c = await exampleCycle();
    const checks = await importEngineCheck(
      { store: t.store, evaluations: new EvaluationCache(t.store, 1) },
      c,
    );
    const revision = await t.store.audit.revision(c);
    // One row a batch: lines 2 and 3 are written before line 4 is found bad, 5 and 6 are not.
    const err = await refusal({
      cycleId: c,
      kind: "findings",
      format: "csv",
      importId: uid("f"),
      batchSize: 1,
      ...checks,
      text:
        "问题编号,unit,问题类型,level\n" +
        "f1,A,no-such-type,city\n" +
        "f2,A,unannounced-visit,nowhere\n" +
        "f3,ghost,unannounced-visit,city\n" +
        "f4,B,unannounced-visit,city\n" +
        "f5,B,also-unknown,city\n",
    });
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).rows).toEqual([
      {
        line: 2,
        column: "问题类型 (type)",
        message: 'finding "f1" for unit "A": unknown finding type "no-such-type"',
      },
      { line: 3, column: "level", message: expect.stringContaining('"nowhere"') },
      { line: 4, column: "unit", message: "unknown unit 'ghost' in this cycle" },
      {
        line: 6,
        column: "问题类型 (type)",
        message: 'finding "f5" for unit "B": unknown finding type "also-unknown"',
      },
    ]);
    expect((err as ImportError).totalErrors).toBe(4);
    expect(await t.store.records.listFindings(c)).toEqual([]);
    expect(await t.store.imports.list(c)).toEqual([]);
    expect(await t.store.audit.revision(c)).toEqual(revision);

    // Not only types: whatever the engine refuses of a row, a score above its category's scale too.
    const scores = await refusal({
      cycleId: c,
      kind: "scores",
      format: "csv",
      importId: uid("s"),
      ...checks,
      text: "unit,category,得分\nA,business,31\nghost,business,3\n",
    });
    expect(scores).toBeInstanceOf(ImportError);
    expect((scores as ImportError).rows).toEqual([
      { line: 2, column: "得分 (value)", message: expect.stringContaining("31") },
      { line: 3, column: "unit", message: "unknown unit 'ghost' in this cycle" },
    ]);
    expect(await t.store.records.listScores(c)).toEqual([]);
  });
});

/** Through the API, as the console and curl send files. */
describe.each(backends)("refusals through the API on %s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const upload = async (importId: string, kind: string, body: string) => {
    const r = await t.upload(
      `mutation($file: File!, $c: ID!, $i: ID!) { importFile(cycleId: $c, importId: $i, kind: ${kind}, format: CSV, file: $file) {
        __typename ... on ImportResult { status rows } ... on ImportError { totalErrors bad: rows { line column message } }
        ... on ValidationError { issues { path message } } ... on Error { message } } }`,
      { c: "2019", i: importId },
      { name: "f.csv", body },
    );
    return r.body.data.importFile;
  };

  it("lists a veto type or bonus type the scheme lacks at its line and column, beside the other bad rows", async () => {
    const audit = await t.lastAuditId();
    expect(
      await upload(
        "vetoes-mixed",
        "VETOES",
        "否决编号,unit,否决类型,reason\n" +
          "V-r-1,U01,major-incident,\n" +
          "V-r-2,U02,no-such-veto,x\n" +
          "V-r-3,U03,major-incident,y\n",
      ),
    ).toMatchObject({
      __typename: "ImportError",
      totalErrors: 2,
      bad: [
        { line: 2, column: "reason", message: "required" },
        {
          line: 3,
          column: "否决类型 (type)",
          message: 'veto event "V-r-2" for unit "U02": unknown veto type "no-such-veto"',
        },
      ],
    });
    // The city-review scheme declares no bonus types at all.
    const bonuses = await upload(
      "bonuses-mixed",
      "BONUSES",
      "id,unit,type,level\nB-r-1,ghost,commendation,city\nB-r-2,U01,commendation,city\n",
    );
    expect(bonuses).toMatchObject({ __typename: "ImportError", totalErrors: 2 });
    expect(bonuses.bad).toEqual([
      { line: 2, column: "unit", message: "unknown unit 'ghost' in this cycle" },
      { line: 3, column: "type", message: expect.stringContaining('"commendation"') },
    ]);
    expect(await t.lastAuditId()).toBe(audit);
  });

  it("says the rows of an answer the survey lacks, or of an unknown unit, once, with their count and first lines", async () => {
    const audit = await t.lastAuditId();
    const answers = ["满意", "基本满意", "满意", "不满意", "满意", "满意"];
    const body =
      "类别,单位编号,受访群体,答案\n" +
      answers.map((a, i) => `public,${i % 2 ? "U02" : "U01"},residents,${a}\n`).join("") +
      "public,U99,residents,satisfied\npublic,U01,kids,satisfied\npublic,U99,residents,satisfied\n";
    const refused = await upload("forms-in-words", "SURVEY_FORMS", body);
    const options = "its options are satisfied, basically-satisfied, dissatisfied, dont-know";
    expect(refused).toEqual({
      __typename: "ImportError",
      totalErrors: 5,
      message: expect.stringMatching(
        /^import rejected: 9 bad rows \(5 problems\); nothing was written \(first: line 2, /,
      ),
      bad: [
        {
          line: 2,
          column: "答案 (answer)",
          message: `answer "满意" (4 rows, the first at lines 2, 4, 6): not an option of category "public"; ${options}`,
        },
        {
          line: 3,
          column: "答案 (answer)",
          message: `answer "基本满意": not an option of category "public"; ${options}`,
        },
        {
          line: 5,
          column: "答案 (answer)",
          message: `answer "不满意": not an option of category "public"; ${options}`,
        },
        {
          line: 8,
          column: "单位编号 (unit)",
          message: "unit 'U99' (2 rows, at lines 8, 10): unknown in this cycle",
        },
        {
          line: 9,
          column: "受访群体 (respondent_group)",
          message: expect.stringMatching(
            /^respondent group "kids": not a respondent group of category "public"; its groups are /,
          ),
        },
      ],
    });
    expect(await t.lastAuditId()).toBe(audit);
  });

  it("names a one-line JSON file's bad records by their number in it, the scheme's refusals too", async () => {
    const vetoes = [
      { id: "V-j-1", unit: "U01", type: "major-incident", reason: "x" },
      { id: "V-j-2", unit: "U02", type: "no-such-veto", reason: "x" },
      { id: "V-j-3", unit: "U03", type: "major-incident", reason: "" },
    ];
    const placed = async (importId: string, format: string, body: string) => {
      const r = await t.upload(
        `mutation($file: File!, $c: ID!, $i: ID!) { importFile(cycleId: $c, importId: $i, kind: VETOES, format: ${format}, file: $file) {
          __typename ... on ImportError { totalErrors bad: rows { line record column message } } ... on Error { message } } }`,
        { c: "2019", i: importId },
        { name: `vetoes.${format.toLowerCase()}`, body },
      );
      return r.body.data.importFile;
    };
    expect(await placed("vetoes-one-line", "JSON", JSON.stringify(vetoes))).toEqual({
      __typename: "ImportError",
      totalErrors: 2,
      message: expect.stringContaining("(first: record 2 (line 1), type: veto event"),
      bad: [
        {
          line: 1,
          record: 2,
          column: "type",
          message: 'veto event "V-j-2" for unit "U02": unknown veto type "no-such-veto"',
        },
        { line: 1, record: 3, column: "reason", message: "required" },
      ],
    });
    // A CSV's line is its record's: no number beside it.
    const csv = await placed("vetoes-csv-place", "CSV", "id,unit,type,reason\nV-c-1,U01,major-incident,\n");
    expect(csv.bad).toEqual([{ line: 2, record: null, column: "reason", message: "required" }]);
  });

  it("refuses a veto file sent again under a new import id as the import that holds it", async () => {
    const csv = "id,unit,type,reason\nV-again-1,U01,major-incident,x\nV-again-2,U02,major-incident,y\n";
    expect(await upload("vetoes-once", "VETOES", csv)).toEqual({
      __typename: "ImportResult",
      status: "imported",
      rows: 2,
    });
    const audit = await t.lastAuditId();
    const again = await upload("vetoes-twice", "VETOES", csv);
    expect(again.__typename).toBe("ConflictError");
    expect(again.message).toMatch(
      /^this file was already imported into cycle '2019' as import 'vetoes-once' \(2 rows on /,
    );
    expect(await t.lastAuditId()).toBe(audit);
  });
});
