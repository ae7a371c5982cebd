/**
 * Text decoding for uploaded files, streamed. Chinese Excel saves CSV as GB18030/GBK without
 * saying so, so the encoding is detected: a UTF-8 BOM or valid UTF-8 means UTF-8, anything else
 * GB18030 (a superset of GBK and GB2312). Pure-ASCII prefixes read the same in both, so the choice
 * waits for the first non-ASCII bytes and tests a good stretch of them, not the whole file.
 */
export type TextEncodingName = "utf-8" | "gb18030";

export class EncodingError extends Error {}

// Enough bytes after the first non-ASCII byte that a GBK text is very unlikely to pass as UTF-8.
const EVIDENCE_BYTES = 4096;

export class AutoDecoder {
  encoding: TextEncodingName | undefined;
  private decoder: InstanceType<typeof TextDecoder> | undefined;
  private pending: Uint8Array = new Uint8Array(0);
  private sawStart = false;
  private offset = 0;

  constructor(forced?: TextEncodingName) {
    if (forced) this.choose(forced);
  }

  private choose(enc: TextEncodingName) {
    this.encoding = enc;
    this.decoder = new TextDecoder(enc, { fatal: enc === "utf-8" });
  }

  decode(chunk: Uint8Array, final = false): string {
    let data: Uint8Array = this.pending.length ? concat(this.pending, chunk) : chunk;
    this.pending = new Uint8Array(0);
    if (!this.sawStart) {
      if (data.length < 4 && !final) {
        this.pending = data;
        return "";
      }
      this.sawStart = true;
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
        this.offset += data.length;
        return latin1(data);
      }
      prefix = latin1(data.subarray(0, i));
      this.offset += i;
      const rest = data.subarray(i);
      if (rest.length < EVIDENCE_BYTES && !final) {
        this.pending = rest;
        return prefix;
      }
      this.choose(isUtf8(rest, final) ? "utf-8" : "gb18030");
      data = rest;
    }
    try {
      const text = this.decoder!.decode(data, { stream: !final });
      this.offset += data.length;
      return prefix + text;
    } catch {
      throw new EncodingError(
        `the file is not valid UTF-8 near byte ${this.offset}: it mixes encodings; save it again as UTF-8 or GB18030`,
      );
    }
  }
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
