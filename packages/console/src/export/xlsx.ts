import writeXlsxFile from "write-excel-file/browser";
import type { Table } from "./table";

/**
 * An .xlsx of the table. Decimal columns become numbers with the table's decimals as the display
 * format (the values are already rounded by the engine, so 84.20 shows as 84.20 and sorts).
 */
export async function toXlsx(table: Table, sheet: string, decimals: number): Promise<Blob> {
  const format = decimals > 0 ? `0.${"0".repeat(decimals)}` : "0";
  const numeric = new Set(table.numeric);
  const data = [
    table.header.map((h) => ({ value: h, fontWeight: "bold" as const })),
    ...table.rows.map((row) =>
      row.map((v, i) => {
        if (v === null || v === "") return null;
        if (numeric.has(i)) {
          const n = Number(v);
          if (Number.isFinite(n)) return { value: n, type: Number, format: table.formats?.[i] ?? format };
        }
        return { value: String(v), type: String };
      }),
    ),
  ];
  return writeXlsxFile(data, {
    sheet: sheet.slice(0, 31).replace(/[\\/?*[\]:]/g, " "),
    stickyRowsCount: 1,
    columns: table.header.map((h, i) => ({
      width: table.wide?.includes(i) ? 28 : Math.max(8, Math.min(24, h.length * 2 + 2)),
    })),
  }).toBlob();
}
