import { columnLetters, columnNumber } from "./excel-columns.js";
import { FileFormatError } from "./file-format-error.js";

/**
 * A worksheet's merged cells (Excel's "Merge & Center"), read as Excel shows them. A merged
 * range's value is its top-left cell's; ExcelJS's streaming reader ignores <mergeCell>, so a
 * 整改情况 merged down over three findings' rows was read in the first row only, and the other
 * two were stored without it (their deductions lost), or refused as "required" for a required
 * column. Here the value is read in every row the range spans, in its first column; the range's
 * other columns show nothing of their own, and are read as empty.
 *
 * <mergeCells> comes after <sheetData> in the XML, so the ranges are found (`scan`) in a first
 * reading of the whole worksheet, before its rows are read (`cover`) in order.
 */
export class MergedCells {
  private readonly ranges: MergedRange[] = [];
  private sorted = false;
  /** The next range (by top row) not yet met. */
  private next = 0;
  /** The ranges that span the row being read, with their values. */
  private active: MergedRange[] = [];
  /** Cells covered so far, to stop a file whose merges would take forever to read. */
  private work = 0;
  /** The end of the XML last scanned, when it may cut a <mergeCell> tag in two. */
  private held = "";

  get size(): number {
    return this.ranges.length;
  }

  /** Finds the merged ranges in a chunk of the worksheet's XML (chunks in order). */
  scan(xml: string): void {
    const text = this.held + xml;
    const tag = /<mergeCell\s[^>]*>/g;
    let end = 0;
    for (let m = tag.exec(text); m; m = tag.exec(text)) {
      const ref = /\sref\s*=\s*["']([^"']*)["']/.exec(m[0]);
      if (ref) this.add(ref[1]!);
      end = tag.lastIndex;
    }
    // A tag the chunk's end cuts off.
    const open = text.lastIndexOf("<");
    this.held =
      open >= end && text.indexOf(">", open) < 0 && text.length - open <= MAX_HELD_TAG
        ? text.slice(open)
        : "";
  }

  private add(ref: string): void {
    const m = /^([A-Z]{1,3})([1-9][0-9]{0,6})(?::([A-Z]{1,3})([1-9][0-9]{0,6}))?$/i.exec(ref.trim());
    // One cell, or not a cell's name (a damaged file): nothing is merged.
    if (!m || m[3] === undefined) return;
    const [a, b] = [columnNumber(m[1]!), columnNumber(m[3])];
    const [r, s] = [Number(m[2]), Number(m[4])];
    const range = {
      top: Math.min(r, s),
      left: Math.min(a, b),
      bottom: Math.max(r, s),
      right: Math.max(a, b),
      value: undefined as unknown,
    };
    if (range.top === range.bottom && range.left === range.right) return;
    if (this.ranges.length >= MAX_RANGES)
      throw new FileFormatError(
        0,
        `the worksheet has more than ${MAX_RANGES.toLocaleString("en")} merged cells: unmerge them (in Excel, select the sheet and turn off Merge & Center), and import it again`,
      );
    this.ranges.push(range);
  }

  /**
   * Sets row `row`'s `values` (column A at 1) as Excel shows them: each range's value in its first
   * column, in every row it spans, and nothing in its other columns. Rows must come in order;
   * a row missing from the file is passed over. Returns the ranges spanning the row.
   */
  cover(row: number, values: unknown[]): readonly MergedRange[] {
    if (this.ranges.length === 0) return [];
    if (!this.sorted) {
      this.ranges.sort((x, y) => x.top - y.top || x.left - y.left);
      this.sorted = true;
    }
    if (this.active.length) this.active = this.active.filter((a) => a.bottom >= row);
    while (this.next < this.ranges.length && this.ranges[this.next]!.top <= row) {
      const range = this.ranges[this.next++]!;
      if (range.bottom < row) continue;
      // A range whose top row is missing from the file has no value.
      if (range.top === row) range.value = values[range.left];
      this.active.push(range);
    }
    for (const a of this.active) {
      if (a.top !== row && (a.left < values.length || a.value !== undefined)) values[a.left] = a.value;
      const right = Math.min(a.right, values.length - 1);
      for (let c = a.left + 1; c <= right; c++) values[c] = undefined;
      this.work += 1 + Math.max(0, right - a.left);
    }
    if (this.work > MAX_WORK)
      throw new FileFormatError(
        row,
        `the worksheet's merged cells cover more than ${MAX_WORK.toLocaleString("en")} cells of its rows: unmerge them, and import it again`,
      );
    return this.active;
  }
}

/** A merged range (rows and columns from 1, inclusive) and, once its top row is read, its value. */
export interface MergedRange {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
  value: unknown;
}

/** The range as Excel names it: "E2:E4". */
export const rangeName = (r: MergedRange) =>
  `${columnLetters(r.left)}${r.top}:${columnLetters(r.right)}${r.bottom}`;

/** A <mergeCell> tag is short: a longer unfinished "<…" is something else, not held. */
const MAX_HELD_TAG = 1024;

/** Merged ranges kept (about 40 MB at most): far more than a sheet of findings or forms has. */
const MAX_RANGES = 1_000_000;

/** Covered cells read, in all rows: a hostile file's overlapping whole-sheet merges, stopped. */
const MAX_WORK = 50_000_000;
