import { finished, pipeline, Readable } from "node:stream";
import { Parser } from "csv-parse";
import ExcelJS from "exceljs";
import { trimCell } from "./cell-text.js";
import { normaliseHeader } from "./columns.js";
import { EncodingError } from "./encoding.js";
import { columnLetters } from "./excel-columns.js";
import { ExcelTempFiles } from "./excel-temp-files.js";
import { ExcelWaits } from "./excel-waits.js";
import { FileFormatError } from "./file-format-error.js";
import { firstWorksheet, type Relationship, type Tab, visibleTabName } from "./first-worksheet.js";
import { MergedCells, rangeName } from "./merged-cells.js";
import type { RecordPlace } from "./record-place.js";
import { SpooledSheet, TemporaryFileError } from "./spooled-sheet.js";
import { endAfterBufferedEntries } from "./zip-entries-end.js";

export { FileFormatError };

/**
 * Row readers: each turns a file into a stream of events without holding the file in memory.
 * `line` is the 1-based line where the record starts (CSV, JSON, NDJSON) or the worksheet row
 * number (XLSX), as a user would find it in an editor or in Excel; a JSON array's records also
 * carry their number in it (`record`), as a one-line array has every record on line 1.
 */
export type ReaderEvent =
  | { type: "header"; line: number; headers: string[] }
  | ({ type: "row"; fields: Record<string, unknown> } & RecordPlace)
  | ({ type: "error"; message: string } & RecordPlace);

/** The worksheet read, and the other visible worksheets that have rows, which are not. */
export interface OtherSheets {
  read: string;
  sheets: string[];
}

const isBlank = (v: unknown) =>
  v === undefined || v === null || (typeof v === "string" && trimCell(v) === "");

/**
 * The columns (1 is A) of a row's values that no header names: under a header cell left blank, or
 * past the header's last cell. No column reads them, so they would be dropped without a word (an
 * unread column is said by its header, and these have none). `first` is where column A's value is
 * in `values`.
 */
function unheaded(headers: readonly string[], values: readonly unknown[], first: number): number[] {
  const columns: number[] = [];
  for (let i = first; i < values.length; i++) {
    const column = i - first + 1;
    if (!headers[column - 1] && !isBlank(values[i])) columns.push(column);
  }
  return columns;
}

/**
 * Whether a row is the header again: files put together from several (each district's sheet
 * pasted under the last) keep every part's header, which read as a record is an unknown unit
 * 'unit' and a score 'value' is not a number, saying nothing of what the row is.
 */
function repeatsHeader(headers: readonly string[], values: readonly unknown[], first: number): boolean {
  let named = false;
  for (let i = 0; i < headers.length; i++) {
    const v = values[i + first];
    const text = v === undefined || v === null || typeof v === "object" ? "" : trimCell(String(v));
    // As headers are matched: "Unit" and "unit " repeat "unit".
    if (text !== headers[i] && normaliseHeader(text) !== normaliseHeader(headers[i]!)) return false;
    if (text !== "") named = true;
  }
  return named && values.slice(headers.length + first).every(isBlank);
}

/** Where the header was met, and what to do with a row repeating it. */
const headerAgain = (line: number) =>
  `this row repeats the header (line ${line}): a file has one header row; delete this one`;

/** Columns as numbers and as Excel's letters: "column 5 (E)". */
function unheadedValues(columns: readonly number[]): string {
  const shown = columns.slice(0, 5).map((c) => `${c} (${columnLetters(c)})`);
  if (columns.length > 5) shown.push(`${columns.length - 5} more`);
  const list = shown.length < 2 ? shown[0] : `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
  return columns.length === 1
    ? `a value in column ${list}, which has no header: give the column a header, or delete the value`
    : `values in columns ${list}, which have no header: give the columns headers, or delete the values`;
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Line breaks in a record's raw text: "\n", "\r\n" and a lone "\r" each count once. */
function lineBreaks(raw: string): number {
  let n = 0;
  for (let i = raw.indexOf("\n"); i >= 0; i = raw.indexOf("\n", i + 1)) n++;
  for (let i = raw.indexOf("\r"); i >= 0; i = raw.indexOf("\r", i + 1))
    if (raw.charCodeAt(i + 1) !== 0x0a) n++;
  return n;
}

/**
 * csv-parse's parser, stamping each record with the line it starts on as it is parsed, so that
 * a parse error can name the line of the record it is in. csv-parse's own count cannot: an
 * unclosed quote is reported at the end of the file, a "\r\n" inside quotes counts twice, and
 * the records parsed before an error in the same chunk never reach the reader to be counted.
 */
class LineParser extends Parser {
  /** The line where the record being parsed starts. */
  line = 1;
  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk !== null) {
      const r = chunk as { raw: string; line: number };
      r.line = this.line;
      this.line += lineBreaks(r.raw);
    }
    return super.push(chunk, encoding);
  }
}

export async function* readCsv(text: AsyncIterable<string>): AsyncGenerator<ReaderEvent> {
  // `raw` rather than `info`: csv-parse's info snapshots cost 2-4x the parsing itself, and its
  // line counts are off for CRLF files. LineParser counts lines from each record's raw text
  // instead (csv-parse leaves the "\n" of a "\r\n" delimiter out of `raw`, so a lone "\r" counts too).
  const parser = new LineParser({
    raw: true,
    relax_column_count: true,
    bom: true,
    record_delimiter: ["\r\n", "\n", "\r"],
  });
  // pipeline, not pipe: with pipe a failing source (bytes that stop being UTF-8 past the
  // detection window) left the parser waiting for more forever, holding the import's
  // transaction, and its error uncaught.
  pipeline(Readable.from(text, { objectMode: false }), parser, () => {});
  let headers: string[] | undefined;
  let headerLine = 0;
  try {
    for await (const { record, line } of parser as AsyncIterable<{ record: string[]; line: number }>) {
      if (record.every(isBlank)) continue; // blank lines and Excel's trailing ",,,," rows
      if (!headers) {
        headers = record.map((h) => trimCell(h));
        headerLine = line;
        yield { type: "header", line, headers };
        continue;
      }
      if (repeatsHeader(headers, record, 0)) {
        yield { type: "error", line, message: headerAgain(headerLine) };
        continue;
      }
      const stray = unheaded(headers, record, 0);
      if (stray.length) {
        yield { type: "error", line, message: unheadedValues(stray) };
        continue;
      }
      const fields: Record<string, unknown> = {};
      for (let i = 0; i < headers.length; i++) fields[headers[i]!] = record[i];
      yield { type: "row", line, fields };
    }
  } catch (err) {
    if (err instanceof EncodingError) throw err;
    // The message's own "at line N" is csv-parse's count: the line reported is the record's.
    const message = ((err as Error).message ?? String(err)).replace(/ (at|on) line \d+/, "");
    throw new FileFormatError(parser.line, `CSV: ${message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// XLSX (the first tab that is a visible worksheet: first-worksheet.ts)

/**
 * A cell with no value to read (an Excel error, a formula never calculated): a bad cell, not an
 * empty one, which an optional column would take without a word.
 */
export class CellProblem {
  constructor(readonly message: string) {}
}

// Excel keeps and shows 15 significant digits; the file holds the double's 17 (=0.1*3 is
// 0.30000000000000004), which stored exactly would not equal the 0.3 typed elsewhere.
const EXCEL_DIGITS = 15;

/**
 * A date as Excel shows it. ExcelJS reads a date cell's serial number as a UTC instant (44012.75
 * is 2020-06-30T18:00Z), so its UTC calendar date is the cell's, in any time zone.
 */
function excelDate(d: Date): string | CellProblem {
  const year = d.getUTCFullYear();
  // Serial numbers below 1 are times of day; Excel shows none past 9999-12-31.
  if (Number.isNaN(year) || year < 1900 || year > 9999)
    return new CellProblem("the cell is formatted as a date or time but holds no date from 1900 to 9999");
  return d.toISOString().slice(0, 10);
}

/** Excel's serial number (days since 1899-12-30, or since 1904-01-01 in a 1904 workbook) as a date. */
const serialDate = (serial: number, date1904: boolean) =>
  new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));

/** A number format that shows a date or a time, tested as ExcelJS tests plain cells' formats. */
function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhMsb]/.test(format.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, ""));
}

function cellText(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "number") return Number.isFinite(v) ? Number(v.toPrecision(EXCEL_DIGITS)) : v;
  if (v instanceof Date) return excelDate(v);
  if (typeof v === "object") {
    const o = v as {
      richText?: { text: string }[];
      result?: unknown;
      formula?: unknown;
      sharedFormula?: unknown;
      text?: unknown;
      error?: unknown;
    };
    if (o.richText) return o.richText.map((r) => r.text).join("");
    if (o.result !== undefined) return cellText(o.result);
    if (o.formula !== undefined || o.sharedFormula !== undefined)
      return new CellProblem(
        `the formula =${String(o.formula ?? o.sharedFormula)} has no value saved in the file (not calculated, or an error): correct it, or open the file in Excel or WPS and save it again`,
      );
    if ("text" in o) return cellText(o.text);
    if ("error" in o) return new CellProblem(`the cell holds the Excel error ${String(o.error)}`);
  }
  return v;
}

export async function* readXlsx(
  bytes: AsyncIterable<Uint8Array>,
  onOtherSheets?: (other: OtherSheets) => void,
): AsyncGenerator<ReaderEvent> {
  // ExcelJS pipes the input into unzipper, which reports a damaged entry (bad deflate data, a
  // header pointing past it) only as an 'error' on its own stream: the entry being read is left
  // neither ended nor errored, and ExcelJS waits for it forever, holding the import's
  // transaction and the cycle's lock. So every wait on ExcelJS here also ends on that error.
  let fail!: (err: unknown) => void;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined); // raced against each read below
  const streams: { destroy(): unknown }[] = [];
  const waits = new ExcelWaits();
  let zipDone: Promise<void> | undefined;
  const input = Readable.from(bytes);
  streams.push(input);
  // pipe does not pass a failing upload on: unheard, its 'error' crashed the process, and the
  // zip waited for the rest. It is the upload's error, not the file's, so it is rethrown as is.
  let uploadError: unknown;
  input.on("error", (err) => {
    uploadError ??= err;
    fail(err);
  });
  const pipe = input.pipe.bind(input);
  input.pipe = <T extends NodeJS.WritableStream>(zip: T, options?: { end?: boolean }): T => {
    zip.on("error", fail);
    endAfterBufferedEntries(zip);
    // Failed at the end with what ExcelJS may wait on (ExcelWaits.end).
    waits.watch(zip as unknown as NodeJS.ReadableStream);
    zipDone = new Promise<void>((resolve, reject) =>
      finished(zip as unknown as NodeJS.ReadableStream, (err) => (err ? reject(err) : resolve())),
    );
    zipDone.catch(() => undefined); // awaited after the last sheet
    return pipe(zip, options);
  };
  // ExcelJS's copies of worksheets it has not read yet are made within `next`, and removed after
  // the end whether or not it read them through.
  const excelFiles = new ExcelTempFiles();
  /** The sources of the worksheets ExcelJS has handed out: read streams of its copies among them. */
  const sources: unknown[] = [];
  let ended = false;
  const handedOut = (w: IteratorResult<unknown>) => {
    if (w.done) return;
    const source = (w.value as { iterator?: unknown } | null)?.iterator;
    // A step that lost to a failure goes on without anyone waiting, and may yet hand out a
    // worksheet after the read has ended.
    sources.push(source);
    if (ended) void closeSource(source);
  };
  const next = <T>(it: AsyncIterator<T>, onValue?: (w: IteratorResult<T>) => void) => {
    const step = excelFiles.step(() => it.next());
    // Before the read sees the worksheet, which may put another source in its place.
    if (onValue) step.then(onValue, () => undefined);
    return Promise.race([step, failed]);
  };

  // Styles for number formats: without them ExcelJS reads a date cell as its serial number
  // (2020-06-30 as 44012), which no date column takes.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "cache",
    entries: "ignore",
  });
  // ExcelJS reads a worksheet on arrival when the shared strings came first, and then looks its
  // name up in the workbook part, and a date cell's 1904 setting in its properties: a workbook
  // part that comes later (other writers' order) failed with "Cannot read properties of
  // undefined (reading 'sheets')". The name is not needed here; such dates count from 1900.
  const book = reader as unknown as BookReader;
  book.properties ??= {};
  // A workbook part that yields no workbook (damaged: none in it, or cut short before its closing
  // tag) left the model undefined, and ExcelJS then failed on the next worksheet's name after it
  // had opened that sheet's copy: a read stream no one held, whose failure to open a copy removed
  // at the read's end no one heard. ExcelJS gets an empty model; the read is refused here, as
  // the tabs, and so which sheet is the first, are unknown (the first to come may be hidden).
  let model: unknown = book.model ?? {};
  let noWorkbook = false;
  Object.defineProperty(book, "model", {
    get: () => model,
    set: (value: unknown) => {
      noWorkbook ||= value === undefined || value === null;
      model = value ?? {};
    },
    configurable: true,
  });
  const refuseWithoutWorkbook = () => {
    if (noWorkbook)
      throw new FileFormatError(
        0,
        "not a readable XLSX workbook (the file is damaged or is not an Excel .xlsx file): its workbook part (xl/workbook.xml) holds no workbook, or is cut short, so which worksheet is the first tab is unknown; open the file in Excel or WPS and save it again",
      );
  };
  readBuiltInDateFormats(book);
  decodeSharedStringsWhole(book);
  const tabs = worksheetsAfterTabs(book);
  /** The part to read, once the first worksheet has come: its tab's, or the first to come. */
  let first: { name: string; part: string } | undefined;
  let met = false;
  let headers: string[] | undefined;
  let headerRow = 0;
  /** The other worksheets' parts that have a row with a value, in the zip's order. */
  const filledElsewhere: string[] = [];
  const worksheets = (reader as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader>)[Symbol.asyncIterator]();
  try {
    for (let w = await next(worksheets, handedOut); !w.done; w = await next(worksheets, handedOut)) {
      refuseWithoutWorkbook();
      const part = (w.value as unknown as PartOf).part ?? "";
      if (!met) first ??= tabs.first() ?? { name: "", part };
      // Only once: a zip may hold a part twice.
      const chosen = !met && part === first?.part;
      if (chosen) met = true;
      const errors = new Map<string, string>();
      const merged = new MergedCells();
      // The worksheet reader's XML source, until it reads it (on the first row asked for).
      const worksheet = w.value as unknown as { iterator?: AsyncIterable<Uint8Array | string> };
      if (chosen && worksheet.iterator) {
        // Read through once first, for the merged cells listed after the rows.
        const spooled = new SpooledSheet();
        streams.push({ destroy: () => spooled.remove() });
        const xml = spooled.read(worksheet.iterator, (text) => merged.scan(text));
        worksheet.iterator = watchErrorCells(utf8Text(xml), errors);
      }
      // Other sheets must still be read through so the whole file is consumed (and hashed).
      const rows = (w.value as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
      for (let r = await next(rows); !r.done; r = await next(rows)) {
        if (!chosen) {
          if (!filledElsewhere.includes(part) && r.value.hasValues) filledElsewhere.push(part);
          continue;
        }
        const row = r.value;
        const values = (row.values as unknown[]).map((v, i) => {
          const error = errors.size > 0 ? takeError(errors, row.number, i) : undefined;
          if (error !== undefined) return formulaError(v, error);
          const value = cellText(formulaValue(book, row, i, v));
          return typeof value === "number" ? shownNumber(row, i, value) : value;
        });
        // A row of nothing but cells merged from above is no record.
        const blank = values.every(isBlank);
        const spans = merged.cover(row.number, values);
        if (blank) continue;
        if (!headers) {
          const down = spans.find((m) => m.top === row.number && m.bottom > m.top && !isBlank(m.value));
          if (down)
            throw new FileFormatError(
              row.number,
              `the header's cell ${columnLetters(down.left)}${down.top} is merged with the rows below it (${rangeName(down)}): a header is one row; unmerge it, and give each column one header cell`,
            );
          headers = [];
          for (let i = 1; i < values.length; i++)
            // A cell the reader cannot read (a shared string whose table is missing) names nothing,
            // rather than a column called "[object Object]".
            headers[i - 1] =
              values[i] === undefined || values[i] === null || typeof values[i] === "object"
                ? ""
                : trimCell(String(values[i]));
          headerRow = row.number;
          yield { type: "header", line: row.number, headers };
          continue;
        }
        if (repeatsHeader(headers, values, 1)) {
          yield { type: "error", line: row.number, message: headerAgain(headerRow) };
          continue;
        }
        const across = spans.find(
          (m) =>
            m.right > m.left && !isBlank(m.value) && headers!.slice(m.left, m.right).some((h) => h !== ""),
        );
        if (across) {
          const from = `${across.left} (${columnLetters(across.left)})`;
          yield {
            type: "error",
            line: row.number,
            message: `the merged cell ${rangeName(across)} spans columns ${from} to ${across.right} (${columnLetters(across.right)}), which have headers of their own: unmerge it, and put each value in its own column`,
          };
          continue;
        }
        const stray = unheaded(headers, values, 1);
        if (stray.length) {
          yield { type: "error", line: row.number, message: unheadedValues(stray) };
          continue;
        }
        const fields: Record<string, unknown> = {};
        for (let i = 0; i < headers.length; i++) fields[headers[i]!] = values[i + 1];
        yield { type: "row", line: row.number, fields };
      }
    }
    // The last sheet can come before the zip has said whether every entry inflated (its error
    // is an event, and under load it comes late): the file is whole only once the zip is done.
    await Promise.race([failed, zipDone]);
    // A workbook part after the sheets read as they came (the shared strings first).
    refuseWithoutWorkbook();
    // A first tab whose part never came (nor any worksheet's): said, not read as an empty file.
    if (!met) first ??= tabs.first();
    if (first && !met)
      throw new FileFormatError(
        0,
        `not a readable XLSX workbook (the file is damaged or is not an Excel .xlsx file): its first worksheet '${first.name}' (${first.part}) is not in the file, or not under a name Excel gives a worksheet (xl/worksheets/sheet1.xml)`,
      );
    const filled = filledElsewhere
      .map((p) => visibleTabName((book.model as { sheets?: Tab[] }).sheets, tabs.relationships(), p))
      .filter((n) => n !== undefined);
    // An empty first tab (Sheet1 left blank, the rows pasted into Sheet2) read as a file with no
    // data rows sent the operator to look for rows the workbook plainly has.
    if (first && !headers) {
      const named = first.name === "" ? "the first worksheet" : `the first worksheet, '${first.name}',`;
      throw new FileFormatError(
        1,
        filled.length
          ? `${named} is empty, and only the first worksheet is read: the rows are on ${filled.length === 1 ? "the sheet" : "the sheets"} ${filled.map((n) => `'${n}'`).join(", ")}; move the tab to import to the front, or delete the empty sheet`
          : `the file has no data rows (${named} is empty)`,
      );
    }
    // A workbook of one sheet per district imported only the first district's, saying nothing.
    if (first && filled.length) onOtherSheets?.({ read: first.name, sheets: filled });
  } catch (err) {
    if (
      err instanceof FileFormatError ||
      err instanceof TemporaryFileError ||
      (uploadError !== undefined && err === uploadError)
    )
      throw err;
    throw new FileFormatError(
      0,
      `not a readable XLSX workbook (the file is damaged or is not an Excel .xlsx file): ${libraryReason(err)}`,
    );
  } finally {
    // ExcelJS may still be waiting on an entry that will never end: nothing more is read.
    waits.end();
    for (const s of streams) s.destroy();
    ended = true;
    // ExcelJS is done with its copies once its reader has returned (after the step it may still
    // be on) and the sources it handed out are closed; a copy removed before that could fail to
    // open with no one to hear it, which ends the process.
    const settled = worksheets
      .return?.(undefined)
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => Promise.all(sources.map(closeSource)));
    await excelFiles.end(settled ?? Promise.resolve());
  }
}

/** Closes a worksheet's source nobody will read, hearing its failure (a copy already gone). */
function closeSource(source: unknown): Promise<void> {
  const stream = source as (NodeJS.ReadableStream & { destroy(): void }) | null | undefined;
  if (!stream || typeof stream.on !== "function" || typeof stream.destroy !== "function")
    return Promise.resolve();
  stream.on("error", () => undefined);
  return new Promise((resolve) => {
    finished(stream, () => resolve());
    stream.destroy();
  });
}

/**
 * A number cell's value where its number format makes what Excel shows another text. Unit codes
 * typed as 007 in a column formatted 000 (Excel drops a typed number's leading zeros and keeps them
 * only in how it shows the cell) are read as 007, not as 7, which would name another unit, or
 * none. A percentage (0.955 shown as 95.5%) is a bad cell: the same sheet saved as CSV says
 * "95.5%", and which of the two numbers a score column means is not for the import to guess.
 */
function shownNumber(row: ExcelJS.Row, col: number, v: number): unknown {
  const format = row.getCell(col).numFmt;
  if (typeof format !== "string") return v;
  if (/^0+$/.test(format) && Number.isSafeInteger(v) && v >= 0) return String(v).padStart(format.length, "0");
  if (/%/.test(format.replace(/\[[^\]]*]|"[^"]*"|\\./g, "")))
    return new CellProblem(
      `the cell is formatted as a percentage: it holds ${v}, which Excel shows as ${Number((v * 100).toPrecision(EXCEL_DIGITS))}%; format it as a number showing the value to import`,
    );
  return v;
}

/**
 * A formula cell's saved value, where ExcelJS's reading of it falls short: its cell value leaves
 * out a result of 0 or "" (the cell was said to have no value saved), and it converts only plain
 * cells' serial numbers to dates, not a formula's formatted as one (a deadline =B2+30).
 */
function formulaValue(book: BookReader, row: ExcelJS.Row, col: number, v: unknown): unknown {
  if (typeof v !== "object" || v === null || v instanceof Date) return v;
  const cell = row.getCell(col);
  if (cell.type !== ExcelJS.ValueType.Formula) return v;
  let result = cell.result as unknown;
  // NaN: an error value ExcelJS read as a number, never a value.
  if (Number.isNaN(result)) result = undefined;
  else if (typeof result === "number" && isDateFormat(cell.numFmt))
    result = serialDate(result, book.properties?.model?.date1904 === true);
  return result === undefined ? v : { ...v, result };
}

/**
 * ExcelJS reads a formula cell holding an Excel error (<c t="e"><f>1/0</f><v>#DIV/0!</v></c>) as a
 * formula with no value, the error dropped, so it was reported as never calculated, to be saved
 * again, which changes nothing. The worksheet's XML is watched as ExcelJS reads it (each chunk
 * before ExcelJS has it, so before the rows in it), and such cells' errors kept by reference.
 */
async function* watchErrorCells(
  xml: AsyncIterable<Uint8Array | string>,
  errors: Map<string, string>,
): AsyncGenerator<Uint8Array | string> {
  let held = "";
  for await (const chunk of xml) {
    // latin1: one character a byte, and what is looked for is ASCII.
    const text =
      typeof chunk === "string"
        ? chunk
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
    held = findErrorCells(held + text, errors);
    yield chunk;
  }
}

/** A formula cell's XML longer than this is not held to find its error. */
const MAX_HELD_CELL = 1024 * 1024;

/** Keeps the error of each whole formula cell in `xml` that has one; returns what to read again with the next chunk. */
function findErrorCells(xml: string, errors: Map<string, string>): string {
  let from = 0;
  for (;;) {
    const at = errorType(xml, from);
    if (at < 0) break;
    const open = xml.lastIndexOf("<", at);
    // Only an attribute of a cell's start tag (not text that reads t="e").
    if (open < 0 || !/^<c\s/.test(xml.slice(open, open + 3)) || xml.lastIndexOf(">", at) > open) {
      from = at + 1;
      continue;
    }
    const tagEnd = xml.indexOf(">", at);
    if (tagEnd < 0) return xml.slice(open);
    if (xml[tagEnd - 1] === "/") {
      from = tagEnd;
      continue;
    }
    const close = xml.indexOf("</c>", tagEnd);
    if (close < 0) return xml.length - open > MAX_HELD_CELL ? "" : xml.slice(open);
    const ref = /\sr\s*=\s*["']([A-Z]+[0-9]+)["']/.exec(xml.slice(open, tagEnd));
    const body = xml.slice(tagEnd + 1, close);
    const value = /<v(?:\s[^>]*)?>([^<]*)<\/v>/.exec(body);
    if (ref && value && /<f[\s/>]/.test(body)) errors.set(ref[1]!, value[1]!);
    from = close + 4;
  }
  // A start tag cut off by the chunk's end may be an error cell's.
  const open = xml.lastIndexOf("<");
  return open >= from && xml.indexOf(">", open) < 0 ? xml.slice(open) : "";
}

/** Where the next t="e" (or t='e') attribute is, from `from`. */
function errorType(xml: string, from: number): number {
  for (let i = from; ; i++) {
    const double = xml.indexOf('t="e"', i);
    const single = xml.indexOf("t='e'", i);
    i = double < 0 ? single : single < 0 ? double : Math.min(double, single);
    if (i < 0) return -1;
    if (/\s/.test(xml[i - 1] ?? "")) return i;
  }
}

/** The error of the cell in row `row`, column `col` (1 is A), if it is a formula's; forgotten once taken. */
function takeError(errors: Map<string, string>, row: number, col: number): string | undefined {
  const ref = `${columnLetters(col)}${row}`;
  const error = errors.get(ref);
  if (error !== undefined) errors.delete(ref);
  return error;
}

function formulaError(v: unknown, error: string): CellProblem {
  const formula = typeof v === "object" && v !== null ? (v as { formula?: unknown }).formula : undefined;
  const what =
    typeof formula === "string" && formula !== "" ? `the formula =${formula}` : "the cell's formula";
  return new CellProblem(
    `${what} holds the Excel error ${error}, not a value: correct the formula or the cells it uses`,
  );
}

/** A worksheet reader as it comes, with the part it reads (worksheetsAfterTabs). */
type PartOf = { part?: string };

/**
 * Has ExcelJS give each worksheet once the workbook part has said the tabs' order, and tag it with
 * its part. It reads a worksheet that comes after the shared strings and the workbook's
 * relationships as it arrives, the workbook part (the tabs) maybe still to come; that worksheet
 * is copied to a temporary file instead, as ExcelJS does with one that comes before its shared
 * strings (as Excel and ExcelJS store them), and given at the zip's end.
 */
function worksheetsAfterTabs(book: BookReader): {
  first(): { name: string; part: string } | undefined;
  relationships(): Relationship[] | undefined;
} {
  let tabsRead = false;
  let relationships: Relationship[] | undefined;
  const parseWorkbook = book._parseWorkbook;
  if (parseWorkbook)
    book._parseWorkbook = async function (this: BookReader, entry) {
      await parseWorkbook.call(this, entry);
      tabsRead = true;
    };
  Object.defineProperty(book, "workbookRels", {
    configurable: true,
    enumerable: true,
    get: () => (tabsRead ? relationships : undefined),
    set: (rels: Relationship[] | undefined) => {
      relationships = rels;
    },
  });
  const parseWorksheet = book._parseWorksheet;
  if (parseWorksheet)
    book._parseWorksheet = function* (this: BookReader, iterator, sheetNo) {
      for (const event of parseWorksheet.call(this, iterator, sheetNo)) {
        (event.value as PartOf).part = `xl/worksheets/sheet${sheetNo}.xml`;
        yield event;
      }
    };
  return {
    first: () => firstWorksheet((book.model as { sheets?: Tab[] } | undefined)?.sheets, relationships),
    relationships: () => relationships,
  };
}

/** The parts of ExcelJS's workbook reader its worksheets read from. */
type BookReader = {
  model?: object;
  properties?: { model?: { date1904?: boolean } };
  styles?: StyleManager;
  _parseSharedStrings?: (entry: NodeJS.ReadableStream) => AsyncGenerator<unknown>;
  _parseWorkbook?: (entry: NodeJS.ReadableStream) => Promise<void>;
  _parseWorksheet?: (iterator: unknown, sheetNo: string) => Generator<{ eventType: string; value: unknown }>;
};

/**
 * Has ExcelJS read the shared strings part as text decoded across its chunks. It decodes each
 * chunk of a part's XML as UTF-8 on its own, so a character split between two chunks (every
 * 16 KiB of an inflated part, or wherever an upload's chunks end) was read as U+FFFD: unit names
 * past the first 16 KiB of shared strings were stored as 市公安局第1663��局…. The worksheet's
 * XML reaches it as text too (`utf8Text`).
 */
function decodeSharedStringsWhole(book: BookReader): void {
  const parse = book._parseSharedStrings;
  if (!parse) return;
  book._parseSharedStrings = function (this: BookReader, entry) {
    entry.setEncoding("utf8");
    return parse.call(this, entry);
  };
}

/** The worksheet's XML as text decoded across its chunks, as ExcelJS takes it. */
async function* utf8Text(xml: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  // Not fatal: as ExcelJS reads it, for the XML parser to judge.
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of xml)
    yield typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** ExcelJS's styles part: each cell style's number format id, and the style a cell is given. */
type StyleManager = {
  model?: { styles?: ({ numFmtId?: number } | undefined)[] };
  getStyleModel(id: number): { numFmt?: string } | null;
};

/**
 * The number formats Excel builds in (used by id, with no format code in the file) that show a
 * date or a time (ECMA-376 §18.8.30): 14-22 and 45-47, East Asian locales' 27-36 and 50-58 (in
 * Chinese Excel 2019年6月30日, 6月30日, 2019年6月, 12时30分), and Thai 71-81.
 */
const BUILT_IN_DATE_FORMATS = new Set([
  ...[14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47],
  ...[27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58],
  ...[71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81],
]);

/**
 * Has ExcelJS give a cell in a built-in date or time format one it reads as a date. It knows the
 * East Asian and Thai ones by locale only, without a format of their own, so such a cell read as
 * its serial number: a deadline in Chinese Excel's 2019年6月30日 was refused as "'43646' is not a
 * date", and a date in a text column stored as 43646. Its styles part replaces the default one
 * when the file's is read, so each is wrapped as it is set.
 */
function readBuiltInDateFormats(book: BookReader): void {
  const withDates = (styles: StyleManager | undefined) => {
    if (!styles) return styles;
    const styleModel = styles.getStyleModel.bind(styles);
    styles.getStyleModel = (id) => {
      const model = styleModel(id);
      const format = styles.model?.styles?.[id]?.numFmtId;
      // Any format with a date in it reads as one: which is shown does not matter here.
      if (model && model.numFmt === undefined && format !== undefined && BUILT_IN_DATE_FORMATS.has(format))
        model.numFmt = "yyyy-mm-dd hh:mm";
      return model;
    };
    return styles;
  };
  let styles = withDates(book.styles);
  Object.defineProperty(book, "styles", {
    configurable: true,
    enumerable: true,
    get: () => styles,
    set: (next: StyleManager | undefined) => {
      styles = withDates(next);
    },
  });
}

/**
 * The zip or XML layer's own words, kept for support after ours; cut short, as some quote a whole
 * XML node with its attributes.
 */
function libraryReason(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).split("\n")[0]!.trim();
  if (text === "") return err instanceof Error ? err.name : "no reason given";
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// JSON: one array of objects, or NDJSON (one object per line)

const NOT_AN_OBJECT = "expected an object";

type RecordEvent = Extract<ReaderEvent, { type: "row" | "error" }>;

/** A record's event at `place`: an NDJSON line's ({ line }), or a JSON array's ({ line, record }). */
const parseRecord = (text: string, place: RecordPlace): RecordEvent => unnamedKeys(parseObject(text, place));

/** The record's text as an object, or why it is none. */
function parseObject(text: string, place: RecordPlace): RecordEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { type: "error", ...place, message: `invalid JSON: ${(err as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { type: "error", ...place, message: NOT_AN_OBJECT };
  }
  return { type: "row", ...place, fields: value as Record<string, unknown> };
}

/**
 * Refuses a record with a value under a key of no name ("" or blanks). As a CSV or XLSX column
 * with no header, it is read by no column and said by no name: its value (整改情况 exported under
 * a header left blank) would be lost without a word.
 */
function unnamedKeys(event: RecordEvent): RecordEvent {
  if (event.type !== "row") return event;
  const { fields, ...place } = event;
  const unnamed = Object.keys(fields).filter((k) => k.trim() === "" && !isBlank(fields[k]));
  if (unnamed.length) {
    const keys = unnamed.map((k) => JSON.stringify(k)).join(" and ");
    return {
      ...place,
      type: "error",
      message:
        unnamed.length === 1
          ? `a value under the key ${keys}, which names no column: give the key a column's name, or delete the value`
          : `values under the keys ${keys}, which name no column: give the keys columns' names, or delete the values`,
    };
  }
  return event;
}

/**
 * How much of a file whose first line is not a row is held to be parsed whole (tens of thousands
 * of pretty-printed rows): past it, the file is read line by line, as NDJSON with a bad first line
 * is, so that no file is held in memory whole.
 */
const WHOLE_VALUE_CHARS = 8 * 1024 * 1024;

/**
 * NDJSON's lines as events. A first line that is a row decides it: the file is read line by line.
 * Any other first line may start a file that is one JSON value (a pretty-printed object, a string)
 * rather than a list, which only the file's end tells; reported line by line, such a file is one
 * "invalid JSON" per line. So its lines are held until then, and parsed whole.
 */
class NdjsonRecords {
  private held: { line: number; lines: string[]; chars: number; complete: boolean } | undefined;
  private decided = false;
  constructor(private readonly limit: number) {}

  *line(text: string, line: number): Generator<ReaderEvent> {
    if (this.decided) {
      if (text.trim() !== "") yield parseRecord(text, { line });
      return;
    }
    const h = this.held;
    if (!h) {
      if (text.trim() === "") return;
      // Parsed as an object before its keys are judged: a row with a bad key is still a row.
      const first = parseObject(text, { line });
      // A row's cells are plain values: an object holding a list or an object on a line of its
      // own is more likely the whole file on one line ({"rows": [...]}), said as such if no line follows.
      if (
        first.type === "row" &&
        !Object.values(first.fields).some((v) => typeof v === "object" && v !== null)
      ) {
        this.decided = true;
        yield unnamedKeys(first);
      } else {
        const complete = first.type === "row" || first.message === NOT_AN_OBJECT;
        this.held = { line, lines: [text], chars: text.length, complete };
      }
      return;
    }
    h.lines.push(text);
    h.chars += text.length + 1;
    // A whole value on the first line and more after it: not one value.
    if ((h.complete && text.trim() !== "") || h.chars > this.limit) yield* this.release();
  }

  *end(): Generator<ReaderEvent> {
    const h = this.held;
    if (!h) return;
    let value: unknown;
    try {
      value = JSON.parse(h.lines.join("\n"));
    } catch {
      yield* this.release();
      return;
    }
    this.held = undefined;
    // Not an array: a file starting with "[" is read as one.
    yield {
      type: "error",
      line: h.line,
      message: `the file is one JSON ${value === null ? "null" : typeof value}, not a list of rows: send an array of rows ([{…}, {…}]) or one row per line (NDJSON)`,
    };
  }

  /** The held lines, one by one: what they would have been without holding them. */
  private *release(): Generator<ReaderEvent> {
    const h = this.held!;
    this.held = undefined;
    this.decided = true;
    for (let i = 0; i < h.lines.length; i++)
      if (h.lines[i]!.trim() !== "") yield parseRecord(h.lines[i]!, { line: h.line + i });
  }
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

export async function* readJson(
  text: AsyncIterable<string>,
  wholeValueChars = WHOLE_VALUE_CHARS,
): AsyncGenerator<ReaderEvent> {
  let mode: "unknown" | "array" | "ndjson" = "unknown";
  let line = 1;
  // NDJSON state
  let partialLine = "";
  const ndjson = new NdjsonRecords(wholeValueChars);
  // Array state: a small scanner that finds the extent of each top-level element, so only
  // one element at a time is held and parsed.
  let depth = 0;
  let inString = false;
  let escaped = false;
  let inElement = false;
  let primitive = false;
  let ended = false;
  let elementLine = 0;
  /** The element's 1-based number in the array. */
  let record = 0;
  let partial = "";

  for await (const chunk of text) {
    let i = 0;
    if (mode === "unknown") {
      while (i < chunk.length && WS.has(chunk.charCodeAt(i))) {
        if (chunk.charCodeAt(i) === 0x0a) line++;
        i++;
      }
      if (i === chunk.length) continue;
      if (chunk[i] === "[") {
        mode = "array";
        i++;
      } else {
        mode = "ndjson";
      }
    }
    if (mode === "ndjson") {
      let start = i;
      for (;;) {
        const nl = chunk.indexOf("\n", start);
        if (nl < 0) {
          partialLine += chunk.slice(start);
          break;
        }
        const l = partialLine + chunk.slice(start, nl);
        partialLine = "";
        yield* ndjson.line(l, line);
        line++;
        start = nl + 1;
      }
      continue;
    }
    let elementStart = inElement ? 0 : -1;
    for (; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 0x0a) line++;
      if (!inElement) {
        if (WS.has(c) || c === 0x2c /* , */) continue;
        if (ended) throw new FileFormatError(line, "JSON: unexpected content after the closing ]");
        if (c === 0x5d /* ] */) {
          ended = true;
          continue;
        }
        inElement = true;
        elementLine = line;
        record++;
        elementStart = i;
        if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
          depth = 1;
          primitive = false;
        } else if (c === 0x22 /* " */) {
          inString = true;
          primitive = true;
          depth = 0;
        } else {
          primitive = true;
          depth = 0;
        }
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c /* \ */) escaped = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      let done = false;
      if (primitive) {
        if (WS.has(c) || c === 0x2c || c === 0x5d) {
          done = true;
          i--; // let the delimiter be seen again as between-elements
          if (c === 0x0a) line--;
        }
      } else if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) done = true;
      }
      if (done) {
        const textOfElement = partial + chunk.slice(elementStart, i + 1);
        partial = "";
        inElement = false;
        elementStart = -1;
        yield parseRecord(textOfElement, { line: elementLine, record });
      }
    }
    if (inElement) partial += chunk.slice(Math.max(elementStart, 0));
  }
  if (mode === "ndjson") {
    yield* ndjson.line(partialLine, line);
    yield* ndjson.end();
  }
  if (mode === "array") {
    if (inElement && primitive && !inString) yield parseRecord(partial, { line: elementLine, record });
    else if (inElement || !ended)
      throw new FileFormatError(line, "JSON: the array is not closed (file truncated?)");
  }
}
