import { ImportError, type ImportRowError } from "../store/errors.js";
import { comparePlaces, placesText, type RecordPlace } from "./record-place.js";
import { type RefusedValue, refusedValueOf } from "./refused-value.js";

/** Bad rows listed in an ImportError; the rest are only counted. */
export const MAX_LISTED_ERRORS = 1000;
/** The places said of the rows of one refused value: the first few. */
const PLACES_SAID = 3;
/**
 * Refused values whose rows are gathered. A file of that many different unknown values (every
 * unit of another cycle) has each further value's rows listed as they come.
 */
const MAX_VALUES = 10_000;

/** The rows of one refused value: the first one's error, how many, and the first few places. */
interface ValueRows {
  first: ImportRowError;
  value: RefusedValue;
  rows: number;
  places: RecordPlace[];
}

/**
 * The first MAX_LISTED_ERRORS bad rows in the file's order (line, record, then column), whatever
 * order they were found in: a batch's keys are checked against the cycle after later rows were
 * read, and whole-file checks (units) come after every row check. The rows of one refused value
 * (`refusingValue`) are one problem, said once at the first of them with how many there are and
 * where the first few are: `answer "满意" (3,911 rows, the first at lines 2, 5, 9): not an option …`.
 */
export class ErrorList {
  private readonly listed: ImportRowError[] = [];
  private others = 0;
  private readonly values = new Map<string, ValueRows>();
  constructor(private readonly columnRank: (column: string | undefined) => number) {}

  /** Problems found so far, a refused value's rows counting once. */
  get total(): number {
    return this.others + this.values.size;
  }

  private before(a: ImportRowError, b: ImportRowError): boolean {
    const byPlace = comparePlaces(a, b);
    return byPlace !== 0 ? byPlace < 0 : this.columnRank(a.column) < this.columnRank(b.column);
  }

  add(e: ImportRowError) {
    const value = refusedValueOf(e);
    if (value) {
      const key = `${e.column ?? ""}\u0000${value.subject}\u0000${value.reason}`;
      const rows = this.values.get(key);
      if (rows) return this.another(rows, e);
      if (this.values.size < MAX_VALUES) {
        this.values.set(key, { first: e, value, rows: 1, places: [e] });
        return;
      }
    }
    this.others++;
    this.list(this.listed, e);
  }

  /** Another row of a refused value: counted, and its place kept if among the first. */
  private another(rows: ValueRows, e: ImportRowError) {
    rows.rows++;
    if (comparePlaces(e, rows.first) < 0) rows.first = e;
    const at = rows.places.findIndex((p) => comparePlaces(e, p) < 0);
    if (at >= 0) rows.places.splice(at, 0, e);
    else rows.places.push(e);
    if (rows.places.length > PLACES_SAID) rows.places.pop();
  }

  /** Puts `e` in its place in `l`, which keeps the first MAX_LISTED_ERRORS. */
  private list(l: ImportRowError[], e: ImportRowError) {
    if (l.length >= MAX_LISTED_ERRORS && !this.before(e, l[l.length - 1]!)) return;
    // After its equals, so two problems of one cell stay in the order they were found.
    let lo = 0;
    let hi = l.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.before(e, l[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    l.splice(lo, 0, e);
    if (l.length > MAX_LISTED_ERRORS) l.pop();
  }

  /** The refusal of the file: its bad rows in the file's order, and how many rows are bad. */
  error(): ImportError {
    const all = [...this.listed];
    let rows = this.others;
    for (const v of this.values.values()) {
      rows += v.rows;
      this.list(all, v.rows === 1 ? v.first : { ...placeOnly(v.first), message: valueRowsText(v) });
    }
    return new ImportError(all, this.total, rows);
  }
}

/** The error's place and column, without its message. */
function placeOnly(e: ImportRowError): Omit<ImportRowError, "message"> {
  const { message: _, ...rest } = e;
  return rest;
}

/** `answer "满意" (3,911 rows, the first at lines 2, 5, 9): not an option of …`. */
function valueRowsText(v: ValueRows): string {
  const first = v.rows > PLACES_SAID ? "the first " : "";
  return `${v.value.subject} (${v.rows.toLocaleString("en")} rows, ${first}at ${placesText(v.places)}): ${v.value.reason}`;
}
