/**
 * The zip parser ExcelJS streams a workbook through (unzipper's Parse) says 'end' as soon as
 * the last byte of the file is parsed, even while entries it has already parsed wait unread in
 * its buffer. ExcelJS stops taking entries on that 'end'. Excel, WPS and ExcelJS itself store the
 * shared strings, styles and workbook part after the worksheets, and a worksheet that comes first
 * is copied to a temporary file before it is read. When that copy is slow (a busy disk), the
 * parser finishes first and the parts after the sheet are dropped. Every text cell then reads
 * as `{ sharedString: n }` and every date as its serial number, so a sound file was refused
 * row by row.
 *
 * Here the early 'end' (and the 'close' that comes with it) is held until the entries already
 * parsed have been read. The stream's real end, once its buffer is empty, goes through unchanged.
 * A file that stops without the zip's closing record still ends, once what it held has been read.
 */
export function endAfterBufferedEntries(zip: NodeJS.EventEmitter): void {
  const state = (zip as { _readableState?: { length: number } })._readableState;
  if (!state) return;
  const emit = zip.emit.bind(zip);
  let held: string[] = [];
  let ended = false;
  const pass = (event: string) => {
    if (event === "end") {
      if (ended) return false;
      ended = true;
    }
    return emit(event);
  };
  const release = () => {
    if (state.length > 0) return;
    const events = held;
    held = [];
    for (const event of events) pass(event);
  };
  zip.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event === "end" || event === "close") {
      if (state.length > 0) {
        held.push(event);
        return false;
      }
      release();
      return pass(event);
    }
    const heard = emit(event, ...args);
    // The last entry waiting has just been handed over: the end can follow it.
    if (event === "data" && held.length > 0 && state.length === 0) process.nextTick(release);
    return heard;
  };
}
