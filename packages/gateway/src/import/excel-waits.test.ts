import { existsSync, readdirSync, readlinkSync } from "node:fs";
import ExcelJS from "exceljs";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ownTmpdir } from "./fixtures/own-tmpdir.js";
import { FileFormatError, readXlsx } from "./readers.js";

async function* chunks(bytes: Uint8Array, size: number, failAt = Infinity): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) {
    if (i >= failAt) throw new Error("the upload was cut off");
    yield bytes.subarray(i, i + size);
  }
}

/** Two district sheets as Excel and ExcelJS lay them out: both before the shared strings, so both copied. */
async function districts(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const name of ["一区", "二区"]) {
    const ws = wb.addWorksheet(name);
    ws.addRow(["编号", "被评单位", "问题类型", "检查层级"]);
    for (let i = 1; i <= 50; i++) ws.addRow([`F${i}`, "市公安局", "visit", "city"]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function outcome(bytes: AsyncIterable<Uint8Array>): Promise<unknown> {
  try {
    for await (const _ of readXlsx(bytes));
    return "read";
  } catch (err) {
    return err;
  }
}

describe("a read that ends while ExcelJS still waits on the zip", () => {
  let dir: string;
  beforeEach(() => {
    dir = ownTmpdir("excel-waits-test-");
  });

  /** The copies in the test's TMPDIR, and the process's descriptors open on any of them. */
  const copies = () => readdirSync(dir);
  const openOnCopies = () => {
    if (!existsSync("/proc/self/fd")) return [];
    return readdirSync("/proc/self/fd").flatMap((fd) => {
      try {
        const target = readlinkSync(`/proc/self/fd/${fd}`);
        return target.startsWith(dir) ? [target] : [];
      } catch {
        return []; // closed meanwhile (the listing's own descriptor)
      }
    });
  };

  it("removes the copies when a sheet's data fails to inflate while ExcelJS copies it", async () => {
    // unzipper reports the broken data on the zip alone: the copy of the second sheet never
    // finished, and ExcelJS waited on it, holding both copies, for as long as the process ran.
    const file = await districts();
    const header = file.indexOf("xl/worksheets/sheet2.xml") - 30;
    const data = header + 30 + file.readUInt16LE(header + 26) + file.readUInt16LE(header + 28);
    file[data] = 0x07; // a deflate block of the reserved type
    const err = await outcome(chunks(file, 100));
    expect(err).toBeInstanceOf(FileFormatError);
    expect((err as Error).message).toMatch(/invalid block type/);
    await vi.waitFor(() => expect(copies()).toEqual([]), { timeout: 5000 });
    expect(openOnCopies()).toEqual([]);
  });

  it("removes the copies when the upload fails after they were made", async () => {
    const file = await districts();
    // Both sheets come before the shared strings; the upload fails inside those.
    expect(file.indexOf("xl/sharedStrings.xml")).toBeGreaterThan(file.indexOf("xl/worksheets/sheet2.xml"));
    const err = await outcome(chunks(file, 100, file.indexOf("xl/sharedStrings.xml") + 40));
    expect((err as Error).message).toBe("the upload was cut off");
    await vi.waitFor(() => expect(copies()).toEqual([]), { timeout: 5000 });
    expect(openOnCopies()).toEqual([]);
  });

  it("removes the copies of the sheets not read when reading stops, and holds no descriptor on them", async () => {
    const file = await districts();
    for await (const ev of readXlsx(chunks(file, 100))) if (ev.type === "header") break;
    await vi.waitFor(() => expect(copies()).toEqual([]), { timeout: 5000 });
    expect(openOnCopies()).toEqual([]);
  });
});
