import type { Table } from "./table";

// Excel opens a CSV as the system code page (GBK on Chinese Windows) unless it starts with a BOM.
const BOM = "\uFEFF";

/** Cells a spreadsheet would run as a formula; a leading apostrophe makes them text. */
const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

function cell(value: string | number | null): string {
  if (value === null) return "";
  let s = String(value);
  if (FORMULA.test(s) && !NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV (CRLF) in UTF-8 with a byte-order mark. */
export function toCsv(table: Table): string {
  const lines = [table.header, ...table.rows].map((row) => row.map(cell).join(","));
  return BOM + lines.join("\r\n") + "\r\n";
}
