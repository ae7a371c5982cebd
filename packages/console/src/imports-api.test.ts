import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memorySessionStorage } from "./_test-session-storage";
import { ApiError } from "./api";
import { translator } from "./i18n";
import {
  ambiguityText,
  defaultImportId,
  encodingAmbiguity,
  formatFromFileName,
  headersText,
  IMPORT_KINDS,
  type ImportOutcome,
  importOutcome,
  loadImports,
  MAX_IMPORT_ID_LENGTH,
  placeRefusal,
  removeImport,
  sameFormsTwin,
  summariseImport,
  uploadImport,
} from "./imports-api";

beforeEach(() => {
  memorySessionStorage();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("formatFromFileName", () => {
  it("reads the format from the extension, whatever its case", () => {
    expect(formatFromFileName("vetoes-2019.csv")).toBe("CSV");
    expect(formatFromFileName("否决事项.CSV")).toBe("CSV");
    expect(formatFromFileName("scores.xlsx")).toBe("XLSX");
    expect(formatFromFileName("forms.json")).toBe("JSON");
    expect(formatFromFileName("forms.ndjson")).toBe("JSON");
    expect(formatFromFileName("forms.jsonl")).toBe("JSON");
  });

  it("guesses none for a name that names no format the gateway reads", () => {
    // An Excel 97 workbook is not an XLSX one: the gateway refuses it as such.
    expect(formatFromFileName("old.xls")).toBeNull();
    expect(formatFromFileName("notes.txt")).toBeNull();
    expect(formatFromFileName("csv")).toBeNull();
    expect(formatFromFileName("")).toBeNull();
  });
});

describe("defaultImportId", () => {
  it("is the file's name less its extension, spaces joined", () => {
    expect(defaultImportId("vetoes-2019.csv")).toBe("vetoes-2019");
    expect(defaultImportId("  2019 年 否决 事项.xlsx ")).toBe("2019-年-否决-事项");
    expect(defaultImportId("forms.2019.ndjson")).toBe("forms.2019");
  });

  it("is never empty, nor longer than the gateway takes, nor cut inside a character", () => {
    expect(defaultImportId(".csv")).toBe("import");
    expect(defaultImportId("")).toBe("import");
    expect(defaultImportId(`${"a".repeat(300)}.csv`)).toHaveLength(MAX_IMPORT_ID_LENGTH);
    // 199 code units, then a character of two: it does not fit, and is left out whole.
    const id = defaultImportId(`${"a".repeat(199)}𠀀b.csv`);
    expect(id).toBe("a".repeat(199));
  });
});

describe("headersText", () => {
  it("gives each kind Chinese headers of its own, listed as each language lists them", () => {
    const zh = translator("zh-CN");
    const hints = IMPORT_KINDS.map((k) => headersText(k, zh));
    expect(new Set(hints).size).toBe(IMPORT_KINDS.length);
    expect(headersText("VETOES", zh)).toContain("（否决编号、被评单位、否决类型、否决事由等）");
    expect(headersText("BONUSES", translator("en"))).toContain("(加分编号, 被评单位, 加分类型, 加分级别, …)");
  });
});

describe("importOutcome and summariseImport", () => {
  const en = translator("en");
  const zh = translator("zh-CN");

  it("says how many rows went in, or that a repeated upload added none", () => {
    const imported = importOutcome({
      __typename: "ImportResult",
      importId: "v-1",
      status: "imported",
      rows: 2,
    });
    expect(imported).toEqual({ kind: "imported", importId: "v-1", rows: 2, unreadColumns: [] });
    expect(summariseImport(imported, en)).toEqual({ text: "Imported 2 rows as import v-1.", shown: null });
    expect(summariseImport({ kind: "imported", importId: "v-1", rows: 1, unreadColumns: [] }, en).text).toBe(
      "Imported 1 row as import v-1.",
    );
    // An export's own columns, which nothing read, are said beside.
    const extra = importOutcome({
      __typename: "ImportResult",
      importId: "v-2",
      status: "imported",
      rows: 1,
      unreadColumns: ["录入人", "note2"],
    });
    expect(summariseImport(extra, en).text).toBe(
      "Imported 1 row as import v-2. Columns not read (they are no column of this kind): “录入人”, “note2”.",
    );
    expect(summariseImport(extra, zh).text).toBe(
      "已导入 1 行，导入编号 v-2。未读取的列（不属于此类数据）：“录入人”、“note2”。",
    );
    expect(summariseImport(imported, zh).text).toBe("已导入 2 行，导入编号 v-1。");
    const again = importOutcome({
      __typename: "ImportResult",
      importId: "v-1",
      status: "already-imported",
      rows: 2,
    });
    expect(summariseImport(again, en).text).toBe(
      "Import v-1 was already imported (2 rows): nothing was added.",
    );
  });

  it("says a refused file wrote nothing, and how many of its problems are listed", () => {
    const rows = [{ line: 2, record: null, column: "reason", message: "required" }];
    const all = importOutcome({ __typename: "ImportError", totalErrors: 1, bad: rows });
    expect(all).toEqual({ kind: "bad-rows", totalErrors: 1, rows });
    expect(summariseImport(all, en)).toEqual({
      text: "The file was refused and nothing was written: 1 problem was found.",
      shown: null,
    });
    const some: ImportOutcome = { kind: "bad-rows", totalErrors: 1500, rows: Array(1000).fill(rows[0]) };
    expect(summariseImport(some, en)).toEqual({
      text: "The file was refused and nothing was written: 1500 problems were found.",
      shown: "Showing the first 1000 of 1500.",
    });
    expect(summariseImport(some, zh).shown).toBe("显示前 1000 处，共 1500 处。");
  });

  it("throws any other refusal as the gateway worded it", () => {
    const conflict = () =>
      importOutcome({
        __typename: "ConflictError",
        code: "CONFLICT",
        message: "this file was already imported into cycle '2019' as import 'v-1'",
      } as never);
    expect(conflict).toThrow(ApiError);
    expect(conflict).toThrow("this file was already imported into cycle '2019' as import 'v-1'");
    try {
      importOutcome({
        __typename: "ValidationError",
        code: "VALIDATION",
        message: "invalid",
        issues: [{ path: "dataset.vetoEvents[0].type", message: 'unknown veto type "x"' }],
      } as never);
    } catch (e) {
      expect((e as ApiError).issues).toEqual([
        { path: "dataset.vetoEvents[0].type", message: 'unknown veto type "x"' },
      ]);
    }
  });
});

describe("placeRefusal", () => {
  const sent = { importId: " batch-2 ", listed: ["batch-1"] };
  const conflict = (message: string) => new ApiError(message, "CONFLICT");

  it("puts a refused import id at its box, the gateway's messages without their path", () => {
    const tooLong = new ApiError("importId: too long", "VALIDATION", [
      { path: "importId", message: "too long" },
    ]);
    expect(placeRefusal(tooLong, sent)).toEqual({ at: "id", messages: ["too long"] });
    // An id used before: named in the conflict (trimmed, as the gateway keeps it), or listed here.
    expect(placeRefusal(conflict("import id 'batch-2' was used"), sent)).toEqual({
      at: "id",
      messages: ["import id 'batch-2' was used"],
    });
    expect(placeRefusal(conflict("reworded"), { importId: "batch-1", listed: ["batch-1"] })).toEqual({
      at: "id",
      messages: ["reworded"],
    });
  });

  it("puts at the file box what concerns its contents: its records, or the same file under another id", () => {
    const records = new ApiError("the import would leave cycle '2019' unscorable", "VALIDATION", [
      { path: "dataset.vetoEvents[0].type", message: "veto event V-1: unknown veto type" },
    ]);
    expect(placeRefusal(records, sent)).toEqual({ at: "file" });
    // The file's twin is an import listed in this cycle, which the conflict names.
    expect(placeRefusal(conflict("this file was imported as import 'batch-1'"), sent)).toEqual({
      at: "file",
    });
  });

  it("puts an encoding the gateway refuses (one sent with an XLSX file) at the encoding's box", () => {
    const xlsx = new ApiError("encoding: is for CSV and JSON files", "VALIDATION", [
      { path: "encoding", message: "is for CSV and JSON files: an XLSX workbook says its own encoding" },
    ]);
    expect(placeRefusal(xlsx, sent)).toEqual({
      at: "encoding",
      messages: ["is for CSV and JSON files: an XLSX workbook says its own encoding"],
    });
    const both = new ApiError("2 problems", "VALIDATION", [
      { path: "encoding", message: "is for CSV and JSON files" },
      { path: "importId", message: "too long" },
    ]);
    expect(placeRefusal(both, sent)).toEqual({ at: "form" });
  });

  it("leaves under the form what concerns no one box, or several", () => {
    expect(placeRefusal(conflict("something else"), sent)).toEqual({ at: "form" });
    expect(placeRefusal(new ApiError("cycle '2019' is finalised", "CYCLE_FINALISED"), sent)).toEqual({
      at: "form",
    });
    expect(placeRefusal(new ApiError("Failed to fetch", "NETWORK"), sent)).toEqual({ at: "form" });
    expect(placeRefusal(new Error("boom"), sent)).toEqual({ at: "form" });
    const both = new ApiError("2 problems", "VALIDATION", [
      { path: "importId", message: "too long" },
      { path: "dataset.vetoEvents[0].type", message: "unknown veto type" },
    ]);
    expect(placeRefusal(both, sent)).toEqual({ at: "form" });
    const cycle = new ApiError("cycleId: required", "VALIDATION", [{ path: "cycleId", message: "required" }]);
    expect(placeRefusal(cycle, sent)).toEqual({ at: "form" });
  });
});

describe("sameFormsTwin", () => {
  // The gateway's words (packages/gateway/src/import/same-forms.ts).
  const refusal = (twin: string) =>
    new ApiError(
      `these 8,648 forms tally exactly as import '${twin}' (8,648 forms imported by admin-1 on 2026-12-03T06:00:00.000Z) does: the same forms again, saved differently? Nothing was imported. To replace that import, remove it first (removeImport); if these are truly other forms, import them with otherFormsThan: ${JSON.stringify(twin)}`,
      "CONFLICT",
    );

  it("names the earlier import a survey-forms file holds again, quotes and all", () => {
    expect(sameFormsTwin(refusal("forms-2019"))).toBe("forms-2019");
    expect(sameFormsTwin(refusal('批次 "2"'))).toBe('批次 "2"');
  });

  it("names none for another refusal", () => {
    expect(sameFormsTwin(new ApiError("import id 'forms-2019' is taken", "CONFLICT"))).toBeNull();
    expect(sameFormsTwin(new ApiError(refusal("x").message, "VALIDATION"))).toBeNull();
    expect(sameFormsTwin(new Error(refusal("x").message))).toBeNull();
  });
});

describe("encodingAmbiguity", () => {
  const en = translator("en");
  const zh = translator("zh-CN");
  // As the gateway words it (packages/gateway/src/import/encoding.ts), as the one row of an ImportError.
  const message =
    'the file reads as UTF-8 ("ѧԺ") and as GB18030 ("学院") alike: say which it is (importFile\'s encoding, or pingyi import --encoding)';
  const refused = (m: string, line = 2): ImportOutcome => ({
    kind: "bad-rows",
    totalErrors: 1,
    rows: [{ line, record: null, column: null, message: m }],
  });

  it("tells a file the gateway would not guess the encoding of by its message, and reads both readings", () => {
    const a = encodingAmbiguity(refused(message));
    expect(a).toEqual({ line: 2, message, readings: { utf8: "ѧԺ", gb18030: "学院" } });
    expect(ambiguityText(a!, en)).toBe(
      "Line 2 reads as UTF-8 (“ѧԺ”) and as GB18030 (“学院”) alike, so the gateway would not guess the file's encoding, and nothing was written. Choose the encoding the file was saved in (the one whose reading is right), then import it again.",
    );
    expect(ambiguityText(a!, zh)).toBe(
      "第 2 行按 UTF-8 读作“ѧԺ”，按 GB18030 读作“学院”，网关无法判断文件的编码，未写入任何数据。请选择文件保存时所用的编码（读法正确的那一种），然后重新导入。",
    );
  });

  it("keeps a reading that holds a quote whole", () => {
    const quoted = 'the file reads as UTF-8 ("ѧԺ"x") and as GB18030 ("学院"x") alike: say which it is';
    expect(encodingAmbiguity(refused(quoted))?.readings).toEqual({ utf8: 'ѧԺ"x', gb18030: '学院"x' });
  });

  it("still asks for the encoding when the gateway words the readings otherwise, showing its message", () => {
    const reworded = "the file reads as UTF-8 and as GB18030 alike (ѧԺ / 学院): say which it is";
    const a = encodingAmbiguity(refused(reworded, 5));
    expect(a).toEqual({ line: 5, message: reworded, readings: null });
    expect(ambiguityText(a!, en)).toBe(
      `Line 5 reads as UTF-8 and as GB18030 alike, so the gateway would not guess the file's encoding, and nothing was written. Choose the encoding the file was saved in, then import it again. The gateway said: ${reworded}`,
    );
  });

  it("finds none in other refusals, nor in an import that went in", () => {
    expect(encodingAmbiguity(refused("required"))).toBeNull();
    expect(
      encodingAmbiguity(refused("the file is not valid UTF-8 at byte 40: it mixes encodings; save it again")),
    ).toBeNull();
    // A cell that quotes the sentence is the file's text, not the gateway's refusal.
    expect(encodingAmbiguity(refused(`unknown unit "${message}"`))).toBeNull();
    expect(encodingAmbiguity({ kind: "imported", importId: "u-1", rows: 1, unreadColumns: [] })).toBeNull();
  });
});

describe("requests", () => {
  it("uploads the file as a GraphQL multipart request, with the CSRF header and the form's own content type", async () => {
    let sent: { headers: Record<string, string>; body: FormData } | null = null;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { headers: Record<string, string>; body: FormData }) => {
        sent = init;
        return new Response(
          JSON.stringify({
            data: {
              importFile: { __typename: "ImportResult", importId: "v-1", status: "imported", rows: 1 },
            },
          }),
        );
      }),
    );
    const file = new File(["id,unit,type,reason\n"], "v.csv");
    const outcome = await uploadImport({
      cycleId: "2019",
      importId: "v-1",
      kind: "VETOES",
      format: "CSV",
      file,
    });
    expect(outcome).toEqual({ kind: "imported", importId: "v-1", rows: 1, unreadColumns: [] });
    const { headers, body } = sent!;
    expect(headers["x-pingyi-client"]).toBe("console");
    // fetch writes multipart/form-data with its boundary; a content type set here would lack it.
    expect(headers["content-type"]).toBeUndefined();
    expect([...body.keys()]).toEqual(["operations", "map", "0"]);
    const operations = JSON.parse(body.get("operations") as string);
    expect(operations.variables).toEqual({
      cycleId: "2019",
      importId: "v-1",
      kind: "VETOES",
      format: "CSV",
      file: null,
    });
    expect(operations.query).toContain("bad: rows { line record column message }");
    expect(JSON.parse(body.get("map") as string)).toEqual({ 0: ["variables.file"] });
    expect(await (body.get("0") as File).text()).toBe("id,unit,type,reason\n");
    expect((body.get("0") as File).name).toBe("v.csv");
  });

  /** The variables one upload sent, from a gateway that imports anything. */
  const variablesOf = async (input: Partial<Parameters<typeof uploadImport>[0]>) => {
    let body: FormData | null = null;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: FormData }) => {
        body = init.body;
        return new Response(
          JSON.stringify({
            data: {
              importFile: { __typename: "ImportResult", importId: "u-1", status: "imported", rows: 1 },
            },
          }),
        );
      }),
    );
    await uploadImport({
      cycleId: "2019",
      importId: "u-1",
      kind: "UNITS",
      format: "CSV",
      file: new File(["id,name,group\n"], "u.csv"),
      ...input,
    });
    const operations = JSON.parse(body!.get("operations") as string);
    return { variables: operations.variables, query: operations.query as string };
  };

  it("sends the encoding only when one was chosen, and never with an XLSX file", async () => {
    const chosen = await variablesOf({ encoding: "GB18030" });
    expect(chosen.variables).toEqual({
      cycleId: "2019",
      importId: "u-1",
      kind: "UNITS",
      format: "CSV",
      encoding: "GB18030",
      file: null,
    });
    expect(chosen.query).toContain("encoding: $encoding");
    expect((await variablesOf({ format: "JSON", encoding: "UTF_8" })).variables.encoding).toBe("UTF_8");
    // Not chosen: left out, so that the gateway detects it.
    expect(Object.keys((await variablesOf({ encoding: null })).variables)).not.toContain("encoding");
    expect(Object.keys((await variablesOf({})).variables)).not.toContain("encoding");
    // The gateway refuses an XLSX upload that names one.
    expect(Object.keys((await variablesOf({ format: "XLSX", encoding: "GB18030" })).variables)).not.toContain(
      "encoding",
    );
  });

  it("sends the imports its survey forms are other forms than only when there are some", async () => {
    const other = await variablesOf({ kind: "SURVEY_FORMS", otherFormsThan: ["forms-2019", "批次'2"] });
    expect(other.variables.otherFormsThan).toEqual(["forms-2019", "批次'2"]);
    expect(other.query).toContain("otherFormsThan: $otherFormsThan");
    expect(
      Object.keys((await variablesOf({ kind: "SURVEY_FORMS", otherFormsThan: [] })).variables),
    ).not.toContain("otherFormsThan");
  });

  it("reads a cycle's imports and removes one, throwing the gateway's refusal", async () => {
    const record = {
      id: "v-1",
      kind: "VETOES",
      format: "CSV",
      rows: 2,
      fileHash: "ab",
      actor: "admin-1",
      createdAt: "2026-12-03T06:00:00.000Z",
    };
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: string; headers: Record<string, string> }) => {
        expect(init.headers["content-type"]).toBe("application/json");
        const { query } = JSON.parse(init.body);
        if (query.includes("query Imports"))
          return new Response(
            JSON.stringify({ data: { cycle: { __typename: "Cycle", status: "OPEN", imports: [record] } } }),
          );
        return new Response(
          JSON.stringify({
            data: {
              removeImport: {
                __typename: "ValidationError",
                code: "VALIDATION",
                message: "invalid",
                issues: [{ path: "importId", message: "import 'units-1' cannot be removed" }],
              },
            },
          }),
        );
      }),
    );
    expect(await loadImports("2019")).toEqual({ status: "OPEN", imports: [record] });
    await expect(removeImport("units-1")).rejects.toMatchObject({
      code: "VALIDATION",
      issues: [{ path: "importId", message: "import 'units-1' cannot be removed" }],
    });
  });
});
