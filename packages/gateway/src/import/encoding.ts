/**
 * Text decoding for uploaded files, streamed. Chinese Excel saves CSV as GB18030/GBK without
 * saying so, so the encoding is detected: a UTF-8 BOM or valid UTF-8 means UTF-8, anything else
 * GB18030 (a superset of GBK and GB2312). Pure-ASCII prefixes read the same in both, so the choice
 * waits for the first non-ASCII bytes and tests the 4 KiB from there, not the whole file. A file
 * that does not go on in the encoding chosen (detected or given) is refused at the line where it
 * changes.
 */
import { isUtf8 as isValidUtf8 } from "node:buffer";

export type TextEncodingName = "utf-8" | "gb18030";

export class EncodingError extends Error {
  constructor(
    message: string,
    /** The line (as an editor counts them) where the bad bytes are. */
    readonly line: number,
  ) {
    super(message);
  }
}

// Enough bytes after the first non-ASCII byte that a GBK text is very unlikely to pass as UTF-8.
const EVIDENCE_BYTES = 4096;

export class AutoDecoder {
  encoding: TextEncodingName | undefined;
  private decoder: InstanceType<typeof TextDecoder> | undefined;
  private pending: Uint8Array = new Uint8Array(0);
  private sawStart = false;
  private offset = 0;
  /** Line breaks in the bytes decoded so far, so a decoding error can say on which line it is. */
  private breaks = 0;
  private endsWithCR = false;
  /** UTF-8: the start of a character the last chunk ended in, to find where bad bytes begin. */
  private unfinished: Uint8Array = new Uint8Array(0);
  /** Detected GB18030: the line the last chunks ended in, to check whole with the next. */
  private gbLine: Uint8Array[] = [];
  private gbLineLength = 0;
  /** Detected GB18030: the line the last chunk ended in is too long to check. */
  private gbLineSkipped = false;
  /**
   * GB18030: the bytes after the last one that is inside no character of several bytes (a comma,
   * a space, a line break), where a decoder can start afresh to find bad bytes; undefined past
   * MAX_CHECKED_LINE of them.
   */
  private gbRun: Uint8Array[] | undefined = [];
  private gbRunLength = 0;

  constructor(private readonly forced?: TextEncodingName) {
    if (forced) this.choose(forced);
  }

  private choose(enc: TextEncodingName) {
    this.encoding = enc;
    // Fatal for GB18030 too: bytes it has no character for were stored as U+FFFD, ids and names
    // included, without a word.
    this.decoder = new TextDecoder(enc, { fatal: true });
  }

  decode(chunk: Uint8Array, final = false): string {
    let data: Uint8Array = this.pending.length ? concat(this.pending, chunk) : chunk;
    this.pending = new Uint8Array(0);
    if (!this.sawStart) {
      if (data.length < WORKBOOK_SIGNATURE_BYTES && !final) {
        this.pending = data;
        return "";
      }
      this.sawStart = true;
      // Read as text, a workbook was refused for a quote in its zip's bytes, or for bytes that
      // are no GB18030 character: which file it is, and what to do, is the thing to say.
      const workbook = workbookSent(data);
      if (workbook) throw new EncodingError(workbook, 1);
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
        if (!this.decoder) this.choose("utf-8");
        data = data.subarray(3);
        this.offset += 3;
      } else if (
        !this.decoder &&
        ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff))
      ) {
        // Excel's "Unicode Text" (Unicode 文本) export: read as GB18030 it is only NULs and
        // noise, and the import would fail with "missing column" for every column.
        throw new EncodingError(
          'the file is UTF-16 (Excel\'s "Unicode Text"): save it as "CSV UTF-8" or as CSV',
          1,
        );
      } else if (data[0] === 0x84 && data[1] === 0x31 && data[2] === 0x95 && data[3] === 0x33) {
        if (!this.decoder) this.choose("gb18030");
        data = data.subarray(4);
        this.offset += 4;
      }
    }
    let prefix = "";
    if (!this.decoder) {
      const i = data.findIndex((b) => b >= 0x80);
      if (i < 0) {
        this.pass(data);
        return latin1(data);
      }
      prefix = latin1(data.subarray(0, i));
      this.pass(data.subarray(0, i));
      const rest = data.subarray(i);
      if (rest.length < EVIDENCE_BYTES && !final) {
        this.pending = rest;
        return prefix;
      }
      // Only the window decides: tested whole, the first chunk (64 KiB from a file) turned a UTF-8
      // file with one GB18030 row anywhere in it into GB18030, its UTF-8 rows into mojibake.
      const window = rest.subarray(0, EVIDENCE_BYTES);
      const whole = final && rest.length <= EVIDENCE_BYTES;
      const utf8 = isUtf8(window, whole);
      if (utf8 && readsAsBoth(window)) {
        const line = this.breaks + (this.endsWithCR ? 2 : 1);
        throw new EncodingError(
          `the file reads as UTF-8 ("${sample(window, "utf-8")}") and as GB18030 ("${sample(window, "gb18030")}") alike: say which it is (importFile's encoding, or pingyi import --encoding)`,
          line,
        );
      }
      this.choose(utf8 || utf8LinesBefore(window) ? "utf-8" : "gb18030");
      data = rest;
    }
    // Given GB18030, the caller knows better: the check is for what detection chose.
    if (this.encoding === "gb18030" && !this.forced) this.checkGbLines(data, final);
    try {
      const text = this.decoder!.decode(data, { stream: !final });
      this.pass(data);
      if (this.encoding === "utf-8")
        this.unfinished = unfinishedUtf8(data.length >= 3 ? data : this.withUnfinished(data));
      else this.keepGbRun(data);
      return prefix + text;
    } catch {
      if (this.encoding === "gb18030") this.refuseGb18030(data, final);
      // Counted from the character the last chunk ended in: bad bytes can start there.
      const bad = firstInvalidUtf8(this.withUnfinished(data)) - this.unfinished.length;
      this.pass(data.subarray(0, Math.max(0, bad)));
      const line = this.breaks + (this.endsWithCR ? 2 : 1);
      throw new EncodingError(
        `the file is not valid UTF-8 at byte ${this.offset + Math.min(0, bad)}: it mixes encodings; save it again as UTF-8 or GB18030`,
        line,
      );
    }
  }

  /**
   * A UTF-8 row in a file detected as GB18030 (pasted in from another system) decodes without an
   * error, as mojibake (市公安局 as 甯傚叕瀹夊眬), and would be imported so: a line that reads as
   * UTF-8 Chinese is refused instead, as a GB18030 row in a UTF-8 file is. Only lines with bytes
   * that could be UTF-8 Chinese are looked at.
   */
  private checkGbLines(data: Uint8Array, final: boolean) {
    let from = 0;
    if (this.gbLineLength > 0 || this.gbLineSkipped) {
      const end = nextBreak(data, 0);
      if (end < 0 && !final) {
        this.holdGbLine(data);
        return;
      }
      const head = data.subarray(0, end < 0 ? data.length : end);
      if (!this.gbLineSkipped) {
        const line = concatAll([...this.gbLine, head]);
        if (readsAsUtf8Chinese(line)) this.refuseUtf8Line(data, 0, line, this.gbLineLength);
      }
      this.gbLine = [];
      this.gbLineLength = 0;
      this.gbLineSkipped = false;
      if (end < 0) return;
      from = end + 1;
    }
    for (let i = utf8Chinese(data, from); i >= 0; i = utf8Chinese(data, i)) {
      const start = lineStart(data, i, from);
      const end = nextBreak(data, i);
      if (end < 0 && !final) break; // checked whole with the next chunk
      const line = data.subarray(start, end < 0 ? data.length : end);
      if (readsAsUtf8Chinese(line)) this.refuseUtf8Line(data, start, line, 0);
      if (end < 0) return;
      i = end + 1;
    }
    if (final) return;
    // A character split between chunks shows only with the next one.
    const start = lineStart(data, data.length, from);
    if (data.subarray(start).some((b) => b >= 0x80)) this.holdGbLine(data.subarray(start));
  }

  private holdGbLine(bytes: Uint8Array) {
    if (this.gbLineSkipped) return;
    this.gbLineLength += bytes.length;
    // A file of one long line (JSON written without line breaks) is not held in memory for it.
    if (this.gbLineLength > MAX_CHECKED_LINE) {
      this.gbLine = [];
      this.gbLineSkipped = true;
    } else this.gbLine.push(bytes.slice());
  }

  /** `line` starts at `start` in `data`, or `before` bytes before it in earlier chunks. */
  private refuseUtf8Line(data: Uint8Array, start: number, line: Uint8Array, before: number): never {
    this.pass(data.subarray(0, start));
    const at = this.offset - before + line.findIndex((b) => b >= 0x80);
    throw new EncodingError(
      `the file is GB18030 but is UTF-8 at byte ${at}: it mixes encodings; save it again as UTF-8 or GB18030`,
      this.breaks + (this.endsWithCR ? 2 : 1),
    );
  }

  private keepGbRun(data: Uint8Array) {
    let i = data.length;
    while (i > 0 && data[i - 1]! >= GB_OUTSIDE) i--;
    if (i > 0) {
      this.gbRun = [];
      this.gbRunLength = 0;
    }
    if (!this.gbRun) return;
    this.gbRunLength += data.length - i;
    if (this.gbRunLength > MAX_CHECKED_LINE) this.gbRun = undefined;
    else if (i < data.length) this.gbRun.push(data.slice(i));
  }

  /** Refuses `data`, which the decoder found bytes in that are no GB18030 character, at their line and byte. */
  private refuseGb18030(data: Uint8Array, final: boolean): never {
    // Where in `data` the bad bytes start (below 0: in the run before it); undefined: not known.
    let at: number | undefined;
    if (this.gbRun) {
      const bad = firstInvalidGb18030(concatAll([...this.gbRun, data]), final);
      if (bad >= 0) at = bad - this.gbRunLength;
    } else {
      // A run too long to keep: from the first place in `data` a decoder can start afresh. Bad
      // bytes before it are in the line the run is in, at a byte not known.
      const start = data.findIndex((b) => b < GB_OUTSIDE) + 1;
      const bad = start > 0 ? firstInvalidGb18030(data.subarray(start), final) : -1;
      if (bad >= 0) at = start + bad;
    }
    this.pass(data.subarray(0, Math.max(0, at ?? 0)));
    const byte = at === undefined ? "" : ` at byte ${this.offset + Math.min(0, at)}`;
    throw new EncodingError(
      `the file is not valid GB18030${byte}: it is in another encoding, or mixes encodings; save it again as UTF-8 or GB18030`,
      this.breaks + (this.endsWithCR ? 2 : 1),
    );
  }

  private withUnfinished(data: Uint8Array): Uint8Array {
    return this.unfinished.length ? concat(this.unfinished, data) : data;
  }

  /** Counts bytes read, and line breaks as the CSV reader does ("\r\n", "\n", a lone "\r"). */
  private pass(bytes: Uint8Array) {
    this.offset += bytes.length;
    if (bytes.length === 0) return;
    if (this.endsWithCR && bytes[0] !== 0x0a) this.breaks++;
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const last = b.length - 1;
    for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) this.breaks++;
    for (let i = b.indexOf(0x0d); i >= 0 && i < last; i = b.indexOf(0x0d, i + 1))
      if (b[i + 1] !== 0x0a) this.breaks++;
    this.endsWithCR = b[last] === 0x0d;
  }
}

/** The bytes' length a UTF-8 character starting with `lead` has (0: not a first byte). */
const utf8Length = (lead: number) =>
  lead < 0x80
    ? 1
    : lead >= 0xc2 && lead <= 0xdf
      ? 2
      : lead >= 0xe0 && lead <= 0xef
        ? 3
        : lead >= 0xf0 && lead <= 0xf4
          ? 4
          : 0;

/** Where the first byte that cannot be UTF-8 is (the bytes' length if none is found). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const n = utf8Length(b[i]!);
    if (n === 0) return i;
    for (let k = 1; k < n && i + k < b.length; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += n;
  }
  return b.length;
}

/** The bytes of a character the bytes end in the middle of (none if they end on a whole one). */
function unfinishedUtf8(b: Uint8Array): Uint8Array {
  for (let k = 1; k <= 3 && k <= b.length; k++) {
    const c = b[b.length - k]!;
    if ((c & 0xc0) === 0x80) continue;
    return utf8Length(c) > k ? b.subarray(b.length - k) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}

/**
 * Chinese characters (U+4000 to U+9FFF: a UTF-8 lead byte E4 to E9) that tell text written as
 * UTF-8. GB18030 text seldom reads as valid UTF-8 with any: none of a million random fields of
 * GBK characters held three, and text of the 3755 common characters cannot hold one.
 */
const UTF8_CHINESE_EVIDENCE = 3;

function readsAsUtf8Chinese(bytes: Uint8Array): boolean {
  let n = 0;
  for (let i = 0; i < bytes.length && n < UTF8_CHINESE_EVIDENCE; i++)
    if (bytes[i]! >= 0xe4 && bytes[i]! <= 0xe9) n++;
  return n >= UTF8_CHINESE_EVIDENCE && isValidUtf8(bytes);
}

/** Where the next UTF-8 Chinese character may start: a lead byte E4 to E9 and two continuations. */
function utf8Chinese(b: Uint8Array, from: number): number {
  for (let i = from; i + 2 < b.length; i++) {
    const c = b[i]!;
    if (c >= 0xe4 && c <= 0xe9 && (b[i + 1]! & 0xc0) === 0x80 && (b[i + 2]! & 0xc0) === 0x80) return i;
  }
  return -1;
}

// Neither byte occurs inside a GB18030 character.
const isBreak = (b: number) => b === 0x0a || b === 0x0d;

function nextBreak(b: Uint8Array, from: number): number {
  for (let i = from; i < b.length; i++) if (isBreak(b[i]!)) return i;
  return -1;
}

/** Where the line holding byte `i` starts, not looking back past `from`. */
function lineStart(b: Uint8Array, i: number, from: number): number {
  while (i > from && !isBreak(b[i - 1]!)) i--;
  return i;
}

/**
 * Bytes below this (controls, the space, punctuation up to "/") are never part of a GB18030
 * character of several bytes, whose other bytes are digits (0x30 to 0x39) or 0x40 and up; so a
 * decoder can start afresh after one.
 */
const GB_OUTSIDE = 0x30;

const gbDecodes = (bytes: Uint8Array, stream: boolean) => {
  try {
    new TextDecoder("gb18030", { fatal: true }).decode(bytes, { stream });
    return true;
  } catch {
    return false;
  }
};

/**
 * Where the first bytes that are no GB18030 character start in `b`, which starts where a
 * character may (-1: none). `final`: `b` ends the file, so a character left unfinished is bad.
 */
function firstInvalidGb18030(b: Uint8Array, final: boolean): number {
  let found = b.length;
  if (gbDecodes(b, true)) {
    if (!final || gbDecodes(b, false)) return -1;
  } else {
    // The shortest start of `b` the decoder refuses ends with the byte it found wrong.
    let lo = 1;
    while (lo < found) {
      const mid = (lo + found) >>> 1;
      if (gbDecodes(b.subarray(0, mid), true)) lo = mid + 1;
      else found = mid;
    }
  }
  // The bad character starts after the last whole one: at most four bytes before.
  for (let start = found - 1; start >= Math.max(0, found - 4); start--)
    if (gbDecodes(b.subarray(0, start), false)) return start;
  return found - 1;
}

/** The longest signature `workbookSent` looks for. */
const WORKBOOK_SIGNATURE_BYTES = 8;

const startsWith = (data: Uint8Array, signature: readonly number[]) =>
  signature.every((b, i) => data[i] === b);

/** What to do instead, when a file sent as text starts as an Excel workbook does. */
function workbookSent(data: Uint8Array): string | undefined {
  // A zip's first entry: an .xlsx, or another zip (a .docx) that is no text either.
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04]))
    return "the file is an XLSX workbook (or another zip file), not text: import it as xlsx";
  // The compound file an Excel 97-2003 .xls is, which the xlsx reader does not read either.
  if (startsWith(data, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return "the file is an Excel 97-2003 workbook (.xls), not text: save it in Excel as an Excel Workbook (.xlsx) and import that as xlsx, or save it as CSV";
  return undefined;
}

/** Longer lines of a file detected as GB18030 are not checked for UTF-8 rows. */
const MAX_CHECKED_LINE = 64 * 1024;

/**
 * Whether the whole lines before the window's first byte that is not UTF-8 read as UTF-8 Chinese:
 * then the file is UTF-8 with other bytes from that line on (a GB18030 row pasted in), refused
 * there, rather than GB18030 with its UTF-8 rows read as mojibake.
 */
function utf8LinesBefore(window: Uint8Array): boolean {
  let end = firstInvalidUtf8(window);
  while (end > 0 && window[end - 1] !== 0x0a && window[end - 1] !== 0x0d) end--;
  return readsAsUtf8Chinese(window.subarray(0, end));
}

/**
 * Valid UTF-8 with no three-byte character (so no Chinese in UTF-8) that GB18030 reads as
 * Chinese: 学院 in GB18030 is D1 A7 D4 BA, also UTF-8 for "ѧԺ". Taking either would store one
 * reading as if it were the file's without a word, so the administrator is asked.
 */
function readsAsBoth(window: Uint8Array): boolean {
  for (const b of window) if (b >= 0xe0) return false;
  // Streamed: a character cut by the window's end is not a replacement character.
  const gb = new TextDecoder("gb18030").decode(window, { stream: true });
  return /\p{Script=Han}/u.test(gb) && !gb.includes("\ufffd");
}

/** The first few characters from the first non-ASCII byte, as an encoding reads them. */
function sample(window: Uint8Array, encoding: TextEncodingName): string {
  const text = new TextDecoder(encoding).decode(window.subarray(0, 64));
  return [...text]
    .slice(0, 8)
    .join("")
    .split(/[\r\n,]/)[0]!;
}

function isUtf8(bytes: Uint8Array, final: boolean): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: !final });
    return true;
  } catch {
    return false;
  }
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

function concatAll(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export async function* decodeStream(
  source: AsyncIterable<Uint8Array>,
  decoder: AutoDecoder,
): AsyncGenerator<string> {
  for await (const chunk of source) {
    const text = decoder.decode(chunk);
    if (text) yield text;
  }
  const tail = decoder.decode(new Uint8Array(0), true);
  if (tail) yield tail;
}
