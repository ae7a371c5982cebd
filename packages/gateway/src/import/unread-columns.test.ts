import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportError } from "../store/errors.js";
import { openTestDatabase, seedCycle, type TestDatabase, uid } from "../store/test-backends.js";
import type { ImportFormat } from "../store/types.js";
import { importFile } from "./index.js";

/** A file's columns that no column of its kind reads are said, in CSV, XLSX and JSON alike. */

async function xlsx(rows: readonly (readonly string[])[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("s");
  for (const r of rows) ws.addRow([...r]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** The same table as each format writes it: a header row, then rows (JSON: one object each). */
async function file(format: ImportFormat, rows: readonly (readonly string[])[]): Promise<Uint8Array> {
  const [header, ...data] = rows;
  if (format === "xlsx") return xlsx(rows);
  if (format === "json")
    return Buffer.from(JSON.stringify(data.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])))));
  return Buffer.from(`${rows.map((r) => r.join(",")).join("\n")}\n`);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

describe("columns not read", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase("pglite");
  });
  afterAll(async () => {
    await t?.close();
  });

  describe.each(["csv", "xlsx", "json"] as const)("%s", (format) => {
    it("imports a file with a column of no use to its kind, and names the column in the result", async () => {
      const c = await seedCycle(t.store, 2);
      const bytes = await file(format, [
        ["id", "unit", "unit_name", "type", "level", "备用"],
        ["f1", "u1", "单位一", "visit", "city", "x"],
        ["f2", "u2", "单位二", "visit", "city", ""],
      ]);
      const r = await importFile(t.store, {
        cycleId: c,
        kind: "findings",
        format,
        importId: uid("imp"),
        stream: once(bytes),
        actor: "importer",
      });
      expect(r.rows).toBe(2);
      expect(r.unreadColumns).toEqual(["unit_name", "备用"]);
      expect(r.message).toBe(
        "imported 2 rows; columns not read (not findings columns): 'unit_name' and '备用'",
      );
    });

    it("says nothing of columns when every one was read", async () => {
      const c = await seedCycle(t.store, 1);
      const r = await importFile(t.store, {
        cycleId: c,
        kind: "scores",
        format,
        importId: uid("imp"),
        stream: once(
          await file(format, [
            ["unit", "category", "value"],
            ["u1", "business", "20"],
          ]),
        ),
        actor: "importer",
      });
      expect(r).not.toHaveProperty("unreadColumns");
      expect(r.message).toBe("imported 1 row");
    });

    it("names the column read instead of a missing one", async () => {
      const c = await seedCycle(t.store, 1);
      const err = await importFile(t.store, {
        cycleId: c,
        kind: "survey-forms",
        format,
        importId: uid("imp"),
        stream: once(
          await file(format, [
            ["category", "unit", "respondent_group", "answr"],
            ["public", "u1", "residents", "satisfied"],
          ]),
        ),
        actor: "importer",
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportError);
      const [row] = (err as ImportError).rows;
      // A header names the column once for the file; a JSON record has no header, so each says it.
      expect(row).toEqual(
        format === "json"
          ? {
              line: 1,
              record: 1,
              column: "answer",
              message: "required; the record has 'answr': did you mean 'answer'?",
            }
          : {
              line: 1,
              column: "answer",
              message:
                "missing column 'answer' (accepted headers: answer, option, 答案, 评价, 评价意见, 满意度, 评议结果); the header has 'answr': did you mean 'answer'?",
            },
      );
    });
  });

  describe.each(["csv", "xlsx", "json"] as const)("%s", (format) => {
    const refused = async (kind: "findings" | "units", rows: string[][]) => {
      const c = await seedCycle(t.store, 2);
      const count = async () =>
        (await t.store.db.query(`SELECT 1 FROM ${kind} WHERE cycle_id = $1`, [c])).length;
      const before = await count();
      const err = await importFile(t.store, {
        cycleId: c,
        kind,
        format,
        importId: uid("imp"),
        stream: once(await file(format, rows)),
        actor: "importer",
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportError);
      // Nothing of the file was written.
      expect(await count()).toBe(before);
      return err as ImportError;
    };

    it("refuses a misspelt optional column, which would store every row without it", async () => {
      const err = await refused("findings", [
        ["id", "unit", "type", "level", "rectifcation", "repeatd", "note"],
        ["f1", "u1", "visit", "city", "late", "yes", "x"],
      ]);
      const said = (column: string, meant: string) => ({
        line: 1,
        // A JSON array's record is named by its number too.
        ...(format === "json" ? { record: 1 } : {}),
        column,
        message: `not a column of findings: did you mean '${meant}'? As written it would not be read; rename it, or remove it`,
      });
      expect(err.rows).toEqual([said("rectifcation", "rectification"), said("repeatd", "repeated")]);
      const first = format === "json" ? "record 1 \\(line 1\\)" : "line 1";
      expect(err.message).toMatch(
        new RegExp(`nothing was written \\(first: ${first}, rectifcation: .*did you mean 'rectification'\\?`),
      );
    });

    it("refuses a units file whose parent column is misspelt, which would cut the units from their parents", async () => {
      const err = await refused("units", [
        ["id", "name", "group", "parnet"],
        ["X1", "一", "g", ""],
        ["X2", "二", "g", "X1"],
      ]);
      expect(err.rows[0]).toMatchObject({ line: 1, column: "parnet" });
      expect(err.rows[0]!.message).toMatch(/did you mean 'parent'\?/);
    });
  });

  it("lists twenty of a JSON file's unread keys and counts the rest", async () => {
    const c = await seedCycle(t.store, 1);
    const rows = Array.from({ length: 25 }, (_, i) => ({
      unit: "u1",
      category: `c${i}`,
      value: 1,
      [`k${i}`]: 1,
    }));
    const r = await importFile(t.store, {
      cycleId: c,
      kind: "scores",
      format: "json",
      importId: uid("imp"),
      stream: once(Buffer.from(JSON.stringify(rows))),
      actor: "importer",
    });
    expect(r.unreadColumns).toHaveLength(20);
    expect(r.message).toMatch(
      /^imported 25 rows; columns not read \(not scores columns\): 'k0', .*'k19' and 5 more$/,
    );
  });
});
