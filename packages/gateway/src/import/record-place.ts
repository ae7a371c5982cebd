/**
 * Where a record is in an imported file, as the person fixing the file looks for it: its line,
 * and in a JSON array its number in the array. Exporters write an array on one line, where every
 * record is on line 1 and only its number finds it.
 */
export interface RecordPlace {
  /** 1-based line where the record starts (the worksheet row for XLSX); 0 for the file as a whole. */
  line: number;
  /**
   * 1-based position in the file's JSON array. Absent for CSV, XLSX and NDJSON, whose line is the
   * record's own.
   */
  record?: number | undefined;
}

/** "line 7", or "record 4812 (line 1)" for a record of a JSON array. */
export function placeText(p: RecordPlace): string {
  return p.record === undefined ? `line ${p.line}` : `record ${p.record} (line ${p.line})`;
}

/** Several records' places, all of one file: "lines 4, 5, 6", or "records 2, 5, 9" in a JSON array. */
export function placesText(places: readonly RecordPlace[]): string {
  const records = places.every((p) => p.record !== undefined);
  const numbers = places.map((p) => (records ? p.record : p.line));
  return `${records ? "record" : "line"}${numbers.length === 1 ? "" : "s"} ${numbers.join(", ")}`;
}

/**
 * The file's order: by line, then by record (records of a one-line array share line 1). A place
 * without a record comes first on its line: it is the whole line's (or the file's).
 */
export function comparePlaces(a: RecordPlace, b: RecordPlace): number {
  return a.line !== b.line ? a.line - b.line : (a.record ?? 0) - (b.record ?? 0);
}

/** The place alone, without the record number when there is none: errors are compared with toEqual. */
export function placeOf(p: RecordPlace): RecordPlace {
  return p.record === undefined ? { line: p.line } : { line: p.line, record: p.record };
}
