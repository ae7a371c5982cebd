import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { AutoDecoder, decodeStream, EncodingError } from "./encoding.js";

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function decodeAll(bytes: Uint8Array, size: number) {
  const d = new AutoDecoder();
  let text = "";
  for await (const t of decodeStream(chunks(bytes, size), d)) text += t;
  return { text, encoding: d.encoding };
}

/** The EncodingError decoding stops with (a decoding that does not stop fails the test). */
async function refusal(bytes: Uint8Array, size: number): Promise<{ line: number; message: string }> {
  try {
    const r = await decodeAll(bytes, size);
    throw new Error(`decoded as ${r.encoding}: ${JSON.stringify(r.text.slice(0, 80))}…`);
  } catch (err) {
    if (!(err instanceof EncodingError)) throw err;
    return { line: err.line, message: err.message };
  }
}

const utf8 = (s: string) => Buffer.from(s, "utf8");
/** Every character GB18030 writes in two bytes, and its bytes (Node's TextEncoder writes only UTF-8). */
const GB_PAIRS = (() => {
  const pairs = new Map<string, Buffer>();
  const decoder = new TextDecoder("gb18030");
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const bytes = Buffer.from([lead, trail]);
      const c = decoder.decode(bytes);
      if (c.length === 1 && c !== "\ufffd" && !pairs.has(c)) pairs.set(c, bytes);
    }
  return pairs;
})();
const gb18030 = (s: string) =>
  Buffer.concat([...s].map((c) => (c < "\x80" ? Buffer.from(c, "latin1") : GB_PAIRS.get(c)!)));

// Chunk sizes that split characters and the 4 KiB window at every place, and the 64 KiB a file
// stream reads at once.
const SIZES = [1, 2, 3, 7, 997, 4095, 4096, 4097, 32_768, 65_536];

const notUtf8 = (byte: number) =>
  `the file is not valid UTF-8 at byte ${byte}: it mixes encodings; save it again as UTF-8 or GB18030`;

describe("the encoding decided on the first 4 KiB", () => {
  it.each(SIZES)(
    "refuses GB18030 rows in a UTF-8 file inside its first chunk, in chunks of %i",
    async (size) => {
      // Row 202 of a 32 KB file: read whole, the first 64 KiB made the file GB18030, and its 200
      // UTF-8 rows mojibake (市公安局 as 甯傚叕瀹夊眬).
      const rows = Array.from({ length: 200 }, (_, i) => `M${i + 1},市公安局,law-enforcement\n`);
      const before = utf8(`id,name,group\n${rows.join("")}`);
      const bytes = Buffer.concat([
        before,
        gb18030("M201,市公安局,law-enforcement\n"),
        utf8(rows.join("").repeat(5)),
      ]);
      expect(await refusal(bytes, size)).toEqual({ line: 202, message: notUtf8(before.length + 5) });
    },
  );

  it.each(SIZES)("refuses a small file whose last row is GB18030, in chunks of %i", async (size) => {
    const before = utf8("id,name,group\nM01,市公安局,law-enforcement\nM02,市税务局,law-enforcement\n");
    const bytes = Buffer.concat([before, gb18030("M03,市公安局,law-enforcement\n")]);
    expect(await refusal(bytes, size)).toEqual({ line: 4, message: notUtf8(before.length + 4) });
  });

  it.each(SIZES)("reads a file that is GB18030 throughout, small or large, in chunks of %i", async (size) => {
    for (const name of ["survey-forms", "units"]) {
      const bytes = await readFile(new URL(`./fixtures/${name}-gb18030.csv`, import.meta.url));
      expect(await decodeAll(bytes, size)).toEqual({
        text: new TextDecoder("gb18030").decode(bytes),
        encoding: "gb18030",
      });
    }
    const large = gb18030(`id,name\n${"M1,市公安局\nM2,市税务局\n".repeat(500)}`);
    expect(await decodeAll(large, size)).toEqual({
      text: `id,name\n${"M1,市公安局\nM2,市税务局\n".repeat(500)}`,
      encoding: "gb18030",
    });
  });

  // The window is the 4096 bytes from the first that is not ASCII (市 on line 2); the padding
  // moves its end through the rows: in UTF-8 after 1 and 2 bytes of 安 (pads 1, 2), in GB18030
  // after the first byte of 安 and of 公 (pads 0, 2).
  it.each([0, 1, 2])(
    "decides on whole 4 KiB when a character straddles its end, with %i bytes of padding",
    async (pad) => {
      const head = `id,name\nM0,市${"x".repeat(pad)}\n`;
      const rows = "M1,市公安局\n".repeat(400); // 15 bytes a row: the window ends mid-row
      const text = head + rows;
      for (const size of [1, 3, 4095, 4096, 4097, 65_536]) {
        expect(await decodeAll(utf8(text), size)).toEqual({ text, encoding: "utf-8" });
        // GB18030 right after the window: the file was decided UTF-8 on the window, and says where
        // it stops being so.
        const bytes = Buffer.concat([utf8(text), gb18030("M2,市税务局\n")]);
        expect(await refusal(bytes, size)).toEqual({
          line: 403,
          message: notUtf8(utf8(text).length + 3),
        });
        const gbText = `id,name\nM0,市${"x".repeat(pad + 5)}\n${"M1,市公安局\n".repeat(600)}`;
        expect(await decodeAll(gb18030(gbText), size)).toEqual({ text: gbText, encoding: "gb18030" });
      }
    },
  );
});

const isUtf8At = (byte: number) =>
  `the file is GB18030 but is UTF-8 at byte ${byte}: it mixes encodings; save it again as UTF-8 or GB18030`;

describe("UTF-8 rows in a file detected as GB18030", () => {
  const HEADER = "类别,单位,受访群体,答案";
  const ROW = "公众评议,市公安局,企业,满意";

  it.each(SIZES)("are refused by line, not read as mojibake, in chunks of %i", async (size) => {
    for (const eol of ["\n", "\r\n", "\r"])
      for (const rows of [3, 300]) {
        // Within the first 4 KiB and after it; read as GB18030, 市公安局 was 甯傚叕瀹夊眬.
        const before = gb18030([HEADER, ...Array(rows).fill(ROW), ""].join(eol));
        const bytes = Buffer.concat([before, utf8(ROW + eol), gb18030(ROW + eol)]);
        expect(await refusal(bytes, size), `${JSON.stringify(eol)}, ${rows} rows`).toEqual({
          line: rows + 2,
          message: isUtf8At(before.length),
        });
      }
  });

  it.each([1, 3, 4096, 65_536])("are refused on the last line, in chunks of %i", async (size) => {
    const before = gb18030(`${HEADER}\n${ROW}\n`);
    const bytes = Buffer.concat([before, utf8(ROW)]);
    expect(await refusal(bytes, size)).toEqual({ line: 3, message: isUtf8At(before.length) });
  });

  it.each([997, 65_536])("are refused after a line too long to check, in chunks of %i", async (size) => {
    // A line of 64 KiB and more (JSON written without line breaks) is not held to be checked.
    const long = `${HEADER},${"评".repeat(40_000)}`;
    const before = gb18030(`${long}\n${ROW}\n`);
    expect(await decodeAll(before, size)).toEqual({ text: `${long}\n${ROW}\n`, encoding: "gb18030" });
    const bytes = Buffer.concat([before, utf8(`${ROW}\n`)]);
    expect(await refusal(bytes, size)).toEqual({ line: 3, message: isUtf8At(before.length) });
  });

  it("are read as asked when the file is given as GB18030", async () => {
    const bytes = Buffer.concat([gb18030(`${HEADER}\n${ROW}\n`), utf8(`${ROW}\n`)]);
    const d = new AutoDecoder("gb18030");
    let text = "";
    for await (const t of decodeStream(chunks(bytes, 7), d)) text += t;
    expect(text).toBe(new TextDecoder("gb18030").decode(bytes));
  });

  it("are not seen in GB18030 text: every two-byte character, in fields of 1 to 12", async () => {
    const chars = [...GB_PAIRS.keys()];
    for (const width of [1, 2, 3, 4, 5, 8, 12]) {
      const lines = [HEADER];
      for (let i = 0; i < chars.length; i += width) lines.push(`a,${chars.slice(i, i + width).join("")},b`);
      const text = `${lines.join("\n")}\n`;
      expect(await decodeAll(gb18030(text), 65_536)).toEqual({ text, encoding: "gb18030" });
    }
  });
});

describe("a file that reads as UTF-8 and as GB18030 alike", () => {
  // 学院 in GB18030 is D1 A7 D4 BA: two UTF-8 characters, "ѧԺ".
  const both = Buffer.concat([
    Buffer.from("id,name\r\nU1,"),
    Buffer.from([0xd1, 0xa7, 0xd4, 0xba]),
    Buffer.from("\r\n"),
  ]);

  it.each([1, 3, 1000])("is refused at its line, naming both readings, in chunks of %i", async (size) => {
    expect(await refusal(both, size)).toEqual({
      line: 2,
      message:
        'the file reads as UTF-8 ("ѧԺ") and as GB18030 ("学院") alike: say which it is (importFile\'s encoding, or pingyi import --encoding)',
    });
  });

  it("is read as told, and UTF-8 with Chinese in it is not asked about", async () => {
    for (const encoding of ["gb18030", "utf-8"] as const) {
      const d = new AutoDecoder(encoding);
      let text = "";
      for await (const t of decodeStream(chunks(both, 2), d)) text += t;
      expect(text).toBe(`id,name\r\nU1,${encoding === "gb18030" ? "学院" : "ѧԺ"}\r\n`);
    }
    // A UTF-8 file with Chinese (three-byte characters) and a Cyrillic name is plainly UTF-8.
    expect(await decodeAll(utf8("id,name\nU1,学院 Ѧ\n"), 3)).toEqual({
      text: "id,name\nU1,学院 Ѧ\n",
      encoding: "utf-8",
    });
  });
});

describe("a file that reads as UTF-8 and as GB18030 alike, past the first 4 KiB", () => {
  it("is asked about even when the window ends inside a character", async () => {
    const pair = Buffer.from([0xd1, 0xa7]);
    const pairs = Array.from({ length: 2100 }, () => pair);
    const body = Buffer.concat([Buffer.from("id,name\nU1,"), ...pairs, Buffer.from("\n")]);
    // One ASCII byte after the first character: the window's last byte is the first of a pair.
    const odd = Buffer.concat([
      Buffer.from("id,name\nU1,"),
      pair,
      Buffer.from("x"),
      ...pairs,
      Buffer.from("\n"),
    ]);
    for (const bytes of [body, odd])
      expect((await refusal(bytes, 512)).message).toMatch(
        /^the file reads as UTF-8 .* and as GB18030 .* alike/,
      );
  });
});

const notGb18030 = (byte: number) =>
  `the file is not valid GB18030 at byte ${byte}: it is in another encoding, or mixes encodings; save it again as UTF-8 or GB18030`;

describe("bytes that are no GB18030 character", () => {
  const HEADER = "编号,被评单位,备注";
  const ROW = "FX-1,市公安局,窗口服务";
  // A lead byte alone, a four-byte start cut by a space or by another lead, a four-byte code
  // GB18030 leaves unassigned, and a byte no character starts with; each before a comma and
  // before the line break.
  const BAD = [[0xa1], [0x81, 0x30, 0x20], [0x81, 0x30, 0x81, 0x81], [0x84, 0x31, 0xa5, 0x30], [0xff]];

  it.each(SIZES)(
    "are refused by line and byte, not stored as U+FFFD, detected or given, in chunks of %i",
    async (size) => {
      for (const eol of ["\n", "\r\n", "\r"])
        for (const bad of BAD)
          for (const after of [`,处理${eol}`, eol])
            for (const given of [undefined, "gb18030"] as const) {
              const before = gb18030([HEADER, ROW, "FX-2,市公安局,"].join(eol));
              const bytes = Buffer.concat([before, Buffer.from(bad), gb18030(`${after}${ROW}${eol}`)]);
              const d = new AutoDecoder(given);
              const outcome = await (async () => {
                for await (const _ of decodeStream(chunks(bytes, size), d));
                return "decoded";
              })().catch((err: unknown) =>
                err instanceof EncodingError ? { line: err.line, message: err.message } : err,
              );
              expect(outcome, `${JSON.stringify(eol)}, ${bad}, ${JSON.stringify(after)}, ${given}`).toEqual({
                line: 3,
                message: notGb18030(before.length),
              });
            }
    },
  );

  it.each([1, 3, 4096, 65_536])(
    "are refused at the file's end, a character left unfinished, in chunks of %i",
    async (size) => {
      const before = gb18030(`${HEADER}\r\n${ROW}\r\nFX-2,`);
      const bytes = Buffer.concat([before, Buffer.from([0x81, 0x30])]);
      expect(await refusal(bytes, size)).toEqual({ line: 3, message: notGb18030(before.length) });
    },
  );

  it.each([997, 65_536])(
    "are refused by line after a run of 64 KiB with no comma, space or line break, in chunks of %i",
    async (size) => {
      // Where a decoder may start again is not kept that far back: the line is still named.
      const before = gb18030(`${HEADER}\n${ROW}\nFX-2,市公安局,${"评".repeat(40_000)}`);
      const bytes = Buffer.concat([before, Buffer.from([0xff]), gb18030(`\n${ROW}\n`)]);
      const { line, message } = await refusal(bytes, size);
      expect(line).toBe(3);
      expect(message).toMatch(/^the file is not valid GB18030( at byte \d+)?: it is in another encoding/);
    },
  );

  it.each([3, 997, 65_536])(
    "are none in GB18030 text: every character, with CRLF, in chunks of %i",
    async (size) => {
      // Every two-byte code, every four-byte code of the BMP and a spread of the others, and 0x80 (€).
      const lines: Buffer[] = [gb18030(`${HEADER}\r\n`), Buffer.from([0x80, 0x0d, 0x0a])];
      for (let lead = 0x81; lead <= 0xfe; lead++) {
        const line = [Buffer.from("a,")];
        for (let trail = 0x40; trail <= 0xfe; trail++)
          if (trail !== 0x7f) line.push(Buffer.from([lead, trail]));
        lines.push(Buffer.concat([...line, Buffer.from(",b\r\n")]));
      }
      const four = (pointer: number) =>
        Buffer.from([
          0x81 + Math.floor(pointer / 12600),
          0x30 + (Math.floor(pointer / 1260) % 10),
          0x81 + (Math.floor(pointer / 10) % 126),
          0x30 + (pointer % 10),
        ]);
      for (let from = 0; from <= 39_419; from += 500) {
        const line = [Buffer.from("a,")];
        for (let p = from; p < Math.min(from + 500, 39_420); p++) line.push(four(p));
        lines.push(Buffer.concat([...line, Buffer.from("\r\n")]));
      }
      for (let p = 189_000; p <= 1_237_575; p += 997)
        lines.push(Buffer.concat([four(p), Buffer.from("\r\n")]));
      lines.push(four(1_237_575));
      const bytes = Buffer.concat(lines);
      const text = new TextDecoder("gb18030", { fatal: true }).decode(bytes);
      expect(await decodeAll(bytes, size)).toEqual({ text, encoding: "gb18030" });
      const d = new AutoDecoder("gb18030");
      let given = "";
      for await (const t of decodeStream(chunks(bytes, size), d)) given += t;
      expect(given).toBe(text);
    },
  );
});
